"""The REST face against its OpenAPI description (proto-docs/openapi.yaml).

Schemathesis generates a bounded, derandomized set of requests per operation and checks each
response: no 5xx, the status code is documented, the content type is the documented one, the
body and the documented headers conform. The event stream never ends, so it is left out of
schemathesis and checked by small tests of its own. The focused tests at the end pin gateway
bugs found this way (percent-encoded ids, POST on a call named `events`, the stream answering
before it had subscribed), now fixed.
"""

from __future__ import annotations

import itertools
import json
import queue
import select
import socket
import threading
import time

import pytest
import requests
import zmq

_MISSING = "pip install -r Tests/python/requirements.txt"
schemathesis = pytest.importorskip("schemathesis", reason=_MISSING)
yaml = pytest.importorskip("yaml", reason=_MISSING)
openapi_spec_validator = pytest.importorskip("openapi_spec_validator", reason=_MISSING)
pytest.importorskip("jsonschema", reason=_MISSING)

from jsonschema import Draft202012Validator  # noqa: E402
from referencing import Registry, Resource  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gatewaystack import ADMIN, AGENT_1, SPEC_PATH, SWITCH_WEB, basic  # noqa: E402

MAX_EXAMPLES = 50  # per operation and mode; derandomized, so every run sends the same requests
EVENTS_PATH = "/api/v2/me/calls/events"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,  # applies to negative cases only
]
TIMEOUT = 5  # seconds, for every HTTP request here


def load_schema(base_url: str, mode: str):
    schema = schemathesis.openapi.from_path(str(SPEC_PATH))
    schema.config.update(base_url=base_url, basic_auth=ADMIN, request_timeout=TIMEOUT)
    schema.config.generation.update(
        max_examples=MAX_EXAMPLES, deterministic=True, database="none", modes=[mode]
    )
    return schema


@pytest.fixture(scope="module")
def api_schema(gateway_stack):
    """The spec, generating valid requests (positive mode)."""
    return load_schema(gateway_stack.base_url, "positive")


@pytest.fixture(scope="module")
def api_schema_negative(gateway_stack):
    """The spec, generating requests that break it (negative mode)."""
    return load_schema(gateway_stack.base_url, "negative")


@pytest.fixture(scope="module")
def seeded_ids(gateway_stack):
    """An endless, deterministic walk over the seeded call ids."""
    return itertools.cycle(sorted(gateway_stack.seeded))


@pytest.fixture(scope="module")
def device_ids():
    """An endless, deterministic walk over devices of the demo directory (and one unowned id)."""
    return itertools.cycle(["dev-1001", "dev-1002", "dev-1003", "dev-unowned"])


@pytest.fixture(scope="module")
def http(gateway_stack):
    with requests.Session() as session:
        yield session


def call_and_check(case, http) -> None:
    response = case.call_and_validate(session=http, checks=CHECKS)
    # 503 is documented, but not expected while the bus is up.
    assert response.status_code != 503, f"503 while the bus is up: {response.text}"


# The event stream never ends: it has tests of its own below.
positive = schemathesis.pytest.from_fixture("api_schema").exclude(path=EVENTS_PATH)


@positive.parametrize()
def test_rest_face_conforms_to_openapi(case, seeded_ids, device_ids, http):
    """Each generated request as generated (random ids: mostly 404), then, for the routes with an
    `{id}` or a `{deviceId}`, once more on a seeded call or a directory device, so that 200s,
    partial `fields=` objects, operations done (200) and refused in the current state (400) are
    exercised too."""
    call_and_check(case, http)
    again_on_known_ids(case, seeded_ids, device_ids, http)


def again_on_known_ids(case, seeded_ids, device_ids, http) -> None:
    parameters = case.path_parameters or {}
    if "id" in parameters:
        parameters["id"] = next(seeded_ids)
        call_and_check(case, http)
    if "deviceId" in parameters:
        parameters["deviceId"] = next(device_ids)
        call_and_check(case, http)


