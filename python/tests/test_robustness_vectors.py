"""The shared robustness vectors (tests/vectors/robustness): every case through
apertura.uncertainty / apertura.sensitivity reproduces its golden file exactly: the result
without its ``design`` key equal key by key, every float bit for bit (``float.hex``), and
an error case the same code, message and location. (The hand-computed expectations of the
cases are checked against the same golden files by the Rust runner.)"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import numpy as np
import pytest

import apertura

from conftest import VECTORS

ROBUSTNESS = VECTORS / "robustness"
CASES = sorted((ROBUSTNESS / "cases").glob("*.json"))


def load(path: Any) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def run(case: Dict[str, Any]) -> Dict[str, Any]:
    """A case through the Python API, as a golden record (see tests/vectors/README.md)."""
    inp = case["input"]
    data = inp["csv"].encode("utf-8") if "csv" in inp else inp["records"]
    run_options = dict(case.get("run", {}))
    if "targets" in run_options:  # SensitivityOptions' field; the Python keyword is `target`
        run_options["target"] = run_options.pop("targets")
    analysis = {"uncertainty": apertura.uncertainty, "sensitivity": apertura.sensitivity}[case["analysis"]]
    try:
        result = analysis(
            data,
            case.get("edition", "mga-2017"),
            weights=case.get("weights"),
            requests=case.get("requests"),
            proposals=case.get("proposals"),
            design=case.get("design"),
            output="records",
            **case.get("factors", {}),
            **run_options,
            **case.get("options", {}),
        )
    except apertura.RobustnessError as e:
        return {"error": {"code": e.code, "message": e.detail, "factor": e.factor, "institution": e.institution,
                          "row": e.row, "column": e.column, "value": e.value}}
    raw = {k: v for k, v in result.raw.items() if k != "design"}
    outputs = raw.get("outputs")
    if outputs is not None:  # numpy arrays in Python; run-major lists in JSON
        raw["outputs"] = {k: np.asarray(v).ravel().tolist() for k, v in outputs.items()}
    return {"result": raw}


def same(want: Any, got: Any, where: str, problems: List[str]) -> None:
    """Exact equality; floats bit for bit."""
    if isinstance(want, float) or isinstance(got, float):
        ok = isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(want, bool) \
            and not isinstance(got, bool) and float(want).hex() == float(got).hex()
        if not ok:
            problems.append(f"{where}: golden {want!r}, got {got!r}")
    elif isinstance(want, dict) and isinstance(got, dict):
        if set(want) != set(got):
            problems.append(f"{where}: keys differ: golden only {sorted(set(want) - set(got))}, "
                            f"Python only {sorted(set(got) - set(want))}")
        for k in want:
            if k in got:
                same(want[k], got[k], f"{where}.{k}", problems)
    elif isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            problems.append(f"{where}: {len(want)} items in the golden file, {len(got)} here")
        for i, (a, b) in enumerate(zip(want, got)):
            same(a, b, f"{where}[{i}]", problems)
    elif want != got or type(want) is not type(got):
        problems.append(f"{where}: golden {want!r}, got {got!r}")


def test_there_are_robustness_vectors() -> None:
    assert len(CASES) >= 10, f"expected the shared robustness cases in {ROBUSTNESS / 'cases'}"
    analyses = {load(p)["analysis"] for p in CASES}
    assert analyses == {"uncertainty", "sensitivity"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden(path: Any) -> None:
    case = load(path)
    golden = load(ROBUSTNESS / "golden" / path.name)
    assert golden["name"] == case["name"] and golden["analysis"] == case["analysis"]
    got = run(case)
    problems: List[str] = []
    if "error" in golden:
        assert "error" in got, f"{case['name']}: expected an error {golden['error']}, got a result"
        same(golden["error"], got["error"], "error", problems)
    else:
        assert "result" in got, f"{case['name']}: expected a result, got {got['error']}"
        same(golden["result"], got["result"], "result", problems)
    assert not problems, f"{case['name']}: {len(problems)} differences:\n" + "\n".join(problems[:20])
