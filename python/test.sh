#!/usr/bin/env bash
# Builds the Python extension (apertura._apertura) and runs the Python surface's checks:
# pytest (shared vectors, published 2017 figures, frames, errors, properties, robustness
# analysis against SciPy and numpy), the examples,
# and mypy.stubtest on the hand-written stubs.
#
# Run from the repository root on a machine with Rust and Python >= 3.9 (+ pip):
#     bash python/test.sh
# It creates (or reuses) .venv at the repository root. Environment:
#     PYTHON=python3.11            interpreter for a new .venv (default: python3)
#     APERTURA_SKIP_PIP_INSTALL=1  skip the `pip install ./python` check (a second release
#                                  build in pip's isolated environment: about 1 more minute)
#     APERTURA_SHARED=/path        folder holding mga-data/ (default: ../shared beside the repo)
set -euo pipefail

root="$(pwd)"
if [[ ! -f python/Cargo.toml || ! -f Cargo.toml ]]; then
    echo "python/test.sh: run it from the repository root" >&2
    exit 2
fi
venv="$root/.venv"
py="$venv/bin/python"
t0=$SECONDS
step() { printf '\n== %s (%ss)\n' "$1" "$((SECONDS - t0))"; }

step "Python environment"
if [[ ! -x "$py" ]]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
"$py" -c 'import sys; assert sys.version_info >= (3, 9), sys.version'
# Versions that work together here (Python 3.11; numpy 2.4 is the last for 3.11). SciPy
# is the reference of the robustness tests (sobol_indices, spearmanr): one 35 MB wheel.
"$py" -m pip install -q --disable-pip-version-check \
    "maturin==1.16.0" "pytest==9.2.0" "hypothesis==6.170.15" "mypy==2.4.1" \
    "numpy==2.4.6" "pandas==3.1.1" "polars==2.1.0" "matplotlib==3.11.2" "scipy==1.17.1" \
    "pyarrow==26.0.1" \
    "dask[dataframe,distributed]==2026.8.0"

step "Build the wheel (maturin, release, abi3)"
rm -f target/wheels/apertura-*.whl
"$venv/bin/maturin" build --release -m python/Cargo.toml -i "$py" -o target/wheels
wheel=(target/wheels/apertura-*.whl)
"$py" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "${wheel[0]}"

step "pytest"
set +e
"$py" -m pytest -q -p no:cacheprovider python/tests
rc=$?
set -e
if [[ $rc -eq 5 ]]; then
    echo "python/test.sh: pytest collected no tests" >&2
    exit 1
elif [[ $rc -ne 0 ]]; then
    exit "$rc"
fi

step "Examples"
for example in python/examples/*.py; do
    echo "-- $example"
    MPLBACKEND=Agg "$py" "$example" > /dev/null
done

step "mypy.stubtest (from an empty directory)"
empty="$(mktemp -d)"
(cd "$empty" && "$py" -m mypy.stubtest apertura)
rm -rf "$empty"

if [[ "${APERTURA_SKIP_PIP_INSTALL:-0}" != "1" ]]; then
    step "pip install ./python (fresh venv; pip fetches maturin itself)"
    fresh="$(mktemp -d)"
    "$py" -m venv "$fresh/venv"
    "$fresh/venv/bin/python" -m pip install -q --disable-pip-version-check ./python
    (cd "$fresh" && "$fresh/venv/bin/python" -c \
        'import apertura; r = apertura.score([{"id": "a", "tg": 1, "tc": 1, "pg": 1, "pc": 1}]); assert r[0]["iga"] == 1.0, r; print("pip install ./python: ok")')
    rm -rf "$fresh"
fi

step "python/test.sh: all Python checks passed"
