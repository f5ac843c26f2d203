import Calls
import CallsBusMessages
import CallsJSON
import Foundation
import Testing

/// Decodes every example payload of `proto-docs/`, so that the pages cannot drift from the wire types.
///
/// An example is a fenced block whose info string names what it holds (see `proto-docs/README.md`):
/// `json request`, `json invalid-request`, `json reply`, `json event` or `json call`.
struct ProtoDocsExamplesTests {
    @Test func protoDocsHasPagesAndExamples() {
        #expect(!ProtoDocs.pages.isEmpty, "no .md file under \(ProtoDocs.directory.path)")
        #expect(!ProtoDocs.examples.isEmpty)
        #expect(ProtoDocs.problems.isEmpty, "\(ProtoDocs.problems.joined(separator: "\n"))")
    }

    @Test(arguments: ProtoDocs.examples(.request))
    func requestDecodes(_ example: ProtoDocsExample) {
        do throws(CallsError) {
            _ = try BusRequest(frame: example.data)
        } catch {
            Issue.record("not a valid request frame: \(error.message)")
        }
    }

    @Test(arguments: ProtoDocs.examples(.invalidRequest))
    func invalidRequestIsRefusedAsItsReplySays(_ example: ProtoDocsExample) throws {
        let replyText = try #require(example.nextReply, "an invalid-request block must be followed by its reply")
        let reply = try ReplyEnvelope(Data(replyText.utf8))
        do throws(CallsError) {
            _ = try BusRequest(frame: example.data)
            #expect(reply.statusCode != 0, "the frame decodes, so its documented reply must refuse it")
        } catch {
            #expect(reply.statusCode == error.code.statusCode, "decoding refuses it with: \(error.message)")
        }
    }

    @Test(arguments: ProtoDocs.examples(.reply))
    func replyHasTheEnvelope(_ example: ProtoDocsExample) throws {
        let reply = try ReplyEnvelope(example.data)
        if reply.statusCode == 0 {
            let payload = try JSONDecoder().decode(SuccessPayload.self, from: example.data)
            if payload.calls != nil {
                #expect(payload.seq != nil, "a calls.list reply carries its snapshot's seq")
            }
            for call in (payload.calls ?? []) + [payload.call].compactMap(\.self) {
                CallContract.check(call)
            }
            for event in payload.events ?? [] {
                #expect(event.topic != nil, "a replayed event carries its topic")
                CallContract.check(event)
            }
        } else {
            #expect(CallsError.Code(statusCode: reply.statusCode) != nil, "unknown statusCode \(reply.statusCode)")
        }
    }

    @Test(arguments: ProtoDocs.examples(.event))
    func eventDecodes(_ example: ProtoDocsExample) throws {
        let event = try JSONDecoder().decode(EventMessage.self, from: example.data)
        #expect(event.topic == nil, "an event body has no topic key; the topic is its own frame")
        let topic = try #require(example.topic, "an event block needs a `topic: calls/...` line above it")
        #expect(topic.hasPrefix(EventTopic.allCalls) && topic.hasSuffix("/" + event.call.id), "topic \(topic)")
        let owner = topic.dropFirst(EventTopic.allCalls.count).dropLast(event.call.id.count + 1)
        #expect(!owner.isEmpty && !owner.contains("/"), "topic \(topic) names no owner")
        CallContract.check(event)
    }

    @Test(arguments: ProtoDocs.examples(.call))
    func callDecodes(_ example: ProtoDocsExample) throws {
        CallContract.check(try JSONDecoder().decode(CallResource.self, from: example.data))
    }

