"""Conversion between Python data (pandas, polars, pyarrow and any object with the Arrow
PyCapsule interface, list of dicts, files) and the native module: frames cross column by
column (numeric columns as numpy buffers or Arrow arrays, text columns as Arrow arrays or
one joined string each), results come back as numpy arrays and become the caller's kind of
frame. No scoring happens here.

Missing values follow each library's convention: in pandas NaN, None and ``pd.NA`` are
missing; in Arrow and polars a null is missing (a NaN there is a value, and an error). The
text ``NA`` is not applicable; infinities are errors."""

from __future__ import annotations

import datetime as _dt
import importlib
import math
import os
import sys
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _apertura as _native

PANDAS = "pandas"
POLARS = "polars"
PYARROW = "pyarrow"
RECORDS = "records"

# Separator for joined text columns (ASCII unit separator); a column containing it is
# sent as a list instead.
_SEP = "\x1f"
_MAX_EXACT_INT = 2**53
_QUADRANTS = ("I", "II", "III", "IV")
_QUADRANT_OBJECTS = np.array([None, *_QUADRANTS], dtype=object)


def _module_of(obj: Any) -> str:
    return type(obj).__module__.split(".", 1)[0]


def is_pandas(obj: Any) -> bool:
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(obj, pd.DataFrame)


def is_polars(obj: Any) -> bool:
    pl = sys.modules.get("polars")
    return pl is not None and isinstance(obj, (pl.DataFrame, pl.LazyFrame))


def is_arrow(obj: Any) -> bool:
    """An object with the Arrow PyCapsule interface (a pyarrow table or batch, a DuckDB
    result...), other than a pandas or polars frame."""
    if isinstance(obj, type) or is_pandas(obj) or is_polars(obj):
        return False
    return hasattr(obj, "__arrow_c_stream__") or hasattr(obj, "__arrow_c_array__")


def arrow_table(data: Any) -> Any:
    """An Arrow object as a pyarrow Table, imported once (no copy of the buffers): a
    stream is read to its end once, a query result run once, whichever path scores it."""
    pa = _pyarrow()

    if isinstance(data, pa.Table):
        return data
    columns = _native.arrow_columns(data)
    return pa.Table.from_arrays([pa.chunked_array(c) for _, c in columns], names=[n for n, _ in columns])


def _pyarrow() -> Any:
    try:
        return importlib.import_module("pyarrow")
    except ImportError:  # pragma: no cover (pyarrow is installed with the tests)
        raise TypeError("an Arrow table needs pyarrow installed (pip install pyarrow) for this path") from None


def have_pandas() -> bool:
    try:
        importlib.import_module("pandas")
    except ImportError:
        return False
    return True


def _pandas() -> Any:
    return importlib.import_module("pandas")


def _polars() -> Any:
    return importlib.import_module("polars")


class Input:
    """Data converted for the native module, with what is needed to build the output."""

    def __init__(self, kind: str, dataset: _native.Dataset, index: Any = None, reuse: Optional[List[Any]] = None):
        self.kind = kind  # the caller's kind: pandas, polars, records (list of dicts / file)
        self.dataset = dataset
        self.index = index  # pandas index to keep
        self.reuse = reuse or []  # per text column sent: its values, to reuse when unchanged


# --------------------------------------------------------------------------- cells


