import CallsKamailio
import Testing

struct NetstringDecoderTests {
    @Test func splitsPayloadsWhateverThePieces() throws {
        let stream = Array("5:hello,0:,3:abc,".utf8)
        for cut in 0...stream.count {
            var decoder = NetstringDecoder()
            var payloads: [String] = []
            decoder.append(stream[..<cut])
            while let payload = try decoder.next() { payloads.append(String(decoding: payload, as: UTF8.self)) }
            decoder.append(stream[cut...])
            while let payload = try decoder.next() { payloads.append(String(decoding: payload, as: UTF8.self)) }
            #expect(payloads == ["hello", "", "abc"], "cut at \(cut)")
        }
    }

    @Test func waitsForTheWholePayload() throws {
        var decoder = NetstringDecoder()
        decoder.append(Array("10:12345".utf8))
        #expect(try decoder.next() == nil)
        decoder.append(Array("67890,".utf8))
        #expect(try decoder.next() == Array("1234567890".utf8))
        #expect(try decoder.next() == nil)
    }

    @Test(arguments: ["x:abc,", ":abc,", "3:abcd", "123456789:", "99999999:"])
    func refusesWhatIsNotANetstring(_ text: String) {
        var decoder = NetstringDecoder()
        decoder.append(Array(text.utf8))
        #expect(throws: NetstringError.self) {
            while try decoder.next() != nil {}
        }
    }
}
