import Calls
public import CallsJSON

extension JSONValue {
    /// The value under `key` of an object; `nil` for other values or a missing key.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// The element at `index` of an array; `nil` for other values or out of range.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// A whole number, when the value is one.
    public var intValue: Int? {
        guard case .number(let number) = self, number.rounded() == number, abs(number) < 9e15 else { return nil }
        return Int(number)
    }

    /// The elements, when the value is an array.
    public var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// The `statusCode` of a reply.
    public var statusCode: Int? { self["statusCode"]?.intValue }
}
