public import Foundation
import Synchronization

/// A real PostgreSQL server for the tests of one process: started once, lazily, on a free port of
/// 127.0.0.1 in a temporary directory, and stopped when the process ends (a watchdog shell beside
/// it polls the test process, so a crashed test run leaves no server behind). Each test takes a
/// database of its own with ``makeDatabase()``.
///
/// The server runs as the `postgres` user when the tests run as root (initdb refuses root). It
/// keeps PostgreSQL's durable defaults (`fsync = on`): the store refuses anything less. TCP logins
/// use a password (SCRAM); the Unix socket in the directory trusts, for the harness's own `psql`.
/// The cluster made by initdb is kept under `/tmp` as a template and copied for later processes,
/// which then start in about a second.
public final class TestPostgres: Sendable {
    /// The superuser's password for TCP logins.
    public static let password = "calls-test-secret"
    /// The server, started at the first call; the error when it could not start.
    public static func shared() throws -> TestPostgres { try started.get() }

    private static let started = Result { try TestPostgres(settings: []) }

    /// Starts a server of its own, apart from the shared one, with extra settings (`name=value`,
    /// e.g. `fsync=off`); it stops when the test process ends.
    public static func separate(settings: [String]) throws -> TestPostgres { try TestPostgres(settings: settings) }
    private static let binaries = "/usr/lib/postgresql/15/bin"

    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The directory holding the cluster, its log and its Unix socket.
    public let directory: String
    private let counter = Atomic<Int>(0)

    private init(settings: [String]) throws {
        let template = try Self.template()
        let folder = TemporaryDirectory()
        directory = folder.path
        try Self.run("/bin/cp", ["-a", template + "/data", directory + "/data"])
        try Self.giveToPostgres(directory)
        port = try Self.freePort()
        // The watchdog: the server's parent shell stops it (and removes the directory) once the
        // test process is gone or a zombie; an immediate shutdown, as nothing of it is kept.
        let script = """
            \(Self.asPostgres.joined(separator: " ")) \(Self.binaries)/postgres -D "$1/data" -p "$2" -k "$1" \
            -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=16MB \
            \(settings.map { "-c \($0)" }.joined(separator: " ")) > "$1/log" 2>&1 &
            server=$!
            alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
            while alive "$3" && kill -0 $server 2>/dev/null; do sleep 0.3; done
            kill -QUIT $server 2>/dev/null; wait $server; rm -rf "$1"
            """
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", script, "watchdog", directory, "\(port)", "\(getpid())"]
        // Not the test process's pipes: its runner waits for them to close before it reaps the process.
        watchdog.standardInput = FileHandle.nullDevice
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try ProcessLaunch.run(watchdog)
        let deadline = Date().addingTimeInterval(30)
        while (try? Self.run(Self.binaries + "/pg_isready", ["-q", "-h", "127.0.0.1", "-p", "\(port)"])) == nil {
            guard Date() < deadline, watchdog.isRunning else {
                let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
                throw TestPostgresError(message: "PostgreSQL did not start on port \(port): \(log)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Creates an empty database.
    /// - Returns: its URL, with the superuser and its password.
    public func makeDatabase() throws -> String {
        let name = "test_\(getpid())_\(counter.add(1, ordering: .relaxed).newValue)"
        _ = try psql("CREATE DATABASE \(name)", database: "postgres")
        return url(database: name)
    }

    /// The URL of `database` for `user` with `password`.
    public func url(database: String, user: String = "postgres", password: String = TestPostgres.password) -> String {
        "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)"
    }

    /// The database name at the end of a URL that ``makeDatabase()`` gave.
    public static func databaseName(of url: String) -> String {
        String(url.split(separator: "/").last ?? "")
    }

    /// Runs SQL as the superuser through the Unix socket.
    /// - Returns: the rows, one a line, columns separated by `|`.
    @discardableResult
    public func psql(_ sql: String, database: String) throws -> String {
        try Self.run(
            Self.binaries + "/psql",
            [
                "-h", directory, "-p", "\(port)", "-U", "postgres", "-d", database, "-X", "-A", "-t", "-v",
                "ON_ERROR_STOP=1", "-c", sql,
            ])
    }

    /// The initdb'd cluster that every process copies, made once per machine.
    private static func template() throws -> String {
        let path = "/tmp/calls-postgres-template-15-uid\(getuid())"
        if FileManager.default.fileExists(atPath: path + "/data/PG_VERSION") { return path }
        let building = TemporaryDirectory()
        try giveToPostgres(building.path)
        let passwordFile = building.file("password")
        try Data(password.utf8).write(to: URL(fileURLWithPath: passwordFile))
        try giveToPostgres(passwordFile)
        let initdb =
            asPostgres + [
                binaries + "/initdb", "-D", building.file("data"), "-U", "postgres", "--pwfile=" + passwordFile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
            ]
        try run(initdb[0], Array(initdb.dropFirst()))
        // Another process may have made it meanwhile: then its copy is used and ours removed.
        if rename(building.path, path) != 0 { building.remove() }
        return path
    }

    /// The prefix that runs a program as `postgres` when the tests run as root.
    private static var asPostgres: [String] {
        getuid() == 0 ? ["/usr/bin/setpriv", "--reuid", "postgres", "--regid", "postgres", "--init-groups", "--"] : []
    }

    private static func giveToPostgres(_ path: String) throws {
        guard getuid() == 0 else { return }
        try run("/bin/chown", ["-R", "postgres:postgres", path])
    }

    /// A TCP port of 127.0.0.1 that nothing listens on (bound, read back, closed).
    public static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else { throw TestPostgresError(message: "no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a program to its end.
    @discardableResult
    /// - Returns: its standard output.
    /// - Throws: ``TestPostgresError`` with its standard error when it fails.
    private static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try ProcessLaunch.run(process)
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let failure = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestPostgresError(
                message: "\(program) failed: " + (String(data: failure, encoding: .utf8) ?? ""))
        }
        return String(data: text, encoding: .utf8) ?? ""
    }
}

/// The test server could not be started or asked.
public struct TestPostgresError: Error, CustomStringConvertible {
    /// What failed, with the program's own words.
    public var message: String
    public var description: String { message }
}