def cell_text(v: Any) -> str:
    """One cell as text for the core's cell parser (exact for floats: shortest repr)."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return str(v)


def _text_payload(values: List[Any]) -> Tuple[Any, bool, List[str]]:
    """A list of cells -> (payload for the native module, whether every cell was a str,
    the cells as sent)."""
    try:
        joined = _SEP.join(values)
        pure = True
    except TypeError:
        values = [cell_text(v) for v in values]
        joined = _SEP.join(values)
        pure = False
    n = len(values)
    if n and joined.count(_SEP) == n - 1:
        return (joined, _SEP, n), pure, values
    return values, pure, values


# --------------------------------------------------------------------------- pandas


def _pandas_numeric(col: Any, nan_ok: bool = False) -> Optional[np.ndarray]:
    """A float64 array if the column is numeric without missing markers, else None.
    ``nan_ok``: keep NaN (the column-major path, whose kernel declines it)."""
    pd = _pandas()

    dtype = col.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind == "f":
            arr = np.ascontiguousarray(col.to_numpy(), dtype=np.float64)
            # pandas' missing value: NaN cells cross as empty text (missing).
            return None if not nan_ok and np.isnan(arr).any() else arr
        if dtype.kind in "iu":
            arr = col.to_numpy()
            if arr.size and (arr.max() > _MAX_EXACT_INT or arr.min() < -_MAX_EXACT_INT):
                return None
            return arr.astype(np.float64)
        if dtype.kind == "b":
            return col.to_numpy().astype(np.float64)
        return None
    # Extension dtypes (Float64, Int64, boolean): numeric only without pd.NA.
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        if col.isna().any():
            return None
        return np.ascontiguousarray(col.to_numpy(dtype=np.float64))
    return None


def _pandas_text(col: Any) -> Tuple[Any, Any]:
    """A text column -> (payload, values to reuse in the output if unchanged)."""
    mask = col.isna()
    missing = bool(mask.any())
    if missing:
        values = col.astype(object).where(~mask, "").tolist()
    else:
        values = col.tolist()
    payload, pure, sent = _text_payload(values)
    # Unchanged output columns are taken from the input instead of crossing back.
    reuse = col.array if (pure and not missing) else sent
    return payload, reuse


def from_pandas(df: Any, edition: _native.Edition, source: str = "input") -> Input:
    text: List[Tuple[str, Any]] = []
    numeric: List[Tuple[str, np.ndarray]] = []
    reuse: List[Any] = []
    for name, col in df.items():
        header = str(name)
        arr = _pandas_numeric(col)
        if arr is not None:
            numeric.append((header, arr))
        else:
            payload, original = _pandas_text(col)
            text.append((header, payload))
            reuse.append(original)
    dataset = _native.Dataset.from_columns(edition, text, numeric, source)
    return Input(PANDAS, dataset, index=df.index, reuse=reuse)


# --------------------------------------------------------------------------- polars


def from_polars(df: Any, edition: _native.Edition, source: str = "input") -> Input:
    pl = _polars()

    if isinstance(df, pl.LazyFrame):
        df = df.collect()
    text: List[Tuple[str, Any]] = []
    numeric: List[Tuple[str, np.ndarray]] = []
    reuse: List[Any] = []
    for s in df.get_columns():
        dtype = s.dtype
        nulls = s.null_count()
        if (dtype.is_numeric() or dtype == pl.Boolean) and nulls == 0:
            if dtype.is_integer() and s.len() and (s.max() > _MAX_EXACT_INT or s.min() < -_MAX_EXACT_INT):
                pass  # beyond float64's exact integers: send as text
            else:
                numeric.append((s.name, np.ascontiguousarray(s.cast(pl.Float64).to_numpy(), dtype=np.float64)))
                continue
        if dtype == pl.String and nulls == 0:
            payload, pure, sent = _text_payload(s.to_list())
            text.append((s.name, payload))
            reuse.append(s if pure else sent)
            continue
        values = ["" if v is None else cell_text(v) for v in s.to_list()]
        payload, _, sent = _text_payload(values)
        text.append((s.name, payload))
        reuse.append(sent)
    dataset = _native.Dataset.from_columns(edition, text, numeric, source)
    return Input(POLARS, dataset, reuse=reuse)


# --------------------------------------------------------------------------- Arrow


def from_arrow(data: Any, edition: _native.Edition, source: str = "input") -> Input:
    """The row path of an Arrow table (nulls missing, NaN an error as a value)."""
    pa = _pyarrow()

    table = arrow_table(data)
    text: List[Tuple[str, Any]] = []
    numeric: List[Tuple[str, np.ndarray]] = []
    reuse: List[Any] = []
    for name, col in zip(table.column_names, table.columns):
        t = col.type
        exact = not (pa.types.is_int64(t) or pa.types.is_uint64(t)) or (
            len(col) == 0 or max(abs(int(v)) for v in (col.to_numpy().min(), col.to_numpy().max())) <= _MAX_EXACT_INT
        )
        if (pa.types.is_floating(t) or pa.types.is_integer(t) or pa.types.is_boolean(t)) and col.null_count == 0 and exact:
            numeric.append((name, np.ascontiguousarray(col.to_numpy(), dtype=np.float64)))
            continue
        values = ["" if v is None else cell_text(v) for v in col.to_pylist()]
        payload, _, sent = _text_payload(values)
        text.append((name, payload))
        reuse.append(sent)
    dataset = _native.Dataset.from_columns(edition, text, numeric, source)
    return Input(PYARROW, dataset, reuse=reuse)


def _pyarrow_scores(header, meta, nodes, values, rank, quadrant) -> Any:
    pa = _pyarrow()

    m = len(rank)
    cols: Dict[str, Any] = {}
    id_values = None
    for pos, (name, mt) in enumerate(zip(header[:5], meta)):
        col = _meta_column(mt, m, id_values)
        if pos == 0:
            id_values = col
        if isinstance(col, list):
            col = pa.array(col, type=pa.string())
        elif isinstance(col, pa.Array) and col.type == pa.large_string():
            col = col.cast(pa.string())
        cols[name] = col
    for j, name in enumerate(nodes):
        cols[name] = pa.array(values[j], type=pa.float64(), from_pandas=True)  # NaN -> null
    cols["rank"] = pa.array(rank, type=pa.int64())
    cols["quadrant"] = _arrow_quadrant(pa, np.asarray(quadrant, dtype=np.int8) - 1)
    return pa.table(cols)


def _arrow_quadrant(pa: Any, codes: np.ndarray) -> Any:
    """Quadrant codes (-1 none, 0..3 = I..IV) as a dictionary array of I..IV."""
    indices = pa.array(codes, type=pa.int8(), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(_QUADRANTS), type=pa.string()))


# --------------------------------------------------------------------------- records, files


def _check_records(records: Sequence[Any]) -> Sequence[Any]:
    """NaN and infinities cannot cross as JSON numbers (they would become null, i.e.
    missing): send them as text so the core reports them instead of skipping them."""
    out: Optional[List[Any]] = None
    for k, rec in enumerate(records):
        if not isinstance(rec, Mapping):
            continue
        bad = [key for key, v in rec.items() if isinstance(v, (float, np.floating)) and not math.isfinite(v)]
        if bad:
            if out is None:
                out = list(records)
            fixed = dict(rec)
            for key in bad:
                fixed[key] = repr(float(rec[key]))
            out[k] = fixed
    return records if out is None else out


def from_records(records: Any, edition: _native.Edition, source: str = "input") -> Input:
    if isinstance(records, Mapping):
        inner = records.get("institutions")
        if isinstance(inner, (list, tuple)):
            records = {**records, "institutions": list(_check_records(inner))}
    else:
        records = list(_check_records(records))
    return Input(RECORDS, _native.Dataset.from_records(edition, records, source))


def from_bytes(data: bytes, edition: _native.Edition, source: str, where: Optional[List[str]] = None) -> Input:
    return Input(RECORDS, _native.Dataset.from_bytes(edition, data, source, where))


def row_filters(where: Any) -> Optional[List[str]]:
    """``where=`` as the native reader takes it: ``"year=2015"``, a list of such strings,
    or a dict ``{"year": 2015}`` (each ``COLUMN=VALUE``); None or empty: no filter."""
    if where is None:
        return None
    if isinstance(where, str):
        filters = [where]
    elif isinstance(where, Mapping):
        filters = [f"{k}={cell_text(v)}" for k, v in where.items()]
    elif isinstance(where, (list, tuple)) and all(isinstance(w, str) for w in where):
        filters = list(where)
    else:
        raise TypeError(
            f"where must be 'COLUMN=VALUE', a list of such strings or a dict, not {type(where).__name__}"
        )
    return filters or None


def read(data: Any, edition: _native.Edition, where: Any = None) -> Input:
    """Any supported input -> Input. ``where`` filters the rows of a CSV file or bytes."""
    filters = row_filters(where)
    if isinstance(data, _native.Dataset) or is_pandas(data) or is_polars(data) or is_arrow(data) or (
        not isinstance(data, (str, os.PathLike, bytes, bytearray, memoryview)) and not hasattr(data, "read")
    ):
        if filters:
            from ._errors import UsageError

            raise UsageError(
                "invalid_option: where= filters the rows of a CSV file or bytes; filter a frame or "
                "records before passing them",
                "invalid_option",
            )
    if isinstance(data, _native.Dataset):
        return Input(RECORDS, data)
    if is_pandas(data):
        return from_pandas(data, edition)
    if is_polars(data):
        return from_polars(data, edition)
    if is_arrow(data):
        return from_arrow(arrow_table(data), edition)
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        with open(path, "rb") as f:
            content = f.read()
        return from_bytes(content, edition, path, filters)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return from_bytes(bytes(data), edition, "input", filters)
    if hasattr(data, "read"):
        content = data.read()
        if isinstance(content, str):
            content = content.encode("utf-8")
        return from_bytes(content, edition, str(getattr(data, "name", "input")), filters)
    if isinstance(data, Mapping) or isinstance(data, (list, tuple)):
        return from_records(data, edition)
    raise TypeError(
        "data must be a pandas or polars DataFrame, an Arrow table (an object with __arrow_c_stream__), "
        "a list of dicts, a path to a CSV or JSON file, "
        f"bytes or a file object, not {type(data).__name__}"
    )


def output_kind(requested: str, given: str, arrow: bool = False) -> str:
    """The kind of frame to return; ``arrow``: whether the caller can return pyarrow tables
    (else an Arrow input gives pandas, or records without pandas)."""
    if requested == "auto":
        if given in (PANDAS, POLARS) or (given == PYARROW and arrow):
            return given
        return PANDAS if have_pandas() else RECORDS
    kinds = (PANDAS, POLARS, PYARROW, RECORDS) if arrow else (PANDAS, POLARS, RECORDS)
    if requested not in kinds:
        names = ", ".join(repr(k) for k in ("auto", *kinds))
        raise ValueError(f"output must be one of {names}, not {requested!r}")
    return requested


# --------------------------------------------------------------------------- plain values


def plain(v: Any) -> Any:
    """A cell of a request/proposal frame as a plain JSON-like value."""
    if v is None:
        return None
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, _dt.datetime):
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else str(v.astype("datetime64[D]"))
    pd = sys.modules.get("pandas")
    if pd is not None and (v is pd.NaT or v is pd.NA):
        return None
    return v


def records_of(obj: Any, what: str) -> List[Dict[str, Any]]:
    """Request-level observations (a frame or a list of dicts) -> list of plain dicts;
    missing cells are left out so the core's defaults apply."""
    if is_pandas(obj):
        rows = obj.to_dict("records")
    elif is_polars(obj):
        pl = _polars()

        rows = (obj.collect() if isinstance(obj, pl.LazyFrame) else obj).to_dicts()
    elif isinstance(obj, (list, tuple)):
        rows = list(obj)
    else:
        raise TypeError(f"{what} must be a pandas or polars DataFrame or a list of dicts, not {type(obj).__name__}")
    out = []
    for r in rows:
        if not isinstance(r, Mapping):
            raise TypeError(f"{what} must be a list of dicts")
        clean = {str(k): plain(v) for k, v in r.items()}
        out.append({k: v for k, v in clean.items() if v is not None})
    return out


