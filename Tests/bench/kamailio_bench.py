"""`make bench`, Kamailio part: SIPp calls per second through a real Kamailio, without and with
calls-kamailio feeding a calls-bus, and the delay from Kamailio handling a SIP message to the
bus publishing its event (p50, p99).

The delay is measured outside the adapter: a second evapi client records when Kamailio handled
each message (the `time` of its event), a SUB socket on the bus records when each call event
arrives, and the two are matched by SIP Call-ID and state (invite -> Ringing, answered ->
Established, ended -> Released). Both clocks are this machine's.

Usage: python3 Tests/bench/kamailio_bench.py [--calls N] [--rate CPS] [--markdown FILE]
(appends a section to FILE; prints it otherwise). Runs the calls-bus and calls-kamailio named by
CALLS_BUS_BINARY and CALLS_KAMAILIO_BINARY (else the debug builds), and kamailio and sipp.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import zmq

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python" / "kamailio"))

from kamailiostack import Stack, stop  # noqa: E402

KIND_OF_STATE = {"Ringing": "invite", "Established": "answered", "Released": "ended"}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


class EvapiRecorder(threading.Thread):
    """Records Kamailio's time of each (Call-ID, event)."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.settimeout(0.5)
        self.times: dict[tuple[str, str], float] = {}
        self.running = True

    def run(self) -> None:
        buffer = b""
        while self.running:
            try:
                data = self.sock.recv(1 << 16)
            except socket.timeout:
                continue
            if not data:
                return
            buffer += data
            while True:
                colon = buffer.find(b":")
                if colon < 0:
                    break
                length = int(buffer[:colon])
                if len(buffer) < colon + length + 2:
                    break
                event = json.loads(buffer[colon + 1:colon + 1 + length])
                buffer = buffer[colon + length + 2:]
                kind = "ended" if event["event"] == "failed" else event["event"]
                self.times[(event["callId"], kind)] = event["time"]


class BusRecorder(threading.Thread):
    """Records when each call event reaches a subscriber of the bus."""

    def __init__(self, ctx: zmq.Context, endpoint: str):
        super().__init__(daemon=True)
        self.sub = ctx.socket(zmq.SUB)
        self.sub.setsockopt(zmq.LINGER, 0)
        self.sub.setsockopt(zmq.RCVTIMEO, 500)
        self.sub.setsockopt(zmq.SUBSCRIBE, b"calls/")
        self.sub.connect(endpoint)
        self.times: dict[tuple[str, str], float] = {}
        self.running = True

    def run(self) -> None:
        while self.running:
            try:
                _, body = self.sub.recv_multipart()
            except zmq.Again:
                continue
            arrived = time.time()
            call = json.loads(body)["call"]
            kind = KIND_OF_STATE.get(call["state"])
            if kind:
                self.times[(call["id"].split("~")[0], kind)] = arrived


def run_sipp(stack: Stack, label: str, calls: int, rate: int) -> tuple[float, int]:
    """Calls per second SIPp completed (successful calls / wall time of the run), and the calls that failed."""
    uas, port = stack.uas("uas_answer", calls)
    started = time.monotonic()
    uac = stack.uac("uac_call", port, "0612345678", "5001", label, calls, "-r", str(rate), "-d", "200",
                    "-l", str(rate * 2))
    code = uac.wait(timeout=calls / rate * 4 + 30)
    elapsed = time.monotonic() - started
    stop(uas)
    log = (stack.workdir / f"uac-{label}.log").read_text(errors="replace")
    successful = re.findall(r"Successful call\s+\|\s+\d+\s+\|\s+(\d+)", log)
    done = int(successful[-1]) if successful else 0
    print(f"{label}: SIPp exited with {code}, {done} of {calls} calls successful in {elapsed:.1f} s", file=sys.stderr)
    return done / elapsed, calls - done


def main() -> None:
    parser = argparse.ArgumentParser()
    # 50 calls/s is what this shared 2-core machine carried without INVITE retransmissions (which
    # the SIPp UAS counts as failures) with SIPp on it too; at 100 calls/s 15% failed, adapter or not.
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--markdown")
    args = parser.parse_args()

    stack = Stack()
    try:
        stack.start(gateway=False)
        # Without the adapter: Kamailio and SIPp alone.
        stop(stack.adapter)
        time.sleep(0.5)
        bare, bare_failed = run_sipp(stack, "bench-bare", args.calls, args.rate)
        # With the adapter and the bus, and the two recorders.
        stack.start_adapter()
        evapi = EvapiRecorder(stack.evapi_port)
        bus = BusRecorder(stack.ctx, stack.events_endpoint)
        evapi.start()
        bus.start()
        time.sleep(0.5)
        fed, fed_failed = run_sipp(stack, "bench-fed", args.calls, args.rate)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            released = sum(1 for (call, kind) in bus.times if kind == "ended" and call.startswith("bench-fed"))
            if released >= args.calls:
                break
            time.sleep(0.2)
        evapi.running = bus.running = False
        evapi.join()
        bus.join()
        evapi.sock.close()
        bus.sub.close(0)
        delays = [
            (bus.times[key] - evapi.times[key]) * 1000
            for key in evapi.times
            if key[0].startswith("bench-fed") and key in bus.times
        ]
        refused = stack.adapter_log().count("The bus refused a telephony event")
    finally:
        stack.close()

    lines = [
        "",
        "## Kamailio: SIPp calls through Kamailio, with and without calls-kamailio",
        "",
        f"SIPp `uac_call.xml` against `uas_answer.xml` through Kamailio (`deploy/kamailio/kamailio.cfg`, "
        f"4 workers), {args.calls} calls offered at {args.rate} calls/s, 200 ms between ACK and BYE (with none, a BYE can overtake its ACK through the proxy and SIPp counts the call failed). "
        "With the adapter, each call is 3 telephony events on the bus (Ringing, Established, Released). "
        "The delay is from Kamailio handling the SIP message (its evapi `time`) to a bus subscriber "
        "receiving the call event; every process shares the machine's 2 processors.",
        "",
        "| scenario | figure | value |",
        "| --- | --- | ---: |",
        f"| Kamailio alone | calls/s completed | {bare:,.0f} |",
        f"|  | calls failed | {bare_failed} |",
        f"| Kamailio + calls-kamailio + calls-bus | calls/s completed | {fed:,.0f} |",
        f"|  | calls failed | {fed_failed} |",
        f"| SIP message -> bus event | events measured | {len(delays):,} |",
        f"|  | p50 ms | {percentile(delays, 0.50):.2f} |",
        f"|  | p99 ms | {percentile(delays, 0.99):.2f} |",
        f"| events the bus refused | count | {refused} |",
        "",
    ]
    text = "\n".join(lines)
    if args.markdown:
        with open(args.markdown, "a") as out:
            out.write(text)
    print(text)


if __name__ == "__main__":
    main()
