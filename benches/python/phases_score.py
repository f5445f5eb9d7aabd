"""Profile (not a test): where ``apertura.score(df)`` spends its time on the column-major path.

Runs the steps of ``apertura._frames._pandas_columnar`` one by one (private helpers: this
script follows that function and must be updated with it) on the data of
``bench_score.py``, and prints the median of each phase next to the end-to-end time and the
vectorized pandas baseline (a).

    .venv/bin/python benches/python/phases_score.py [--rows N] [--repeat R] [--metadata]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Dict, List

import numpy as np
import pandas as pd

import apertura
from apertura import _apertura as native
from apertura import _frames as F
from bench_score import pandas_vectorized, synthetic


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=31)
    ap.add_argument("--metadata", action="store_true", help="add jurisdiction/level/type text columns")
    args = ap.parse_args()

    df = synthetic(args.rows, metadata=args.metadata)
    e = apertura.Edition.load("mga-2017")
    times: Dict[str, List[float]] = {}

    def tick(phase: str, t0: float) -> float:
        t = time.perf_counter()
        times.setdefault(phase, []).append(t - t0)
        return t

    for _ in range(args.repeat):
        t0 = t = time.perf_counter()
        plan = apertura._plan(e, None, None, {})
        t = tick("plan (options, weights)", t)
        nodes_in, meta = F._roles(e, [(str(h), c) for h, c in df.items()])
        t = tick("columns + roles (core reader)", t)
        numeric = [(h, F._pandas_numeric(c)) for h, c in nodes_in]
        t = tick("node columns -> float64 views", t)
        ids = F._joined(meta["id"][1].to_numpy())
        t = tick("ids joined into one str", t)
        out_meta = {r: F._pandas_meta(pd, e, meta[r][0], r, meta[r][1]) for r in F._META_ROLES if r in meta}
        t = tick("metadata: distinct values read", t)
        scored = native.score_columns(plan, ids, None, numeric)
        t = tick("score_columns (core + binding)", t)
        assert scored is not None
        nodes, values, rank, quadrant = scored
        columns = {"id": meta["id"][1], "name": meta["id"][1]}
        missing = None
        for role in F._META_ROLES:
            got = out_meta.get(role)
            if got is None:
                if missing is None:
                    missing = pd.Series(np.empty(len(df), dtype=object), index=df.index, dtype=object, copy=False)
                got = missing
            columns[role] = got
        for (name, v) in zip(nodes, values):  # an int: the v-th node column, unchanged
            columns[name] = nodes_in[v][1] if isinstance(v, int) else v
        columns["rank"] = rank
        columns["quadrant"] = pd.Categorical.from_codes(quadrant, categories=list(F._QUADRANTS))
        pd.DataFrame(columns, index=df.index, copy=False)
        t = tick("output DataFrame", t)
        times.setdefault("sum of the phases", []).append(t - t0)
        t = time.perf_counter()
        apertura.score(df)
        tick("apertura.score(df), end to end", t)
        t = time.perf_counter()
        pandas_vectorized(df)
        tick("(a) vectorized pandas", t)

    print(f"{args.rows:,} institutions" + (" + jurisdiction/level/type" if args.metadata else "")
          + f"; medians of {args.repeat}")
    for phase, v in times.items():
        print(f"{phase:34s} {statistics.median(v) * 1e3:7.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
