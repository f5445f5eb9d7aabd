"""Type stubs of the native module ``apertura._apertura`` (hand-written; checked by
``mypy.stubtest`` in ``python/test.sh``)."""

import os
import typing
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__all__ = [
    "__version__",
    "core_version",
    "Edition",
    "Dataset",
    "Plan",
    "Scores",
    "editions",
    "summary",
    "gaps",
    "explain",
    "ficha",
    "compare",
    "improve",
    "improve_all",
    "improve_frontier",
    "score_columns",
    "column_roles",
    "canonical_metadata",
    "distinct_objects",
    "arrow_columns",
    "arrow_distinct",
    "rank_scores",
    "summary_scores",
    "population_nodes",
    "uncertainty",
    "sensitivity",
    "catalogue",
]

__version__: str
core_version: str

@typing.type_check_only
class EditionSummary(typing.TypedDict):
    id: str
    label: str
    publication_year: int
    status: str
    label_es: str
    nodes: int
    items: int
    provenance: Dict[str, int]

@typing.type_check_only
class TreeRow(typing.TypedDict):
    id: str
    parent: Optional[str]
    level: str
    depth: int
    label_es: str
    label_en: str
    weight: float
    effective_weight: float
    tag: str
    source: str

@typing.type_check_only
class WeightSlot(typing.TypedDict):
    parent: str
    child: str
    weight: float
    default: float

@typing.type_check_only
class ItemContribution(typing.TypedDict):
    item: str
    parent: str
    weight: float
    effective_weight: float
    value: float
    contribution: float
    gain_if_one: float

@typing.type_check_only
class Explanation(typing.TypedDict):
    institution: str
    index: float
    items: List[ItemContribution]

@typing.type_check_only
class Gap(typing.TypedDict):
    node: str
    parent: str
    weight: float
    effective_weight: float
    mean: float
    gap: float
    n: int

_TextColumn = Union[Tuple[str, str, int], List[str]]
_TextMeta = Tuple[str, Any]

@typing.final
class Edition:
    """A methodology edition (tree, weights, gates, scorers, default settings), validated."""

    @staticmethod
    def load(id: str) -> Edition: ...
    @staticmethod
    def from_str(text: str) -> Edition: ...
    @staticmethod
    def from_file(path: Union[str, os.PathLike[str]]) -> Edition: ...
    @property
    def id(self) -> str: ...
    @property
    def root(self) -> str: ...
    def node_ids(self) -> List[str]: ...
    def item_ids(self) -> List[str]: ...
    def tree(self) -> List[TreeRow]: ...
    def summary(self) -> EditionSummary: ...
    def to_toml(self) -> str: ...
    def to_json(self) -> str: ...

@typing.final
class Dataset:
    """Observations of institutions ready to score (opaque)."""

    @staticmethod
    def from_columns(
        edition: Edition,
        text_columns: Sequence[Tuple[str, _TextColumn]],
        numeric_columns: Sequence[Tuple[str, npt.NDArray[np.float64]]],
        source: str = "input",
    ) -> Dataset: ...
    @staticmethod
    def from_records(edition: Edition, records: Any, source: str = "input") -> Dataset: ...
    @staticmethod
    def from_bytes(
        edition: Edition, data: bytes, source: str = "input", where: Optional[Sequence[str]] = None
    ) -> Dataset: ...
    def with_requests(
        self,
        plan: Plan,
        requests: Optional[Sequence[Dict[str, Any]]] = None,
        proposals: Optional[Sequence[Dict[str, Any]]] = None,
    ) -> Dataset: ...
    def __len__(self) -> int: ...