# --------------------------------------------------------------------------- output


def columns_frame(plan: _native.Plan, given: Input, kind: str) -> Any:
    """The score table of complete item-level data (a file, records...) straight from the
    column kernel (``Plan.table_of_columns``: the bits of ``Plan.score``, no row-major
    scores), in the requested kind of frame; None if ``Plan.score`` must score it."""
    if kind == RECORDS:
        return None
    same_input = given.kind == kind
    table = plan.table_of_columns(given.dataset, _arrow_text(kind), same_input)
    return None if table is None else _table_frame(table, given, kind, same_input)


def score_frame(scores: _native.Scores, plan: _native.Plan, given: Input, kind: str) -> Any:
    """The score table in the requested kind of frame."""
    if kind == RECORDS:
        return scores.records(plan)
    same_input = given.kind == kind
    table = scores.table(plan, given.dataset if same_input else None, _arrow_text(kind))
    return _table_frame(table, given, kind, same_input)


def _table_frame(table: Any, given: Input, kind: str, same_input: bool) -> Any:
    """``(header, text, values, rank, quadrant)`` (``Scores.table``, or
    ``Plan.table_of_columns`` with ``values`` a list of columns) as a frame."""
    header, text, values, rank, quadrant = table
    k = len(values)
    nodes = header[5 : 5 + k]
    meta: List[Tuple[str, Any]] = []
    for what, payload in text:
        # ("input", k): equal to the k-th text column sent, reuse it as is.
        meta.append(("input", given.reuse[payload]) if what == "input" else (what, payload))
    if kind == PANDAS:
        return _pandas_scores(header, meta, nodes, values, rank, quadrant, given, same_input)
    if kind == PYARROW:
        return _pyarrow_scores(header, meta, nodes, values, rank, quadrant)
    return _polars_scores(header, meta, nodes, values, rank, quadrant, given)


