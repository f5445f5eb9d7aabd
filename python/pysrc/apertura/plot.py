"""Plots of apertura results (matplotlib, imported when a function is called).

:func:`scorecard` and :func:`quadrants` take a score table as returned by
:func:`apertura.score` (pandas, polars or a list of dicts); :func:`uncertainty` and
:func:`sensitivity` take the result of :func:`apertura.uncertainty` /
:func:`apertura.sensitivity`. Each draws on ``ax`` (a new figure if ``None``) and returns
the axes.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

__all__ = ["quadrants", "scorecard", "sensitivity", "uncertainty"]

_PERSPECTIVES = ("iga", "t", "p", "tg", "tc", "pg", "pc")


def _rows(scores: Any) -> List[Dict[str, Any]]:
    """A score table of any supported kind -> list of dicts."""
    if hasattr(scores, "to_dicts"):  # polars
        return list(scores.to_dicts())
    if hasattr(scores, "to_dict") and hasattr(scores, "columns"):  # pandas
        return list(scores.to_dict("records"))
    return [dict(r) for r in scores]


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    import importlib

    plt = importlib.import_module("matplotlib.pyplot")
    _, ax = plt.subplots()
    return ax


def _value(row: Dict[str, Any], key: str) -> Optional[float]:
    v = row.get(key)
    if v is None:
        return None
    v = float(v)
    return None if v != v else v


def scorecard(scores: Any, institution: str, nodes: Optional[Sequence[str]] = None, ax: Any = None) -> Any:
    """Bar chart of one institution's scores (by default the index, dimensions and
    perspectives: ``iga, t, p, tg, tc, pg, pc``).

    Example:
        >>> import apertura, apertura.plot
        >>> out = apertura.score([{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2}])
        >>> ax = apertura.plot.scorecard(out, "a")  # doctest: +SKIP
    """
    rows = [r for r in _rows(scores) if r.get("id") == institution]
    if not rows:
        raise KeyError(f"no institution with id {institution!r} in the score table")
    row = rows[0]
    names = [n for n in (nodes or _PERSPECTIVES) if _value(row, n) is not None]
    values = [_value(row, n) for n in names]
    ax = _axes(ax)
    ax.bar(names, values, color=["#1f4e79" if n in ("iga", "t", "p") else "#5b9bd5" for n in names])
    ax.set_ylim(0, 1)
    ax.set_ylabel("score")
    ax.set_title(f"{row.get('name') or institution} (rank {row.get('rank')})")
    for x, v in zip(names, values):
        ax.annotate(f"{v:.2f}", (x, v), ha="center", va="bottom")
    return ax


def quadrants(scores: Any, split: float = 0.5, label: bool = False, ax: Any = None) -> Any:
    """Scatter of transparency (``t``, x) against participation (``p``, y), split into the
    four quadrants of the 2017 typology at ``split`` (the edition's ``quadrant_split``).

    Example:
        >>> import apertura, apertura.plot
        >>> out = apertura.score([{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2}])
        >>> ax = apertura.plot.quadrants(out)  # doctest: +SKIP
    """
    rows = [r for r in _rows(scores) if _value(r, "t") is not None and _value(r, "p") is not None]
    ax = _axes(ax)
    xs = [float(r["t"]) for r in rows]
    ys = [float(r["p"]) for r in rows]
    ax.scatter(xs, ys, s=12, alpha=0.6)
    ax.axvline(split, color="grey", lw=0.8)
    ax.axhline(split, color="grey", lw=0.8)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("Transparencia (T)")
    ax.set_ylabel("Participación (P)")
    low, high = split / 2, (split + 1) / 2
    for text, (x, y) in {"I": (high, low), "II": (high, high), "III": (low, low), "IV": (low, high)}.items():
        ax.text(x, y, text, alpha=0.5, fontsize=20, ha="center", va="center", zorder=5)
    if label:
        for r, x, y in zip(rows, xs, ys):
            ax.annotate(str(r.get("id")), (x, y), fontsize=6)
    return ax


def _raw(result: Any, key: str, analysis: str) -> Dict[str, Any]:
    """The core's dict of a robustness result (or that dict itself)."""
    raw = getattr(result, "raw", result)
    if not isinstance(raw, dict) or key not in raw:
        raise TypeError(f"expected the result of apertura.{analysis}(), not {type(result).__name__}")
    return raw


def uncertainty(result: Any, top: Optional[int] = None, ax: Any = None) -> Any:
    """Rank intervals of an uncertainty analysis (as COINr's ``plot_uncertainty``): one
    column per institution, ordered by nominal rank, with a line from the 5th to the 95th
    percentile of its rank over the runs, a dot at the median rank and a dash at the
    nominal rank. ``top`` keeps the first ``top`` institutions by nominal rank. Rank 1 is
    at the top.

    Example:
        >>> import apertura, apertura.plot
        >>> rows = [{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
        ...         {"id": "b", "tg": 0.9, "tc": 0.1, "pg": 0.5, "pc": 0.5}]
        >>> ua = apertura.uncertainty(rows, weight_noise=0.25, n=64)
        >>> ax = apertura.plot.uncertainty(ua)  # doctest: +SKIP
    """
    rows = list(_raw(result, "top", "uncertainty")["institutions"])
    order = sorted(range(len(rows)), key=lambda k: (rows[k]["rank"], k))
    if top is not None:
        order = order[: max(int(top), 0)]
    shown = [rows[k] for k in order]
    xs = list(range(1, len(shown) + 1))
    ax = _axes(ax)
    ax.vlines(xs, [r["rank_q05"] for r in shown], [r["rank_q95"] for r in shown], color="#5b9bd5", lw=1.5,
              label="5th-95th percentile")
    ax.scatter(xs, [r["rank_median"] for r in shown], s=14, color="#1f4e79", zorder=3, label="median rank")
    ax.scatter(xs, [r["rank"] for r in shown], s=14, marker="_", color="#c00000", zorder=4, label="nominal rank")
    if not ax.yaxis_inverted():
        ax.invert_yaxis()
    ax.set_xlabel("institution (by nominal rank)")
    ax.set_ylabel("rank")
    if len(shown) <= 40:
        ax.set_xticks(xs)
        ax.set_xticklabels([str(r["id"]) for r in shown], rotation=90, fontsize=7)
    ax.legend(loc="lower right", fontsize=8)
    return ax


def sensitivity(result: Any, target: str = "rank_shift", institution: Optional[str] = None, ax: Any = None) -> Any:
    """Sobol' indices of one target of a sensitivity analysis: per factor a bar of the
    first-order index S1 and, stacked on it, the interactions ST - S1. ``target`` is
    ``rank_shift`` (default), ``national``, ``score`` or ``rank`` (the last two need
    ``institution``). Estimates below 0 (sampling noise around 0) are drawn at 0.

    Example:
        >>> import apertura, apertura.plot
        >>> rows = [{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
        ...         {"id": "b", "tg": 0.9, "tc": 0.1, "pg": 0.5, "pc": 0.5}]
        >>> sa = apertura.sensitivity(rows, weight_noise=0.25, n=64, bootstrap=0)
        >>> ax = apertura.plot.sensitivity(sa, target="score", institution="a")  # doctest: +SKIP
    """
    raw = _raw(result, "indices", "sensitivity")
    if target in ("score", "rank") and institution is None:
        raise ValueError(f"target {target!r} is per institution: give institution=")
    want = institution if target in ("score", "rank") else None
    rows = [r for r in raw["indices"] if r["target"] == target and r.get("institution") == want]
    if not rows:
        constant = [c for c in raw.get("constant", []) if c["target"] == target and c.get("institution") == want]
        what = target if want is None else f"{target} of {want!r}"
        if constant:
            raise ValueError(f"{what} is constant over the runs (value {constant[0]['value']}): it has no indices")
        raise ValueError(f"no indices of {what} in this result")
    names = [str(r["factor"]) for r in rows]
    s1 = [max(float(r["s1"]), 0.0) for r in rows]
    inter = [max(float(r["st"]) - max(float(r["s1"]), 0.0), 0.0) for r in rows]
    ax = _axes(ax)
    xs = list(range(len(names)))
    ax.bar(xs, s1, color="#1f4e79", label="first order (S1)")
    ax.bar(xs, inter, bottom=s1, color="#9dc3e6", label="interactions (ST - S1)")
    ax.set_xticks(xs)
    ax.set_xticklabels(names, rotation=90 if len(names) > 8 else 0, fontsize=8)
    ax.set_ylabel("share of variance")
    ax.set_ylim(0, max(1.0, max(a + b for a, b in zip(s1, inter)) * 1.05))
    ax.set_title(target if want is None else f"{target}: {want}")
    ax.legend(fontsize=8)
    return ax
