// The wallboard's page, style and script, shipped inside the gateway: no build step, no bundle
// to install beside the binary, nothing fetched from another host. Edit them here; the Python
// browser tests (Tests/python/gateway/test_wallboard.py) load them in headless Chromium.
// swift-format-ignore-file

/// The files `GET /wallboard` serves.
enum WallboardAssets {
    /// `/wallboard`.
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Calls wallboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/wallboard/wallboard.css">
</head>
<body>
<header>
  <h1>Calls wallboard</h1>
  <span id="who"></span>
  <span id="connection" class="connecting" role="status" aria-live="polite">connecting…</span>
  <form id="signout" method="post" action="/wallboard/session/end" hidden><button type="submit">Sign out</button></form>
</header>
<main>
  <section id="signin" hidden aria-labelledby="signin-title">
    <h2 id="signin-title">Sign in</h2>
    <p id="signin-error" role="alert" hidden></p>
    <form method="post" action="/wallboard/session">
      <label>User <input id="signin-user" name="user" autocomplete="username" required></label>
      <label>Password <input id="signin-password" name="password" type="password" autocomplete="current-password"></label>
      <button id="signin-submit" type="submit">Sign in</button>
    </form>
  </section>
  <div id="board" hidden>
    <section aria-labelledby="counts-title">
      <h2 id="counts-title">Calls by state</h2>
      <ul id="counts"></ul>
    </section>
    <section id="me" hidden aria-labelledby="me-title">
      <h2 id="me-title">My state</h2>
      <p id="my-state"></p>
      <div id="agent-buttons"></div>
    </section>
    <section aria-labelledby="tiles-title">
      <h2 id="tiles-title">Agents</h2>
      <div id="tiles"></div>
    </section>
    <section id="calls-section" aria-labelledby="calls-title">
      <h2 id="calls-title">Live calls</h2>
      <div class="filters">
        <label>State <select id="filter-state"><option value="">all</option><option>Ringing</option><option>Dialing</option><option>Established</option><option>Held</option></select></label>
        <label>Agent (device) <select id="filter-device"><option value="">all</option></select></label>
      </div>
      <table id="calls">
        <thead><tr><th scope="col">Call</th><th scope="col">State</th><th scope="col">Device</th><th scope="col">Party</th><th scope="col">Duration</th><th scope="col">Actions</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
    <section id="chart-section" aria-labelledby="chart-title">
      <h2 id="chart-title">Calls started per minute, last hour</h2>
      <svg id="chart" role="img" aria-label="calls started per minute over the last hour" viewBox="0 0 600 120" preserveAspectRatio="none"></svg>
      <p id="chart-total"></p>
    </section>
  </div>
</main>
<script src="/wallboard/wallboard.js"></script>
</body>
</html>
"""#

    /// `/wallboard/wallboard.css`.
    static let style = #"""
:root { --fg: #1b1f24; --bg: #f6f7f9; --card: #fff; --muted: #5b6470; --line: #d7dbe0;
  --ringing: #b35900; --dialing: #6b4fbb; --established: #1a7f37; --held: #9a6700; --released: #57606a; --bad: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; padding: .6rem 1rem; background: var(--card); border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.2rem; margin: 0 auto 0 0; }
main { padding: 1rem; display: grid; gap: 1rem; }
#board { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
h2 { font-size: 1rem; margin: 0 0 .5rem; }
#counts { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
#counts li { padding: .4rem .6rem; border-radius: 4px; border-left: 4px solid var(--line); background: var(--bg); }
#counts strong { font-size: 1.3rem; margin-right: .3rem; }
.state-Ringing { border-color: var(--ringing) !important; } .state-Dialing { border-color: var(--dialing) !important; }
.state-Established { border-color: var(--established) !important; } .state-Held { border-color: var(--held) !important; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; border-left: 4px solid var(--line); background: var(--bg); }
#tiles { display: grid; gap: .5rem; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); }
.tile { border: 1px solid var(--line); border-radius: 4px; padding: .5rem; }
.tile h3 { font-size: .95rem; margin: 0 0 .25rem; }
.tile p { margin: 0; color: var(--muted); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--line); }
#calls-title + .filters { margin-bottom: .5rem; }
.filters { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: .5rem; }
button { font: inherit; padding: .25rem .6rem; margin: 0 .25rem .25rem 0; border: 1px solid var(--line); border-radius: 4px; background: #eef1f4; cursor: pointer; }
button:focus, select:focus, input:focus { outline: 2px solid #0969da; outline-offset: 1px; }
#connection { padding: .15rem .5rem; border-radius: 3px; background: #ddf4e4; }
#connection.reconnecting, #connection.connecting { background: #fff1cc; }
#connection.reconnecting::before { content: "⟳ "; }
#signin form { display: grid; gap: .5rem; max-width: 20rem; }
#signin-error { color: var(--bad); }
#chart rect { fill: #0969da; }
@media (max-width: 600px) { th:nth-child(3), td:nth-child(3) { display: none; } }
#calls-section, #chart-section { grid-column: 1 / -1; overflow-x: auto; }
#chart { width: 100%; height: 120px; }
"""#

    /// `/wallboard/wallboard.js`.
    static let script = #"""
"use strict";
// The wallboard: a snapshot from the REST API, then live call events from the SSE stream
// (resumed with the last seq after a disconnect), agent states polled from the devices routes.
const CALL_EVENTS = ["StatusChange", "ParticipantsUpdated", "AttachedDataChanged", "DtmfSent", "CallRecordingStateChange"];
const LIVE_STATES = ["Ringing", "Dialing", "Established", "Held"];
const BUTTONS = ["Answer", "Hold", "Retrieve", "MuteCall", "UnmuteCall", "Hangup"];
const board = {
  me: null, isAdmin: false, calls: new Map(), devices: new Map(), since: new Map(),
  started: new Map(), lastSeq: null, source: null, ticking: false,
};
const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value; else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", ...options });
  let body = null;
  try { body = await response.json(); } catch (error) { body = null; }
  return { status: response.status, body };
}

function setConnection(kind, text) {
  const badge = $("connection");
  badge.className = kind;
  badge.textContent = text;
}

function showSignIn(reason) {
  $("signin").hidden = false;
  $("board").hidden = true;
  setConnection("connecting", "signed out");
  if (reason) {
    $("signin-error").hidden = false;
    const texts = { busy: "Too many sign-ins: try again in a moment.", expired: "Your sign-in has expired." };
    $("signin-error").textContent = texts[reason] || "Wrong user or password.";
  }
}

function deviceIdOf(call) { return decodeURIComponent(call.deviceUri.split("/devices/").pop()); }

function duration(since) {
  if (!since) return "";
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

// A duration that the clock updates in place every second: rows are rebuilt only when data
// changes, so that a button is never replaced under the pointer.
function ticking(since) {
  return element("span", { class: "duration", "data-since": since || "", text: duration(since) });
}

function tick() {
  for (const span of document.querySelectorAll("span.duration")) span.textContent = duration(span.dataset.since);
  const minute = Math.floor(Date.now() / 60000);
  if (minute !== board.chartMinute) { board.chartMinute = minute; renderChart(); }
}

function remember(call) {
  if (call.startTime && !board.started.has(call.id)) board.started.set(call.id, Date.parse(call.startTime));
}

function applyCall(call) {
  remember(call);
  if (call.state === "Released") board.calls.delete(call.id); else board.calls.set(call.id, call);
}

async function loadDevices() {
  const reply = await api(board.isAdmin ? "/api/v2/devices" : "/api/v2/me/devices");
  if (reply.status !== 200) return;
  const seen = new Set();
  for (const device of reply.body.devices) {
    seen.add(device.id);
    const before = board.devices.get(device.id);
    if (!before || before.userState.state !== device.userState.state) board.since.set(device.id, new Date().toISOString());
    board.devices.set(device.id, device);
  }
  for (const id of [...board.devices.keys()]) if (!seen.has(id)) board.devices.delete(id);
  const signature = JSON.stringify([...board.devices.values()]);
  if (signature !== board.devicesSignature) { board.devicesSignature = signature; render(); }
}

function onCallEvent(message) {
  const body = JSON.parse(message.data);
  board.lastSeq = body.seq;
  applyCall(body.call);
  render();
}

function onResync(message) {
  const body = JSON.parse(message.data);
  board.lastSeq = body.seq;
  board.calls.clear();
  for (const call of body.calls) applyCall(call);
  render();
}

// The first stream asks to resume after a seq beyond any the bus has made: by the contract it
// then starts with a Resync carrying the snapshot and its seq, so snapshot and live events
// join without a gap. Later streams resume after the last event seen.
const BEYOND_EVERY_SEQ = "18446744073709551615";

function openStream() {
  const url = `/api/v2/me/calls/events?lastEventId=${board.lastSeq === null ? BEYOND_EVERY_SEQ : board.lastSeq}`;
  const source = new EventSource(url);
  board.source = source;
  source.onopen = () => setConnection("live", "live");
  source.onerror = () => {
    setConnection("reconnecting", "reconnecting…");
    // A refused stream (401, 503) is not retried by EventSource itself: open a new one, resuming
    // after the last event seen.
    if (source.readyState === EventSource.CLOSED && board.source === source) setTimeout(reopen, 1000);
  };
  for (const type of CALL_EVENTS) source.addEventListener(type, onCallEvent);
  source.addEventListener("Resync", onResync);
}

async function reopen() {
  const session = await api("/wallboard/session").catch(() => ({ status: 0 }));
  if (session.status === 200 && !session.body.signedIn) { showSignIn("expired"); return; }
  openStream();
}

async function operate(call, operationName) {
  const reply = await api(`/api/v2/me/calls/${encodeURIComponent(call.id)}`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ operationName }),
  });
  if (reply.status !== 200) alertProblem(reply);
}

