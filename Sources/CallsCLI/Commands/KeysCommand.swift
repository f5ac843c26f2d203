import ArgumentParser
import Foundation
import ZMQ

/// `calls keys`: CURVE key pairs for the bus and its clients.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make CURVE key pairs (CZMQ zcert certificates) for the bus and its clients.",
        subcommands: [GenerateKeysCommand.self]
    )
}

/// `calls keys generate NAME`: writes `NAME.pub` and `NAME_secret` (mode 0600).
struct GenerateKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a new key pair: NAME.pub (give it out) and NAME_secret (mode 0600, keep it).",
        discussion: """
            The public certificate's metadata names the principal the key speaks for; copy it into
            the bus's --curve-clients folder to admit the client. The bus's own pair is made the same
            way: it starts with --curve-secret-key-file NAME_secret, and clients take NAME.pub as
            --curve-server-key-file.
            """
    )

    @Argument(help: "The pair's name: the files are NAME.pub and NAME_secret.")
    var name: String

    @Option(help: "The principal the key speaks for, written into the certificate (default: NAME).")
    var principal: String?

    @Option(help: "The folder to write into (default: the current folder).")
    var directory: String = "."

    @Flag(help: "Replace existing files of the same name.")
    var force = false

    func validate() throws {
        guard !name.isEmpty, !name.contains("/") else {
            throw ValidationError("NAME must be a plain file name, without '/'")
        }
    }

    func run() async throws {
        do {
            try write()
        } catch {
            throw BusSession.exitCode(reporting: error)
        }
    }

    private func write() throws {
        let folder = URL(fileURLWithPath: directory)
        let publicPath = folder.appendingPathComponent("\(name).pub").path
        let secretPath = folder.appendingPathComponent("\(name)_secret").path
        for path in [publicPath, secretPath] where FileManager.default.fileExists(atPath: path) && !force {
            throw UsageFailure("\(path) exists; pass --force to replace it")
        }
        for path in [publicPath, secretPath] where force {
            try? FileManager.default.removeItem(atPath: path)
        }
        do {
            let pair = try CurveKeyPair.generate()
            let certificate = CurveCertificate(
                publicKey: pair.publicKey,
                secretKey: pair.secretKey,
                metadata: ["principal": principal ?? name]
            )
            try certificate.save(publicTo: publicPath, secretTo: secretPath)
        } catch {
            throw UsageFailure("cannot write the key pair: \(error)")
        }
        print("wrote \(publicPath) (public) and \(secretPath) (secret, mode 0600)")
    }
}
