"""``apertura.compare``: two runs (two years, or two editions) side by side.

The matching (ids and crosswalk), the changes, the transitions, the group means and the
data and method effects are computed by the Rust core (``analysis::compare``); this
module converts the arguments and builds the result object and its frames.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _apertura
from . import _frames

QUADRANT_LABELS = ("I", "II", "III", "IV", "none")


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`apertura.compare`.

    ``institutions`` has one row per pair of institutions (or one in a single file):
    ``id`` (the new id where there is one), ``name``, ``status`` (``both``, ``merged``,
    ``split``, ``old_only``, ``new_only``), ``rank_old``, ``rank_new``, ``rank_delta``
    (``rank_new - rank_old``: negative moved up), ``quadrant_old``, ``quadrant_new``,
    ``old_id``, ``new_id``, ``significant`` (with ``intervals``), then
    ``<node>_old, <node>_new, <node>_delta`` for every node scored in both runs and, where
    ``effects`` is true, ``<node>_data_effect, <node>_method_effect`` (they add up to the
    delta exactly). ``groups`` (with ``by``): ``group, n_matched, n_old_only, n_new_only``
    and the group means ``<node>_old, <node>_new, <node>_delta``, then ``national``.
    ``transitions``: counts of matched rows, old quadrant (rows) by new quadrant (columns),
    ``none`` where unknown. ``backcast``: the old data scored under the new method (a score
    frame), or ``None``. ``notes`` says why there are no effects.
    """

    institutions: Any
    groups: Any
    transitions: Any
    counts: Dict[str, int]
    effects: bool
    notes: List[str]
    nodes: List[str]
    old_edition: str
    new_edition: str
    backcast: Any = None
    ungrouped: int = 0
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)


def _edition_of(spec: Any, fallback: Any) -> Any:
    from . import Edition, _edition

    if spec is None:
        spec = fallback
    if isinstance(spec, str) and spec.lower().endswith((".toml", ".json")) and os.path.exists(spec):
        with open(spec, encoding="utf-8") as f:
            return Edition.from_str(f.read())
    return _edition(spec)


def _crosswalk(crosswalk: Any) -> Tuple[Any, Optional[str]]:
    """A path, CSV text or bytes, a frame or records with old_id/new_id, or pairs."""
    if crosswalk is None:
        return None, None
    if isinstance(crosswalk, os.PathLike) or (isinstance(crosswalk, str) and "\n" not in crosswalk):
        path = os.fspath(crosswalk)
        with open(path, "rb") as f:
            return f.read().decode("utf-8", errors="replace"), os.path.basename(path)
    if isinstance(crosswalk, bytes):
        return crosswalk.decode("utf-8", errors="replace"), "crosswalk"
    if isinstance(crosswalk, str):
        return crosswalk, "crosswalk"
    if _frames.is_pandas(crosswalk) or _frames.is_polars(crosswalk):
        records = _frames.records_of(crosswalk, "crosswalk")
    else:
        records = list(crosswalk)
    pairs: List[Tuple[str, str]] = []
    for r in records:
        if isinstance(r, dict):
            pairs.append((str(r.get("old_id", "")), str(r.get("new_id", ""))))
        else:
            old, new = r
            pairs.append((str(old), str(new)))
    return pairs, "crosswalk"


def _intervals(intervals: Any) -> Any:
    if intervals is None:
        return None
    if isinstance(intervals, dict):
        old, new = intervals["old"], intervals["new"]
    else:
        old, new = intervals

    def one(side: Any) -> List[Tuple[str, float, float]]:
        if hasattr(side, "institutions") and not isinstance(side, (list, dict)):
            # An UncertaintyResult: its 5th-95th percentile rank intervals.
            side = side.institutions
        if _frames.is_pandas(side) or _frames.is_polars(side):
            side = _frames.records_of(side, "intervals")
        out = []
        for r in side:
            if isinstance(r, dict):
                low = r["rank_q05"] if "rank_q05" in r else r["low"]
                high = r["rank_q95"] if "rank_q95" in r else r["high"]
                out.append((str(r["id"]), float(low), float(high)))
            else:
                out.append((str(r[0]), float(r[1]), float(r[2])))
        return out

    return one(old), one(new)


