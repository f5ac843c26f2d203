"""Runs a command with `--postgres-url URL` added, URL naming a temporary PostgreSQL 15 server.

`make bench` runs calls-bench through this: the server is the one of the Python outside tests
(Tests/python/postgres.py: a copy of an initdb'd cluster in a temporary directory, 127.0.0.1 on a
free port, run as the postgres user when running as root, fsync on). It is stopped when the
command ends, whatever its status, and its watchdog stops it even if this script is killed.
Without PostgreSQL's programs the command runs without the option, and calls-bench reports its
PostgreSQL scenarios as not measured.

    python3 Tests/bench/with_postgres.py COMMAND [ARGUMENTS...]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))

from postgres import BINARIES, PostgresServer  # noqa: E402


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    if not (BINARIES / "postgres").exists():
        print(f"with_postgres: no PostgreSQL in {BINARIES} (`make deps` installs it); running without --postgres-url",
              file=sys.stderr)
        return subprocess.run(command).returncode
    server = PostgresServer()
    try:
        print(f"with_postgres: temporary PostgreSQL server on 127.0.0.1:{server.port}", file=sys.stderr)
        return subprocess.run(command + ["--postgres-url", server.url("postgres")]).returncode
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
