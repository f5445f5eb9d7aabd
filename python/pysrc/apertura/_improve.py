"""``apertura.improve``: the exact minimum-cost path of an institution to a target.

The search (Pareto fronts over the tree, gates, the engine's re-scoring) and every check
live in the Rust core (``analysis::improve``); this module only converts the arguments
(target, step, costs, data) and builds the result object and frames.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _apertura
from . import _frames
from ._errors import UsageError

ACTION_COLUMNS = ("node", "from", "to", "steps", "cost", "gain")
ALL_COLUMNS = (
    "id",
    "name",
    "feasible",
    "reason",
    "cost",
    "required",
    "score_before",
    "score_after",
    "rank_before",
    "rank_after",
    "quadrant_before",
    "quadrant_after",
    "steps",
)
FRONTIER_COLUMNS = ("cost", "score", "actions")
_QUADRANTS = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Improvement:
    """The cheapest path of one institution to a target (:func:`apertura.improve`).

    ``cost`` is the minimum total cost (0 if the target is met already); ``required`` the
    score the target node must reach (for a rank target, the score of the institution now
    at that rank; for a quadrant target, the split); ``score_before`` / ``score_after`` the
    target node's score now and after the actions (the index for quadrant targets), scored
    by the engine with the other institutions unchanged; ``rank_*`` and ``quadrant_*`` the
    index's rank and T x P quadrant. ``actions`` holds one row per node raised (``node,
    from, to, steps, cost, gain``; largest gain first, each gain given the rows above it,
    so the gains add up to ``score_after - score_before``), as a pandas / polars DataFrame
    or a list of dicts (``output=``). ``target`` is ``{"kind": ..., "value": ...}``.
    """

    institution: str
    name: str
    target: Dict[str, Any]
    target_node: str
    required: float
    feasible: bool
    cost: float
    score_before: float
    score_after: float
    rank_before: int
    rank_after: int
    quadrant_before: Optional[str]
    quadrant_after: Optional[str]
    actions: Any = field(repr=False)

    def __repr__(self) -> str:
        n = len(self.actions)
        return (
            f"Improvement(institution={self.institution!r}, target_node={self.target_node!r}, "
            f"required={self.required!r}, cost={self.cost!r}, score={self.score_before!r} -> "
            f"{self.score_after!r}, rank={self.rank_before} -> {self.rank_after}, "
            f"quadrant={self.quadrant_before} -> {self.quadrant_after}, actions={n})"
        )


def _target(
    target_score: Optional[float],
    target_rank: Optional[int],
    target_quadrant: Optional[str],
    target_mean: bool,
    frontier: bool,
) -> Dict[str, Any]:
    given: List[Tuple[str, Any]] = []
    if target_score is not None:
        if isinstance(target_score, bool) or not isinstance(target_score, (int, float)):
            raise UsageError(
                f"invalid_target: target_score must be a number, not {target_score!r}", "invalid_target"
            )
        given.append(("score", float(target_score)))
    if target_rank is not None:
        if isinstance(target_rank, bool) or not isinstance(target_rank, int) or target_rank < 1:
            raise UsageError(
                f"invalid_target: target_rank must be a whole number >= 1, not {target_rank!r}", "invalid_target"
            )
        given.append(("rank", int(target_rank)))
    if target_quadrant is not None:
        if target_quadrant not in _QUADRANTS:
            raise UsageError(
                f"invalid_target: target_quadrant must be 'I', 'II', 'III' or 'IV', not {target_quadrant!r}",
                "invalid_target",
            )
        given.append(("quadrant", target_quadrant))
    if target_mean:
        given.append(("mean", None))
    if len(given) > 1 or (not given and not frontier):
        names = ", ".join(f"target_{k}" for k, _ in given) or "none"
        raise UsageError(
            "invalid_target: give exactly one of target_score, target_rank, target_quadrant, "
            f"target_mean=True (given: {names})",
            "invalid_target",
        )
    if not given:
        # A frontier needs only the node: any score target names it.
        return {"kind": "score", "value": 0.0}
    kind, value = given[0]
    return {"kind": kind} if value is None else {"kind": kind, "value": value}


def _cost_value(node: Any, v: Any) -> float:
    try:
        if isinstance(v, bool):
            raise TypeError
        return float(v)
    except (TypeError, ValueError):
        raise UsageError(
            f"invalid_cost: cost per step of {node!r} is {v!r}: a number at least 0, or inf to freeze",
            "invalid_cost",
        ) from None


def _costs(costs: Any) -> Dict[str, Any]:
    """``costs=`` as the native functions take them: a file's text or (node, cost, row)."""
    if costs is None:
        return {}
    if isinstance(costs, (str, os.PathLike)):
        path = os.fspath(costs)
        with open(path, "rb") as f:
            return {"costs_csv": f.read().decode("utf-8"), "costs_source": path}
    if isinstance(costs, (bytes, bytearray, memoryview)):
        return {"costs_csv": bytes(costs).decode("utf-8"), "costs_source": "costs"}
    if isinstance(costs, dict):
        return {"costs": [(str(k), _cost_value(k, v), None) for k, v in costs.items()]}
    if _frames.is_pandas(costs) or _frames.is_polars(costs):
        rows = _frames.records_of(costs, "costs")
        out = []
        for k, r in enumerate(rows):
            if "node" not in r or "cost_per_step" not in r:
                raise UsageError(
                    f"invalid_cost: costs row {k + 1} needs the columns node and cost_per_step",
                    "invalid_cost",
                )
            out.append((str(r["node"]), _cost_value(r["node"], r["cost_per_step"]), k + 1))
        return {"costs": out, "costs_source": "costs"}
    raise TypeError(
        "costs must be a path to a CSV file (node,cost_per_step), a DataFrame with the columns "
        f"node and cost_per_step, or a dict node -> cost, not {type(costs).__name__}"
    )


