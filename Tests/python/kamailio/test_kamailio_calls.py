"""SIPp calls through a real Kamailio running deploy/kamailio/kamailio.cfg, followed by a real
calls-kamailio into a real calls-bus: what the bus shows must be what the SIP dialogs did.

Devices: dev-5001 (phoneNumber 5001) and dev-5002 (5002); any other number is outside. A call
id is `<SIP Call-ID>~<device>`; each test picks its own Call-IDs (`-cid_str`).
"""

from __future__ import annotations

import re
import signal
import time

from kamailiostack import Stack, stop, wait_until

OUTSIDE = "0612345678"


def released(stack: Stack, call_id: str) -> dict:
    return wait_until(lambda: (c := stack.calls(call_id).get(call_id)) and c["state"] == "Released" and c,
                      f"{call_id} Released")


def finished(proc, what: str, timeout: float = 30) -> None:
    code = proc.wait(timeout=timeout)
    assert code == 0, f"{what} exited with {code}"


def test_an_inbound_call_answered_then_hung_up_by_the_caller(stack):
    uas, port = stack.uas("uas_answer", 1)
    finished(stack.uac("uac_call", port, OUTSIDE, "5001", "inbound", 1, "-d", "300"), "the UAC")
    finished(uas, "the UAS")
    call_id = "inbound-1@kam~dev-5001"
    call = released(stack, call_id)
    assert stack.states(call_id) == ["Ringing", "Established", "Released"]
    assert call["callType"] == "Inbound"
    assert call["participants"] == [OUTSIDE]
    assert call["ani"] == OUTSIDE
    assert call["deviceUri"].endswith("/devices/dev-5001")


def test_a_hangup_through_the_rest_api_ends_the_sip_dialog(stack):
    uas, port = stack.uas("uas_answer", 1)
    uac = stack.uac("uac_wait_bye", port, OUTSIDE, "5001", "resthangup")
    call_id = "resthangup-1@kam~dev-5001"
    wait_until(lambda: stack.calls(call_id).get(call_id, {}).get("state") == "Established", "Established")
    status, body = stack.rest("POST", f"/api/v2/me/calls/{call_id}", {"operationName": "Hangup"})
    assert (status, body["statusCode"]) == (200, 0), body
    # Both SIPp sides exit 0 only when they received the BYE that dlg.end_dlg sent.
    finished(uac, "the UAC (waits for the BYE)")
    finished(uas, "the UAS (waits for the BYE)")
    wait_until(lambda: not [d for d in stack.dialogs() if d["call-id"] == "resthangup-1@kam"], "the dialog to end")
    assert stack.states(call_id) == ["Ringing", "Established", "Released"]
    assert "Ending a dialog" in stack.adapter_log()


def test_hold_and_retrieve_by_reinvite(stack):
    uas, port = stack.uas("uas_answer", 1)
    finished(stack.uac("uac_hold", port, "5001", OUTSIDE, "hold", 1, "-d", "300"), "the UAC")
    finished(uas, "the UAS")
    call_id = "hold-1@kam~dev-5001"
    call = released(stack, call_id)
    assert stack.states(call_id) == ["Dialing", "Established", "Held", "Established", "Released"]
    assert call["callType"] == "Outbound"
    assert call["participants"] == [OUTSIDE]
    assert "ani" not in call


def test_a_cancelled_call(stack):
    uas, port = stack.uas("uas_ring", 1)
    finished(stack.uac("uac_cancel", port, OUTSIDE, "5001", "cancel", 1, "-d", "300"), "the UAC")
    finished(uas, "the UAS")
    released(stack, "cancel-1@kam~dev-5001")
    assert stack.states("cancel-1@kam~dev-5001") == ["Ringing", "Released"]


def test_a_busy_call(stack):
    uas, port = stack.uas("uas_busy", 1)
    finished(stack.uac("uac_rejected", port, OUTSIDE, "5001", "busy"), "the UAC")
    finished(uas, "the UAS")
    released(stack, "busy-1@kam~dev-5001")
    assert stack.states("busy-1@kam~dev-5001") == ["Ringing", "Released"]


