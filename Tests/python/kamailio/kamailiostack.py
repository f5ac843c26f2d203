"""A real Kamailio (deploy/kamailio/kamailio.cfg), calls-bus, calls-gateway and calls-kamailio on
free loopback ports, and SIPp runs through them (Tests/sipp).

Kamailio runs in the foreground (-DD -E) with the shipped configuration, its defines set by -A
(ports, RPC socket, run dir in the stack's temp dir): no second copy of the configuration.
Every process is killed and the temp dir removed at teardown; every wait is bounded.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import zmq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "gateway"))

import busclient  # noqa: E402
from gatewaystack import DEMO_DIRECTORY, gateway_binary, snapshot_binary  # noqa: E402

REPO = HERE.parents[2]
CONFIG = REPO / "deploy" / "kamailio" / "kamailio.cfg"
SCENARIOS = REPO / "Tests" / "sipp"
ADMIN = ("admin", "admin-demo")
SWITCH = "switch-kamailio"
DEVICES = {"5001": "dev-5001", "5002": "dev-5002"}
WAIT = 20.0


def kamailio_binary() -> str:
    return os.environ.get("CALLS_KAMAILIO_BINARY") or str(REPO / ".build" / "debug" / "calls-kamailio")


def free_port(kind=socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, what: str, timeout: float = WAIT, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


class Stack:
    def __init__(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="ck-", dir="/tmp"))
        self.procs: list[subprocess.Popen] = []
        self.sip_port = free_port(socket.SOCK_DGRAM)
        self.evapi_port = free_port()
        self.rpc_fifo = str(self.workdir / "rpc.fifo")
        self.request_endpoint = f"ipc://{self.workdir}/req"
        self.events_endpoint = f"ipc://{self.workdir}/pub"
        self.ctx = zmq.Context()
        self.req = None
        self.adapter = None
        self.adapter_runs = 0
        self.base_url = ""

    # --- processes ---------------------------------------------------------------------------
    def start(self, gateway: bool = True) -> "Stack":
        for tool in ("kamailio", "sipp"):
            assert shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists(), f"{tool} is missing: run `make deps`"
        self.directory = self.workdir / "directory.json"
        demo = json.loads(DEMO_DIRECTORY.read_text())
        admin_hash = next(p["passwordHash"] for p in demo["principals"] if p["id"] == ADMIN[0])
        self.directory.write_text(json.dumps({"principals": [
            {"id": "admin", "role": "ContactCenterAdmin", "passwordHash": admin_hash},
            {"id": "agent-5001", "role": "Agent", "devices": [{"id": "dev-5001", "phoneNumber": "5001"}]},
            {"id": "agent-5002", "role": "Agent", "devices": [{"id": "dev-5002", "phoneNumber": "5002"}]},
            {"id": SWITCH, "role": "Telephony"},
        ]}))
        self.start_kamailio()
        self.start_bus()
        if gateway:
            self.start_gateway()
        self.start_adapter()
        return self

    def spawn(self, args: list[str], log_name: str) -> subprocess.Popen:
        log = open(self.workdir / log_name, "ab")
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=self.workdir)
        log.close()
        self.procs.append(proc)
        return proc

    def log(self, name: str) -> str:
        path = self.workdir / name
        return path.read_text(errors="replace") if path.exists() else ""

    def start_kamailio(self) -> None:
        kamailio = shutil.which("kamailio") or "/usr/sbin/kamailio"
        self.kamailio = self.spawn([
            kamailio, "-f", str(CONFIG), "-DD", "-E", "-Y", str(self.workdir), "-w", str(self.workdir),
            "-A", f"SIP_PORT={self.sip_port}", "-A", f'EVAPI_BIND="127.0.0.1:{self.evapi_port}"',
            "-A", f'RPC_FIFO="{self.rpc_fifo}"', "-A", f'RPC_REPLY_DIR="{self.workdir}/"', "-A", "WORKERS=4",
        ], "kamailio.log")
        wait_until(lambda: self.kamailio.poll() is not None or Path(self.rpc_fifo).exists(), "kamailio's RPC FIFO")
        assert self.kamailio.poll() is None, self.log("kamailio.log")[-3000:]

    def start_bus(self) -> None:
        self.bus_process = bus = self.spawn([
            busclient.bus_binary(), "--directory", str(self.directory), "--state", str(self.workdir / "state.sqlite"),
            "--request-endpoint", self.request_endpoint, "--events-endpoint", self.events_endpoint,
        ], "bus.log")
        wait_until(lambda: bus.poll() is not None or "bus started" in self.log("bus.log"), "calls-bus")
        assert bus.poll() is None, self.log("bus.log")[-3000:]
        if self.req is not None:
            return
        self.req = self.ctx.socket(zmq.REQ)
        self.req.setsockopt(zmq.LINGER, 0)
        self.req.setsockopt(zmq.RCVTIMEO, 3000)
        self.req.connect(self.request_endpoint)

    def start_gateway(self) -> None:
        binary = snapshot_binary(Path(gateway_binary()), self.workdir)
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        gateway = self.spawn([
            binary, "--directory", str(self.directory), "--listen", f"127.0.0.1:{port}",
            "--request-endpoint", self.request_endpoint, "--events-endpoint", self.events_endpoint,
        ], "gateway.log")
        wait_until(lambda: gateway.poll() is not None or f"listening on 127.0.0.1:{port}" in self.log("gateway.log"),
                   "calls-gateway")
        assert gateway.poll() is None, self.log("gateway.log")[-3000:]

    def start_adapter(self) -> None:
        self.adapter_runs += 1
        name = f"adapter-{self.adapter_runs}.log"
        self.adapter = self.spawn([
            kamailio_binary(), "--directory", str(self.directory),
            "--kamailio-evapi", f"127.0.0.1:{self.evapi_port}", "--kamailio-rpc-fifo", self.rpc_fifo,
            "--kamailio-rpc-reply-directory", str(self.workdir), "--kamailio-user", SWITCH,
            "--kamailio-observer", "admin", "--request-endpoint", self.request_endpoint,
            "--events-endpoint", self.events_endpoint,
        ], name)
        wait_until(lambda: self.adapter.poll() is not None or "Resynchronised with Kamailio" in self.log(name),
                   "calls-kamailio's first resynchronisation")
        assert self.adapter.poll() is None, self.log(name)[-3000:]

    def adapter_log(self) -> str:
        return self.log(f"adapter-{self.adapter_runs}.log")

    def close(self) -> None:
        for proc in reversed(self.procs):
            stop(proc)
        if self.req is not None:
            self.req.close(0)
        self.ctx.destroy(linger=0)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # --- SIPp --------------------------------------------------------------------------------
    def uas(self, scenario: str, calls: int, *extra: str) -> tuple[subprocess.Popen, int]:
        port = free_port(socket.SOCK_DGRAM)
        proc = self.spawn([
            "sipp", "-sf", str(SCENARIOS / f"{scenario}.xml"), "-i", "127.0.0.1", "-p", str(port), "-m", str(calls),
            "-nostdin", "-timeout", "40s", "-timeout_error", *extra,
        ], f"uas-{scenario}-{port}.log")
        time.sleep(0.2)
        return proc, port

    def uac(self, scenario: str, uas_port: int, caller: str, callee: str, call_id: str, calls: int = 1,
            *extra: str) -> subprocess.Popen:
        port = free_port(socket.SOCK_DGRAM)
        return self.spawn([
            "sipp", f"127.0.0.1:{uas_port}", "-sf", str(SCENARIOS / f"{scenario}.xml"), "-i", "127.0.0.1",
            "-p", str(port), "-rsa", f"127.0.0.1:{self.sip_port}", "-s", callee, "-key", "caller", caller,
            "-m", str(calls), "-cid_str", f"{call_id}-%u@kam", "-nostdin", "-timeout", "40s", "-timeout_error",
            *extra,
        ], f"uac-{call_id}.log")

    # --- the bus and Kamailio ----------------------------------------------------------------
    def bus(self, request: dict) -> dict:
        self.req.send_string(json.dumps(request))
        return json.loads(self.req.recv_string())

    def calls(self, prefix: str) -> dict[str, dict]:
        reply = self.bus({"op": "calls.list", "user": "admin"})
        assert reply["statusCode"] == 0, reply
        return {call["id"]: call for call in reply["calls"] if call["id"].startswith(prefix)}

    def states(self, call_id: str) -> list[str]:
        """The call's states, one per event, oldest first (events.replay as admin)."""
        states, after = [], 0
        while True:
            reply = self.bus({"op": "events.replay", "user": "admin", "after": after})
            assert reply["statusCode"] == 0, reply
            states += [event["call"]["state"] for event in reply["events"] if event["call"]["id"] == call_id]
            if not reply.get("more"):
                return states
            after = reply["events"][-1]["seq"]

    def dialogs(self) -> list[dict]:
        """Kamailio's live dialogs (dlg.list through the jsonrpcs FIFO, as `kamctl rpc` does)."""
        name = f"test-{os.getpid()}-{time.monotonic_ns()}"  # no "." or "/": jsonrpcs refuses them
        path = self.workdir / name
        os.mkfifo(path, 0o600)
        try:
            reader = os.open(path, os.O_RDWR | os.O_NONBLOCK)
            request = {"jsonrpc": "2.0", "method": "dlg.list", "reply_name": name, "id": 1}
            with open(self.rpc_fifo, "w") as fifo:
                fifo.write(json.dumps(request) + "\n")
            data, deadline = b"", time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    data += os.read(reader, 1 << 16)
                    reply = json.loads(data)
                    break
                except (BlockingIOError, json.JSONDecodeError):
                    time.sleep(0.01)
            else:
                raise AssertionError(f"no dlg.list reply: {data[-200:]!r}")
            os.close(reader)
        finally:
            path.unlink()
        return [dialog for dialog in reply["result"] if dialog["state"] < 5]

    def rest(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        import requests

        token = base64.b64encode(f"{ADMIN[0]}:{ADMIN[1]}".encode()).decode()
        response = requests.request(method, self.base_url + path, json=body, timeout=5,
                                    headers={"Authorization": f"Basic {token}"})
        return response.status_code, response.json()
