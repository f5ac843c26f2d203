"""The device, Dial and user routes of calls-gateway (contract v2 sections 6 and 8) over plain
HTTP, against a real calls-bus and calls-gateway (`gateway_stack`, the demo directory).

Each test uses its own agent or device, and puts back what it changed, so that the order of the
tests does not matter."""

from __future__ import annotations

import re

import pytest
import requests

from gatewaystack import ADMIN, AGENT_1, SWITCH_WEB, basic

AGENT_2 = ("agent-1002", "agent-1002-demo")
AGENT_3 = ("agent-1003", "agent-1003-demo")
TIMEOUT = 5  # seconds, for every HTTP request here


@pytest.fixture(scope="module")
def http(gateway_stack):
    with requests.Session() as session:
        yield session


def get(stack, http, path: str, who, **params) -> requests.Response:
    return http.get(f"{stack.base_url}{path}", params=params, headers=basic(who), timeout=TIMEOUT)


def post(stack, http, path: str, who, body: dict) -> requests.Response:
    return http.post(f"{stack.base_url}{path}", json=body, headers=basic(who), timeout=TIMEOUT)


def dial(number: str, **extra) -> dict:
    return {"operationName": "Dial", "destination": {"phoneNumber": number}, **extra}


def test_an_agent_dials_from_its_own_device(gateway_stack, http):
    response = post(gateway_stack, http, "/api/v2/me/devices/dev-1001/calls", AGENT_1,
                    dial("+14155552671", userData={"case": "9"}))
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    reply = response.json()
    assert set(reply) == {"statusCode", "id"} and reply["statusCode"] == 0, reply
    assert re.fullmatch(r"[0-9a-f]{32}", reply["id"]), reply

    calls = get(gateway_stack, http, "/api/v2/me/calls", AGENT_1).json()["calls"]
    dialed = [call for call in calls if call["id"] == reply["id"]]
    assert len(dialed) == 1, calls
    call = dialed[0]
    assert call["state"] == "Dialing" and call["callType"] == "Outbound", call
    assert call["participants"] == ["+14155552671"]
    assert call["userData"] == {"case": "9"}
    assert call["deviceUri"].endswith("/api/v2/devices/dev-1001")
    # The call's deviceUri resolves to the device.
    device = get(gateway_stack, http, "/api/v2/devices/dev-1001", AGENT_1)
    assert device.status_code == 200 and device.json()["device"]["uri"] == call["deviceUri"]


@pytest.mark.parametrize("device", ["dev-1002", "dev-nowhere", "dev-1001%2Fcalls"])
def test_dial_from_a_device_that_is_not_the_agents_is_404(gateway_stack, http, device):
    before = {call["id"] for call in get(gateway_stack, http, "/api/v2/me/calls", ADMIN).json()["calls"]}
    response = post(gateway_stack, http, f"/api/v2/me/devices/{device}/calls", AGENT_1, dial("5002"))
    assert response.status_code == 404, response.text
    assert response.json()["statusCode"] == 6
    after = {call["id"] for call in get(gateway_stack, http, "/api/v2/me/calls", ADMIN).json()["calls"]}
    assert after == before


@pytest.mark.parametrize(
    "body, status_code",
    [({"destination": {"phoneNumber": "5002"}}, 1), ({"operationName": "Answer"}, 2),
     ({"operationName": "Dial"}, 1), (dial("50x2"), 2), (dial("5" * 33), 2), (dial("5+2"), 2)],
)
def test_bad_dial_bodies_are_400(gateway_stack, http, body, status_code):
    response = post(gateway_stack, http, "/api/v2/me/devices/dev-1001/calls", AGENT_1, body)
    assert response.status_code == 400, response.text
    assert response.json()["statusCode"] == status_code, response.text


def test_ready_while_logged_out_is_400(gateway_stack, http):
    response = post(gateway_stack, http, "/api/v2/me/channels/voice", AGENT_2, {"operationName": "Ready"})
    assert response.status_code == 400, response.text
    assert response.json()["statusCode"] == 2
    devices = get(gateway_stack, http, "/api/v2/me/devices", AGENT_2).json()["devices"]
    assert [device["userState"] for device in devices] == [{"state": "LoggedOut"}]


