# Sourced by scripts/test.sh and scripts/demo.sh: creates .venv if missing, installs
# maturin and the test extra, and builds the extension into it (release).
# Needs only Python >= 3.11 and a Rust toolchain on the machine.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

# One target dir outside the clone, shared by every clone and by maturin and cargo, so a
# fresh clone does not rebuild the AWS SDK from scratch.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pydynox/target}"

# Cargo does not tell two clones of this workspace apart: artifacts of our own crates built
# from another clone can look fresh here and carry that clone's code. When the target dir
# was last used by another clone, drop our crates' artifacts (dependencies stay cached).
claim_target_dir() {
    local marker="$CARGO_TARGET_DIR/.pydynox-clone"
    mkdir -p "$CARGO_TARGET_DIR"
    # `./target` points at the shared dir, so a plain `cargo build`/`cargo run` typed by hand
    # (without this file's environment) reuses its artifacts instead of starting cold.
    if [ ! -e "$ROOT/target" ] && [ ! -L "$ROOT/target" ]; then
        ln -s "$CARGO_TARGET_DIR" "$ROOT/target"
    fi
    local last
    last="$(cat "$marker" 2>/dev/null || true)"
    if [ "$last" != "$ROOT" ]; then
        # Say so only when there was another clone; a new target dir has nothing to drop.
        [ -n "$last" ] && echo "==> target dir last built $last: rebuilding pydynox and codegen"
        # `cargo clean -p` misses build-dependency artifacts; without their fingerprints
        # cargo must rebuild every unit of our two crates, in every profile.
        rm -rf "$CARGO_TARGET_DIR"/*/.fingerprint/pydynox-* "$CARGO_TARGET_DIR"/*/.fingerprint/codegen-* \
            "$CARGO_TARGET_DIR"/*/*/.fingerprint/pydynox-* "$CARGO_TARGET_DIR"/*/*/.fingerprint/codegen-*
        echo "$ROOT" >"$marker"
    fi
}

pick_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: Python >= 3.11 is required (set PYTHON=...)" >&2
    return 1
}

setup_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        local python
        python="$(pick_python)"
        echo "==> creating $VENV with $python"
        "$python" -m venv "$VENV"
    fi
    export VIRTUAL_ENV="$VENV"
    export PATH="$VENV/bin:$PATH"
    # pyo3 (for maturin and for `cargo test`) must see the same interpreter, or it rebuilds.
    export PYO3_PYTHON="$VENV/bin/python"
    # `cargo test` binaries link libpython; a shared libpython outside the system
    # library path (pyenv, for example) must be found at run time.
    local libdir
    libdir="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")')"
    if [ -n "$libdir" ]; then
        export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    fi
    echo "==> installing maturin and the test extra of pyproject.toml"
    python -m pip install --quiet --disable-pip-version-check "maturin>=1.8,<2"
    # The extra's requirements, read from pyproject.toml (installed here, quietly, rather
    # than by `maturin develop --extras test`, which lists every requirement it checks).
    # Through a requirements file: a requirement may carry an environment marker with
    # spaces and quotes, which a word-splitting pipe (xargs) would break apart.
    python -c 'import sys, tomllib; print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["optional-dependencies"]["test"]))' \
        "$ROOT/pyproject.toml" >"$VENV/test-requirements.txt"
    python -m pip install --quiet --disable-pip-version-check -r "$VENV/test-requirements.txt"
}

build_extension() {
    claim_target_dir
    echo "==> building pydynox (release, CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
    # Once the venv holds an editable install of this clone, only the extension needs
    # rebuilding in place: no pip run, no dependency re-check. Unless pyproject.toml changed
    # since that install: its metadata (dependencies, entry points) must be installed again.
    local installed stamp="$VENV/.pydynox-pyproject" metadata
    installed="$(cd / && python -c 'import pathlib, pydynox; print(pathlib.Path(pydynox.__file__).parent.parent)' 2>/dev/null || true)"
    metadata="$(cksum <"$ROOT/pyproject.toml")"
    if [ "$installed" = "$ROOT/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$metadata" ]; then
        (cd "$ROOT" && maturin develop --release --skip-install)
    else
        # pip lists each requirement of the test extra it skips; those lines say nothing.
        (cd "$ROOT" && maturin develop --release 2>&1 | grep -v '^Ignoring ')
        echo "$metadata" >"$stamp"
    fi
    python -c 'import pydynox; print("==> built pydynox", pydynox.__version__)'
}

# --- the wheel run of scripts/test.sh -------------------------------------------------------

# CPython X.Y: $PYTHON_X_Y if set (e.g. PYTHON_3_12=/usr/bin/python3.12), else pyenv's
# newest X.Y.*, else pythonX.Y on PATH.
find_python() {
    local version="$1" override="PYTHON_${1//./_}" candidate
    if [ -n "${!override:-}" ]; then
        echo "${!override}"
        return 0
    fi
    for candidate in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python 2>/dev/null | sort -V -r) \
        "$(command -v "python$version" || true)"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: CPython $version not found (set $override=/path/to/python$version)" >&2
    return 1
}

# Builds the sdist, then the one abi3 wheel from the unpacked sdist (so the sdist is proved
# to build), into $ROOT/dist. Sets SDIST and WHEEL.
build_wheel_from_sdist() {
    local dist="$ROOT/dist" unpacked
    rm -rf "$dist"
    mkdir -p "$dist"
    echo "==> maturin sdist"
    (cd "$ROOT" && maturin sdist --out "$dist")
    SDIST="$(ls "$dist"/pydynox-*.tar.gz)"
    unpacked="$(mktemp -d)"
    tar -xzf "$SDIST" -C "$unpacked"
    local source_dir
    source_dir="$(ls -d "$unpacked"/pydynox-*)"
    echo "==> building the wheel from the sdist (release, CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
    # The unpacked sdist is another clone to cargo: claim the target dir for it.
    (ROOT="$source_dir" && claim_target_dir)
    (cd "$source_dir" && maturin build --release --interpreter "$VENV/bin/python" --out "$dist")
    rm -rf "$unpacked"
    WHEEL="$(ls "$dist"/pydynox-*.whl)"
    echo "==> built $(basename "$SDIST") and $(basename "$WHEEL")"
}

# A venv of CPython `version` at .venv-ci/<version> with `wheel`, the testing extra and the
# test extra installed; prints its path. The test requirements come from pyproject.toml,
# as in setup_venv.
wheel_venv() {
    local version="$1" python="$2" wheel="$3" venv="$ROOT/.venv-ci/$1"
    if [ ! -x "$venv/bin/python" ]; then
        echo "==> creating $venv with $python" >&2
        "$python" -m venv "$venv" >&2
    fi
    echo "==> installing $(basename "$wheel") with the testing and test extras into $venv" >&2
    local pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
    "${pip[@]}" -r "$VENV/test-requirements.txt" "$wheel[testing]" >&2
    # The same version may be installed already, from an earlier wheel: replace it.
    "${pip[@]}" --force-reinstall --no-deps "$wheel" >&2
    echo "$venv"
}
