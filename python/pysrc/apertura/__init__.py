"""apertura: the scoring engine of Mexico's Métrica de Gobierno Abierto (MGA), in Python.

The Rust core, unchanged, as a native extension (``apertura._apertura``); this package adds
only conversions between pandas / polars / lists of dicts and the core, and plotting.

Example:
    >>> import apertura
    >>> rows = [{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
    ...         {"id": "b", "tg": 1, "tc": 1, "pg": 1, "pc": 1}]
    >>> out = apertura.score(rows, output="records")
    >>> [(r["id"], r["iga"], r["rank"]) for r in out]
    [('a', 0.35, 2), ('b', 1.0, 1)]
"""

from __future__ import annotations

import datetime as _dt
from typing import Any as _Any, Dict as _Dict, List as _List, Mapping as _Mapping
from typing import Optional as _Optional, Sequence as _Sequence, Tuple as _Tuple, Union as _Union

from . import _apertura
from . import _frames
from ._apertura import Edition, __version__, editions
from ._errors import AperturaError, EditionError, InputError, Problem, RobustnessError, UsageError

__all__ = [
    "AperturaError",
    "Comparison",
    "Edition",
    "EditionError",
    "InputError",
    "Improvement",
    "Distribution",
    "Outputs",
    "Problem",
    "RobustnessError",
    "SensitivityResult",
    "UncertaintyResult",
    "UsageError",
    "__version__",
    "catalogue",
    "compare",
    "editions",
    "explain",
    "ficha",
    "gaps",
    "improve",
    "rank",
    "score",
    "score_partition",
    "sensitivity",
    "summary",
    "uncertainty",
]

_EditionLike = _Union[str, Edition]
_Weights = _Union[_Mapping[str, float], _Sequence[float]]
# Row filters of a CSV file: "year=2015", ["year=2015", "place!=sg"] or {"year": 2015}.
_Where = _Union[None, str, _Sequence[str], _Mapping[str, _Any]]


_LOADED: _Dict[str, Edition] = {}


def _load(edition_id: str) -> Edition:
    """A shipped edition, parsed once per process (editions are immutable)."""
    edition = _LOADED.get(edition_id)
    if edition is None:
        edition = _LOADED[edition_id] = Edition.load(edition_id)
    return edition


def _edition(edition: _EditionLike) -> Edition:
    if isinstance(edition, Edition):
        return edition
    if isinstance(edition, str):
        return _load(edition)
    raise TypeError(f"edition must be an edition id or an apertura.Edition, not {type(edition).__name__}")


def _plan(
    edition: Edition, gates: _Optional[str], weights: _Optional[_Weights], options: _Dict[str, _Any]
) -> _apertura.Plan:
    opts = dict(options)
    if gates is not None:
        opts["gates"] = gates
    if "extra_holidays" in opts:
        opts["extra_holidays"] = [
            d.isoformat() if isinstance(d, _dt.date) else d for d in (opts["extra_holidays"] or [])
        ]
    w: _Any = None
    if weights is not None:
        w = list(weights.items()) if isinstance(weights, _Mapping) else [float(x) for x in weights]
    return _apertura.Plan(edition, opts or None, w)


def _prepare(
    data: _Any,
    edition: _EditionLike,
    gates: _Optional[str],
    weights: _Optional[_Weights],
    requests: _Any,
    proposals: _Any,
    options: _Dict[str, _Any],
    where: _Where = None,
) -> _Tuple[_frames.Input, _apertura.Plan]:
    ed = _edition(edition)
    plan = _plan(ed, gates, weights, options)
    return _read(data, ed, plan, requests, proposals, where), plan


def _read(
    data: _Any, ed: Edition, plan: _apertura.Plan, requests: _Any, proposals: _Any, where: _Where = None
) -> _frames.Input:
    given = _frames.read(data, ed, where)
    if requests is not None or proposals is not None:
        given.dataset = given.dataset.with_requests(
            plan,
            _frames.records_of(requests, "requests") if requests is not None else None,
            _frames.records_of(proposals, "proposals") if proposals is not None else None,
        )
    return given


