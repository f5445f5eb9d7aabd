"""Scoring beyond one machine: score the parts of a large table separately (Dask
partitions, Spark batches), then rank and summarise the concatenated score tables.

Scoring is per institution (every MGA edition: an institution's scores depend on its own
observations only), so each part is scored on its own; ranks, and summaries, are a
reduction over all institutions. :func:`score_partition` scores one part (no rank: a rank
within a part means nothing), :func:`rank` ranks the concatenation exactly as
:func:`apertura.score` ranks the whole (the core's ``Plan::rank_scores``: the edition's
ranking rule, ties, quadrants), and ``apertura.summary(scores, scored=True)`` summarises
it without scoring anything again. Values are never recomputed, so the result equals the
single-process one bit for bit.
"""

from __future__ import annotations

import importlib
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _apertura
from ._errors import InputError, UsageError

__all__ = ["rank", "score_partition", "summary_of_scores"]

_QUADRANTS = ("I", "II", "III", "IV")
# Stand-in values of a one-row table with a partition's columns (see `_stand_in`): valid
# for every edition's reader ("Federal" is a valid jurisdiction, level and type).
_STAND_IN = {"node": 1.0, "id": "apertura-meta", "name": "apertura-meta", "jurisdiction": "Federal",
             "level": "Federal", "type": "Federal"}


def _module(name: str) -> Any:
    """pandas, polars or pyarrow, imported when a frame of theirs is given."""
    return importlib.import_module(name)


def _kind(frame: Any) -> str:
    module = type(frame).__module__.split(".")[0]
    if module == "pandas" and hasattr(frame, "columns") and hasattr(frame, "iloc"):
        return "pandas"
    if module == "polars" and hasattr(frame, "get_columns"):
        return "polars"
    if module == "pyarrow" and hasattr(frame, "schema") and hasattr(frame, "num_rows"):
        return "pyarrow"
    raise UsageError(
        f"expected a pandas or polars DataFrame or a pyarrow Table / RecordBatch (a score table), "
        f"not {type(frame).__name__}",
        "invalid_argument",
    )


def _frame(data: Any) -> Tuple[str, Any]:
    """(kind given, a pandas or polars frame): pyarrow tables and batches as polars
    frames (their buffers shared)."""
    kind = _kind(data)
    if kind == "pyarrow":
        pl = _module("polars")

        return kind, pl.from_arrow(data)
    return kind, data


def _columns(frame: Any, kind: str) -> List[Tuple[str, Any]]:
    if kind == "pandas":
        return [(str(h), col) for h, col in frame.items()]
    return [(s.name, s) for s in frame.get_columns()]


def _float64(header: str, col: Any, kind: str) -> np.ndarray:
    """A node column as contiguous float64 (NaN where missing: pandas NaN / NA, polars null)."""
    try:
        if kind == "pandas":
            arr = col.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            arr = col.cast(float).to_numpy()
    except (TypeError, ValueError) as e:
        raise InputError(
            f"input, column {header!r}: a score column must be numeric ({e}) [not_a_number]",
            [{"code": "not_a_number", "message": f"a score column must be numeric ({e})",
              "text": f"input, column {header!r}: a score column must be numeric [not_a_number]",
              "source": "input", "column": header, "item": header}],
        ) from None
    return np.ascontiguousarray(arr, dtype=np.float64)


def _text(col: Any, kind: str) -> List[Optional[str]]:
    """A metadata column as text cells (``None`` where missing)."""
    if kind == "polars":
        pl = _module("polars")

        return col.cast(pl.String).to_list()
    mask = col.isna().to_numpy()
    values = col.to_numpy(dtype=object)
    if mask.any():
        values = values.copy()
        values[mask] = None
    out = values.tolist()
    if not all(v is None or type(v) is str for v in out):
        out = [v if v is None or type(v) is str else str(v) for v in out]
    return out


def _roles(edition: _apertura.Edition, columns: Sequence[Tuple[str, Any]]) -> List[str]:
    return _apertura.column_roles(edition, [h for h, _ in columns])


def _given(
    edition: _apertura.Edition, data: Any, text_roles: Sequence[str], extra: Sequence[str] = ()
) -> Tuple[str, List[Tuple[str, List[Optional[str]]]], List[Tuple[str, np.ndarray]]]:
    """The frame's node columns (float64) and the metadata columns of ``text_roles`` (and
    the columns named in ``extra``) as text, for the native ``rank_scores``."""
    kind = "pandas" if _kind(data) == "pandas" else "polars"
    columns = _columns(data, kind)
    roles = _roles(edition, columns)
    present = set(roles)
    text: List[Tuple[str, List[Optional[str]]]] = []
    numeric: List[Tuple[str, np.ndarray]] = []
    wanted = set(text_roles)
    if "id" in wanted and "id" not in present:
        wanted.add("name")  # the reader takes the name as the id when there is no id column
    for (header, col), role in zip(columns, roles):
        if role == "node":
            numeric.append((header, _float64(header, col, kind)))
        elif role in wanted or header in extra:
            text.append((header, _text(col, kind)))
    return kind, text, numeric


