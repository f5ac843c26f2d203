"""The state file from outside: every acknowledged change is synced to disk before its reply
(traced with strace), one bus per state file, and a file from a newer version is refused."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import time

import pytest

from busclient import ADMIN, AGENT_1, DEV_1, Client, bus_binary

SYNC_LINE = re.compile(r"^\d+\s+(\d+\.\d+)\s+(fsync|fdatasync)\(\d+<([^>]*)>\)\s+=\s+0")


def traced_syncs(trace_path) -> list[tuple[float, str, str]]:
    """(wall-clock time, call, path) of every successful fsync/fdatasync in an `strace -ttt -y` log."""
    syncs = []
    for line in trace_path.read_text(errors="replace").splitlines():
        match = SYNC_LINE.match(line)
        if match:
            syncs.append((float(match.group(1)), match.group(2), match.group(3)))
    return syncs


def test_every_acknowledged_change_is_synced_between_its_request_and_its_reply(bus_factory, zctx):
    strace = shutil.which("strace")
    assert strace, "strace is missing: `make test` installs it (Debian package strace)"
    bus = bus_factory()
    trace = bus.workdir / "syncs.trace"
    bus.wrapper = [strace, "-f", "-ttt", "-y", "-e", "trace=fsync,fdatasync", "-o", str(trace)]
    bus.start()
    client = Client(zctx, bus.request_endpoint)
    acknowledged = []
    try:
        assert client.event("Ringing", "sync-1", DEV_1) == {"statusCode": 0}
        for operation in ["Answer", "Hold", "Retrieve", "MuteCall", "UnmuteCall"]:
            sent = time.time()
            reply = client.operate(AGENT_1, "sync-1", operation)
            answered = time.time()
            assert reply == {"statusCode": 0}, (operation, reply)
            acknowledged.append((operation, sent, answered))
        sent = time.time()
        assert client.get(ADMIN, "sync-1")["call"]["state"] == "Established"
        read_window = (sent, time.time())
    finally:
        client.close()
        assert bus.stop() == 0, bus.log()
    syncs = traced_syncs(trace)
    wal = str(bus.state_path) + "-wal"
    assert any(path == wal for _, _, path in syncs), f"no sync of {wal} at all:\n{trace.read_text()[-2000:]}"
    for operation, sent, answered in acknowledged:
        inside = [s for s in syncs if sent <= s[0] <= answered and s[2] == wal]
        assert inside, f"{operation} was acknowledged with no fsync/fdatasync of the WAL before its reply"
    # A read changes nothing, so it waits for no disk.
    assert not [s for s in syncs if read_window[0] <= s[0] <= read_window[1]]


def run_bus_once(bus, state_path) -> tuple[int, list[str]]:
    """Starts calls-bus with `bus`'s directory and endpoints on `state_path`; returns its exit code
    and the lines of its standard error once it has stopped (it is expected to refuse at start)."""
    proc = subprocess.run(
        [bus_binary(), "--directory", str(bus.directory_path), "--state", str(state_path),
         "--request-endpoint", bus.request_endpoint, "--events-endpoint", bus.events_endpoint],
        capture_output=True, text=True, timeout=30,
    )
    return proc.returncode, proc.stderr.strip().splitlines()


def test_a_second_bus_on_the_same_state_file_refuses_with_one_line_naming_it(bus_factory):
    first = bus_factory().start()
    code, lines = run_bus_once(bus_factory(), first.state_path)
    assert code != 0
    assert len(lines) == 1, lines
    assert str(first.state_path) in lines[0] and "another calls-bus" in lines[0], lines[0]
    assert first.is_running()


def test_a_state_file_from_a_newer_version_is_refused_naming_both_formats(bus_factory):
    bus = bus_factory().start()
    assert bus.stop() == 0
    with sqlite3.connect(bus.state_path) as db:
        db.execute("PRAGMA user_version = 9")
    code, lines = run_bus_once(bus, bus.state_path)
    assert code != 0
    assert len(lines) == 1, lines
    assert "state format 9" in lines[0] and "up to 2" in lines[0] and str(bus.state_path) in lines[0], lines[0]


def test_another_writer_holding_the_lock_briefly_only_delays_the_reply(bus_factory, zctx):
    bus = bus_factory().start()
    client = Client(zctx, bus.request_endpoint, timeout_ms=10_000)
    try:
        assert client.event("Ringing", "held-1", DEV_1) == {"statusCode": 0}
        other = sqlite3.connect(bus.state_path, timeout=10, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        releaser = subprocess.Popen(["sleep", "1"])
        try:
            started = time.monotonic()
            client.sock.send_json({"op": "calls.operate", "user": AGENT_1, "id": "held-1", "operationName": "Answer"})
            releaser.wait()
            other.rollback()
            reply = client.sock.recv_json()
        finally:
            other.close()
        assert reply == {"statusCode": 0}, reply
        assert time.monotonic() - started >= 0.9
        assert bus.is_running()
        assert client.get(ADMIN, "held-1")["call"]["state"] == "Established"
    finally:
        client.close()
