"""A gateway given every bus of a group (`--request-endpoint A,B`, `--events-endpoint A,B`), as an
outside HTTP client sees it: served by whichever bus is up, 503 (never a hang) while none is, and
an SSE stream that carries on across a takeover without losing an event.

The takeover is played with SQLite: bus B is killed and a bus starts on the OTHER endpoints with the
same state file, which is what a standby does on PostgreSQL (the integrator's failover tests)."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time

import requests
import zmq

import busclient
from conftest import new_stack, start_gateway, tear_down, write_directory
from gatewaystack import ADMIN, SWITCH, basic, healthz_ok, kill, wait_for
from proxyprocess import Proxy

CALLS = "/api/v2/me/calls"


def start_bus_at(stack, directory_path, name: str) -> subprocess.Popen:
    log_path = stack.workdir / f"bus-{name}.log"
    with open(log_path, "ab") as log:
        bus = subprocess.Popen(
            [busclient.bus_binary(), "--directory", str(directory_path), "--state", str(stack.workdir / "state.sqlite"),
             "--request-endpoint", f"ipc://{stack.workdir}/req-{name}",
             "--events-endpoint", f"ipc://{stack.workdir}/pub-{name}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, cwd=stack.workdir,
        )
    stack.procs.append(bus)
    before = log_path.read_text(errors="replace").count("bus started")
    wait_for(lambda: log_path.read_text(errors="replace").count("bus started") > before, f"bus {name}", stack, bus)
    return bus


def report(ctx: zmq.Context, stack, name: str, call_id: str, event_type: str = "Ringing") -> None:
    sock = ctx.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, 3000)
    try:
        sock.connect(f"ipc://{stack.workdir}/req-{name}")
        sock.send(json.dumps({"op": "telephony.event", "user": SWITCH,
                              "event": {"type": event_type, "callId": call_id, "deviceId": "dev-1001"}}).encode())
        assert json.loads(sock.recv()) == {"statusCode": 0}
    finally:
        sock.close()


class ResumingStream:
    """An SSE reader that, like a browser's EventSource, reconnects with Last-Event-ID whenever the
    stream ends; `ids` are the event ids received, in order, over every connection."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.ids: "queue.Queue[int]" = queue.Queue()
        self.last_id: str | None = None
        self.connections = 0
        self.resyncs = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.is_set():
            headers = basic(ADMIN)
            if self.last_id is not None:
                headers["Last-Event-ID"] = self.last_id
            try:
                with requests.get(f"{self.base_url}{CALLS}/events", headers=headers, stream=True,
                                  timeout=(2, 3)) as response:
                    if response.status_code != 200:
                        time.sleep(0.2)
                        continue
                    self.connections += 1
                    frame: dict[str, str] = {}
                    for line in response.iter_lines(chunk_size=1, decode_unicode=True):
                        if self.stopped.is_set():
                            return
                        if line == "":
                            if frame.get("event") == "Resync":
                                self.resyncs += 1
                            elif "id" in frame:
                                self.last_id = frame["id"]
                                self.ids.put(int(frame["id"]))
                            frame = {}
                        elif not line.startswith(":"):
                            key, _, value = line.partition(":")
                            frame[key] = value.removeprefix(" ")
            except requests.RequestException:
                time.sleep(0.2)

    def take(self, count: int, timeout: float) -> list[int]:
        out: list[int] = []
        deadline = time.monotonic() + timeout
        while len(out) < count and (left := deadline - time.monotonic()) > 0:
            try:
                out.append(self.ids.get(timeout=left))
            except queue.Empty:
                break
        return out

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)


