"""Devices, agent state and Dial from an ordinary pyzmq client (contract v2 sections 2, 5, 8)."""

from __future__ import annotations

import re

from busclient import ADMIN, AGENT_1, AGENT_2, SWITCH, assert_error

OK = {"statusCode": 0}


def device_events(sub, count: int) -> list[tuple[str, dict]]:
    out = []
    for _ in range(count):
        got = sub.recv(3000)
        assert got is not None, f"only {len(out)} of {count} device events: {out}"
        out.append((got[0], got[1]))
    return out


def test_devices_are_listed_by_visibility(client):
    admin = client.request({"op": "devices.list", "user": ADMIN})
    assert admin["statusCode"] == 0 and admin["deviceSeq"] == 0
    assert [d["id"] for d in admin["devices"]] == ["dev-1001", "dev-1002"]
    mine = client.request({"op": "devices.list", "user": AGENT_1})["devices"]
    assert mine == [{
        "capabilities": ["DoNotDisturbOn"], "deviceState": "Active", "doNotDisturb": "Off", "id": "dev-1001",
        "path": "/devices/dev-1001", "phoneNumber": "5001", "uri": "http://127.0.0.1:8080/api/v2/devices/dev-1001",
        "userState": {"state": "LoggedOut"},
    }]
    assert client.request({"op": "devices.list", "user": SWITCH})["devices"] == []
    assert_error(client.request({"op": "devices.get", "user": AGENT_2, "id": "dev-1001"}), 6)
    assert_error(client.request({"op": "devices.get", "user": AGENT_2, "id": "dev-nowhere"}), 6)
    assert client.request({"op": "devices.get", "user": ADMIN, "id": "dev-1002"})["device"]["id"] == "dev-1002"
    assert client.request({"op": "users.get", "user": ADMIN})["user"]["roles"] == ["ROLE_ADMIN"]
    assert client.request({"op": "users.get", "user": AGENT_1})["user"] == {
        "id": AGENT_1, "userName": AGENT_1, "roles": ["ROLE_AGENT"], "uri": "http://127.0.0.1:8080/api/v2/me",
        "path": "/me",
    }
    assert_error(client.request({"op": "users.get", "user": SWITCH}), 5)


def test_agent_state_and_do_not_disturb_publish_device_events_and_survive_a_restart(bus, clients, subscribers):
    client = clients()
    sub = subscribers("devices/")
    # The slow joiner: repeat a harmless toggle until the subscriber hears it.
    for _ in range(200):
        assert client.request({"op": "devices.operate", "user": AGENT_2, "id": "dev-1002",
                               "operationName": "DoNotDisturbOn"}) == OK
        got = sub.recv(50)
        assert client.request({"op": "devices.operate", "user": AGENT_2, "id": "dev-1002",
                               "operationName": "DoNotDisturbOff"}) == OK
        if got is not None:
            break
    sub.drain(200)
    start = client.request({"op": "devices.list", "user": ADMIN})["deviceSeq"]
    assert_error(client.request({"op": "users.operate", "user": AGENT_1, "operationName": "Ready"}), 2)
    steps = [("StartContactCenterSession", {}, {"state": "NotReady"}),
             ("Ready", {}, {"state": "Ready"}),
             ("NotReady", {"reason": "Break"}, {"state": "NotReady", "reason": "Break"})]
    for number, (operation, params, user_state) in enumerate(steps, start=1):
        assert client.request({"op": "users.operate", "user": AGENT_1, "operationName": operation, **params}) == OK
        [(topic, body)] = device_events(sub, 1)
        assert topic == "devices/agent-1001/dev-1001"
        assert body["messageType"] == "DeviceStateChangeMessage" and body["deviceSeq"] == start + number
        assert body["devices"][0]["userState"] == user_state
    # Nothing changes, nothing is published.
    assert client.request({"op": "users.operate", "user": AGENT_1, "operationName": "StartContactCenterSession"}) == OK
    assert sub.recv(300) is None
    assert client.request({"op": "devices.operate", "user": AGENT_1, "id": "dev-1001",
                           "operationName": "DoNotDisturbOn"}) == OK
    assert device_events(sub, 1)[0][1]["devices"][0]["doNotDisturb"] == "On"
    assert_error(client.request({"op": "devices.operate", "user": AGENT_1, "id": "dev-1001",
                                 "operationName": "DoNotDisturbOn"}), 2)
    assert_error(client.request({"op": "users.operate", "user": AGENT_1, "operationName": "NotReady",
                                 "reason": "x" * 65}), 2)
    assert_error(client.request({"op": "devices.operate", "user": AGENT_2, "id": "dev-1001",
                                 "operationName": "DoNotDisturbOff"}), 6)
    before = client.request({"op": "devices.list", "user": AGENT_1})
    assert before["deviceSeq"] == start + 4
    client.close()
    bus.stop()
    bus.start()
    client = clients()
    after = client.request({"op": "devices.list", "user": AGENT_1})
    assert after == before, "agent state, do-not-disturb and deviceSeq survive a restart"
    assert client.request({"op": "users.operate", "user": AGENT_1, "operationName": "Ready"}) == OK
    assert client.request({"op": "devices.list", "user": ADMIN})["deviceSeq"] == start + 5


def test_dial_makes_an_outbound_call(client):
    reply = client.request({"op": "calls.dial", "user": AGENT_1, "deviceId": "dev-1001",
                            "destination": {"phoneNumber": "+14155552671"}, "userData": {"q": "1"}})
    assert set(reply) == {"statusCode", "id"} and re.fullmatch(r"[0-9a-f]{32}", reply["id"]), reply
    call = client.get(AGENT_1, reply["id"])["call"]
    assert (call["state"], call["callType"], call["participants"]) == ("Dialing", "Outbound", ["+14155552671"])
    assert call["userData"] == {"q": "1"} and "startTime" in call
    seq = client.list(ADMIN)["seq"]
    bad = [
        ({"user": AGENT_2, "deviceId": "dev-1001", "destination": {"phoneNumber": "5002"}}, 6),
        ({"user": AGENT_1, "deviceId": "dev-unknown", "destination": {"phoneNumber": "5002"}}, 6),
        ({"user": SWITCH, "deviceId": "dev-1001", "destination": {"phoneNumber": "5002"}}, 5),
        ({"user": AGENT_1, "destination": {"phoneNumber": "5002"}}, 1),
        ({"user": AGENT_1, "deviceId": "dev-1001"}, 1),
        ({"user": AGENT_1, "deviceId": "dev-1001", "destination": {}}, 2),
        ({"user": AGENT_1, "deviceId": "dev-1001", "destination": {"phoneNumber": "+1-415"}}, 2),
        ({"user": AGENT_1, "deviceId": "dev-1001", "destination": {"phoneNumber": "1" * 33}}, 2),
        ({"user": AGENT_1, "deviceId": "dev-1001", "destination": {"phoneNumber": "5002"}, "userData": []}, 2),
        ({"user": "Agent-1001", "deviceId": "dev-1001", "destination": {"phoneNumber": "5002"}}, 20),
    ]
    for fields, status in bad:
        assert_error(client.request({"op": "calls.dial", **fields}), status)
    assert client.list(ADMIN)["seq"] == seq, "a refused Dial publishes nothing"