def score(
    data: _Any,
    edition: _EditionLike = "mga-2017",
    *,
    gates: _Optional[str] = None,
    weights: _Optional[_Weights] = None,
    requests: _Any = None,
    proposals: _Any = None,
    output: str = "auto",
    where: _Where = None,
    **options: _Any,
) -> _Any:
    """Scores institutions: one row per institution, columns as in the CLI.

    ``data`` is a pandas DataFrame, a polars DataFrame, an Arrow table (pyarrow, DuckDB...),
    a list of dicts, a path to a CSV or JSON file (the published 2017 file as it is), bytes or a file object. Columns name
    nodes by id or alias (``tg``, ``tg.ai``, ``GA``...) plus metadata (``id``, ``name``,
    ``jurisdiction``, ``level``, ``type`` and their Spanish names).

    Returns the same kind of frame as given (pandas in, pandas out; polars in, polars out;
    a list of dicts or a file gives pandas if installed, else a list of dicts; ``output=``
    ``"pandas" | "polars" | "records"`` forces one) with columns ``id, name,
    jurisdiction, level, type, iga, t, p, tg, tc, pg, pc, <items>, rank, quadrant`` (nodes
    without any value are left out; unknown values are NaN / null). The input is never
    modified; pandas output keeps the input's index.

    ``gates`` is ``"error"`` (default: report items scored behind a closed gate) or
    ``"apply"`` (score them 0). ``weights`` is ``{node: weight}`` (each sets a weight and
    rescales its siblings, in order) or one weight per slot. ``requests`` / ``proposals``
    are request-level observations (a frame or a list of dicts with the fields of
    ``InformationRequest`` / ``ParticipationProposal``). ``where`` keeps only the rows of
    a CSV file (a path, bytes or a file object) that every filter accepts: ``"year=2015"``,
    a list such as ``["year=2015", "place!=sg"]``, or a dict ``{"year": 2015}`` (the CLI's
    ``--where``; values compared as trimmed text; a column the file lacks is an
    ``InputError``; frames and records raise ``UsageError``: filter them first). Other
    keywords are core options: ``not_applicable``, ``consistency_tolerance``,
    ``on_mismatch``, ``quadrant_split``, ``national_mean``, ``display_decimals``,
    ``tc_celeridad``, ``pc_celeridad``, ``unanswered_request``, ``participation_channels``,
    ``extra_holidays``, ``incomplete`` (``"error"``, the default of most editions: a unit
    whose index cannot be computed is an ``InputError``; ``"partial"``: score what the data
    allow, leave the rest unknown, and give units without an index rank 0).

    Any shipped edition works (``apertura.editions()``): the MGA editions, GODI
    (``"godi-2013"``... ``"godi-2015"``: the entries file as it is, one row per place and
    dataset, with ``where="year=2015"``; answers in words ``Yes``/``No``/``Unsure``) and the
    ODB (``"odb-2014"``: the datasets file as it is, ``incomplete="partial"`` by default).
    Scores are on each node's range (GODI and ODB 0-100; ODB's z-scores unbounded).

    Missing values follow each library's convention: in a pandas frame NaN, ``None`` and
    ``pd.NA`` are missing (not observed); in polars and Arrow a null is missing (a NaN there
    is a value, and an error); the text ``"NA"`` is not applicable; infinities are errors
    (``not_finite``, with row, column and institution). (``pandas.read_csv`` reads the
    text ``NA`` as NaN, i.e. missing: pass ``keep_default_na=False`` to keep it, or pass the
    file's path instead.)

    Any object with the Arrow PyCapsule interface (``__arrow_c_stream__`` /
    ``__arrow_c_array__``: a pyarrow Table, RecordBatch or RecordBatchReader, a DuckDB
    result...) is read through Arrow without copying its buffers (needs pyarrow), and gives
    a pyarrow Table; ``output="pandas" | "polars" | "pyarrow" | "records"`` asks for another
    kind.

    A pandas / polars frame whose node columns are all numeric without missing cells is
    scored column by column (the same results, several times faster): node columns are
    read in place and the output reuses the input's metadata columns (copied on write).
    Anything else, and any input error, takes the row path (see ``python/README.md``).

    Raises ``InputError`` (bad data), ``EditionError`` (bad edition) or ``UsageError``
    (bad argument).

    Example:
        >>> import apertura
        >>> import pandas as pd
        >>> df = pd.DataFrame({"id": ["a", "b"], "tg": [0.4, 1.0], "tc": [0.6, 1.0],
        ...                    "pg": [0.2, 1.0], "pc": [0.2, 1.0]})
        >>> out = apertura.score(df)
        >>> out[["id", "iga", "rank", "quadrant"]].values.tolist()
        [['a', 0.35, 2, 'III'], ['b', 1.0, 1, 'II']]
    """
    ed = _edition(edition)
    plan = _plan(ed, gates, weights, options)
    if _frames.is_arrow(data):
        data = _frames.arrow_table(data)  # read once, whichever path scores it
    if requests is None and proposals is None and where is None:
        # Complete frames: the column-major path (same results, several times faster).
        out = _frames.score_columnar(data, ed, plan, output)
        if out is not None:
            return out
    given = _read(data, ed, plan, requests, proposals, where)
    kind = _frames.output_kind(output, given.kind, arrow=True)
    # Complete item-level data (a file, records...): the column kernel's table as it is.
    out = _frames.columns_frame(plan, given, kind)
    if out is not None:
        return out
    scores = plan.score(given.dataset)
    return _frames.score_frame(scores, plan, given, kind)


