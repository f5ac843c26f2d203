"""GWS notifications over CometD (contract v2 section 9) with a real CometD client that nobody
here wrote: aiocometd-ng, against a real calls-bus and calls-gateway.

The gateway holds connects for 2 s (`--cometd-connect-timeout`), so that a client that closes
never waits long. Events are made through the bus as the Telephony principal."""

from __future__ import annotations

import asyncio
import itertools

import pytest

aiocometd_ng = pytest.importorskip("aiocometd_ng")

from conftest import new_stack, start_bus, start_gateway, tear_down, write_directory  # noqa: E402
from gatewaystack import ADMIN, AGENT_1, basic, healthz_ok, wait_for  # noqa: E402

AGENT_2 = ("agent-1002", "agent-1002-demo")
RECEIVE_TIMEOUT = 10  # seconds for any one message
_call_ids = itertools.count()


class BasicAuth(aiocometd_ng.Extension):
    """Adds HTTP Basic credentials to every request, and `ext` fields to chosen meta messages."""

    def __init__(self, who, subscribe_ext: dict | None = None):
        self.headers = basic(who)
        self.subscribe_ext = subscribe_ext

    async def outgoing(self, payload, headers):
        headers.update(self.headers)
        for message in payload:
            if self.subscribe_ext and message.get("channel") == "/meta/subscribe":
                message.setdefault("ext", {}).update(self.subscribe_ext)

    async def incoming(self, payload, headers=None):
        pass


@pytest.fixture(scope="module")
def cometd_stack(zmq_context):
    stack = new_stack(zmq_context)
    try:
        directory_path = write_directory(stack.workdir)
        start_bus(stack, directory_path)
        start_gateway(stack, directory_path, "--cometd-connect-timeout", "2", "--login-failures", "1000")
        wait_for(lambda: healthz_ok(stack.base_url), "calls-gateway /healthz", stack, stack.procs[-1])
        yield stack
    finally:
        tear_down(stack)


def client(stack, who, **extension):
    return aiocometd_ng.Client(
        f"{stack.base_url}/api/v2/notifications",
        aiocometd_ng.ConnectionType.LONG_POLLING,
        extensions=[BasicAuth(who, **extension)],
    )


def ring(stack, device: str) -> str:
    call_id = f"cometd-{next(_call_ids)}"
    assert stack.event("Ringing", call_id, device, participants=["+14155552671"]) == {"statusCode": 0}
    return call_id


async def receive(comet, channel="/v2/me/calls"):
    while True:
        message = await asyncio.wait_for(comet.receive(), RECEIVE_TIMEOUT)
        if message["channel"] == channel:
            return message["data"]


async def settle(comet, stack, device="dev-1001"):
    """Waits until the session receives a first call (the gateway's bus subscription has joined)."""
    call_id = ring(stack, device)
    while (await receive(comet))["call"]["id"] != call_id:
        pass


def test_burst_of_200_call_events_in_order(cometd_stack):
    async def scenario():
        async with client(cometd_stack, ADMIN) as comet:
            await comet.subscribe("/v2/me/calls")
            await settle(comet, cometd_stack)
            sent = [ring(cometd_stack, ("dev-1001", "dev-1002", "dev-1003")[index % 3]) for index in range(200)]
            received = [await receive(comet) for _ in sent]
            assert [event["call"]["id"] for event in received] == sent
            seqs = [event["seq"] for event in received]
            assert seqs == list(range(seqs[0], seqs[0] + 200))
            assert all(event["messageType"] == "CallStateChangeMessage" for event in received)

    asyncio.run(scenario())


def test_an_agent_receives_its_calls_only(cometd_stack):
    async def scenario():
        async with client(cometd_stack, AGENT_2) as comet:
            await comet.subscribe("/v2/me/calls")
            await settle(comet, cometd_stack, "dev-1002")
            ring(cometd_stack, "dev-1001")
            mine = ring(cometd_stack, "dev-1002")
            assert (await receive(comet))["call"]["id"] == mine

    asyncio.run(scenario())


