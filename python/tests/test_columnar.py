"""The column-major path (complete pandas / polars frames scored by ``Plan::score_columns``)
against the row path: the same frames (values, dtypes, index, column order), the same
errors, the input never modified nor shared for writing; and every input it does not take
falls back to the row path."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import apertura
from apertura import _apertura, _frames

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

ITEMS = apertura.Edition.load("mga-2017").item_ids()


def items_frame(n: int = 200, seed: int = 3, **extra: Any) -> Dict[str, Any]:
    rng = np.random.default_rng(seed)
    data: Dict[str, Any] = {"id": [f"i{k:04d}" for k in range(n)]}
    for it in ITEMS:
        data[it] = rng.integers(0, 4, n) / 3.0
    # Gates respected (so the default gates="error" scores it).
    for g in ("pg.actores", "pg.funcionamiento", "pg.formato", "pg.seguimiento"):
        data[g][data["pg.mecanismos"] == 0] = 0.0
    for g in ("pc.recepcion", "pc.activacion", "pc.celeridad"):
        data[g][data["pc.metodo"] == 0] = 0.0
    data["pc.activacion"][data["pc.recepcion"] < 1] = 0.0
    data["pc.celeridad"][data["pc.activacion"] == 0] = 0.0
    data.update(extra)
    return data


def perspectives(n: int = 6, seed: int = 4, **extra: Any) -> Dict[str, Any]:
    rng = np.random.default_rng(seed)
    data: Dict[str, Any] = {"id": [f"x{k}" for k in range(n)]}
    for c in ("tg", "tc", "pg", "pc"):
        data[c] = rng.random(n)
    data.update(extra)
    return data


def row_path(f: Callable[[], Any]) -> Any:
    _frames.COLUMNAR = False
    try:
        return f()
    finally:
        _frames.COLUMNAR = True


def takes_columnar(df: Any, **options: Any) -> bool:
    e = apertura.Edition.load("mga-2017")
    plan = apertura._plan(e, options.pop("gates", None), options.pop("weights", None), options)
    return _frames.score_columnar(df, e, plan, "auto") is not None


def same_as_row_path(df: Any, **kw: Any) -> Any:
    fast = apertura.score(df, **kw)
    slow = row_path(lambda: apertura.score(df, **kw))
    if isinstance(df, pd.DataFrame):
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    else:
        assert fast.schema == slow.schema and fast.equals(slow)
    return fast


META = {
    "edo": ["Jalisco", "CDMX", " Federal ", "", "yucatan", "Jalisco"],
    "niv": ["Estatal", "municipal", "Federal", "Estatal", "Estatal", None],
    "ts": ["Partido", "Autonomo", "Órgano garante ", None, "Universidad", "Partido"],
}
CANONICAL = {
    "jurisdiction": ["Jalisco", "Aguascalientes", "Federal", "Yucatán", "Jalisco", "Federal"],
    "level": ["Estatal", "Municipal", "Federal", "Federal", "Estatal", "Municipal"],
    "type": ["Partido", "Municipio", "Autónomo", "Universidad", "Partido", "Partido"],
}

FRAMES: Dict[str, Callable[[], Dict[str, Any]]] = {
    "items": lambda: items_frame(),
    "perspectives": lambda: perspectives(),
    "canonical metadata": lambda: perspectives(**CANONICAL),
    "metadata to read": lambda: perspectives(**META),
    "names": lambda: perspectives(nombre=[f"Name {k}" for k in range(6)], edo=["Jalisco"] * 6),
    "names as ids": lambda: {k: v for k, v in perspectives(SO=[f"N{k}" for k in range(6)]).items() if k != "id"},
    "other columns": lambda: perspectives(comment=["x", None, "z", "w", "v", "u"], year=[2017] * 6),
    "ints and bools": lambda: {"id": ["a", "b"], "tg": [1, 0], "tc": [True, False], "pg": [1, 1], "pc": [0, 0]},
    "aliases and aggregates": lambda: {"clave": ["a", "b"], "TG": [0.4, 1.0], "TC": [0.6, 1.0], "PG": [0.2, 1.0],
                                       "PC": [0.2, 1.0], "T": [0.5, 1.0], "P": [0.2, 1.0], "GA": [0.35, 1.0]},
    "one institution": lambda: perspectives(n=1),
}


@pytest.mark.parametrize("name", list(FRAMES))
def test_pandas_same_frame_as_the_row_path(name: str) -> None:
    df = pd.DataFrame(FRAMES[name]())
    assert takes_columnar(df)
    same_as_row_path(df)
    same_as_row_path(df.set_index(pd.Index(range(100, 100 + len(df)), name="k")))


@pytest.mark.parametrize("name", list(FRAMES))
def test_polars_same_frame_as_the_row_path(name: str) -> None:
    df = pl.DataFrame(FRAMES[name]())
    assert takes_columnar(df)
    same_as_row_path(df)
    same_as_row_path(df.lazy())


def test_options_gates_and_weights() -> None:
    rng = np.random.default_rng(9)
    df = pd.DataFrame({"id": [f"i{k}" for k in range(300)], **{it: rng.integers(0, 4, 300) / 3.0 for it in ITEMS}})
    assert takes_columnar(df, gates="apply")
    out = same_as_row_path(df, gates="apply", weights={"tg": 0.7, "pg.actores": 0.4})
    assert (out["pg.actores"][df["pg.mecanismos"] == 0] == 0).all()
    same_as_row_path(df, gates="apply", quadrant_split=0.6)
    same_as_row_path(pl.DataFrame({c: df[c].to_numpy() for c in df.columns}), gates="apply")


def test_extension_dtypes_without_missing_values() -> None:
    data = perspectives(n=5)
    df = pd.DataFrame(data).astype({"tg": "Float64"})
    df["tc"] = pd.array([0, 1, 1, 0, 1], dtype="Int64")
    df["id"] = df["id"].astype("category")
    assert takes_columnar(df)
    same_as_row_path(df)


FALLBACKS: Dict[str, Callable[[], Any]] = {
    "missing value": lambda: pd.DataFrame(perspectives(t=[0.5] * 6)).assign(
        tg=pd.array([0.5, None, 0.5, 0.5, 0.5, 0.5], dtype="Float64"), tc=[0.5] * 6),
    "not applicable": lambda: pd.DataFrame(perspectives()).assign(pg=["NA", 0.1, 0.2, 0.3, 0.4, 0.5]),
    "id with spaces": lambda: pd.DataFrame(perspectives()).assign(id=[" a", "b", "c", "d", "e", "f"]),
    "empty id with a name": lambda: pd.DataFrame(perspectives(nombre=list("ABCDEF"))).assign(
        id=["", "b", "c", "d", "e", "f"]),
    "name with spaces": lambda: pd.DataFrame(perspectives(nombre=["A ", "B", "C", "D", "E", "F"])),
    "unhashable cells": lambda: pd.DataFrame(perspectives(edo=[["Jalisco"]] * 6)),
    "integer ids": lambda: pd.DataFrame(perspectives()).assign(id=range(6)),
    "two id columns": lambda: pd.DataFrame(perspectives(clave=list("uvwxyz"))),
    "long table": lambda: pd.DataFrame({"id": ["a"] * 4, "node": ["tg", "tc", "pg", "pc"], "value": [0.5] * 4}),
    "empty": lambda: pd.DataFrame({"id": pd.Series([], dtype=str), "tg": pd.Series([], dtype=float)}),
    "records output": lambda: None,
}


@pytest.mark.parametrize("name", list(FALLBACKS))
def test_what_the_row_path_scores(name: str) -> None:
    df = FALLBACKS[name]()
    if df is None:
        df = pd.DataFrame(perspectives())
        out = apertura.score(df, output="records")
        assert out == row_path(lambda: apertura.score(df, output="records"))
        return
    assert not takes_columnar(df)
    same_as_row_path(df)


def errors_of(f: Callable[[], Any]) -> List[Any]:
    with pytest.raises(apertura.InputError) as e:
        f()
    return list(e.value.errors)


ERRORS: Dict[str, Callable[[], Dict[str, Any]]] = {
    "nan": lambda: perspectives(tc=[0.5, float("nan"), 0.5, float("inf"), 0.5, 0.5]),
    "out of range": lambda: perspectives(tg=[2.0, 0.5, 0.5, 0.5, -1.0, 0.5]),
    "duplicate id": lambda: perspectives(id=["a", "b", "a", "c", "d", "b"]),
    "missing id": lambda: perspectives(id=["a", "b", "", "c", "d", "e"]),
    "gate violation": lambda: items_frame(50, seed=5, **{"pg.actores": [1.0] * 50}),
    "mismatch": lambda: perspectives(t=[0.9] * 6),
    "unknown jurisdiction": lambda: perspectives(edo=["Jalisco", "Narnia", "Narnia", "CDMX", "", "Atlantis"]),
    "unknown level": lambda: perspectives(nivel=["Estatal", "Provincial", "Estatal", "Estatal", "Estatal", "Estatal"]),
    "numeric jurisdiction": lambda: perspectives(edo=[1.0] * 6),
    "incomplete tree": lambda: {"id": ["a"], "tg": [0.5], "tc": [0.5]},
}


@pytest.mark.parametrize("name", list(ERRORS))
@pytest.mark.parametrize("kind", ["pandas", "polars"])
def test_same_errors_as_the_row_path(name: str, kind: str) -> None:
    data = ERRORS[name]()
    df = pd.DataFrame(data) if kind == "pandas" else pl.DataFrame(data)
    got = errors_of(lambda: apertura.score(df))
    assert got == errors_of(lambda: row_path(lambda: apertura.score(df)))
    assert got and all(p.source == "input" for p in got)


def test_infinity_is_not_finite_with_its_place() -> None:
    df = pd.DataFrame(perspectives(tc=[0.5, 0.5, float("-inf"), 0.5, 0.5, 0.5]))
    with pytest.raises(apertura.InputError) as e:
        apertura.score(df)
    err = e.value
    assert (err.code, err.institution, err.item, err.row, err.column) == ("not_finite", "x2", "tc", 3, "tc")


def test_input_is_never_modified_nor_shared_for_writing() -> None:
    df = pd.DataFrame(perspectives(**CANONICAL))
    before = df.copy(deep=True)
    out = apertura.score(df, gates="apply")
    pd.testing.assert_frame_equal(df, before, check_exact=True)
    out.loc[0, "id"] = "changed"
    out.loc[1, "jurisdiction"] = "Yucatán"
    out.loc[2, "tg"] = 0.0
    out.iloc[3, 0] = "again"
    pd.testing.assert_frame_equal(df, before, check_exact=True)
    assert out.loc[0, "name"] == "x0"  # name shares the id column, copied on write
    pdf = pl.DataFrame(perspectives(**CANONICAL))
    pbefore = pdf.clone()
    apertura.score(pdf)
    assert pdf.equals(pbefore)


def test_roles_come_from_the_core_reader() -> None:
    e = apertura.Edition.load("mga-2017")
    headers = ["id", "SO", "edo", "Niv", "ts", "GA", "tg.ai", "comentario", "clave", "tipo_sujeto", " TG "]
    assert _apertura.column_roles(e, headers) == [
        "id", "name", "jurisdiction", "level", "type", "node", "node", "meta", "id", "type", "node"]
    # A long table has no node columns.
    assert "node" not in _apertura.column_roles(e, ["institution", "node", "value"])


def test_canonical_metadata_reads_like_the_row_path() -> None:
    e = apertura.Edition.load("mga-2017")
    assert _apertura.canonical_metadata(e, "edo", "jurisdiction", ["CDMX", " Jalisco ", ""]) == [
        "Ciudad de México", "Jalisco", None]
    assert _apertura.canonical_metadata(e, "edo", "jurisdiction", ["Narnia"]) is None
    assert _apertura.canonical_metadata(e, "tipo", "type", ["Autonomo", "Otro "]) == ["Autónomo", "Otro"]


def test_distinct_objects() -> None:
    a, b = "Jalisco", "Yucatán"
    arr = np.array([a, b, a, a, b, None], dtype=object)
    assert _apertura.distinct_objects(arr, 64) == [a, b, None]
    assert _apertura.distinct_objects(arr, 2) is None
    assert _apertura.distinct_objects(arr[::2], 64) is None  # not contiguous: the caller hashes


def plain(df: Any) -> List[Dict[str, Any]]:
    out = df.astype(object).where(df.notna(), None).to_dict("records")
    return [{k: (str(v) if k == "quadrant" and v is not None else v) for k, v in r.items()} for r in out]


def test_shared_vectors_through_the_columnar_path() -> None:
    """Every complete case of tests/vectors, as a pandas and a polars frame, reproduces its
    golden scores bit for bit through the column-major path."""
    from conftest import VECTORS
    from test_vectors import _frame_of_csv, load

    taken = 0
    for path in sorted((VECTORS / "cases").glob("*.json")):
        case, golden = load(path), load(VECTORS / "golden" / path.name)
        inp = case["input"]
        if "scores" not in golden or case.get("requests") or case.get("proposals"):
            continue
        df = _frame_of_csv(inp["csv"]) if "csv" in inp else pd.DataFrame.from_records(inp["records"])
        kw = {"weights": case.get("weights"), **case.get("options", {})}
        if not takes_columnar(df, **kw):
            continue
        taken += 1
        got = plain(apertura.score(df, case["edition"], **kw))
        assert got == golden["scores"], path.name
        for row_got, row_golden in zip(got, golden["scores"]):
            for k, v in row_got.items():
                if isinstance(v, float):
                    assert v.hex() == float(row_golden[k]).hex(), (path.name, k)
        assert apertura.score(pl.DataFrame(df.to_dict("list")), case["edition"],
                              **kw).to_dicts() == golden["scores"], path.name
    assert taken >= 8


JURISDICTIONS = ["Jalisco", "CDMX", " Yucatán", "", None, "Narnia", "federal"]
LEVELS = ["Estatal", "municipal", "Federal ", "", None, "Provincial"]
TYPES = ["Partido", "Autonomo", "Otro tipo", "", None]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_columnar_and_row_paths_agree(data: Any) -> None:
    """Random complete frames with random metadata (valid, to be read, invalid, missing):
    the same frame or the same errors by both paths, pandas and polars."""
    n = data.draw(st.integers(min_value=1, max_value=12))
    unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
    cols: Dict[str, Any] = {"id": data.draw(st.lists(st.sampled_from(["a", "b", "c", "d ", "e", "f", "g", "h", "i", "j",
                                                                      "k", "l", "m", "n", "o"]), min_size=n, max_size=n,
                                                     unique=data.draw(st.booleans())))}
    for c in ("tg", "tc", "pg", "pc"):
        cols[c] = data.draw(st.lists(unit, min_size=n, max_size=n))
    for header, vocab in (("edo", JURISDICTIONS), ("nivel", LEVELS), ("tipo", TYPES)):
        if data.draw(st.booleans()):
            cols[header] = data.draw(st.lists(st.sampled_from(vocab), min_size=n, max_size=n))
    for make in (pd.DataFrame, pl.DataFrame):
        df = make(cols)
        try:
            slow = row_path(lambda: apertura.score(df))
        except apertura.InputError as e:
            assert errors_of(lambda: apertura.score(df)) == list(e.errors)
            continue
        same_as_row_path(df)
        del slow


def test_arrow_distinct_tells_apart_cells_alike_at_both_ends() -> None:
    """The distinct scan compares cells by length and their first and last 8 bytes, and
    longer cells in full: cells that agree there but differ in the middle stay apart."""
    pa = pytest.importorskip("pyarrow")
    long_a = "Ciudad de México, zona A, Federal"
    long_b = "Ciudad de México, zona B, Federal"  # same length, head and tail
    cells = ["Jalisco", None, long_a, "abcdefgh12345678", long_b, "abcdefgh87654321", "Jalisco", long_a,
             None, "abcdefghX2345678", "", "é" * 9, "é" * 4 + "ee" + "é" * 4]
    for typ in (pa.string(), pa.large_string(), pa.string_view()):
        got = _apertura.arrow_distinct(pa.array(cells, type=typ), 64)
        assert got == list(dict.fromkeys(cells)), typ
    # In chunks, as a dictionary, and over the limit.
    chunked = pa.chunked_array([pa.array(cells[:5]), pa.array(cells[5:])])
    assert _apertura.arrow_distinct(chunked, 64) == list(dict.fromkeys(cells))
    assert _apertura.arrow_distinct(pa.array(cells).dictionary_encode(), 64) == list(dict.fromkeys(cells))
    assert _apertura.arrow_distinct(pa.array(cells), 3) is None
    assert _apertura.arrow_distinct(pa.array(cells), len(dict.fromkeys(cells))) == list(dict.fromkeys(cells))


def test_leaf_columns_reused_are_copied_on_write_and_chunks_read() -> None:
    """Unchanged leaf columns come back as the input's own (pandas copies them on write);
    a polars frame in several chunks is read as one."""
    df = pd.DataFrame(items_frame())
    before = df.copy(deep=True)
    out = same_as_row_path(df)
    out.loc[0, "tg.ai"] = 0.123
    out.iloc[1, list(out.columns).index("pc.metodo")] = 0.5
    pd.testing.assert_frame_equal(df, before, check_exact=True)
    assert out.loc[0, "tg.ai"] == 0.123
    pdf = pl.DataFrame(items_frame())
    chunked = pl.concat([pdf[:70], pdf[70:150], pdf[150:]], rechunk=False)
    assert chunked["tg.ai"].n_chunks() == 3
    assert takes_columnar(chunked)
    assert apertura.score(chunked).equals(apertura.score(pdf))
    same_as_row_path(chunked)
