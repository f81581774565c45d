"""What users install: the version they see, a quiet and quick `import pydynox` on a
machine with no AWS configuration, and (in the wheel run of scripts/test.sh, which sets
PYDYNOX_WHEEL and PYDYNOX_SDIST) the wheel's and the sdist's contents."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import pydynox

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "python" / "pydynox"

# Modules `import pydynox` must not load: each costs milliseconds at every start of every
# program that imports pydynox, and each is needed only by a feature used later
# (ULID/KSUID generators, signed cursors, ...), which imports it then.
DEFERRED = (
    "ulid", "ksuid", "uuid", "itsdangerous", "importlib.metadata", "hmac", "hashlib",
    "dataclasses", "inspect", "typing_extensions",
)


def _no_aws_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["HOME"] = "/nonexistent"  # no ~/.aws either
    return env


def test_version_matches_the_metadata_and_the_project_files() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert pydynox.__version__ == pydynox.VERSION == project == metadata.version("pydynox")


def test_import_needs_no_aws_configuration_and_defers_heavy_modules() -> None:
    probe = (
        "import sys, json; from pydynox import *; "
        f"print(json.dumps([m for m in {DEFERRED!r} if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=_no_aws_environment(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout) == []


def test_import_pydynox_alone_loads_neither_the_core_nor_the_model_layer() -> None:
    probe = (
        "import sys, json, pydynox; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('pydynox') or m == 'logging')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=_no_aws_environment(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["pydynox"]


def test_every_public_name_loads_and_type_checkers_see_the_same_names() -> None:
    # The names are listed three times in pydynox/__init__.py: as imports for type
    # checkers, in `__all__` and in the table the lazy loader reads. They must agree, and
    # each must load.
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    checked = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    typed = {alias.asname or alias.name for node in checked.body if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert typed - {"Any"} == set(pydynox.__all__) - {"VERSION"} == set(pydynox._HOMES) | {"exceptions"}
    for name in pydynox.__all__:
        assert getattr(pydynox, name) is not None, name
        assert name in dir(pydynox)
    with pytest.raises(AttributeError, match="no attribute 'NotAThing'"):
        pydynox.NotAThing  # noqa: B018


def test_deferred_modules_load_when_their_feature_is_used() -> None:
    probe = (
        "import sys, json\n"
        "from pydynox.generators import AutoGenerate, generate_value\n"
        "from pydynox._model.cursor import decode_cursor, encode_cursor\n"
        "ulid_text = generate_value(AutoGenerate.ULID)\n"
        "ksuid_text = generate_value(AutoGenerate.KSUID)\n"
        "cursor = encode_cursor({'pk': 'a'}, scope='s', secret='0123456789abcdef', model_name='M')\n"
        "key = decode_cursor(cursor, scope='s', secret='0123456789abcdef', max_age=None, model_name='M')\n"
        "print(json.dumps([len(ulid_text), len(ksuid_text), key, 'itsdangerous' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [26, 27, {"pk": "a"}, True]


def _wheel() -> Path:
    wheel = os.environ.get("PYDYNOX_WHEEL")
    if not wheel:
        pytest.skip("checks the wheel of scripts/test.sh's wheel run (PYDYNOX_WHEEL unset)")
    return Path(wheel)


def test_one_abi3_wheel_with_py_typed_and_every_stub() -> None:
    wheel = _wheel()
    assert "-cp311-abi3-" in wheel.name, wheel.name
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "pydynox/py.typed" in names
    stubs = {f"pydynox/{p.relative_to(PACKAGE).as_posix()}" for p in PACKAGE.rglob("*.pyi")}
    assert stubs and stubs <= names, stubs - names
    sources = {f"pydynox/{p.relative_to(PACKAGE).as_posix()}" for p in PACKAGE.rglob("*.py")}
    assert sources <= names, sources - names
    assert any(n.startswith("pydynox/pydynox_core.") and n.endswith(".so") for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "pydynox.testing.pytest_plugin" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_tested_pydynox_is_the_wheel() -> None:
    wheel = _wheel()
    assert Path(pydynox.__file__).resolve().parent != PACKAGE.resolve(), "tests ran against the source tree"
    assert wheel.name.startswith(f"pydynox-{pydynox.__version__}-")


def test_sdist_holds_what_the_build_reads() -> None:
    _wheel()
    sdist = Path(os.environ["PYDYNOX_SDIST"])
    names = {name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name}
    for needed in ("pyproject.toml", "Cargo.toml", "Cargo.lock", "build.rs", "codegen/Cargo.toml",
                   "codegen/templates/bindings.rs.j2", "spec/client.yaml", "python/pydynox/py.typed"):
        assert needed in names, f"{needed} missing from {sdist.name}"