def test_a_gateway_of_two_buses_survives_a_takeover(zmq_context):
    stack = new_stack(zmq_context)
    stream = None
    try:
        directory_path = write_directory(stack.workdir)
        bus_b = start_bus_at(stack, directory_path, "b")
        # A first, with no bus behind it: requests must never be queued to it.
        stack.request_endpoint = f"ipc://{stack.workdir}/req-a,ipc://{stack.workdir}/req-b"
        stack.events_endpoint = f"ipc://{stack.workdir}/pub-a, ipc://{stack.workdir}/pub-b"
        start_gateway(stack, directory_path, "--bus-timeout", "1")
        wait_for(lambda: healthz_ok(stack.base_url), "calls-gateway /healthz", stack, stack.procs[-1])
        statuses = [requests.get(f"{stack.base_url}{CALLS}", headers=basic(ADMIN), timeout=5).status_code
                    for _ in range(20)]
        assert statuses == [200] * 20, statuses

        stream = ResumingStream(stack.base_url)
        time.sleep(0.5)  # the stream's subscription reaches the bus (it would replay otherwise, too)
        for number in range(3):
            report(zmq_context, stack, "b", f"before-{number}")
        assert stream.take(3, timeout=10) == [1, 2, 3], stack.logs()

        kill(bus_b)
        # No bus: a bounded 503 (statusCode 4), never a hang.
        started = time.monotonic()
        response = requests.get(f"{stack.base_url}{CALLS}", headers=basic(ADMIN), timeout=5)
        assert response.status_code == 503, response.text
        assert response.json()["statusCode"] == 4
        assert time.monotonic() - started < 4

        start_bus_at(stack, directory_path, "a")
        back = time.monotonic()
        while True:
            response = requests.get(f"{stack.base_url}{CALLS}", headers=basic(ADMIN), timeout=5)
            assert response.status_code in (200, 503), response.status_code
            if response.status_code == 200:
                break
            assert time.monotonic() - back < 10, "the gateway did not find the new bus within 10 s"
        assert len(response.json()["calls"]) == 3
        for number in range(3):
            report(zmq_context, stack, "a", f"after-{number}")
        # Every event once, in order, across the takeover: live, or replayed after a reconnect.
        assert stream.take(3, timeout=15) == [4, 5, 6], stack.logs()
        assert stream.resyncs == 0
    finally:
        if stream is not None:
            stream.close()
        tear_down(stack)


def test_a_gateway_takes_its_events_from_a_proxy_and_loses_none_when_it_restarts(zmq_context):
    stack = new_stack(zmq_context)
    stream = None
    proxy = None
    try:
        directory_path = write_directory(stack.workdir)
        start_bus_at(stack, directory_path, "a")
        proxy = Proxy(stack.workdir, f"ipc://{stack.workdir}/pub-a").start()
        stack.request_endpoint = f"ipc://{stack.workdir}/req-a"
        stack.events_endpoint = proxy.endpoint
        start_gateway(stack, directory_path, "--bus-timeout", "1")
        wait_for(lambda: healthz_ok(stack.base_url), "calls-gateway /healthz", stack, stack.procs[-1])

        stream = ResumingStream(stack.base_url)
        time.sleep(0.5)
        for number in range(3):
            report(zmq_context, stack, "a", f"before-{number}")
        assert stream.take(3, timeout=10) == [1, 2, 3], stack.logs() + proxy.log()

        proxy.kill()
        for number in range(3):
            report(zmq_context, stack, "a", f"away-{number}")
        proxy.start()
        # The stream hears nothing of events 4-6; the next live one shows the jump, and the gateway
        # asks the bus to replay what lies between. Keep events coming until the stream has caught up.
        ids: list[int] = []
        deadline = time.monotonic() + 15
        number = 0
        while (not ids or ids[-1] < 8) and time.monotonic() < deadline:
            report(zmq_context, stack, "a", f"after-{number}")
            number += 1
            ids += stream.take(1, timeout=0.3)
        ids += stream.take(number + 3 - len(ids), timeout=2)
        assert ids == list(range(4, 4 + len(ids))), ids
        assert ids[-1] >= 8, stack.logs() + proxy.log()
    finally:
        if stream is not None:
            stream.close()
        if proxy is not None:
            proxy.kill()
        tear_down(stack)


def test_a_bad_item_of_an_endpoint_list_stops_the_program_naming_it(tmp_path):
    """The gateway and the command line, by flag or environment variable (contract section 7)."""
    import os

    from gatewaystack import DEMO_DIRECTORY, gateway_binary

    gateway = subprocess.run(
        [gateway_binary(), "--directory", str(DEMO_DIRECTORY), "--request-endpoint", "ipc:///tmp/a,,ipc:///tmp/b"],
        capture_output=True, text=True, timeout=20, cwd=tmp_path)
    assert gateway.returncode == 1
    assert "--request-endpoint has an empty item (number 2) in 'ipc:///tmp/a,,ipc:///tmp/b'" in gateway.stderr

    environment = {**os.environ, "CALLS_EVENTS_ENDPOINT": "tcp://127.0.0.1:5556, localhost:5566"}
    cli = subprocess.run([busclient.calls_binary(), "watch"], capture_output=True, text=True, timeout=20,
                         env=environment, cwd=tmp_path)
    assert cli.returncode == 2
    assert "--events-endpoint item 'localhost:5566' is not an endpoint" in cli.stderr