def _plan_of(edition: Any, options: Dict[str, Any]) -> Tuple[_apertura.Edition, _apertura.Plan]:
    from . import _edition, _plan  # the shared helpers of apertura/__init__.py

    ed = _edition(edition)
    return ed, _plan(ed, None, None, options)


def rank(scores: Any, edition: Any = "mga-2017", *, output: str = "auto", **options: Any) -> Any:
    """Ranks a score table: the ``rank`` and ``quadrant`` columns of the whole, as
    :func:`apertura.score` computes them over all institutions at once.

    ``scores`` is a pandas or polars DataFrame (or a pyarrow Table / RecordBatch) with an
    ``id`` column and the node columns
    of :func:`apertura.score`'s output, typically the concatenation of per-partition score
    tables (:func:`apertura.score_partition` on each part of a Dask frame, or of Spark
    batches). Nothing is scored again: ranks are competition ranks on the index under the
    edition's ranking rule (rounded half up first where the publisher ranked rounded
    scores: GODI), ties sharing the smallest rank; quadrants split both dimensions at
    ``quadrant_split``. Rows may come in any order.

    Returns a new frame of the same kind (``output="pandas" | "polars" | "pyarrow"`` forces
    one): the
    input's columns without any ``rank`` / ``quadrant`` column, then ``rank`` (int64) and
    ``quadrant`` (categorical ``I``..``IV`` in pandas, text in polars), as in
    :func:`apertura.score`; a pandas index is kept. The input is not modified. Keywords are
    the core options that ranking reads (``quadrant_split``, ``incomplete``; others are
    accepted and ignored).

    Raises ``InputError`` naming row, column, institution and value for a missing or
    duplicate id, a missing index or dimension column, a non-numeric, infinite or
    out-of-range score, or a missing index value (NaN) unless ``incomplete="partial"``
    (then it ranks 0); ``EditionError`` for an unknown edition.

    Example:
        >>> import apertura
        >>> import pandas as pd
        >>> parts = [pd.DataFrame({"id": ["a"], "tg": [0.4], "tc": [0.6], "pg": [0.2], "pc": [0.2]}),
        ...          pd.DataFrame({"id": ["b"], "tg": [1.0], "tc": [1.0], "pg": [1.0], "pc": [1.0]})]
        >>> scored = pd.concat([apertura.score_partition(p) for p in parts])
        >>> apertura.rank(scored)[["id", "iga", "rank", "quadrant"]].values.tolist()
        [['a', 0.35, 2, 'III'], ['b', 1.0, 1, 'II']]
    """
    ed, plan = _plan_of(edition, options)
    given_kind, scores = _frame(scores)
    kind, text, numeric = _given(ed, scores, ("id",))
    out_kind = given_kind if output == "auto" else output
    if out_kind not in ("pandas", "polars", "pyarrow"):
        raise UsageError(
            f'output must be "auto", "pandas", "polars" or "pyarrow", not {output!r}', "invalid_option"
        )
    ranks, quadrant = _apertura.rank_scores(plan, text, numeric)
    if kind == "pandas":
        pd = _module("pandas")

        drop = [c for c in ("rank", "quadrant") if c in scores.columns]
        out = scores.drop(columns=drop) if drop else scores.copy(deep=False)
        out["rank"] = ranks
        out["quadrant"] = pd.Categorical.from_codes(quadrant, categories=list(_QUADRANTS))
        if out_kind == "polars":
            pl = _module("polars")

            out = pl.from_pandas(out.astype({"quadrant": object}).reset_index(drop=True))
        elif out_kind == "pyarrow":
            pa = _module("pyarrow")

            out = pa.Table.from_pandas(out, preserve_index=False)
        return out
    pl = _module("polars")

    out = scores.drop([c for c in ("rank", "quadrant") if c in scores.columns])
    out = out.with_columns(
        pl.Series("rank", ranks, dtype=pl.Int64),
        pl.Series("quadrant", np.array([None, *_QUADRANTS], dtype=object)[quadrant + 1].tolist(), dtype=pl.String),
    )
    if out_kind == "pandas":
        return out.to_pandas()
    return out.to_arrow() if out_kind == "pyarrow" else out


def summary_of_scores(
    data: Any, by: str, edition: Any, output: str = "auto", options: Optional[Mapping[str, Any]] = None
) -> Any:
    """``apertura.summary(data, scored=True)``: the summary of a score table as given (see
    :func:`apertura.summary`)."""
    from . import _frames

    ed, plan = _plan_of(edition, dict(options or {}))
    given_kind, data = _frame(data)
    # The grouping column, and the jurisdictions a national mean of jurisdiction means needs.
    kind, text, numeric = _given(ed, data, ("id", "jurisdiction", "level", "type"), extra=(by,))
    try:
        out_kind = _frames.output_kind(output, given_kind, arrow=True)
    except ValueError as e:
        raise UsageError(str(e), "invalid_option") from None
    records = _apertura.summary_scores(plan, text, numeric, by)
    return _frames.records_frame(records, out_kind)


