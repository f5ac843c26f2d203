"""Buses of a group sharing one PostgreSQL database (contract section 10), as processes.

Each `GroupBus` is a real `calls-bus` started with `--database-url` and its own loopback TCP
endpoints; the test reads only its stderr log to learn whether it stands by or is active.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from busclient import DIRECTORY, bus_binary

ACTIVE_LINE = "bus active: lease taken"
STANDBY_LINE = "bus standing by"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GroupBus:
    """One bus of a group; restartable (a new log file per start)."""

    def __init__(self, workdir: Path, name: str, database_url: str, lease_timeout: float, *extra: str):
        self.workdir = Path(workdir)
        self.name = name
        self.database_url = database_url
        self.lease_timeout = lease_timeout
        self.extra = list(extra)
        self.request_endpoint = f"tcp://127.0.0.1:{free_port()}"
        self.events_endpoint = f"tcp://127.0.0.1:{free_port()}"
        self.directory_path = self.workdir / "directory.json"
        if not self.directory_path.exists():
            self.directory_path.write_text(json.dumps(DIRECTORY, indent=2))
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.log_path: Path | None = None

    def start(self) -> "GroupBus":
        assert self.proc is None or self.proc.poll() is not None, f"{self.name} already running"
        self.starts += 1
        self.log_path = self.workdir / f"{self.name}-{self.starts}.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    bus_binary(), "--directory", str(self.directory_path),
                    "--database-url", self.database_url, "--lease-timeout", str(self.lease_timeout),
                    "--request-endpoint", self.request_endpoint, "--events-endpoint", self.events_endpoint,
                    *self.extra,
                ],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, cwd=self.workdir,
            )
        return self

    def log(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def count(self, line: str) -> int:
        return self.log().count(line)

    def wait_for(self, line: str, timeout: float, occurrences: int = 1) -> float:
        """Waits until `line` appears `occurrences` times in this start's log; returns when (monotonic)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count(line) >= occurrences:
                return time.monotonic()
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.01)
        raise AssertionError(f"{self.name}: no {line!r} within {timeout} s:\n{self.log()[-3000:]}")

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, sig)

    def kill(self) -> None:
        if self.is_running():
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 10.0) -> int | None:
        if not self.is_running():
            return self.proc.returncode if self.proc else None
        if self.proc is not None:
            os.kill(self.proc.pid, signal.SIGCONT)
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
