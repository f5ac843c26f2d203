"""Fixtures of the gateway tests: one real calls-bus and calls-gateway per test module."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zmq

import busclient
from gatewaystack import (
    ADMIN,
    DEMO_DIRECTORY,
    SWITCH_WEB,
    Stack,
    free_port,
    gateway_binary,
    healthz_ok,
    kill,
    seed_calls,
    snapshot_binary,
    wait_for,
)

# Hypothesis (under schemathesis) keeps a cache in ./.hypothesis, written as early as collection:
# keep it out of the repository, in a temp dir removed at the end, unless one is configured.
_hypothesis_home = None
try:
    import hypothesis.configuration
except ImportError:  # the tests that need it skip themselves
    pass
else:
    if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        _hypothesis_home = tempfile.mkdtemp(prefix="cg-hypothesis-", dir="/tmp")
        hypothesis.configuration.set_hypothesis_home_dir(_hypothesis_home)


def pytest_unconfigure(config):
    if _hypothesis_home:
        shutil.rmtree(_hypothesis_home, ignore_errors=True)


def write_directory(workdir: Path) -> Path:
    """The demo directory plus `switch-web`, a Telephony principal that can log in."""
    directory = json.loads(DEMO_DIRECTORY.read_text())
    admin_hash = next(p["passwordHash"] for p in directory["principals"] if p["id"] == ADMIN[0])
    directory["principals"].append({"id": SWITCH_WEB[0], "role": "Telephony", "passwordHash": admin_hash})
    path = workdir / "directory.json"
    path.write_text(json.dumps(directory, indent=2))
    return path


def start_gateway(stack: Stack, directory_path: Path, *extra: str, port: int | None = None) -> None:
    """Starts calls-gateway on a free loopback port (or on `port`, again); sets stack.base_url once
    it listens."""
    binary = snapshot_binary(Path(gateway_binary()), stack.workdir)
    endpoints = ["--request-endpoint", stack.request_endpoint, "--events-endpoint", stack.events_endpoint]
    # A free port can be taken again before the gateway binds it: try a few.
    wanted = port
    for attempt in range(3):
        port = wanted or free_port()
        stack.base_url = f"http://127.0.0.1:{port}"
        with open(stack.gateway_log, "ab") as log:
            gateway = subprocess.Popen(
                [binary, "--directory", str(directory_path), "--listen", f"127.0.0.1:{port}", *endpoints, *extra],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, cwd=stack.workdir,
            )
        stack.procs.append(gateway)
        try:
            wait_for(
                lambda: f"Server started and listening on 127.0.0.1:{port}"
                in stack.gateway_log.read_text(errors="replace"),
                "calls-gateway", stack, gateway,
            )
            return
        except RuntimeError:
            if gateway.poll() is None or attempt == 2:
                raise


def start_bus(stack: Stack, directory_path: Path) -> None:
    """Starts calls-bus on the stack's ipc endpoints and waits until it serves."""
    with open(stack.bus_log, "wb") as log:
        bus = subprocess.Popen(
            [busclient.bus_binary(), "--directory", str(directory_path),
             "--state", str(stack.workdir / "state.sqlite"),
             "--request-endpoint", stack.request_endpoint, "--events-endpoint", stack.events_endpoint],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, cwd=stack.workdir,
        )
    stack.procs.append(bus)
    wait_for(lambda: "bus started" in stack.bus_log.read_text(errors="replace"), "calls-bus", stack, bus)


def new_stack(ctx: zmq.Context) -> Stack:
    # ipc:// paths must stay short (sun_path is ~107 bytes): keep the dir directly in /tmp.
    workdir = Path(tempfile.mkdtemp(prefix="cg-", dir="/tmp"))
    return Stack(
        workdir=workdir,
        base_url="",
        request_endpoint=f"ipc://{workdir}/req",
        events_endpoint=f"ipc://{workdir}/pub",
        bus_log=workdir / "bus.log",
        gateway_log=workdir / "gateway.log",
        ctx=ctx,
    )


def tear_down(stack: Stack) -> None:
    for proc in reversed(stack.procs):
        kill(proc)
    shutil.rmtree(stack.workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def zmq_context():
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


@pytest.fixture(scope="module")
def gateway_stack(zmq_context):
    """A calls-bus with seeded calls, and a calls-gateway in front of it (bus timeout 2 s, no
    login lockouts in practice)."""
    stack = new_stack(zmq_context)
    try:
        directory_path = write_directory(stack.workdir)
        start_bus(stack, directory_path)
        # Wrong credentials are part of what the spec tests send, all from 127.0.0.1: a high
        # --login-failures keeps the address from being locked out (429) halfway through.
        start_gateway(stack, directory_path, "--bus-timeout", "2", "--login-failures", "1000")
        wait_for(lambda: healthz_ok(stack.base_url), "calls-gateway /healthz", stack, stack.procs[-1])
        seed_calls(stack)
        yield stack
    finally:
        tear_down(stack)


@pytest.fixture(scope="module")
def gateway_without_bus(zmq_context):
    """A calls-gateway whose bus endpoints have nothing behind them (bus timeout 1 s)."""
    stack = new_stack(zmq_context)
    try:
        start_gateway(stack, write_directory(stack.workdir), "--bus-timeout", "1")
        yield stack
    finally:
        tear_down(stack)


@pytest.fixture(scope="module")
def limited_gateway(zmq_context):
    """A calls-bus and a calls-gateway with small limits, set by flags: connections idle for
    0.5 s are closed, 1 event stream per user, 2 in all."""
    stack = new_stack(zmq_context)
    try:
        directory_path = write_directory(stack.workdir)
        start_bus(stack, directory_path)
        start_gateway(stack, directory_path, "--idle-timeout", "0.5", "--max-streams-per-user", "1",
                      "--max-streams", "2")
        wait_for(lambda: healthz_ok(stack.base_url), "calls-gateway /healthz", stack, stack.procs[-1])
        yield stack
    finally:
        tear_down(stack)


@pytest.fixture(scope="module")
def wallboard_stack(zmq_context):
    """A calls-bus and a calls-gateway signing wallboard sessions with a key file, so that a
    restarted gateway (`stack.restart_gateway()`) keeps the browser signed in."""
    stack = new_stack(zmq_context)
    key = stack.workdir / "session.key"
    key.write_bytes(os.urandom(32))
    try:
        directory_path = write_directory(stack.workdir)
        start_bus(stack, directory_path)
        extra = ("--session-key-file", str(key), "--keep-alive", "1")
        start_gateway(stack, directory_path, *extra)
        wait_for(lambda: healthz_ok(stack.base_url), "calls-gateway /healthz", stack, stack.procs[-1])
        port = int(stack.base_url.rsplit(":", 1)[1])
        stack.restart_gateway = lambda: start_gateway(stack, directory_path, *extra, port=port)
        yield stack
    finally:
        tear_down(stack)
