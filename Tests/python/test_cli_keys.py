"""`calls keys generate` from outside: the secret certificate is never readable by others, not
even for a moment (traced with strace), and the pair works as zcert files."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess

from busclient import calls_binary

OPEN_CREATE = re.compile(r'(?:openat\(AT_FDCWD, |open\()"([^"]+)", ([A-Z_|]+)(?:, (0\d+))?\)')
CHMOD = re.compile(r"\b(chmod|fchmod|fchmodat)\(")


def test_the_secret_file_is_created_0600_and_never_widened(tmp_path):
    strace = shutil.which("strace")
    assert strace, "strace is missing: `make test` installs it (Debian package strace)"
    keys = tmp_path / "keys"
    keys.mkdir()
    trace = tmp_path / "open.trace"
    # A permissive umask, as a careless shell might have: the file must still start out 0600.
    result = subprocess.run(
        [strace, "-f", "-e", "trace=open,openat,creat,chmod,fchmod,fchmodat", "-o", str(trace),
         calls_binary(), "keys", "generate", "bus", "--directory", str(keys)],
        capture_output=True, text=True, timeout=60, preexec_fn=lambda: os.umask(0o000),
    )
    assert result.returncode == 0, result.stderr
    created = []
    for line in trace.read_text().splitlines():
        match = OPEN_CREATE.search(line)
        if match and "O_CREAT" in match.group(2) and match.group(1).startswith(str(keys)):
            created.append((match.group(1), match.group(3)))
    # The public certificate may be created as anyone likes (Foundation writes it through a
    # temporary `.dat.nosync…` file); the secret one, under whatever name, only 0600.
    secret_creations = [(path, mode) for path, mode in created if "_secret" in os.path.basename(path)]
    assert secret_creations, f"no creation of the secret file traced: {created}"
    for path, mode in secret_creations:
        assert mode == "0600", f"{path} was created with mode {mode}"
    widened = [line for line in trace.read_text().splitlines() if CHMOD.search(line)]
    assert not widened, f"permissions changed after creation: {widened}"
    assert stat.S_IMODE((keys / "bus_secret").stat().st_mode) == 0o600
    assert "secret-key" in (keys / "bus_secret").read_text()
    assert "secret-key" not in (keys / "bus.pub").read_text()
    assert sorted(p.name for p in keys.iterdir()) == ["bus.pub", "bus_secret"]
