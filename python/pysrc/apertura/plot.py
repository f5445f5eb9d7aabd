"""Plots of apertura results (matplotlib, imported when a function is called).

Both functions take a score table as returned by :func:`apertura.score` (pandas, polars or
a list of dicts) and draw on ``ax`` (a new figure if ``None``), returning the axes.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

__all__ = ["quadrants", "scorecard"]

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