def test_device_events(cometd_stack):
    async def scenario():
        async with client(cometd_stack, AGENT_1) as comet:
            await comet.subscribe("/v2/me/devices")
            await comet.subscribe("/v2/me/calls")
            await settle(comet, cometd_stack)
            for operation, state in (("StartContactCenterSession", "NotReady"), ("Ready", "Ready"),
                                     ("EndContactCenterSession", "LoggedOut")):
                reply = cometd_stack.request({"op": "users.operate", "user": AGENT_1[0], "operationName": operation})
                assert reply == {"statusCode": 0}, reply
                data = await receive(comet, "/v2/me/devices")
                assert data["messageType"] == "DeviceStateChangeMessage"
                assert [device["id"] for device in data["devices"]] == ["dev-1001"]
                assert data["devices"][0]["userState"]["state"] == state

    asyncio.run(scenario())


def test_two_sessions_of_one_user_both_receive(cometd_stack):
    async def scenario():
        async with client(cometd_stack, AGENT_1) as first, client(cometd_stack, AGENT_1) as second:
            await first.subscribe("/v2/me/calls")
            await second.subscribe("/v2/me/*")
            await settle(first, cometd_stack)
            call_id = ring(cometd_stack, "dev-1001")
            while (await receive(second))["call"]["id"] != call_id:
                pass
            assert (await receive(first))["call"]["id"] == call_id

    asyncio.run(scenario())


def test_rehandshake_with_replay_loses_nothing(cometd_stack):
    async def scenario():
        async with client(cometd_stack, AGENT_1) as comet:
            await comet.subscribe("/v2/me/calls")
            await settle(comet, cometd_stack)
            call_id = ring(cometd_stack, "dev-1001")
            event = await receive(comet)
            assert event["call"]["id"] == call_id
            last = event["seq"]
        # Away: these happen while no session exists.
        missed = [ring(cometd_stack, "dev-1001") for _ in range(5)]
        async with client(cometd_stack, AGENT_1, subscribe_ext={"replay": last}) as comet:
            await comet.subscribe("/v2/me/calls")
            live = ring(cometd_stack, "dev-1001")
            received = [(await receive(comet))["call"]["id"] for _ in range(6)]
            assert received == missed + [live]

    asyncio.run(scenario())


class Acknowledge(aiocometd_ng.Extension):
    """The ack extension (contract section 9), written on aiocometd-ng's extension hooks as
    CometD's own AckExtension is: the library ships none, but every outgoing and incoming
    payload passes through its extensions. It asks for acks at handshake, notes the `ext.ack` of
    each connect reply and sends it back on the next connect; when told to, it withholds the ack
    of the next reply that carried a call event once (sending the number before it instead)."""

    def __init__(self):
        self.granted = None
        self.received: list[int] = []
        self.withhold_next_event_batch = False
        self._withhold = False

    async def outgoing(self, payload, headers):
        for message in payload:
            if message.get("channel") == "/meta/handshake":
                message.setdefault("ext", {})["ack"] = True
            elif message.get("channel") == "/meta/connect" and self.granted and self.received:
                ack = self.received[-1] - 1 if self._withhold else self.received[-1]
                self._withhold = False
                message.setdefault("ext", {})["ack"] = ack

    async def incoming(self, payload, headers=None):
        for message in payload:
            if message.get("channel") == "/meta/handshake":
                self.granted = message.get("ext", {}).get("ack")
            elif message.get("channel") == "/meta/connect" and "ack" in message.get("ext", {}):
                self.received.append(message["ext"]["ack"])
        if self.withhold_next_event_batch and any(m.get("channel") == "/v2/me/calls" for m in payload):
            self.withhold_next_event_batch = False
            self._withhold = True


def test_ack_extension_resends_a_batch_not_acknowledged(cometd_stack):
    async def scenario():
        ack = Acknowledge()
        async with aiocometd_ng.Client(
            f"{cometd_stack.base_url}/api/v2/notifications",
            aiocometd_ng.ConnectionType.LONG_POLLING,
            extensions=[BasicAuth(ADMIN), ack],
        ) as comet:
            await comet.subscribe("/v2/me/calls")
            await settle(comet, cometd_stack)
            assert ack.granted is True
            ack.withhold_next_event_batch = True
            withheld = ring(cometd_stack, "dev-1001")
            first = await receive(comet)
            again = await receive(comet)
            assert first["call"]["id"] == again["call"]["id"] == withheld
            assert first["seq"] == again["seq"]
            # Acknowledged from now on: the next event comes once, right after the repeat.
            following = ring(cometd_stack, "dev-1002")
            assert (await receive(comet))["call"]["id"] == following
            last = ring(cometd_stack, "dev-1003")
            assert (await receive(comet))["call"]["id"] == last
            assert ack.received == sorted(set(ack.received)) and len(ack.received) >= 4

    asyncio.run(scenario())
