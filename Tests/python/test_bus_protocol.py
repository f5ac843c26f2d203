"""The bus protocol (contract sections 1-5), driven from outside over ZeroMQ."""

from __future__ import annotations

import json
import time

import pytest

from busclient import (
    ADMIN,
    AGENT_1,
    AGENT_2,
    DEV_1,
    DEV_2,
    DEV_UNOWNED,
    OWNER_OF_DEVICE,
    PUBLIC_BASE_URL,
    SWITCH,
    Client,
    assert_error,
    capabilities_for,
    warm_up,
)

SF_NUMBER = "+14155552671"
SF_INFO = {
    "country": {"name": "United States", "code": "US", "callingCode": "1"},
    "location": "San Francisco, CA",
    "localPhoneNumber": "(415) 555-2671",
    "E164digits": "+14155552671",
}

CALL_REQUIRED_KEYS = {"id", "uri", "path", "state", "capabilities", "deviceUri", "participants", "mute", "callType"}
CALL_OPTIONAL_KEYS = {
    "ani", "participantsInfo", "userData", "startTime", "connectedTime", "endTime", "parentCallUri", "recordingState",
}
EVENT_BODY_KEYS = {"seq", "ownerSeq", "messageType", "notificationType", "call"}
OK = {"statusCode": 0}


def check_call(call: dict, call_id: str, device: str, state: str, *, mute: str = "Off", call_type: str | None = None):
    """The call object of section 1, with the capabilities of section 2."""
    assert CALL_REQUIRED_KEYS <= set(call) <= CALL_REQUIRED_KEYS | CALL_OPTIONAL_KEYS, call
    assert call["id"] == call_id
    assert call["uri"] == f"{PUBLIC_BASE_URL}/api/v2/me/calls/{call_id}"
    assert call["path"] == f"/calls/{call_id}"
    assert call["deviceUri"] == f"{PUBLIC_BASE_URL}/api/v2/devices/{device}"
    assert call["state"] == state
    assert call["mute"] == mute
    assert isinstance(call["participants"], list) and all(isinstance(p, str) for p in call["participants"])
    caps = call["capabilities"]
    assert isinstance(caps, list) and len(caps) == len(set(caps)), f"capabilities repeat: {caps}"
    assert set(caps) == capabilities_for(state, mute, len(call["participants"])), (state, mute, caps)
    if call_type is not None:
        assert call["callType"] == call_type
    if "userData" in call:
        assert call["userData"], "userData must be absent when empty"
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in call["userData"].items())
    return call


def get_call(client, call_id: str, user: str = ADMIN) -> dict:
    reply = client.get(user, call_id)
    assert reply["statusCode"] == 0, reply
    assert set(reply) == {"statusCode", "call"}, reply
    return reply["call"]


# --- Request sockets -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["REQ", "DEALER"])
def test_req_and_dealer_clients_both_get_exactly_one_reply(clients, kind):
    c = clients(kind)
    for _ in range(3):
        assert c.list(ADMIN) == {"statusCode": 0, "seq": 0, "calls": []}
        assert c.no_more_replies()


def test_req_and_dealer_clients_side_by_side(clients):
    req, dealer = clients("REQ"), clients("DEALER")
    assert req.event("Ringing", "c-1", DEV_1) == OK
    assert dealer.event("Ringing", "c-2", DEV_2) == OK
    assert req.list(ADMIN)["seq"] == 2
    assert dealer.list(ADMIN)["seq"] == 2
    assert get_call(req, "c-2")["state"] == "Ringing"
    assert get_call(dealer, "c-1")["state"] == "Ringing"


# --- calls.list / calls.get ------------------------------------------------------------


def test_calls_list_reply_has_seq_of_last_applied_event(client):
    assert client.list(ADMIN) == {"statusCode": 0, "seq": 0, "calls": []}
    assert client.event("Ringing", "c-1", DEV_1) == OK
    assert client.event("Dialing", "c-2", DEV_2) == OK
    assert client.event("Established", "c-1", DEV_1) == OK
    reply = client.list(ADMIN)
    assert set(reply) == {"statusCode", "seq", "calls"}
    assert reply["statusCode"] == 0 and reply["seq"] == 3
    calls = {c["id"]: c for c in reply["calls"]}
    assert set(calls) == {"c-1", "c-2"}
    check_call(calls["c-1"], "c-1", DEV_1, "Established", call_type="Inbound")
    check_call(calls["c-2"], "c-2", DEV_2, "Dialing", call_type="Outbound")
    # A refused event changes nothing, seq included.
    assert_error(client.event("Held", "c-2", DEV_2), 2)
    assert client.list(ADMIN)["seq"] == 3


