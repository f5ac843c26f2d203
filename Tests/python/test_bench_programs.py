"""The C programs of `calls-bench outside` (Tests/bench), compiled here and run briefly against
the real bus and against each other: every request gets its reply, refusals are counted, and the
results file has the layout calls-bench reads. No timing is asserted."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from busclient import ADMIN, DEV_1, REPO

PROGRAMS = ("calls-zmq-load", "calls-zmq-raw-router")


@pytest.fixture(scope="module")
def programs(tmp_path_factory) -> dict[str, Path]:
    compiler = shutil.which("cc")
    assert compiler, "cc is missing: the outside benchmark compiles Tests/bench with it"
    flags = subprocess.run(
        ["pkg-config", "--cflags", "--libs", "libzmq"], capture_output=True, text=True, check=True
    ).stdout.split()
    folder = tmp_path_factory.mktemp("bench-programs")
    built = {}
    for name in PROGRAMS:
        built[name] = folder / name
        subprocess.run(
            [compiler, "-O2", "-Wall", "-Wextra", "-Werror", "-o", str(built[name]),
             str(REPO / "Tests" / "bench" / f"{name}.c"), *flags, "-lpthread"],
            check=True, capture_output=True, timeout=120,
        )
    return built


def run_load(programs, endpoint: str, requests: Path, out: Path, clients: int, in_flight: int) -> list[dict]:
    result = subprocess.run(
        [str(programs["calls-zmq-load"]), "--endpoint", endpoint, "--requests", str(requests),
         "--clients", str(clients), "--in-flight", str(in_flight), "--seconds", "0.2", "--max-requests", "400",
         "--warm-up", "3", "--out", str(out)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    (count,) = struct.unpack_from("=Q", data, 0)
    offset, outcomes = 8, []
    for _ in range(count):
        replies, refused, timed_out, start, end = struct.unpack_from("=5Q", data, offset)
        offset += 40
        latencies = struct.unpack_from(f"={replies}Q", data, offset)
        offset += 8 * replies
        assert all(latency > 0 for latency in latencies)
        outcomes.append({"replies": replies, "refused": refused, "timed_out": timed_out, "start": start, "end": end})
    assert offset == len(data), "the results file holds more than its clients"
    return outcomes


def test_the_load_reaches_the_bus_and_counts_refusals(programs, bus, client, tmp_path):
    assert client.event("Ringing", "bench-1", DEV_1)["statusCode"] == 0
    requests = tmp_path / "requests"
    requests.write_text(f'{{"op":"calls.get","user":"{ADMIN}","id":"bench-1"}}\n')
    outcomes = run_load(programs, bus.request_endpoint, requests, tmp_path / "out", clients=2, in_flight=4)
    assert len(outcomes) == 2
    assert all(o["replies"] > 0 and o["refused"] == 0 and o["timed_out"] == 0 for o in outcomes)
    assert sum(o["replies"] for o in outcomes) <= 400
    # The warm-up sends the first line; the measured requests walk the file from each client's share.
    requests.write_text(
        f'{{"op":"calls.get","user":"{ADMIN}","id":"bench-1"}}\n{{"op":"calls.get","user":"{ADMIN}","id":"none"}}\n'
    )
    mixed = run_load(programs, bus.request_endpoint, requests, tmp_path / "out", clients=1, in_flight=1)
    assert 0 < mixed[0]["refused"] < mixed[0]["replies"]


def test_the_raw_router_answers_every_request_with_its_reply(programs, tmp_path):
    reply = tmp_path / "reply"
    reply.write_bytes(b'{"statusCode":0,"call":{"id":"bench-1"}}')
    router = subprocess.Popen(
        [str(programs["calls-zmq-raw-router"]), "--reply", str(reply), "--max-seconds", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        endpoint = router.stdout.readline().strip()
        assert endpoint.startswith("tcp://127.0.0.1:"), router.stderr.read() if router.poll() is not None else endpoint
        requests = tmp_path / "requests"
        requests.write_text('{"op":"calls.get","user":"admin","id":"x"}\n')
        outcomes = run_load(programs, endpoint, requests, tmp_path / "out", clients=8, in_flight=8)
        assert all(o["replies"] > 0 and o["refused"] == 0 and o["timed_out"] == 0 for o in outcomes)
    finally:
        router.terminate()
        assert router.wait(timeout=10) == 0