_TEXT_DTYPE: List[Any] = []  # pandas' dtype of a column made from a list of str, if Arrow-backed


def _pandas_text_dtype(pd: Any) -> Any:
    """The dtype pandas gives a column made from a list of str when it stores them as
    Arrow ``large_string`` (pandas 3's ``str`` with pyarrow installed), else None."""
    if not _TEXT_DTYPE:
        dtype = pd.Series(["a", None]).dtype
        arrow = getattr(dtype, "storage", None) == "pyarrow"
        _TEXT_DTYPE.append(dtype if arrow else None)
    return _TEXT_DTYPE[0]


def _arrow_text(kind: str) -> bool:
    """Whether the score table's text columns can come as Arrow arrays built in Rust (one
    buffer each, no Python string per cell) for this kind of frame: pyarrow installed and,
    for pandas, text columns stored as Arrow (the same dtype a list of str would give)."""
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        return False
    return kind != PANDAS or _pandas_text_dtype(_pandas()) is not None


def _meta_column(meta: Tuple[str, Any], m: int, id_values: Any) -> Any:
    what, payload = meta
    if what == "input":
        return payload
    if what == "id":
        return id_values
    if what == "null":
        return [None] * m
    return payload


def _pandas_scores(header, meta, nodes, values, rank, quadrant, given: Input, same_input: bool) -> Any:
    pd = _pandas()

    m = len(rank)
    # The input's index, unless rows are not institutions (a long table).
    index = given.index if (same_input and given.index is not None and len(given.index) == m) else None
    if isinstance(values, list):  # one array per node (owned: shared, not copied)
        df = pd.DataFrame(dict(zip(nodes, values)), index=index, copy=False)
    else:
        df = pd.DataFrame(values.T, columns=nodes, index=index, copy=False)
    id_values = None
    for pos, (name, mt) in enumerate(zip(header[:5], meta)):
        col = _meta_column(mt, m, id_values)
        if pos == 0:
            id_values = col
        if mt[0] in ("values", "id") and not isinstance(col, list) and hasattr(col, "to_pandas"):
            # A pyarrow large_string array: pandas' own str storage, no copy.
            dtype = _pandas_text_dtype(pd)
            col = col.to_pandas(types_mapper=lambda _t: dtype).array
        df.insert(pos, name, col)
    df["rank"] = rank
    df["quadrant"] = pd.Categorical.from_codes(quadrant.astype(np.int64) - 1, categories=list(_QUADRANTS))
    return df


