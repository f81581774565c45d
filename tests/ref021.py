"""pydynox 0.21.0, from PyPI, in a scratch virtualenv: the compatibility tests run small
scripts with it against the same moto server, to prove that what one version stores the
other reads.

The virtualenv is `$PYDYNOX_REF_VENV`, else `<tmp>/pydynox-0.21.0-ref` (the one
`../shared/tools/api-diff` makes), created on first use. When pip cannot install the
package (no network, no wheel for this platform) the tests that need it are skipped with
pip's reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest

VERSION = "0.21.0"


def _venv() -> Path:
    default = Path(tempfile.gettempdir()) / f"pydynox-{VERSION}-ref"
    return Path(os.environ.get("PYDYNOX_REF_VENV", default))


def _has_it(python: Path) -> bool:
    if not python.exists():
        return False
    probe = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; assert m.version('pydynox') == '{VERSION}'"],
        capture_output=True,
    )
    return probe.returncode == 0


def ref_python() -> Path:
    """The interpreter with pydynox 0.21.0 installed (made on first use), or a skip."""
    venv = _venv()
    python = venv / "bin" / "python"
    if _has_it(python):
        return python
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot create a virtualenv for pydynox {VERSION}: {made.stderr.strip()[-300:]}")
    pip = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"pydynox=={VERSION}"], capture_output=True, text=True
    )
    if pip.returncode != 0 or not _has_it(python):
        pytest.skip(f"pydynox {VERSION} cannot be installed here: {pip.stderr.strip()[-300:]}")
    return python


def run_ref(script: str, **inputs: Any) -> Any:
    """Runs `script` with pydynox 0.21.0; it reads `INPUT` (a dict) and assigns `OUTPUT`,
    which comes back through JSON."""
    python = ref_python()
    program = "import json, sys\nINPUT = json.loads(sys.stdin.read())\n"
    program += textwrap.dedent(script)
    program += "\nprint(json.dumps(OUTPUT))\n"
    # Not the tests' own directory: 0.21.0 must not import this checkout's pydynox.
    done = subprocess.run(
        [str(python), "-c", program],
        input=json.dumps(inputs),
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert done.returncode == 0, f"pydynox {VERSION} script failed:\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])