def compare(
    old: Any,
    new: Any,
    edition: Any = None,
    *,
    old_edition: Any = None,
    new_edition: Any = None,
    crosswalk: Any = None,
    by: Optional[str] = None,
    intervals: Any = None,
    gates: Optional[str] = None,
    output: str = "auto",
    **options: Any,
) -> Comparison:
    """Compares two runs: ``old`` under ``old_edition`` with ``new`` under ``new_edition``.

    ``old`` and ``new`` are anything :func:`score` accepts (a path, a pandas or polars
    frame, records, bytes). ``edition`` sets both editions (default ``"mga-2017"``; an id,
    an :class:`Edition` or an edition file path); ``old_edition`` / ``new_edition`` set
    each (``new_edition`` defaults to the old one). ``crosswalk`` pairs renamed, merged and
    split institutions: a CSV path or text with columns ``old_id,new_id``, a frame or
    records with those keys, or ``(old_id, new_id)`` pairs; a merge (two old ids, one new)
    gives one row per old unit, each compared with the new unit; a split one row per new
    unit. ``by`` adds group means (``jurisdiction``, ``level``, ``type`` or a metadata
    column). ``intervals`` (``{"old": ..., "new": ...}`` or a pair: uncertainty results,
    their ``institutions`` frames, or ``(id, low, high)`` rows) flags ``significant`` rank
    changes: the new rank outside the old interval and the old rank outside the new one.
    ``gates`` and the other keywords are core options of both runs.

    When the two methods differ and the new one can score the old data, every node's
    change splits into ``data_effect`` (new method, old vs new data) and
    ``method_effect`` (old data, old vs new method; the remainder, so the two add up to
    ``delta`` exactly), and ``backcast`` holds the old data scored under the new method.

    Raises ``InputError`` (bad data, crosswalk ids in neither file or in the wrong one,
    duplicate crosswalk rows), ``UsageError`` (``crosswalk_cycle``,
    ``crosswalk_many_to_many``, bad arguments) or ``EditionError``.

    Example:
        >>> import apertura
        >>> old = [{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2}]
        >>> new = [{"id": "a", "tg": 0.8, "tc": 0.6, "pg": 0.2, "pc": 0.2}]
        >>> c = apertura.compare(old, new, output="records")
        >>> round(c.institutions[0]["iga_delta"], 10), c.institutions[0]["status"]
        (0.1, 'both')
    """
    from . import _plan, _read

    if edition is not None and (old_edition is not None or new_edition is not None):
        from ._errors import UsageError

        raise UsageError(
            "invalid_option: give edition, or old_edition and new_edition, not both", "invalid_option"
        )
    old_ed = _edition_of(old_edition if edition is None else edition, "mga-2017")
    new_ed = _edition_of(new_edition if edition is None else edition, old_ed)
    old_plan = _plan(old_ed, gates, None, options)
    new_plan = _plan(new_ed, gates, None, options)
    old_in = _read(old, old_ed, old_plan, None, None)
    new_in = _read(new, new_ed, new_plan, None, None)
    kind = _frames.output_kind(output, new_in.kind)
    cw, source = _crosswalk(crosswalk)
    raw = _apertura.compare(
        old_plan,
        old_in.dataset,
        new_plan,
        new_in.dataset,
        crosswalk=cw,
        crosswalk_source=source,
        by=by,
        intervals=_intervals(intervals),
    )
    institutions = _frames.records_frame(raw["institutions"], kind, raw["institution_columns"])
    groups = None
    if raw["groups"] is not None:
        groups = _frames.records_frame(raw["groups"], kind, raw["group_columns"])
    rows = [dict(zip(("old",) + QUADRANT_LABELS, (label,) + tuple(r))) for label, r in zip(QUADRANT_LABELS, raw["transitions"])]
    transitions: Any = _frames.records_frame(rows, kind, ("old",) + QUADRANT_LABELS)
    if kind == _frames.PANDAS:
        transitions = transitions.set_index("old")
    backcast = None
    if raw["backcast"] is not None:
        backcast = _frames.records_frame(raw["backcast"].records(new_plan), kind)
    return Comparison(
        institutions=institutions,
        groups=groups,
        transitions=transitions,
        counts=dict(raw["counts"]),
        effects=bool(raw["effects"]),
        notes=list(raw["notes"]),
        nodes=list(raw["nodes"]),
        old_edition=raw["old_edition"],
        new_edition=raw["new_edition"],
        backcast=backcast,
        ungrouped=int(raw["ungrouped"]),
        raw=raw,
    )