@typing.final
class Plan:
    """An edition compiled with options and weights (opaque).

    ``options`` holds ``apertura::Options`` keys: ``gates``, ``not_applicable``,
    ``consistency_tolerance``, ``on_mismatch``, ``quadrant_split``, ``national_mean``,
    ``display_decimals``, ``tc_celeridad``, ``pc_celeridad``, ``unanswered_request``,
    ``participation_channels``, ``extra_holidays``, ``incomplete`` (``"error"`` |
    ``"partial"``)."""

    def __new__(
        cls,
        edition: Edition,
        options: Optional[Dict[str, Any]] = None,
        weights: Optional[Union[Sequence[float], Sequence[Tuple[str, float]]]] = None,
    ) -> Plan: ...
    def weight_slots(self) -> List[WeightSlot]: ...
    def settings(self) -> Dict[str, Any]: ...
    def score(self, data: Dataset) -> Scores: ...
    def table_of_columns(
        self, data: Dataset, arrow: bool = False, reuse: bool = True
    ) -> Optional[
        Tuple[
            List[str],
            List[_TextMeta],
            List[npt.NDArray[np.float64]],
            npt.NDArray[np.int64],
            npt.NDArray[np.int8],
        ]
    ]: ...

@typing.final
class Scores:
    """Scores of a run (opaque)."""

    def __len__(self) -> int: ...
    def records(self, plan: Plan) -> List[Dict[str, Any]]: ...
    def table(
        self, plan: Plan, data: Optional[Dataset] = None, arrow: bool = False
    ) -> Tuple[
        List[str],
        List[_TextMeta],
        npt.NDArray[np.float64],
        npt.NDArray[np.int64],
        npt.NDArray[np.int8],
    ]: ...

def editions() -> List[EditionSummary]: ...
def summary(plan: Plan, scores: Scores, by: str) -> List[Dict[str, Any]]: ...
def gaps(plan: Plan, scores: Scores) -> List[Gap]: ...
def explain(plan: Plan, data: Dataset, institution: str) -> Explanation: ...

# The printable ficha (core ``analysis::ficha``, ``output::ficha``): one HTML document.
def ficha(
    plan: Plan,
    data: Dataset,
    *,
    institution: Optional[str] = None,
    state: Optional[str] = None,
    lang: str = "es",
) -> str: ...

# Two runs compared (core ``analysis::compare``): ``crosswalk`` is CSV text or
# ``(old_id, new_id)`` pairs, ``intervals`` ``(old, new)`` lists of ``(id, low, high)``.
# Returns ``institutions`` / ``groups`` records with their column lists, ``transitions``
# (5 x 5), ``counts``, ``effects``, ``notes``, ``nodes``, the editions, ``ungrouped`` and
# ``backcast`` (``Scores`` or ``None``).
def compare(
    old_plan: Plan,
    old_data: Dataset,
    new_plan: Plan,
    new_data: Dataset,
    crosswalk: Union[str, Sequence[Tuple[str, str]], None] = None,
    crosswalk_source: Optional[str] = None,
    by: Optional[str] = None,
    intervals: Optional[Tuple[Sequence[Tuple[str, float, float]], Sequence[Tuple[str, float, float]]]] = None,
) -> Dict[str, Any]: ...

# Improvement paths (core ``analysis::improve``): ``target`` is the core's tagged form
# (``{"kind": "score" | "rank" | "mean" | "quadrant", "value": ...}``), ``costs``
# ``(node, cost_per_step, row)`` triples and ``costs_csv`` a costs file's text. Results are
# the core's ``Improvement`` / ``FrontierPoint`` as dicts.
_Costs = Optional[Sequence[Tuple[str, float, Optional[int]]]]

def improve(
    plan: Plan,
    data: Dataset,
    institution: str,
    target: Dict[str, Any],
    *,
    node: Optional[str] = None,
    step: Union[str, float, None] = None,
    costs: _Costs = None,
    costs_csv: Optional[str] = None,
    costs_source: Optional[str] = None,
) -> Dict[str, Any]: ...
def improve_all(
    plan: Plan,
    data: Dataset,
    target: Dict[str, Any],
    *,
    node: Optional[str] = None,
    step: Union[str, float, None] = None,
    costs: _Costs = None,
    costs_csv: Optional[str] = None,
    costs_source: Optional[str] = None,
) -> List[Dict[str, Any]]: ...
def improve_frontier(
    plan: Plan,
    data: Dataset,
    institution: str,
    target: Dict[str, Any],
    *,
    node: Optional[str] = None,
    step: Union[str, float, None] = None,
    costs: _Costs = None,
    costs_csv: Optional[str] = None,
    costs_source: Optional[str] = None,
) -> List[Dict[str, Any]]: ...