def _polars_scores(header, meta, nodes, values, rank, quadrant, given: Input) -> Any:
    pl = _polars()

    m = len(rank)
    cols: List[Any] = []
    id_values = None
    for pos, (name, mt) in enumerate(zip(header[:5], meta)):
        col = _meta_column(mt, m, id_values)
        if pos == 0:
            id_values = col
        if isinstance(col, pl.Series):
            cols.append(col.alias(name))
        elif not isinstance(col, list) and hasattr(col, "__arrow_c_array__"):
            cols.append(pl.Series(name, col, dtype=pl.String))
        else:
            cols.append(pl.Series(name, col, dtype=pl.String))
    for j, name in enumerate(nodes):
        cols.append(pl.Series(name, values[j], dtype=pl.Float64, nan_to_null=True))
    cols.append(pl.Series("rank", rank, dtype=pl.Int64))
    cols.append(pl.Series("quadrant", _QUADRANT_OBJECTS[quadrant].tolist(), dtype=pl.String))
    return pl.DataFrame(cols)


# --------------------------------------------------------------------------- column-major path
#
# A frame whose node columns are all numeric without missing values is scored by the
# core's column-major kernel (``Plan::score_columns``: the same bits as the row path): node
# columns are read in place, results come back as numpy arrays that own the core's
# vectors, and the metadata columns are reused in the output instead of crossing to Rust
# and back (only their distinct values are read, by the core's reader). Whatever this path
# does not handle takes the row path, which also reports every input error (so both paths
# raise the same errors).

# Set to False to force the row path (the tests compare the two).
COLUMNAR = True

_META_ROLES = ("jurisdiction", "level", "type")
# Distinct cell objects looked for by pointer before hashing them all (``set``).
_FEW = 64
_QUADRANT_DTYPE: List[Any] = []  # the pandas CategoricalDtype of quadrants, made once


class _RowPath(Exception):
    """The column-major path does not apply: score by the row path."""


def score_columnar(data: Any, edition: _native.Edition, plan: _native.Plan, output: str) -> Any:
    """The score table of a complete frame (pandas, polars, or any Arrow table) by the
    column-major path, in the requested kind of frame; None if the row path must score it
    instead."""
    if not COLUMNAR:
        return None
    try:
        if is_pandas(data):
            if output in ("auto", PANDAS):
                return _pandas_columnar(data, edition, plan)
        elif is_polars(data):
            if output in ("auto", POLARS):
                return _polars_columnar(data, edition, plan)
        elif is_arrow(data) and output in ("auto", PYARROW, POLARS, PANDAS):
            return _arrow_columnar(data, edition, plan, PYARROW if output == "auto" else output)
    except _RowPath:
        pass
    return None


