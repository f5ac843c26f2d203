"""Fixtures: each test gets its own calls-bus process in a fresh short temp dir."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import zmq

sys.path.insert(0, str(Path(__file__).resolve().parent))

import busclient  # noqa: E402
from busclient import ADMIN, Bus, Client, Subscriber, built_binary  # noqa: E402


def _snapshot_binary() -> str:
    """Copies the built executable (and the resource bundles beside it) to a temp dir, and
    checks that the copy runs. Retries a little: a concurrent build may be relinking it."""
    source = Path(built_binary())
    problem = "missing"
    for _ in range(20):
        target_dir = Path(tempfile.mkdtemp(prefix="cb-bin-", dir="/tmp"))
        try:
            target = target_dir / source.name
            shutil.copy2(source, target)
            for bundle in source.parent.glob("*.resources"):
                shutil.copytree(bundle, target_dir / bundle.name)
            check = subprocess.run([str(target), "--help"], capture_output=True, timeout=20)
            if check.returncode == 0:
                return str(target)
            problem = f"--help exited with {check.returncode}: {check.stderr[-500:]!r}"
        except (OSError, subprocess.SubprocessError) as error:
            problem = repr(error)
        shutil.rmtree(target_dir, ignore_errors=True)
        time.sleep(0.5)
    raise pytest.UsageError(
        f"cannot use calls-bus at {source} ({problem}): run `swift build --product calls-bus` or set CALLS_BUS_BINARY"
    )


def pytest_sessionstart(session):
    busclient.binary_snapshot = _snapshot_binary()


def pytest_sessionfinish(session, exitstatus):
    if busclient.binary_snapshot:
        shutil.rmtree(Path(busclient.binary_snapshot).parent, ignore_errors=True)
        busclient.binary_snapshot = None


@pytest.fixture
def zctx():
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


@pytest.fixture
def bus_factory():
    """Makes Bus objects (not yet started), each in its own short temp dir; kills them all after."""
    made: list[tuple[Bus, str]] = []

    def make(*extra_args: str) -> Bus:
        # ipc:// paths must stay short (sun_path is ~107 bytes): keep the dir directly in /tmp.
        workdir = tempfile.mkdtemp(prefix="cb-", dir="/tmp")
        bus = Bus(Path(workdir), extra_args)
        made.append((bus, workdir))
        return bus

    yield make
    for bus, workdir in made:
        try:
            bus.kill()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def bus(bus_factory):
    return bus_factory().start()


@pytest.fixture
def clients(zctx, bus):
    """Makes clients on `bus`; closes them after."""
    made: list = []

    def make(kind: str = "REQ", **kwargs) -> Client:
        client = Client(zctx, bus.request_endpoint, kind, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(clients):
    return clients("REQ")


@pytest.fixture
def subscribers(zctx, bus):
    made: list = []

    def make(*prefixes: str) -> Subscriber:
        sub = Subscriber(zctx, bus.events_endpoint, prefixes or ("calls/",))
        made.append(sub)
        return sub

    yield make
    for sub in made:
        sub.close()


@pytest.fixture
def admin_seq(client):
    """The bus's current seq, as calls.list reports it."""

    def read() -> int:
        reply = client.list(ADMIN)
        assert reply["statusCode"] == 0, reply
        return reply["seq"]

    return read


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server for the whole test session (Tests/python/postgres.py), started
    at the first test that asks for it."""
    from postgres import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """Makes fresh, empty databases: `postgres_url()` returns the URL of a new one
    (`postgres://postgres:PASSWORD@127.0.0.1:PORT/NAME`)."""
    return postgres_server.make_database
