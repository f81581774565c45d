"""The committed stubs are exactly what the generator renders from the spec, and they
agree with the built extension (mypy.stubtest)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = Path(__file__).resolve().parent / "stubtest-allowlist.txt"


def run(command, **kwargs):
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=1800, **kwargs
    )
    print(done.stdout)
    print(done.stderr, file=sys.stderr)
    return done


def test_committed_stubs_match_the_spec():
    if shutil.which("cargo") is None:
        pytest.skip("cargo is not on PATH: cannot render the stubs to compare")

    # Through the script, so the generator is built in the shared target dir and release
    # profile the other builds use (a bare `cargo run` would compile its dependencies again).
    done = run(["bash", str(ROOT / "scripts" / "generate.sh"), "--check"])

    assert done.returncode == 0, f"generate.sh --check failed:\n{done.stdout}\n{done.stderr}"


def test_allowlist_entries_carry_reasons():
    for number, line in enumerate(ALLOWLIST.read_text().splitlines(), 1):
        entry = line.strip()
        if entry and not entry.startswith("#"):
            assert "#" in entry and entry.split("#", 1)[1].strip(), f"line {number} has no # reason"


def test_stubs_agree_with_the_built_module(tmp_path):
    env = {**os.environ, "MYPY_CACHE_DIR": str(tmp_path / "mypy-cache")}

    done = run([sys.executable, "-m", "mypy.stubtest", "pydynox", "--allowlist", str(ALLOWLIST)], env=env)

    assert done.returncode == 0, f"stubtest failed:\n{done.stdout}\n{done.stderr}"
