"""calls-gateway over HTTPS (`--tls-certificate`, `--tls-key`, contract section 11), checked by a
client that verifies the certificate, and the refusal to listen beyond loopback without TLS."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from conftest import new_stack, start_bus, start_gateway, tear_down, write_directory
from gatewaystack import ADMIN, basic, free_port, gateway_binary

TIMEOUT = 10  # seconds, for every request and process here


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed EC certificate for 127.0.0.1 (and localhost) and its key, made by openssl."""
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is missing: make deps installs it")
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(certificate), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=TIMEOUT,
    )
    return certificate, key


@pytest.fixture(scope="module")
def tls_gateway(zmq_context):
    """A calls-bus and a calls-gateway serving HTTPS with a certificate made for this module."""
    stack = new_stack(zmq_context)
    try:
        directory_path = write_directory(stack.workdir)
        certificate, key = make_certificate(stack.workdir)
        start_bus(stack, directory_path)
        start_gateway(stack, directory_path, "--tls-certificate", str(certificate), "--tls-key", str(key))
        stack.certificate = certificate
        yield stack
    finally:
        tear_down(stack)


def test_https_serves_health_and_the_calls_api_to_a_verifying_client(tls_gateway):
    base = tls_gateway.base_url.replace("http://", "https://")
    health = requests.get(f"{base}/healthz", verify=str(tls_gateway.certificate), timeout=TIMEOUT)
    assert health.status_code == 200
    calls = requests.get(f"{base}/api/v2/me/calls", headers=basic(ADMIN), verify=str(tls_gateway.certificate),
                         timeout=TIMEOUT)
    assert calls.status_code == 200
    assert calls.json()["statusCode"] == 0
    assert isinstance(calls.json()["calls"], list)


def test_plain_http_gets_no_answer_from_the_tls_port(tls_gateway):
    with pytest.raises(requests.RequestException):
        requests.get(f"{tls_gateway.base_url}/healthz", timeout=TIMEOUT)


def run_gateway(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    directory_path = write_directory(tmp_path)
    return subprocess.run(
        [gateway_binary(), "--directory", str(directory_path), "--request-endpoint", f"ipc://{tmp_path}/req",
         "--events-endpoint", f"ipc://{tmp_path}/pub", *args],
        capture_output=True, text=True, timeout=TIMEOUT, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("address", ["0.0.0.0", "[::]"])
def test_plain_http_beyond_loopback_is_refused_in_one_line(tmp_path, address):
    listen = f"{address}:{free_port()}"
    result = run_gateway(tmp_path, "--listen", listen)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert listen in lines[0] and "--insecure" in lines[0] and "TLS" in lines[0]


def test_insecure_lets_it_past_the_refusal(tmp_path):
    # 192.0.2.1 (TEST-NET-1) is on no interface here: past the TLS check, the bind itself fails,
    # so the override is seen without listening beyond loopback.
    listen = f"192.0.2.1:{free_port()}"
    for args, env in [(["--insecure"], None), ([], {"CALLS_INSECURE": "true"})]:
        result = run_gateway(tmp_path, "--listen", listen, *args, env=env)
        assert result.returncode != 0
        assert "--insecure" not in result.stderr, result.stderr
