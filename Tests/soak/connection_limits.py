#!/usr/bin/env python3
"""How many idle connections and event streams calls-gateway holds, for before/after figures.

Starts a real calls-bus and calls-gateway (the demo directory) on loopback, then:
1. opens CONNECTIONS connections, half of them silent and half stopped in the middle of a request
   head, waits WAIT seconds, and counts how many the gateway still holds open;
2. opens STREAMS event streams (`GET /api/v2/me/calls/events`) as one agent, and counts the
   answers by status.
Prints the counts. Every socket is on 127.0.0.1 and every wait bounded; the connections are
closed before it ends. Gateway flags can be passed with --gateway-arg (repeatable).

    python3 Tests/soak/connection_limits.py [--build DIR] [--wait 20]
"""

from __future__ import annotations

import argparse
import base64
import resource
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from login_flood import DIRECTORY, REPO  # noqa: E402
from processes import free_port, start_bus_and_gateway  # noqa: E402

AGENT = "Basic " + base64.b64encode(b"agent-1001:agent-1001-demo").decode()


def still_open(sock: socket.socket) -> bool:
    """False once the peer has closed (readable with nothing to read, or reset)."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return True
    try:
        return sock.recv(4096, socket.MSG_PEEK) != b""
    except OSError:
        return False


def status_of(sock: socket.socket, timeout: float) -> str:
    sock.settimeout(timeout)
    head = b""
    try:
        while b"\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                return "closed"
            head += chunk
    except socket.timeout:
        return "no answer"
    return head.split(b" ", 2)[1].decode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=str(REPO / ".build" / "debug"))
    parser.add_argument("--connections", type=int, default=300)
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--wait", type=float, default=20.0)
    parser.add_argument("--gateway-arg", action="append", default=[])
    options = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))

    build = Path(options.build)
    workdir = Path(tempfile.mkdtemp(prefix="limits-", dir="/tmp"))
    port = free_port()
    processes: list[subprocess.Popen] = []
    try:
        processes += start_bus_and_gateway(build, workdir, DIRECTORY, port, options.gateway_arg,
                                                   gateway_prefix=["prlimit", "--nofile=4096:4096"])

        held = []
        for index in range(options.connections):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            if index % 2:
                sock.sendall(b"GET /api/v2/me/calls HTTP/1.1\r\nHost: localhost\r\n")
            held.append(sock)
        time.sleep(options.wait)
        open_count = sum(still_open(sock) for sock in held)
        for sock in held:
            sock.close()
        print(f"idle and half-sent connections: {open_count} of {len(held)} still open after {options.wait:g} s")

        streams = []
        answers: Counter = Counter()
        request = f"GET /api/v2/me/calls/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: {AGENT}\r\n\r\n"
        for _ in range(options.streams):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(request.encode())
            answers[status_of(sock, 10)] += 1
            streams.append(sock)
        for sock in streams:
            sock.close()
        print(f"event streams for one agent: {options.streams} asked, answers: "
              + ", ".join(f"{status}: {count}" for status, count in sorted(answers.items())))
    finally:
        for process in processes:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
