"""A real calls-bus and a real calls-gateway for the gateway tests (used by conftest.py).

The bus runs in a fresh short temp dir under /tmp (ipc endpoints, its own state file); the
gateway listens on a free loopback port. Both read a directory written here (the demo
directory, plus a Telephony principal that can log in, to reach the gateway's 403). Calls are
seeded through the bus with pyzmq as the Telephony principal `switch-1`. Both processes are
killed and the temp dir removed at teardown.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import zmq


REPO = Path(__file__).resolve().parents[3]
SPEC_PATH = REPO / "proto-docs" / "openapi.yaml"
DEMO_DIRECTORY = REPO / "deploy" / "demo" / "directory.json"

ADMIN = ("admin", "admin-demo")
AGENT_1 = ("agent-1001", "agent-1001-demo")
# A Telephony principal that has a password (the demo's admin hash): it can log in at the
# gateway, and its role may not operate calls, so POST answers 403 (statusCode 5).
SWITCH_WEB = ("switch-web", "admin-demo")
SWITCH = "switch-1"

READY_TIMEOUT = 20.0


def gateway_binary() -> str:
    """$CALLS_GATEWAY_BINARY, else <repo>/.build/debug/calls-gateway."""
    return os.environ.get("CALLS_GATEWAY_BINARY") or str(REPO / ".build" / "debug" / "calls-gateway")


def snapshot_binary(source: Path, into: Path) -> str:
    """Copies the executable (and resource bundles beside it) so that a concurrent `swift build`
    cannot replace it mid-run; retries a little in case it is being relinked."""
    problem = "missing"
    for attempt in range(20):
        target_dir = into / f"bin-{attempt}"
        try:
            target_dir.mkdir()
            target = target_dir / source.name
            shutil.copy2(source, target)
            for bundle in source.parent.glob("*.resources"):
                shutil.copytree(bundle, target_dir / bundle.name)
            check = subprocess.run([str(target), "--help"], capture_output=True, timeout=20)
            if check.returncode == 0:
                return str(target)
            problem = f"--help exited with {check.returncode}"
        except (OSError, subprocess.SubprocessError) as error:
            problem = repr(error)
        shutil.rmtree(target_dir, ignore_errors=True)
        time.sleep(0.5)
    raise pytest.UsageError(f"cannot use {source} ({problem}): build it or set CALLS_GATEWAY_BINARY")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def basic(user_password: tuple[str, str]) -> dict[str, str]:
    token = base64.b64encode(f"{user_password[0]}:{user_password[1]}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@dataclass
class Stack:
    workdir: Path
    base_url: str
    request_endpoint: str
    events_endpoint: str
    bus_log: Path
    gateway_log: Path
    ctx: zmq.Context
    procs: list[subprocess.Popen] = field(default_factory=list)
    seeded: dict[str, str] = field(default_factory=dict)  # call id -> state after seeding

    def request(self, payload: dict) -> dict:
        """One bus request on a fresh REQ socket (bounded by timeouts)."""
        sock = self.ctx.socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.RCVTIMEO, 3000)
        sock.setsockopt(zmq.SNDTIMEO, 3000)
        try:
            sock.connect(self.request_endpoint)
            sock.send(json.dumps(payload).encode())
            return json.loads(sock.recv().decode())
        finally:
            sock.close(linger=0)

    def event(self, event_type: str, call_id: str, device: str, **fields) -> dict:
        return self.request(
            {"op": "telephony.event", "user": SWITCH,
             "event": {"type": event_type, "callId": call_id, "deviceId": device, **fields}}
        )

    def operate(self, call_id: str, operation: str, **params) -> dict:
        return self.request(
            {"op": "calls.operate", "user": ADMIN[0], "id": call_id, "operationName": operation, **params}
        )

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in (self.bus_log, self.gateway_log) if path.exists()
        )


def wait_for(predicate, what: str, stack: Stack, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{what}: exited with {proc.returncode} before ready\n{stack.logs()}")
        time.sleep(0.02)
    raise RuntimeError(f"{what}: not ready within {READY_TIMEOUT}s\n{stack.logs()}")


def healthz_ok(base_url: str) -> bool:
    try:
        return requests.get(f"{base_url}/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


# (call id, device, telephony events after creation, admin operations, extra creating fields)
_NUMBERS_US = {"participants": ["+14155552671"], "ani": "+14155552671"}
_NUMBERS_GB = {"participants": ["+442079460958"]}
_SEED = [
    ("Ringing", "dev-1001", [], [], _NUMBERS_US),
    ("Dialing", "dev-1002", [], [], _NUMBERS_GB),
    ("Ringing", "dev-1003", [], [], {"participants": ["5001"], "callType": "Internal"}),
    ("Ringing", "dev-1001", ["Established"], [], {"participants": ["+14155552671", "5002"]}),
    ("Dialing", "dev-1002", ["Established", "Held"], [], _NUMBERS_GB),
    ("Ringing", "dev-1003", ["Established"], [("MuteCall", {})], _NUMBERS_US),
    ("Ringing", "dev-1001", [], [("AttachUserData", {"userData": {"case": "42", "queue": "sales"}})], _NUMBERS_US),
    ("Ringing", "dev-unowned", [], [], {"participants": ["+33142685300"]}),
    ("Ringing", "dev-1002", ["Released"], [], _NUMBERS_US),
]


def seed_calls(stack: Stack, copies: int = 3) -> None:
    """Several calls in every state, each kind `copies` times (POSTs move them along)."""
    for copy in range(copies):
        for index, (created, device, events, operations, extra) in enumerate(_SEED):
            call_id = f"seed-{index}-{copy}-{created.lower()}"
            reply = stack.event(created, call_id, device, **extra)
            assert reply == {"statusCode": 0}, (call_id, reply)
            state = created
            for event_type in events:
                reply = stack.event(event_type, call_id, device)
                assert reply == {"statusCode": 0}, (call_id, event_type, reply)
                state = {"Retrieved": "Established"}.get(event_type, event_type)
            for operation, params in operations:
                reply = stack.operate(call_id, operation, **params)
                assert reply == {"statusCode": 0}, (call_id, operation, reply)
            stack.seeded[call_id] = state


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not wait on anything
        pass
