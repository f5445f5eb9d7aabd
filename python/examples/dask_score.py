"""Scores a table too large for one process with Dask: each partition scored on a worker,
ranks and the summary computed from the collected scores, the result equal to scoring the
whole table at once.

Scoring is per institution, so every partition is scored on its own
(``apertura.score_partition``: the score table without a rank, which only the whole
defines); ranking and summaries are a reduction: ``apertura.rank`` and
``apertura.summary(..., scored=True)`` take the concatenated score tables (or just the
columns they read) and score nothing again.

    python python/examples/dask_score.py [--rows 20000] [--partitions 4] [--workers 2] [--processes]

The synthetic institutions (17 items of mga-2017, gates respected) are made inside each
partition; real data would come from ``dd.read_csv("part-*.csv")`` or
``dd.read_parquet(...)`` instead. Needs ``dask[dataframe,distributed]``.
"""

from __future__ import annotations

import argparse
import logging
import time
from typing import Tuple

import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster

import apertura

ITEMS = [
    "tg.ai", "tg.tr", "tg.tp", "tg.da",
    "tc.disponibilidad", "tc.claridad", "tc.completitud", "tc.celeridad",
    "pg.mecanismos", "pg.actores", "pg.funcionamiento", "pg.formato", "pg.seguimiento",
    "pc.metodo", "pc.recepcion", "pc.activacion", "pc.celeridad",
]  # fmt: skip
STATES = np.array(["Aguascalientes", "Jalisco", "Ciudad de México", "Yucatán", "Federal"], dtype=object)


def synthetic(bounds: Tuple[int, int]) -> pd.DataFrame:
    """Institutions start..stop (the same rows however the table is partitioned)."""
    start, stop = bounds
    rng = np.random.default_rng([2017, start])
    v = rng.integers(0, 4, size=(stop - start, len(ITEMS))) / 3.0  # thirds
    col = {name: v[:, k].copy() for k, name in enumerate(ITEMS)}
    # The edition's gates: no participation items without a mechanism or a method...
    for g in ("pg.actores", "pg.funcionamiento", "pg.formato", "pg.seguimiento"):
        col[g][col["pg.mecanismos"] == 0] = 0.0
    for g in ("pc.recepcion", "pc.activacion", "pc.celeridad"):
        col[g][col["pc.metodo"] == 0] = 0.0
    col["pc.activacion"][col["pc.recepcion"] < 1] = 0.0
    col["pc.celeridad"][col["pc.activacion"] == 0] = 0.0
    i = np.arange(start, stop)
    ids = np.array([f"inst-{x:07d}" for x in i], dtype=object)
    return pd.DataFrame({"id": ids, "jurisdiction": STATES[i % len(STATES)], **col}, index=pd.RangeIndex(start, stop))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--processes", action="store_true", help="worker processes (default: threads)")
    args = ap.parse_args()
    n, k = args.rows, args.partitions
    bounds = [(n * j // k, n * (j + 1) // k) for j in range(k)]

    t0 = time.perf_counter()
    with LocalCluster(
        n_workers=args.workers,
        threads_per_worker=1,
        processes=args.processes,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster, Client(cluster):
        ddf = dd.from_map(synthetic, bounds, meta=synthetic((0, 0)))
        # One score table per partition, on the workers. `meta`: the (empty) score table
        # of the (empty) meta frame, so Dask knows the columns without running anything.
        scored = ddf.map_partitions(apertura.score_partition, meta=apertura.score_partition(ddf._meta))
        # The reduction needs only a few columns on the client: the index and both
        # dimensions for ranks and quadrants, plus what the summary should cover.
        keys = scored[["id", "jurisdiction", "iga", "t", "p"]].compute()
        whole_scores = scored.compute()  # here only to compare with one process below
    ranked = apertura.rank(keys)
    summary = apertura.summary(keys, by="jurisdiction", scored=True)
    seconds = time.perf_counter() - t0

    # The same table scored at once, in this process.
    whole = pd.concat([synthetic(b) for b in bounds])
    reference = apertura.score(whole)
    reference_summary = apertura.summary(whole, by="jurisdiction")
    assert (ranked["rank"] == reference["rank"]).all() and (ranked["quadrant"] == reference["quadrant"]).all()
    full = apertura.rank(whole_scores)
    numbers = [c for c in reference.columns if reference[c].dtype.kind in "fi"]  # nodes, rank
    assert full[numbers].equals(reference[numbers]) and (full["quadrant"] == reference["quadrant"]).all()
    columns = [c for c in summary.columns if summary[c].notna().all()]  # the nodes collected
    pd.testing.assert_frame_equal(summary[columns], reference_summary[columns], check_exact=True)

    print(f"{n:,} institutions in {k} partitions on {args.workers} workers: {seconds:.2f} s")
    print(ranked.sort_values("rank").head(5)[["id", "jurisdiction", "iga", "rank", "quadrant"]].to_string(index=False))
    print(summary[["group", "n", "iga", "t", "p", "best_iga"]].to_string(index=False))
    print("equal to apertura.score / apertura.summary of the whole table: ranks, quadrants, summary")


if __name__ == "__main__":
    main()
