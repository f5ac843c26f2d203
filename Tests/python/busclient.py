"""A small outside client for the calls bus, as another team's service would write it.

Nothing here knows the bus's internals: it starts the `calls-bus` executable, talks to it
over ZeroMQ (REQ, DEALER, SUB) with plain JSON, and reads its stderr log only to learn
when it is ready. Every socket has receive/send timeouts and LINGER 0, and every loop is
bounded, so a misbehaving bus fails a test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Iterable

import zmq

REPO = Path(__file__).resolve().parents[2]

ADMIN = "admin"
AGENT_1 = "agent-1001"
AGENT_2 = "agent-1002"
SWITCH = "switch-1"
DEV_1 = "dev-1001"
DEV_2 = "dev-1002"
DEV_UNOWNED = "dev-warmup"

DIRECTORY = {
    "principals": [
        {"id": ADMIN, "role": "ContactCenterAdmin"},
        {"id": AGENT_1, "role": "Agent", "devices": [{"id": DEV_1, "phoneNumber": "5001"}]},
        {"id": AGENT_2, "role": "Agent", "devices": [DEV_2]},
        {"id": SWITCH, "role": "Telephony"},
    ]
}

OWNER_OF_DEVICE = {DEV_1: AGENT_1, DEV_2: AGENT_2}

PUBLIC_BASE_URL = "http://127.0.0.1:8080"

READY_TIMEOUT = 20.0
REQUEST_TIMEOUT_MS = 3000

# Section 2 of the contract: capabilities per state (a set: order is not significant).
USER_DATA_OPS = {"AttachUserData", "UpdateUserData", "DeleteUserData", "DeleteUserDataPair"}


def capabilities_for(state: str, mute: str = "Off", participants: int = 1) -> set[str]:
    """Contract v2 section 2, for a call in no consult pair that was never recorded."""
    if state == "Ringing":
        return {"Answer", "Hangup"} | USER_DATA_OPS
    if state == "Dialing":
        return {"Hangup", "SendDtmf"} | USER_DATA_OPS
    if state == "Established":
        mute_op = "MuteCall" if mute == "Off" else "UnmuteCall"
        established = {"Hangup", "Hold", "SendDtmf", mute_op, "SingleStepTransfer", "SingleStepConference"}
        established |= {"InitiateTransfer", "InitiateConference", "StartCallRecording"}
        if participants >= 2:
            established.add("RemoveParticipantFromConference")
        return established | USER_DATA_OPS
    if state == "Held":
        return {"Hangup", "Retrieve", "SingleStepTransfer", "StartCallRecording"} | USER_DATA_OPS
    if state == "Released":
        return set()
    raise ValueError(state)


def built_binary() -> str:
    """The executable under test: $CALLS_BUS_BINARY, else <repo>/.build/debug/calls-bus."""
    return os.environ.get("CALLS_BUS_BINARY") or str(REPO / ".build" / "debug" / "calls-bus")


def calls_binary() -> str:
    """The `calls` command line under test: $CALLS_CLI_BINARY, else <repo>/.build/debug/calls."""
    return os.environ.get("CALLS_CLI_BINARY") or str(REPO / ".build" / "debug" / "calls")


# Set by conftest to a copy taken at session start, so that a concurrent `swift build`
# replacing or deleting the binary cannot break a run half-way.
binary_snapshot: str | None = None


def bus_binary() -> str:
    return binary_snapshot or built_binary()


class BusNotReady(RuntimeError):
    pass


class Bus:
    """One `calls-bus` process (restartable on the same state file) in its own directory."""

    def __init__(self, workdir: Path, extra_args: Iterable[str] = ()):
        self.workdir = Path(workdir)
        self.directory_path = self.workdir / "directory.json"
        self.state_path = self.workdir / "state.sqlite"
        self.request_endpoint = f"ipc://{self.workdir}/req"
        self.events_endpoint = f"ipc://{self.workdir}/pub"
        self.extra_args = list(extra_args)
        # A command to run the bus under (strace …): the process started is then the wrapper,
        # and stop()/kill() reach the bus as the wrapper's child.
        self.wrapper: list[str] = []
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.log_path: Path | None = None
        self.directory_path.write_text(json.dumps(DIRECTORY, indent=2))

    def start(self, timeout: float = READY_TIMEOUT) -> "Bus":
        assert self.proc is None or self.proc.poll() is not None, "bus already running"
        self.starts += 1
        self.log_path = self.workdir / f"bus-{self.starts}.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    *self.wrapper,
                    bus_binary(),
                    "--directory", str(self.directory_path),
                    "--state", str(self.state_path),
                    "--request-endpoint", self.request_endpoint,
                    "--events-endpoint", self.events_endpoint,
                    *self.extra_args,
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                cwd=self.workdir,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log()
            if "bus started" in text:
                rep = re.search(r"bus\.rep\.endpoint=(\S+)", text)
                pub = re.search(r"bus\.pub\.endpoint=(\S+)", text)
                assert rep and pub, f"readiness line lacks endpoints:\n{text}"
                assert rep.group(1) == self.request_endpoint, text
                assert pub.group(1) == self.events_endpoint, text
                return self
            if self.proc.poll() is not None:
                raise BusNotReady(f"calls-bus exited with {self.proc.returncode} before ready:\n{text}")
            time.sleep(0.01)
        self.kill()
        raise BusNotReady(f"calls-bus not ready within {timeout}s:\n{self.log()}")

    def log(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def bus_pid(self) -> int:
        """The bus's own pid: the process started, or its child when it runs under a wrapper."""
        assert self.proc is not None
        if not self.wrapper:
            return self.proc.pid
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        assert len(children) == 1, f"the wrapper should have one child, the bus: {children}"
        return int(children[0])

    def kill(self) -> None:
        """SIGKILL: no shutdown path runs."""
        if self.is_running():
            os.kill(self.bus_pid(), signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL if it does not stop in time. Returns the exit code."""
        if not self.is_running():
            return self.proc.returncode if self.proc else None
        os.kill(self.bus_pid(), signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None


def connect_all(sock: zmq.Socket, endpoints) -> zmq.Socket:
    """Connects to one endpoint, or to every bus of a group (contract section 10): with
    IMMEDIATE, requests go only to a bus that accepted the connection (the active one)."""
    if isinstance(endpoints, str):
        sock.connect(endpoints)
        return sock
    sock.setsockopt(zmq.IMMEDIATE, 1)
    for endpoint in endpoints:
        sock.connect(endpoint)
    return sock


def _configure(sock: zmq.Socket, timeout_ms: int) -> zmq.Socket:
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, timeout_ms)
    sock.setsockopt(zmq.SNDTIMEO, timeout_ms)
    return sock


def _encode(payload) -> bytes:
    if isinstance(payload, (bytes, bytearray)):
        return bytes(payload)
    return json.dumps(payload).encode()


class Client:
    """A request client: REQ, or DEALER with the empty delimiter frame."""

    def __init__(self, ctx: zmq.Context, endpoint: str, kind: str = "REQ", timeout_ms: int = REQUEST_TIMEOUT_MS):
        assert kind in ("REQ", "DEALER")
        self.ctx = ctx
        self.endpoint = endpoint
        self.kind = kind
        self.timeout_ms = timeout_ms
        self.sock = self._open()

    def _open(self) -> zmq.Socket:
        sock = _configure(self.ctx.socket(zmq.REQ if self.kind == "REQ" else zmq.DEALER), self.timeout_ms)
        return connect_all(sock, self.endpoint)

    def close(self) -> None:
        self.sock.close(linger=0)

    def reset(self) -> None:
        """A REQ socket that missed its reply is stuck: start over with a new one."""
        self.close()
        self.sock = self._open()

    def send_frames(self, frames: list[bytes]) -> list[bytes]:
        """Sends a request made of these body frames; returns the reply's body frames."""
        try:
            if self.kind == "REQ":
                self.sock.send_multipart(frames)
                return self.sock.recv_multipart()
            self.sock.send_multipart([b""] + frames)
            reply = self.sock.recv_multipart()
            assert reply[:1] == [b""], f"DEALER reply lacks the empty delimiter: {reply!r}"
            return reply[1:]
        except zmq.Again:
            self.reset()
            raise TimeoutError(f"no reply within {self.timeout_ms} ms to {frames[:1]!r:.200}")

    def raw(self, payload) -> bytes:
        reply = self.send_frames([_encode(payload)])
        assert len(reply) == 1, f"reply is not one frame: {reply!r:.300}"
        return reply[0]

    def request(self, payload) -> dict:
        raw = self.raw(payload)
        reply = json.loads(raw.decode("utf-8"))
        assert isinstance(reply, dict) and isinstance(reply.get("statusCode"), int), raw[:300]
        return reply

    def no_more_replies(self, wait_ms: int = 150) -> bool:
        """True when nothing else arrives within wait_ms (a DEALER can see extra replies)."""
        return not self.sock.poll(wait_ms, zmq.POLLIN)

    # Convenience wrappers -------------------------------------------------------------

    def list(self, user: str) -> dict:
        return self.request({"op": "calls.list", "user": user})

    def get(self, user: str, call_id: str) -> dict:
        return self.request({"op": "calls.get", "user": user, "id": call_id})

    def operate(self, user: str, call_id: str, operation: str, **params) -> dict:
        return self.request({"op": "calls.operate", "user": user, "id": call_id, "operationName": operation, **params})

    def event(self, event_type: str, call_id: str, device: str, user: str = SWITCH, **fields) -> dict:
        return self.request(
            {"op": "telephony.event", "user": user,
             "event": {"type": event_type, "callId": call_id, "deviceId": device, **fields}}
        )

    def replay(self, user: str, after) -> dict:
        return self.request({"op": "events.replay", "user": user, "after": after})

    def replay_all(self, user: str, after: int) -> list[dict]:
        """Every kept event after `after`, following `"more": true` page by page (contract section 11)."""
        events: list[dict] = []
        for _ in range(10_000):
            reply = self.replay(user, after)
            assert reply["statusCode"] == 0, reply
            assert len(reply["events"]) <= 10_000, "a page holds at most 10,000 events"
            events += reply["events"]
            if reply.get("more") is not True:
                assert "more" not in reply, reply.get("more")
                return events
            assert reply["events"], "a page that says more must not be empty"
            after = reply["events"][-1]["seq"]
        raise AssertionError("events.replay never stopped saying more")


class Subscriber:
    """A SUB socket on the events endpoint."""

    def __init__(self, ctx: zmq.Context, endpoint, prefixes: Iterable[str] = ("calls/",)):
        self.sock = _configure(ctx.socket(zmq.SUB), 2000)
        for prefix in prefixes:
            self.sock.setsockopt(zmq.SUBSCRIBE, prefix.encode())
        connect_all(self.sock, endpoint)

    def close(self) -> None:
        self.sock.close(linger=0)

    def recv(self, timeout_ms: int = 2000):
        """Returns (topic, body dict, frames) or None when nothing comes within timeout_ms."""
        if not self.sock.poll(timeout_ms, zmq.POLLIN):
            return None
        frames = self.sock.recv_multipart()
        assert len(frames) == 2, f"an event is two frames (topic, body), got {len(frames)}: {frames!r:.300}"
        return frames[0].decode("utf-8"), json.loads(frames[1].decode("utf-8")), frames

    def collect(self, count: int, timeout: float = 5.0) -> list:
        """Exactly `count` events (or fewer if they do not come within `timeout`)."""
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            got = self.recv(int(left * 1000) + 1)
            if got is None:
                break
            out.append(got)
        return out

    def drain(self, quiet_ms: int = 200, limit: int = 100_000) -> list:
        """Everything that arrives until the socket stays quiet for quiet_ms."""
        out = []
        for _ in range(limit):
            got = self.recv(quiet_ms)
            if got is None:
                break
            out.append(got)
        return out


def warm_up(sub: Subscriber, client: Client, device: str, tag: str, max_tries: int = 200) -> tuple:
    """Handles the slow joiner: creates calls `<tag>-<k>` on `device` until the subscriber
    sees an event. Returns the first event received (any warm-up call, not necessarily the
    last one sent). Later warm-up events already published still arrive; callers filter on
    the tag."""
    for k in range(1, max_tries + 1):
        reply = client.event("Ringing", f"{tag}-{k}", device)
        assert reply == {"statusCode": 0}, reply
        got = sub.recv(50)
        if got is not None:
            return got
    raise AssertionError(f"subscriber saw no event after {max_tries} warm-up calls")


def assert_error(reply: dict, status: int) -> None:
    """An error reply is exactly {statusCode, statusMessage} (section 4)."""
    assert reply.get("statusCode") == status, reply
    assert set(reply) == {"statusCode", "statusMessage"}, reply
    assert isinstance(reply["statusMessage"], str) and reply["statusMessage"], reply
