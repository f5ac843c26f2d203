import ArgumentParser

/// The exit codes that `calls --help` documents.
enum ExitStatus {
    /// The bus refused the request.
    static let refused = ExitCode(1)
    /// A usage error: a bad option, argument or input file.
    static let usage = ExitCode(2)
    /// The bus did not answer.
    static let unavailable = ExitCode(3)
}
