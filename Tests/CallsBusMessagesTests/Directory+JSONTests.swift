import Calls
import CallsBusMessages
import Foundation
import Testing

struct DirectoryTests {
    static let contractExample = #"""
        {"principals": [
          {"id": "admin", "role": "ContactCenterAdmin", "passwordHash": "$2b$10$..."},
          {"id": "agent-1001", "role": "Agent", "devices": ["dev-1001"], "passwordHash": "$2b$10$..."},
          {"id": "switch-1", "role": "Telephony"}
        ]}
        """#

    @Test func loadsTheContractExampleFromAFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("calls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("directory.json")
        try Data(Self.contractExample.utf8).write(to: file)

        let directory = try Directory(contentsOf: file)
        #expect(directory.principals.map(\.id) == ["admin", "agent-1001", "switch-1"])
        #expect(
            directory.principal(id: "agent-1001")
                == Principal(
                    id: "agent-1001", role: .agent, devices: ["dev-1001"], passwordHash: "$2b$10$..."
                ))
        #expect(directory.principal(id: "switch-1")?.passwordHash == nil)
        #expect(directory.principal(id: "Agent-1001") == nil)
        #expect(directory.owner(ofDevice: "dev-1001") == "agent-1001")
        #expect(directory.owner(ofDevice: "dev-9999") == nil)
    }

    @Test func readsActsForUsersAndIgnoresUnknownKeys() throws {
        let text = #"{"principals": [{"id": "gw", "role": "Agent", "actsForUsers": true, "note": "x"}], "v": 1}"#
        let directory = try Directory(jsonData: Data(text.utf8))
        #expect(directory.principal(id: "gw")?.actsForUsers == true)
    }

    @Test func aMissingFileIsUnreadable() {
        let url = URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString).json")
        #expect(throws: DirectoryError(code: .unreadable, message: "")) {
            try Directory(contentsOf: url)
        }
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        var rule: String
        var principals: String
        var code: DirectoryError.Code
        var mentions: String
        var testDescription: String { rule }
    }

    static let broken: [Broken] = [
        Broken(rule: "not JSON", principals: "not json", code: .invalidJSON, mentions: "JSON"),
        Broken(rule: "no principals array", principals: #"{"users": []}"#, code: .invalidJSON, mentions: "principals"),
        Broken(rule: "entry not an object", principals: #"["admin"]"#, code: .invalidJSON, mentions: "#1"),
        Broken(
            rule: "missing id", principals: #"[{"id": "a", "role": "Agent"}, {"role": "Agent"}]"#,
            code: .missingId, mentions: "#2"),
        Broken(rule: "empty id", principals: #"[{"id": "", "role": "Agent"}]"#, code: .missingId, mentions: "#1"),
        Broken(
            rule: "unknown role", principals: #"[{"id": "sup", "role": "Supervisor"}]"#,
            code: .invalidRole, mentions: "'sup'"),
        Broken(
            rule: "role in another case", principals: #"[{"id": "ag", "role": "agent"}]"#,
            code: .invalidRole, mentions: "'ag'"),
        Broken(rule: "missing role", principals: #"[{"id": "norole"}]"#, code: .invalidRole, mentions: "'norole'"),
        Broken(
            rule: "duplicate id", principals: #"[{"id": "a", "role": "Agent"}, {"id": "a", "role": "Agent"}]"#,
            code: .duplicateId, mentions: "'a'"),
        Broken(
            rule: "shared device",
            principals: #"[{"id": "a", "role": "Agent", "devices": ["d1"]}, "#
                + #"{"id": "b", "role": "Agent", "devices": ["d2", "d1"]}]"#,
            code: .sharedDevice, mentions: "'b'"),
        Broken(
            rule: "device not a string", principals: #"[{"id": "a", "role": "Agent", "devices": [1]}]"#,
            code: .invalidDevice, mentions: "'a'"),
        Broken(
            rule: "empty device", principals: #"[{"id": "a", "role": "Agent", "devices": [""]}]"#,
            code: .invalidDevice, mentions: "'a'"),
        Broken(
            rule: "plain-text password", principals: #"[{"id": "a", "role": "Agent", "passwordHash": "secret"}]"#,
            code: .invalidPasswordHash, mentions: "'a'"),
        Broken(
            rule: "other hash scheme", principals: #"[{"id": "a", "role": "Agent", "passwordHash": "$1$abc"}]"#,
            code: .invalidPasswordHash, mentions: "'a'"),
        Broken(
            rule: "Telephony with devices", principals: #"[{"id": "sw", "role": "Telephony", "devices": ["d1"]}]"#,
            code: .telephonyWithDevices, mentions: "'sw'"),
        Broken(
            rule: "actsForUsers not a boolean", principals: #"[{"id": "a", "role": "Agent", "actsForUsers": "yes"}]"#,
            code: .invalidJSON, mentions: "'a'"),
    ]

    @Test(arguments: broken)
    func refusesABrokenRule(_ broken: Broken) {
        let text = broken.principals.hasPrefix("[") ? #"{"principals": \#(broken.principals)}"# : broken.principals
        do throws(DirectoryError) {
            _ = try Directory(jsonData: Data(text.utf8))
            Issue.record("\(broken.rule) was accepted")
        } catch {
            #expect(error.code == broken.code)
            #expect(error.message.contains(broken.mentions), "message: \(error.message)")
            #expect(error.description.contains(error.message))
        }
    }

    @Test(arguments: ["$2a$", "$2b$", "$2y$"])
    func acceptsEveryBcryptPrefix(prefix: String) throws {
        let directory = try Directory(principals: [Principal(id: "a", role: .agent, passwordHash: prefix + "10$abc")])
        #expect(directory.principal(id: "a")?.passwordHash?.hasPrefix(prefix) == true)
    }

    @Test func aDeviceListedTwiceByItsOwnerIsFine() throws {
        let directory = try Directory(principals: [Principal(id: "a", role: .agent, devices: ["d1", "d1"])])
        #expect(directory.owner(ofDevice: "d1") == "a")
    }
}