def test_calls_get_reply_shape_inbound_with_ani_and_participants_info(client):
    assert client.event("Ringing", "in-1", DEV_1, participants=[SF_NUMBER, "5001"], ani=SF_NUMBER) == OK
    call = check_call(get_call(client, "in-1"), "in-1", DEV_1, "Ringing", call_type="Inbound")
    assert call["participants"] == [SF_NUMBER, "5001"]
    assert call["ani"] == SF_NUMBER
    assert call["participantsInfo"] == [SF_INFO]
    assert "userData" not in call
    # The agent owning the device sees the very same object.
    assert get_call(client, "in-1", AGENT_1) == call


def test_calls_get_ani_absent_unless_inbound_and_default_call_types(client):
    assert client.event("Dialing", "out-1", DEV_1, participants=["5001"], ani=SF_NUMBER) == OK
    assert client.event("Ringing", "int-1", DEV_1, callType="Internal", ani=SF_NUMBER) == OK
    assert client.event("Ringing", "in-2", DEV_2) == OK
    out = check_call(get_call(client, "out-1"), "out-1", DEV_1, "Dialing", call_type="Outbound")
    assert "ani" not in out and "participantsInfo" not in out
    internal = check_call(get_call(client, "int-1"), "int-1", DEV_1, "Ringing", call_type="Internal")
    assert "ani" not in internal
    plain = check_call(get_call(client, "in-2"), "in-2", DEV_2, "Ringing", call_type="Inbound")
    assert "ani" not in plain and plain["participants"] == []


# --- calls.operate ---------------------------------------------------------------------


def test_calls_operate_answer_mute_hold_dtmf_userdata_hangup(client, admin_seq):
    assert client.event("Ringing", "op-1", DEV_1, participants=[SF_NUMBER]) == OK
    seq = admin_seq()
    steps = [
        # (user, operation, params, expected state, expected mute)
        (AGENT_1, "Answer", {}, "Established", "Off"),
        (AGENT_1, "MuteCall", {}, "Established", "On"),
        (AGENT_1, "Hold", {}, "Held", "On"),  # Hold leaves mute as it is
        (ADMIN, "Retrieve", {}, "Established", "On"),
        (AGENT_1, "UnmuteCall", {}, "Established", "Off"),
        (AGENT_1, "SendDtmf", {"digits": "0123456789*#ABCD"}, "Established", "Off"),
        (AGENT_1, "AttachUserData", {"userData": {"a": "1", "b": "2"}}, "Established", "Off"),
        (AGENT_1, "UpdateUserData", {"userData": {"b": "3"}}, "Established", "Off"),
        (AGENT_1, "DeleteUserDataPair", {"key": "a"}, "Established", "Off"),
        (AGENT_1, "DeleteUserDataPair", {"key": "absent"}, "Established", "Off"),
        (AGENT_1, "Hangup", {}, "Released", "Off"),
    ]
    for user, operation, params, state, mute in steps:
        assert client.operate(user, "op-1", operation, **params) == OK, operation
        seq += 1
        assert admin_seq() == seq, f"{operation} must publish exactly one event"
        check_call(get_call(client, "op-1", AGENT_1), "op-1", DEV_1, state, mute=mute)
    assert get_call(client, "op-1")["userData"] == {"b": "3"}


def test_delete_user_data_succeeds_even_when_there_is_none(client, admin_seq):
    assert client.event("Ringing", "ud-1", DEV_2) == OK
    assert client.operate(AGENT_2, "ud-1", "DeleteUserData") == OK
    assert admin_seq() == 2
    assert client.operate(AGENT_2, "ud-1", "AttachUserData", userData={"k": "v"}) == OK
    assert get_call(client, "ud-1")["userData"] == {"k": "v"}
    assert client.operate(AGENT_2, "ud-1", "DeleteUserData") == OK
    assert "userData" not in get_call(client, "ud-1")


def test_single_step_transfer_releases_the_call(client):
    assert client.event("Ringing", "tr-1", DEV_1) == OK
    assert client.operate(AGENT_1, "tr-1", "Answer") == OK
    assert_error(client.operate(AGENT_1, "tr-1", "SingleStepTransfer"), 1)
    assert_error(client.operate(AGENT_1, "tr-1", "SingleStepTransfer", destination="5001"), 2)
    assert client.operate(AGENT_1, "tr-1", "SingleStepTransfer", destination={"phoneNumber": "5001"}) == OK
    check_call(get_call(client, "tr-1"), "tr-1", DEV_1, "Released")


