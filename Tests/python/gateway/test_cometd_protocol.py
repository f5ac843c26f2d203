"""GWS notifications over CometD (contract v2 section 9), message by message over plain HTTP,
against a real calls-bus and calls-gateway with short CometD timeouts and a small queue:
connects are held 1 s, sessions expire 1 s after a connect reply, a session holds 3 messages."""

from __future__ import annotations

import concurrent.futures
import itertools
import signal
import time

import pytest
import requests

from conftest import new_stack, start_bus, start_gateway, tear_down, write_directory
from gatewaystack import ADMIN, AGENT_1, basic, healthz_ok, wait_for

AGENT_2 = ("agent-1002", "agent-1002-demo")
TIMEOUT = 5
_call_ids = itertools.count()


@pytest.fixture(scope="module")
def stack(zmq_context):
    stack = new_stack(zmq_context)
    try:
        directory_path = write_directory(stack.workdir)
        start_bus(stack, directory_path)
        start_gateway(stack, directory_path, "--cometd-connect-timeout", "1", "--cometd-session-timeout", "1",
                      "--cometd-max-queue", "3", "--login-failures", "1000")
        wait_for(lambda: healthz_ok(stack.base_url), "calls-gateway /healthz", stack, stack.procs[-1])
        yield stack
    finally:
        tear_down(stack)


def post(stack, messages, who=AGENT_1, suffix="", raw: bytes | None = None) -> requests.Response:
    url = f"{stack.base_url}/api/v2/notifications{suffix}"
    headers = {**basic(who), "Content-Type": "application/json"}
    if raw is not None:
        return requests.post(url, data=raw, headers=headers, timeout=TIMEOUT)
    return requests.post(url, json=messages, headers=headers, timeout=TIMEOUT)


def send(stack, messages, who=AGENT_1, suffix=""):
    response = post(stack, messages, who, suffix)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    return response.json()


def handshake(stack, who=AGENT_1, **fields) -> str:
    reply = send(stack, [{"channel": "/meta/handshake", "version": "1.0", **fields}], who, "/handshake")
    return reply[0]["clientId"]


def connect(stack, client_id, who=AGENT_1, **fields):
    return send(stack, [{"channel": "/meta/connect", "clientId": client_id, "connectionType": "long-polling",
                         **fields}], who, "/connect")


def subscribe(stack, client_id, channel, who=AGENT_1, **fields):
    return send(stack, [{"channel": "/meta/subscribe", "clientId": client_id, "subscription": channel, "id": "s",
                         **fields}], who)[0]


def ring(stack, device: str) -> str:
    call_id = f"raw-{next(_call_ids)}"
    assert stack.event("Ringing", call_id, device, participants=["+14155552671"]) == {"statusCode": 0}
    return call_id


def collect(stack, client_id, count, who=AGENT_1, channel="/v2/me/calls"):
    data = []
    deadline = time.monotonic() + 10
    while len(data) < count and time.monotonic() < deadline:
        data += [message["data"] for message in connect(stack, client_id, who) if message.get("channel") == channel]
    return data


def test_handshake_reply(stack):
    reply = send(stack, [{"channel": "/meta/handshake", "id": "h1", "version": "1.0", "ext": {"ack": True}}])
    assert len(reply) == 1
    message = reply[0]
    assert message["channel"] == "/meta/handshake" and message["id"] == "h1"
    assert message["successful"] is True and message["version"] == "1.0"
    assert message["supportedConnectionTypes"] == ["long-polling"]
    assert message["advice"] == {"reconnect": "retry", "interval": 0, "timeout": 1000}
    assert message["ext"] == {"ack": True}
    assert isinstance(message["clientId"], str) and message["clientId"]


def test_without_credentials_is_401(stack):
    response = requests.post(f"{stack.base_url}/api/v2/notifications", json=[{"channel": "/meta/handshake"}],
                             timeout=TIMEOUT)
    assert response.status_code == 401


def test_subscriptions_allowed_and_denied(stack):
    client_id = handshake(stack)
    for channel in ("/v2/me/calls", "/v2/me/devices", "/v2/me/*", "/v2/me/**"):
        reply = subscribe(stack, client_id, channel)
        assert reply == {"channel": "/meta/subscribe", "id": "s", "successful": True, "clientId": client_id,
                         "subscription": channel}
    for channel in ("/v2/calls", "/v2/me/other", "/**", "/meta/connect"):
        reply = subscribe(stack, client_id, channel)
        assert reply["successful"] is False
        assert reply["error"] == f"403:{client_id},{channel}:Subscription denied"
        assert reply["id"] == "s" and reply["channel"] == "/meta/subscribe"


def test_unknown_foreign_and_missing_client_ids(stack):
    client_id = handshake(stack)
    for message, who in (({"clientId": "nope"}, AGENT_1), ({"clientId": client_id}, AGENT_2), ({}, AGENT_1)):
        reply = send(stack, [{"channel": "/meta/connect", "id": 5, **message}], who)[0]
        assert reply["successful"] is False and reply["error"] == "402::Unknown client"
        assert reply["advice"] == {"reconnect": "handshake", "interval": 0}
        assert reply["id"] == 5 and reply["channel"] == "/meta/connect"