async function agentState(path, operationName, extra = {}) {
  const reply = await api(path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ operationName, ...extra }),
  });
  if (reply.status !== 200) alertProblem(reply);
  await loadDevices();
}

function alertProblem(reply) {
  const text = reply.body && reply.body.statusMessage ? reply.body.statusMessage : `HTTP ${reply.status}`;
  setConnection("reconnecting", `refused: ${text}`);
}

function renderCounts(calls) {
  const list = $("counts");
  list.replaceChildren(...LIVE_STATES.map((state) => {
    const count = calls.filter((call) => call.state === state).length;
    return element("li", { class: `state-${state}`, id: `count-${state}` }, element("strong", { text: String(count) }), state);
  }));
}

function currentCall(deviceId, calls) {
  return calls.find((call) => deviceIdOf(call) === deviceId);
}

function renderTiles(calls) {
  const tiles = [...board.devices.values()].map((device) => {
    const call = currentCall(device.id, calls);
    const state = device.userState.state + (device.userState.reason ? ` (${device.userState.reason})` : "");
    return element("div", { class: "tile", id: `tile-${device.id}` },
      element("h3", { text: `${device.id}${device.phoneNumber ? ` · ${device.phoneNumber}` : ""}` }),
      element("p", {}, `${state} for `, ticking(board.since.get(device.id))),
      call
        ? element("p", {}, `${call.state} with ${call.participants[0] || "?"} · `, ticking(call.connectedTime || call.startTime))
        : element("p", { text: "no call" }),
      device.doNotDisturb === "On" ? element("p", { text: "do not disturb" }) : null);
  });
  $("tiles").replaceChildren(...tiles);
}