def summary(
    data: _Any,
    by: str = "jurisdiction",
    edition: _EditionLike = "mga-2017",
    *,
    gates: _Optional[str] = None,
    weights: _Optional[_Weights] = None,
    requests: _Any = None,
    proposals: _Any = None,
    output: str = "auto",
    where: _Where = None,
    scored: bool = False,
    **options: _Any,
) -> _Any:
    """Summarises scores by group: one row per group, then ``national``.

    ``data`` is anything :func:`score` accepts, including a score table it returned (it is
    scored again: pass the same options and weights). With ``scored=True`` ``data`` is a
    score table (a pandas or polars frame: an ``id`` column, the node columns of
    :func:`score`'s output, the grouping column), summarised as given without scoring
    anything again, for example the concatenated score tables of a table scored in parts
    (:func:`score_partition`); in the whole's row order the result is the whole's, bit for
    bit. ``by`` is ``"jurisdiction"``,
    ``"level"``, ``"type"`` (or their Spanish names) or any metadata column. Columns:
    ``group, n, iga, t, p, tg, tc, pg, pc`` (unweighted means at full precision, or the
    mean of jurisdiction means for ``national`` with ``national_mean="jurisdiction_means"``)
    and ``best_<node>`` (id of the best institution). Same kind of frame as the input.

    Example:
        >>> import apertura
        >>> rows = [{"id": "a", "edo": "Jalisco", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
        ...         {"id": "b", "edo": "Jalisco", "tg": 1, "tc": 1, "pg": 1, "pc": 1}]
        >>> s = apertura.summary(rows, by="jurisdiction", output="records")
        >>> [(g["group"], g["n"], g["iga"]) for g in s]
        [('Jalisco', 2, 0.675), ('national', 2, 0.675)]
    """
    if scored:
        if requests is not None or proposals is not None or where is not None:
            raise UsageError("scored=True summarises a score table: requests, proposals and where do not apply", "invalid_option")
        return _distributed.summary_of_scores(data, by, edition, output, options)
    given, plan = _prepare(data, edition, gates, weights, requests, proposals, options, where)
    kind = _frames.output_kind(output, given.kind, arrow=True)
    scores = plan.score(given.dataset)
    return _frames.records_frame(_apertura.summary(plan, scores, by), kind)


_GAP_COLUMNS = ("node", "parent", "weight", "effective_weight", "mean", "gap", "n")


def gaps(
    data: _Any,
    edition: _EditionLike = "mga-2017",
    *,
    gates: _Optional[str] = None,
    weights: _Optional[_Weights] = None,
    requests: _Any = None,
    proposals: _Any = None,
    output: str = "auto",
    where: _Where = None,
    **options: _Any,
) -> _Any:
    """Gaps ("brechas") of every node below a perspective: ``weight x (1 - mean)``.

    One row per node (the items of 2017), largest gap first within each perspective,
    perspectives in edition order. Columns ``node, parent, weight, effective_weight, mean,
    gap, n``. ``data`` as for :func:`score`; same kind of frame as the input.

    Example:
        >>> import apertura
        >>> rows = [{"id": "a", "tg.ai": 1, "tg.tr": 0, "tg.tp": 0, "tg.da": 0,
        ...          "tc": 0.5, "pg": 0.5, "pc": 0.5}]
        >>> g = apertura.gaps(rows, output="records")
        >>> [(x["node"], x["gap"]) for x in g]
        [('tg.tp', 0.2), ('tg.tr', 0.2), ('tg.da', 0.1), ('tg.ai', 0.0)]
    """
    given, plan = _prepare(data, edition, gates, weights, requests, proposals, options, where)
    kind = _frames.output_kind(output, given.kind, arrow=True)
    scores = plan.score(given.dataset)
    return _frames.records_frame(_apertura.gaps(plan, scores), kind, _GAP_COLUMNS)


