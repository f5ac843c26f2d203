#!/usr/bin/env python3
"""A password-guessing flood against calls-gateway, and what it does to a logged-in user.

Starts a real calls-bus and calls-gateway (the demo directory: bcrypt cost 10) on loopback, logs
the admin in once, then measures the admin's `GET /api/v2/me/calls` latency on a keep-alive
connection twice: quiet, and while GUESSERS clients guess agent-1001's password at RATE guesses a
second in all (each on its own keep-alive connection). With --sources N the guessers spread over
the source addresses 127.0.0.2 .. 127.0.0.(N+1), as N machines would, so that a per-address
throttle alone cannot stop them and the bcrypt pool is what is measured.

Prints the latencies (p50, p90, p99), the guesses' answers by status, and whether the goal holds:
under the flood the logged-in user's p50 is at most 2x its quiet p50. Exits 1 when it does not.
Every socket is on 127.0.0.0/8, every loop bounded (at most --samples requests per phase, and
--max-seconds per phase).

    python3 Tests/soak/login_flood.py                      # .build/debug binaries
    python3 Tests/soak/login_flood.py --build DIR --sources 16
"""

from __future__ import annotations

import argparse
import base64
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from processes import free_port, start_bus_and_gateway  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DIRECTORY = REPO / "deploy" / "demo" / "directory.json"
ADMIN = "Basic " + base64.b64encode(b"admin:admin-demo").decode()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(port: int, samples: int, max_seconds: float) -> list[float]:
    """The admin's request latencies in milliseconds, on one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    deadline = time.monotonic() + max_seconds
    while len(latencies) < samples and time.monotonic() < deadline:
        started = time.perf_counter()
        connection.request("GET", "/api/v2/me/calls", headers={"Authorization": ADMIN})
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"the admin got {response.status}")
        time.sleep(0.01)
    connection.close()
    return latencies


def guess(port: int, index: int, interval: float, sources: int, stop: threading.Event, answers: Counter,
          lock: threading.Lock) -> None:
    """Guesses agent-1001's password every `interval` seconds until `stop`."""
    source = (f"127.0.0.{2 + index % sources}", 0) if sources > 0 else None
    connection = None
    attempt = 0
    next_time = time.monotonic() + interval * index / 16
    while not stop.is_set():
        stop.wait(max(0.0, next_time - time.monotonic()))
        next_time += interval
        if stop.is_set():
            break
        attempt += 1
        token = base64.b64encode(f"agent-1001:guess-{index}-{attempt}".encode()).decode()
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=source)
            connection.request("GET", "/api/v2/me/calls", headers={"Authorization": f"Basic {token}"})
            response = connection.getresponse()
            response.read()
            status = str(response.status)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            if connection is not None:
                connection.close()
            connection = None
        with lock:
            answers[status] += 1
    if connection is not None:
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=str(REPO / ".build" / "debug"), help="folder with calls-bus, calls-gateway")
    parser.add_argument("--guessers", type=int, default=16)
    parser.add_argument("--rate", type=float, default=25.0, help="guesses per second, all guessers together")
    parser.add_argument("--sources", type=int, default=0, help="spread guessers over 127.0.0.2..(N+1); 0: 127.0.0.1")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--gateway-arg", action="append", default=[], help="an extra calls-gateway argument")
    options = parser.parse_args()

    build = Path(options.build)
    workdir = Path(tempfile.mkdtemp(prefix="flood-", dir="/tmp"))
    port = free_port()
    processes: list[subprocess.Popen] = []
    try:
        processes += start_bus_and_gateway(build, workdir, DIRECTORY, port, options.gateway_arg)

        measure(port, 20, options.max_seconds)  # logs the admin in, warms up
        quiet = measure(port, options.samples, options.max_seconds)

        stop = threading.Event()
        answers: Counter = Counter()
        lock = threading.Lock()
        interval = options.guessers / options.rate
        guessers = [
            threading.Thread(target=guess, args=(port, index, interval, options.sources, stop, answers, lock))
            for index in range(options.guessers)
        ]
        flood_started = time.monotonic()
        for thread in guessers:
            thread.start()
        time.sleep(2)  # let the flood build up before measuring
        flooded = measure(port, options.samples, options.max_seconds)
        stop.set()
        for thread in guessers:
            thread.join(timeout=35)
        flood_seconds = time.monotonic() - flood_started
    finally:
        for process in processes:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    def line(name: str, values: list[float]) -> str:
        return (f"{name:>7}: p50 {statistics.median(values):8.2f} ms  p90 {percentile(values, 0.9):8.2f} ms  "
                f"p99 {percentile(values, 0.99):8.2f} ms  ({len(values)} requests)")

    print(f"{options.guessers} guessers at {options.rate:g} guesses/s, "
          f"{'127.0.0.1' if options.sources == 0 else f'{options.sources} source addresses'}")
    print(line("quiet", quiet))
    print(line("flood", flooded))
    total = sum(answers.values())
    print(f"guesses: {total} in {flood_seconds:.1f} s ({total / flood_seconds:.1f}/s); answers: "
          + ", ".join(f"{status}: {count}" for status, count in sorted(answers.items())))
    ratio = statistics.median(flooded) / statistics.median(quiet)
    holds = ratio <= 2.0
    print(f"{'PASS' if holds else 'FAIL'}  flood p50 / quiet p50 = {ratio:.2f} (goal: at most 2)")
    return 0 if holds else 1


if __name__ == "__main__":
    sys.exit(main())
