"""Benchmark (not a test): apertura.sensitivity against SciPy's ``sobol_indices`` plus a numpy
evaluation of the same design, and apertura.uncertainty at N = 10,000.

Sensitivity: the 17 item weights of mga-2017 as separate factors (``weight_noise=0.25``,
``weight_parents="tg,tc,pg,pc"``) on 908 synthetic item-level institutions (apertura's
generator, the same rows as ``apertura synthesize --n 908 --seed 1``), N = 1024: 19 blocks,
19,456 runs; S1 and ST of every institution's score and rank, of ``R_S`` and of the
national mean, 200 bootstrap resamples (percentile intervals). Timed end to end from a
pandas DataFrame (conversions included), with 1 and 2 threads, with and without the
bootstrap.

The baseline, in the same process on apertura's own design (``sa.design``): numpy computes
the 19,456 weight vectors (``w (1 + p (2u - 1))`` renormalised within each parent), the
scores by one matrix product, competition ranks by argsort, ``R_S`` and the national mean;
then one ``scipy.stats.sobol_indices(func={"f_A", "f_B", "f_AB"}, n=N)`` call on all 1,818
targets. The indices are compared with apertura's, also (untimed) from a numpy evaluation
in the core's order of operations, which gives the same bits as the core. SciPy's ``.bootstrap()`` (BCa: a jackknife of N
evaluations plus the resamples, each re-estimating every target) is timed on the two
scalar targets and on 64 institutions and extrapolated linearly in the number of targets
to all 1,818: a lower bound (the arrays of all targets no longer fit in cache);
``--full-scipy-bootstrap`` runs it on every target (measured once here: 1,466 s against an
extrapolated 447 s).

Uncertainty: N = 10,000 runs on 2,043 synthetic institutions, weights +-25 % at every
parent (23 factors), ``threads=1`` and ``threads=2``.

    .venv/bin/python benches/python/bench_sensitivity.py [--repeat R] [--full-scipy-bootstrap]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import pandas as pd
import scipy
import scipy.stats

import apertura

P = 0.25
N = 1024
BOOT = 200
PARENTS = ("tg", "tc", "pg", "pc")


def synthetic(n: int, seed: int) -> pd.DataFrame:
    ed = apertura.Edition.load("mga-2017")
    return pd.read_csv(io.StringIO(apertura._apertura._synthetic_csv(ed, n, seed)), keep_default_na=False)


def timed(f: Callable[[], Any], repeat: int) -> Tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


# --------------------------------------------------------------------------- numpy + SciPy


def numpy_runs(df: pd.DataFrame, sa: Any, exact: bool = False) -> Dict[str, Any]:
    """Every run's outputs by numpy, from apertura's design; timings per phase. ``exact``
    accumulates in the core's order (same bits) instead of one matrix product."""
    ed = apertura.Edition.load("mga-2017")
    tree = {r["id"]: r for r in ed.tree()}
    factors = sa.factor_names  # w:<item>, slot order
    items = [f[2:] for f in factors]
    parent = [tree[i]["parent"] for i in items]
    base = np.array([tree[i]["weight"] for i in items])
    d, n = len(items), sa.n
    X = df[items].to_numpy(dtype=np.float64)  # (m, d)
    m = X.shape[0]
    t: Dict[str, float] = {}

    t0 = time.perf_counter()
    design = sa.design
    A = design[[f"A:{f}" for f in factors]].to_numpy()
    B = design[[f"B:{f}" for f in factors]].to_numpy()
    U = np.empty(((d + 2) * n, d))
    U[:n], U[n : 2 * n] = A, B
    for i in range(d):
        block = A.copy()
        block[:, i] = B[:, i]
        U[(2 + i) * n : (3 + i) * n] = block
    W = base * (1.0 + P * (2.0 * U - 1.0))
    for p in PARENTS:
        cols = [k for k in range(d) if parent[k] == p]
        s = W[:, cols[0]].copy()
        for k in cols[1:]:
            s += W[:, k]
        W[:, cols] /= s[:, None]
    t["weights"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    runs = W.shape[0]
    if exact:
        # acc + w x in slot order, then / the sum of the weights, node by node: the core's
        # order of operations, so the same bits (slower: one pass per item).
        comp: Dict[str, np.ndarray] = {}
        for p in PARENTS:
            cols = [k for k in range(d) if parent[k] == p]
            acc = np.zeros((runs, m))
            wsum = np.zeros(runs)
            for k in cols:
                acc += W[:, k : k + 1] * X[None, :, k]
                wsum += W[:, k]
            comp[p] = np.clip(acc / wsum[:, None], 0.0, 1.0)
        tt = np.clip((0.0 + 0.5 * comp["tg"] + 0.5 * comp["tc"]) / 1.0, 0.0, 1.0)
        pp = np.clip((0.0 + 0.5 * comp["pg"] + 0.5 * comp["pc"]) / 1.0, 0.0, 1.0)
        scores = np.clip((0.0 + 0.5 * tt + 0.5 * pp) / 1.0, 0.0, 1.0)
        del comp, tt, pp
    else:
        # One matrix product: each item's weight in the index is 0.5 x 0.5 x its weight
        # within its perspective (the perspectives' and dimensions' weights do not vary).
        scores = (W * 0.25) @ X.T
    t["scores"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    ranks = competition_ranks(scores)
    t["ranks"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    nominal = apertura.score(df)["rank"].to_numpy()
    rank_shift = np.abs(ranks - nominal[None, :]).mean(axis=1)
    national = np.cumsum(scores, axis=1)[:, -1] / m  # sequential, as the core sums
    t["R_S, national"] = time.perf_counter() - t0
    return {"scores": scores, "ranks": ranks, "rank_shift": rank_shift, "national": national, "times": t}


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Per row: 1 + the number of strictly higher scores."""
    order = np.argsort(-scores, axis=1, kind="stable")
    s = np.take_along_axis(scores, order, axis=1)
    k = np.arange(scores.shape[1])
    new = np.ones_like(s, dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    first = np.maximum.accumulate(np.where(new, k[None, :], 0), axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    return ranks


def targets(out: Dict[str, Any]) -> np.ndarray:
    """(targets, runs): R_S, national, every score, every rank (apertura's target order)."""
    return np.vstack([out["rank_shift"][None, :], out["national"][None, :], out["scores"].T,
                      out["ranks"].T.astype(np.float64)])


def scipy_indices(y: np.ndarray, n: int, d: int) -> Any:
    return scipy.stats.sobol_indices(
        func={"f_A": y[:, :n], "f_B": y[:, n : 2 * n],
              "f_AB": np.stack([y[:, (2 + i) * n : (3 + i) * n] for i in range(d)])},
        n=n,
    )


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--full-scipy-bootstrap", action="store_true")
    args = ap.parse_args()
    print(f"apertura {apertura.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"Python {sys.version.split()[0]}")
    rows: List[Tuple[str, float, str]] = []

    df = synthetic(908, 1)
    common = dict(weight_noise=P, weight_parents=",".join(PARENTS), n=N)
    t_sa2, sa = timed(lambda: apertura.sensitivity(df, bootstrap=BOOT, threads=2, **common), args.repeat)
    d = len(sa.factor_names)
    runs = len(sa.raw["runs"])
    print(f"sensitivity: {len(df)} institutions, {d} factors, N = {N}, {runs} runs, "
          f"{len(sa.raw['indices'])} indices, evaluation {sa.evaluation}")
    t_sa1, _ = timed(lambda: apertura.sensitivity(df, bootstrap=BOOT, threads=1, **common), args.repeat)
    t_sa2_nb, _ = timed(lambda: apertura.sensitivity(df, bootstrap=0, threads=2, **common), args.repeat)
    t_sa1_nb, sa0 = timed(lambda: apertura.sensitivity(df, bootstrap=0, threads=1, **common), args.repeat)
    # The indices frame (pandas) is built on first access: included above? No: time it too.
    t_frame, _ = timed(lambda: apertura._robustness._rows_table(sa.raw["indices"], apertura._robustness._INDEX_COLUMNS,
                                                               "pandas"), 1)

    out = numpy_runs(df, sa)
    t_np = sum(out["times"].values())
    y = targets(out)
    t0 = time.perf_counter()
    res = scipy_indices(y, N, d)
    t_scipy = time.perf_counter() - t0
    del y
    exact = numpy_runs(df, sa, exact=True)
    y = targets(exact)
    res_exact = scipy_indices(y, N, d)

    # Agreement: apertura's indices against SciPy's on numpy's outputs.
    ids = sa.institution_ids
    pos = {("rank_shift", None): 0, ("national", None): 1}
    pos.update({("score", i): 2 + k for k, i in enumerate(ids)})
    pos.update({("rank", i): 2 + len(ids) + k for k, i in enumerate(ids)})
    fidx = {f: k for k, f in enumerate(sa.factor_names)}

    def worst(r_: Any) -> Tuple[float, float]:
        """Largest |S1 or ST difference| over all indices, and over the score indices."""
        w_all = w_score = 0.0
        for r in sa0.raw["indices"]:
            t_ = pos[(r["target"], r["institution"])]
            k = fidx[r["factor"]]
            diff = max(abs(r["s1"] - r_.first_order[t_, k]), abs(r["st"] - r_.total_order[t_, k]))
            w_all = max(w_all, diff)
            if r["target"] == "score":
                w_score = max(w_score, diff)
        return w_all, w_score

    worst_exact, worst_matmul = worst(res_exact), worst(res)
    apertura_rs = np.array([x["rank_shift"] for x in sa.raw["runs"]])
    same_exact = bool(np.array_equal(exact["rank_shift"], apertura_rs))
    same_matmul = bool(np.array_equal(out["rank_shift"], apertura_rs))
    constant = len(sa0.raw["constant"])

    # SciPy's bootstrap on a subset of targets, extrapolated linearly.
    def scipy_boot(k: int) -> float:
        sub = scipy_indices(y[:k], N, d)
        t0 = time.perf_counter()
        with np.errstate(all="ignore"):
            sub.bootstrap(confidence_level=0.95, n_resamples=BOOT)
        return time.perf_counter() - t0

    t_boot2 = scipy_boot(2)
    t_boot66 = scipy_boot(66)
    per_target = (t_boot66 - t_boot2) / 64
    boot_all = t_boot2 + per_target * (y.shape[0] - 2)
    if args.full_scipy_bootstrap:
        boot_all = scipy_boot(y.shape[0])
        boot_note = "measured"
    else:
        boot_note = "extrapolated from 2 and 66 targets; a lower bound"

    print(f"\nnumpy phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in out["times"].items()))
    print(f"numpy in the core's order of operations ({sum(exact['times'].values()):.2f} s, untimed): R_S per run "
          f"identical to apertura's: {same_exact}; max |S1, ST difference| apertura vs SciPy over "
          f"{len(sa0.raw['indices'])} indices: {worst_exact[0]:.2e} ({constant} constant targets)")
    print(f"numpy by matrix product (timed): R_S per run identical: {same_matmul}; max |difference|: "
          f"{worst_matmul[0]:.2e} over all indices, {worst_matmul[1]:.2e} over the score indices "
          "(rank ties broken by last-bit differences move the rank indices)")
    print(f"SciPy bootstrap (BCa, {BOOT} resamples): 2 targets {t_boot2:.2f} s, 66 targets {t_boot66:.2f} s")

    base_nb = t_np + t_scipy
    base_b = base_nb + boot_all
    rows = [
        ("apertura, bootstrap 200, threads=2", t_sa2, ""),
        ("apertura, bootstrap 200, threads=1", t_sa1, ""),
        ("apertura, no bootstrap, threads=2", t_sa2_nb, ""),
        ("apertura, no bootstrap, threads=1", t_sa1_nb, ""),
        ("  (pandas indices frame, on first access)", t_frame, ""),
        ("numpy: weights, scores, ranks, R_S", t_np, ""),
        ("SciPy sobol_indices, 1,818 targets", t_scipy, ""),
        ("numpy + SciPy, no bootstrap", base_nb, f"{base_nb / t_sa1_nb:.1f}x apertura threads=1, "
                                                 f"{base_nb / t_sa2_nb:.1f}x threads=2"),
        (f"SciPy .bootstrap(), 1,818 targets ({boot_note})", boot_all, ""),
        ("numpy + SciPy with bootstrap", base_b, f"{base_b / t_sa1:.0f}x apertura threads=1, "
                                                  f"{base_b / t_sa2:.0f}x threads=2"),
    ]

    # Uncertainty: N = 10,000 on 2,043 institutions, every parent +-25 %.
    big = synthetic(2043, 2)
    t_ua1, ua = timed(lambda: apertura.uncertainty(big, weight_noise=P, n=10_000, threads=1), args.repeat)
    t_ua2, _ = timed(lambda: apertura.uncertainty(big, weight_noise=P, n=10_000, threads=2), args.repeat)
    print(f"uncertainty: {len(big)} institutions, {len(ua.factor_names)} factors, {ua.n} runs")
    rows += [
        ("uncertainty N=10,000, 2,043 inst., threads=1", t_ua1, f"{t_ua1 / ua.n * 1e6:.0f} us/run"),
        ("uncertainty N=10,000, 2,043 inst., threads=2", t_ua2, f"{t_ua1 / t_ua2:.2f}x threads=1"),
    ]

    width = max(len(r[0]) for r in rows)
    print(f"\n{'':{width}}  {'seconds':>8}  note")
    for name, secs, note in rows:
        print(f"{name:{width}}  {secs:8.2f}  {note}")


if __name__ == "__main__":
    main()