function renderCalls(calls) {
  const stateFilter = $("filter-state").value;
  const deviceFilter = $("filter-device").value;
  const devices = new Set(calls.map(deviceIdOf));
  for (const device of board.devices.keys()) devices.add(device);
  const select = $("filter-device");
  const options = ["", ...[...devices].sort()];
  if ([...select.options].map((option) => option.value).join() !== options.join()) {
    select.replaceChildren(...options.map((value) => element("option", { value, text: value || "all" })));
    select.value = options.includes(deviceFilter) ? deviceFilter : "";
  }
  const rows = calls
    .filter((call) => (!stateFilter || call.state === stateFilter) && (!deviceFilter || deviceIdOf(call) === deviceFilter))
    .map((call) => {
      const actions = element("td");
      for (const operation of BUTTONS) {
        if (!call.capabilities.includes(operation)) continue;
        const button = element("button", { type: "button", "data-call": call.id, "data-operation": operation, text: operation });
        button.addEventListener("click", () => operate(call, operation));
        actions.append(button);
      }
      return element("tr", { id: `call-${call.id}`, "data-state": call.state },
        element("td", { text: call.id }),
        element("td", {}, element("span", { class: `badge state-${call.state}`, text: call.state + (call.mute === "On" ? " (muted)" : "") })),
        element("td", { text: deviceIdOf(call) }),
        element("td", { text: call.participants.join(", ") }),
        element("td", {}, ticking(call.connectedTime || call.startTime)),
        actions);
    });
  $("calls").tBodies[0].replaceChildren(...rows);
}

