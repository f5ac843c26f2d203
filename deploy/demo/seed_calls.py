#!/usr/bin/env python3
"""Reports a few demo calls to the running bus as the switch adapter `switch-1`, so that
`make run` shows something at once. Calls already there (from an earlier run) are left alone."""

import json
import sys

import zmq

CALLS = [
    ("demo-inbound-1001", "dev-1001", "Ringing", ["+14155552671"], "+14155552671"),
    ("demo-outbound-1002", "dev-1002", "Dialing", ["+442079460958"], None),
    ("demo-internal-1003", "dev-1003", "Ringing", ["5001"], None),
]


def main() -> int:
    context = zmq.Context()
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)
    socket.setsockopt(zmq.RCVTIMEO, 2000)
    socket.setsockopt(zmq.SNDTIMEO, 2000)
    socket.connect("tcp://127.0.0.1:5555")
    for call_id, device, kind, participants, ani in CALLS:
        event = {"type": kind, "callId": call_id, "deviceId": device, "participants": participants}
        if ani:
            event["ani"] = ani
        socket.send_json({"op": "telephony.event", "user": "switch-1", "event": event})
        reply = socket.recv_json()
        status = "added" if reply["statusCode"] == 0 else f"kept ({reply.get('statusMessage')})"
        print(f"demo call {call_id}: {status}")
    context.destroy(linger=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
