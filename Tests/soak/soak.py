#!/usr/bin/env python3
"""make soak: failure tests that take longer than a unit test and judge timing, bounded in time.

1. The gateway under load while the bus is stopped and restarted 5 times: during an outage only
   503s, full service within 2 s of the bus returning, and no growth in the gateway's open file
   descriptors or memory across the cycles.
2. A subscriber suspended with SIGSTOP for 10 s under load of telephony events: calls.get latency
   (p50, p99) measured with the subscriber stopped is within 20% of the latency measured with it
   running, in the same run.

Every server binds 127.0.0.1 or an ipc path in a temporary folder; every loop is bounded.
Prints 'N passed, N failed' at the end and exits non-zero on a failure.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from processes import free_port, start  # noqa: E402

import zmq

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("CALLS_BUILD", REPO / ".build" / "debug"))
DIRECTORY = REPO / "deploy" / "demo" / "directory.json"
AUTH = "Basic " + base64.b64encode(b"admin:admin-demo").decode()
results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str) -> None:
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def bus_args(folder: Path) -> list[str]:
    return [str(BUILD / "calls-bus"), "--directory", str(DIRECTORY), "--state", str(folder / "state.sqlite"),
            "--request-endpoint", f"ipc://{folder}/req", "--events-endpoint", f"ipc://{folder}/pub"]


def get(port: int, path: str, timeout: float = 5) -> tuple[int, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Authorization": AUTH})
        status = connection.getresponse().status
    except OSError:
        status = -1
    finally:
        connection.close()
    return status, time.monotonic() - started


def process_footprint(pid: int) -> tuple[int, int]:
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmRSS:"))
    return fds, rss


def gateway_outages(folder: Path) -> None:
    port = free_port()
    bus = start(bus_args(folder), folder / "bus.log", "bus started")
    gateway = start([str(BUILD / "calls-gateway"), "--directory", str(DIRECTORY), "--listen", f"127.0.0.1:{port}",
                     "--request-endpoint", f"ipc://{folder}/req", "--events-endpoint", f"ipc://{folder}/pub",
                     "--bus-timeout", "1"], folder / "gateway.log", "listening")
    statuses: list[tuple[float, int]] = []
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            status, _ = get(port, "/api/v2/me/calls")
            statuses.append((time.monotonic(), status))

    workers = [threading.Thread(target=load, daemon=True) for _ in range(4)]
    for worker in workers:
        worker.start()
    footprints = []
    recoveries = []
    try:
        time.sleep(1)
        for cycle in range(5):
            bus.send_signal(signal.SIGTERM)
            bus.wait(timeout=15)
            time.sleep(1.5)
            returned = time.monotonic()
            bus = start(bus_args(folder), folder / f"bus-{cycle}.log", "bus started")
            deadline = returned + 10
            while time.monotonic() < deadline and not any(t > time.monotonic() - 0.2 and s == 200 for t, s in statuses[-20:]):
                time.sleep(0.02)
            recovered = next((t for t, s in statuses if t > returned and s == 200), None)
            recoveries.append(None if recovered is None else recovered - returned)
            time.sleep(1)
            footprints.append(process_footprint(gateway.pid))
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=10)
        gateway.send_signal(signal.SIGTERM)
        bus.send_signal(signal.SIGTERM)
        for process in (gateway, bus):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    others = sorted({s for _, s in statuses if s not in (200, 503)})
    check("only 200 or 503 while the bus comes and goes", not others, f"{len(statuses)} requests, other statuses: {others}")
    worst = max((r for r in recoveries if r is not None), default=None)
    check("full service within 2 s of the bus returning", None not in recoveries and worst is not None and worst < 2,
          f"recoveries (s): {[None if r is None else round(r, 2) for r in recoveries]}")
    fds = [f for f, _ in footprints]
    rss = [r for _, r in footprints]
    check("no leaked connections across 5 cycles", fds[-1] <= fds[0] + 8, f"open fds per cycle: {fds}")
    check("no memory growth across 5 cycles", rss[-1] <= rss[1] * 1.25 + 4096, f"RSS kB per cycle: {rss}")


def latency_sample(request_socket, duration: float) -> list[float]:
    samples = []
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        started = time.monotonic()
        request_socket.send(b'{"op":"calls.get","user":"admin","id":"probe"}')
        request_socket.recv()
        samples.append(time.monotonic() - started)
    return samples


def suspended_subscriber(folder: Path) -> None:
    bus = start(bus_args(folder), folder / "bus-sub.log", "bus started")
    context = zmq.Context()
    subscriber = subprocess.Popen([sys.executable, "-c", (
        "import zmq,sys\n"
        "s=zmq.Context().socket(zmq.SUB); s.setsockopt(zmq.SUBSCRIBE,b'calls/'); s.connect(sys.argv[1])\n"
        "while True: s.recv_multipart()\n"), f"ipc://{folder}/pub"])
    stop = threading.Event()
    try:
        request = context.socket(zmq.REQ)
        request.setsockopt(zmq.RCVTIMEO, 5000)
        request.connect(f"ipc://{folder}/req")
        request.send(b'{"op":"telephony.event","user":"switch-1","event":{"type":"Ringing","callId":"probe","deviceId":"dev-1001"}}')
        request.recv()

        def load() -> None:
            sender = context.socket(zmq.REQ)
            sender.setsockopt(zmq.RCVTIMEO, 5000)
            sender.connect(f"ipc://{folder}/req")
            number = 0
            while not stop.is_set():
                number += 1
                sender.send(json.dumps({"op": "telephony.event", "user": "switch-1", "event": {
                    "type": "Ringing", "callId": f"load-{number}", "deviceId": "dev-1002",
                    "participants": ["+442079460958"]}}).encode())
                sender.recv()
            sender.close(linger=0)

        loader = threading.Thread(target=load, daemon=True)
        loader.start()
        time.sleep(1)
        running = latency_sample(request, 10)
        subscriber.send_signal(signal.SIGSTOP)
        stopped = latency_sample(request, 10)
        subscriber.send_signal(signal.SIGCONT)
        stop.set()
        loader.join(timeout=10)
        request.close(linger=0)
    finally:
        subscriber.kill()
        bus.send_signal(signal.SIGTERM)
        bus.wait(timeout=15)
        context.term()

    def percentile(values: list[float], q: float) -> float:
        return sorted(values)[int(q * (len(values) - 1))] * 1e6

    p50 = (statistics.median(running) * 1e6, statistics.median(stopped) * 1e6)
    p99 = (percentile(running, 0.99), percentile(stopped, 0.99))
    detail = (f"calls.get p50 {p50[0]:.0f} -> {p50[1]:.0f} us, p99 {p99[0]:.0f} -> {p99[1]:.0f} us "
              f"({len(running)} and {len(stopped)} samples)")
    check("a subscriber stopped for 10 s does not slow requests by more than 20%", p50[1] <= p50[0] * 1.2, detail)


def main() -> int:
    for binary in ("calls-bus", "calls-gateway"):
        if not (BUILD / binary).exists():
            print(f"{BUILD / binary} is missing: run 'swift build' first", file=sys.stderr)
            return 2
    folder = Path(tempfile.mkdtemp(prefix="soak-", dir="/tmp"))
    try:
        gateway_outages(folder)
        suspended_subscriber(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
