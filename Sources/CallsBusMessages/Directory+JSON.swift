public import Calls
public import CallsJSON
public import Foundation

extension Directory {
    /// Reads a directory file: `{"principals": [{"id", "role", "devices", "passwordHash", "actsForUsers"}...]}`.
    /// - Throws: ``DirectoryError`` when the file cannot be read or breaks a rule.
    public init(contentsOf url: URL) throws(DirectoryError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DirectoryError(
                code: .unreadable,
                message: "cannot read the directory file \(url.path)",
                underlying: error
            )
        }
        try self.init(jsonData: data)
    }

    /// Reads a directory from the JSON of a directory file; unknown keys are ignored.
    /// - Throws: ``DirectoryError`` when it is not JSON of that shape or breaks a rule.
    public init(jsonData: Data) throws(DirectoryError) {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: jsonData)
        } catch {
            throw DirectoryError(code: .invalidJSON, message: "the directory is not valid JSON", underlying: error)
        }
        guard case .array(let entries)? = root.objectValue?["principals"] else {
            throw DirectoryError(
                code: .invalidJSON,
                message: "the directory must be an object with a \"principals\" array"
            )
        }
        var principals: [Principal] = []
        for (index, entry) in entries.enumerated() {
            principals.append(try Self.principal(from: entry, number: index + 1))
        }
        try self.init(principals: principals)
    }

    private static func principal(from entry: JSONValue, number: Int) throws(DirectoryError) -> Principal {
        guard let fields = entry.objectValue else {
            throw DirectoryError(code: .invalidJSON, message: "principal #\(number) is not an object")
        }
        guard let id = fields["id"]?.stringValue, !id.isEmpty else {
            throw DirectoryError(code: .missingId, message: "principal #\(number) has no id (a non-empty string)")
        }
        let name = "principal '\(id)'"
        let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
        guard let roleName = fields["role"]?.stringValue else {
            throw DirectoryError(code: .invalidRole, message: "\(name) has no role (one of \(known))")
        }
        guard let role = Role(rawValue: roleName) else {
            throw DirectoryError(code: .invalidRole, message: "\(name): role '\(roleName)' is not one of \(known)")
        }
        var devices: [String] = []
        var phoneNumbers: [String: String] = [:]
        let deviceRule = "devices must be an array of ids or of {\"id\": \"...\", \"phoneNumber\": \"...\"} objects"
        switch fields["devices"] {
        case nil, .null?:
            break
        case .array(let values)?:
            for value in values {
                switch value {
                case .string(let device):
                    devices.append(device)
                case .object(let object):
                    guard case .string(let device)? = object["id"] else {
                        throw DirectoryError(
                            code: .invalidDevice, message: "\(name): a device object needs a string 'id'")
                    }
                    switch object["phoneNumber"] {
                    case nil, .null?: break
                    case .string(let number)?: phoneNumbers[device] = number
                    default:
                        throw DirectoryError(
                            code: .invalidDevice, message: "\(name): device '\(device)': phoneNumber must be a string")
                    }
                    devices.append(device)
                default:
                    throw DirectoryError(code: .invalidDevice, message: "\(name): " + deviceRule)
                }
            }
        default:
            throw DirectoryError(code: .invalidDevice, message: "\(name): " + deviceRule)
        }
        var passwordHash: String?
        switch fields["passwordHash"] {
        case nil, .null?: passwordHash = nil
        case .string(let hash)?: passwordHash = hash
        default:
            throw DirectoryError(code: .invalidPasswordHash, message: "\(name): passwordHash must be a string")
        }
        var actsForUsers = false
        switch fields["actsForUsers"] {
        case nil, .null?: actsForUsers = false
        case .bool(let value)?: actsForUsers = value
        default:
            throw DirectoryError(code: .invalidJSON, message: "\(name): actsForUsers must be true or false")
        }
        return Principal(
            id: id, role: role, devices: devices, passwordHash: passwordHash, actsForUsers: actsForUsers,
            devicePhoneNumbers: phoneNumbers)
    }
}
