"""Robustness analysis: how far to trust every score and rank (the core's ``robustness``).

:func:`uncertainty` runs N perturbed versions of the index (weights, weight sets,
aggregations, settings, data) and reports the interval every institution's score and rank
moves in; :func:`sensitivity` runs Saltelli's design and reports Sobol' first-order and
total indices of every score and rank, ``R_S`` (mean absolute rank shift) and the national
mean. Both run in the Rust core with the GIL released; this module only converts the
arguments and wraps the result in small classes whose tables are the caller's kind of
frame. Nothing is computed here.
"""

from __future__ import annotations

import csv
import importlib
import io
import numbers
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from . import _apertura as _native
from . import _frames

__all__ = [
    "Distribution",
    "Outputs",
    "SensitivityResult",
    "UncertaintyResult",
    "sensitivity",
    "uncertainty",
]

Progress = Union[None, bool, Callable[[int, int], Any]]

_INSTITUTION_COLUMNS = (
    ("id", "str"),
    ("name", "str"),
    ("score", "float"),
    ("rank", "int"),
    ("rank_median", "float"),
    ("rank_mean", "float"),
    ("rank_q05", "float"),
    ("rank_q95", "float"),
    ("score_median", "float"),
    ("score_mean", "float"),
    ("score_q05", "float"),
    ("score_q95", "float"),
    ("p_top", "float"),
)
_GROUP_COLUMNS = (
    ("group", "str"),
    ("n", "int"),
    ("mean", "float"),
    ("rank", "int"),
    ("mean_median", "float"),
    ("mean_q05", "float"),
    ("mean_q95", "float"),
    ("rank_median", "float"),
    ("rank_q05", "float"),
    ("rank_q95", "float"),
)
_INDEX_COLUMNS = (
    ("target", "str"),
    ("institution", "str"),
    ("factor", "str"),
    ("s1", "float"),
    ("s1_lo", "float"),
    ("s1_hi", "float"),
    ("st", "float"),
    ("st_lo", "float"),
    ("st_hi", "float"),
    ("s1_nonzero", "bool"),
    ("st_nonzero", "bool"),
)
_CONSTANT_COLUMNS = (("target", "str"), ("institution", "str"), ("value", "float"))
_CONVERGENCE_COLUMNS = (
    ("target", "str"),
    ("factor", "str"),
    ("n", "int"),
    ("s1", "float"),
    ("s1_width", "float"),
    ("st", "float"),
    ("st_width", "float"),
)


# --------------------------------------------------------------------------- tables


def _column(values: Sequence[Any], dtype: str, kind: str) -> Any:
    """One column for a frame of ``kind``: ``None`` is NaN (pandas floats) or null."""
    if kind == _frames.POLARS:
        pl = _frames._polars()

        types = {"str": pl.String, "float": pl.Float64, "int": pl.Int64, "bool": pl.Boolean}
        return pl.Series(values=list(values), dtype=types[dtype]) if dtype in types else list(values)
    if dtype == "float":
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if dtype == "int":
        return np.array(values, dtype=np.int64)
    if dtype == "bool":
        if any(v is None for v in values):
            return _frames._pandas().array(list(values), dtype="boolean")
        return np.array(values, dtype=bool)
    return np.array(values, dtype=object)


def _table(columns: Sequence[Tuple[str, Sequence[Any], str]], kind: str, index: Any = None) -> Any:
    """A table (``(name, values, dtype)`` per column) as the caller's kind of frame."""
    if kind == _frames.RECORDS:
        names = [c[0] for c in columns]
        n = len(columns[0][1]) if columns else 0
        return [{name: col[1][i] for name, col in zip(names, columns)} for i in range(n)]
    if kind == _frames.PANDAS:
        pd = _frames._pandas()

        data = {name: _column(values, dtype, kind) for name, values, dtype in columns}
        return pd.DataFrame(data, index=index, columns=[c[0] for c in columns])
    pl = _frames._polars()

    return pl.DataFrame([_column(values, dtype, kind).alias(name) for name, values, dtype in columns])


