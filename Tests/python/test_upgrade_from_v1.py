"""Issue #11: a state file written by the v1 release opens under this bus with every call, `seq`,
`ownerSeq` and the replay history intact. The fixture and what the v1 bus answered on it
(`state-v1.calls.json`, `state-v1.replay.json`) were made by `calls-bus` at a723d75."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from busclient import ADMIN, AGENT_1, Client

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# v2 adds capabilities (call control), and shows the release time v1 kept as `endTime`;
# nothing else of a v1 call changes.
V2_KEYS = {"capabilities", "endTime"}


def test_a_v1_state_file_upgrades_in_place(bus_factory, zctx):
    bus = bus_factory("--released-retention", "31536000")
    shutil.copy(FIXTURES / "state-v1.sqlite", bus.state_path)
    bus.start()
    client = Client(zctx, bus.request_endpoint)
    v1_calls = json.loads((FIXTURES / "state-v1.calls.json").read_text())
    v1_replay = json.loads((FIXTURES / "state-v1.replay.json").read_text())
    listed = client.list(ADMIN)
    assert listed["seq"] == v1_calls["seq"] == 11
    strip = lambda call: {k: v for k, v in call.items() if k not in V2_KEYS}
    assert [strip(c) for c in listed["calls"]] == [strip(c) for c in v1_calls["calls"]]
    assert all("startTime" not in c and "connectedTime" not in c for c in listed["calls"])
    assert [("endTime" in c) for c in listed["calls"]] == [c["state"] == "Released" for c in listed["calls"]]
    # The history is replayed exactly as the v1 bus published it.
    assert client.replay(ADMIN, 0) == v1_replay
    # Numbering goes on: the next event is 12, and agent-1001's ownerSeq 6.
    assert client.operate(AGENT_1, "v1-held", "Retrieve") == {"statusCode": 0}
    [event] = client.replay(ADMIN, 11)["events"]
    assert (event["seq"], event["ownerSeq"]) == (12, 6)
    client.close()
