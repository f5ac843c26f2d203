"""CURVE on the real executable, as an outside client with pyzmq sees it: certificates in CZMQ's
zcert text format, a ZAP handler admitting only the clients folder's keys, SIGHUP reloading it,
and the refusal to bind beyond loopback without CURVE."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import zmq

from busclient import ADMIN, AGENT_1, Bus, bus_binary


def write_certificate(path: Path, public: bytes, secret: bytes | None = None, principal: str | None = None) -> None:
    lines = ["#   ZeroMQ CURVE Certificate (test)", "", "metadata"]
    if principal:
        lines.append(f'    principal = "{principal}"')
    lines += ["curve", f'    public-key = "{public.decode()}"']
    if secret:
        lines.append(f'    secret-key = "{secret.decode()}"')
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture
def curve_bus(bus_factory):
    keys: dict[str, tuple[bytes, bytes]] = {name: zmq.curve_keypair() for name in ("bus", ADMIN, AGENT_1, "late")}
    probe = bus_factory()  # only for its fresh folder
    folder = probe.workdir
    clients = folder / "clients"
    clients.mkdir()
    write_certificate(folder / "bus_secret", *keys["bus"])
    write_certificate(clients / ADMIN, keys[ADMIN][0], principal=ADMIN)
    write_certificate(clients / AGENT_1, keys[AGENT_1][0], principal=AGENT_1)
    bus = Bus(folder, ["--curve-secret-key-file", str(folder / "bus_secret"), "--curve-clients", str(clients)])
    bus.start()
    yield bus, keys, clients
    bus.kill()


def ask(bus: Bus, keys, who: str | None, payload: bytes, server: str = "bus", timeout_ms: int = 1000):
    context = zmq.Context.instance()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.setsockopt(zmq.RCVTIMEO, timeout_ms)
    if who is not None:
        socket.curve_serverkey = keys[server][0]
        socket.curve_publickey, socket.curve_secretkey = keys[who]
    socket.connect(bus.request_endpoint)
    try:
        socket.send_multipart([b"", payload])
        return socket.recv_multipart()[-1]
    except zmq.Again:
        return None
    finally:
        socket.close()


LIST_AS_ADMIN = b'{"op":"calls.list","user":"admin"}'


def test_only_admitted_keys_get_replies(curve_bus):
    bus, keys, _ = curve_bus
    assert ask(bus, keys, ADMIN, LIST_AS_ADMIN) is not None
    assert ask(bus, keys, "late", LIST_AS_ADMIN) is None, "a key that is not in the clients folder"
    assert ask(bus, keys, ADMIN, LIST_AS_ADMIN, server="late") is None, "a wrong server key"
    assert ask(bus, keys, None, LIST_AS_ADMIN) is None, "no CURVE at all"
    assert "CURVE client refused" in bus.log()


def test_a_key_speaks_for_its_own_principal_only(curve_bus):
    bus, keys, _ = curve_bus
    assert b'"statusCode":5' in ask(bus, keys, AGENT_1, LIST_AS_ADMIN)
    assert b'"statusCode":0' in ask(bus, keys, AGENT_1, b'{"op":"calls.list","user":"agent-1001"}')


def test_sighup_reloads_the_clients_folder(curve_bus):
    bus, keys, clients = curve_bus
    assert ask(bus, keys, "late", LIST_AS_ADMIN) is None
    write_certificate(clients / "late", keys["late"][0], principal=ADMIN)
    os.kill(bus.pid, signal.SIGHUP)
    reply = None
    for _ in range(20):
        reply = ask(bus, keys, "late", LIST_AS_ADMIN, timeout_ms=500)
        if reply is not None:
            break
    assert reply is not None and b'"statusCode":0' in reply
    assert "CURVE clients reloaded" in bus.log()


def test_binding_beyond_loopback_needs_curve_or_insecure(tmp_path):
    directory = tmp_path / "directory.json"
    directory.write_text('{"principals":[{"id":"admin","role":"ContactCenterAdmin"}]}')
    base = [bus_binary(), "--directory", str(directory), "--state", str(tmp_path / "s.sqlite"),
            "--events-endpoint", f"ipc://{tmp_path}/pub"]
    refused = subprocess.run(base + ["--request-endpoint", "tcp://0.0.0.0:0"], capture_output=True, timeout=20)
    assert refused.returncode != 0
    assert b"calls keys generate" in refused.stderr
    started = subprocess.Popen(base + ["--request-endpoint", "tcp://0.0.0.0:0", "--insecure"],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        line = b""
        while time.monotonic() < deadline and b"bus started" not in line:
            line = started.stderr.readline()
        assert b"bus started" in line
    finally:
        started.kill()
        started.wait(timeout=10)