def _stand_in(part: Any, kind: str, edition: _apertura.Edition) -> Any:
    """One row with ``part``'s columns and dtypes, every node 1 (gates open, aggregates
    consistent) and valid metadata: its scores have every column a part with these input
    columns can have."""
    columns = _columns(part, kind)
    roles = _roles(edition, columns)
    if "node" not in roles:
        raise UsageError(
            "score_partition needs a wide table (one row per institution, a column per node): "
            f"no column of {[h for h, _ in columns]} names a node of {edition.id}",
            "invalid_argument",
        )
    if kind == "pandas":
        pd = _module("pandas")

        data: Dict[str, Any] = {}
        for (header, col), role in zip(columns, roles):
            value = _STAND_IN.get(role)
            if role == "node":
                data[header] = pd.Series([value], dtype=np.float64)
                continue
            try:
                data[header] = pd.Series([value], dtype=col.dtype)
            except (TypeError, ValueError):
                data[header] = pd.Series([value], dtype=object)
        return pd.DataFrame(data)
    pl = _module("polars")

    series = []
    for (header, s), role in zip(columns, roles):
        value = _STAND_IN.get(role)
        if role == "node":
            series.append(pl.Series(header, [value], dtype=pl.Float64))
        else:
            try:
                series.append(pl.Series(header, [value], dtype=s.dtype, strict=False))
            except (TypeError, ValueError, pl.exceptions.PolarsError):
                series.append(pl.Series(header, [None], dtype=s.dtype))
    return pl.DataFrame(series)


def score_partition(
    part: Any,
    edition: Any = "mga-2017",
    *,
    gates: Optional[str] = None,
    weights: Optional[Union[Mapping[str, float], Sequence[float]]] = None,
    **options: Any,
) -> Any:
    """Scores one part of a large table (a Dask partition, a Spark batch) for a later
    :func:`apertura.rank` of all parts together.

    ``part`` is a pandas or polars DataFrame or a pyarrow Table / RecordBatch (what Spark's
    ``mapInArrow`` hands over), one row per institution, as :func:`apertura.score` takes
    it; the same kind comes back (a batch as a pyarrow Table); the result is :func:`apertura.score`'s table without
    the ``rank`` column (a rank within one part is not the institution's rank), with the
    same columns for every part that has the same input columns (a node no institution of
    this part has a value for is an all-missing column), and for an empty part (Dask's
    ``meta``): ``ddf.map_partitions(apertura.score_partition, meta=apertura.score_partition(
    ddf._meta))``. Values, quadrants and errors are those of :func:`apertura.score`
    (errors name the row within the part); ids repeated across parts are found by
    :func:`apertura.rank`.

    Raises ``UsageError`` (code ``population_dependent``) for an edition whose scores
    depend on the whole population (min-max rescaled nodes: the ODB): its parts cannot be
    scored separately.

    Example:
        >>> import apertura
        >>> import pandas as pd
        >>> part = pd.DataFrame({"id": ["a"], "tg": [0.4], "tc": [0.6], "pg": [0.2], "pc": [0.2]})
        >>> list(apertura.score_partition(part).columns)[-4:]
        ['tc', 'pg', 'pc', 'quadrant']
    """
    from . import _edition, _plan, score

    ed = _edition(edition)
    plan = _plan(ed, gates, weights, options)
    population = _apertura.population_nodes(plan)
    if population:
        raise UsageError(
            f"{ed.id} rescales {population} over the whole population scored (min-max): "
            "scoring parts separately would give other values; score the whole table",
            "population_dependent",
        )
    given_kind, part = _frame(part)
    if given_kind == "pyarrow":  # a Spark batch: scored as polars, returned as Arrow
        out = score_partition(part, ed, gates=gates, weights=weights, **options)
        return out.to_arrow()
    kind = given_kind
    template = score(_stand_in(part, kind, ed), ed, gates=gates, weights=weights, **options)
    if kind == "pandas":
        template = template.drop(columns=["rank"]).iloc[:0]
        if len(part) == 0:
            return template.set_axis(part.index[:0])
        out = score(part, ed, gates=gates, weights=weights, **options).drop(columns=["rank"])
        if list(out.columns) != list(template.columns):
            out = out.reindex(columns=template.columns)
        return out
    pl = _module("polars")

    template = template.drop("rank").clear()
    if part.height == 0:
        return template
    out = score(part, ed, gates=gates, weights=weights, **options).drop("rank")
    if out.columns != template.columns:
        out = out.select(
            [pl.col(c) if c in out.columns else pl.lit(None, dtype=template.schema[c]).alias(c)
             for c in template.columns]
        )
    return out
