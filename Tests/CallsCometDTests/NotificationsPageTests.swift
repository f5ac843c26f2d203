import CallsJSON
import CallsTesting
import Foundation
import Testing

/// Sends the exchange of `proto-docs/notifications.md` to the running gateway and checks that it
/// answers as the page shows, so the page cannot drift from the endpoint.
@Suite(.timeLimit(.minutes(1)))
struct NotificationsPageTests {
    static let page = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("proto-docs/notifications.md")
    /// What varies from run to run.
    static let varying: Set<String> = ["clientId", "startTime"]

    /// The page's `bayeux request` and `bayeux reply` blocks, in order.
    static func blocks() throws -> [(info: String, value: JSONValue)] {
        let text = try String(contentsOf: page, encoding: .utf8)
        var blocks: [(String, JSONValue)] = []
        var open: (info: String, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if var block = open {
                if line == "```" {
                    blocks.append((block.info, try JSONValue(parsing: Data(block.lines.joined(separator: "\n").utf8))))
                    open = nil
                } else {
                    block.lines.append(line)
                    open = block
                }
            } else if line.hasPrefix("```bayeux ") {
                open = (String(line.dropFirst(3)), [])
            }
        }
        return blocks
    }

    @Test func theExchangeIsWhatTheGatewayAnswers() async throws {
        let blocks = try Self.blocks()
        #expect(blocks.count == 10)
        try await CometDHarness.run { harness in
            var clientId: String?
            var documentedClientId: String?
            for index in stride(from: 0, to: blocks.count - 1, by: 2) {
                #expect(blocks[index].info == "bayeux request" && blocks[index + 1].info == "bayeux reply")
                var request = blocks[index].value
                if let documented = documentedClientId, let clientId {
                    request = Self.replacing(documented, with: clientId, in: request)
                }
                if index == 6 { try await harness.ring("c-1", on: "dev-1001") }
                let reply = try await harness.send(request.arrayValue ?? [], as: TestDirectory.agent1001)
                if index == 0 {
                    clientId = reply.first?["clientId"]?.stringValue
                    documentedClientId = blocks[1].value[0]?["clientId"]?.stringValue
                }
                let expected = blocks[index + 1].value
                #expect(Self.comparable(.array(reply)) == Self.comparable(expected), "exchange \(index / 2 + 1)")
            }
        }
    }

    private static func replacing(_ old: String, with new: String, in value: JSONValue) -> JSONValue {
        switch value {
        case .string(old): .string(new)
        case .array(let values): .array(values.map { replacing(old, with: new, in: $0) })
        case .object(let fields): .object(fields.mapValues { replacing(old, with: new, in: $0) })
        default: value
        }
    }

    /// The value without what varies, and with the base URL's host made the same.
    private static func comparable(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let values): .array(values.map(comparable))
        case .object(let fields):
            .object(fields.filter { !varying.contains($0.key) }.mapValues(comparable))
        case .string(let text) where text.hasPrefix("http"):
            .string(String(text.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" }))
        default: value
        }
    }
}
