import CallsJSON
import Foundation
import Testing

struct JSONWriterTests {
    @Test func writesObjectsArraysAndScalarsWithCommas() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("a/b", key: "path")
        writer.integer(7, key: "seq")
        writer.number(1.5, key: "half")
        writer.number(3, key: "whole")
        writer.bool(false, key: "off")
        writer.null(key: "nothing")
        writer.strings(["x", "y"], key: "list")
        writer.beginArray("empty")
        writer.endArray()
        writer.beginObject("inner")
        writer.endObject()
        writer.endObject()
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(
            text
                == #"{"path":"a/b","seq":7,"half":1.5,"whole":3,"off":false,"nothing":null,"list":["x","y"],"empty":[],"inner":{}}"#
        )
        #expect(writer.data == Data(text.utf8))
    }

    @Test func escapesWhatJSONRequires() {
        var writer = JSONWriter()
        writer.string("\"\\\n\r\t\u{0}\u{1F}é")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""\"\\\n\r\t\u0000\u001fé""#)
    }

    @Test func sortsObjectKeysOfJSONValues() {
        var writer = JSONWriter()
        writer.value(["b": 1, "a": ["d": 2, "c": 3], "E": 4])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"E":4,"a":{"c":3,"d":2},"b":1}"#)
    }
}
