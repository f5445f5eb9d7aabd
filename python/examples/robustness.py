"""Notebook-style example: how far to trust the published MGA 2017 ranking? Uncertainty
analysis (weights +-25 % at every parent) and Sobol' sensitivity of the mean rank shift,
with both plots written to a temporary folder. Run from anywhere:

    python python/examples/robustness.py [path/to/mga2017_sujetos_obligados_BSO.csv]

The published file is not in the repository: by default it is read from
../shared/mga-data beside the repository (or $APERTURA_SHARED/mga-data).
"""

# %%
import os
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))
import matplotlib.pyplot as plt  # noqa: E402

import apertura  # noqa: E402
import apertura.plot  # noqa: E402

repo = Path(__file__).resolve().parents[2]
shared = Path(os.environ["APERTURA_SHARED"]) if "APERTURA_SHARED" in os.environ else repo.parent / "shared"
path = Path(sys.argv[1]) if len(sys.argv) > 1 else shared / "mga-data" / "mga2017_sujetos_obligados_BSO.csv"

# %% Uncertainty: 1,000 runs of a scrambled Sobol' design, every weight +-25 %.
ua = apertura.uncertainty(path, weight_noise=0.25, n=1000, seed=1, top=10)
print(ua)
print("factors:", ", ".join(ua.factor_names))
for note in ua.policies:
    print("note:", note)

# %% The ten first institutions and the interval their rank moves in (90 % of runs).
inst = ua.institutions.sort_values(["rank", "id"])
cols = ["rank", "id", "score", "rank_median", "rank_q05", "rank_q95", "p_top"]
print("\nTop 10 by nominal rank:")
print(inst[cols].head(10).round(3).to_string(index=False))
width = inst["rank_q95"] - inst["rank_q05"]
print(f"\nmedian width of the 90 % rank interval: {width.median():.1f} places "
      f"(widest: {width.max():.0f}, institution {inst.loc[width.idxmax(), 'id']})")
rs = ua.rank_shift
print(f"mean absolute rank shift R_S per run: median {rs.median:.2f}, 90 % of runs in [{rs.q05:.2f}, {rs.q95:.2f}]")
if ua.spearman is not None:
    print(f"Spearman's rho against nominal: median {ua.spearman.median:.4f}")

# %% The design reruns to the same bits.
again = apertura.uncertainty(path, weight_noise=0.25, design=ua.design_csv)
assert again.raw == ua.raw
print("\nrerun from the exported design: identical results")

# %% Sensitivity: which weights move the ranking? (N = 256, 8 factors: 2,048 runs.)
sa = apertura.sensitivity(path, weight_noise=0.25, n=256, bootstrap=100, target="rank_shift,national")
idx = sa.indices
print("\nSobol' indices of R_S (95 % bootstrap intervals):")
print(idx[idx["target"] == "rank_shift"][["factor", "s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi"]]
      .round(3).to_string(index=False))

# %% Both plots.
out = Path(tempfile.mkdtemp(prefix="apertura-robustness-"))
fig, ax = plt.subplots(figsize=(10, 4))
apertura.plot.uncertainty(ua, top=60, ax=ax)
ax.set_title("MGA 2017: rank intervals under +-25 % weights (first 60 by nominal rank)")
fig.tight_layout()
fig.savefig(out / "uncertainty.png", dpi=100)
fig, ax = plt.subplots(figsize=(6, 4))
apertura.plot.sensitivity(sa, target="rank_shift", ax=ax)
fig.tight_layout()
fig.savefig(out / "sensitivity.png", dpi=100)
print(f"\nplots written to {out}")