    /// Contract section 8: a device event body and the device objects in it, key by key.
    @Test(arguments: ProtoDocs.examples(.deviceEvent))
    func deviceEventDecodes(_ example: ProtoDocsExample) throws {
        let body = try #require(try JSONValue(parsing: example.data).objectValue)
        #expect(Set(body.keys) == ["deviceSeq", "messageType", "devices"])
        #expect(body["messageType"] == .string(DevicePresentation.deviceStateChange))
        #expect(example.topic?.hasPrefix(EventTopic.allDevices) == true)
        guard case .array(let devices)? = body["devices"] else { throw CallsError.invalidParameter("no devices") }
        for device in devices {
            let object = try #require(device.objectValue)
            let keys = Set(object.keys)
            #expect(
                keys.isSuperset(of: ["id", "uri", "path", "deviceState", "userState", "doNotDisturb", "capabilities"]))
            #expect(keys.subtracting(["phoneNumber"]).count == 7)
            let capability = object["doNotDisturb"] == .string("On") ? "DoNotDisturbOff" : "DoNotDisturbOn"
            #expect(object["capabilities"] == .array([.string(capability)]))
        }
    }

    @Test func everyOperationHasARequestExample() {
        let documented = Set(ProtoDocs.examples(.request).compactMap { try? BusRequest(frame: $0.data).operation })
        for operation in BusOperation.allCases {
            #expect(documented.contains(operation), "no `json request` example for \(operation.rawValue)")
        }
    }

    @Test func everyNotificationTypeHasAnEventExample() {
        let events = ProtoDocs.examples(.event).compactMap {
            try? JSONDecoder().decode(EventMessage.self, from: $0.data)
        }
        #expect(!events.isEmpty, "no `json event` example")
        for type in NotificationType.allCases {
            #expect(events.contains { $0.notificationType == type }, "no `json event` example for \(type.rawValue)")
        }
    }
}

/// The reply envelope, read loosely enough to report what is wrong with it.
private struct ReplyEnvelope {
    var statusCode: Int

    init(_ data: Data) throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: data)
        let object = try #require(value.objectValue, "a reply is a JSON object")
        guard case .number(let code)? = object["statusCode"], code.rounded() == code, abs(code) < 1e9 else {
            Issue.record("statusCode must be an integer, not \(object["statusCode"]?.typeName ?? "absent")")
            throw EnvelopeError()
        }
        statusCode = Int(code)
        switch object["statusMessage"] {
        case nil: #expect(statusCode == 0, "an error reply carries a statusMessage")
        case .string(let message)?: #expect(statusCode != 0 && !message.isEmpty, "statusMessage only on errors")
        case let other?: Issue.record("statusMessage must be a string, not \(other.typeName)")
        }
    }

    struct EnvelopeError: Error {}
}

/// What a success reply may carry besides `statusCode`.
private struct SuccessPayload: Decodable {
    var seq: UInt64?
    var call: CallResource?
    var calls: [CallResource]?
    var events: [EventMessage]?
}

/// The contract's rules for a call object (section 1 and 2) that an example can break.
private enum CallContract {
    static func check(_ event: EventMessage) {
        #expect(event.messageType == EventMessage.callStateChange)
        #expect(event.seq >= 1 && event.ownerSeq >= 1 && event.ownerSeq <= event.seq)
        #expect((event.digits != nil) == (event.notificationType == .dtmfSent), "digits only, and always, for DtmfSent")
        check(event.call)
    }

    static func check(_ call: CallResource) {
        // The capabilities are those of the call alone, or of the call in some consult pair.
        var derived = Call(
            id: call.id, deviceId: "-", state: call.state, callType: call.callType, participants: call.participants,
            mute: call.mute, parentCallId: call.parentCallUri.map { _ in "p" }, recordingState: call.recordingState)
        var situations: [ConsultPairRole?] = [nil]
        for state in CallState.allCases where state.isLive {
            let partner = Call(id: "p", deviceId: "-", state: state, callType: .consult)
            situations += [.parent(consult: partner), .consult(parent: partner)]
        }
        let possible = ConsultOrigin.allCases.flatMap { origin in
            derived.consultOrigin = call.parentCallUri == nil ? nil : origin
            return situations.map { Set(derived.capabilities(in: $0)) }
        }
        #expect(possible.contains(Set(call.capabilities)), "capabilities of \(call.id) in \(call.state)")
        #expect(Set(call.capabilities).count == call.capabilities.count, "capabilities of \(call.id) repeat")
        #expect(call.ani == nil || call.callType == .inbound, "ani only on inbound calls")
        #expect(call.path.hasPrefix("/calls/"), "path of \(call.id)")
        #expect(call.uri.hasSuffix("/api/v2/me" + call.path), "uri of \(call.id)")
        #expect(call.deviceUri.contains("/api/v2/devices/"))
        let plusNumbers = call.participants.filter { $0.hasPrefix("+") }
        #expect(call.participantsInfo.allSatisfy { plusNumbers.contains($0.e164Digits) })
    }
}

