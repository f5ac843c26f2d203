"""A group of buses on one PostgreSQL database (contract section 10): kill -9 the active bus
in the middle of a burst; the standby takes over within --lease-timeout + 1 s, every
acknowledged change is there, seq continues by exactly 1, and a subscriber following the resync
recipe ends with a mirror equal to calls.list. Also fencing (a paused active bus never commits
again) and bad configuration (one line, non-zero exit)."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import zmq

from busclient import ADMIN, AGENT_1, DEV_UNOWNED, DIRECTORY, Client, Subscriber, bus_binary
from busgroup import ACTIVE_LINE, STANDBY_LINE, GroupBus
from test_bus_crash import Burst, Reader, check_next_event_continues_seq, check_recovered

sys.path.insert(0, str(Path(__file__).resolve().parent / "gateway"))
from gatewaystack import ADMIN as ADMIN_LOGIN  # noqa: E402
from gatewaystack import DEMO_DIRECTORY, basic, free_port, gateway_binary, snapshot_binary  # noqa: E402

LEASE = 1.0  # a short lease, so that five takeovers fit in the suite's budget
KILLS = 5


class Mirror:
    """A subscriber of every bus of the group, following the resync recipe: events in seq order;
    a gap is filled from events.replay (from whichever bus is active); an event already applied
    (a late one of a dying bus, or one a replay already gave) is dropped."""

    def __init__(self, ctx, request_endpoints, events_endpoints):
        self.ctx = ctx
        self.request_endpoints = request_endpoints
        self.events_endpoints = events_endpoints
        self.calls: dict[str, dict] = {}
        self.seq = 0
        self.replays = 0
        self.problems: list = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self, client: Client) -> None:
        listing = client.list(ADMIN)
        self.calls = {c["id"]: c for c in listing["calls"]}
        self.seq = listing["seq"]
        self.thread.start()

    def _apply(self, event: dict) -> None:
        if event["seq"] <= self.seq:
            return
        self.calls[event["call"]["id"]] = event["call"]
        self.seq = event["seq"]

    def _fill(self, client: Client) -> bool:
        try:
            events = client.replay_all(ADMIN, self.seq)
        except TimeoutError:
            return False
        self.replays += 1
        with self.lock:
            for event in events:
                self._apply(event)
        return True

    def _run(self) -> None:
        sub = Subscriber(self.ctx, self.events_endpoints, ("calls/",))
        client = Client(self.ctx, self.request_endpoints, timeout_ms=1000)
        try:
            self._fill(client)
            while not self.stop.is_set():
                got = sub.recv(100)
                if got is None:
                    continue
                _, body, _ = got
                if body["seq"] > self.seq + 1:
                    # A gap: whatever the replay does not give yet comes with the next gap.
                    while not self._fill(client) and not self.stop.is_set():
                        pass
                with self.lock:
                    self._apply(body)
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.problems.append(repr(error))
        finally:
            sub.close()
            client.close()

    def finish(self, client: Client) -> dict[str, dict]:
        """Fills the last gap (the tail events nobody published after them) and stops."""
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the mirror did not stop"
        assert not self.problems, self.problems
        for event in client.replay_all(ADMIN, self.seq):
            self._apply(event)
        return self.calls


class GatewayWatch:
    """A real calls-gateway given both buses, asked GET /api/v2/me/calls over and over: during
    a takeover it may answer 503 (fast), never anything else, and never hang."""

    BUS_TIMEOUT = 1.0

    def __init__(self, workdir: Path, directory: Path, requests, events):
        self.port = free_port()
        self.log = workdir / "gateway.log"
        binary = snapshot_binary(Path(gateway_binary()), workdir)
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [binary, "--directory", str(directory), "--listen", f"127.0.0.1:{self.port}",
                 "--request-endpoint", ",".join(requests), "--events-endpoint", ",".join(events),
                 "--bus-timeout", str(self.BUS_TIMEOUT)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
            )
        self.statuses: dict[int, int] = {}
        self.slowest = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        deadline = time.monotonic() + 20
        while f"listening on 127.0.0.1:{self.port}" not in self.log.read_text(errors="replace"):
            assert self.proc.poll() is None and time.monotonic() < deadline, self.log.read_text(errors="replace")
            time.sleep(0.02)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/v2/me/calls?fields=id", headers=basic(ADMIN_LOGIN))
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = -1  # no HTTP answer at all (a timeout or a reset)
            self.slowest = max(self.slowest, time.monotonic() - started)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            time.sleep(0.02)

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(timeout=15)
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def group(tmp_path_factory, postgres_url):
    """Two buses on a fresh database; both stopped at the end. The directory lets the demo's
    admin log in at a gateway."""
    workdir = tmp_path_factory.mktemp("group")
    directory = json.loads(json.dumps(DIRECTORY))
    demo = json.loads(DEMO_DIRECTORY.read_text())
    admin_hash = next(p["passwordHash"] for p in demo["principals"] if p["id"] == ADMIN_LOGIN[0])
    next(p for p in directory["principals"] if p["id"] == ADMIN)["passwordHash"] = admin_hash
    (workdir / "directory.json").write_text(json.dumps(directory, indent=2))
    url = postgres_url()
    buses = [GroupBus(workdir, name, url, LEASE, "--released-retention", "600") for name in ("a", "b")]
    yield buses
    for bus in buses:
        bus.stop()


def test_kill_9_of_the_active_bus_mid_burst_hands_over_and_loses_nothing(group, zctx):
    first, second = group
    first.start().wait_for(ACTIVE_LINE, 30)
    second.start().wait_for(STANDBY_LINE, 30)
    requests = [bus.request_endpoint for bus in group]
    events = [bus.events_endpoint for bus in group]
    client = Client(zctx, requests, timeout_ms=2000)
    mirror = Mirror(zctx, requests, events)
    mirror.start(client)
    gateway = GatewayWatch(first.workdir, first.directory_path, requests, events)
    acked: dict[str, str] = {}
    sent: set[str] = set()
    takeovers: list[float] = []
    active, standby = first, second
    try:
        for cycle in range(KILLS):
            burst = Burst(zctx, requests, cycle, threads=2, pipeline=4)
            reader = Reader(zctx, requests, burst)
            burst.start()
            reader.thread.start()
            target = random.randint(100, 250)
            deadline = time.monotonic() + 20
            while burst.acks() < target and time.monotonic() < deadline:
                time.sleep(0.001)
            assert burst.acks() >= target, f"only {burst.acks()} acknowledgements in 20 s"
            activations = standby.count(ACTIVE_LINE)
            killed_at = time.monotonic()
            active.kill()
            active_at = standby.wait_for(ACTIVE_LINE, LEASE + 10, occurrences=activations + 1)
            takeovers.append(active_at - killed_at)
            burst.join()
            reader.thread.join(timeout=5)
            assert not reader.wrong, f"calls.get answered wrongly: {reader.wrong[:3]}"
            assert not burst.unexpected, burst.unexpected[:5]
            acked.update(burst.acked)
            sent.update(burst.sent)

            client.reset()
            stored = check_recovered(client, acked, sent)
            check_next_event_continues_seq(zctx, standby, client, cycle, stored)
            sent.update(f"w{cycle}-{k}" for k in range(1, 201))
            active.start().wait_for(STANDBY_LINE, 30)
            active, standby = standby, active
        gateway.finish()
        print(f"takeovers after kill -9 (s): {[round(t, 3) for t in takeovers]}; gateway: {gateway.statuses}, "
              f"slowest answer {gateway.slowest:.2f} s")
        assert set(gateway.statuses) <= {200, 503}, gateway.statuses
        assert gateway.statuses.get(200, 0) > 0
        assert gateway.slowest < GatewayWatch.BUS_TIMEOUT + 2, gateway.slowest
        assert max(takeovers) <= LEASE + 1, takeovers
        mirrored = mirror.finish(client)
        listing = client.list(ADMIN)
        assert mirrored == {c["id"]: c for c in listing["calls"]}
        assert mirror.replays >= 1
        assert len(acked) >= KILLS * 50
    finally:
        mirror.stop.set()
        gateway.stop.set()
        if gateway.proc.poll() is None:
            gateway.proc.kill()
        client.close()


def wait_until_served(client: Client, timeout: float = 20) -> None:
    """Until a bus answers calls.list: a takeover may still be under way, and a read that was
    queued behind a refused batch is refused too (statusCode 4, "try again")."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if client.list(ADMIN)["statusCode"] == 0:
                return
        except TimeoutError:
            client.reset()
        assert time.monotonic() < deadline, "no bus answered"
        time.sleep(0.05)


