"""`calls-bench group` at a tiny size against the real calls-bus and a real PostgreSQL server:
both stores answer every request, the takeovers after `kill -9` and after `SIGSTOP` are measured,
the report has its section and the two goals of issue #13, and the databases the benchmark made
are dropped. Without `--postgres-url` the section says it was skipped. No timing is asserted
(that is `make bench`'s job); it takes 10 to 25 s."""

from __future__ import annotations

import json
import os
import subprocess

import busclient
from busclient import REPO


def bench_binary() -> str:
    """$CALLS_BENCH_BINARY, else <repo>/.build/debug/calls-bench."""
    return os.environ.get("CALLS_BENCH_BINARY") or str(REPO / ".build" / "debug" / "calls-bench")


def run_group(tmp_path, *extra: str) -> tuple[dict, str]:
    report_json, report_markdown = tmp_path / "report.json", tmp_path / "report.md"
    result = subprocess.run(
        [bench_binary(), "group", "--quick", "--bus", busclient.bus_binary(),
         "--json", str(report_json), "--markdown", str(report_markdown), *extra],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(report_json.read_text()), report_markdown.read_text()


def test_the_group_benchmark_loads_both_stores_and_measures_takeovers(tmp_path, postgres_server):
    before = set(postgres_server.psql("SELECT datname FROM pg_database").split())
    report, markdown = run_group(tmp_path, "--kills", "1", "--postgres-url", postgres_server.url("postgres"))
    group = report["group"]
    assert "notMeasured" not in group, group
    stores = group["stores"]
    assert stores["seededCalls"] == 100
    assert [(c["operation"], c["sqlite"]["shape"]["clients"]) for c in stores["comparisons"]] == [
        ("calls.get", 1), ("calls.get", 8), ("telephony.event", 4)]
    for comparison in stores["comparisons"]:
        for side in ("sqlite", "postgres"):
            load = comparison[side]
            assert load["requests"] > 0 and load["refused"] == 0 and load["timedOutClients"] == 0, comparison
    takeover = group["takeover"]
    assert takeover["leaseTimeout"] == 3
    assert len(takeover["killSeconds"]) == 1 and takeover["killSeconds"][0] > 0
    # After SIGSTOP the standby takes over once the lease expires, unless the bus was paused inside
    # a commit (its transaction holds the lease row): the report then says so instead.
    if "pauseSeconds" in takeover:
        assert takeover["pauseSeconds"] > 0 and "pauseFailure" not in takeover
    else:
        assert "no bus answered" in takeover["pauseFailure"], takeover
    assert "## Several buses on one PostgreSQL (issue #13)" in markdown
    assert "telephony.event req/s, PostgreSQL / SQLite" in markdown
    assert "takeover after kill -9, median (default --lease-timeout), 1 kills" in markdown
    # Every database the benchmark made was dropped again.
    assert set(postgres_server.psql("SELECT datname FROM pg_database").split()) == before


def test_without_a_server_the_group_benchmark_says_it_was_skipped(tmp_path):
    report, markdown = run_group(tmp_path)
    assert "postgres-url" in report["group"]["notMeasured"]
    assert "**Not measured**: no `--postgres-url` given" in markdown
    assert [goal["measured"] for goal in report["goals"]] == ["not measured", "not measured"]
