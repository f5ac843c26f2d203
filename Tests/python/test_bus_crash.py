"""Crash safety: kill -9 mid-burst, restart on the same state file, nothing acknowledged is lost
and seq / ownerSeq continue without a gap (contract sections 2 and 5)."""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
from collections import defaultdict

import pytest
import zmq

from busclient import (
    ADMIN,
    AGENT_1,
    AGENT_2,
    DEV_1,
    DEV_2,
    DEV_UNOWNED,
    OWNER_OF_DEVICE,
    SWITCH,
    Client,
    Subscriber,
    connect_all,
    warm_up,
)

KILLS = 5
CALLS_PER_SOCKET = 300  # far more than a cycle gets through before the kill
RANK = {"Ringing": 1, "Established": 2}


class Burst:
    """Client threads sending Ringing then Established for new calls as fast as the bus
    answers, and recording which changes were acknowledged. Each thread keeps `pipeline`
    REQ sockets busy at once (one outstanding request each, multiplexed with a poller), so
    that the bus handles many requests per batch when it is killed."""

    def __init__(self, ctx, endpoint: str, cycle: int, threads: int, pipeline: int):
        self.ctx = ctx
        self.endpoint = endpoint
        self.cycle = cycle
        self.pipeline = pipeline
        self.lock = threading.Lock()
        self.acked: dict[str, str] = {}  # callId -> highest acknowledged state
        self.sent: set[str] = set()  # callIds named by at least one request sent
        self.ack_count = 0
        self.timeouts = 0
        self.unexpected: list = []
        self.finished_all = 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(t,), daemon=True) for t in range(threads)]

    def _requests(self, t: int, s: int):
        devices = (DEV_1, DEV_2, DEV_UNOWNED)
        for i in range(CALLS_PER_SOCKET):
            call_id = f"k{self.cycle}-t{t}-s{s}-{i}"
            device = devices[(t + s + i) % len(devices)]
            for state in ("Ringing", "Established"):
                yield call_id, state, {
                    "op": "telephony.event", "user": SWITCH,
                    "event": {"type": state, "callId": call_id, "deviceId": device},
                }

    def _run(self, t: int) -> None:
        poller = zmq.Poller()
        socks = {}
        try:
            for s in range(self.pipeline):
                sock = self.ctx.socket(zmq.REQ)
                for option, value in ((zmq.LINGER, 0), (zmq.SNDTIMEO, 1000), (zmq.RCVTIMEO, 1000)):
                    sock.setsockopt(option, value)
                connect_all(sock, self.endpoint)
                socks[sock] = [self._requests(t, s), None]
                poller.register(sock, zmq.POLLIN)

            def send_next(sock) -> bool:
                call_id, state, request = next(socks[sock][0], (None, None, None))
                if call_id is None or self.stop.is_set():
                    return False
                with self.lock:
                    self.sent.add(call_id)
                socks[sock][1] = (call_id, state)
                try:
                    sock.send(json.dumps(request).encode())
                except zmq.Again:
                    return False
                return True

            live = {sock for sock in socks if send_next(sock)}
            while live:
                ready = dict(poller.poll(1000))
                if not ready:
                    with self.lock:
                        self.timeouts += 1
                    return
                for sock in ready:
                    reply = json.loads(sock.recv())
                    call_id, state = socks[sock][1]
                    with self.lock:
                        if reply == {"statusCode": 0}:
                            self.acked[call_id] = state
                            self.ack_count += 1
                        else:
                            self.unexpected.append((call_id, state, reply))
                    if not send_next(sock):
                        live.discard(sock)
                        poller.unregister(sock)
            with self.lock:
                self.finished_all += 1
        finally:
            for sock in socks:
                sock.close(linger=0)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def acks(self) -> int:
        with self.lock:
            return self.ack_count

    def join(self, timeout: float = 5.0) -> None:
        self.stop.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        assert not any(thread.is_alive() for thread in self.threads), "burst threads did not stop"


class Reader:
    """A client reading acknowledged calls with calls.get while the burst runs and the bus is
    killed: it may see timeouts, never a wrong answer (a missing call, or an older state than
    the one already acknowledged)."""

    def __init__(self, ctx, endpoint: str, burst: Burst):
        self.ctx, self.endpoint, self.burst = ctx, endpoint, burst
        self.answers = 0
        self.timeouts = 0
        self.wrong: list = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _socket(self):
        sock = self.ctx.socket(zmq.REQ)
        for option, value in ((zmq.LINGER, 0), (zmq.SNDTIMEO, 500), (zmq.RCVTIMEO, 500)):
            sock.setsockopt(option, value)
        return connect_all(sock, self.endpoint)

    def _run(self) -> None:
        sock = self._socket()
        try:
            while not self.burst.stop.is_set():
                with self.burst.lock:
                    acked = list(self.burst.acked.items())
                if not acked:
                    time.sleep(0.001)
                    continue
                call_id, state = random.choice(acked)
                try:
                    sock.send(json.dumps({"op": "calls.get", "user": ADMIN, "id": call_id}).encode())
                    reply = json.loads(sock.recv())
                except zmq.Again:
                    # Lazy pirate: a REQ socket that lost its reply is thrown away.
                    self.timeouts += 1
                    sock.close(linger=0)
                    sock = self._socket()
                    continue
                self.answers += 1
                if reply.get("statusCode") != 0 or RANK[reply["call"]["state"]] < RANK[state]:
                    self.wrong.append((call_id, state, reply))
        finally:
            sock.close(linger=0)


