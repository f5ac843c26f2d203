import Calls
import CallsBusMessages
import Foundation
import PropertyBased
import Testing

/// Whatever bytes arrive, decoding a request ends in a request or a status 1 or 2: never a trap.
struct BusRequestPropertyTests {
    @Test func arbitraryBytesNeverCrashTheDecoder() async {
        await propertyCheck(count: 2_000, input: Gen.uint8().array(of: 0...400)) { bytes in
            do throws(CallsError) {
                _ = try BusRequest(frame: Data(bytes))
            } catch {
                #expect([1, 2].contains(error.code.statusCode))
                #expect(!error.message.isEmpty)
            }
        }
    }

    static let tokens = [
        "{", "}", "[", "]", ":", ",", "\"op\"", "\"user\"", "\"id\"", "\"calls.get\"", "\"admin\"", "\"", "\\", "\\u",
        "d83d", "null", "true", "false", "0", "-1", "1e309", "1.5", " ", "\n", "é", "\u{0}",
    ]

    @Test func jsonShapedJunkNeverCrashesTheDecoder() async {
        await propertyCheck(count: 2_000, input: Gen.element(of: Self.tokens).array(of: 0...80)) { tokens in
            let frame = Data(tokens.compactMap { $0 }.joined().utf8)
            do throws(CallsError) {
                let request = try BusRequest(frame: frame)
                #expect(BusOperation.allCases.contains(request.operation))
            } catch {
                #expect([1, 2].contains(error.code.statusCode))
            }
        }
    }
}