def _rows_table(rows: Sequence[Mapping[str, Any]], spec: Sequence[Tuple[str, str]], kind: str, index: Any = None) -> Any:
    return _table([(name, [r[name] for r in rows], dtype) for name, dtype in spec], kind, index)


def _factor_columns(factors: Sequence[Mapping[str, Any]], values: Iterable[Sequence[float]]) -> List[Tuple[str, List[Any], str]]:
    """Each factor's resolved value per run: the alternative's name for a discrete factor."""
    matrix = [list(v) for v in values]
    out: List[Tuple[str, List[Any], str]] = []
    for k, f in enumerate(factors):
        column = [row[k] for row in matrix]
        alternatives = f.get("alternatives") or []
        if alternatives:
            out.append((f["name"], [alternatives[int(v)] for v in column], "str"))
        else:
            out.append((f["name"], column, "float"))
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Distribution:
    """A quantity over the runs: every run's value (``values``, NaN where undefined) and the
    core's summary (``mean``, ``median``, 5th and 95th percentiles ``q05`` / ``q95``,
    ``min``, ``max``; ``numpy.quantile``'s linear method)."""

    values: np.ndarray = field(repr=False)
    mean: float
    median: float
    q05: float
    q95: float
    min: float
    max: float

    @staticmethod
    def of(values: np.ndarray, summary: Mapping[str, float]) -> "Distribution":
        return Distribution(values, *(float(summary[k]) for k in ("mean", "median", "q05", "q95", "min", "max")))


class Outputs(NamedTuple):
    """Every run's per-institution outputs (``keep_outputs=True``): ``runs x institutions``
    arrays, institutions in input order, runs in design order."""

    scores: np.ndarray
    """Index scores (float64)."""
    ranks: np.ndarray
    """Competition ranks (int64)."""


def _outputs(raw: Mapping[str, Any]) -> Optional[Outputs]:
    o = raw.get("outputs")
    return None if o is None else Outputs(o["scores"], o["ranks"])


