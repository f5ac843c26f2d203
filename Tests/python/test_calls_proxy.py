"""calls-proxy as outside clients see it (pyzmq): a real calls-bus, a real calls-proxy in front of
its events socket. Events through the proxy are the bus's own frames; CURVE guards both sides; a
subscriber that lost events while the proxy was away fills them from the bus's events.replay."""

from __future__ import annotations

import time

import pytest
import zmq

from busclient import ADMIN, AGENT_1, DEV_1, SWITCH, Bus, Client, Subscriber, _configure, warm_up
from proxyprocess import Proxy
from test_bus_curve import write_certificate


class CurveClient(Client):
    """A REQ client that speaks CURVE to the bus with `keys`."""

    def __init__(self, ctx: zmq.Context, endpoint: str, keys: tuple[bytes, bytes], server_key: bytes):
        self.keys, self.server_key = keys, server_key
        super().__init__(ctx, endpoint)

    def _open(self) -> zmq.Socket:
        sock = _configure(self.ctx.socket(zmq.REQ), self.timeout_ms)
        sock.curve_serverkey = self.server_key
        sock.curve_publickey, sock.curve_secretkey = self.keys
        sock.connect(self.endpoint)
        return sock


class CurveSubscriber(Subscriber):
    """A SUB to `calls/` with CURVE keys (`keys` None: no CURVE at all)."""

    def __init__(self, ctx: zmq.Context, endpoint: str, keys: tuple[bytes, bytes] | None, server_key: bytes):
        self.sock = _configure(ctx.socket(zmq.SUB), 2000)
        if keys is not None:
            self.sock.curve_serverkey = server_key
            self.sock.curve_publickey, self.sock.curve_secretkey = keys
        self.sock.setsockopt(zmq.SUBSCRIBE, b"calls/")
        self.sock.connect(endpoint)


@pytest.fixture
def proxied(bus, zctx):
    proxy = Proxy(bus.workdir, bus.events_endpoint).start()
    yield bus, proxy
    proxy.kill()


def test_events_through_the_proxy_are_the_buses_frames(proxied, zctx):
    bus, proxy = proxied
    client = Client(zctx, bus.request_endpoint)
    direct = Subscriber(zctx, bus.events_endpoint)
    through = Subscriber(zctx, proxy.endpoint)
    try:
        warm_up(direct, client, DEV_1, "direct")
        warm_up(through, client, DEV_1, "through")
        direct.drain()
        through.drain()
        for number in range(50):
            assert client.event("Ringing", f"p-{number}", DEV_1) == {"statusCode": 0}
            if number % 2 == 0:
                assert client.event("Established", f"p-{number}", DEV_1) == {"statusCode": 0}
        want = direct.collect(75)
        got = through.collect(75)
        assert len(want) == 75
        assert [frames for _, _, frames in got] == [frames for _, _, frames in want]
        seqs = [body["seq"] for _, body, _ in got]
        assert seqs == list(range(seqs[0], seqs[0] + 75))
    finally:
        for sock in (client, direct, through):
            sock.close()


def test_the_environment_configures_the_proxy(bus, zctx):
    endpoint = f"ipc://{bus.workdir}/proxy"
    proxy = Proxy(bus.workdir, None, environment={
        "CALLS_PROXY_BUS_ENDPOINT": f" {bus.events_endpoint} ,ipc://{bus.workdir}/standby-pub",
        "CALLS_PROXY_ENDPOINT": endpoint, "CALLS_PROXY_SEND_HIGH_WATER_MARK": "500",
        "CALLS_PROXY_LOG_LEVEL": "debug",
    }).start()
    client = Client(zctx, bus.request_endpoint)
    through = Subscriber(zctx, endpoint)
    try:
        warm_up(through, client, DEV_1, "environment")
        log = proxy.log()
        assert f"proxy.bus.endpoints={bus.events_endpoint},ipc://{bus.workdir}/standby-pub" in log, log
        assert "proxy.hwm.send=500" in log, log
    finally:
        client.close()
        through.close()
        proxy.kill()


def test_sigterm_stops_the_proxy_cleanly(proxied):
    _, proxy = proxied
    assert proxy.stop() == 0
    log = proxy.log()
    assert "proxy stopping" in log and "proxy stopped" in log, log


def test_the_proxy_logs_its_statistics(bus, zctx):
    proxy = Proxy(bus.workdir, bus.events_endpoint, "--statistics-interval", "0.2").start()
    client = Client(zctx, bus.request_endpoint)
    through = Subscriber(zctx, proxy.endpoint)
    try:
        warm_up(through, client, DEV_1, "stats")
        deadline = time.monotonic() + 5
        while "proxy.events.in=" not in proxy.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "proxy statistics" in proxy.log(), proxy.log()
        assert "proxy.subscriptions.in=" in proxy.log()
    finally:
        client.close()
        through.close()
        proxy.kill()


