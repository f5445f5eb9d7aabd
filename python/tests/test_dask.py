"""Scoring beyond one machine: a table scored in parts (Dask partitions on a LocalCluster,
random partitionings), the parts ranked and summarised together, equal to the table scored
at once; the reduction's properties and its errors.

The reference of every comparison is ``apertura.score`` / ``apertura.summary`` on the
whole table in one process (what the distributed path must reproduce bit for bit), and
independently of apertura: ``scipy.stats.rankdata`` for ranks, numpy for quadrants and
group means.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, List, Sequence, Tuple

import cloudpickle
import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import polars as pl
import pytest
from distributed import Client, LocalCluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata

import apertura

# The 17 items of mga-2017 and the weights of its tree (S1 Anexo 1), for the independent
# checks; the gates as the edition states them.
TG = ["tg.ai", "tg.tr", "tg.tp", "tg.da"]
TC = ["tc.disponibilidad", "tc.claridad", "tc.completitud", "tc.celeridad"]
PG = ["pg.mecanismos", "pg.actores", "pg.funcionamiento", "pg.formato", "pg.seguimiento"]
PC = ["pc.metodo", "pc.recepcion", "pc.activacion", "pc.celeridad"]
ITEMS = [*TG, *TC, *PG, *PC]
JURISDICTIONS = np.array(
    ["Aguascalientes", "Baja California", "Jalisco", "Ciudad de México", "Yucatán", "Federal", "Nuevo León"],
    dtype=object,
)
LEVELS = np.array(["Federal", "Estatal", "Municipal"], dtype=object)
TYPES = np.array(["Autónomo", "Municipio", "Partido", "Universidad"], dtype=object)


def synthetic(bounds: Tuple[int, int], seed: int = 2017) -> pd.DataFrame:
    """Institutions ``start..stop`` of a synthetic item-level table: the same rows whatever
    the partitioning asks for them (each block from its own seeded generator), values in
    thirds, gates respected (so everything scores with ``gates="error"``), ids
    ``syn-0000000``..., three metadata columns, a global RangeIndex."""
    start, stop = bounds
    n = stop - start
    rng = np.random.default_rng([seed, start])
    v = rng.integers(0, 4, size=(n, len(ITEMS))) / 3.0
    col = {name: v[:, k].copy() for k, name in enumerate(ITEMS)}
    for g in ("pg.actores", "pg.funcionamiento", "pg.formato", "pg.seguimiento"):
        col[g][col["pg.mecanismos"] == 0] = 0.0
    for g in ("pc.recepcion", "pc.activacion", "pc.celeridad"):
        col[g][col["pc.metodo"] == 0] = 0.0
    col["pc.activacion"][col["pc.recepcion"] < 1] = 0.0
    col["pc.celeridad"][col["pc.activacion"] == 0] = 0.0
    i = np.arange(start, stop)
    data = {
        "id": np.array([f"syn-{x:07d}" for x in i], dtype=object),
        "jurisdiction": JURISDICTIONS[i % len(JURISDICTIONS)],
        "level": LEVELS[i % len(LEVELS)],
        "type": TYPES[i % len(TYPES)],
        **col,
    }
    return pd.DataFrame(data, index=pd.RangeIndex(start, stop))


def assert_same_scores(got: pd.DataFrame, want: pd.DataFrame, text_dtypes: bool = True) -> None:
    """Same columns, dtypes and index; every float bit-identical, the rest equal.

    ``text_dtypes=False``: text columns may differ in dtype (Dask turns object columns
    into ``string[pyarrow]``); their cells must still be equal."""
    assert list(got.columns) == list(want.columns)
    assert got.index.equals(want.index)
    for c in want.columns:
        a, b = got[c], want[c]
        text = not (pd.api.types.is_numeric_dtype(b.dtype) or isinstance(b.dtype, pd.CategoricalDtype))
        if text_dtypes or not text:
            assert a.dtype == b.dtype, (c, a.dtype, b.dtype)
        if b.dtype == np.float64:
            x, y = a.to_numpy(), b.to_numpy()
            assert np.array_equal(np.isnan(x), np.isnan(y)), c
            assert np.array_equal(np.nan_to_num(x).view(np.uint64), np.nan_to_num(y).view(np.uint64)), c
        elif text:
            assert a.isna().equals(b.isna()), c
            assert a[a.notna()].astype(object).equals(b[b.notna()].astype(object)), c
        else:
            assert a.equals(b), c


def assert_same_summary(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    for c in want.columns:
        if want[c].dtype == np.float64:
            assert np.array_equal(got[c].to_numpy().view(np.uint64), want[c].to_numpy().view(np.uint64)), c


def independent_checks(ranked: pd.DataFrame, summary: pd.DataFrame) -> None:
    """Ranks, quadrants and group means recomputed without apertura."""
    iga = ranked["iga"].to_numpy()
    assert np.array_equal(ranked["rank"].to_numpy(), rankdata(-iga, method="min").astype(np.int64))
    t, p = ranked["t"].to_numpy(), ranked["p"].to_numpy()
    quadrant = np.select([(t > 0.5) & (p <= 0.5), (t > 0.5) & (p > 0.5), (t <= 0.5) & (p <= 0.5)], ["I", "II", "III"], "IV")
    assert np.array_equal(ranked["quadrant"].astype(str).to_numpy(), quadrant)
    means = ranked.groupby("jurisdiction")["iga"].mean()
    by_group = summary.set_index("group")
    for group, mean in means.items():
        assert by_group.loc[group, "iga"] == pytest.approx(mean, rel=1e-12, abs=1e-15)
    assert by_group.loc["national", "iga"] == pytest.approx(iga.mean(), rel=1e-12)
    assert by_group.loc["national", "n"] == len(ranked)


# --------------------------------------------------------------------------- Dask


def test_dask_local_cluster_one_million_institutions_equal_the_single_process_result() -> None:
    """1,000,000 institutions in 8 partitions on a LocalCluster of 2 worker processes:
    scored with ``map_partitions(apertura.score_partition)``, collected, ranked and
    summarised; equal to ``apertura.score`` / ``apertura.summary`` on the whole frame in
    this process (every node bit for bit, ranks, quadrants, the summary)."""
    n, k = 1_000_000, 8
    bounds = [(n * j // k, n * (j + 1) // k) for j in range(k)]
    # Workers are other processes: ship this module's generator by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    timings = {}
    t0 = time.perf_counter()
    with dask.config.set({"distributed.worker.daemon": True}):
        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster, Client(cluster) as client:
            timings["cluster"] = time.perf_counter() - t0
            ddf = dd.from_map(synthetic, bounds, meta=synthetic((0, 0)))
            assert ddf.npartitions == k
            meta = apertura.score_partition(ddf._meta)
            scored = ddf.map_partitions(apertura.score_partition, meta=meta)
            t = time.perf_counter()
            parts = scored.compute()
            timings["dask score"] = time.perf_counter() - t
            assert len(client.scheduler_info()["workers"]) == 2
    t = time.perf_counter()
    ranked = apertura.rank(parts)
    timings["rank"] = time.perf_counter() - t
    t = time.perf_counter()
    summary = apertura.summary(parts, by="jurisdiction", scored=True)
    timings["summary"] = time.perf_counter() - t
    assert list(meta.columns) == list(parts.columns)

    t = time.perf_counter()
    whole = pd.concat([synthetic(b) for b in bounds])
    reference = apertura.score(whole)
    timings["single-process score"] = time.perf_counter() - t
    t = time.perf_counter()
    reference_summary = apertura.summary(whole, by="jurisdiction")
    timings["single-process summary"] = time.perf_counter() - t

    assert len(ranked) == n
    assert_same_scores(ranked, reference, text_dtypes=False)
    assert_same_summary(summary, reference_summary)
    independent_checks(ranked, summary)
    timings["total"] = time.perf_counter() - t0
    print("\ndask, 1,000,000 institutions, 8 partitions, 2 workers: "
          + ", ".join(f"{name} {s:.2f} s" for name, s in timings.items()))


# --------------------------------------------------------------------------- reduction properties


def parts_of(n: int, cuts: Sequence[int]) -> List[Tuple[int, int]]:
    edges = sorted({0, n, *(c % (n + 1) for c in cuts)})
    return list(zip(edges[:-1], edges[1:]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 300),
    seed=st.integers(0, 2**32 - 1),
    cuts=st.lists(st.integers(0, 300), max_size=8),
    use_polars=st.booleans(),
)
def test_rank_over_any_partitioning_equals_rank_over_the_whole(
    n: int, seed: int, cuts: List[int], use_polars: bool
) -> None:
    whole = synthetic((0, n), seed)
    reference = apertura.score(whole)
    bounds = parts_of(n, cuts)
    if use_polars:
        scored = pl.concat([apertura.score_partition(pl.from_pandas(whole.iloc[a:b])) for a, b in bounds])
        got = apertura.rank(scored)
        assert isinstance(got, pl.DataFrame)
        want = apertura.score(pl.from_pandas(whole))
        assert got.columns == want.columns and got.equals(want)
        summary = apertura.summary(scored, by="level", scored=True)
        assert summary.equals(apertura.summary(pl.from_pandas(whole), by="level"))
    else:
        scored = pd.concat([apertura.score_partition(whole.iloc[a:b]) for a, b in bounds])
        assert_same_scores(apertura.rank(scored), reference)
        for by in ("jurisdiction", "level", "type"):
            assert_same_summary(apertura.summary(scored, by=by, scored=True), apertura.summary(whole, by=by))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 300), seed=st.integers(0, 2**32 - 1), data=st.data())
def test_row_order_does_not_matter(n: int, seed: int, data: Any) -> None:
    reference = apertura.score(synthetic((0, n), seed))
    order = data.draw(st.permutations(range(n)))
    shuffled = reference.iloc[order]
    got = apertura.rank(shuffled)
    assert got.index.equals(shuffled.index)
    assert_same_scores(got.sort_index(), reference)
    # Counts, minima, maxima and the best institutions are order-free; the means are
    # sums in another order (equal to rounding).
    a = apertura.summary(shuffled, by="jurisdiction", scored=True)
    b = apertura.summary(reference, by="jurisdiction", scored=True)
    floats = [c for c in b.columns if b[c].dtype == np.float64]
    pd.testing.assert_frame_equal(a.drop(columns=floats), b.drop(columns=floats))
    np.testing.assert_allclose(a[floats].to_numpy(), b[floats].to_numpy(), rtol=1e-13, atol=0)


@settings(max_examples=40, deadline=None)
@given(halves=st.lists(st.integers(0, 200), min_size=1, max_size=200))
def test_godi_ranks_on_scores_rounded_half_up(halves: List[int]) -> None:
    """GODI's publisher ranked whole-number scores rounded half up (82.5 -> 83): ties on
    the rounded score share the smallest rank; no quadrants (GODI has no two dimensions)."""
    scores = np.array(halves, dtype=np.float64) / 2.0
    df = pd.DataFrame({"id": [f"p{i}" for i in range(len(halves))], "godi": scores})
    got = apertura.rank(df, edition="godi-2015")
    want = rankdata(-np.floor(scores + 0.5), method="min").astype(np.int64)
    assert np.array_equal(got["rank"].to_numpy(), want)
    assert got["quadrant"].isna().all()
    assert got["godi"].equals(df["godi"])


def test_rank_keeps_the_input_and_replaces_rank_and_quadrant() -> None:
    whole = synthetic((0, 50))
    reference = apertura.score(whole)
    stale = reference.copy()
    stale["rank"] = 7
    before = stale.copy()
    got = apertura.rank(stale)
    pd.testing.assert_frame_equal(stale, before)  # not modified
    assert_same_scores(got, reference)
    # Any kind in, any kind out.
    as_polars = apertura.rank(reference, output="polars")
    assert isinstance(as_polars, pl.DataFrame)
    assert as_polars["rank"].to_list() == reference["rank"].tolist()
    assert as_polars["quadrant"].to_list() == reference["quadrant"].astype(str).tolist()


def test_incomplete_partial_ranks_units_without_an_index_zero() -> None:
    df = pd.DataFrame({"id": ["a", "b", "c"], "iga": [0.5, np.nan, 0.7], "t": [0.5, 0.2, 0.9], "p": [0.5, 0.1, 0.4]})
    got = apertura.rank(df, incomplete="partial")
    assert got["rank"].tolist() == [2, 0, 1]
    assert got["quadrant"].astype(str).tolist() == ["III", "III", "I"]


def test_score_partition_columns_do_not_depend_on_the_part() -> None:
    whole = synthetic((0, 20))
    meta = apertura.score_partition(whole.iloc[:0])
    part = apertura.score_partition(whole.iloc[5:9])
    assert len(meta) == 0 and list(meta.columns) == list(part.columns)
    assert list(meta.dtypes) == list(part.dtypes)
    assert "rank" not in part.columns
    assert part.index.equals(whole.index[5:9])
    # Dimension-level input: the items are left out, the same way in every part.
    dims = pd.DataFrame({"id": ["a", "b"], "tg": [0.4, 1.0], "tc": [0.6, 1.0], "pg": [0.2, 1.0], "pc": [0.2, 1.0]})
    assert list(apertura.score_partition(dims.iloc[:0]).columns) == list(apertura.score_partition(dims).columns)
    # A part where no institution has a value for "pc" (so none for "p" and "iga"): the
    # columns are there all the same, all missing.
    meta = apertura.score_partition(dims.iloc[:0], incomplete="partial")
    sparse = dims.assign(pc=[None, None])
    out = apertura.score_partition(sparse, incomplete="partial")
    assert list(out.columns) == list(meta.columns) and list(out.dtypes) == list(meta.dtypes)
    assert out[["pc", "p", "iga"]].isna().all().all() and out["tg"].tolist() == [0.4, 1.0]
    assert "pc" not in apertura.score(sparse, incomplete="partial").columns
    # polars parts too.
    pmeta = apertura.score_partition(pl.from_pandas(whole.iloc[:0]))
    ppart = apertura.score_partition(pl.from_pandas(whole.iloc[:4]))
    assert pmeta.height == 0 and pmeta.schema == ppart.schema


# --------------------------------------------------------------------------- errors


def test_missing_columns_are_input_errors_naming_the_column() -> None:
    scored = apertura.score(synthetic((0, 5)))
    with pytest.raises(apertura.InputError) as e:
        apertura.rank(scored.drop(columns=["iga"]))
    assert (e.value.code, e.value.column, e.value.item) == ("missing_value", "iga", "iga")
    with pytest.raises(apertura.InputError) as e:
        apertura.rank(scored.drop(columns=["p"]))
    assert (e.value.code, e.value.column) == ("missing_value", "p")
    with pytest.raises(apertura.InputError) as e:
        apertura.summary(scored.drop(columns=["id", "name"]), scored=True)
    assert e.value.code == "missing_id" and e.value.row == 1


def test_bad_scores_are_input_errors_with_their_location() -> None:
    scored = apertura.score(synthetic((0, 6)))
    bad = scored.copy()
    bad.loc[2, "iga"] = np.nan
    bad.loc[4, "t"] = np.inf
    bad.loc[5, "p"] = 1.5
    with pytest.raises(apertura.InputError) as e:
        apertura.rank(bad)
    got = [(p.code, p.institution, p.row, p.column, p.value) for p in e.value.errors]
    assert got == [
        ("not_finite", "syn-0000004", 5, "t", "inf"),
        ("out_of_range", "syn-0000005", 6, "p", "1.5"),
        ("missing_value", "syn-0000002", 3, "iga", None),
    ]
    assert "row 3" in str(e.value) or "row 5" in str(e.value)
    text = scored.astype({"t": object})
    text.loc[1, "t"] = "high"
    with pytest.raises(apertura.InputError) as e:
        apertura.rank(text)
    assert (e.value.code, e.value.column) == ("not_a_number", "t")


def test_ids_repeated_across_partitions_are_found_by_rank() -> None:
    a = apertura.score_partition(synthetic((0, 4)))
    b = apertura.score_partition(synthetic((2, 6)))  # rows 2 and 3 again
    with pytest.raises(apertura.InputError) as e:
        apertura.rank(pd.concat([a, b]))
    assert [(p.code, p.institution, p.row) for p in e.value.errors] == [
        ("duplicate_id", "syn-0000002", 5),
        ("duplicate_id", "syn-0000003", 6),
    ]


def test_wrong_edition_and_arguments() -> None:
    scored = apertura.score(synthetic((0, 3)))
    with pytest.raises(apertura.EditionError) as e:
        apertura.rank(scored, edition="mga-1999")
    assert e.value.code == "unknown_edition"
    with pytest.raises(apertura.InputError) as e:
        apertura.rank(scored, edition="godi-2015")  # no GODI index column in an MGA table
    assert e.value.code in {"missing_value", "unknown_node"}
    with pytest.raises(apertura.UsageError) as e:
        apertura.rank(scored.to_dict("records"))
    assert e.value.code == "invalid_argument"
    with pytest.raises(apertura.UsageError) as e:
        apertura.rank(scored, output="records")
    assert e.value.code == "invalid_option"
    with pytest.raises(apertura.UsageError) as e:
        apertura.rank(scored, quadrant_split="half")
    assert e.value.code == "invalid_option"
    with pytest.raises(apertura.UsageError) as e:
        apertura.summary(scored, scored=True, where="year=2015")
    assert e.value.code == "invalid_option"


def test_population_dependent_editions_cannot_be_scored_in_parts() -> None:
    part = pd.DataFrame({"id": ["a"], "odb.score": [0.5]})
    with pytest.raises(apertura.UsageError) as e:
        apertura.score_partition(part, edition="odb-2014")
    assert e.value.code == "population_dependent"
    with pytest.raises(apertura.UsageError) as e:
        apertura.score_partition(pd.DataFrame({"id": ["a"], "node": ["tg"], "value": [0.5]}))
    assert e.value.code == "invalid_argument"


def test_arrow_batches_as_spark_map_in_arrow_hands_them_over() -> None:
    """The Spark pattern (``mapInArrow``): pyarrow batches in, Arrow score tables out,
    concatenated and ranked: the whole's scores."""
    import pyarrow as pa

    whole = synthetic((0, 120))
    table = pa.Table.from_pandas(whole, preserve_index=False)
    batches = table.to_batches(max_chunksize=25)
    assert len(batches) == 5
    scored = [apertura.score_partition(b) for b in batches]
    assert all(isinstance(t, pa.Table) and "rank" not in t.column_names for t in scored)
    ranked = apertura.rank(pa.concat_tables(scored))
    assert isinstance(ranked, pa.Table)
    want = apertura.score(pl.from_pandas(whole))
    assert pl.from_arrow(ranked).equals(want)
    summary = apertura.summary(pa.concat_tables(scored), by="type", scored=True)
    assert pl.from_arrow(summary).equals(apertura.summary(pl.from_pandas(whole), by="type"))