def _roles(
    edition: _native.Edition, columns: Sequence[Tuple[str, Any]]
) -> Tuple[List[Tuple[str, Any]], Dict[str, Tuple[str, Any]]]:
    """(node columns, {role: (header, column)} for id, name, jurisdiction, level, type),
    roles as the core's reader assigns them; other columns are left out (the score table
    does not show them)."""
    headers = [h for h, _ in columns]
    if not columns or len(set(headers)) != len(headers):
        raise _RowPath
    nodes: List[Tuple[str, Any]] = []
    meta: Dict[str, Tuple[str, Any]] = {}
    for (header, col), role in zip(columns, _native.column_roles(edition, headers)):
        if role == "node":
            nodes.append((header, col))
        elif role != "meta":
            if role in meta:
                raise _RowPath  # two columns for one role
            meta[role] = (header, col)
    if not nodes or ("id" not in meta and "name" not in meta):
        raise _RowPath  # no node columns (or a long table), or no ids
    return nodes, meta


def _joined(values: Any) -> Tuple[str, str, int]:
    """A text column (every cell a str) as the native module's payload. (Not counted here:
    if a cell holds the separator, the native side finds too many cells and declines.)"""
    try:
        return (_SEP.join(values), _SEP, len(values))
    except TypeError:
        raise _RowPath from None  # a missing cell, a number...


def _pandas_text_column(col: Any) -> Any:
    """A pandas text column as it crosses to the native module: the Series itself (Arrow
    PyCapsule, its buffers shared) when Arrow holds its strings, else joined."""
    if _arrow_backed(col):
        return col
    return _joined(col.to_numpy())


def _arrow_backed(col: Any) -> bool:
    dtype = col.dtype
    return (
        not isinstance(dtype, np.dtype)
        and getattr(dtype, "storage", None) == "pyarrow"
        or type(dtype).__name__ == "ArrowDtype"
    ) and hasattr(col, "__arrow_c_stream__")


def _canonical(
    edition: _native.Edition, header: str, role: str, distinct: Sequence[Any], is_na: Any
) -> Dict[Any, Any]:
    """The output value of each distinct cell of a jurisdiction / level / type column, as
    the core's reader gives it (a missing cell -> None)."""
    texts = [v for v in distinct if isinstance(v, str)]
    mapping: Dict[Any, Any] = {}
    for v in distinct:
        if not isinstance(v, str):
            if not is_na(v):
                raise _RowPath  # a number in a text column...
            mapping[v] = None
    canonical = _native.canonical_metadata(edition, header, role, texts) if texts else []
    if canonical is None:
        raise _RowPath  # a value the reader rejects: the row path reports it
    mapping.update(zip(texts, canonical))
    return mapping


def _unchanged(mapping: Mapping[Any, Any]) -> bool:
    return all(isinstance(k, str) and k == v for k, v in mapping.items())


def _pandas_shares_safely(pd: Any) -> bool:
    """Whether a new frame may share the input's columns: pandas copies them on write."""
    if int(pd.__version__.split(".", 1)[0]) >= 3:
        return True
    try:
        return pd.options.mode.copy_on_write is True
    except (AttributeError, KeyError):  # pragma: no cover (pandas < 2)
        return False


def _pandas_meta(pd: Any, edition: _native.Edition, header: str, role: str, col: Any) -> Any:
    """A jurisdiction / level / type output column: the input column itself when every
    value is already as the reader writes it, else the values mapped (None: all missing)."""
    got = _native.arrow_distinct(col, _FEW) if _arrow_backed(col) else None
    if got is not None:
        distinct: Any = got
        arr = None
    else:
        arr = col.to_numpy()
        if arr.dtype != object:
            raise _RowPath
        try:
            distinct = set(_native.distinct_objects(arr, _FEW) or arr)
        except TypeError:
            raise _RowPath from None  # unhashable cells
    mapping = _canonical(edition, header, role, list(distinct), lambda v: v is None or bool(pd.isna(v)))
    if _unchanged(mapping):
        return col
    if all(v is None for v in mapping.values()):
        return None
    codes, uniques = pd.factorize(col.to_numpy() if arr is None else arr)
    lut = np.empty(len(uniques) + 1, dtype=object)  # the last entry (None) for code -1
    lut[:-1] = [mapping[u] for u in uniques]
    return lut[codes]


