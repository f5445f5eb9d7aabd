"""Shared fixtures: repository paths and the published MGA data (never copied into the
repository: it sits in ../shared/mga-data beside it, or $APERTURA_SHARED/mga-data)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTORS = REPO_ROOT / "tests" / "vectors"


def mga_data_dir() -> Path:
    shared = os.environ.get("APERTURA_SHARED")
    return Path(shared) / "mga-data" if shared else REPO_ROOT.parent / "shared" / "mga-data"


BSO = mga_data_dir() / "mga2017_sujetos_obligados_BSO.csv"


@pytest.fixture(scope="session")
def bso() -> Path:
    """The published 2017 per-institution file (908 rows)."""
    if not BSO.exists():
        pytest.fail(f"the published MGA data must sit in {BSO.parent} (or set APERTURA_SHARED)")
    return BSO
