"""pandas and polars in and out: round trips, the caller's kind of frame, inputs never
modified, metadata columns, missing and not-applicable cells."""

from __future__ import annotations

import io
import json
from typing import Any, Dict, List

import numpy as np
import pytest

import apertura

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

COLUMNS = ["id", "name", "jurisdiction", "level", "type", "iga", "t", "p", "tg", "tc", "pg", "pc"]
ROWS: List[Dict[str, Any]] = [
    {"id": "a", "edo": "Jalisco", "niv": "Estatal", "ts": "Partido", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
    {"id": "b", "edo": "CDMX", "niv": "Municipal", "ts": "Municipio", "tg": 1.0, "tc": 1.0, "pg": 1.0, "pc": 1.0},
    {"id": "c", "edo": "Federal", "niv": "Federal", "ts": "Autonomo", "tg": 0.9, "tc": 0.7, "pg": 0.1, "pc": 0.3},
]


def pandas_rows(df: Any) -> List[Dict[str, Any]]:
    """A pandas score table as plain records (NaN -> None, categories -> str)."""
    out = df.astype(object).where(df.notna(), None).to_dict("records")
    return [{k: (str(v) if k == "quadrant" and v is not None else v) for k, v in r.items()} for r in out]


def test_pandas_in_pandas_out_with_cli_columns() -> None:
    df = pd.DataFrame(ROWS)
    out = apertura.score(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == COLUMNS + ["rank", "quadrant"]
    assert out["id"].tolist() == ["a", "b", "c"]
    assert out["name"].tolist() == ["a", "b", "c"]  # no name column: the id
    assert out["jurisdiction"].tolist() == ["Jalisco", "Ciudad de México", "Federal"]  # canonical names
    assert out["type"].tolist() == ["Partido", "Municipio", "Autónomo"]
    assert out["rank"].tolist() == [3, 1, 2]
    assert out["quadrant"].astype(str).tolist() == ["III", "II", "I"]
    assert out["iga"].dtype == np.float64 and out["rank"].dtype == np.int64
    assert out.loc[0, "iga"] == 0.35


def test_polars_in_polars_out() -> None:
    df = pl.DataFrame(ROWS)
    out = apertura.score(df)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == COLUMNS + ["rank", "quadrant"]
    assert out.to_dicts() == apertura.score(ROWS, output="records")
    lazy = apertura.score(df.lazy())
    assert isinstance(lazy, pl.DataFrame) and lazy.equals(out)


def test_records_and_paths_give_pandas_or_records(tmp_path: Any) -> None:
    out = apertura.score(ROWS)
    assert isinstance(out, pd.DataFrame)  # pandas is installed
    records = apertura.score(ROWS, output="records")
    assert isinstance(records, list) and records == pandas_rows(out)
    p = tmp_path / "data.json"
    p.write_text(json.dumps(ROWS), encoding="utf-8")
    assert pandas_rows(apertura.score(p)) == records
    assert pandas_rows(apertura.score(str(p))) == records
    csv = "id,edo,niv,ts,tg,tc,pg,pc\n" + "".join(
        f"{r['id']},{r['edo']},{r['niv']},{r['ts']},{r['tg']},{r['tc']},{r['pg']},{r['pc']}\n" for r in ROWS
    )
    assert apertura.score(csv.encode(), output="records") == records
    assert apertura.score(io.StringIO(csv), output="records") == records
    assert apertura.score(io.BytesIO(csv.encode()), output="polars").to_dicts() == records


def test_pandas_round_trip_keeps_every_bit() -> None:
    rng = np.random.default_rng(7)
    n = 500
    df = pd.DataFrame({"id": [f"i{k}" for k in range(n)], **{c: rng.random(n) for c in ("tg", "tc", "pg", "pc")}})
    out = apertura.score(df)
    for c in ("tg", "tc", "pg", "pc"):
        assert (out[c].to_numpy() == df[c].to_numpy()).all()  # given values come back unchanged
    assert pandas_rows(out) == apertura.score(df.to_dict("records"), output="records")
    # A score table is valid input: scoring it again changes nothing.
    again = apertura.score(out)
    pd.testing.assert_frame_equal(again, out)


def test_polars_round_trip_keeps_every_bit() -> None:
    rng = np.random.default_rng(8)
    n = 500
    df = pl.DataFrame({"id": [f"i{k}" for k in range(n)], **{c: rng.random(n) for c in ("tg", "tc", "pg", "pc")}})
    out = apertura.score(df)
    for c in ("tg", "tc", "pg", "pc"):
        assert (out[c].to_numpy() == df[c].to_numpy()).all()
    assert out.to_dicts() == apertura.score(df.to_dicts(), output="records")
    assert apertura.score(out).equals(out)


def test_input_frames_are_never_modified() -> None:
    df = pd.DataFrame(ROWS).set_index("id", drop=False)
    before = df.copy(deep=True)
    apertura.score(df, gates="apply")
    apertura.summary(df)
    apertura.explain(df, institution="a")
    pd.testing.assert_frame_equal(df, before, check_exact=True)
    items = pd.DataFrame({"id": ["x"], "pg.mecanismos": [0.0], "pg.actores": [1.0], "pg.funcionamiento": [1.0],
                          "pg.formato": [1.0], "pg.seguimiento": [1.0], "tg": [0.5], "tc": [0.5], "pc": [0.5]})
    items_before = items.copy(deep=True)
    scored = apertura.score(items, gates="apply")  # gated items scored 0 in the output only
    assert scored.loc[0, "pg.actores"] == 0.0
    pd.testing.assert_frame_equal(items, items_before, check_exact=True)
    pdf = pl.DataFrame(ROWS)
    pbefore = pdf.clone()
    apertura.score(pdf)
    assert pdf.equals(pbefore)
    rows = [dict(r) for r in ROWS]
    apertura.score(rows)
    assert rows == ROWS


def test_pandas_output_keeps_the_index() -> None:
    df = pd.DataFrame(ROWS, index=pd.Index([10, 20, 30], name="k"))
    out = apertura.score(df)
    assert out.index.equals(df.index)
    assert out.loc[20, "id"] == "b"


def test_missing_and_not_applicable_cells() -> None:
    # pd.NA / None = not observed; "NA" = not applicable (scored 0 by default in 2017).
    df = pd.DataFrame({"id": ["a", "b"], "tg": [0.5, 0.5], "tc": pd.array([0.5, pd.NA], dtype="Float64"),
                       "pg": ["NA", 0.5], "pc": [0.5, 0.5], "t": pd.Series([None, 0.5], dtype=object)})
    out = apertura.score(df, output="records")
    assert out[0]["pg"] == 0.0  # not applicable -> 0
    assert out[1]["tc"] is None and out[1]["t"] == 0.5  # missing item, given parent
    renorm = apertura.score(df, not_applicable="renormalize", output="records")
    assert renorm[0]["pg"] is None and renorm[0]["p"] == 0.5


def test_unknown_values_are_nan_and_null() -> None:
    rows = [{"id": "a", "tg": 0.5, "tc": 0.5, "pg": 0.5, "pc": 0.5},
            {"id": "b", "tg.ai": 1, "tg.tr": 1, "tg.tp": 1, "tg.da": 1, "tc": 0.5, "pg": 0.5, "pc": 0.5}]
    out = apertura.score(pd.DataFrame(rows))  # the NaN pandas fills in are missing
    assert np.isnan(out.loc[0, "tg.ai"]) and out.loc[1, "tg.ai"] == 1.0
    out = apertura.score(pd.DataFrame(rows).convert_dtypes())  # and so is pd.NA
    assert np.isnan(out.loc[0, "tg.ai"]) and out.loc[1, "tg.ai"] == 1.0
    pout = apertura.score(pl.DataFrame(rows))
    assert pout["tg.ai"].to_list() == [None, 1.0]


def test_integer_and_boolean_columns_are_numbers() -> None:
    df = pd.DataFrame({"id": [1, 2], "tg": [1, 0], "tc": [True, False], "pg": [1, 1], "pc": [0, 0]})
    out = apertura.score(df, output="records")
    assert [r["id"] for r in out] == ["1", "2"]
    assert [r["t"] for r in out] == [1.0, 0.0]


def test_empty_frame() -> None:
    out = apertura.score(pd.DataFrame({"id": pd.Series([], dtype=str), "tg": pd.Series([], dtype=float)}))
    assert len(out) == 0 and list(out.columns)[:5] == ["id", "name", "jurisdiction", "level", "type"]


def test_text_with_the_separator_character() -> None:
    ids = ["a\x1fb", "c"]  # the joined-text transport falls back to a list
    out = apertura.score(pd.DataFrame({"id": ids, "tg": [1.0, 0.0], "tc": [1.0, 0.0], "pg": [1.0, 0.0], "pc": [1.0, 0.0]}))
    assert out["id"].tolist() == ids


def test_requests_as_a_frame() -> None:
    requests = pd.DataFrame({
        "institution": ["a"], "answered": [True], "availability": [1.0], "clarity": [1.0], "completeness": [1.0],
        "filed": pd.to_datetime(["2016-01-29"]), "answered_on": pd.to_datetime(["2016-02-05"]), "extension": [False],
    })
    data = pd.DataFrame({"id": ["a"], "tg": [0.0], "pg": [0.0], "pc": [0.0]})
    out = apertura.score(data, requests=requests, tc_celeridad="linear_20_working_days", output="records")
    # Hand computation (tests/vectors/cases/requests-linear.json): speed 0.8, TC 0.95, IGA 0.2375.
    assert abs(out[0]["tc.celeridad"] - 0.8) < 1e-12
    assert abs(out[0]["tc"] - 0.95) < 1e-12
    assert abs(out[0]["iga"] - 0.2375) < 1e-12
    same = apertura.score(data, requests=pl.from_dicts(requests.to_dict("records")), tc_celeridad="linear_20_working_days",
                          output="records")
    assert same == out


def test_text_columns_built_as_arrow_equal_python_strings(tmp_path: Any, monkeypatch: Any) -> None:
    """The score table's text columns made in Rust as one Arrow array each give the same
    frame (values, dtypes, nulls, index) as lists of Python strings, for every kind."""
    sample = open("data/samples/mga-2017-sample.csv", encoding="utf-8").read().splitlines()
    # Some metadata missing (nulls), a name with non-ASCII text, plus the sample as it is.
    rows = [sample[0]] + [
        ",".join(c if not (i % 3 == 0 and k in (2, 4)) else "" for k, c in enumerate(line.split(",")))
        for i, line in enumerate(sample[1:])
    ]
    rows[1] = rows[1].replace("Synthetic institution 0", "Institución Núñez 0", 1)
    paths = [tmp_path / "gaps.csv", "data/samples/mga-2017-sample.csv"]
    paths[0].write_text("\n".join(rows) + "\n", encoding="utf-8")
    for path in paths:
        for kind in ("pandas", "polars", "pyarrow"):
            fast = apertura.score(path, output=kind)
            with monkeypatch.context() as m:
                m.setattr(apertura._frames, "_arrow_text", lambda _kind: False)
                slow = apertura.score(path, output=kind)
            if kind == "pandas":
                pd.testing.assert_frame_equal(fast, slow, check_exact=True)
                assert str(fast["name"].dtype) == str(slow["name"].dtype)
            elif kind == "polars":
                assert fast.schema == slow.schema and fast.equals(slow)
            else:
                assert fast.schema == slow.schema and fast.equals(slow)
    assert apertura._frames._arrow_text("pandas")  # the fast route is the one taken here
