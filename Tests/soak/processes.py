"""Starting the project's programs for the soak and load scripts: a free port, and a process
that counts as started once a line appears in its log."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(args: list[str], log: Path, ready: str, timeout: float = 30) -> subprocess.Popen:
    """Starts `args` with stderr to `log` and waits until `ready` appears there (or fails)."""
    with open(log, "wb") as handle:
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=handle, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready in log.read_text(errors="replace"):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.02)
    process.kill()
    raise RuntimeError(f"{args[0]} did not start:\n{log.read_text(errors='replace')[-2000:]}")


def start_bus_and_gateway(build: Path, workdir: Path, directory: Path, port: int,
                          gateway_args: list[str], gateway_prefix: list[str] = ()) -> list[subprocess.Popen]:
    """A bus on ipc endpoints in `workdir` and a gateway in front of it on 127.0.0.1:`port`."""
    endpoints = ["--request-endpoint", f"ipc://{workdir}/req", "--events-endpoint", f"ipc://{workdir}/pub"]
    bus = start([str(build / "calls-bus"), "--directory", str(directory), "--state", str(workdir / "state.sqlite"),
                 *endpoints], workdir / "bus.log", "bus started")
    gateway = start([*gateway_prefix, str(build / "calls-gateway"), "--directory", str(directory),
                     "--listen", f"127.0.0.1:{port}", *endpoints, *gateway_args],
                    workdir / "gateway.log", "listening on")
    return [bus, gateway]