@pytest.mark.parametrize(
    "state_events, operation, params, status",
    [
        (["Ringing"], "Hold", {}, 2),
        (["Ringing"], "SendDtmf", {"digits": "1"}, 2),
        (["Dialing"], "Answer", {}, 2),
        (["Ringing", "Established"], "Retrieve", {}, 2),
        (["Ringing", "Established"], "UnmuteCall", {}, 2),
        (["Ringing", "Established", "Held"], "Hold", {}, 2),
        (["Ringing", "Established", "Released"], "Hangup", {}, 2),
        (["Ringing", "Established"], "Fly", {}, 2),
        (["Ringing", "Established"], "SendDtmf", {}, 1),
        (["Ringing", "Established"], "SendDtmf", {"digits": ""}, 2),
        (["Ringing", "Established"], "SendDtmf", {"digits": "12x"}, 2),
        (["Ringing", "Established"], "SendDtmf", {"digits": "1" * 33}, 2),
        (["Ringing", "Established"], "SendDtmf", {"digits": "1" * 100_000}, 2),
        (["Ringing", "Established"], "SendDtmf", {"digits": 12}, 2),
        (["Ringing"], "AttachUserData", {}, 1),
        (["Ringing"], "AttachUserData", {"userData": {"a": 1}}, 2),
        (["Ringing"], "AttachUserData", {"userData": "a"}, 2),
        (["Ringing"], "DeleteUserDataPair", {}, 1),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_refused_operation_changes_nothing(client, admin_seq, state_events, operation, params, status):
    for event_type in state_events:
        assert client.event(event_type, "rf-1", DEV_1) == OK
    before, seq = get_call(client, "rf-1"), admin_seq()
    assert_error(client.operate(AGENT_1, "rf-1", operation, **params), status)
    assert get_call(client, "rf-1") == before
    assert admin_seq() == seq, "a refused operation publishes nothing"


# --- telephony.event -------------------------------------------------------------------


def test_telephony_events_move_calls_and_refuse_the_rest(client, admin_seq):
    ev = client.event
    assert ev("Ringing", "t-1", DEV_1, participants=["5001"]) == OK
    assert ev("Established", "t-1", DEV_1) == OK
    assert ev("Held", "t-1", DEV_1) == OK
    check_call(get_call(client, "t-1"), "t-1", DEV_1, "Held")
    assert ev("Retrieved", "t-1", DEV_1) == OK
    assert ev("PartiesChanged", "t-1", DEV_1, participants=[SF_NUMBER]) == OK
    call = check_call(get_call(client, "t-1"), "t-1", DEV_1, "Established")
    assert call["participants"] == [SF_NUMBER] and call["participantsInfo"] == [SF_INFO]
    assert ev("Released", "t-1", DEV_1) == OK
    check_call(get_call(client, "t-1"), "t-1", DEV_1, "Released")
    assert admin_seq() == 6

    assert ev("Dialing", "t-2", DEV_2) == OK
    refused = [
        ev("Established", "unknown", DEV_1),  # only Ringing/Dialing create
        ev("Held", "t-2", DEV_2),  # Held only from Established
        ev("Retrieved", "t-2", DEV_2),
        ev("Ringing", "t-2", DEV_2),  # callId exists
        ev("Ringing", "t-1", DEV_1),  # callId of a call still retained
        ev("Released", "t-1", DEV_1),  # already Released
        ev("PartiesChanged", "t-1", DEV_1, participants=["1"]),
        ev("Established", "t-2", DEV_1),  # another deviceId than the call's
        ev("Bogus", "t-3", DEV_1),
        ev("Ringing", "t-3", DEV_1, callType="Sideways"),
    ]
    for reply in refused:
        assert_error(reply, 2)
    assert_error(client.request({"op": "telephony.event", "user": SWITCH}), 1)
    assert admin_seq() == 7, "refused events publish nothing"
    check_call(get_call(client, "t-2"), "t-2", DEV_2, "Dialing", call_type="Outbound")


# --- events.replay ---------------------------------------------------------------------


def test_events_replay_reply_shape_and_bounds(client):
    assert client.replay(ADMIN, 0) == {"statusCode": 0, "events": []}
    assert client.event("Ringing", "r-1", DEV_1) == OK
    assert client.event("Established", "r-1", DEV_1) == OK
    reply = client.replay(ADMIN, 0)
    assert set(reply) == {"statusCode", "events"} and reply["statusCode"] == 0
    assert [e["seq"] for e in reply["events"]] == [1, 2]
    for e in reply["events"]:
        assert set(e) == {"topic"} | EVENT_BODY_KEYS, e
        assert e["topic"] == f"calls/{AGENT_1}/r-1"
        assert e["messageType"] == "CallStateChangeMessage" and e["notificationType"] == "StatusChange"
    assert [e["call"]["state"] for e in reply["events"]] == ["Ringing", "Established"]
    assert [e["ownerSeq"] for e in reply["events"]] == [1, 2]
    assert client.replay(ADMIN, 2) == {"statusCode": 0, "events": []}
    assert client.replay(ADMIN, 1000) == {"statusCode": 0, "events": []}
    assert_error(client.replay(ADMIN, -1), 2)
    assert_error(client.replay(ADMIN, "1"), 2)
    assert_error(client.request({"op": "events.replay", "user": ADMIN}), 1)


def test_events_replay_comes_in_pages_that_say_more(bus, zctx):
    """Contract section 11: at most 10,000 events a reply; `"more": true` while events remain."""
    dealer = Client(zctx, bus.request_endpoint, "DEALER")
    try:
        total, sent, got = 2_345, 0, 0
        while got < total:
            while sent < total and sent - got < 64:
                dealer.sock.send_multipart([b"", json.dumps(
                    {"op": "telephony.event", "user": SWITCH,
                     "event": {"type": "Ringing", "callId": f"pg-{sent}", "deviceId": DEV_1}}).encode()])
                sent += 1
            assert json.loads(dealer.sock.recv_multipart()[1]) == {"statusCode": 0}
            got += 1
        first = dealer.replay(ADMIN, 0)
        assert first["more"] is True and 0 < len(first["events"]) <= 10_000
        events = dealer.replay_all(ADMIN, 0)
        assert [e["seq"] for e in events] == list(range(1, total + 1))
        assert [e["seq"] for e in dealer.replay_all(AGENT_1, 0)] == list(range(1, total + 1))
    finally:
        dealer.close()


def test_events_replay_older_than_retained_history_is_refused_across_restart(bus_factory, zctx):
    bus = bus_factory("--event-history", "5").start()
    client = Client(zctx, bus.request_endpoint)
    try:
        for i in range(4):
            assert client.event("Ringing", f"h-{i}", DEV_1) == OK
            assert client.event("Established", f"h-{i}", DEV_1) == OK
        for attempt in range(2):
            # 8 events, the last 5 (seq 4..8) are kept.
            assert [e["seq"] for e in client.replay(ADMIN, 3)["events"]] == [4, 5, 6, 7, 8]
            assert [e["seq"] for e in client.replay(AGENT_1, 6)["events"]] == [7, 8]
            assert_error(client.replay(ADMIN, 2), 2)
            assert_error(client.replay(ADMIN, 0), 2)
            assert client.replay(ADMIN, 8) == {"statusCode": 0, "events": []}
            if attempt == 0:
                assert bus.stop() == 0
                bus.start()
    finally:
        client.close()


# --- permissions -----------------------------------------------------------------------


@pytest.fixture
def two_agent_calls(client):
    assert client.event("Ringing", "a1-call", DEV_1) == OK
    assert client.event("Ringing", "a2-call", DEV_2) == OK
    assert client.event("Ringing", "nobody-call", DEV_UNOWNED) == OK
    return client


def test_agent_sees_only_calls_on_own_devices(two_agent_calls):
    client = two_agent_calls
    assert [c["id"] for c in client.list(AGENT_1)["calls"]] == ["a1-call"]
    assert [c["id"] for c in client.list(AGENT_2)["calls"]] == ["a2-call"]
    assert {c["id"] for c in client.list(ADMIN)["calls"]} == {"a1-call", "a2-call", "nobody-call"}
    assert client.list(AGENT_1)["seq"] == 3
    assert [e["topic"] for e in client.replay(AGENT_2, 0)["events"]] == [f"calls/{AGENT_2}/a2-call"]
    assert [e["topic"] for e in client.replay(ADMIN, 0)["events"]] == [
        f"calls/{AGENT_1}/a1-call", f"calls/{AGENT_2}/a2-call", "calls/-/nobody-call",
    ]


@pytest.mark.parametrize(
    "make_request",
    [
        pytest.param(lambda cid: {"op": "calls.get", "user": AGENT_1, "id": cid}, id="get"),
        pytest.param(lambda cid: {"op": "calls.operate", "user": AGENT_1, "id": cid, "operationName": "Answer"}, id="operate"),
        pytest.param(lambda cid: {"op": "calls.operate", "user": AGENT_1, "id": cid}, id="operate-no-operationName"),
        pytest.param(lambda cid: {"op": "calls.operate", "user": AGENT_1, "id": cid, "operationName": "Hold"}, id="operate-not-allowed"),
    ],
)
def test_other_agents_call_answers_exactly_like_a_missing_one(two_agent_calls, admin_seq, make_request):
    client = two_agent_calls
    for hidden in ("a2-call", "nobody-call"):
        missing = "zz-" + hidden[3:]  # same length, never created
        hidden_reply = client.request(make_request(hidden))
        missing_reply = client.request(make_request(missing))
        assert_error(hidden_reply, 6)
        assert_error(missing_reply, 6)
        assert hidden_reply["statusMessage"] == missing_reply["statusMessage"].replace(missing, hidden)
    assert admin_seq() == 3
    check_call(get_call(client, "a2-call"), "a2-call", DEV_2, "Ringing")


@pytest.mark.parametrize(
    "request_, status",
    [
        pytest.param({"op": "calls.list", "user": "nobody"}, 20, id="unknown-user-list"),
        pytest.param({"op": "calls.get", "user": "nobody", "id": "a1-call"}, 20, id="unknown-user-get"),
        pytest.param({"op": "calls.get", "user": "nobody", "id": "missing"}, 20, id="unknown-user-before-not-found"),
        pytest.param({"op": "calls.list", "user": "Agent-1001"}, 20, id="agent-other-case"),
        pytest.param({"op": "calls.list", "user": "ADMIN"}, 20, id="admin-other-case"),
        pytest.param({"op": "telephony.event", "user": "Switch-1",
                      "event": {"type": "Ringing", "callId": "x", "deviceId": DEV_1}}, 20, id="switch-other-case"),
        pytest.param({"op": "calls.list"}, 1, id="no-user-list"),
        pytest.param({"op": "calls.get", "id": "a1-call"}, 1, id="no-user-get"),
        pytest.param({"op": "calls.operate", "user": SWITCH, "id": "a1-call", "operationName": "Answer"}, 5,
                     id="telephony-operates"),
        pytest.param({"op": "calls.operate", "user": SWITCH, "id": "missing", "operationName": "Answer"}, 5,
                     id="telephony-operates-missing-call"),
        pytest.param({"op": "telephony.event", "user": ADMIN,
                      "event": {"type": "Ringing", "callId": "x", "deviceId": DEV_1}}, 5, id="admin-telephony-event"),
        pytest.param({"op": "telephony.event", "user": AGENT_1,
                      "event": {"type": "Ringing", "callId": "x", "deviceId": DEV_1}}, 5, id="agent-telephony-event"),
        pytest.param({"op": "calls.get", "user": SWITCH, "id": "a1-call"}, 6, id="telephony-get"),
        pytest.param({"op": "calls.operate", "user": AGENT_1, "id": "a1-call"}, 1, id="own-call-no-operationName"),
    ],
)
def test_permission_and_authentication_errors(two_agent_calls, admin_seq, request_, status):
    client = two_agent_calls
    assert_error(client.request(request_), status)
    assert admin_seq() == 3, "an error changes nothing"
    assert {c["state"] for c in client.list(ADMIN)["calls"]} == {"Ringing"}


def test_telephony_principal_sees_nothing(two_agent_calls):
    client = two_agent_calls
    assert client.list(SWITCH) == {"statusCode": 0, "seq": 3, "calls": []}
    assert client.replay(SWITCH, 0) == {"statusCode": 0, "events": []}


# --- malformed requests ----------------------------------------------------------------

OK_REQUEST = json.dumps({"op": "calls.list", "user": ADMIN}).encode()


def _deep_array(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


MALFORMED = [
    pytest.param([b"not json"], id="not-json"),
    pytest.param([bytes(range(256)) * 4], id="binary-junk"),
    pytest.param([b"\xff\xfe\x00\x01{}"], id="binary-junk-short"),
    pytest.param([b""], id="empty-frame"),
    pytest.param([OK_REQUEST, OK_REQUEST], id="two-frames"),
    pytest.param([OK_REQUEST, b""], id="request-then-empty-frame"),
    pytest.param([b"x", b"y", b"z"], id="three-frames"),
    pytest.param([b"[1, 2, 3]"], id="json-array"),
    pytest.param([b'"calls.list"'], id="json-string"),
    pytest.param([b"null"], id="json-null"),
    pytest.param([b"42"], id="json-number"),
    pytest.param([b"{}"], id="empty-object"),
    pytest.param([OK_REQUEST + b" trailing"], id="trailing-garbage"),
    pytest.param([b'{"op": "calls.list", "user": "adm\xffin"}'], id="invalid-utf8-in-string"),
    pytest.param([json.dumps({"op": "calls.delete", "user": ADMIN}).encode()], id="unknown-op"),
    pytest.param([json.dumps({"user": ADMIN}).encode()], id="no-op"),
    pytest.param([json.dumps({"op": 5, "user": ADMIN}).encode()], id="op-wrong-type"),
    pytest.param([json.dumps({"op": "calls.list", "user": 5}).encode()], id="user-wrong-type"),
    pytest.param([json.dumps({"op": "calls.list", "user": [ADMIN]}).encode()], id="user-array"),
    pytest.param([json.dumps({"op": "calls.get", "user": ADMIN, "id": 5}).encode()], id="id-wrong-type"),
    pytest.param([json.dumps({"op": "calls.get", "user": ADMIN}).encode()], id="get-without-id"),
    pytest.param([json.dumps({"op": "calls.operate", "user": ADMIN, "id": "m-1", "operationName": 5}).encode()],
                 id="operationName-wrong-type"),
    pytest.param([json.dumps({"op": "events.replay", "user": ADMIN, "after": True}).encode()], id="after-boolean"),
    pytest.param([json.dumps({"op": "events.replay", "user": ADMIN, "after": 1e30}).encode()], id="after-huge"),
    pytest.param([json.dumps({"op": "telephony.event", "user": SWITCH, "event": "Ringing"}).encode()],
                 id="event-wrong-type"),
    pytest.param([json.dumps({"op": "telephony.event", "user": SWITCH, "event": [1]}).encode()], id="event-array"),
    pytest.param([json.dumps("x" * 100_000).encode()], id="100KB-json-string"),
    pytest.param([b"x" * 100_000], id="100KB-not-json"),
    pytest.param([json.dumps({"op": "x" * 100_000, "user": ADMIN}).encode()], id="100KB-op"),
    pytest.param([_deep_array(10_000)], id="10000-nested-arrays"),
    pytest.param([b'{"a":' * 10_000 + b"1" + b"}" * 10_000], id="10000-nested-objects"),
    pytest.param([b'{"op":"calls.list","user":"admin","x":' + _deep_array(10_000) + b"}"],
                 id="10000-nested-inside-valid-request"),
    pytest.param([b"[" * 10_000], id="10000-unclosed-arrays"),
]


@pytest.mark.parametrize("frames", MALFORMED)
def test_malformed_request_gets_exactly_one_error_reply_and_bus_keeps_serving(clients, frames):
    dealer = clients("DEALER")
    assert dealer.event("Ringing", "m-1", DEV_1) == OK
    reply_frames = dealer.send_frames(frames)
    assert len(reply_frames) == 1, reply_frames
    reply = json.loads(reply_frames[0].decode("utf-8"))
    assert reply.get("statusCode") in (1, 2), reply
    assert_error(reply, reply["statusCode"])
    assert dealer.no_more_replies(), "a malformed request got more than one reply"
    # A normal request still works, and nothing changed.
    after = dealer.list(ADMIN)
    assert after["statusCode"] == 0 and after["seq"] == 1
    assert [c["id"] for c in after["calls"]] == ["m-1"]
    # ...and a REQ client too.
    assert clients("REQ").get(AGENT_1, "m-1")["statusCode"] == 0


def test_malformed_requests_back_to_back_then_normal(clients):
    dealer = clients("DEALER")
    assert dealer.event("Ringing", "m-1", DEV_1) == OK
    for param in MALFORMED:
        frames = param.values[0]
        dealer.sock.send_multipart([b""] + frames)
    replies = []
    for _ in MALFORMED:
        frames = dealer.sock.recv_multipart()
        assert frames[0] == b"" and len(frames) == 2
        replies.append(json.loads(frames[1]))
    assert [r["statusCode"] for r in replies if r["statusCode"] not in (1, 2)] == [], replies
    assert dealer.no_more_replies()
    after = dealer.list(ADMIN)
    assert after["seq"] == 1 and [c["id"] for c in after["calls"]] == ["m-1"]


def test_oversized_request_over_1MiB_gets_one_reply(clients):
    req = clients("REQ", timeout_ms=5000)
    reply = req.request({"op": "calls.get", "user": ADMIN, "id": "x" * (1 << 20)})
    assert reply["statusCode"] == 2, reply
    assert "KiB" in reply["statusMessage"]


def test_oversized_request_does_not_break_the_bus(clients):
    req = clients("REQ", timeout_ms=1000)
    try:
        req.request(b"x" * (17 << 20))
    except TimeoutError:
        pass
    assert clients("REQ").list(ADMIN)["statusCode"] == 0


# --- PUB/SUB ---------------------------------------------------------------------------


def _real(events, tag="warm"):
    return [e for e in events if not e[1]["call"]["id"].startswith(tag)]


def collect_until_seq(sub, first, last_seq: int, timeout: float = 5.0) -> list:
    events = [first]
    deadline = time.monotonic() + timeout
    while events[-1][1]["seq"] < last_seq and time.monotonic() < deadline:
        got = sub.recv(1000)
        assert got is not None, f"missing events: last seen seq {events[-1][1]['seq']}, expected up to {last_seq}"
        events.append(got)
    assert events[-1][1]["seq"] == last_seq
    return events


def assert_contiguous(events, key="seq"):
    values = [body[key] for _, body, _ in events]
    assert values == list(range(values[0], values[0] + len(values))), values


def test_events_topic_and_body_for_each_kind_of_change(client, subscribers):
    sub = subscribers("calls/")
    first = warm_up(sub, client, DEV_UNOWNED, "warm")
    assert first[0] == f"calls/-/{first[1]['call']['id']}"
    assert client.list(ADMIN)["seq"] >= first[1]["seq"]

    actions = [
        ("p-1", lambda: client.event("Ringing", "p-1", DEV_1, participants=["5001"], ani=SF_NUMBER), "StatusChange"),
        ("p-1", lambda: client.operate(AGENT_1, "p-1", "Answer"), "StatusChange"),
        ("p-1", lambda: client.operate(AGENT_1, "p-1", "SendDtmf", digits="42#"), "DtmfSent"),
        ("p-1", lambda: client.operate(AGENT_1, "p-1", "MuteCall"), "StatusChange"),
        ("p-1", lambda: client.operate(AGENT_1, "p-1", "AttachUserData", userData={"k": "v"}), "AttachedDataChanged"),
        ("p-1", lambda: client.operate(AGENT_1, "p-1", "DeleteUserDataPair", key="k"), "AttachedDataChanged"),
        ("p-1", lambda: client.event("PartiesChanged", "p-1", DEV_1, participants=[SF_NUMBER]), "ParticipantsUpdated"),
        ("p-1", lambda: client.event("Held", "p-1", DEV_1), "StatusChange"),
        ("p-2", lambda: client.event("Ringing", "p-2", DEV_2), "StatusChange"),
        ("p-1", lambda: client.operate(ADMIN, "p-1", "Hangup"), "StatusChange"),
    ]
    snapshots = []
    for call_id, action, _ in actions:
        assert action() == OK
        snapshots.append(get_call(client, call_id))
    final_seq = client.list(ADMIN)["seq"]

    events = collect_until_seq(sub, first, final_seq)
    assert_contiguous(events)
    real = _real(events)
    assert len(real) == len(actions)

    for (topic, body, frames), (call_id, _, notification), snapshot in zip(real, actions, snapshots):
        assert body["call"]["id"] == call_id
        owner = OWNER_OF_DEVICE[DEV_1 if call_id == "p-1" else DEV_2]
        assert topic == f"calls/{owner}/{call_id}"
        expected_keys = EVENT_BODY_KEYS | ({"digits"} if notification == "DtmfSent" else set())
        assert set(body) == expected_keys, body
        assert body["messageType"] == "CallStateChangeMessage"
        assert body["notificationType"] == notification
        assert body["call"] == snapshot, "the event carries the whole call as calls.get returns it"
    assert real[2][1]["digits"] == "42#"
    assert [b["ownerSeq"] for t, b, _ in real if t.startswith(f"calls/{AGENT_1}/")] == list(range(1, 10))
    assert [b["ownerSeq"] for t, b, _ in real if t.startswith(f"calls/{AGENT_2}/")] == [1]
    assert [b["call"]["state"] for _, b, _ in real] == [
        "Ringing", "Established", "Established", "Established", "Established", "Established", "Established",
        "Held", "Ringing", "Released",
    ]
    assert real[3][1]["call"]["mute"] == "On"


def test_agent_prefix_subscription_receives_only_that_agents_calls(client, subscribers):
    agent_sub = subscribers(f"calls/{AGENT_1}/")
    all_sub = subscribers("calls/")
    first_agent = warm_up(agent_sub, client, DEV_1, "warm1001")
    first_all = warm_up(all_sub, client, DEV_UNOWNED, "warm")

    for i in range(4):
        for device in (DEV_1, DEV_2, DEV_UNOWNED):
            assert client.event("Ringing", f"x-{device}-{i}", device) == OK
        assert client.event("Established", f"x-{DEV_2}-{i}", DEV_2) == OK
        assert client.event("Established", f"x-{DEV_1}-{i}", DEV_1) == OK
    final_seq = client.list(ADMIN)["seq"]  # the last event is agent-1001's

    everything = collect_until_seq(all_sub, first_all, final_seq)
    assert_contiguous(everything)
    agent_seen = collect_until_seq(agent_sub, first_agent, final_seq)
    assert agent_sub.drain(quiet_ms=200) == [], "the agent subscription got more than the agent's calls"
    assert all(topic.startswith(f"calls/{AGENT_1}/") for topic, _, _ in agent_seen)

    real_all = _real(everything)
    assert len(real_all) == 20
    assert {topic.split("/")[1] for topic, _, _ in real_all} == {AGENT_1, AGENT_2, "-"}
    real_agent = _real(agent_seen)
    assert [(t, b) for t, b, _ in real_agent] == [(t, b) for t, b, _ in real_all if t.startswith(f"calls/{AGENT_1}/")]
    assert len(real_agent) == 8
    # Across the warm-ups and the burst, agent-1001's ownerSeq has no gap (other owners'
    # traffic does not move it) while seq jumps.
    assert_contiguous(agent_seen, key="ownerSeq")
    assert any(b["seq"] - a["seq"] > 1 for (_, a, _), (_, b, _) in zip(real_agent, real_agent[1:]))


def test_events_replay_returns_exactly_what_was_published_after_n(client, subscribers):
    sub = subscribers("calls/")
    first = warm_up(sub, client, DEV_UNOWNED, "warm")
    published = {first[1]["seq"]: first}
    n = client.list(ADMIN)["seq"]
    for i in range(3):
        assert client.event("Ringing", f"rp-{i}", DEV_1, participants=[SF_NUMBER]) == OK
        assert client.event("Dialing", f"rq-{i}", DEV_2) == OK
        assert client.operate(AGENT_1, f"rp-{i}", "Answer") == OK
        assert client.operate(AGENT_1, f"rp-{i}", "SendDtmf", digits="9") == OK
        assert client.operate(AGENT_2, f"rq-{i}", "AttachUserData", userData={"i": str(i)}) == OK
        assert client.event("Ringing", f"rn-{i}", DEV_UNOWNED) == OK
    last = client.list(ADMIN)["seq"]
    assert last == n + 18
    deadline = time.monotonic() + 5
    while max(published) < last and time.monotonic() < deadline:
        got = sub.recv(1000)
        assert got is not None, "missing events"
        published[got[1]["seq"]] = got
    assert max(published) == last
    after_n = [published[s] for s in range(n + 1, last + 1)]

    def as_replayed(event):
        topic, body, _ = event
        return {"topic": topic, **body}

    visible = {
        ADMIN: lambda t: True,
        AGENT_1: lambda t: t.startswith(f"calls/{AGENT_1}/"),
        AGENT_2: lambda t: t.startswith(f"calls/{AGENT_2}/"),
        SWITCH: lambda t: False,
    }
    for user, sees in visible.items():
        reply = client.replay(user, n)
        assert set(reply) == {"statusCode", "events"} and reply["statusCode"] == 0
        assert reply["events"] == [as_replayed(e) for e in after_n if sees(e[0])], user
    assert len(client.replay(AGENT_1, n)["events"]) == 9
    assert len(client.replay(AGENT_2, n)["events"]) == 6
    # From the start: the whole history, contiguous.
    assert [e["seq"] for e in client.replay(ADMIN, 0)["events"]] == list(range(1, last + 1))
    assert client.replay(ADMIN, last)["events"] == []


def test_released_call_stays_visible_across_restart_then_expires(bus_factory, zctx):
    bus = bus_factory("--released-retention", "2").start()
    client = Client(zctx, bus.request_endpoint)
    try:
        assert client.event("Ringing", "rel-1", DEV_1) == OK
        assert client.operate(AGENT_1, "rel-1", "Hangup") == OK
        bus.kill()
        bus.start()
        client.reset()
        check_call(get_call(client, "rel-1", AGENT_1), "rel-1", DEV_1, "Released")
        assert_error(client.event("Ringing", "rel-1", DEV_1), 2)
        deadline = time.monotonic() + 10
        while client.get(ADMIN, "rel-1")["statusCode"] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert_error(client.get(ADMIN, "rel-1"), 6)
        assert client.list(ADMIN)["calls"] == []
        # Expiry is not an event, and the event history keeps the expired call's events.
        assert client.list(ADMIN)["seq"] == 2
        history = client.replay(AGENT_1, 0)["events"]
        assert [(e["seq"], e["call"]["state"]) for e in history] == [(1, "Ringing"), (2, "Released")]
        # Once gone, the callId may start a new call.
        assert client.event("Ringing", "rel-1", DEV_1) == OK
        check_call(get_call(client, "rel-1"), "rel-1", DEV_1, "Ringing")
    finally:
        client.close()
