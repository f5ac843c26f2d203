"""The `calls` command line is a client only (style.md, section 1): its target graph reaches no
server target and no server package, and its executable holds no symbol of one. Cheap: one
`swift package describe` (about a second) and one `nm` of the built executable."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from busclient import REPO, calls_binary

CLI_TARGET = "CallsCLI"
# Everything the command line may reach, directly or through another target. A new target (a
# store, a service, the gateway, the benchmarks) is refused until it is added here on purpose.
ALLOWED_TARGETS = {"CallsBusClient", "CallsBusMessages", "Calls", "CallsJSON", "CallsLoad", "ZMQ", "CZMQ"}
# Configuration (swift-configuration) reads flags and the environment through the bus client's reader.
ALLOWED_PRODUCTS = {"ArgumentParser", "ServiceLifecycle", "UnixSignals", "Logging", "Configuration"}
# Module names that appear in the mangled symbols (or C symbols) of server code.
SERVER_SYMBOLS = [
    "GRDB", "Hummingbird", "sqlite3_", "CallsBusService", "CallsStore", "CallsGateway", "CallsCometD",
    "CallsBench", "CallsPhoneNumbers", "CPhoneNumber", "phonenumbers", "Prometheus", "PostgresNIO", "NIOCore",
]


def reachable(targets: dict, start: str) -> tuple[dict[str, str], dict[str, str]]:
    """The targets and products `start` reaches, each with the target that brought it in."""
    seen_targets: dict[str, str] = {}
    seen_products: dict[str, str] = {}
    pending = [start]
    while pending:
        name = pending.pop()
        target = targets[name]
        for product in target.get("product_dependencies", []):
            seen_products.setdefault(product, name)
        for dependency in target.get("target_dependencies", []):
            if dependency not in seen_targets:
                seen_targets[dependency] = name
                pending.append(dependency)
    return seen_targets, seen_products


def test_the_cli_target_reaches_only_client_targets():
    swift = shutil.which("swift")
    assert swift, "swift is not on PATH"
    described = subprocess.run(
        [swift, "package", "describe", "--type", "json"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert described.returncode == 0, described.stderr
    targets = {target["name"]: target for target in json.loads(described.stdout)["targets"]}
    reached_targets, reached_products = reachable(targets, CLI_TARGET)
    refused = [f"{name} (through {via})" for name, via in reached_targets.items() if name not in ALLOWED_TARGETS]
    refused += [
        f"product {name} (through {via})" for name, via in reached_products.items() if name not in ALLOWED_PRODUCTS
    ]
    assert not refused, f"{CLI_TARGET} must link no server code, but reaches: {', '.join(sorted(refused))}"


def test_the_cli_executable_holds_no_server_symbol():
    binary = calls_binary()
    assert os.path.exists(binary), f"{binary} is missing: run `swift build --product calls` or set CALLS_CLI_BINARY"
    symbols = subprocess.run(["nm", binary], capture_output=True, text=True, timeout=120, check=True).stdout
    found = {name: symbols.count(name) for name in SERVER_SYMBOLS if name in symbols}
    assert not found, f"{binary} holds server symbols: {found}"
    libraries = subprocess.run(["ldd", binary], capture_output=True, text=True, timeout=60, check=True).stdout
    linked = [name for name in ("libsqlite3", "libphonenumber", "libgeocoding") if name in libraries]
    assert not linked, f"{binary} links server libraries: {linked}"