def _pandas_columnar(df: Any, edition: _native.Edition, plan: _native.Plan) -> Any:
    pd = _pandas()

    m = len(df)
    if m == 0:
        raise _RowPath
    nodes_in, meta = _roles(edition, [(str(h), col) for h, col in df.items()])
    numeric: List[Tuple[str, np.ndarray]] = []
    # Per node column, what the output shows if the kernel leaves it unchanged: the
    # Series itself when it is float64 (shared, copied on write), else its float64 values.
    unchanged: List[Any] = []
    for header, col in nodes_in:
        arr = _pandas_numeric(col, nan_ok=True)  # NaN: the kernel declines, the row path reads it
        if arr is None:
            raise _RowPath  # missing or text cells
        numeric.append((header, arr))
        unchanged.append(col if isinstance(col.dtype, np.dtype) and col.dtype == np.float64 else arr)
    id_col = meta["id"][1] if "id" in meta else meta["name"][1]
    ids = _pandas_text_column(id_col)
    names = _pandas_text_column(meta["name"][1]) if "id" in meta and "name" in meta else None
    out_meta = {r: _pandas_meta(pd, edition, meta[r][0], r, meta[r][1]) for r in _META_ROLES if r in meta}
    scored = _native.score_columns(plan, ids, names, numeric)
    if scored is None:
        raise _RowPath  # an input problem: the row path reports it
    nodes, values, rank, quadrant = scored
    index = df.index
    share = _pandas_shares_safely(pd)

    def reuse(col: Any) -> Any:
        return col.copy() if not share and isinstance(col, pd.Series) else col

    columns: Dict[str, Any] = {"id": reuse(id_col)}
    columns["name"] = reuse(meta["name"][1] if names is not None else id_col)
    missing = None
    for role in _META_ROLES:
        got = out_meta.get(role)
        if got is None:
            if missing is None:  # all missing: object dtype, as in the row path
                missing = pd.Series(np.empty(m, dtype=object), index=index, dtype=object, copy=False)
            got = missing
        columns[role] = reuse(got)
    for name, v in zip(nodes, values):
        # An int: the kernel left the k-th node column as given.
        columns[name] = reuse(unchanged[v]) if isinstance(v, int) else v
    columns["rank"] = rank
    if not _QUADRANT_DTYPE:
        _QUADRANT_DTYPE.append(pd.CategoricalDtype(list(_QUADRANTS)))
    try:
        columns["quadrant"] = pd.Categorical.from_codes(quadrant, dtype=_QUADRANT_DTYPE[0], validate=False)
    except TypeError:  # pragma: no cover (pandas < 2.1: no `validate`)
        columns["quadrant"] = pd.Categorical.from_codes(quadrant, dtype=_QUADRANT_DTYPE[0])
    return pd.DataFrame(columns, index=index, copy=False)


def _polars_numeric(pl: Any, s: Any) -> Any:
    """A numeric column without nulls as it crosses: the Series (Arrow PyCapsule; the
    native side reads Float64 in place, casts the rest, declines nulls), or as float64."""
    dtype = s.dtype
    if not (dtype.is_numeric() or dtype == pl.Boolean) or s.null_count():
        raise _RowPath
    if hasattr(s, "__arrow_c_stream__"):
        return s
    if dtype.is_integer() and s.len() and (s.max() > _MAX_EXACT_INT or s.min() < -_MAX_EXACT_INT):
        raise _RowPath  # pragma: no cover (polars < 1.2)
    return np.ascontiguousarray(s.cast(pl.Float64).to_numpy(), dtype=np.float64)  # pragma: no cover


def _polars_text(pl: Any, s: Any) -> Any:
    """A String column without nulls as it crosses: the Series (Arrow PyCapsule), or joined."""
    if s.dtype != pl.String or s.null_count():
        raise _RowPath
    if hasattr(s, "__arrow_c_stream__"):
        return s
    return (s.str.join(_SEP).item(), _SEP, s.len())  # pragma: no cover (polars < 1.2)


def _polars_meta(pl: Any, edition: _native.Edition, header: str, role: str, s: Any) -> Any:
    if s.dtype != pl.String:
        raise _RowPath
    # Distinct values by a scan of the Arrow buffers (no copy), else polars' unique().
    distinct = _native.arrow_distinct(s, _FEW) if hasattr(s, "__arrow_c_stream__") else None
    mapping = _canonical(edition, header, role, s.unique().to_list() if distinct is None else distinct, lambda v: v is None)
    if _unchanged(mapping):
        return s.alias(role)
    texts = [k for k in mapping if k is not None]
    if all(mapping[k] is None for k in texts):
        return pl.repeat(None, s.len(), dtype=pl.String, eager=True).alias(role)
    return s.replace_strict(texts, [mapping[k] for k in texts], default=None, return_dtype=pl.String).alias(role)