def recheck_until_stable(client: Client, acked: dict[str, str], sent: set[str], attempts: int = 20) -> None:
    """check_recovered once a bus serves steadily: right after a database restart the active bus may
    still stand down once (its lease renewal failed while the server was starting), and a read then
    times out or is refused with statusCode 4, "try again" (contract section 10); reads are safe to
    send again. A wrong answer still fails at once."""
    for _ in range(attempts):
        wait_until_served(client)
        try:
            check_recovered(client, acked, sent)
            return
        except TimeoutError:
            client.reset()
        except AssertionError as error:
            if "'statusCode': 4" not in str(error):
                raise
        time.sleep(0.2)
    raise AssertionError("no bus answered steadily after the database restart")


def test_postgresql_restarted_under_load_loses_nothing_acknowledged(group, zctx, postgres_server):
    first, second = group
    first.start().wait_for(ACTIVE_LINE, 30)
    second.start().wait_for(STANDBY_LINE, 30)
    requests = [bus.request_endpoint for bus in group]
    client = Client(zctx, requests, timeout_ms=2000)
    acked: dict[str, str] = {}
    sent: set[str] = set()
    try:
        for cycle in range(2):
            burst = Burst(zctx, requests, cycle, threads=2, pipeline=4)
            burst.start()
            deadline = time.monotonic() + 20
            while burst.acks() < 100 and time.monotonic() < deadline:
                time.sleep(0.001)
            activations = sum(bus.count(ACTIVE_LINE) for bus in group)
            postgres_server.restart()
            # Someone is active again: the same bus (it took the lease back) or the other one.
            deadline = time.monotonic() + LEASE + 15
            while sum(bus.count(ACTIVE_LINE) for bus in group) <= activations:
                assert time.monotonic() < deadline, [bus.log()[-2000:] for bus in group]
                time.sleep(0.02)
            burst.join(timeout=10)
            assert not burst.unexpected or all(
                reply.get("statusCode") == 4 for _, _, reply in burst.unexpected), burst.unexpected[:5]
            acked.update(burst.acked)
            sent.update(burst.sent)
            client.reset()
            recheck_until_stable(client, acked, sent)
        logs = "".join(bus.log() for bus in group)
        for bus in group:
            print(f"--- {bus.name}")
            print("\n".join(line[:240] for line in bus.log().splitlines() if "calls-bus" in line))
        # What an operator reads: the failed commit or lease, standing down, and taking over.
        assert "bus standing down" in logs, logs[-3000:]
        assert len(acked) >= 100
    finally:
        client.close()