def test_an_agent_to_agent_call_is_two_calls(stack):
    uas, port = stack.uas("uas_answer", 1)
    finished(stack.uac("uac_call", port, "5002", "5001", "internal", 1, "-d", "300"), "the UAC")
    finished(uas, "the UAS")
    caller = released(stack, "internal-1@kam~dev-5002")
    callee = released(stack, "internal-1@kam~dev-5001")
    assert stack.states("internal-1@kam~dev-5002") == ["Dialing", "Established", "Released"]
    assert stack.states("internal-1@kam~dev-5001") == ["Ringing", "Established", "Released"]
    assert (caller["callType"], caller["participants"]) == ("Internal", ["5001"])
    assert (callee["callType"], callee["participants"]) == ("Internal", ["5002"])
    assert "ani" not in callee  # the contract keeps `ani` for Inbound calls


def test_200_calls_at_20_per_second_all_end_released(stack):
    uas, port = stack.uas("uas_answer", 200)
    uac = stack.uac("uac_call", port, OUTSIDE, "5001", "load", 200, "-r", "20", "-d", "1000", "-l", "100")
    finished(uac, "the UAC", timeout=40)
    finished(uas, "the UAS", timeout=10)
    calls = wait_until(
        lambda: (c := stack.calls("load-")) and len(c) == 200 and all(x["state"] == "Released" for x in c.values()) and c,
        "200 load calls Released")
    assert sorted(calls) == sorted(f"load-{n}@kam~dev-5001" for n in range(1, 201))
    assert "refused" not in stack.adapter_log()


def test_killing_the_adapter_mid_load_leaves_the_bus_equal_to_kamailio(stack):
    uas, port = stack.uas("uas_answer", 100)
    uac = stack.uac("uac_call", port, OUTSIDE, "5001", "kill", 100, "-r", "20", "-d", "2500", "-l", "100")
    time.sleep(2.0)
    stack.adapter.send_signal(signal.SIGKILL)
    stack.adapter.wait(timeout=5)
    time.sleep(1.5)  # calls start and end while no adapter follows Kamailio
    stack.start_adapter()
    # The restarted adapter found the calls the load keeps up, and brought the bus to them.
    resync = re.search(r"bus\.calls=(\d+) kamailio\.dialogs=(\d+) .*telephony\.events=(\d+)", stack.adapter_log())
    assert resync, stack.adapter_log()
    bus_calls, dialogs, events = map(int, resync.groups())
    assert bus_calls > 0 and dialogs > 0 and events > 0, resync.group(0)
    # Right after the resynchronisation, every confirmed dialog Kamailio holds is a live call on the
    # bus, unless it ended in between (then the bus released it too).
    # (The adapter reports a dialog a moment after Kamailio confirms it: on a loaded machine that
    # moment can be long, so the check is repeated for up to a second, well within the calls'
    # 2.5 s: a dialog the adapter missed would stay up, and unreported, past it.)
    before = {d["call-id"] for d in stack.dialogs() if d["state"] == 4}

    def every_confirmed_dialog_is_live_or_ended():
        live_calls = {c["id"].split("~")[0] for c in stack.calls("kill-").values() if c["state"] != "Released"}
        after = {d["call-id"] for d in stack.dialogs()}
        return before - live_calls <= before - after

    wait_until(every_confirmed_dialog_is_live_or_ended, "every confirmed dialog live on the bus or ended", timeout=1.0)
    finished(uac, "the UAC", timeout=40)
    finished(uas, "the UAS", timeout=10)
    calls = wait_until(
        lambda: (c := stack.calls("kill-")) and all(x["state"] == "Released" for x in c.values()) and c,
        "every kill-* call Released")
    assert stack.dialogs() == []
    # Calls live at the restart were created by the resynchronisation: none is lost.
    assert len(calls) == 100, (sorted(calls), stack.log("adapter-1.log")[-3000:], stack.adapter_log()[-3000:])
    assert "The bus refused a telephony event" not in stack.adapter_log()