def _polars_columnar(df: Any, edition: _native.Edition, plan: _native.Plan) -> Any:
    pl = _polars()

    if isinstance(df, pl.LazyFrame):
        df = df.collect()
    m = df.height
    if m == 0:
        raise _RowPath
    nodes_in, meta = _roles(edition, [(s.name, s) for s in df.get_columns()])
    numeric = [(header, _polars_numeric(pl, s)) for header, s in nodes_in]
    id_col = meta["id"][1] if "id" in meta else meta["name"][1]
    ids = _polars_text(pl, id_col)
    names = _polars_text(pl, meta["name"][1]) if "id" in meta and "name" in meta else None
    cols: List[Any] = [id_col.alias("id"), (meta["name"][1] if names is not None else id_col).alias("name")]
    for role in _META_ROLES:
        if role in meta:
            cols.append(_polars_meta(pl, edition, meta[role][0], role, meta[role][1]))
        else:
            cols.append(pl.repeat(None, m, dtype=pl.String, eager=True).alias(role))
    scored = _native.score_columns(plan, ids, names, numeric)
    if scored is None:
        raise _RowPath
    nodes, values, rank, quadrant = scored
    for name, v in zip(nodes, values):
        if isinstance(v, int):  # the v-th node column, as given: shared (or cast)
            s = nodes_in[v][1]
            cols.append((s if s.dtype == pl.Float64 else s.cast(pl.Float64)).alias(name))
        else:
            cols.append(pl.Series(name, v, dtype=pl.Float64))
    cols.append(pl.Series("rank", rank, dtype=pl.Int64))
    cols.append(
        pl.Series("quadrant", quadrant, dtype=pl.Int8).replace_strict(
            [0, 1, 2, 3], list(_QUADRANTS), default=None, return_dtype=pl.String
        )
    )
    return pl.DataFrame(cols)


def _arrow_columnar(data: Any, edition: _native.Edition, plan: _native.Plan, kind: str) -> Any:
    """Any Arrow table (pyarrow, DuckDB, ...) by the column-major path: the columns are
    imported once (no copy), node columns read in place, and the output reuses the input's
    text columns."""
    pa = _pyarrow()

    columns = _native.arrow_columns(data)
    if not columns or len(columns[0][1]) == 0:
        raise _RowPath
    m = len(columns[0][1])
    nodes_in, meta = _roles(edition, columns)
    id_col = meta["id"][1] if "id" in meta else meta["name"][1]
    name_col = meta["name"][1] if "name" in meta else id_col
    out_meta: Dict[str, Any] = {}
    for role in _META_ROLES:
        if role not in meta:
            continue
        header, col = meta[role]
        distinct = _native.arrow_distinct(col, _FEW)
        if distinct is None:
            raise _RowPath
        mapping = _canonical(edition, header, role, distinct, lambda v: v is None)
        if not _unchanged({k: v for k, v in mapping.items() if k is not None}) or (
            None in mapping and len(mapping) > 1
        ):
            raise _RowPath  # values the reader rewrites: the row path writes them
        out_meta[role] = None if set(mapping) == {None} else col
    scored = _native.score_columns(
        plan, id_col, name_col if name_col is not id_col else None, [(h, c) for h, c in nodes_in]
    )
    if scored is None:
        raise _RowPath
    nodes, values, rank, quadrant = scored
    cols: Dict[str, Any] = {"id": pa.chunked_array(id_col), "name": pa.chunked_array(name_col)}
    for role in _META_ROLES:
        got = out_meta.get(role)
        cols[role] = pa.chunked_array(got) if got is not None else pa.nulls(m, pa.string())
    for name, v in zip(nodes, values):
        if isinstance(v, int):  # the v-th node column, as given: shared (or cast)
            col = pa.chunked_array(nodes_in[v][1])
            cols[name] = col if col.type == pa.float64() else col.cast(pa.float64())
        else:
            # Zero-copy from the numpy array unless a value is unknown (NaN -> null, a mask).
            cols[name] = pa.array(v, type=pa.float64(), from_pandas=bool(np.isnan(v).any()))
    cols["rank"] = pa.array(rank, type=pa.int64())
    cols["quadrant"] = _arrow_quadrant(pa, np.asarray(quadrant, dtype=np.int8))
    table = pa.table(cols)
    if kind == PYARROW:
        return table
    if kind == POLARS:
        return _polars().from_arrow(table)
    return table.to_pandas()


def records_frame(records: Sequence[Mapping[str, Any]], kind: str, columns: Optional[Sequence[str]] = None) -> Any:
    """A small table (summary, gaps, explanation) as the requested kind of frame."""
    if kind == RECORDS:
        return [dict(r) for r in records]
    if kind == PYARROW:
        pa = _pyarrow()

        if not records and columns is not None:
            return pa.table({c: pa.nulls(0) for c in columns})
        return pa.Table.from_pylist([dict(r) for r in records])
    if kind == PANDAS:
        pd = _pandas()

        return pd.DataFrame.from_records(records, columns=list(columns) if columns is not None else None)
    pl = _polars()

    if columns is not None and not records:
        return pl.DataFrame(schema=list(columns))
    return pl.DataFrame(records, infer_schema_length=None)