def test_a_paused_active_bus_is_fenced_and_stands_down(group, zctx):
    first, second = group
    first.start().wait_for(ACTIVE_LINE, 30)
    second.start().wait_for(STANDBY_LINE, 30)
    requests = [bus.request_endpoint for bus in group]
    client = Client(zctx, requests, timeout_ms=2000)
    try:
        assert client.event("Ringing", "before-pause", DEV_UNOWNED) == {"statusCode": 0}
        # A client of the paused bus alone, with a request already sent: it must never be
        # acknowledged, since the paused bus lost its lease before it could commit it.
        stale = Client(zctx, first.request_endpoint, kind="DEALER", timeout_ms=100)
        first.signal(signal.SIGSTOP)
        stale.sock.send_multipart([b"", b'{"op":"telephony.event","user":"switch-1","event":'
                                   b'{"type":"Ringing","callId":"from-the-paused-bus","deviceId":"dev-warmup"}}'])
        second.wait_for(ACTIVE_LINE, LEASE + 10)
        client.reset()
        assert client.event("Ringing", "after-takeover", DEV_UNOWNED) == {"statusCode": 0}
        seq_before_wake = client.list(ADMIN)["seq"]
        first.signal(signal.SIGCONT)
        first.wait_for("bus standing down", 10)
        first.wait_for(STANDBY_LINE, 10, occurrences=2)
        # The paused bus answered its request with a refusal, or not at all; never with success.
        if stale.sock.poll(1000, zmq.POLLIN):
            reply = stale.sock.recv_multipart()
            assert b'"statusCode":0' not in reply[-1].replace(b" ", b""), reply
        stale.close()
        listing = client.list(ADMIN)
        ids = {c["id"] for c in listing["calls"]}
        assert "from-the-paused-bus" not in ids
        assert {"before-pause", "after-takeover"} <= ids
        assert listing["seq"] == seq_before_wake
        events = client.replay_all(ADMIN, 0)
        assert [e["seq"] for e in events] == list(range(1, listing["seq"] + 1))
    finally:
        client.close()


