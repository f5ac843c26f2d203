#!/usr/bin/env bash
# Starts the whole system on loopback for a newcomer: the bus with its SQLite state file under
# ./data, the REST gateway on 127.0.0.1:8080, the demo directory, and a few demo calls.
# Ctrl-C stops everything (SIGTERM: in-flight requests are finished and committed first).
set -euo pipefail
cd "$(dirname "$0")/.."

data="${CALLS_DATA:-data}"
directory="deploy/demo/directory.json"
mkdir -p "$data"

.build/debug/calls-bus --directory "$directory" --state "$data/calls-state.sqlite" &
bus=$!
# Wallboard sign-ins are signed with this key, so that they survive a restart of the gateway.
[ -s "$data/session.key" ] || (umask 077 && head -c 32 /dev/urandom > "$data/session.key")
.build/debug/calls-gateway --directory "$directory" --session-key-file "$data/session.key" &
gateway=$!
simulator=""
stop_all() {
    trap - EXIT INT TERM
    # The simulator first, so that it can release its calls while the bus still answers.
    if [ -n "$simulator" ]; then
        kill -TERM "$simulator" 2>/dev/null || true
        wait "$simulator" 2>/dev/null || true
    fi
    kill -TERM "$gateway" "$bus" 2>/dev/null || true
    wait "$gateway" "$bus" 2>/dev/null || true
}
trap stop_all EXIT
# Ctrl-C is how a person ends `make run`: a clean stop, not a failure (make would print Error 1).
trap 'echo; echo "Stopping the simulator, the gateway and the bus..."; exit 0' INT TERM

for _ in $(seq 1 100); do
    curl -fsS http://127.0.0.1:8080/healthz >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS http://127.0.0.1:8080/healthz >/dev/null || { echo "the gateway did not become healthy" >&2; exit 1; }
python3 deploy/demo/seed_calls.py
# A gentle stream of simulated calls (one every 5 s on average), so there is always something to see.
.build/debug/calls simulate --directory "$directory" --rate 0.2 --duration 86400 \
    --id-prefix "sim-$(date +%s)-" > "$data/simulate.log" 2>&1 &
simulator=$!

cat <<'TEXT'

The call-state system is running on loopback:
  bus requests  tcp://127.0.0.1:5555      bus events  tcp://127.0.0.1:5556
  REST gateway  http://127.0.0.1:8080     state file  data/calls-state.sqlite
  Wallboard     http://127.0.0.1:8080/wallboard  (sign in as a supervisor or an agent below)

Demo users (deploy/demo/README.md): admin / admin-demo, agent-1001 / agent-1001-demo,
agent-1002 / agent-1002-demo, agent-1003 / agent-1003-demo.

A simulated switch adds a call every few seconds (log: data/simulate.log): inbound, outbound
and internal calls, consult transfers and conferences, swaps, recordings, and agents logging
in, going Not Ready with a reason and Ready again.

Try, in another terminal:
  .build/debug/calls list
  .build/debug/calls watch                 # call events, and device events (agent states)
  .build/debug/calls devices
  .build/debug/calls agent login --user agent-1003     # then: agent not-ready --reason Break ...
  .build/debug/calls dial --device dev-1003 --to +14155552671 --user agent-1003
  curl -s -u admin:admin-demo 'http://127.0.0.1:8080/api/v2/me/calls?fields=id,state,deviceUri'
  curl -s -u agent-1001:agent-1001-demo http://127.0.0.1:8080/api/v2/me/calls
  curl -s -u agent-1001:agent-1001-demo -X POST -H 'Content-Type: application/json' \
       -d '{"operationName":"Answer"}' http://127.0.0.1:8080/api/v2/me/calls/demo-inbound-1001
  curl -sN -u admin:admin-demo http://127.0.0.1:8080/api/v2/me/calls/events
  curl -s http://127.0.0.1:8080/metrics | head

Ctrl-C stops everything.
TEXT
wait