def test_bad_input_is_400_or_a_bayeux_error_and_never_held(stack):
    for raw in (b"not json", b"42", b"{", b"[]", b'"text"', b"[" * 2000, b"x" * (1 << 20)):
        started = time.monotonic()
        response = post(stack, None, raw=raw)
        assert response.status_code == 400, raw[:10]
        assert time.monotonic() - started < 3
    client_id = handshake(stack)
    replies = send(stack, [{"channel": "/meta/bogus", "clientId": client_id, "id": "1"},
                           {"clientId": client_id, "id": "2"}, 7])
    assert replies[0]["error"] == "400::Unknown meta channel" and replies[0]["successful"] is False
    assert replies[1]["error"] == "400::Missing channel"
    assert replies[2]["successful"] is False
    assert healthz_ok(stack.base_url)


def test_held_connect_is_answered_by_a_message_or_the_timeout(stack):
    client_id = handshake(stack)
    subscribe(stack, client_id, "/v2/me/calls")
    assert len(connect(stack, client_id)) == 1  # the first connect answers at once
    started = time.monotonic()
    reply = connect(stack, client_id)
    assert reply[-1]["successful"] is True and time.monotonic() - started >= 0.8
    assert len(connect(stack, client_id, advice={"timeout": 0})) == 1
    call_id = ring(stack, "dev-1001")
    data = collect(stack, client_id, 1)
    assert data[0]["call"]["id"] == call_id


def test_session_expires_without_connects(stack):
    client_id = handshake(stack)
    connect(stack, client_id)
    time.sleep(1.6)
    reply = connect(stack, client_id, advice={"timeout": 0})
    assert reply[0]["error"] == "402::Unknown client"


def test_ack_resends_what_was_not_acknowledged(stack):
    client_id = handshake(stack, ext={"ack": True})
    subscribe(stack, client_id, "/v2/me/calls")
    first_ack = connect(stack, client_id)[-1]["ext"]["ack"]
    call_id = ring(stack, "dev-1001")
    batch = []
    while len(batch) < 2:
        batch = connect(stack, client_id, ext={"ack": first_ack})
    assert batch[0]["data"]["call"]["id"] == call_id
    again = connect(stack, client_id, ext={"ack": first_ack})
    assert again[0]["data"]["call"]["id"] == call_id
    assert again[-1]["ext"]["ack"] > batch[-1]["ext"]["ack"]
    done = connect(stack, client_id, ext={"ack": again[-1]["ext"]["ack"]}, advice={"timeout": 0})
    assert len(done) == 1


def test_overflow_ends_the_session(stack):
    before = overflows(stack)
    client_id = handshake(stack)
    subscribe(stack, client_id, "/v2/me/calls")
    watcher = handshake(stack, ADMIN)
    subscribe(stack, watcher, "/v2/me/calls", ADMIN)
    connect(stack, client_id)
    connect(stack, watcher, ADMIN)
    for _ in range(4):
        call_id = ring(stack, "dev-1001")
        assert collect(stack, watcher, 1, ADMIN)[-1]["call"]["id"] == call_id
    reply = connect(stack, client_id, advice={"timeout": 0})
    assert reply[0]["error"] == "402::Unknown client"
    assert overflows(stack) > before
    metrics = requests.get(f"{stack.base_url}/metrics", timeout=TIMEOUT).text
    assert "calls_gateway_cometd_sessions " in metrics and "calls_gateway_cometd_queued_messages " in metrics


def overflows(stack) -> int:
    metrics = requests.get(f"{stack.base_url}/metrics", timeout=TIMEOUT).text
    prefix = 'calls_gateway_cometd_sessions_ended_total{reason="overflowed"} '
    return next((int(float(line[len(prefix):])) for line in metrics.splitlines() if line.startswith(prefix)), 0)


def test_an_agent_never_receives_another_agents_call(stack):
    client_id = handshake(stack, AGENT_2)
    subscribe(stack, client_id, "/v2/me/**", AGENT_2)
    connect(stack, client_id, AGENT_2)
    theirs = ring(stack, "dev-1001")
    mine = ring(stack, "dev-1002")
    data = collect(stack, client_id, 1, AGENT_2)
    assert [event["call"]["id"] for event in data] == [mine]
    assert theirs not in str(connect(stack, client_id, AGENT_2, advice={"timeout": 0}))


def test_graceful_shutdown_answers_held_connects(zmq_context):
    """SIGTERM answers a connect held for 30 s at once, with reconnect advice, and the gateway exits."""
    own = new_stack(zmq_context)
    try:
        directory_path = write_directory(own.workdir)
        start_bus(own, directory_path)
        start_gateway(own, directory_path)
        wait_for(lambda: healthz_ok(own.base_url), "calls-gateway /healthz", own, own.procs[-1])
        client_id = handshake(own)
        subscribe(own, client_id, "/v2/me/calls")
        connect(own, client_id)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            held = pool.submit(connect, own, client_id)
            time.sleep(0.5)
            assert not held.done()
            started = time.monotonic()
            own.procs[-1].send_signal(signal.SIGTERM)
            reply = held.result(timeout=10)
            assert time.monotonic() - started < 5
        assert reply[-1]["successful"] is True
        assert reply[-1]["advice"]["reconnect"] == "retry" and reply[-1]["advice"]["interval"] == 1000
        assert own.procs[-1].wait(timeout=10) == 0
    finally:
        tear_down(own)
