import CallsKamailio
import Testing

struct CallNamingTests {
    @Test(arguments: [
        ("1-4202@127.0.0.1", "dev-5001", "1-4202@127.0.0.1~dev-5001"),
        ("a/b c~d", "dev-1", "a_2fb_20c_7ed~dev-1"),
    ])
    func namesACallPerDeviceAndReadsItBack(sipCallId: String, deviceId: String, expected: String) throws {
        let callId = CallNaming.callId(sipCallId: sipCallId, deviceId: deviceId)
        #expect(callId == expected)
        let parts = try #require(CallNaming.parts(of: callId))
        #expect(parts.deviceId == deviceId)
    }

    @Test func otherIdsAreNotOurs() {
        #expect(CallNaming.parts(of: "0123456789abcdef0123456789abcdef") == nil)
        #expect(CallNaming.parts(of: "~dev-1") == nil)
    }
}
