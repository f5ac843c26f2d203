"""A real PostgreSQL 15 server for the Python tests: one per test session, on a free port of
127.0.0.1 in a temporary directory, run as the `postgres` user when the tests run as root (initdb
refuses root), with PostgreSQL's durable defaults (fsync on: the bus refuses less). TCP logins use
a password (SCRAM); the Unix socket in the directory trusts, for the harness's own psql. A
watchdog shell beside the server stops it once the test process is gone, even after a crash.
Each test takes a database of its own (`PostgresServer.make_database`).

The Swift harness (Sources/CallsTesting/TestPostgres.swift) does the same; both share the initdb
template under /tmp."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BINARIES = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "calls-test-secret"


def _as_postgres() -> list[str]:
    if os.getuid() != 0:
        return []
    return ["/usr/bin/setpriv", "--reuid", "postgres", "--regid", "postgres", "--init-groups", "--"]


def _give_to_postgres(path: str) -> None:
    if os.getuid() == 0:
        subprocess.run(["/bin/chown", "-R", "postgres:postgres", path], check=True)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (bound, read back, closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _template() -> str:
    """The initdb'd cluster that every server copies, made once per machine."""
    path = f"/tmp/calls-postgres-template-15-uid{os.getuid()}"
    if Path(path, "data", "PG_VERSION").exists():
        return path
    building = tempfile.mkdtemp(prefix="calls-", dir="/tmp")
    password_file = Path(building, "password")
    password_file.write_text(PASSWORD)
    _give_to_postgres(building)
    subprocess.run(
        _as_postgres()
        + [str(BINARIES / "initdb"), "-D", f"{building}/data", "-U", "postgres", f"--pwfile={password_file}",
           "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"],
        check=True, capture_output=True,
    )
    try:
        os.rename(building, path)
    except OSError:  # another process made it meanwhile
        shutil.rmtree(building, ignore_errors=True)
    return path


class PostgresServer:
    """A started server; `stop()` ends it (the watchdog would anyway at process exit)."""

    def __init__(self) -> None:
        template = _template()
        self.directory = tempfile.mkdtemp(prefix="calls-", dir="/tmp")
        subprocess.run(["/bin/cp", "-a", f"{template}/data", f"{self.directory}/data"], check=True)
        _give_to_postgres(self.directory)
        self.port = free_port()
        self._counter = itertools.count(1)
        # The watchdog starts the server, starts it again after a `restart()` (the `restart` file),
        # and stops it once the test process is gone.
        script = f"""
            dir="$1"; port="$2"; parent="$3"
            start() {{
                {' '.join(_as_postgres())} {BINARIES}/postgres -D "$dir/data" -p "$port" -k "$dir" \\
                    -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=16MB >> "$dir/log" 2>&1 &
                server=$!
            }}
            start
            trap 'kill -QUIT $server 2>/dev/null' TERM
            alive() {{ [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }}
            while alive "$parent"; do
                if ! kill -0 $server 2>/dev/null; then
                    wait $server
                    [ -e "$dir/restart" ] || break
                    rm -f "$dir/restart"; start
                fi
                sleep 0.1
            done
            kill -QUIT $server 2>/dev/null; wait $server; rm -rf "$dir"
        """
        self._watchdog = subprocess.Popen(
            ["/bin/sh", "-c", script, "watchdog", self.directory, str(self.port), str(os.getpid())],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while subprocess.run(
            [str(BINARIES / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        ).returncode != 0:
            if time.monotonic() > deadline or self._watchdog.poll() is not None:
                log = Path(self.directory, "log").read_text(errors="replace") if Path(self.directory, "log").exists() else ""
                raise RuntimeError(f"PostgreSQL did not start on port {self.port}: {log}")
            time.sleep(0.05)

    def restart(self) -> None:
        """Stops the server (fast shutdown: every connection is cut, as in a real restart), starts
        it again on the same port and data, and waits until it accepts connections."""
        Path(self.directory, "restart").write_text("")
        pid = int(Path(self.directory, "data", "postmaster.pid").read_text().split()[0])
        os.kill(pid, 2)  # SIGINT: fast shutdown
        deadline = time.monotonic() + 30
        while Path(self.directory, "restart").exists():
            assert time.monotonic() < deadline, "PostgreSQL was not restarted"
            time.sleep(0.02)
        self.wait_ready(deadline)

    def wait_ready(self, deadline: float) -> None:
        while subprocess.run(
            [str(BINARIES / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        ).returncode != 0:
            assert time.monotonic() < deadline, "PostgreSQL did not come back"
            time.sleep(0.05)

    def url(self, database: str, user: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgres://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Runs SQL as the superuser through the Unix socket; returns the rows, `|` between columns."""
        done = subprocess.run(
            [str(BINARIES / "psql"), "-h", self.directory, "-p", str(self.port), "-U", "postgres", "-d", database,
             "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True, text=True, timeout=30,
        )
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout

    def make_database(self) -> str:
        """Creates an empty database; returns its URL (superuser with password)."""
        name = f"test_{os.getpid()}_{next(self._counter)}"
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        if self._watchdog.poll() is None:
            self._watchdog.terminate()
            self._watchdog.wait(timeout=30)
