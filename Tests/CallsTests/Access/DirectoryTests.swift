import Calls
import Testing

/// The directory's rules on ids (contract section 11), checked by `Directory(principals:)`.
struct DirectoryTests {
    @Test(arguments: [
        "a", "agent-1001", "ops.team_2@example.com", "A-Z", String(repeating: "x", count: 64), "--", "-x", "x-",
    ])
    func wellFormedIdsAreAccepted(id: String) throws {
        #expect(Directory.isValidId(id))
        let directory = try Directory(principals: [Principal(id: id, role: .agent, devices: [id])])
        #expect(directory.owner(ofDevice: id) == id)
    }

    @Test(arguments: [
        "", "-", "ag/x", "a b", "a\u{0}", "é", "a:b", "a%2F", "a+b", "calls/", String(repeating: "x", count: 65),
    ])
    func malformedPrincipalIdsAreRefusedNamingTheRule(id: String) {
        #expect(!Directory.isValidId(id))
        let error = #expect(throws: DirectoryError.self) {
            try Directory(principals: [Principal(id: id, role: .agent)])
        }
        #expect(error?.code == (id.isEmpty ? .missingId : .invalidId))
        if !id.isEmpty {
            #expect(error?.message.contains("1 to 64 characters") == true)
        }
    }

    @Test(arguments: ["-", "dev/1", "dev 1", String(repeating: "d", count: 65)])
    func malformedDeviceIdsAreRefusedNamingTheDevice(device: String) {
        let error = #expect(throws: DirectoryError.self) {
            try Directory(principals: [Principal(id: "agent-1", role: .agent, devices: [device])])
        }
        #expect(error?.code == .invalidDevice)
        #expect(error?.message.contains("'\(device)'") == true)
    }

    /// The review's collision: an agent `ag` received the calls of an agent `ag/x` over SSE, since
    /// the topic prefix `calls/ag/` matched both. Such a pair can no longer be written down.
    @Test func ownersWhoseTopicPrefixesWouldOverlapCannotBothExist() {
        #expect(throws: DirectoryError.self) {
            try Directory(principals: [Principal(id: "ag", role: .agent), Principal(id: "ag/x", role: .agent)])
        }
    }
}
