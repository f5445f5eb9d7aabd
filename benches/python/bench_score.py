"""Benchmark (not a test): apertura.score against plain pandas, on every kind of frame a
user has.

100,000 synthetic item-level institutions (the 17 items of mga-2017, values in thirds,
gates respected; numpy RNG seeded) with ``id, name, jurisdiction, level, type`` text
columns, scored end to end (conversions included, output the caller's kind of frame with
the score table's columns) by apertura.score and by an idiomatic vectorized pandas
implementation of the 2017 formulas, rank and quadrant (``pandas_vectorized``), on the same
data as:

* ``numpy``: a pandas frame built from numpy arrays and lists of str (pandas 3 makes the
  lists ``str`` columns, Arrow-backed when pyarrow is installed);
* ``records``: ``pd.DataFrame(list_of_dicts)``;
* ``read_csv``: ``pd.read_csv(path)`` (pandas 3: ``str`` text columns, Arrow-backed when
  pyarrow is installed);
* ``str``: the numpy frame with its text columns as pandas' ``str`` dtype;
* ``object``: the same with ``object`` text columns (Python strings: pandas < 3, or numpy
  object arrays);
* ``polars``: ``pl.read_csv(path)`` (the baseline scores the pandas frame of the same data);
* ``pyarrow``: ``pyarrow.csv.read_csv(path)`` (likewise);
* ``path``: ``apertura.score(path)`` against ``pd.read_csv(path)`` + the vectorized pandas.

Every result is checked against the pandas one before timing (every node within 1e-12,
ranks, quadrants and ids equal). Medians of repeated runs, all in one process, apertura and
pandas timed alternately; every ratio and the worst are printed. The row-wise ``DataFrame.apply`` version (b) is timed on a
10,000-row subset and scaled linearly (``--apply``).

    .venv/bin/python benches/python/bench_score.py [--rows N] [--repeat R] [--apply]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Callable, Dict, List

import numpy as np
import pandas as pd

import apertura

# The 2017 tree (S1 Anexo 1), written out by hand for the baselines.
TG = {"tg.ai": 0.5, "tg.tr": 0.2, "tg.tp": 0.2, "tg.da": 0.1}
TC = {"tc.disponibilidad": 0.25, "tc.claridad": 0.25, "tc.completitud": 0.25, "tc.celeridad": 0.25}
PG = {"pg.mecanismos": 0.2, "pg.actores": 0.1, "pg.funcionamiento": 0.3, "pg.formato": 0.1, "pg.seguimiento": 0.3}
PC = {"pc.metodo": 0.2, "pc.recepcion": 0.3, "pc.activacion": 0.3, "pc.celeridad": 0.2}
ITEMS = [*TG, *TC, *PG, *PC]
SPLIT = 0.5
JURISDICTIONS = ["Federal", "Aguascalientes", "Baja California", "Jalisco", "Ciudad de México", "Yucatán"]
LEVELS = ["Federal", "Estatal", "Municipal"]
TYPES = ["Autónomo", "Municipio", "Partido", "Universidad"]


def synthetic(n: int, seed: int = 2017, metadata: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    v = rng.integers(0, 4, size=(n, len(ITEMS))) / 3.0  # thirds: 0, 1/3, 2/3, 1
    col = {name: v[:, k].copy() for k, name in enumerate(ITEMS)}
    # Gates (applied in the edition's order, so every dataset scores with gates="error").
    for g in ("pg.actores", "pg.funcionamiento", "pg.formato", "pg.seguimiento"):
        col[g][col["pg.mecanismos"] == 0] = 0.0
    for g in ("pc.recepcion", "pc.activacion", "pc.celeridad"):
        col[g][col["pc.metodo"] == 0] = 0.0
    col["pc.activacion"][col["pc.recepcion"] < 1] = 0.0
    col["pc.celeridad"][col["pc.activacion"] == 0] = 0.0
    data: Dict[str, object] = {"id": [f"syn-{i:06d}" for i in range(n)]}
    if metadata:
        data["jurisdiction"] = [JURISDICTIONS[i % len(JURISDICTIONS)] for i in range(n)]
        data["level"] = [LEVELS[i % len(LEVELS)] for i in range(n)]
        data["type"] = [TYPES[i % len(TYPES)] for i in range(n)]
    data.update(col)
    return pd.DataFrame(data)


def _meta(df: pd.DataFrame) -> Dict[str, object]:
    n = len(df)
    return {
        "id": df["id"],
        "name": df["name"] if "name" in df else df["id"],
        "jurisdiction": df["jurisdiction"] if "jurisdiction" in df else [None] * n,
        "level": df["level"] if "level" in df else [None] * n,
        "type": df["type"] if "type" in df else [None] * n,
    }


def pandas_vectorized(df: pd.DataFrame) -> pd.DataFrame:
    """(a) The 2017 formulas, rank and quadrant, vectorized with pandas."""

    def wmean(weights: Dict[str, float]) -> pd.Series:
        # Weighted mean: sum(w * x) / sum(w). The division by the weights' float sum
        # (0.9999999999999999 for TG) is what the core does too, so ties rank alike.
        total = None
        for item, w in weights.items():
            total = w * df[item] if total is None else total + w * df[item]
        return total / sum(weights.values())

    tg, tc, pg, pc = wmean(TG), wmean(TC), wmean(PG), wmean(PC)
    t = 0.5 * tg + 0.5 * tc
    p = 0.5 * pg + 0.5 * pc
    iga = 0.5 * t + 0.5 * p
    out = pd.DataFrame(_meta(df), index=df.index)
    for name, s in (("iga", iga), ("t", t), ("p", p), ("tg", tg), ("tc", tc), ("pg", pg), ("pc", pc)):
        out[name] = s
    for item in ITEMS:
        out[item] = df[item]
    out["rank"] = iga.rank(method="min", ascending=False).astype("int64")
    high_t, high_p = t > SPLIT, p > SPLIT
    out["quadrant"] = np.select(
        [high_t & ~high_p, high_t & high_p, ~high_t & ~high_p], ["I", "II", "III"], default="IV"
    )
    return out


def _row(r: pd.Series) -> pd.Series:
    tg = sum(w * r[i] for i, w in TG.items()) / sum(TG.values())
    tc = sum(w * r[i] for i, w in TC.items()) / sum(TC.values())
    pg = sum(w * r[i] for i, w in PG.items()) / sum(PG.values())
    pc = sum(w * r[i] for i, w in PC.items()) / sum(PC.values())
    t = 0.5 * tg + 0.5 * tc
    p = 0.5 * pg + 0.5 * pc
    if t > SPLIT:
        q = "II" if p > SPLIT else "I"
    else:
        q = "IV" if p > SPLIT else "III"
    return pd.Series({"iga": 0.5 * t + 0.5 * p, "t": t, "p": p, "tg": tg, "tc": tc, "pg": pg, "pc": pc, "quadrant": q})


def pandas_apply(df: pd.DataFrame) -> pd.DataFrame:
    """(b) The same, one row at a time with DataFrame.apply."""
    nodes = df.apply(_row, axis=1)
    out = pd.DataFrame(_meta(df), index=df.index)
    for name in ("iga", "t", "p", "tg", "tc", "pg", "pc"):
        out[name] = nodes[name].astype("float64")
    for item in ITEMS:
        out[item] = df[item]
    out["rank"] = out["iga"].rank(method="min", ascending=False).astype("int64")
    out["quadrant"] = nodes["quadrant"]
    return out


def median_time(f: Callable[[], object], repeat: int) -> float:
    times: List[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def paired_times(ours: Callable[[], object], peer: Callable[[], object], repeat: int) -> "tuple[float, float]":
    """Medians of ``ours`` and ``peer`` timed alternately (a shared machine's load then
    weighs on both alike)."""
    a: List[float] = []
    b: List[float] = []
    for _ in range(repeat):
        for f, times in ((ours, a), (peer, b)):
            t0 = time.perf_counter()
            f()
            times.append(time.perf_counter() - t0)
    return statistics.median(a), statistics.median(b)


def cross_check(df: pd.DataFrame, ours: pd.DataFrame, theirs: pd.DataFrame) -> float:
    assert list(ours.columns) == list(theirs.columns), (list(ours.columns), list(theirs.columns))
    worst = 0.0
    for name in ["iga", "t", "p", "tg", "tc", "pg", "pc", *ITEMS]:
        worst = max(worst, float(np.max(np.abs(ours[name].to_numpy() - theirs[name].to_numpy()))))
    assert worst <= 1e-12, f"apertura and the pandas implementation differ by {worst}"
    assert (ours["rank"].to_numpy() == theirs["rank"].to_numpy()).all(), "ranks differ"
    assert (ours["quadrant"].astype(str).to_numpy() == theirs["quadrant"].astype(str).to_numpy()).all(), "quadrants differ"
    assert ours["id"].tolist() == theirs["id"].tolist()
    return worst


def realistic(n: int, seed: int = 2017) -> pd.DataFrame:
    """``synthetic`` with ``id, name, jurisdiction, level, type`` first (the columns of a
    published file)."""
    df = synthetic(n, seed, metadata=True)
    df.insert(1, "name", [f"Institución sintética {i}" for i in range(n)])
    return df


def as_pandas(out: object) -> pd.DataFrame:
    """A result of any kind as a pandas frame (for the cross-check only)."""
    if isinstance(out, pd.DataFrame):
        return out
    return out.to_pandas()  # type: ignore[attr-defined]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--apply", action="store_true", help="also time (b) DataFrame.apply (scaled)")
    ap.add_argument("--apply-rows", type=int, default=10_000, help="rows timed for (b), scaled to --rows")
    ap.add_argument("--apply-repeat", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated frame kinds to run (default: all)")
    args = ap.parse_args()

    import tempfile

    import polars as pl
    import pyarrow as pa
    import pyarrow.csv as pacsv

    base = realistic(args.rows)
    tmp = tempfile.TemporaryDirectory()
    path = f"{tmp.name}/big.csv"
    base.to_csv(path, index=False)
    text_cols = ["id", "name", "jurisdiction", "level", "type"]
    records = base.to_dict("records")
    frames: Dict[str, object] = {
        "numpy": base,
        "records": pd.DataFrame(records),
        "read_csv": pd.read_csv(path),
        "str": base.astype({c: "str" for c in text_cols}),
        "object": base.astype({c: object for c in text_cols}),
        "polars": pl.read_csv(path),
        "pyarrow": pacsv.read_csv(path),
    }
    # What the vectorized pandas implementation scores for each (the pandas frame itself,
    # or the pandas frame of the same data for polars and pyarrow).
    peers: Dict[str, pd.DataFrame] = {k: v for k, v in frames.items() if isinstance(v, pd.DataFrame)}
    peers["polars"] = peers["read_csv"]
    peers["pyarrow"] = peers["read_csv"]
    kinds = [k for k in [*frames, "path"] if not args.only or k in args.only.split(",")]
    print(
        f"apertura {apertura.__version__}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"polars {pl.__version__}, pyarrow {pa.__version__}, Python {sys.version.split()[0]}; "
        f"{args.rows:,} institutions x {len(ITEMS)} items + id, name, jurisdiction, level, type "
        f"({__import__('os').path.getsize(path) / 1e6:.1f} MB as CSV)"
    )

    # Check every result first (this also warms up caches and code paths).
    worst_diff = 0.0
    for kind in kinds:
        if kind == "path":
            ours, theirs = apertura.score(path), pandas_vectorized(pd.read_csv(path))
        else:
            data = frames[kind]
            before = data.copy(deep=True) if isinstance(data, pd.DataFrame) else None
            ours, theirs = apertura.score(data), pandas_vectorized(peers[kind])
            if before is not None:
                pd.testing.assert_frame_equal(data, before)  # input never modified
            want = {"polars": pl.DataFrame, "pyarrow": pa.Table}.get(kind, pd.DataFrame)
            assert isinstance(ours, want), (kind, type(ours))
        worst_diff = max(worst_diff, cross_check(peers.get(kind, base), as_pandas(ours), theirs))
    print(f"cross-check: every result equals the vectorized pandas one (max |diff| {worst_diff:.1e}; ranks, quadrants, ids equal)")

    ratios: Dict[str, float] = {}
    print(f"{'frame':10} {'apertura.score':>16} {'vectorized pandas':>19} {'ratio':>8}   (medians of {args.repeat}, timed alternately)")
    for kind in kinds:
        if kind == "path":
            t_ours, t_peer = paired_times(
                lambda: apertura.score(path), lambda: pandas_vectorized(pd.read_csv(path)), args.repeat
            )
            goal = 3.0
        else:
            data, peer = frames[kind], peers[kind]
            t_ours, t_peer = paired_times(lambda: apertura.score(data), lambda: pandas_vectorized(peer), args.repeat)
            goal = 5.0
        ratios[kind] = t_peer / t_ours
        label = "path (+read_csv)" if kind == "path" else kind
        print(
            f"{label:16} {t_ours * 1e3:10.1f} ms {t_peer * 1e3:16.1f} ms {ratios[kind]:7.1f}x"
            f"   goal >= {goal:g}x{'' if ratios[kind] >= goal else '  MISSED'}"
        )
    frame_ratios = {k: r for k, r in ratios.items() if k != "path"}
    if frame_ratios:
        k = min(frame_ratios, key=frame_ratios.__getitem__)
        print(f"worst frame ratio: {frame_ratios[k]:.1f}x ({k}; goal >= 5x)")
    if "path" in ratios:
        print(f"path ratio: {ratios['path']:.1f}x (goal >= 3x)")

    if args.apply:
        df = base
        small = df.iloc[: args.apply_rows]
        cross_check(small, apertura.score(small), pandas_apply(small))
        t_apply_small = median_time(lambda: pandas_apply(small), args.apply_repeat)
        t_apply = t_apply_small * args.rows / len(small)
        t_ours = median_time(lambda: apertura.score(df), args.repeat)
        print(
            f"(b) DataFrame.apply, row by row    {t_apply * 1e3:10.1f} ms  (median of {args.apply_repeat} on "
            f"{len(small):,} rows, scaled x{args.rows / len(small):g}): {t_apply / t_ours:.0f}x slower than apertura"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
