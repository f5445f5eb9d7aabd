"""Benchmark (not a test): the apertura CLI on a large CSV against the pandas pipeline.

Builds (or reuses) the 28.7 MB file of ``benches/examples/big_csv.rs`` (100,000
institutions, ``id, name, jurisdiction, level, type`` and the 17 items of mga-2017 at full
precision, gates respected, seeded), then times in one run:

* ``apertura score FILE --format csv > out.csv`` and ``apertura summary FILE`` (subprocess,
  end to end: process start, read, score, write);
* the pandas pipeline a user would write instead, in this process (no interpreter start
  counted): ``pd.read_csv`` + the vectorized 2017 formulas of ``bench_score.py``
  (``pandas_vectorized``: nodes, items, rank, quadrant) + ``to_csv`` of its table.

The pandas result is checked equal to apertura's CSV first (every node and item within
1e-12, ranks, quadrants and ids equal). Medians of repeats; prints the ratios.

    .venv/bin/python benches/python/bench_cli.py [--csv big.csv] [--apertura target/release/apertura] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_score import ITEMS, median_time, pandas_vectorized  # noqa: E402  (the shared baseline)


def run(cmd: List[str], out: Path) -> None:
    with open(out, "wb") as f:
        subprocess.run(cmd, stdout=f, check=True)


def pandas_pipeline(src: Path, out: Path) -> pd.DataFrame:
    df = pd.read_csv(src)
    table = pandas_vectorized(df)
    table.to_csv(out, index=False)
    return table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv", type=Path, help="the input file (default: built with the big_csv example)")
    ap.add_argument("--apertura", type=Path, default=ROOT / "target" / "release" / "apertura")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    exe = args.apertura if args.apertura.exists() else target / "release" / "apertura"
    tmp = Path(tempfile.mkdtemp(prefix="apertura-bench-cli-"))
    src = args.csv or tmp / "big.csv"
    if args.csv is None:
        subprocess.run(
            ["cargo", "run", "--quiet", "--release", "-p", "apertura-benches", "--example", "big_csv", "--", str(src)],
            cwd=ROOT,
            check=True,
        )
    size = src.stat().st_size
    print(f"{src}: {size / 1e6:.1f} MB; {exe}; pandas {pd.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}")

    # Cross-check once (also the warm-up of the page cache and pandas' code paths).
    ours_csv, theirs_csv = tmp / "ours.csv", tmp / "theirs.csv"
    run([str(exe), "score", str(src), "--format", "csv"], ours_csv)
    theirs = pandas_pipeline(src, theirs_csv)
    ours = pd.read_csv(ours_csv)
    assert ours["id"].tolist() == theirs["id"].tolist(), "ids differ"
    worst = 0.0
    for name in ["iga", "t", "p", "tg", "tc", "pg", "pc", *ITEMS]:
        worst = max(worst, float(np.max(np.abs(ours[name].to_numpy() - theirs[name].to_numpy()))))
    assert worst <= 1e-12, f"apertura and pandas differ by {worst}"
    assert (ours["rank"].to_numpy() == theirs["rank"].to_numpy()).all(), "ranks differ"
    assert (ours["quadrant"].astype(str).to_numpy() == theirs["quadrant"].astype(str).to_numpy()).all(), "quadrants differ"
    print(f"cross-check: pandas equals apertura (max |diff| {worst:.1e}; ranks, quadrants, ids equal)")

    r = args.repeat
    t_score = median_time(lambda: run([str(exe), "score", str(src), "--format", "csv"], ours_csv), r)
    t_summary = median_time(lambda: run([str(exe), "summary", str(src)], tmp / "summary.txt"), r)
    t_pandas = median_time(lambda: pandas_pipeline(src, theirs_csv), r)
    print(f"apertura score --format csv > out.csv   {t_score * 1e3:8.1f} ms  ({size / 1e6 / t_score:5.0f} MB/s in)")
    print(f"apertura summary                        {t_summary * 1e3:8.1f} ms  ({size / 1e6 / t_summary:5.0f} MB/s in)")
    print(f"pandas read_csv + vectorized + to_csv   {t_pandas * 1e3:8.1f} ms  (in process, median of {r})")
    print(f"score vs pandas:   {t_pandas / t_score:5.1f}x   (target >= 3x, and under 250 ms)")
    print(f"summary vs pandas: {t_pandas / t_summary:5.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
