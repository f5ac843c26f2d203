import Calls
import CallsJSON

extension BenchFixtures {
    /// ``directory`` as a directory file (`{"principals": [...]}`), for a bus started as a program.
    static var directoryFile: [UInt8] {
        let principals = directory.principals.map { principal -> JSONValue in
            .object([
                "id": .string(principal.id), "role": .string(principal.role.rawValue),
                "devices": .array(principal.devices.map(JSONValue.string)),
            ])
        }
        var writer = JSONWriter()
        writer.value(.object(["principals": .array(principals)]))
        return writer.bytes
    }
}
