import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A CURVE certificate in CZMQ's `zcert` text format, so keys interoperate with ZeroMQ tooling.
///
/// A public certificate holds `metadata` (such as `principal = "gateway"`) and the `curve`
/// section's `public-key`; the secret certificate (`NAME_secret`) also holds `secret-key`. Both are
/// Z85 text.
public struct CurveCertificate: Sendable, Hashable {
    /// The public key; always present.
    public var publicKey: CurveKey
    /// The secret key; only in a secret certificate.
    public var secretKey: CurveKey?
    /// The `metadata` section's name-value pairs.
    public var metadata: [String: String]

    /// Creates a certificate from its parts.
    public init(publicKey: CurveKey, secretKey: CurveKey? = nil, metadata: [String: String] = [:]) {
        self.publicKey = publicKey
        self.secretKey = secretKey
        self.metadata = metadata
    }

    /// The key pair of a secret certificate; `nil` for a public one.
    public var keyPair: CurveKeyPair? {
        guard let secretKey, let pair = try? CurveKeyPair(secretKey: secretKey), pair.publicKey == publicKey else {
            return nil
        }
        return pair
    }

    /// Reads a certificate file.
    /// - Throws: ``CurveCertificateError`` naming the file and the problem.
    public init(contentsOf path: String) throws(CurveCertificateError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CurveCertificateError(path: path, message: "cannot be read (\(error.localizedDescription))")
        }
        try self.init(text: text, path: path)
    }

    /// Parses certificate text; `path` only names it in errors.
    /// - Throws: ``CurveCertificateError`` when there is no valid `public-key`, or a key is not Z85.
    public init(text: String, path: String = "certificate") throws(CurveCertificateError) {
        var section = ""
        var values: [String: [String: String]] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.first?.isWhitespace == false {
                section = trimmed
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw CurveCertificateError(
                    path: path, message: "has a line that is neither a section nor name = value: \(trimmed)")
            }
            let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            values[section, default: [:]][name] = value
        }
        guard let publicText = values["curve"]?["public-key"] else {
            throw CurveCertificateError(path: path, message: "has no curve public-key")
        }
        guard let publicKey = CurveKey(z85: publicText) else {
            throw CurveCertificateError(path: path, message: "has a public-key that is not a 40-character Z85 key")
        }
        var secretKey: CurveKey?
        if let secretText = values["curve"]?["secret-key"] {
            guard let key = CurveKey(z85: secretText) else {
                throw CurveCertificateError(path: path, message: "has a secret-key that is not a 40-character Z85 key")
            }
            secretKey = key
        }
        self.init(publicKey: publicKey, secretKey: secretKey, metadata: values["metadata"] ?? [:])
    }

    /// Writes the public certificate to `publicPath` and, for a secret certificate, the secret one to
    /// `secretPath`, readable by its owner only (mode 0600) from the moment it exists.
    /// - Throws: ``CurveCertificateError`` naming the file that could not be written.
    public func save(publicTo publicPath: String, secretTo secretPath: String?) throws(CurveCertificateError) {
        guard FileManager.default.createFile(atPath: publicPath, contents: Data(publicText.utf8)) else {
            throw CurveCertificateError(path: publicPath, message: "cannot be written")
        }
        guard let secretPath, let secretText else { return }
        try Self.writeSecret(Data(secretText.utf8), to: secretPath)
    }

    /// Writes a secret file that no one else can read at any moment: a temporary file created
    /// 0600 (whatever the umask) beside it, synced, then renamed over `path`. Foundation's
    /// `createFile(attributes:)` creates with the default mode and tightens it only afterwards.
    private static func writeSecret(_ contents: Data, to path: String) throws(CurveCertificateError) {
        let temporary = path + ".tmp-\(UInt32.random(in: .min ... .max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CurveCertificateError(path: path, message: "cannot be written: \(String(cString: strerror(errno)))")
        }
        let written = contents.withUnsafeBytes { bytes in write(descriptor, bytes.baseAddress, bytes.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == contents.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CurveCertificateError(path: path, message: "cannot be written: \(reason)")
        }
    }

    /// The public certificate's text (never the secret key).
    public var publicText: String { text(includingSecret: false) }

    /// The secret certificate's text; `nil` for a public certificate.
    public var secretText: String? { secretKey == nil ? nil : text(includingSecret: true) }

    private func text(includingSecret: Bool) -> String {
        var lines = [
            "#   ****  Generated by calls  ****",
            includingSecret
                ? "#   ZeroMQ CURVE **Secret** Certificate\n#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions."
                : "#   ZeroMQ CURVE Public Certificate\n#   Exchange securely, or use a secure mechanism to verify the contents\n#   of this file after exchange.",
            "",
            "metadata",
        ]
        for name in metadata.keys.sorted() { lines.append("    \(name) = \"\(metadata[name]!)\"") }
        lines.append("curve")
        lines.append("    public-key = \"\(publicKey.z85)\"")
        if includingSecret, let secretKey { lines.append("    secret-key = \"\(secretKey.z85)\"") }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A certificate file that cannot be used.
public struct CurveCertificateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// What is wrong with it.
    public var message: String

    /// Creates an error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "CURVE certificate \(path) \(message)" }
}
