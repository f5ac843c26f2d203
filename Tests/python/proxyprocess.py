"""One `calls-proxy` process for the outside tests: started with flags, ready once it logs
"proxy started", restartable on the same endpoint, killed at teardown."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from busclient import REPO

READY_TIMEOUT = 20.0


def proxy_binary() -> str:
    """$CALLS_PROXY_BINARY, else <repo>/.build/debug/calls-proxy."""
    return os.environ.get("CALLS_PROXY_BINARY") or str(REPO / ".build" / "debug" / "calls-proxy")


class Proxy:
    def __init__(self, workdir: Path, bus_endpoints: str | None, *extra: str, name: str = "proxy",
                 environment: dict[str, str] | None = None):
        """`bus_endpoints` None: the endpoints come from `environment` (CALLS_PROXY_...) instead of flags."""
        self.workdir = Path(workdir)
        self.endpoint = f"ipc://{self.workdir}/{name}"
        self.args = ["--bus-endpoint", bus_endpoints, "--endpoint", self.endpoint, *extra] if bus_endpoints else [*extra]
        self.environment = {**os.environ, **(environment or {})}
        self.log_path = self.workdir / f"{name}.log"
        # A copy, so that a concurrent `swift build` relinking the binary cannot break the run.
        self.binary = self.workdir / f"{name}-bin"
        shutil.copy2(proxy_binary(), self.binary)
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Proxy":
        starts = self.log().count("proxy started")
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([str(self.binary), *self.args], stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=log, cwd=self.workdir, env=self.environment)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            text = self.log()
            if text.count("proxy started") > starts:
                bound = re.findall(r"proxy\.endpoint=(\S+)", text)
                assert bound and bound[-1] == self.endpoint, text
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"calls-proxy exited with {self.proc.returncode}:\n{text}")
            time.sleep(0.02)
        self.kill()
        raise RuntimeError(f"calls-proxy not ready within {READY_TIMEOUT}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM; the exit code, or None when it had to be killed."""
        if self.proc is None or self.proc.poll() is not None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