def _step(step: Union[str, float]) -> Union[str, float]:
    if isinstance(step, bool) or not isinstance(step, (str, int, float)):
        raise UsageError(f"invalid_step: step must be text ('1/3') or a number, not {step!r}", "invalid_step")
    return step if isinstance(step, str) else float(step)


def _nan(v: Any) -> float:
    return math.nan if v is None else float(v)


def improve(
    data: Any,
    institution: Optional[str] = None,
    *,
    target_score: Optional[float] = None,
    target_rank: Optional[int] = None,
    target_quadrant: Optional[str] = None,
    target_mean: bool = False,
    node: Optional[str] = None,
    step: Union[str, float] = "1/3",
    costs: Any = None,
    edition: Any = "mga-2017",
    gates: Optional[str] = None,
    weights: Any = None,
    requests: Any = None,
    proposals: Any = None,
    output: str = "auto",
    where: Any = None,
    frontier: bool = False,
    all: bool = False,
    **options: Any,
) -> Any:
    """The cheapest set of steps that takes ``institution`` to a target, the others unchanged.

    Give exactly one target: ``target_score`` (a score of ``node``, the index by default),
    ``target_rank`` (the rank of ``node``: reach the score of the institution now at that
    rank; a tie counts), ``target_mean=True`` (the national mean of ``node`` now) or
    ``target_quadrant`` (``"I"``... ``"IV"``, on the index's T x P axes; an axis that must
    stay low is frozen). An action raises one of the lowest nodes given (the items of
    item-level data, the perspectives of the published 2017 file) by ``step`` (a share of
    its range: ``"1/3"`` by default, or ``"0.25"``, ``0.25``), up to the top; a value off
    the step's grid first rises to the next multiple (within 1e-4). Each step costs 1 unless
    ``costs`` says otherwise: a path to a CSV file ``node,cost_per_step``, a DataFrame with
    those columns or a dict ``{node: cost}``; a cost on an aggregate (``"tg"``) prices every
    node under it without its own, ``math.inf`` freezes a node. The minimum is exact (not a
    heuristic): see the core's ``analysis::improve``.

    ``data``, ``edition``, ``gates``, ``weights``, ``requests``, ``proposals``, ``where`` and
    the other keywords (settings) are as for :func:`apertura.score`.

    Returns, for one institution, an :class:`Improvement` (``cost``, ``score_before``,
    ``score_after``, ``rank_before``, ``rank_after``, ``quadrant_before``,
    ``quadrant_after``, ``target``, ``required`` and the ``actions`` frame). With
    ``frontier=True`` (no target needed; a score, rank or mean target only names the node):
    the cost-score Pareto front, one row per point (``cost, score, actions``: the cheapest
    cost of each reachable score, from no step to the top; ``actions`` a list of dicts).
    With ``all=True`` (no ``institution``): one row per institution (``id, name, feasible,
    reason, cost, required, score_before, score_after, rank_before, rank_after,
    quadrant_before, quadrant_after, steps``, ``steps`` the actions as ``"tg.ai+2
    pc.metodo+1"`` as the CLI writes them; an unreachable target is ``feasible=False`` with
    its reason and an infinite cost). Frames are of the input's kind (``output=`` forces
    ``"pandas" | "polars" | "records"``).

    Raises ``UsageError`` with ``code`` ``unreachable_target`` (for one institution),
    ``invalid_target``, ``unknown_institution``, ``unknown_node``, ``invalid_cost``,
    ``invalid_step``, ``search_limit`` or ``unsupported`` (an edition rescaled over the
    population); ``InputError`` for bad data or a bad costs file.

    Example:
        >>> import apertura
        >>> rows = [{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2}]
        >>> x = apertura.improve(rows, "a", target_score=0.5, output="records")
        >>> x.cost, round(x.score_after, 4), [(a["node"], a["steps"]) for a in x.actions]
        (2.0, 0.5, [('tg', 2)])
    """
    from . import _prepare  # the shared readers of apertura/__init__.py

    if frontier and all:
        raise UsageError("invalid_option: frontier=True and all=True do not go together", "invalid_option")
    if all and institution is not None:
        raise UsageError(
            f"invalid_option: all=True improves every institution: do not name one ({institution!r})",
            "invalid_option",
        )
    if not all and not isinstance(institution, str):
        raise UsageError(
            f"invalid_option: improve needs an institution id (or all=True), not {institution!r}",
            "invalid_option",
        )
    who = institution or ""
    target = _target(target_score, target_rank, target_quadrant, target_mean, frontier)
    kw: Dict[str, Any] = {"node": node, "step": _step(step), **_costs(costs)}
    given, plan = _prepare(data, edition, gates, weights, requests, proposals, options, where)
    kind = _frames.output_kind(output, given.kind)
    if all:
        rows = _apertura.improve_all(plan, given.dataset, target, **kw)
        table = [
            {
                "id": r["institution"],
                "name": r["name"],
                "feasible": r["feasible"],
                "reason": r.get("reason"),
                "cost": r["cost"],
                "required": _nan(r["required"]),
                "score_before": _nan(r["score_before"]),
                "score_after": _nan(r["score_after"]),
                "rank_before": r["rank_before"],
                "rank_after": r["rank_after"],
                "quadrant_before": r["quadrant_before"],
                "quadrant_after": r["quadrant_after"],
                "steps": " ".join(f"{a['node']}+{a['steps']}" for a in r["actions"]),
            }
            for r in rows
        ]
        return _frames.records_frame(table, kind, ALL_COLUMNS)
    if frontier:
        points = _apertura.improve_frontier(plan, given.dataset, who, target, **kw)
        return _frames.records_frame(points, kind, FRONTIER_COLUMNS)
    r = _apertura.improve(plan, given.dataset, who, target, **kw)
    return Improvement(
        institution=r["institution"],
        name=r["name"],
        target=r["target"],
        target_node=r["target_node"],
        required=_nan(r["required"]),
        feasible=r["feasible"],
        cost=r["cost"],
        score_before=_nan(r["score_before"]),
        score_after=_nan(r["score_after"]),
        rank_before=r["rank_before"],
        rank_after=r["rank_after"],
        quadrant_before=r["quadrant_before"],
        quadrant_after=r["quadrant_after"],
        actions=_frames.records_frame(r["actions"], kind, ACTION_COLUMNS),
    )