def test_an_operation_a_proxy_cannot_do_leaves_a_refused_event_in_the_log(stack):
    # REST Hold changes only the bus (a proxy cannot hold a call); when the phone then holds by
    # re-INVITE, the bus refuses Held on a Held call, and the adapter logs it with the bus's reason.
    uas, port = stack.uas("uas_answer", 1)
    uac = stack.uac("uac_hold", port, "5001", OUTSIDE, "resthold", 1, "-d", "1500")
    call_id = "resthold-1@kam~dev-5001"
    wait_until(lambda: stack.calls(call_id).get(call_id, {}).get("state") == "Established", "Established")
    status, body = stack.rest("POST", f"/api/v2/me/calls/{call_id}", {"operationName": "Hold"})
    assert (status, body["statusCode"]) == (200, 0), body
    finished(uac, "the UAC")
    finished(uas, "the UAS")
    released(stack, call_id)
    assert stack.states(call_id) == ["Dialing", "Established", "Held", "Established", "Released"]
    refusals = [line for line in stack.adapter_log().splitlines() if "The bus refused a telephony event" in line]
    assert len(refusals) == 1, refusals
    assert f"call.id={call_id}" in refusals[0] and "telephony.type=Held" in refusals[0], refusals[0]
    assert "reason=" in refusals[0] and "bus.statusCode=2" in refusals[0], refusals[0]


def test_the_adapter_waits_out_a_bus_restart_and_reports_every_event(stack):
    stop(stack.bus_process)
    uas, port = stack.uas("uas_answer", 1)
    finished(stack.uac("uac_call", port, OUTSIDE, "5001", "busdown", 1, "-d", "300"), "the UAC")
    finished(uas, "the UAS")
    wait_until(lambda: "The bus did not answer; sending the event again" in stack.adapter_log(), "a retry")
    stack.start_bus()
    released(stack, "busdown-1@kam~dev-5001")
    assert stack.states("busdown-1@kam~dev-5001") == ["Ringing", "Established", "Released"]


def test_the_adapter_reconnects_to_a_restarted_kamailio_and_releases_what_it_lost(stack):
    uas, port = stack.uas("uas_answer", 1)
    uac = stack.uac("uac_wait_bye", port, OUTSIDE, "5001", "kamdown")
    call_id = "kamdown-1@kam~dev-5001"
    wait_until(lambda: stack.calls(call_id).get(call_id, {}).get("state") == "Established", "Established")
    stop(stack.kamailio)  # its dialogs are in memory only: this call is gone for Kamailio
    stop(uac)
    stop(uas)
    wait_until(lambda: "Kamailio closed the evapi connection" in stack.adapter_log()
               or "Kamailio unreachable; retrying" in stack.adapter_log(), "the adapter to notice")
    resyncs = stack.adapter_log().count("Resynchronised with Kamailio")
    stack.start_kamailio()
    wait_until(lambda: stack.adapter_log().count("Resynchronised with Kamailio") > resyncs, "a new resynchronisation")
    released(stack, call_id)
    assert stack.states(call_id) == ["Ringing", "Established", "Released"]
    # Calls flow again through the new Kamailio.
    uas, port = stack.uas("uas_answer", 1)
    finished(stack.uac("uac_call", port, OUTSIDE, "5001", "kamup", 1, "-d", "100"), "the UAC")
    finished(uas, "the UAS")
    assert stack.states(released(stack, "kamup-1@kam~dev-5001")["id"]) == ["Ringing", "Established", "Released"]


def test_a_single_step_transfer_through_the_rest_api_ends_the_dialog_a_proxy_cannot_move(stack):
    # The bus releases the call and publishes no destination: the adapter ends the SIP dialog, as
    # proto-docs/switch-adapters.md says (moving it needs a user agent: REFER or a new INVITE).
    uas, port = stack.uas("uas_answer", 1)
    uac = stack.uac("uac_wait_bye", port, OUTSIDE, "5001", "transfer")
    call_id = "transfer-1@kam~dev-5001"
    wait_until(lambda: stack.calls(call_id).get(call_id, {}).get("state") == "Established", "Established")
    status, body = stack.rest("POST", f"/api/v2/me/calls/{call_id}",
                              {"operationName": "SingleStepTransfer", "destination": {"phoneNumber": "5002"}})
    assert (status, body["statusCode"]) == (200, 0), body
    finished(uac, "the UAC (waits for the BYE)")
    finished(uas, "the UAS (waits for the BYE)")
    assert stack.states(call_id) == ["Ringing", "Established", "Released"]
