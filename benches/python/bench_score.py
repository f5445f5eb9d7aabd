"""Benchmark (not a test): apertura.score from a pandas DataFrame against plain pandas.

100,000 synthetic item-level institutions (the 17 items of mga-2017, values in thirds,
gates respected; numpy RNG seeded) in a pandas DataFrame, scored end to end (conversions
included, output a pandas DataFrame with the score table's columns) by:

* apertura.score(df);
* (a) an idiomatic vectorized pandas implementation of the 2017 formulas, rank and
  quadrant, written plainly;
* (b) the row-wise ``DataFrame.apply`` version (timed on a 10,000-row subset and scaled
  linearly to 100,000 rows: the full run would take minutes).

Medians of repeated runs, all in one process. (a) is also checked against apertura
(every node, rank and quadrant; within 1e-12).

    .venv/bin/python benches/python/bench_score.py [--rows N] [--repeat R] [--metadata]

``--metadata`` adds jurisdiction, level and type text columns to the input.
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
        "name": df["id"],
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--apply-rows", type=int, default=10_000, help="rows timed for (b), scaled to --rows")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--apply-repeat", type=int, default=3)
    ap.add_argument("--metadata", action="store_true", help="add jurisdiction/level/type text columns")
    args = ap.parse_args()

    df = synthetic(args.rows, metadata=args.metadata)
    before = df.copy(deep=True)
    print(
        f"apertura {apertura.__version__}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"Python {sys.version.split()[0]}; {args.rows:,} institutions x {len(ITEMS)} items"
        + (" + jurisdiction/level/type" if args.metadata else "")
    )

    # Warm up (edition cache, allocator, pandas code paths), then cross-check.
    ours = apertura.score(df)
    theirs = pandas_vectorized(df)
    worst = cross_check(df, ours, theirs)
    small = df.iloc[: args.apply_rows]
    applied = pandas_apply(small)
    cross_check(small, apertura.score(small), applied)
    pd.testing.assert_frame_equal(df, before)  # input never modified
    print(f"cross-check: (a) and (b) agree with apertura (max |diff| {worst:.1e}; ranks and quadrants equal)")

    t_ours = median_time(lambda: apertura.score(df), args.repeat)
    t_vec = median_time(lambda: pandas_vectorized(df), args.repeat)
    t_apply_small = median_time(lambda: pandas_apply(small), args.apply_repeat)
    t_apply = t_apply_small * args.rows / len(small)

    print(f"apertura.score(df)                 {t_ours * 1e3:10.1f} ms  (median of {args.repeat})")
    print(f"(a) vectorized pandas              {t_vec * 1e3:10.1f} ms  (median of {args.repeat})")
    print(
        f"(b) DataFrame.apply, row by row    {t_apply * 1e3:10.1f} ms  "
        f"(median of {args.apply_repeat} on {len(small):,} rows = {t_apply_small * 1e3:.1f} ms, scaled x{args.rows / len(small):g})"
    )
    print(f"speed-up vs (a): {t_vec / t_ours:6.1f}x   (target >= 3x)")
    print(f"speed-up vs (b): {t_apply / t_ours:6.0f}x   (target >= 100x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