def _cached(self: Any, key: str, build: Callable[[], Any]) -> Any:
    cache = self.__dict__.setdefault("_cache", {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


class _Result:
    """What both results share: the core's dict, the design, the factors."""

    raw: Dict[str, Any]
    """The core's result as a dict, untouched (its serde form: snake_case keys; ``outputs``,
    when kept, holds numpy arrays rather than lists)."""
    design_csv: str
    """The design as CSV text: pass it (or the result itself) as ``design=`` to rerun the
    same runs bit for bit."""

    def __init__(self, raw: Dict[str, Any], design_csv: str, kind: str, index: Any = None) -> None:
        self.raw = raw
        self.design_csv = design_csv
        self._kind = kind
        self._index = index

    @property
    def edition(self) -> str:
        """The edition id."""
        return str(self.raw["edition"])

    @property
    def factors(self) -> List[Dict[str, Any]]:
        """The factors, in design column order: ``name`` (``w:tg``, ``dir:t``, ``weights``,
        ``agg:p``, ``set:not_applicable``, ``x:tg``), ``kind`` and its fields, and
        ``alternatives`` (discrete factors)."""
        return [dict(f) for f in self.raw["factors"]]

    @property
    def factor_names(self) -> List[str]:
        """The factors' names, in design column order."""
        return [f["name"] for f in self.raw["factors"]]

    @property
    def policies(self) -> List[str]:
        """Policies in force that change what a run computes."""
        return list(self.raw["policies"])

    @property
    def evaluation(self) -> str:
        """How runs were evaluated: ``columns`` or ``rows``."""
        return str(self.raw["evaluation"])

    @property
    def outputs(self) -> Optional[Outputs]:
        """Every run's scores and ranks (``keep_outputs=True``), else ``None``."""
        return _outputs(self.raw)

    @property
    def design(self) -> Any:
        """The design as a frame of the result's kind, one column per column of
        :attr:`design_csv` (pass it back as ``design=`` to rerun)."""
        return _cached(self, "design", self._design)

    def _design(self) -> Any:
        reader = csv.reader(io.StringIO(self.design_csv))
        header = next(reader)
        rows = [[float(x) for x in r] for r in reader if r]
        return _table([(h, [r[k] for r in rows], "float") for k, h in enumerate(header)], self._kind)


class UncertaintyResult(_Result):
    """The result of :func:`uncertainty`. Tables are frames of the caller's kind (pandas in,
    pandas out; polars in, polars out; records or a file give pandas if installed)."""

    def __repr__(self) -> str:
        return (
            f"<apertura.UncertaintyResult: {len(self.raw['institutions'])} institutions, "
            f"{self.n} runs, {len(self.raw['factors'])} factors>"
        )

    @property
    def n(self) -> int:
        """Number of runs."""
        return int(self.raw["design"]["n"])

    @property
    def top(self) -> int:
        """K of ``p_top``."""
        return int(self.raw["top"])

    @property
    def national(self) -> float:
        """The nominal national mean."""
        return float(self.raw["national"])

    @property
    def institutions(self) -> Any:
        """One row per institution, input order: ``id, name, score, rank`` (nominal),
        ``rank_median, rank_mean, rank_q05, rank_q95, score_median, score_mean, score_q05,
        score_q95`` and ``p_top`` (share of runs with rank <= K). pandas keeps the input's
        index."""
        return _cached(
            self, "institutions", lambda: _rows_table(self.raw["institutions"], _INSTITUTION_COLUMNS, self._kind, self._index)
        )

    @property
    def groups(self) -> Any:
        """One row per group (``by=``; empty otherwise): ``group, n, mean, rank,
        mean_median, mean_q05, mean_q95, rank_median, rank_q05, rank_q95``."""
        return _cached(self, "groups", lambda: _rows_table(self.raw["groups"], _GROUP_COLUMNS, self._kind))

    @property
    def runs(self) -> Any:
        """One row per run: ``run``, each factor's resolved value (the weight after
        renormalisation, the Dirichlet uniform, the alternative's name, the data shift),
        ``rank_shift`` (``R_S``), ``spearman`` (against nominal) and ``national``."""

        def build() -> Any:
            runs = self.raw["runs"]
            cols: List[Tuple[str, Sequence[Any], str]] = [("run", [r["run"] for r in runs], "int")]
            cols += _factor_columns(self.raw["factors"], (r["values"] for r in runs))
            cols += [
                ("rank_shift", [r["rank_shift"] for r in runs], "float"),
                ("spearman", [r["spearman"] for r in runs], "float"),
                ("national", [r["national"] for r in runs], "float"),
            ]
            return _table(cols, self._kind)

        return _cached(self, "runs", build)

    @property
    def rank_shift(self) -> Distribution:
        """``R_S = (1/M) sum |rank - nominal rank|`` over the runs."""
        values = np.array([r["rank_shift"] for r in self.raw["runs"]], dtype=np.float64)
        return Distribution.of(values, self.raw["rank_shift"])

    @property
    def spearman(self) -> Optional[Distribution]:
        """Spearman's rho against the nominal ranking over the runs (NaN in ``values``
        where a ranking is all ties); ``None`` if it is defined in no run."""
        summary = self.raw["spearman"]
        if summary is None:
            return None
        values = np.array([np.nan if r["spearman"] is None else r["spearman"] for r in self.raw["runs"]])
        return Distribution.of(values, summary)

    @property
    def national_runs(self) -> Distribution:
        """The national mean over the runs."""
        values = np.array([r["national"] for r in self.raw["runs"]], dtype=np.float64)
        return Distribution.of(values, self.raw["national_runs"])


class SensitivityResult(_Result):
    """The result of :func:`sensitivity`. Tables are frames of the caller's kind."""

    def __repr__(self) -> str:
        return (
            f"<apertura.SensitivityResult: {len(self.raw['institutions'])} institutions, N = {self.n}, "
            f"{len(self.raw['runs'])} runs, {len(self.raw['factors'])} factors>"
        )

    @property
    def n(self) -> int:
        """Rows of A and of B (runs: ``n (factors + 2)``)."""
        return int(self.raw["design"]["n"])

    @property
    def bootstrap(self) -> int:
        """Bootstrap resamples."""
        return int(self.raw["bootstrap"])

    @property
    def confidence(self) -> float:
        """Level of the percentile intervals."""
        return float(self.raw["confidence"])

    @property
    def institution_ids(self) -> List[str]:
        """Institution ids, input order (the columns of :attr:`outputs`)."""
        return list(self.raw["institutions"])

    @property
    def indices(self) -> Any:
        """One row per target and factor: ``target`` (``rank_shift``, ``national``,
        ``score``, ``rank``), ``institution`` (score and rank targets), ``factor``, ``s1``,
        ``s1_lo``, ``s1_hi``, ``st``, ``st_lo``, ``st_hi`` (bootstrap percentile intervals;
        missing without a bootstrap) and ``s1_nonzero`` / ``st_nonzero`` (whether the
        interval excludes 0)."""
        return _cached(self, "indices", lambda: _rows_table(self.raw["indices"], _INDEX_COLUMNS, self._kind))

    @property
    def constant(self) -> Any:
        """Targets with no variance over the runs (no indices): ``target, institution,
        value``."""
        return _cached(self, "constant", lambda: _rows_table(self.raw["constant"], _CONSTANT_COLUMNS, self._kind))

    @property
    def convergence(self) -> Any:
        """Indices of the scalar targets with the first ``n`` rows of every block, and
        their interval widths: ``target, factor, n, s1, s1_width, st, st_width``."""
        return _cached(
            self, "convergence", lambda: _rows_table(self.raw["convergence"], _CONVERGENCE_COLUMNS, self._kind)
        )

    @property
    def runs(self) -> Any:
        """One row per run: ``run``, ``block`` (``A``, ``B``, ``AB:<factor>``), ``row``
        (within the block), each factor's resolved value, ``rank_shift`` and ``national``."""

        def build() -> Any:
            runs = self.raw["runs"]
            cols: List[Tuple[str, Sequence[Any], str]] = [
                ("run", [r["run"] for r in runs], "int"),
                ("block", [r["block"] for r in runs], "str"),
                ("row", [r["row"] for r in runs], "int"),
            ]
            cols += _factor_columns(self.raw["factors"], (r["values"] for r in runs))
            cols += [
                ("rank_shift", [r["rank_shift"] for r in runs], "float"),
                ("national", [r["national"] for r in runs], "float"),
            ]
            return _table(cols, self._kind)

        return _cached(self, "runs", build)


# --------------------------------------------------------------------------- arguments


def _number(x: Any) -> Any:
    """A real number as float (numpy scalars included); anything else as given, for the
    core to report."""
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    return x


def _names(x: Any) -> Any:
    """``"a,b"`` or ``["a", "b"]`` -> ``["a", "b"]``."""
    if isinstance(x, str):
        return [p.strip() for p in x.split(",") if p.strip()]
    if isinstance(x, Iterable):
        return [str(p) for p in x]
    return x


def _alternatives(x: Any, what: str) -> Dict[str, Any]:
    if not isinstance(x, Mapping):
        raise TypeError(f"{what} must be a dict {{name: [alternative, ...]}}, not {type(x).__name__}")
    return {str(k): _names(v) for k, v in x.items()}


def _weight_set(name: str, weights: Any) -> Dict[str, Any]:
    if not isinstance(weights, Mapping):
        raise TypeError(f"weight set {name!r}: weights must be a dict {{node: weight}}, not {type(weights).__name__}")
    return {"name": str(name), "weights": {str(k): _number(v) for k, v in weights.items()}}


def _weight_sets(x: Any) -> List[Dict[str, Any]]:
    """``["edition", "equal", {"mine": {"tg": 0.5, ...}}]`` (or one such dict) -> the core's
    ``[{"name", "weights"}]``; a dict ``{"name": ..., "weights": {...}}`` is one set too."""
    items = [x] if isinstance(x, Mapping) or isinstance(x, str) else list(x)
    out: List[Dict[str, Any]] = []
    for item in items:
        if isinstance(item, str):
            out.append({"name": item, "weights": {}})
        elif isinstance(item, Mapping):
            if set(item) <= {"name", "weights"} and isinstance(item.get("name"), str):
                out.append(_weight_set(item["name"], item.get("weights", {})))
            else:
                out.extend(_weight_set(name, w) for name, w in item.items())
        else:
            raise TypeError(f"weight_sets: expected a name or a dict {{name: {{node: weight}}}}, not {type(item).__name__}")
    return out


def _factors(
    weight_noise: Any,
    weight_dirichlet: Any,
    weight_parents: Any,
    weight_sets: Any,
    vary_aggregation: Any,
    vary: Any,
    data_noise: Any,
    data_nodes: Any,
    geometric_zeros: Any,
) -> Dict[str, Any]:
    """The keyword arguments as the core's ``FactorSpec``."""
    spec: Dict[str, Any] = {}
    if weight_noise is not None:
        spec["weight_noise"] = _number(weight_noise)
    if weight_dirichlet is not None:
        spec["weight_dirichlet"] = _number(weight_dirichlet)
    if weight_parents is not None:
        spec["weight_parents"] = _names(weight_parents)
    if weight_sets is not None:
        spec["weight_sets"] = _weight_sets(weight_sets)
    if vary_aggregation is not None:
        spec["vary_aggregation"] = _alternatives(vary_aggregation, "vary_aggregation")
    if vary is not None:
        spec["vary"] = _alternatives(vary, "vary")
    if data_noise is not None:
        spec["data_noise"] = _number(data_noise)
    if data_nodes is not None:
        spec["data_nodes"] = _names(data_nodes)
    if geometric_zeros is not None:
        spec["geometric_zeros"] = geometric_zeros
    return spec


def _frame_csv(columns: Sequence[Tuple[str, Sequence[Any]]]) -> str:
    """Columns as CSV text (floats at full precision: ``repr`` round-trips)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([name for name, _ in columns])
    n = len(columns[0][1]) if columns else 0
    cells = [[_frames.cell_text(v) for v in values] for _, values in columns]
    for i in range(n):
        w.writerow([c[i] for c in cells])
    return buf.getvalue()


def _design_text(design: Any) -> Optional[str]:
    """A design as CSV text: a CSV string, a path, bytes, a file object, a pandas / polars
    frame of the design's columns, or a previous result."""
    if design is None:
        return None
    if isinstance(design, _Result):
        return design.design_csv
    if isinstance(design, str):
        if "\n" in design or "\r" in design:
            return design
        design = os.fspath(design)
    if isinstance(design, os.PathLike) or isinstance(design, str):
        with open(os.fspath(design), encoding="utf-8-sig") as f:
            return f.read()
    if isinstance(design, (bytes, bytearray, memoryview)):
        return bytes(design).decode("utf-8-sig")
    if _frames.is_pandas(design):
        return _frame_csv([(str(h), col.tolist()) for h, col in design.items()])
    if _frames.is_polars(design):
        pl = _frames._polars()

        df = design.collect() if isinstance(design, pl.LazyFrame) else design
        return _frame_csv([(s.name, s.to_list()) for s in df.get_columns()])
    if hasattr(design, "read"):
        content = design.read()
        return content.decode("utf-8-sig") if isinstance(content, bytes) else str(content)
    raise TypeError(
        "design must be CSV text, a path, bytes, a file object, a pandas or polars frame, or a previous result, "
        f"not {type(design).__name__}"
    )


class _Bar:
    """``progress=True``: a tqdm bar if tqdm is installed, else one line on stderr."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.bar: Any = None
        self.plain = False
        self.done = 0
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and not self.plain:
            try:
                tqdm = importlib.import_module("tqdm.auto").tqdm
            except ImportError:
                self.plain = True
            else:
                self.bar = tqdm(total=total, desc=self.what, unit="run")
        if self.bar is not None:
            self.bar.update(done - self.done)
        else:
            print(f"\r{self.what}: {done}/{total} runs", end="", file=sys.stderr, flush=True)
        self.done, self.total = done, total

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.plain:
            print(file=sys.stderr, flush=True)


def _progress(progress: Progress, what: str) -> Tuple[Any, Optional[_Bar]]:
    if progress is None or progress is False:
        return None, None
    if progress is True:
        bar = _Bar(what)
        return bar, bar
    if callable(progress):
        return progress, None
    raise TypeError(f"progress must be True, False, None or a callable (done, total), not {type(progress).__name__}")


def _prepare(
    data: Any, edition: Any, weights: Any, requests: Any, proposals: Any, output: str, options: Dict[str, Any]
) -> Tuple[_native.Plan, _native.Dataset, str, Any, Optional[List[Dict[str, Any]]], Optional[List[Dict[str, Any]]]]:
    """The plan, the dataset (without request-level items: the core scores the evidence
    per setting itself), the output kind, the pandas index to keep, and the evidence."""
    from . import _edition, _plan

    ed = _edition(edition)
    where = options.pop("where", None)  # row filters of a CSV file, as in apertura.score
    plan = _plan(ed, options.pop("gates", None), weights, options)
    given = _frames.read(data, ed, where)
    kind = _frames.output_kind(output, given.kind)
    index = given.index if given.index is not None and len(given.index) == len(given.dataset) else None
    reqs = _frames.records_of(requests, "requests") if requests is not None else None
    props = _frames.records_of(proposals, "proposals") if proposals is not None else None
    return plan, given.dataset, kind, index if kind == _frames.PANDAS else None, reqs, props


def _run(native: Callable[..., Any], progress: Progress, what: str, *args: Any, **kwargs: Any) -> Tuple[Dict[str, Any], str]:
    callback, bar = _progress(progress, what)
    try:
        result, design_csv = native(*args, progress=callback, **kwargs)
    finally:
        if bar is not None:
            bar.close()
    return result, design_csv


# --------------------------------------------------------------------------- analyses


def uncertainty(
    data: Any,
    edition: Any = "mga-2017",
    *,
    weight_noise: Optional[float] = None,
    weight_dirichlet: Optional[float] = None,
    weight_parents: Union[None, str, Sequence[str]] = None,
    weight_sets: Any = None,
    vary_aggregation: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
    vary: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
    data_noise: Optional[float] = None,
    data_nodes: Union[None, str, Sequence[str]] = None,
    geometric_zeros: str = "error",
    n: int = 1000,
    seed: int = 1,
    sampler: str = "sobol",
    design: Any = None,
    top: int = 10,
    by: Optional[str] = None,
    threads: Optional[int] = None,
    keep_outputs: bool = False,
    progress: Progress = None,
    weights: Any = None,
    requests: Any = None,
    proposals: Any = None,
    output: str = "auto",
    **options: Any,
) -> UncertaintyResult:
    """Uncertainty analysis: N runs of the index with its contestable choices varied, and
    the interval every institution's score and rank moves in.

    ``data``, ``edition``, ``weights``, ``requests``, ``proposals``, ``gates``, ``where`` and
    the core options (``**options``) are those of :func:`apertura.score`. What varies (at least one):

    * ``weight_noise=p`` (0 <= p < 1): every weight ``w`` in scope becomes
      ``w (1 + p (2u - 1))``, renormalised within its parent (one factor ``w:<child>`` per
      weight); or ``weight_dirichlet=kappa``: each parent's weights drawn from
      ``Dir(kappa w)`` (one factor ``dir:<parent>``). ``weight_parents`` (``"t,p"`` or a
      list) limits them to those parents' children (default: every node computed from the
      data).
    * ``weight_sets=["edition", "equal", {"mine": {"tg": 0.4, "tc": 0.6}}]``: one factor
      ``weights`` choosing a set (``edition`` and ``equal`` are built in; a dict sets the
      weights it names, the others keep the edition's).
    * ``vary_aggregation={"p": ["arithmetic", "geometric"]}`` (factor ``agg:p``) and
      ``vary={"not_applicable": ["zero", "renormalize"]}`` (factor ``set:<setting>``;
      ``tc_celeridad``, ``pc_celeridad``, ``unanswered_request`` need ``requests``).
    * ``data_noise=d`` (0 < d <= 1): each lowest node given (or ``data_nodes``) shifted by
      ``d (2u - 1)`` for every institution, clipped to [0, 1] (factor ``x:<node>``).

    ``geometric_zeros`` is the policy where a geometric mean meets a zero: ``"error"``
    (default: refuse, naming the node and institution), ``"zero"`` or ``"shift:1e-6"``.

    Runs: ``n`` runs of a seeded design (``sampler="sobol"``, scrambled Sobol', or
    ``"random"``), or the rows of ``design`` (CSV text, a path, a frame of its columns, or a
    previous result: the same runs again, bit for bit). ``top`` is K of ``p_top``; ``by``
    (``jurisdiction``, ``level``, ``type`` or a metadata column) adds group intervals;
    ``threads`` limits the worker threads (default: every core); ``keep_outputs=True``
    keeps every run's scores and ranks (:attr:`UncertaintyResult.outputs`). ``progress=True``
    shows a progress bar (tqdm if installed, else a line on stderr); a callable is called
    with ``(done, total)`` between chunks of runs and stops the run by returning ``False``
    (``RobustnessError`` with code ``cancelled``) or by raising (that exception
    propagates). Ctrl-C stops it too (``KeyboardInterrupt``). The GIL is released while
    the core runs.

    Returns an :class:`UncertaintyResult`: ``.institutions``, ``.groups``, ``.runs``,
    ``.rank_shift``, ``.spearman``, ``.factors``, ``.policies``, ``.design``,
    ``.design_csv``, ``.outputs``, ``.raw``. Raises :class:`apertura.RobustnessError`
    (bad factor, design or option), ``InputError``, ``EditionError`` or ``UsageError``.

    Example:
        >>> import apertura
        >>> rows = [{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
        ...         {"id": "b", "tg": 0.9, "tc": 0.1, "pg": 0.5, "pc": 0.5},
        ...         {"id": "c", "tg": 0.6, "tc": 0.5, "pg": 0.5, "pc": 0.5}]
        >>> ua = apertura.uncertainty(rows, weight_noise=0.25, n=64, output="records")
        >>> ua.factor_names
        ['w:tg', 'w:tc', 'w:pg', 'w:pc', 'w:t', 'w:p']
        >>> [(r["id"], r["rank"], r["rank_q05"], r["rank_q95"]) for r in ua.institutions]
        [('a', 3, 3.0, 3.0), ('b', 2, 1.0, 2.0), ('c', 1, 1.0, 2.0)]
    """
    plan, dataset, kind, index, reqs, props = _prepare(data, edition, weights, requests, proposals, output, options)
    spec = _factors(
        weight_noise, weight_dirichlet, weight_parents, weight_sets, vary_aggregation, vary, data_noise, data_nodes,
        geometric_zeros,
    )
    run: Dict[str, Any] = {"n": n, "seed": seed, "sampler": sampler, "top": top, "keep_outputs": bool(keep_outputs)}
    if by is not None:
        run["by"] = by
    if threads is not None:
        run["threads"] = threads
    raw, design_csv = _run(
        _native.uncertainty, progress, "uncertainty", plan, dataset, spec, run, _design_text(design),
        requests=reqs, proposals=props,
    )
    return UncertaintyResult(raw, design_csv, kind, index)


def sensitivity(
    data: Any,
    edition: Any = "mga-2017",
    *,
    weight_noise: Optional[float] = None,
    weight_dirichlet: Optional[float] = None,
    weight_parents: Union[None, str, Sequence[str]] = None,
    weight_sets: Any = None,
    vary_aggregation: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
    vary: Optional[Mapping[str, Union[str, Sequence[str]]]] = None,
    data_noise: Optional[float] = None,
    data_nodes: Union[None, str, Sequence[str]] = None,
    geometric_zeros: str = "error",
    n: int = 1024,
    seed: int = 1,
    sampler: str = "sobol",
    design: Any = None,
    bootstrap: int = 100,
    confidence: float = 0.95,
    target: Union[str, Sequence[str]] = "all",
    threads: Optional[int] = None,
    keep_outputs: bool = False,
    progress: Progress = None,
    weights: Any = None,
    requests: Any = None,
    proposals: Any = None,
    output: str = "auto",
    **options: Any,
) -> SensitivityResult:
    """Sensitivity analysis: Sobol' first-order (S1) and total (ST) indices of every
    factor, for every institution's score and rank, ``R_S`` and the national mean.

    Factors and data as for :func:`uncertainty`. Saltelli's design: matrices A and B of
    ``n`` rows (a power of two) and, per factor i, A with column i from B: ``n (d + 2)``
    runs. The estimators are ``scipy.stats.sobol_indices``' (Saltelli 2010 for S1, Jansen
    1999 for ST, outputs centred by the mean of A and B). ``bootstrap`` resamples give
    percentile intervals at level ``confidence`` (0: none). ``target`` is ``"all"`` or
    some of ``rank_shift``, ``national``, ``score``, ``rank`` (a comma list or a list).
    ``design`` reruns a design (``A:<factor>`` and ``B:<factor>`` columns, as
    :attr:`SensitivityResult.design_csv`). ``seed``, ``sampler``, ``threads``,
    ``keep_outputs`` and ``progress`` as for :func:`uncertainty`.

    Returns a :class:`SensitivityResult`: ``.indices``, ``.constant``, ``.convergence``,
    ``.runs``, ``.design``, ``.design_csv``, ``.outputs``, ``.raw``.

    Example:
        >>> import apertura
        >>> rows = [{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
        ...         {"id": "b", "tg": 0.9, "tc": 0.1, "pg": 0.5, "pc": 0.5}]
        >>> sa = apertura.sensitivity(rows, weight_noise=0.25, weight_parents="t", n=64,
        ...                           bootstrap=0, target="national", output="records")
        >>> [(r["factor"], round(r["s1"], 1), round(r["st"], 1)) for r in sa.indices]
        [('w:tg', 0.5, 0.5), ('w:tc', 0.5, 0.5)]
    """
    plan, dataset, kind, index, reqs, props = _prepare(data, edition, weights, requests, proposals, output, options)
    spec = _factors(
        weight_noise, weight_dirichlet, weight_parents, weight_sets, vary_aggregation, vary, data_noise, data_nodes,
        geometric_zeros,
    )
    run: Dict[str, Any] = {
        "n": n,
        "seed": seed,
        "sampler": sampler,
        "bootstrap": bootstrap,
        "confidence": _number(confidence),
        "target": target if isinstance(target, str) else list(target),
        "keep_outputs": bool(keep_outputs),
    }
    if threads is not None:
        run["threads"] = threads
    raw, design_csv = _run(
        _native.sensitivity, progress, "sensitivity", plan, dataset, spec, run, _design_text(design),
        requests=reqs, proposals=props,
    )
    return SensitivityResult(raw, design_csv, kind, index)