def owner_of(device_uri: str) -> str:
    return OWNER_OF_DEVICE.get(device_uri.rsplit("/", 1)[-1], "-")


def check_recovered(client: Client, acked: dict[str, str], sent: set[str]) -> int:
    """Every acknowledged change is there; the history is seq 1..N without a gap, ownerSeq
    1..M per owner; returns N (calls.list's seq)."""
    listing = client.list(ADMIN)
    assert listing["statusCode"] == 0, listing
    seq = listing["seq"]
    calls = {c["id"]: c for c in listing["calls"]}
    lost = {cid: st for cid, st in acked.items() if cid not in calls or RANK[calls[cid]["state"]] < RANK[st]}
    assert not lost, f"{len(lost)} acknowledged changes lost after kill -9, e.g. {list(lost.items())[:5]}"
    # Only calls that some request named may exist (nothing invented).
    assert set(calls) <= sent, sorted(set(calls) - sent)[:5]
    # A few through calls.get too, as each agent would see them.
    for cid in random.sample(sorted(acked), min(10, len(acked))):
        owner = owner_of(calls[cid]["deviceUri"])
        user = owner if owner in (AGENT_1, AGENT_2) else ADMIN
        reply = client.get(user, cid)
        assert reply == {"statusCode": 0, "call": calls[cid]}, reply

    events = client.replay_all(ADMIN, 0)
    assert [e["seq"] for e in events] == list(range(1, seq + 1)), "the event history has a gap or a duplicate"
    owner_seqs = defaultdict(list)
    for e in events:
        owner_seqs[e["topic"].split("/")[1]].append(e["ownerSeq"])
    for owner, values in owner_seqs.items():
        assert values == list(range(1, len(values) + 1)), f"ownerSeq of {owner} has a gap: {values[:20]}"
    # The last stored event of each call is the state calls.list shows.
    last_state = {}
    for e in events:
        last_state[e["call"]["id"]] = e["call"]["state"]
    assert {cid: c["state"] for cid, c in calls.items()} == last_state
    return seq


def check_next_event_continues_seq(ctx, bus, client: Client, cycle: int, stored_seq: int) -> None:
    """The first events after a restart take seq stored_seq+1, +2, ...: the subscriber's first
    warm-up event `w<cycle>-<k>` (the k-th event since restart) carries stored_seq + k."""
    sub = Subscriber(ctx, bus.events_endpoint, ("calls/",))
    try:
        topic, body, _ = warm_up(sub, client, DEV_UNOWNED, f"w{cycle}")
        k = int(body["call"]["id"].rsplit("-", 1)[1])
        assert topic == f"calls/-/w{cycle}-{k}"
        assert body["seq"] == stored_seq + k, (stored_seq, k, body["seq"])
        replay = client.replay(ADMIN, stored_seq)["events"]
        assert replay[0]["seq"] == stored_seq + 1 and replay[0]["call"]["id"] == f"w{cycle}-1"
    finally:
        sub.close()


@pytest.mark.parametrize(
    "threads, pipeline",
    [pytest.param(3, 1, id="3-threads-1-request-each"), pytest.param(2, 16, id="2-threads-16-requests-in-flight-each")],
)
def test_kill_9_mid_burst_loses_no_acknowledged_change_and_seq_continues(bus_factory, zctx, threads, pipeline):
    bus = bus_factory().start()
    client = Client(zctx, bus.request_endpoint)
    acked: dict[str, str] = {}
    sent: set[str] = set()
    try:
        for cycle in range(KILLS):
            stored = check_recovered(client, acked, sent)
            if cycle > 0:
                check_next_event_continues_seq(zctx, bus, client, cycle, stored)
                sent.update(f"w{cycle}-{k}" for k in range(1, 201))

            burst = Burst(zctx, bus.request_endpoint, cycle, threads, pipeline)
            reader = Reader(zctx, bus.request_endpoint, burst)
            burst.start()
            reader.thread.start()
            target = random.randint(150, 400)
            deadline = time.monotonic() + 10
            while burst.acks() < target and time.monotonic() < deadline:
                time.sleep(0.001)
            assert burst.acks() >= target, f"only {burst.acks()} acknowledgements in 10 s"
            os.kill(bus.pid, signal.SIGKILL)
            bus.proc.wait(timeout=10)
            burst.join()
            reader.thread.join(timeout=5)
            assert not reader.thread.is_alive(), "the reader did not stop"
            assert not reader.wrong, f"calls.get answered wrongly: {reader.wrong[:3]}"
            assert reader.answers > 0, "the reader never got an answer before the kill"
            print(f"cycle {cycle}: killed at {target}+ acks; {burst.acks()} acked, {len(burst.sent)} calls sent")
            assert not burst.unexpected, burst.unexpected[:5]
            assert burst.finished_all == 0 and burst.timeouts > 0, "the kill did not land mid-burst"
            acked.update(burst.acked)
            sent.update(burst.sent)

            bus.start()
            client.reset()

        stored = check_recovered(client, acked, sent)
        check_next_event_continues_seq(zctx, bus, client, KILLS, stored)
        assert len(acked) >= KILLS * 50
        # A clean stop after all that.
        assert bus.stop() == 0
        bus.start()
        client.reset()
        assert client.list(ADMIN)["seq"] == client.replay_all(ADMIN, 0)[-1]["seq"]
    finally:
        client.close()
