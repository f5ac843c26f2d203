"""Call control from an ordinary pyzmq client (contract v2 section 2): operations that change
several calls publish one event per changed call, in the contract's order, with consecutive
`seq`; the Initiate* reply carries the new call's id; refused requests change nothing."""

from __future__ import annotations

import re

from busclient import ADMIN, AGENT_1, AGENT_2, assert_error, warm_up

OK = {"statusCode": 0}
DEV_1 = "dev-1001"
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def events_after(sub, seq: int, count: int) -> list[dict]:
    """The next `count` bodies after `seq` (warm-up and earlier events skipped), in order."""
    bodies = []
    while len(bodies) < count:
        got = sub.recv(3000)
        assert got is not None, f"only {len(bodies)} of {count} events after seq {seq}: {bodies}"
        if got[1]["seq"] > seq:
            bodies.append(got[1])
    return bodies


def summary(bodies: list[dict]) -> list[tuple]:
    return [(b["call"]["id"], b["call"]["state"], b["notificationType"]) for b in bodies]


def established_call(client, sub, call_id: str) -> int:
    """An established inbound call on agent-1001's device; returns the seq after it."""
    warm_up(sub, client, DEV_1, f"warm-{call_id}")
    assert client.event("Ringing", call_id, DEV_1, participants=["+14155552671"]) == OK
    assert client.event("Established", call_id, DEV_1) == OK
    return client.list(ADMIN)["seq"]


def test_consult_transfer_end_to_end(client, subscribers):
    sub = subscribers("calls/")
    seq = established_call(client, sub, "ct-1")
    reply = client.operate(AGENT_1, "ct-1", "InitiateTransfer", destination={"phoneNumber": "5002"},
                           userData={"case": "7"})
    assert set(reply) == {"statusCode", "id"} and reply["statusCode"] == 0, reply
    consult = reply["id"]
    assert re.fullmatch(r"[0-9a-f]{32}", consult), consult
    initiated = events_after(sub, seq, 2)
    assert summary(initiated) == [("ct-1", "Held", "StatusChange"), (consult, "Dialing", "StatusChange")]
    assert [b["seq"] for b in initiated] == [seq + 1, seq + 2]
    parent_uri = initiated[0]["call"]["uri"]
    made = initiated[1]["call"]
    assert made["callType"] == "Consult" and made["parentCallUri"] == parent_uri
    assert made["participants"] == ["5002"] and made["userData"] == {"case": "7"}
    assert TIME.match(made["startTime"]) and "connectedTime" not in made
    assert "Retrieve" not in initiated[0]["call"]["capabilities"]
    assert "CompleteTransfer" in made["capabilities"] and "CompleteConference" not in made["capabilities"]
    # The switch connects the consult call: the parent can now swap too, so it gets its own event.
    assert client.event("Established", consult, DEV_1) == OK
    connected = events_after(sub, seq + 2, 2)
    assert summary(connected) == [(consult, "Established", "StatusChange"), ("ct-1", "Held", "StatusChange")]
    assert "SwapCalls" in connected[1]["call"]["capabilities"]
    assert client.operate(AGENT_1, consult, "CompleteTransfer") == OK
    completed = events_after(sub, seq + 4, 2)
    assert summary(completed) == [(consult, "Released", "StatusChange"), ("ct-1", "Released", "StatusChange")]
    assert [b["seq"] for b in completed] == [seq + 5, seq + 6]
    for body in completed:
        call = body["call"]
        assert call["capabilities"] == [] and TIME.match(call["endTime"])
        assert call["startTime"] <= call.get("connectedTime", call["startTime"]) <= call["endTime"]
    # calls.get answers what the last event of each call showed.
    for body in connected + completed:
        latest = client.get(ADMIN, body["call"]["id"])["call"]
        last = [b for b in connected + completed if b["call"]["id"] == body["call"]["id"]][-1]
        assert latest == last["call"]


