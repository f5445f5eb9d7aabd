"""Benchmark (not a test): apertura.improve for every institution against SciPy's MILP.

The job: every institution of N synthetic item-level MGA 2017 institutions (default 2,043,
the 2023 sample size; thirds, some values off the grid, gates respected; seeded) whose IGA is
below the national mean gets the minimum cost of reaching it, each item with its own price
per step (seeded, 0 to 3, some frozen). Timed end to end, medians of repeated runs, all in
one process:

* apertura, the way users call it: ``apertura.improve(path, target_mean=True, all=True,
  costs=...)`` on the CSV file on disk; on a frame from ``pd.read_csv``; on a frame built
  from a list of dicts;
* the peer a researcher would write instead: ``pd.read_csv``, the index and its national mean
  by the 2017 formulas, then one ``scipy.optimize.milp`` (HiGHS) per institution below the
  mean, formulated as in ``python/tests/test_improve.py`` (imported from there: the same
  independent program the tests check apertura against, gates as linear constraints).

Every minimum cost is checked equal (within 1e-6) before any time is printed.

    .venv/bin/python benches/python/bench_improve.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import numpy as np
import pandas as pd

import apertura

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python" / "tests"))
import test_improve as reference  # noqa: E402  (the independent MILP formulation)

ITEMS = reference.ITEMS


def synthetic(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [reference.random_row(rng) for _ in range(n)]
    return pd.DataFrame({"id": [f"syn-{i:06d}" for i in range(n)], **{k: [r[k] for r in rows] for k in ITEMS}})


def prices(seed: int) -> Dict[str, float]:
    rng = np.random.default_rng(seed)
    out = {}
    for item in ITEMS:
        u = rng.random()
        out[item] = math.inf if u < 0.1 else round(float(rng.uniform(0.0, 3.0)), 3)
    return out


def peer(path: Path, costs: Dict[str, float]) -> Dict[str, Optional[float]]:
    """pd.read_csv, the index by the formulas, one MILP per institution below the mean."""
    df = pd.read_csv(path)
    rows = df[ITEMS].to_dict("records")
    index = [reference.index_of(r) for r in rows]
    mean = float(np.mean(index))
    out: Dict[str, Optional[float]] = {}
    for i, r in zip(df["id"], rows):
        out[i] = 0.0 if reference.index_of(r) >= mean - reference.TOL else reference.milp_cost(r, costs, mean)
    return out


def costs_of(result: pd.DataFrame) -> Dict[str, Optional[float]]:
    return {i: (float(c) if f else None) for i, c, f in zip(result["id"], result["cost"], result["feasible"])}


def median_time(f: Callable[[], object], repeat: int) -> float:
    times: List[float] = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2043)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    costs = prices(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mga-synthetic.csv"
        synthetic(args.rows, 2017).to_csv(path, index=False)
        records = pd.read_csv(path).to_dict("records")

        def from_file() -> pd.DataFrame:
            return apertura.improve(str(path), target_mean=True, all=True, costs=costs)

        def from_read_csv() -> pd.DataFrame:
            return apertura.improve(pd.read_csv(path), target_mean=True, all=True, costs=costs)

        def from_records() -> pd.DataFrame:
            return apertura.improve(pd.DataFrame(records), target_mean=True, all=True, costs=costs)

        # Same answers first.
        expected = peer(path, costs)
        for f in (from_file, from_read_csv, from_records):
            got = costs_of(f())
            assert got.keys() == expected.keys()
            for i, c in expected.items():
                g = got[i]
                assert (c is None) == (g is None) and (c is None or abs(c - g) < 1e-6), (i, c, g)
        below = sum(1 for c in expected.values() if c != 0.0)
        t_peer = median_time(lambda: peer(path, costs), max(1, args.repeat // 2))
        print(f"{args.rows} institutions, {below} below the national mean; every cost equal to the MILP's")
        print(f"pd.read_csv + formulas + scipy.optimize.milp per institution: {t_peer:.3f} s")
        ratios = []
        for name, f in (("CSV file on disk", from_file), ("frame from pd.read_csv", from_read_csv), ("frame from records", from_records)):
            t = median_time(f, args.repeat)
            ratios.append(t_peer / t)
            print(f"apertura.improve(all=True), {name}: {t:.3f} s ({t_peer / t:.0f}x)")
        print(f"worst ratio: {min(ratios):.0f}x")


if __name__ == "__main__":
    main()