def test_beyond_loopback_without_curve_is_refused(bus):
    proxy = Proxy(bus.workdir, bus.events_endpoint)
    proxy.args[proxy.args.index("--endpoint") + 1] = "tcp://0.0.0.0:0"
    with pytest.raises(RuntimeError, match="refusing to bind tcp://0.0.0.0:0 beyond loopback without CURVE"):
        proxy.start()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--bus-endpoint", "ipc:///tmp/a,,ipc:///tmp/b"], "--bus-endpoint has an empty item"),
        (["--endpoint", "tcp://127.0.0.1"], "--endpoint item 'tcp://127.0.0.1' is not an endpoint"),
        (["--curve-clients", "/tmp"], "--curve-clients needs --curve-publish-secret-key-file or"),
        (["--curve-server-key-file", "/tmp/bus.pub"], "--curve-server-key-file needs --curve-secret-key-file"),
        (["--send-high-water-mark", "0"], "--send-high-water-mark must be a whole number of at least 1"),
    ],
)
def test_bad_flags_are_named(bus, flags, message):
    proxy = Proxy(bus.workdir, bus.events_endpoint, *flags)
    with pytest.raises(RuntimeError, match="exited with 1") as failure:
        proxy.start()
    assert message in str(failure.value)


def test_curve_on_both_sides(bus_factory, zctx):
    keys = {name: zmq.curve_keypair() for name in ("bus", "proxy", ADMIN, AGENT_1, SWITCH, "stranger")}
    probe = bus_factory()
    folder = probe.workdir
    bus_clients, proxy_clients = folder / "bus-clients", folder / "proxy-clients"
    bus_clients.mkdir()
    proxy_clients.mkdir()
    write_certificate(folder / "bus_secret", *keys["bus"])
    write_certificate(folder / "bus.pub", keys["bus"][0])
    write_certificate(folder / "proxy_secret", *keys["proxy"])
    write_certificate(folder / "proxy.pub", keys["proxy"][0])
    # The bus admits the proxy as the admin (it hears every call), and the test's own client.
    write_certificate(bus_clients / "proxy", keys["proxy"][0], principal=ADMIN)
    write_certificate(bus_clients / SWITCH, keys[SWITCH][0], principal=SWITCH)
    # The proxy admits the admin and an agent; the agent may not hear every call.
    write_certificate(proxy_clients / ADMIN, keys[ADMIN][0], principal=ADMIN)
    write_certificate(proxy_clients / AGENT_1, keys[AGENT_1][0], principal=AGENT_1)
    bus = Bus(folder, ["--curve-secret-key-file", str(folder / "bus_secret"), "--curve-clients", str(bus_clients)])
    bus.start()
    proxy = Proxy(
        folder, bus.events_endpoint,
        "--directory", str(bus.directory_path),
        "--curve-secret-key-file", str(folder / "proxy_secret"),
        "--curve-server-key-file", str(folder / "bus.pub"),
        "--curve-clients", str(proxy_clients),
    ).start()

    def subscriber(who: str | None, server: str = "proxy") -> Subscriber:
        return CurveSubscriber(zctx, proxy.endpoint, keys[who] if who else None, keys[server][0])

    client = CurveClient(zctx, bus.request_endpoint, keys[SWITCH], keys["bus"][0])
    admitted = subscriber(ADMIN)
    refused = [subscriber("stranger"), subscriber(AGENT_1), subscriber(None), subscriber(ADMIN, server="bus")]
    try:
        first = warm_up(admitted, client, DEV_1, "curve")
        assert first[0].startswith("calls/")
        for number in range(5):
            assert client.event("Ringing", f"c-{number}", DEV_1) == {"statusCode": 0}
        assert len(admitted.drain()) >= 5
        for sub in refused:
            assert sub.recv(300) is None
        log = proxy.log()
        assert "CURVE subscriber admitted" in log and "proxy.principal=admin" in log, log
        assert "CURVE subscriber refused: unknown key" in log, log
        assert "CURVE subscriber refused: may not see every call" in log, log
        # SIGTERM ends the ZAP handler's thread too: a clean exit, not a kill.
        assert proxy.stop() == 0, proxy.log()
    finally:
        for sock in (client, admitted, *refused):
            sock.close()
        proxy.kill()
        bus.kill()


def test_a_subscriber_fills_from_the_bus_what_it_missed_while_the_proxy_was_away(proxied, zctx):
    """The recipe through the proxy: follow `seq`; on a jump, ask the bus's events.replay."""
    bus, proxy = proxied
    client = Client(zctx, bus.request_endpoint)
    sub = Subscriber(zctx, proxy.endpoint)
    try:
        _, body, _ = warm_up(sub, client, DEV_1, "restart")
        received = [body["seq"]]

        def follow(until_seq: int, timeout: float = 10.0) -> None:
            deadline = time.monotonic() + timeout
            while received[-1] < until_seq and time.monotonic() < deadline:
                got = sub.recv(200)
                if got is None:
                    # Nothing live: a new event reveals any gap (the slow joiner after a reconnect).
                    assert client.event("Ringing", f"nudge-{time.monotonic_ns()}", DEV_1) == {"statusCode": 0}
                    continue
                seq = got[1]["seq"]
                if seq <= received[-1]:
                    continue
                if seq > received[-1] + 1:
                    missed = client.replay_all(ADMIN, received[-1])
                    received.extend(event["seq"] for event in missed if received[-1] < event["seq"] < seq)
                received.append(seq)

        latest = client.list(ADMIN)["seq"]
        follow(latest)
        proxy.kill()
        for number in range(10):
            assert client.event("Ringing", f"away-{number}", DEV_1) == {"statusCode": 0}
        proxy.start()
        follow(client.list(ADMIN)["seq"] + 1)
        assert received == list(range(received[0], received[-1] + 1))
        assert received[-1] >= latest + 10
    finally:
        client.close()
        sub.close()
