"""`calls-bench cometd` at a tiny size against the real calls-bus and calls-gateway: the fan-out
benchmark's load generator holds every session, the bus's publish times and every delivery are
matched, and the report has its section and goals. No timing is asserted (that is `make bench`'s
job); it takes about 6 s."""

from __future__ import annotations

import json
import os
import subprocess

import busclient
from gatewaystack import REPO, gateway_binary


def bench_binary() -> str:
    """$CALLS_BENCH_BINARY, else <repo>/.build/debug/calls-bench."""
    return os.environ.get("CALLS_BENCH_BINARY") or str(REPO / ".build" / "debug" / "calls-bench")


def test_the_fan_out_holds_every_session_and_matches_every_delivery(tmp_path):
    report_json, report_markdown = tmp_path / "report.json", tmp_path / "report.md"
    result = subprocess.run(
        [bench_binary(), "cometd", "--sessions", "5", "--seconds", "2", "--rate", "20",
         "--bus", busclient.bus_binary(), "--gateway", gateway_binary(),
         "--json", str(report_json), "--markdown", str(report_markdown)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads(report_json.read_text())["cometd"]["runs"][0]
    # 4 agents and 1 supervisor; 40 events, Ringing and Released of 20 calls over the agents' devices.
    assert (run["sessions"], run["supervisors"]) == (5, 1)
    assert (run["sessionsHeld"], run["sessionsLost"], run["sessionsComplete"]) == (5, 0, 5), run["lostReasons"]
    assert run["sent"]["sent"] == run["sent"]["accepted"] == run["eventsPublished"] == 40
    assert run["sent"]["refused"] == 0
    # Each agent gets its own calls' events (40 in all), the supervisor every one.
    assert run["deliveriesExpected"] == run["deliveriesReceived"] == 80
    assert (run["duplicates"], run["unexpected"]) == (0, 0)
    assert run["cometd"]["count"] == 80 and run["sse"]["count"] == run["sseReceived"] == 40
    assert run["gatewayIdleBytes"] >= run["gatewayBeforeBytes"] > 0 and run["sessionsHeldIdle"] == 5
    markdown = report_markdown.read_text()
    assert "CometD notifications fan-out" in markdown
    assert "CometD sessions lost, 5 sessions at 20 events/s" in markdown
