"""Crash safety of call control (issue #11): kill -9 in the middle of a burst of consult
transfers, restart on the same state file: every acknowledged change of every call it touched is
there, the new consult calls included, and seq has no gap or repeat."""

from __future__ import annotations

import json
import threading
import time

import zmq

from busclient import ADMIN, AGENT_1, AGENT_2, DEV_1, DEV_2, SWITCH, Client

FLOWS_PER_THREAD = 500  # far more than get through before the kill


class TransferBurst:
    """Threads running consult transfers as fast as the bus answers: an inbound call rings and is
    answered, the agent starts a consult transfer, the switch connects the consult call, the
    agent completes the transfer. Records what each acknowledged step promised."""

    def __init__(self, ctx, endpoint: str, threads: int):
        self.ctx, self.endpoint = ctx, endpoint
        self.lock = threading.Lock()
        # call id -> the state an acknowledged step left it in (or released by a completion).
        self.promised: dict[str, str] = {}
        self.parent_of: dict[str, str] = {}
        self.acks = 0
        self.unexpected: list = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(t,), daemon=True) for t in range(threads)]

    def _ask(self, sock, request: dict) -> dict | None:
        try:
            sock.send(json.dumps(request).encode())
            return json.loads(sock.recv())
        except zmq.ZMQError:
            return None

    def _run(self, t: int) -> None:
        sock = self.ctx.socket(zmq.REQ)
        for option, value in ((zmq.LINGER, 0), (zmq.SNDTIMEO, 1000), (zmq.RCVTIMEO, 1000)):
            sock.setsockopt(option, value)
        sock.connect(self.endpoint)
        agent, device = ((AGENT_1, DEV_1), (AGENT_2, DEV_2))[t % 2]
        try:
            for i in range(FLOWS_PER_THREAD):
                parent = f"xt{t}-{i}"
                event = lambda kind, cid: {"op": "telephony.event", "user": SWITCH,
                                           "event": {"type": kind, "callId": cid, "deviceId": device}}
                steps = [
                    (event("Ringing", parent), {parent: "Ringing"}),
                    (event("Established", parent), {parent: "Established"}),
                ]
                for request, promise in steps:
                    if self.stop.is_set() or not self._record(self._ask(sock, request), promise):
                        return
                if self.stop.is_set():
                    return
                reply = self._ask(sock, {"op": "calls.operate", "user": agent, "id": parent,
                                         "operationName": "InitiateTransfer", "destination": {"phoneNumber": "5009"}})
                if reply is None or "id" not in reply:
                    self._record(reply, {})
                    return
                consult = reply["id"]
                with self.lock:
                    self.parent_of[consult] = parent
                if not self._record({"statusCode": 0}, {parent: "Held", consult: "Dialing"}):
                    return
                for request, promise in [
                    (event("Established", consult), {consult: "Established"}),
                    ({"op": "calls.operate", "user": agent, "id": consult, "operationName": "CompleteTransfer"},
                     {consult: "Released", parent: "Released"}),
                ]:
                    if self.stop.is_set() or not self._record(self._ask(sock, request), promise):
                        return
        finally:
            sock.close(linger=0)

    def _record(self, reply: dict | None, promise: dict) -> bool:
        if reply is None:
            return False  # the bus is gone: this step may or may not have been kept
        with self.lock:
            if reply.get("statusCode") == 0:
                self.promised.update(promise)
                self.acks += 1
                return True
            self.unexpected.append(reply)
            return False

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(5)
        assert not any(thread.is_alive() for thread in self.threads)


RANK = {"Ringing": 0, "Dialing": 0, "Established": 1, "Held": 2, "Released": 3}


def test_kill_9_mid_burst_of_consult_transfers_keeps_every_acknowledged_change(bus_factory, zctx):
    bus = bus_factory().start()
    burst = TransferBurst(zctx, bus.request_endpoint, threads=4)
    burst.start()
    deadline = time.monotonic() + 20
    while burst.acks < 300 and time.monotonic() < deadline:
        time.sleep(0.01)
    bus.kill()
    burst.join()
    assert burst.acks >= 300, f"only {burst.acks} steps acknowledged before the kill"
    assert burst.unexpected == [], burst.unexpected[:5]
    bus.start()
    client = Client(zctx, bus.request_endpoint)
    calls = {c["id"]: c for c in client.list(ADMIN)["calls"]}
    for call_id, state in burst.promised.items():
        assert call_id in calls, f"acknowledged call {call_id} lost"
        # A later step may have been kept without its reply: never an earlier state than promised.
        assert RANK[calls[call_id]["state"]] >= RANK[state], (call_id, state, calls[call_id]["state"])
    for consult, parent in burst.parent_of.items():
        if consult in calls:
            assert calls[consult]["parentCallUri"] == calls[parent]["uri"]
            assert calls[consult]["callType"] == "Consult"
    events = client.replay_all(ADMIN, 0)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1)), "seq has a gap or a repeat"
    last = {}
    for e in events:
        last[e["call"]["id"]] = e["call"]
    assert last == calls, "the last event of every call is what calls.list shows"
    client.close()