/// One fenced example of `proto-docs/`, with where it was found.
struct ProtoDocsExample: Sendable, CustomTestStringConvertible {
    /// What a block holds, by its info string.
    enum Kind: String, Sendable, CaseIterable {
        case request = "json request"
        case invalidRequest = "json invalid-request"
        case reply = "json reply"
        case event = "json event"
        case call = "json call"
        case deviceEvent = "json device-event"
    }

    /// The page, relative to `proto-docs/`.
    var file: String
    /// The line of the opening fence, from 1.
    var line: Int
    var kind: Kind
    var text: String
    /// For an event: the `topic: ...` line between the previous block and this one.
    var topic: String?
    /// For an invalid request: the next reply block of the same page.
    var nextReply: String?

    var data: Data { Data(text.utf8) }
    var testDescription: String { "\(file):\(line) \(kind.rawValue)" }
}

/// The pages of `proto-docs/` and the examples in them, read once.
enum ProtoDocs {
    /// `proto-docs/` at the repository root, three levels above this file.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("proto-docs").resolvingSymlinksInPath()

    static let pages: [URL] = {
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.allObjects ?? []
        return files.compactMap { $0 as? URL }.filter { $0.pathExtension == "md" }.sorted { $0.path < $1.path }
    }()

    static let parsed: (examples: [ProtoDocsExample], problems: [String]) = {
        var examples: [ProtoDocsExample] = []
        var problems: [String] = []
        for page in pages {
            let name = String(page.standardizedFileURL.path.dropFirst(directory.standardizedFileURL.path.count + 1))
            guard let text = try? String(contentsOf: page, encoding: .utf8) else {
                problems.append("\(name): not readable as UTF-8")
                continue
            }
            let found = parse(text, file: name, problems: &problems)
            examples += found.enumerated().map { index, example in
                var example = example
                if example.kind == .invalidRequest {
                    example.nextReply = found[(index + 1)...].first { $0.kind == .reply }?.text
                }
                return example
            }
        }
        return (examples, problems)
    }()

    static var examples: [ProtoDocsExample] { parsed.examples }
    static var problems: [String] { parsed.problems }

    static func examples(_ kind: ProtoDocsExample.Kind) -> [ProtoDocsExample] {
        examples.filter { $0.kind == kind }
    }

    /// The labelled blocks of one page; a `json…` block with another label, or an unclosed fence, is a problem.
    private static func parse(_ text: String, file: String, problems: inout [String]) -> [ProtoDocsExample] {
        var examples: [ProtoDocsExample] = []
        var topic: String?
        var open: (fence: String, info: String, line: Int, body: [Substring])?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if var block = open {
                if line.trimmingCharacters(in: .whitespaces) == block.fence {
                    if let kind = ProtoDocsExample.Kind(rawValue: block.info) {
                        let body = block.body.joined(separator: "\n")
                        examples.append(
                            ProtoDocsExample(
                                file: file, line: block.line, kind: kind, text: body,
                                topic: kind == .event || kind == .deviceEvent ? topic : nil))
                    } else if block.info.hasPrefix("json") {
                        problems.append("\(file):\(block.line): unknown example label '\(block.info)'")
                    }
                    open = nil
                    topic = nil
                } else {
                    block.body.append(line)
                    open = block
                }
            } else if line.hasPrefix("```") {
                let fence = String(line.prefix { $0 == "`" })
                let info = line.dropFirst(fence.count).trimmingCharacters(in: .whitespaces)
                open = (fence, info, index + 1, [])
            } else if line.hasPrefix("topic: ") {
                topic = String(line.dropFirst("topic: ".count)).trimmingCharacters(in: .whitespaces)
            }
        }
        if let open { problems.append("\(file):\(open.line): the fence is never closed") }
        return examples
    }
}
