"""Connection and stream limits of calls-gateway, set by its flags (`limited_gateway`: idle
timeout 0.5 s, 1 event stream per user, 2 in all), and their refusals against the OpenAPI spec."""

from __future__ import annotations

import base64
import socket
from urllib.parse import urlsplit

import pytest
import requests

from gatewaystack import ADMIN, AGENT_1, SPEC_PATH, basic

schemathesis = pytest.importorskip("schemathesis", reason="pip install -r Tests/python/requirements.txt")

EVENTS = "/api/v2/me/calls/events"
TIMEOUT = 10  # seconds, for every socket here


def closes(sock: socket.socket) -> bool:
    """Reads until the server closes `sock`; False if it is still open after TIMEOUT."""
    sock.settimeout(TIMEOUT)
    try:
        while sock.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
    finally:
        sock.close()


def test_silent_half_sent_and_idle_connections_are_closed(limited_gateway):
    address = urlsplit(limited_gateway.base_url)
    endpoint = (address.hostname, address.port)
    silent = socket.create_connection(endpoint, timeout=TIMEOUT)
    half_head = socket.create_connection(endpoint, timeout=TIMEOUT)
    half_head.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
    token = base64.b64encode(f"{ADMIN[0]}:{ADMIN[1]}".encode()).decode()
    half_body = socket.create_connection(endpoint, timeout=TIMEOUT)
    half_body.sendall(
        b"POST /api/v2/me/calls/x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100\r\nAuthorization: Basic " + token.encode() + b"\r\n\r\n{\"operation"
    )
    answered = socket.create_connection(endpoint, timeout=TIMEOUT)
    answered.sendall(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")
    for name, sock in [("silent", silent), ("half-sent head", half_head), ("half-sent body", half_body),
                       ("idle after an answer", answered)]:
        assert closes(sock), f"{name}: still open {TIMEOUT} s later"


def test_streams_beyond_the_caps_are_refused_as_documented(limited_gateway):
    schema = schemathesis.openapi.from_path(str(SPEC_PATH))
    operation = schema[EVENTS]["GET"]
    url = f"{limited_gateway.base_url}{EVENTS}"
    held = []
    try:
        held.append(requests.get(url, headers=basic(AGENT_1), stream=True, timeout=(TIMEOUT, TIMEOUT)))
        assert held[-1].status_code == 200

        mine = requests.get(url, headers=basic(AGENT_1), timeout=TIMEOUT)
        assert mine.status_code == 429
        assert mine.json()["statusCode"] == 2
        assert mine.headers["Retry-After"] == "5"
        operation.validate_response(mine)

        held.append(requests.get(url, headers=basic(ADMIN), stream=True, timeout=(TIMEOUT, TIMEOUT)))
        assert held[-1].status_code == 200
        everyone = requests.get(url, headers=basic(("agent-1002", "agent-1002-demo")), timeout=TIMEOUT)
        assert everyone.status_code == 503
        assert everyone.json()["statusCode"] == 4
        operation.validate_response(everyone)

        metrics = requests.get(f"{limited_gateway.base_url}/metrics", timeout=TIMEOUT).text
        assert 'calls_gateway_event_stream_refusals_total{reason="user"} 1' in metrics
        assert 'calls_gateway_event_stream_refusals_total{reason="total"} 1' in metrics
    finally:
        for response in held:
            response.close()