# Requests that break the spec: bodies of the wrong shape, bad parameters, broken credentials.
# `GET /api/v2/me/calls/{id}` is left out: its id's negation is `events`, which is the stream; the
# other GETs with an id are left out too (an empty id is no route). The POST bodies of the device
# and user routes are checked like those of calls.
negative = (
    schemathesis.pytest.from_fixture("api_schema_negative")
    .include(
        path=["/api/v2/me/calls", "/api/v2/me/calls/{id}", "/api/v2/me/devices/{deviceId}",
              "/api/v2/me/devices/{deviceId}/calls", "/api/v2/me", "/api/v2/me/channels/voice"]
    )
    .exclude(method="GET", path=["/api/v2/me/calls/{id}", "/api/v2/me/devices/{deviceId}", "/api/v2/me"])
)


@negative.parametrize()
def test_rest_face_rejects_what_breaks_the_spec(case, seeded_ids, device_ids, http):
    """No 5xx, a documented status, content type, body and headers, and (negative_data_rejection)
    a 4xx for every request that breaks the spec; on a random id and on a seeded call or device."""
    call_and_check(case, http)
    again_on_known_ids(case, seeded_ids, device_ids, http)


# --- helpers for the plain tests ---------------------------------------------------------


def test_spec_is_valid_openapi_3_1():
    document = yaml.safe_load(SPEC_PATH.read_text())
    assert document["openapi"].startswith("3.1.")
    openapi_spec_validator.validate(document)


@pytest.fixture(scope="module")
def spec():
    return yaml.safe_load(SPEC_PATH.read_text())


def validator_for(spec: dict, pointer: str) -> Draft202012Validator:
    """A JSON Schema validator for one schema of the spec (`#/components/...`)."""
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; the whole document is one resource.
    resource = Resource.from_contents({"$schema": "https://json-schema.org/draft/2020-12/schema", **spec})
    registry = Registry().with_resource("urn:calls-openapi", resource)
    return Draft202012Validator({"$ref": f"urn:calls-openapi{pointer}"}, registry=registry)