def test_session_then_ready_shows_on_my_devices(gateway_stack, http):
    voice = "/api/v2/me/channels/voice"
    try:
        started = post(gateway_stack, http, "/api/v2/me", AGENT_3, {"operationName": "StartContactCenterSession"})
        assert started.status_code == 200 and started.json() == {"statusCode": 0}, started.text
        # The voice channel cannot end the session, nor /me make the agent ready.
        for path, operation in [(voice, "EndContactCenterSession"), ("/api/v2/me", "Ready")]:
            refused = post(gateway_stack, http, path, AGENT_3, {"operationName": operation})
            assert refused.status_code == 400 and refused.json()["statusCode"] == 2, refused.text
        ready = post(gateway_stack, http, voice, AGENT_3, {"operationName": "Ready"})
        assert ready.status_code == 200, ready.text
        listed = get(gateway_stack, http, "/api/v2/me/devices", AGENT_3)
        assert listed.status_code == 200, listed.text
        assert set(listed.json()) == {"statusCode", "devices"}
        devices = listed.json()["devices"]
        assert [device["id"] for device in devices] == ["dev-1003"]
        assert devices[0]["userState"] == {"state": "Ready"}
        # fields= keeps only the keys asked for.
        reduced = get(gateway_stack, http, "/api/v2/me/devices", AGENT_3, fields="id,userState").json()
        assert reduced["devices"] == [{"id": "dev-1003", "userState": {"state": "Ready"}}]
        not_ready = post(gateway_stack, http, voice, AGENT_3, {"operationName": "NotReady", "reason": "Lunch"})
        assert not_ready.status_code == 200, not_ready.text
        device = get(gateway_stack, http, "/api/v2/me/devices/dev-1003", AGENT_3).json()["device"]
        assert device["userState"] == {"state": "NotReady", "reason": "Lunch"}
    finally:
        post(gateway_stack, http, "/api/v2/me", AGENT_3, {"operationName": "EndContactCenterSession"})


def test_do_not_disturb_on_twice_is_400_the_second_time(gateway_stack, http):
    path = "/api/v2/me/devices/dev-1002"
    try:
        first = post(gateway_stack, http, path, AGENT_2, {"operationName": "DoNotDisturbOn"})
        assert first.status_code == 200 and first.json() == {"statusCode": 0}, first.text
        device = get(gateway_stack, http, path, AGENT_2).json()["device"]
        assert device["doNotDisturb"] == "On" and device["capabilities"] == ["DoNotDisturbOff"], device
        second = post(gateway_stack, http, path, AGENT_2, {"operationName": "DoNotDisturbOn"})
        assert second.status_code == 400, second.text
        assert second.json()["statusCode"] == 2
        other = post(gateway_stack, http, path, AGENT_1, {"operationName": "DoNotDisturbOff"})
        assert other.status_code == 404 and other.json()["statusCode"] == 6, other.text
    finally:
        post(gateway_stack, http, path, AGENT_2, {"operationName": "DoNotDisturbOff"})


def test_my_devices_are_my_own_and_all_devices_follow_visibility(gateway_stack, http):
    admin_all = get(gateway_stack, http, "/api/v2/devices", ADMIN).json()
    assert set(admin_all) == {"statusCode", "devices"}
    admin_ids = [device["id"] for device in admin_all["devices"]]
    assert {"dev-1001", "dev-1002", "dev-1003"} <= set(admin_ids)
    assert get(gateway_stack, http, "/api/v2/me/devices", ADMIN).json() == {"statusCode": 0, "devices": []}
    mine = get(gateway_stack, http, "/api/v2/devices", AGENT_1).json()["devices"]
    assert [device["id"] for device in mine] == ["dev-1001"]
    device = mine[0]
    assert device["path"] == "/devices/dev-1001" and device["deviceState"] == "Active"
    assert device["uri"].endswith("/api/v2/devices/dev-1001")
    assert get(gateway_stack, http, "/api/v2/devices/dev-1002", AGENT_1).status_code == 404
    assert get(gateway_stack, http, "/api/v2/devices/dev-1002", ADMIN).status_code == 200


@pytest.mark.parametrize("who, role", [(ADMIN, "ROLE_ADMIN"), (AGENT_1, "ROLE_AGENT")])
def test_me_has_the_shape_of_the_role(gateway_stack, http, who, role):
    response = get(gateway_stack, http, "/api/v2/me", who)
    assert response.status_code == 200, response.text
    user = response.json()["user"]
    assert set(response.json()) == {"statusCode", "user"}
    assert set(user) == {"id", "userName", "roles", "uri", "path"}
    assert user["id"] == user["userName"] == who[0]
    assert user["roles"] == [role]
    assert user["path"] == "/me" and user["uri"].endswith("/api/v2/me")


def test_me_for_a_telephony_principal_is_403(gateway_stack, http):
    response = get(gateway_stack, http, "/api/v2/me", SWITCH_WEB)
    assert response.status_code == 403, response.text
    assert response.json()["statusCode"] == 5
    dialed = post(gateway_stack, http, "/api/v2/me/devices/dev-1001/calls", SWITCH_WEB, dial("5002"))
    assert dialed.status_code == 403 and dialed.json()["statusCode"] == 5, dialed.text
