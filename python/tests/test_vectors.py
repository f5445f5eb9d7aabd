"""The shared test vectors (tests/vectors): every case through the Python API reproduces
its golden file exactly (== on every float: the same engine, the same bits) and agrees with
the hand-computed expectation within 1e-12."""

from __future__ import annotations

import json
import math
from typing import Any, Dict, List

import pytest

import apertura

from conftest import VECTORS

CASES = sorted((VECTORS / "cases").glob("*.json"))
TOLERANCE = 1e-12


def load(path: Any) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def run(case: Dict[str, Any], data: Any = None) -> Dict[str, Any]:
    """A case through apertura.score, as a golden record (see tests/vectors/README.md)."""
    inp = case["input"]
    where = None
    if data is None:
        data = inp["csv"].encode("utf-8") if "csv" in inp else inp["records"]
        where = inp.get("where")  # row filters of the CSV (the CLI's --where)
    try:
        scores = apertura.score(
            data,
            case.get("edition", "mga-2017"),
            weights=case.get("weights"),
            requests=case.get("requests"),
            proposals=case.get("proposals"),
            output="records",
            where=where,
            **case.get("options", {}),
        )
    except apertura.InputError as e:
        p = e.errors[0]
        err = {"code": p.code, "message": p.message, "institution": p.institution, "item": p.item,
               "row": p.row, "column": p.column, "value": p.value}
        return {"name": case["name"], "edition": case["edition"], "error": err}
    except apertura.AperturaError as e:
        err = {"code": e.code, "message": str(e), "institution": None, "item": None,
               "row": None, "column": None, "value": None}
        return {"name": case["name"], "edition": case["edition"], "error": err}
    return {"name": case["name"], "edition": case["edition"], "scores": scores}


def test_vectors_are_present() -> None:
    assert len(CASES) >= 20, f"found only {len(CASES)} cases in {VECTORS / 'cases'}"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_reproduces_golden_exactly(path: Any) -> None:
    case = load(path)
    golden = load(VECTORS / "golden" / path.name)
    got = run(case)
    assert got == golden
    # == on floats, and the same bits (== alone would accept 0.0 for -0.0).
    for row_got, row_golden in zip(got.get("scores", []), golden.get("scores", [])):
        for k, v in row_got.items():
            if isinstance(v, float):
                assert v.hex() == float(row_golden[k]).hex(), (k, v, row_golden[k])


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_matches_hand_expectation(path: Any) -> None:
    case = load(path)
    got = run(case)
    expect = case["expect"]
    if "error" in expect:
        assert "error" in got, got
        for k, v in expect["error"].items():
            g = got["error"][k]
            assert g == v or (isinstance(v, (int, float)) and str(v) == g), (k, v, g)
        return
    rows: List[Dict[str, Any]] = got["scores"]
    for inst, fields in expect["scores"].items():
        row = next(r for r in rows if r["id"] == inst)
        for k, v in fields.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                assert math.isclose(row[k], v, rel_tol=0, abs_tol=TOLERANCE), (inst, k, v, row[k])
            else:
                assert row[k] == v, (inst, k, v, row[k])


def _frame_of_csv(text: str) -> Any:
    """A CSV case as a pandas frame with numeric columns where every cell is a number (the
    columnar numpy path), text columns elsewhere."""
    import io

    import pandas as pd

    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for c in df.columns:
        try:
            df[c] = pd.to_numeric(df[c], errors="raise").astype("float64")
        except (ValueError, TypeError):
            pass
    return df


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_through_pandas_gives_the_same_bits(path: Any) -> None:
    """The columnar path (numpy buffers, joined text) gives the golden scores too."""
    pytest.importorskip("pandas")
    case = load(path)
    golden = load(VECTORS / "golden" / path.name)
    inp = case["input"]
    if "csv" in inp:
        data = _frame_of_csv(inp["csv"])
        for f in inp.get("where", []):  # a frame is filtered before it is passed
            assert "!=" not in f, "the vectors use COLUMN=VALUE filters only"
            column, value = f.split("=", 1)
            col = data[column.strip()]
            text = col.map(lambda v: repr(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
            data = data[text.str.strip() == value.strip()].reset_index(drop=True)
    else:
        import pandas as pd

        data = pd.DataFrame.from_records(inp["records"])
    got = run(case, data)
    if "error" in golden:
        assert "error" in got, got
        assert got["error"]["code"] == golden["error"]["code"]
        return
    assert got == golden