function renderChart() {
  const now = Date.now();
  const buckets = new Array(60).fill(0);
  for (const started of board.started.values()) {
    const minutesAgo = Math.floor((now - started) / 60000);
    if (minutesAgo >= 0 && minutesAgo < 60) buckets[59 - minutesAgo] += 1;
  }
  const highest = Math.max(1, ...buckets);
  const svgNS = "http://www.w3.org/2000/svg";
  const bars = buckets.map((count, index) => {
    const bar = document.createElementNS(svgNS, "rect");
    const height = Math.round((count / highest) * 110);
    bar.setAttribute("x", String(index * 10 + 1));
    bar.setAttribute("width", "8");
    bar.setAttribute("y", String(120 - height));
    bar.setAttribute("height", String(height));
    const title = document.createElementNS(svgNS, "title");
    title.textContent = `${count} started ${59 - index} minutes ago`;
    bar.append(title);
    return bar;
  });
  $("chart").replaceChildren(...bars);
  $("chart-total").textContent = `${buckets.reduce((a, b) => a + b, 0)} calls started in the last hour (seen by this page).`;
}

function renderMe() {
  if (board.isAdmin) return;
  const own = [...board.devices.values()][0];
  const state = own ? own.userState : { state: "LoggedOut" };
  $("my-state").textContent = `Agent state: ${state.state}${state.reason ? ` (${state.reason})` : ""}`;
  const buttons = [];
  const add = (label, path, operationName, extra) => {
    const button = element("button", { type: "button", id: `agent-${operationName}`, text: label });
    button.addEventListener("click", () => agentState(path, operationName, extra));
    buttons.push(button);
  };
  if (state.state === "LoggedOut") add("Log in", "/api/v2/me", "StartContactCenterSession");
  else {
    if (state.state !== "Ready") add("Ready", "/api/v2/me/channels/voice", "Ready");
    if (state.state !== "NotReady") add("Not Ready", "/api/v2/me/channels/voice", "NotReady", { reason: "Break" });
    add("Log out", "/api/v2/me", "EndContactCenterSession");
  }
  $("agent-buttons").replaceChildren(...buttons);
}

function render() {
  const calls = [...board.calls.values()].sort((a, b) => a.id.localeCompare(b.id));
  renderCounts(calls);
  renderTiles(calls);
  renderCalls(calls);
  renderChart();
  renderMe();
}

async function start() {
  const params = new URLSearchParams(location.search);
  let session;
  try { session = await api("/wallboard/session"); } catch (error) { session = { status: 0 }; }
  if (session.status === 200 && !session.body.signedIn) { showSignIn(params.get("signin")); return; }
  let me;
  try { me = await api("/api/v2/me"); } catch (error) { me = { status: 0 }; }
  if (me.status === 401) { showSignIn(params.get("signin")); return; }
  if (me.status !== 200) { setConnection("reconnecting", "gateway unavailable, retrying…"); setTimeout(start, 2000); return; }
  board.me = me.body.user;
  board.isAdmin = board.me.roles.includes("ROLE_ADMIN");
  $("who").textContent = `${board.me.userName} (${board.isAdmin ? "supervisor" : "agent"})`;
  $("signin").hidden = true;
  $("board").hidden = false;
  $("signout").hidden = false;
  $("me").hidden = board.isAdmin;
  $("filter-state").addEventListener("change", render);
  $("filter-device").addEventListener("change", render);
  await loadDevices();
  render();
  openStream();
  setInterval(tick, 1000);
  setInterval(loadDevices, 5000);
}

start();
"""#
}
