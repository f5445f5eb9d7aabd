"""Arrow inputs (the PyCapsule interface) and missing values by each library's convention.

Every Arrow result is compared with what the same data give as a list of dicts through the
row path (``COLUMNAR = False``), so the column-major Arrow path is checked against the
reader the rest of the project is checked against (shared vectors, published figures)."""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, List

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import apertura
from apertura import _frames

ITEMS = ["tg.ai", "tg.tr", "tg.tp", "tg.da", "tc.disponibilidad", "tc.claridad", "tc.completitud",
         "tc.celeridad", "pg.mecanismos", "pg.actores", "pg.funcionamiento", "pg.formato",
         "pg.seguimiento", "pc.metodo", "pc.recepcion", "pc.activacion", "pc.celeridad"]


def perspectives(n: int = 6) -> Dict[str, List[Any]]:
    rng = np.random.default_rng(11)
    data: Dict[str, List[Any]] = {"id": [f"x{i}" for i in range(n)], "name": [f"Name {i}" for i in range(n)],
                                  "jurisdiction": ["Jalisco", "Federal"] * (n // 2), "level": ["Estatal", "Federal"] * (n // 2)}
    for c in ("tg", "tc", "pg", "pc"):
        data[c] = [float(v) for v in rng.integers(0, 4, n) / 3]
    return data


def plain(out: Any) -> List[Dict[str, Any]]:
    """A score table of any kind as records (NaN -> None, categories -> str)."""
    if isinstance(out, pa.Table):
        out = out.to_pandas()
    if isinstance(out, pl.DataFrame):
        out = out.to_pandas()
    rows = out.astype(object).where(out.notna(), None).to_dict("records")
    return [{k: (str(v) if k == "quadrant" and v is not None else v) for k, v in r.items()} for r in rows]


def row_path(f: Callable[[], Any]) -> Any:
    _frames.COLUMNAR = False
    try:
        return f()
    finally:
        _frames.COLUMNAR = True


def records(data: Dict[str, List[Any]]) -> List[Dict[str, Any]]:
    """Columns -> rows, leaving missing cells (None) out."""
    n = len(next(iter(data.values())))
    return [{k: v[i] for k, v in data.items() if v[i] is not None} for i in range(n)]


def reference(data: Dict[str, List[Any]], **kw: Any) -> List[Dict[str, Any]]:
    return plain(row_path(lambda: apertura.score(records(data), output="pandas", **kw)))


ARROW_KINDS: Dict[str, Callable[[pa.Table], Any]] = {
    "table": lambda t: t,
    "chunked table": lambda t: pa.concat_tables([t.slice(0, 2), t.slice(2)]),
    "record batch": lambda t: t.combine_chunks().to_batches()[0],
    "record batch reader": lambda t: t.to_reader(),
}


@pytest.mark.parametrize("kind", list(ARROW_KINDS))
def test_pyarrow_inputs_give_pyarrow_tables(kind: str) -> None:
    data = perspectives()
    got = apertura.score(ARROW_KINDS[kind](pa.table(data)))
    assert isinstance(got, pa.Table)
    assert plain(got) == reference(data)
    assert got.schema.field("quadrant").type == pa.dictionary(pa.int8(), pa.string())


@pytest.mark.parametrize("text", ["string", "large_string", "string_view", "dictionary"])
def test_every_arrow_text_type(text: str) -> None:
    data = perspectives()
    t = pa.table(data)
    for c in ("id", "name", "jurisdiction", "level"):
        col = t.column(c)
        if text == "dictionary":
            col = col.dictionary_encode()
        else:
            col = col.cast(getattr(pa, text)())
        t = t.set_column(t.schema.get_field_index(c), c, col)
    assert plain(apertura.score(t)) == reference(data)


def test_numeric_arrow_types_are_cast() -> None:
    data = perspectives()
    t = pa.table({**data, "tg": pa.array([1, 0, 1, 0, 1, 1], type=pa.int32()),
                  "tc": pa.array([0.5] * 6, type=pa.float32()), "pg": pa.array([True, False] * 3)})
    want = reference({**data, "tg": [1.0, 0.0, 1.0, 0.0, 1.0, 1.0], "tc": [0.5] * 6, "pg": [1.0, 0.0] * 3})
    assert plain(apertura.score(t)) == want


def test_output_kinds_on_request() -> None:
    data = perspectives()
    t = pa.table(data)
    want = reference(data)
    assert isinstance(apertura.score(t, output="pandas"), pd.DataFrame)
    assert isinstance(apertura.score(t, output="polars"), pl.DataFrame)
    assert isinstance(apertura.score(pd.DataFrame(data), output="pyarrow"), pa.Table)
    assert isinstance(apertura.score(pl.DataFrame(data), output="pyarrow"), pa.Table)
    for out in ("pandas", "polars", "pyarrow"):
        assert plain(apertura.score(t, output=out)) == want
        assert plain(row_path(lambda: apertura.score(t, output=out))) == want
    assert apertura.score(t, output="records") == row_path(lambda: apertura.score(records(data), output="records"))
    with pytest.raises(ValueError, match="pyarrow"):
        apertura.score(t, output="arrow")


def test_arrow_nulls_are_missing() -> None:
    data = perspectives()
    data["tc"][1] = None
    data["jurisdiction"][2] = None
    t = pa.table(data)
    assert t.column("tc").null_count == 1
    got = apertura.score(t, incomplete="partial")
    assert plain(got) == reference(data, incomplete="partial")
    assert plain(got)[1]["tc"] is None and plain(got)[1]["iga"] is None
    assert plain(apertura.score(pl.DataFrame(data), incomplete="partial")) == reference(data, incomplete="partial")


def test_arrow_nan_and_infinity_are_errors_with_their_place() -> None:
    for bad in (float("nan"), float("inf"), float("-inf")):
        data = perspectives()
        data["pg"][3] = bad
        for frame in (pa.table(data), pl.DataFrame(data)):
            with pytest.raises(apertura.InputError) as e:
                apertura.score(frame)
            err = e.value
            assert (err.code, err.institution, err.row, err.column) == ("not_finite", "x3", 4, "pg")


def test_pandas_nan_none_and_na_are_missing() -> None:
    data = perspectives()
    data["tc"][1] = None
    data["pg"][4] = None
    want = reference(data, incomplete="partial")
    frames = {
        "NaN": pd.DataFrame({**data, "tc": [np.nan if v is None else v for v in data["tc"]],
                             "pg": [np.nan if v is None else v for v in data["pg"]]}),
        "None": pd.DataFrame({**data, "tc": pd.Series(data["tc"], dtype=object), "pg": pd.Series(data["pg"], dtype=object)}),
        "pd.NA": pd.DataFrame({**data, "tc": pd.array(data["tc"], dtype="Float64"), "pg": pd.array(data["pg"], dtype="Float64")}),
    }
    assert frames["NaN"]["tc"].dtype == np.float64
    for name, df in frames.items():
        before = df.copy(deep=True)
        assert plain(apertura.score(df, incomplete="partial")) == want, name
        pd.testing.assert_frame_equal(df, before)


def test_pandas_infinity_is_an_error_and_na_text_not_applicable() -> None:
    data = perspectives()
    df = pd.DataFrame({**data, "tc": [0.5, 0.5, 0.5, math.inf, 0.5, 0.5]})
    with pytest.raises(apertura.InputError) as e:
        apertura.score(df)
    assert (e.value.code, e.value.institution, e.value.row, e.value.column) == ("not_finite", "x3", 4, "tc")
    na = {**data, "pg": ["NA", *data["pg"][1:]]}
    got = plain(apertura.score(pd.DataFrame(na)))
    assert got == reference(na)
    assert got[0]["pg"] == 0.0  # not applicable: 0 by default in 2017
    text = pa.table({**na, "pg": [v if isinstance(v, str) else repr(v) for v in na["pg"]]})
    assert plain(apertura.score(text)) == reference(na)


def test_arrow_inputs_are_not_modified() -> None:
    t = pa.table(perspectives())
    before = t.to_pylist()
    out = apertura.score(t)
    assert t.to_pylist() == before
    del out
    assert t.to_pylist() == before


def test_pandas_3_text_columns_cross_as_arrow() -> None:
    data = perspectives(1000)
    df = pd.DataFrame(data).astype({c: "str" for c in ("id", "name", "jurisdiction", "level")})
    before = df.copy(deep=True)
    got = apertura.score(df)
    assert plain(got) == reference(data)
    pd.testing.assert_frame_equal(df, before)
    got.loc[0, "id"] = "changed"  # the output's columns are the caller's only until written
    pd.testing.assert_frame_equal(df, before)


def test_duckdb_results_if_installed() -> None:
    duckdb = pytest.importorskip("duckdb")
    data = perspectives()
    t = pa.table(data)  # noqa: F841 (read by the query below)
    got = apertura.score(duckdb.sql("select * from t"))
    assert isinstance(got, pa.Table) and plain(got) == reference(data)


def test_rejected_arrow_values_take_the_row_path() -> None:
    data = perspectives()
    data["jurisdiction"] = ["CDMX", "Jalisco", "Narnia", "Federal", "Jalisco", "Jalisco"]
    with pytest.raises(apertura.InputError) as e:
        apertura.score(pa.table(data))
    assert e.value.errors == row_path(lambda: _errors(lambda: apertura.score(records(data))))
    data["jurisdiction"][2] = "Jalisco"
    assert plain(apertura.score(pa.table(data))) == reference(data)
    assert plain(apertura.score(pa.table(data)))[0]["jurisdiction"] == "Ciudad de México"


def _errors(f: Callable[[], Any]) -> Any:
    with pytest.raises(apertura.InputError) as e:
        f()
    return e.value.errors


cell = st.one_of(st.none(), st.sampled_from([0.0, 1 / 3, 2 / 3, 1.0]), st.floats(0.0, 1.0, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(cell, cell, cell, cell), min_size=1, max_size=12),
       st.sampled_from(["NaN", "None", "pd.NA", "arrow", "polars"]))
def test_missing_cells_score_as_left_out(rows: List[Any], how: str) -> None:
    data: Dict[str, List[Any]] = {"id": [f"i{k}" for k in range(len(rows))]}
    for j, c in enumerate(("tg", "tc", "pg", "pc")):
        data[c] = [r[j] for r in rows]
    want = reference(data, incomplete="partial")
    if how == "NaN":
        frame: Any = pd.DataFrame({k: (v if k == "id" else [np.nan if x is None else x for x in v]) for k, v in data.items()})
    elif how == "None":
        frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in data.items()})
    elif how == "pd.NA":
        frame = pd.DataFrame({k: (v if k == "id" else pd.array(v, dtype="Float64")) for k, v in data.items()})
    elif how == "arrow":
        frame = pa.table({k: pa.array(v, type=pa.string() if k == "id" else pa.float64()) for k, v in data.items()})
    else:
        frame = pl.DataFrame(data, schema={k: (pl.String if k == "id" else pl.Float64) for k in data})
    before = frame.copy(deep=True) if isinstance(frame, pd.DataFrame) else None
    got = plain(apertura.score(frame, incomplete="partial"))
    assert got == want
    if before is not None:
        pd.testing.assert_frame_equal(frame, before)


def test_all_is_the_documented_public_api() -> None:
    import types

    # Submodules (apertura.plot, imported lazily: it needs matplotlib) are not in __all__.
    public = {n for n in dir(apertura) if not n.startswith("_") and not isinstance(getattr(apertura, n), types.ModuleType)}
    assert public == set(apertura.__all__) - {"__version__"}, public ^ set(apertura.__all__)
    typing_names = {"Any", "Dict", "List", "Mapping", "Optional", "Sequence", "Tuple", "Union", "annotations"}
    assert not typing_names & set(dir(apertura))
    for name in apertura.__all__:
        obj = getattr(apertura, name)
        if name == "__version__":
            assert isinstance(obj, str)
            continue
        doc = getattr(obj, "__doc__", None)
        assert doc and doc.strip(), f"apertura.{name} has no docstring"