def run_bus(database_url: str, tmp_path, *extra: str) -> subprocess.CompletedProcess:
    directory = tmp_path / "directory.json"
    directory.write_text('{"principals": [{"id": "admin", "role": "ContactCenterAdmin"}]}')
    return subprocess.run(
        [bus_binary(), "--directory", str(directory), "--database-url", database_url,
         "--request-endpoint", f"ipc://{tmp_path}/req", "--events-endpoint", f"ipc://{tmp_path}/pub", *extra],
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("what", ["unreachable", "wrong-password", "foreign-tables", "not-a-url"])
def test_bad_database_configuration_is_one_line_and_a_failure(what, postgres_url, postgres_server, tmp_path):
    if what == "unreachable":
        url = "postgres://postgres@127.0.0.1:1/calls"
    elif what == "wrong-password":
        url = postgres_server.url(postgres_url().rsplit("/", 1)[1], password="not-the-password")
    elif what == "foreign-tables":
        url = postgres_url()
        postgres_server.psql("CREATE TABLE invoices (id integer primary key, total numeric)", url.rsplit("/", 1)[1])
    else:
        url = "mysql://somewhere/calls"
    result = run_bus(url, tmp_path)
    assert result.returncode != 0, result
    lines = [line for line in result.stderr.splitlines() if line.startswith("calls-bus:") or "Error" in line]
    assert len(lines) == 1, result.stderr
    assert "bus started" not in result.stderr and ACTIVE_LINE not in result.stderr, result.stderr
    if what == "not-a-url":
        assert "--database-url" in lines[0]
    assert "not-the-password" not in result.stderr


def test_sigterm_on_the_active_bus_releases_the_lease_and_the_standby_takes_over(group, zctx):
    first, second = group
    first.start().wait_for(ACTIVE_LINE, 30)
    second.start().wait_for(STANDBY_LINE, 30)
    client = Client(zctx, [bus.request_endpoint for bus in group], timeout_ms=2000)
    try:
        assert client.event("Ringing", "before-stop", DEV_UNOWNED) == {"statusCode": 0}
        ok = {"statusCode": 0}
        assert client.request({"op": "users.operate", "user": AGENT_1, "operationName": "StartContactCenterSession"}) == ok
        assert client.request({"op": "users.operate", "user": AGENT_1, "operationName": "Ready"}) == ok
        devices_before = client.request({"op": "devices.list", "user": ADMIN})
        assert devices_before["deviceSeq"] == 2
        assert first.stop() == 0
        assert "lease released" in first.log()
        second.wait_for(ACTIVE_LINE, 10)
        client.reset()
        wait_until_served(client)
        listing = client.list(ADMIN)
        assert [c["id"] for c in listing["calls"]] == ["before-stop"]
        # Agent states and deviceSeq are the group's too: they continue on the new bus.
        assert client.request({"op": "devices.list", "user": ADMIN}) == devices_before
        assert client.request({"op": "users.operate", "user": AGENT_1, "operationName": "NotReady"}) == ok
        assert client.request({"op": "devices.list", "user": ADMIN})["deviceSeq"] == 3
    finally:
        client.close()


def test_a_bus_paused_in_the_middle_of_a_commit_does_not_keep_the_standby_out(group, zctx, postgres_server):
    """The commit holds the lease row FOR SHARE; paused there, its session would keep the standby's
    takeover waiting for as long as its connection lives. The server ends such a session (every
    session of the bus runs with idle_in_transaction_session_timeout), and the standby takes over."""
    first, second = group
    first.start().wait_for(ACTIVE_LINE, 30)
    second.start().wait_for(STANDBY_LINE, 30)
    database = first.database_url.rsplit("/", 1)[1]
    # Another session blocks the bus's commit inside its transaction (after the lease row's FOR SHARE).
    blocker = subprocess.Popen(
        [str(Path("/usr/lib/postgresql/15/bin/psql")), "-h", postgres_server.directory, "-p", str(postgres_server.port),
         "-U", "postgres", "-d", database, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    client = Client(zctx, first.request_endpoint, kind="DEALER", timeout_ms=200)
    try:
        blocker.stdin.write("BEGIN; LOCK TABLE calls_events IN EXCLUSIVE MODE; SELECT 'locked';\n")
        blocker.stdin.flush()
        assert blocker.stdout.readline().strip() == "locked"
        client.sock.send_multipart([b"", b'{"op":"telephony.event","user":"switch-1","event":'
                                    b'{"type":"Ringing","callId":"paused-mid-commit","deviceId":"dev-warmup"}}'])
        deadline = time.monotonic() + 10
        while "calls_events" not in postgres_server.psql(
                "SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock'", database):
            assert time.monotonic() < deadline, "the bus's commit never waited for the table"
            time.sleep(0.02)
        first.signal(signal.SIGSTOP)
        blocker.stdin.write("COMMIT;\n")
        blocker.stdin.flush()
        # The commit's INSERT goes through; its session then idles in its transaction, paused.
        second.wait_for(ACTIVE_LINE, LEASE + 10)
        requests = Client(zctx, [bus.request_endpoint for bus in group], timeout_ms=2000)
        try:
            wait_until_served(requests)
            listing = requests.list(ADMIN)
            assert "paused-mid-commit" not in {c["id"] for c in listing["calls"]}
            assert requests.event("Ringing", "after-takeover", DEV_UNOWNED) == {"statusCode": 0}
        finally:
            requests.close()
        first.signal(signal.SIGCONT)
        first.wait_for("bus standing down", 10)
    finally:
        client.close()
        blocker.stdin.close()
        blocker.wait(timeout=10)