# The column-major path (``Plan::score_columns``) of ``apertura.score`` for complete frames.
_Cells = Tuple[str, str, int]  # (cells joined, separator, number of cells)

# An object with the Arrow PyCapsule interface (``__arrow_c_stream__`` / ``__arrow_c_array__``).
_ArrowLike = Any

def score_columns(
    plan: Plan,
    ids: Union[_Cells, _ArrowLike],
    names: Optional[Union[_Cells, _ArrowLike]],
    columns: Sequence[Tuple[str, Union[npt.NDArray[np.float64], _ArrowLike]]],
) -> Optional[
    Tuple[List[str], List[Union[npt.NDArray[np.float64], int]], npt.NDArray[np.int64], npt.NDArray[np.int8]]
]: ...
def column_roles(edition: Edition, headers: Sequence[str]) -> List[str]: ...
def canonical_metadata(edition: Edition, header: str, role: str, values: Sequence[str]) -> Optional[List[Optional[str]]]: ...
def distinct_objects(values: npt.NDArray[np.object_], limit: int) -> Optional[List[Any]]: ...
def arrow_columns(data: _ArrowLike) -> List[Tuple[str, Any]]: ...
def arrow_distinct(column: _ArrowLike, limit: int) -> Optional[List[Optional[str]]]: ...

# Scores given as they are (core ``Plan::rank_scores``): the reduction step of a table scored
# in parts. ``text``: ``(header, cells)`` metadata columns (the id, grouping columns);
# ``columns``: ``(header, contiguous float64 array)`` node columns, NaN = unknown.
_TextColumns = Sequence[Tuple[str, Sequence[Optional[str]]]]
_NodeColumns = Sequence[Tuple[str, npt.NDArray[np.float64]]]

def rank_scores(
    plan: Plan, text: _TextColumns, columns: _NodeColumns
) -> Tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]: ...
def summary_scores(plan: Plan, text: _TextColumns, columns: _NodeColumns, by: str) -> List[Dict[str, Any]]: ...
def population_nodes(plan: Plan) -> List[str]: ...

# Robustness analysis (core ``robustness``): the factor dict holds ``FactorSpec`` fields,
# ``options`` ``UncertaintyOptions`` / ``SensitivityOptions`` fields (``target`` may be a
# string or a list of names). Returns ``(result, design_csv)``: the core's result as a dict
# (``outputs``, if kept, as ``{"scores": (runs, m) float64, "ranks": (runs, m) int64}``
# arrays) and the design as CSV.
_ProgressCallback = typing.Callable[[int, int], Any]

def uncertainty(
    plan: Plan,
    data: Dataset,
    factors: Dict[str, Any],
    options: Optional[Dict[str, Any]] = None,
    design: Optional[str] = None,
    progress: Optional[_ProgressCallback] = None,
    requests: Optional[Sequence[Dict[str, Any]]] = None,
    proposals: Optional[Sequence[Dict[str, Any]]] = None,
) -> Tuple[Dict[str, Any], str]: ...
def sensitivity(
    plan: Plan,
    data: Dataset,
    factors: Dict[str, Any],
    options: Optional[Dict[str, Any]] = None,
    design: Optional[str] = None,
    progress: Optional[_ProgressCallback] = None,
    requests: Optional[Sequence[Dict[str, Any]]] = None,
    proposals: Optional[Sequence[Dict[str, Any]]] = None,
) -> Tuple[Dict[str, Any], str]: ...
def _synthetic_csv(edition: Edition, n: int, seed: int) -> str: ...

# The CKAN catalogue scorer (core ``observations::catalogue``): ``{"reference_date",
# "datasets", "organizations"}`` with the core's records (organizations carry ``tg.da``).
def catalogue(
    text: str,
    source: str = "input",
    *,
    reference_date: Optional[str] = None,
    max_age_days: Optional[int] = None,
    rules: Optional[str] = None,
) -> Dict[str, Any]: ...
