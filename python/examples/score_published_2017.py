"""Notebook-style example: score the published MGA 2017 file, summarise by jurisdiction,
look at the top institutions. Run from anywhere:

    python python/examples/score_published_2017.py [path/to/mga2017_sujetos_obligados_BSO.csv]

The published file is not in the repository: by default it is read from
../shared/mga-data beside the repository (or $APERTURA_SHARED/mga-data).
"""

# %%
import os
import sys
from pathlib import Path

import pandas as pd

import apertura

repo = Path(__file__).resolve().parents[2]
shared = Path(os.environ["APERTURA_SHARED"]) if "APERTURA_SHARED" in os.environ else repo.parent / "shared"
path = Path(sys.argv[1]) if len(sys.argv) > 1 else shared / "mga-data" / "mga2017_sujetos_obligados_BSO.csv"

# %% The edition: tree, weights and where each comes from.
edition = apertura.Edition.load("mga-2017")
tree = pd.DataFrame(edition.tree())
print(tree[["id", "parent", "weight", "effective_weight", "tag"]].head(7).to_string(index=False))

# %% Score the published file as it is (perspective level: GA, T, P, TG, TC, PG, PC).
scores = apertura.score(path)
print(f"\n{len(scores)} institutions scored; columns: {', '.join(scores.columns)}")

# %% Top 5 institutions by the Open Government Index.
top = scores.sort_values(["rank", "id"]).head(5)
print("\nTop 5 institutions:")
print(top[["rank", "name", "jurisdiction", "type", "iga", "t", "p", "quadrant"]].to_string(index=False))

# %% Summary by jurisdiction (Anexo 2 of the 2017 report), rounded as published.
by_state = apertura.summary(path, by="jurisdiction")
table = by_state.set_index("group")[["n", "iga", "tg", "tc", "pg", "pc"]]
print("\nTop 5 jurisdictions by IGA:")
print(table.drop(index="national").sort_values("iga", ascending=False).head(5).round(2).to_string())
national = by_state.set_index("group").loc["national"]
print(f"\nNational: IGA {national['iga']:.2f}, T {national['t']:.2f}, P {national['p']:.2f} "
      "(published: 0.39, 0.50, 0.28)")

# %% Quadrants of the T x P typology.
print("\nInstitutions per quadrant:")
print(scores["quadrant"].value_counts().sort_index().to_string())

# %% Why does the first-ranked institution score what it scores?
best = top.iloc[0]["id"]
print(f"\nExplanation of {best}:")
print(apertura.explain(path, institution=best)[["item", "weight", "value", "contribution", "gain_if_one"]]
      .round(4).to_string(index=False))