_EXPLAIN_COLUMNS = (
    "institution",
    "index",
    "item",
    "parent",
    "weight",
    "effective_weight",
    "value",
    "contribution",
    "gain_if_one",
)


def explain(
    data: _Any,
    institution: str,
    edition: _EditionLike = "mga-2017",
    *,
    gates: _Optional[str] = None,
    weights: _Optional[_Weights] = None,
    requests: _Any = None,
    proposals: _Any = None,
    output: str = "auto",
    where: _Where = None,
    **options: _Any,
) -> _Any:
    """Explains one institution's index: a tidy frame, one row per item.

    Columns ``institution, index`` (the institution's index value), ``item, parent,
    weight`` (within the parent), ``effective_weight`` (in the index), ``value``,
    ``contribution`` (``effective_weight x value``) and ``gain_if_one`` (increase of the
    index if this item alone reached 1, gates applied). Institutions scored from
    perspective values are explained at the lowest level given. Raises ``UsageError``
    (code ``unknown_institution``) for an unknown id.

    Example:
        >>> import apertura
        >>> rows = [{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2}]
        >>> x = apertura.explain(rows, institution="a", output="records")
        >>> [(r["item"], round(r["contribution"], 4), round(r["gain_if_one"], 4)) for r in x][:2]
        [('tg', 0.1, 0.15), ('tc', 0.15, 0.1)]
    """
    given, plan = _prepare(data, edition, gates, weights, requests, proposals, options, where)
    kind = _frames.output_kind(output, given.kind, arrow=True)
    e = _apertura.explain(plan, given.dataset, institution)
    rows: _List[_Dict[str, _Any]] = [
        {"institution": e["institution"], "index": e["index"], **item} for item in e["items"]
    ]
    return _frames.records_frame(rows, kind, _EXPLAIN_COLUMNS)


def ficha(
    data: _Any,
    institution: _Optional[str] = None,
    state: _Optional[str] = None,
    lang: str = "es",
    edition: _EditionLike = "mga-2017",
    *,
    gates: _Optional[str] = None,
    weights: _Optional[_Weights] = None,
    requests: _Any = None,
    proposals: _Any = None,
    where: _Where = None,
    **options: _Any,
) -> str:
    """The printable ficha of one institution (``institution=``, an id) or one state
    (``state=``, a name such as ``"Nuevo León"`` or ``"CDMX"``) as one self-contained HTML
    document: name, jurisdiction, level and type; the index, its dimensions, perspectives
    and items with the national and state means; rank and quadrant; each item's
    contribution; the cheapest path to the national mean. Inline CSS and SVG only, A4
    print stylesheet (one page per institution for the MGA 2017 tree). Labels in Spanish
    (``lang="es"``) or English (``lang="en"``). Raises ``UsageError`` (``unknown_institution``,
    ``unknown_state``, ``invalid_option``) naming the value.

    Example:
        >>> import apertura
        >>> rows = [{"id": "a", "name": "A & B", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2}]
        >>> html = apertura.ficha(rows, institution="a")
        >>> "<h1>A &amp; B</h1>" in html
        True
    """
    given, plan = _prepare(data, edition, gates, weights, requests, proposals, options, where)
    return _apertura.ficha(plan, given.dataset, institution=institution, state=state, lang=lang)


# Robustness analysis (after the helpers above, which it uses at call time).
from ._robustness import (  # noqa: E402
    Distribution,
    Outputs,
    SensitivityResult,
    UncertaintyResult,
    sensitivity,
    uncertainty,
)

# The CKAN catalogue scorer (raw evidence into tg.da).
from ._catalogue import catalogue  # noqa: E402

# Two runs side by side: matching, changes, data and method effects (the core's).
from ._compare import Comparison, compare  # noqa: E402

# Improvement paths: the cheapest steps to a target (the search is the core's).
from ._improve import Improvement, improve  # noqa: E402

# Beyond one machine: score parts separately, then rank and summarise them together.
from . import _distributed  # noqa: E402
from ._distributed import rank, score_partition  # noqa: E402


def __getattr__(name: str) -> _Any:
    # `apertura.plot` is imported lazily (it needs matplotlib).
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# `from __future__ import annotations` binds a module attribute; it is not API.
del annotations