def assert_conforms(spec: dict, pointer: str, document) -> None:
    errors = sorted(validator_for(spec, pointer).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


# --- the event stream --------------------------------------------------------------------


class EventStream:
    """An open `GET /api/v2/me/calls/events`, read by a background thread into a queue, so that
    every wait here is bounded (`frame(timeout)`) and the stream can be dropped at any time."""

    def __init__(self, base_url: str, credentials: tuple[str, str], last_event_id: str | None = None):
        headers = basic(credentials)
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        # The read timeout bounds the reader thread too, should closing the socket not wake it.
        self.response = requests.get(f"{base_url}{EVENTS_PATH}", headers=headers, stream=True, timeout=(TIMEOUT, 10))
        self.frames: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        frame: dict[str, str] = {}
        try:
            for line in self.response.iter_lines(chunk_size=1, decode_unicode=True):
                if line == "":
                    if frame:
                        self.frames.put(frame)
                    frame = {}
                elif line.startswith(":"):
                    frame[""] = line[1:].strip()  # a comment line
                else:
                    name, _, value = line.partition(":")
                    frame[name] = value[1:] if value.startswith(" ") else value
        except Exception as error:  # noqa: BLE001 - closing the stream ends the reader this way
            self.frames.put(error)

    def frame(self, timeout: float) -> dict[str, str] | None:
        """The next SSE block as {field: value} (a comment as {"": text}); None if none within timeout."""
        try:
            item = self.frames.get(timeout=timeout)
        except queue.Empty:
            return None
        if isinstance(item, Exception):
            raise item
        return item

    def frame_about(self, call_id: str, timeout: float) -> dict[str, str] | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            frame = self.frame(left)
            if frame is not None and f'"id":"{call_id}"' in frame.get("data", ""):
                return frame
        return None

    def close(self) -> None:
        sock = getattr(getattr(self.response.raw, "connection", None), "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.response.close()
        self.thread.join(timeout=12)

    def __enter__(self) -> "EventStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def test_event_stream_sends_one_frame_per_event(gateway_stack, spec):
    # Last-Event-ID = the current seq fixes where the stream starts, so the event below is sent
    # whether it lands before or after the gateway has subscribed (a stream opened "live from now"
    # can miss it: see test_first_event_after_headers_is_not_held_back).
    seq = gateway_stack.request({"op": "calls.list", "user": ADMIN[0]})["seq"]
    with EventStream(gateway_stack.base_url, ADMIN, last_event_id=str(seq)) as stream:
        assert stream.response.status_code == 200
        assert stream.response.headers["Content-Type"].split(";")[0].strip() == "text/event-stream"
        assert stream.response.headers.get("Cache-Control") == "no-cache"
        assert stream.frame(TIMEOUT) == {"": "connected"}
        reply = gateway_stack.event("Ringing", "sse-1", "dev-1001", participants=["+14155552671"])
        assert reply == {"statusCode": 0}, reply
        frame = stream.frame_about("sse-1", 1.0)
        if frame is None:
            # An event that the stream's new SUB socket missed (ZeroMQ slow joiner) only comes once
            # a later event reveals the gap: nudge with a second call.
            assert gateway_stack.event("Ringing", "sse-nudge", "dev-1001") == {"statusCode": 0}
            frame = stream.frame_about("sse-1", 3.0)
        assert frame is not None, "the event never reached the stream"
    assert set(frame) == {"id", "event", "data"}, frame
    body = json.loads(frame["data"])
    assert frame["id"] == str(body["seq"]) == str(seq + 1)
    assert frame["event"] == body["notificationType"] == "StatusChange"
    assert body["messageType"] == "CallStateChangeMessage"
    assert body["call"]["id"] == "sse-1" and body["call"]["state"] == "Ringing"
    assert_conforms(spec, "#/components/schemas/StreamEvent", frame)
    assert_conforms(spec, "#/components/schemas/CallEvent", body)


def test_event_stream_replays_after_last_event_id(gateway_stack, spec):
    """`Last-Event-ID` = the seq before an event: that event is replayed first, as it was published."""
    seq = gateway_stack.request({"op": "calls.list", "user": ADMIN[0]})["seq"]
    assert gateway_stack.event("Ringing", "sse-replay", "dev-1002") == {"statusCode": 0}
    with EventStream(gateway_stack.base_url, ADMIN, last_event_id=str(seq)) as stream:
        frame = stream.frame_about("sse-replay", 3.0)
    assert frame is not None and frame["id"] == str(seq + 1), frame
    assert_conforms(spec, "#/components/schemas/StreamEvent", frame)
    assert_conforms(spec, "#/components/schemas/CallEvent", json.loads(frame["data"]))


class RawStream:
    """`GET /api/v2/me/calls/events` over a bare socket: returns as soon as the response headers
    are in, the earliest moment a client can know the stream is open."""

    def __init__(self, base_url: str, credentials: tuple[str, str]):
        host, port = base_url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        auth = basic(credentials)["Authorization"]
        self.sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {auth}\r\n\r\n".encode())
        self.received = b""
        assert self.wait_for(b"\r\n\r\n", TIMEOUT), self.received
        assert self.received.startswith(b"HTTP/1.1 200"), self.received

    def wait_for(self, needle: bytes, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while needle not in self.received:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return False
            data = self.sock.recv(65536)
            if not data:
                return False
            self.received += data
        return True

    def close(self) -> None:
        self.sock.close()


def test_first_event_after_headers_is_not_held_back(gateway_stack):
    sock = gateway_stack.ctx.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, 3000)
    sock.connect(gateway_stack.request_endpoint)

    def ringing(call_id: str) -> None:
        sock.send_json({"op": "telephony.event", "user": "switch-1",
                        "event": {"type": "Ringing", "callId": call_id, "deviceId": "dev-1003"}})
        assert sock.recv_json() == {"statusCode": 0}

    try:
        for attempt in range(40):
            call_id = f"sse-early-{attempt}"
            stream = RawStream(gateway_stack.base_url, ADMIN)
            try:
                ringing(call_id)
                if stream.wait_for(f'"id":"{call_id}"'.encode(), 1.0):
                    continue
                ringing(f"{call_id}-nudge")
                late = stream.wait_for(f'"id":"{call_id}"'.encode(), 2.0)
            finally:
                stream.close()
            pytest.fail(
                f"attempt {attempt + 1}: the event for {call_id} did not come within 1 s"
                + (", only after the next event" if late else ", nor after the next event")
            )
    finally:
        sock.close(linger=0)


def test_event_stream_without_credentials_is_401(gateway_stack):
    response = requests.get(f"{gateway_stack.base_url}{EVENTS_PATH}", timeout=TIMEOUT)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic ")
    assert response.json()["statusCode"] == 20


# --- plain conformance checks the generator cannot reach -----------------------------------


def test_whole_calls_are_strict_call_objects(gateway_stack, spec, http):
    """Without `fields` every call has every required key (the response schema alone accepts
    partial objects, because `fields=` may select any subset)."""
    listed = http.get(f"{gateway_stack.base_url}/api/v2/me/calls", headers=basic(ADMIN), timeout=TIMEOUT)
    assert listed.status_code == 200, listed.text
    calls = listed.json()["calls"]
    assert {call["id"] for call in calls} >= set(gateway_stack.seeded)
    for call in calls:
        assert_conforms(spec, "#/components/schemas/Call", call)
    one = http.get(
        f"{gateway_stack.base_url}/api/v2/me/calls/{sorted(gateway_stack.seeded)[0]}",
        params={"fields": "*"}, headers=basic(ADMIN), timeout=TIMEOUT,
    )
    assert one.status_code == 200, one.text
    assert_conforms(spec, "#/components/schemas/Call", one.json()["call"])


@pytest.mark.parametrize(
    "method, path",
    [("GET", "/api/v2/me/calls"), ("GET", "/api/v2/me/calls/seed-0-0-ringing"),
     ("POST", "/api/v2/me/calls/seed-0-0-ringing")],
)
@pytest.mark.parametrize("credentials", [None, ("admin", "wrong"), ("Admin", "admin-demo"), ("switch-1", "")])
def test_unauthenticated_is_401_with_challenge(gateway_stack, api_schema, http, method, path, credentials):
    headers = basic(credentials) if credentials else {}
    response = http.request(method, f"{gateway_stack.base_url}{path}", headers=headers,
                            json={"operationName": "Answer"} if method == "POST" else None, timeout=TIMEOUT)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="calls", charset="UTF-8"'
    template = "/api/v2/me/calls" if path == "/api/v2/me/calls" else "/api/v2/me/calls/{id}"
    api_schema[template][method].validate_response(response)


def test_telephony_principal_may_not_operate_403(gateway_stack, api_schema, http):
    response = http.post(
        f"{gateway_stack.base_url}/api/v2/me/calls/seed-1-0-dialing",
        json={"operationName": "Hangup"}, headers=basic(SWITCH_WEB), timeout=TIMEOUT,
    )
    assert response.status_code == 403, response.text
    assert response.json()["statusCode"] == 5
    api_schema["/api/v2/me/calls/{id}"]["POST"].validate_response(response)


def test_agent_sees_only_own_calls_and_others_are_404(gateway_stack, api_schema, http):
    listed = http.get(f"{gateway_stack.base_url}/api/v2/me/calls", params={"fields": "id,deviceUri"},
                      headers=basic(AGENT_1), timeout=TIMEOUT)
    assert listed.status_code == 200, listed.text
    api_schema["/api/v2/me/calls"]["GET"].validate_response(listed)
    assert listed.json()["calls"], "agent-1001 owns seeded calls"
    assert all(call["deviceUri"].endswith("/dev-1001") for call in listed.json()["calls"])
    other = http.get(f"{gateway_stack.base_url}/api/v2/me/calls/seed-1-0-dialing", headers=basic(AGENT_1),
                     timeout=TIMEOUT)
    assert other.status_code == 404, other.text
    api_schema["/api/v2/me/calls/{id}"]["GET"].validate_response(other)


@pytest.mark.parametrize(
    "body, status_code",
    [(b"", 1), (b"[]", 2), (b"not json", 2), (b'{"operationName": 7}', 2), (b'{"operationName": "Nope"}', 2),
     (b'{"operationName": "SendDtmf", "digits": "12X"}', 2), (b'{"operationName": "SendDtmf"}', 1)],
)
def test_bad_operation_bodies_are_400(gateway_stack, api_schema, http, body, status_code):
    response = http.post(f"{gateway_stack.base_url}/api/v2/me/calls/seed-1-1-dialing", data=body,
                         headers={**basic(ADMIN), "Content-Type": "application/json"}, timeout=TIMEOUT)
    assert response.status_code == 400, response.text
    assert response.json()["statusCode"] == status_code, response.text
    api_schema["/api/v2/me/calls/{id}"]["POST"].validate_response(response)


def test_metrics_and_healthz(gateway_stack, api_schema, http):
    health = http.get(f"{gateway_stack.base_url}/healthz", timeout=TIMEOUT)
    assert health.json() == {"status": "ok"}
    api_schema["/healthz"]["GET"].validate_response(health)
    metrics = http.get(f"{gateway_stack.base_url}/metrics", timeout=TIMEOUT)
    assert metrics.status_code == 200
    assert "calls_gateway_http_requests_total" in metrics.text
    api_schema["/metrics"]["GET"].validate_response(metrics)


@pytest.mark.parametrize(
    "method, path, template",
    [("GET", "/api/v2/me/calls", "/api/v2/me/calls"), ("GET", "/api/v2/me/calls/x", "/api/v2/me/calls/{id}"),
     ("POST", "/api/v2/me/calls/x", "/api/v2/me/calls/{id}"), ("GET", "/healthz", "/healthz")],
)
def test_no_bus_is_503_within_the_bus_timeout(gateway_without_bus, api_schema, method, path, template):
    started = time.monotonic()
    response = requests.request(
        method, f"{gateway_without_bus.base_url}{path}", headers=basic(ADMIN),
        json={"operationName": "Answer"} if method == "POST" else None, timeout=TIMEOUT,
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert response.json()["statusCode"] == 4
    assert response.headers["Retry-After"] == "1"
    assert elapsed < 3, f"answered after {elapsed:.1f} s with --bus-timeout 1"
    api_schema[template][method].validate_response(response)


# --- gateway bugs, pinned ------------------------------------------------------------------


def test_call_id_in_path_is_percent_decoded(gateway_stack, http):
    reply = gateway_stack.event("Ringing", "pct id é", "dev-1001")
    assert reply == {"statusCode": 0}, reply
    url = f"{gateway_stack.base_url}/api/v2/me/calls/pct%20id%20%C3%A9"
    response = http.get(url, headers=basic(ADMIN), timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.json()["call"]["id"] == "pct id é"
    response = http.post(url, json={"operationName": "Answer"}, headers=basic(ADMIN), timeout=TIMEOUT)
    assert response.status_code == 200, response.text


def test_post_to_call_named_events_operates_it(gateway_stack, http):
    reply = gateway_stack.event("Ringing", "events", "dev-1001")
    assert reply == {"statusCode": 0}, reply
    response = http.post(f"{gateway_stack.base_url}{EVENTS_PATH}", json={"operationName": "Answer"},
                         headers=basic(ADMIN), timeout=TIMEOUT)
    assert response.headers.get("Content-Type") == "application/json", (response.status_code, response.text)
    assert response.status_code == 200, response.text