def test_conference_swap_and_recording(client, subscribers):
    sub = subscribers("calls/")
    seq = established_call(client, sub, "cc-1")
    consult = client.operate(AGENT_1, "cc-1", "InitiateConference", destination={"phoneNumber": "+442079460958"})["id"]
    assert client.event("Established", consult, DEV_1) == OK
    events_after(sub, seq, 4)
    assert client.operate(AGENT_1, "cc-1", "SwapCalls", otherCallUri=f"http://127.0.0.1:8080/api/v2/me/calls/{consult}") == OK
    assert summary(events_after(sub, seq + 4, 2)) == [(consult, "Held", "StatusChange"), ("cc-1", "Established", "StatusChange")]
    assert_error(client.operate(AGENT_1, "cc-1", "SwapCalls", otherCallUri="someone-else"), 2)
    assert client.operate(AGENT_1, consult, "SwapCalls") == OK
    events_after(sub, seq + 6, 2)
    assert client.operate(AGENT_1, consult, "CompleteConference") == OK
    done = events_after(sub, seq + 8, 2)
    assert summary(done) == [(consult, "Released", "StatusChange"), ("cc-1", "Established", "StatusChange")]
    assert done[1]["call"]["participants"] == ["+14155552671", "+442079460958"]
    assert len(done[1]["call"]["participantsInfo"]) == 2
    for operation, state in [("StartCallRecording", "Recording"), ("PauseCallRecording", "Paused"),
                             ("ResumeCallRecording", "Recording"), ("StopCallRecording", "Stopped")]:
        assert client.operate(AGENT_1, "cc-1", operation) == OK, operation
        body = sub.recv(3000)[1]
        assert body["notificationType"] == "CallRecordingStateChange" and body["call"]["recordingState"] == state
    assert client.operate(AGENT_1, "cc-1", "RemoveParticipantFromConference", participant="+442079460958") == OK
    assert sub.recv(3000)[1]["call"]["participants"] == ["+14155552671"]


def test_bad_call_control_requests_change_nothing(client, subscribers):
    sub = subscribers("calls/")
    seq = established_call(client, sub, "bad-1")
    cases = [
        ({"operationName": "InitiateTransfer"}, 1),
        ({"operationName": "InitiateTransfer", "destination": "5002"}, 2),
        ({"operationName": "InitiateTransfer", "destination": {}}, 2),
        ({"operationName": "InitiateTransfer", "destination": {"phoneNumber": "50a2"}}, 2),
        ({"operationName": "InitiateTransfer", "destination": {"phoneNumber": "5" * 33}}, 2),
        ({"operationName": "InitiateTransfer", "destination": {"phoneNumber": "50+2"}}, 2),
        ({"operationName": "SingleStepConference", "destination": {"phoneNumber": "+14155552671"}}, 2),
        ({"operationName": "RemoveParticipantFromConference", "participant": "+14155552671"}, 2),
        ({"operationName": "RemoveParticipantFromConference"}, 1),
        ({"operationName": "CompleteTransfer"}, 2),
        ({"operationName": "SwapCalls"}, 2),
        ({"operationName": "PauseCallRecording"}, 2),
        ({"operationName": "InitiateConference", "destination": {"phoneNumber": "5002"}, "userData": {"k": 1}}, 2),
    ]
    for fields, status in cases:
        assert_error(client.request({"op": "calls.operate", "user": AGENT_1, "id": "bad-1", **fields}), status)
    assert client.list(ADMIN)["seq"] == seq, "a refused request publishes nothing"
    # Another agent learns nothing of the call, whatever the operation.
    assert_error(client.operate(AGENT_2, "bad-1", "InitiateTransfer", destination={"phoneNumber": "5002"}), 6)
    assert client.list(ADMIN)["seq"] == seq


def test_a_switch_reports_a_consult_call(client, subscribers):
    sub = subscribers("calls/")
    seq = established_call(client, sub, "sw-1")
    assert client.event("Dialing", "sw-2", DEV_1, parentCallId="sw-1", participants=["5003"]) == OK
    reported = events_after(sub, seq, 2)
    assert summary(reported) == [("sw-2", "Dialing", "StatusChange"), ("sw-1", "Established", "StatusChange")]
    assert reported[0]["call"]["callType"] == "Consult"
    assert {"CompleteTransfer", "CompleteConference"} <= set(reported[0]["call"]["capabilities"])
    assert "InitiateTransfer" not in reported[1]["call"]["capabilities"]
    assert_error(client.event("Ringing", "sw-3", "dev-1002", parentCallId="sw-1"), 2)
    assert_error(client.event("Ringing", "sw-3", DEV_1, parentCallId="nobody"), 2)
