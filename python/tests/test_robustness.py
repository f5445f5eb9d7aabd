"""Robustness analysis from Python: apertura.uncertainty and apertura.sensitivity.

Expected values come from outside apertura: SciPy's ``sobol_indices`` fed with the same
runs' outputs, ``numpy.quantile``, ``scipy.stats.spearmanr``, numpy arithmetic, or the
definition itself (zero noise changes nothing, a design reruns to the same bits, row order
permutes nothing). Ns are small (64 to 512 runs) to keep the suite quick.
"""

from __future__ import annotations

import doctest
import io
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import pytest

import apertura
from apertura import AperturaError, RobustnessError, UsageError

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
scipy_stats = pytest.importorskip("scipy.stats")

TOL = 1e-12
PERSPECTIVES = ["tg", "tc", "pg", "pc"]


def perspectives(m: int = 30, seed: int = 0, ties: int = 3) -> Any:
    """``m`` institutions at the perspective level, uniform values; the last ``ties`` rows
    repeat the first ones (ties in every run)."""
    rng = np.random.default_rng(seed)
    ties = min(ties, m // 2)
    values = rng.uniform(0.0, 1.0, size=(m - ties, 4))
    values = np.vstack([values, values[:ties]])
    df = pd.DataFrame(values, columns=PERSPECTIVES)
    df.insert(0, "id", [f"i{k:03d}" for k in range(m)])
    return df


def to_polars(df: Any) -> Any:
    """A pandas frame as polars, column by column (``pl.from_pandas`` needs pyarrow for text)."""
    return pl.DataFrame({str(c): df[c].tolist() for c in df.columns})


def items(m: int = 40, seed: int = 3) -> Any:
    """Item-level synthetic institutions (the core's generator, as `apertura synthesize`)."""
    ed = apertura.Edition.load("mga-2017")
    return pd.read_csv(io.StringIO(apertura._apertura._synthetic_csv(ed, m, seed)), keep_default_na=False)


def scipy_sobol(y: np.ndarray, n: int, d: int) -> Tuple[np.ndarray, np.ndarray]:
    """SciPy's estimators on one output series laid out as apertura's runs (A, B, A_B^i)."""
    y = np.asarray(y, dtype=np.float64)
    assert y.shape == (n * (d + 2),)
    res = scipy_stats.sobol_indices(
        func={"f_A": y[:n][None, :], "f_B": y[n : 2 * n][None, :], "f_AB": y[2 * n :].reshape(d, n)[:, None, :]},
        n=n,
    )
    return np.ravel(res.first_order), np.ravel(res.total_order)


def index_rows(sa: Any, target: str, institution: Any = None) -> List[Dict[str, Any]]:
    return [r for r in sa.raw["indices"] if r["target"] == target and r["institution"] == institution]


# --------------------------------------------------------------------------- sensitivity vs SciPy


@pytest.fixture(scope="module")
def sa_kept() -> Any:
    return apertura.sensitivity(perspectives(), weight_noise=0.25, n=64, bootstrap=0, keep_outputs=True, seed=3)


def test_run_blocks_follow_saltelli(sa_kept: Any) -> None:
    n, names = sa_kept.n, sa_kept.factor_names
    d = len(names)
    runs = sa_kept.runs
    assert len(runs) == n * (d + 2)
    want = ["A"] * n + ["B"] * n + [f"AB:{f}" for f in names for _ in range(n)]
    assert runs["block"].tolist() == want
    assert runs["row"].tolist() == list(range(n)) * (d + 2)
    # The design's A and B are the uniforms; A_B^i takes column i from B.
    design = sa_kept.design
    assert list(design.columns) == [f"A:{f}" for f in names] + [f"B:{f}" for f in names]
    assert sa_kept.outputs is not None
    assert sa_kept.outputs.scores.shape == (n * (d + 2), 30) and sa_kept.outputs.ranks.dtype == np.int64


@pytest.mark.parametrize("target", ["rank_shift", "national"])
def test_scalar_indices_equal_scipy(sa_kept: Any, target: str) -> None:
    n, d = sa_kept.n, len(sa_kept.factor_names)
    s1, st = scipy_sobol(sa_kept.runs[target].to_numpy(), n, d)
    rows = index_rows(sa_kept, target)
    assert [r["factor"] for r in rows] == sa_kept.factor_names
    for k, r in enumerate(rows):
        assert abs(r["s1"] - s1[k]) <= TOL, (target, r["factor"], r["s1"], s1[k])
        assert abs(r["st"] - st[k]) <= TOL, (target, r["factor"], r["st"], st[k])


@pytest.mark.parametrize("target", ["score", "rank"])
def test_institution_indices_equal_scipy(sa_kept: Any, target: str) -> None:
    n, d = sa_kept.n, len(sa_kept.factor_names)
    o = sa_kept.outputs
    series = o.scores if target == "score" else o.ranks.astype(np.float64)
    ids = sa_kept.institution_ids
    constant = {c["institution"] for c in sa_kept.raw["constant"] if c["target"] == target}
    checked = 0
    for i in range(0, len(ids), 4):
        rows = index_rows(sa_kept, target, ids[i])
        if ids[i] in constant:
            assert not rows and np.ptp(series[:, i]) == 0
            continue
        s1, st = scipy_sobol(series[:, i], n, d)
        for k, r in enumerate(rows):
            assert abs(r["s1"] - s1[k]) <= TOL and abs(r["st"] - st[k]) <= TOL, (target, ids[i], r["factor"])
        checked += 1
    assert checked >= 3


def test_bootstrap_intervals_bracket_the_estimates_and_flag_zero() -> None:
    sa = apertura.sensitivity(perspectives(), weight_noise=0.25, weight_parents="iga,t", n=128, bootstrap=50,
                              target="national,rank_shift")
    idx = sa.indices
    assert set(idx["target"]) == {"national", "rank_shift"}
    assert (idx["s1_lo"] <= idx["s1_hi"]).all() and (idx["st_lo"] <= idx["st_hi"]).all()
    expected_nonzero = ~((idx["s1_lo"] <= 0) & (idx["s1_hi"] >= 0))
    assert (idx["s1_nonzero"].astype(bool) == expected_nonzero).all()
    assert set(sa.convergence["n"]) <= {16, 32, 64, 128}
    # Without a bootstrap there are no intervals (missing, never NaN from the core).
    sa0 = apertura.sensitivity(perspectives(), weight_noise=0.25, n=16, bootstrap=0, target="national", output="records")
    assert all(r["s1_lo"] is None and r["s1_nonzero"] is None for r in sa0.indices)


# --------------------------------------------------------------------------- uncertainty vs numpy / SciPy


@pytest.fixture(scope="module")
def ua_kept() -> Any:
    return apertura.uncertainty(perspectives(), weight_noise=0.25, n=256, seed=11, top=5, keep_outputs=True)


def test_intervals_equal_numpy_quantiles(ua_kept: Any) -> None:
    o = ua_kept.outputs
    assert o is not None and o.scores.shape == (256, 30) and o.ranks.shape == (256, 30)
    inst = ua_kept.institutions
    for q, name in [(0.05, "q05"), (0.5, "median"), (0.95, "q95")]:
        np.testing.assert_allclose(inst[f"score_{name}"], np.quantile(o.scores, q, axis=0), rtol=0, atol=TOL)
        np.testing.assert_allclose(inst[f"rank_{name}"], np.quantile(o.ranks, q, axis=0), rtol=0, atol=TOL)
    np.testing.assert_allclose(inst["score_mean"], o.scores.mean(axis=0), rtol=0, atol=TOL)
    np.testing.assert_allclose(inst["rank_mean"], o.ranks.mean(axis=0), rtol=0, atol=TOL)
    np.testing.assert_array_equal(inst["p_top"], (o.ranks <= 5).mean(axis=0))


def test_nominal_scores_and_ranks_are_those_of_score(ua_kept: Any) -> None:
    scored = apertura.score(perspectives())
    np.testing.assert_allclose(ua_kept.institutions["score"], scored["iga"], rtol=0, atol=TOL)
    np.testing.assert_array_equal(ua_kept.institutions["rank"], scored["rank"])


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """1 + the number of strictly higher scores (the MGA's ranking)."""
    s = np.sort(scores)
    return (len(scores) - np.searchsorted(s, scores, side="right") + 1).astype(np.int64)


def test_runs_ranks_are_competition_ranks_of_run_scores(ua_kept: Any) -> None:
    o = ua_kept.outputs
    for r in range(0, o.scores.shape[0], 17):
        np.testing.assert_array_equal(o.ranks[r], competition_ranks(o.scores[r]))


def test_spearman_and_rank_shift_per_run(ua_kept: Any) -> None:
    o = ua_kept.outputs
    nominal = ua_kept.institutions["score"].to_numpy()
    nominal_rank = ua_kept.institutions["rank"].to_numpy()
    runs = ua_kept.runs
    for r in range(o.scores.shape[0]):
        rho = scipy_stats.spearmanr(nominal, o.scores[r]).statistic
        assert abs(runs["spearman"].iloc[r] - rho) <= TOL, (r, runs["spearman"].iloc[r], rho)
        rs = np.mean(np.abs(o.ranks[r] - nominal_rank))
        assert abs(runs["rank_shift"].iloc[r] - rs) <= TOL
    np.testing.assert_allclose(ua_kept.rank_shift.values, runs["rank_shift"], rtol=0, atol=0)
    assert abs(ua_kept.rank_shift.median - np.quantile(ua_kept.rank_shift.values, 0.5)) <= TOL
    assert ua_kept.spearman is not None
    assert abs(ua_kept.spearman.q05 - np.quantile(ua_kept.spearman.values, 0.05)) <= TOL
    national = o.scores.mean(axis=1)
    np.testing.assert_allclose(runs["national"], national, rtol=0, atol=TOL)


def test_run_weights_are_the_noise_model(ua_kept: Any) -> None:
    """w~ = w (1 + p (2u - 1)), renormalised within the parent, from the exported uniforms."""
    design = ua_kept.design
    runs = ua_kept.runs
    base = {"w:t": 0.5, "w:p": 0.5, "w:tg": 0.5, "w:tc": 0.5, "w:pg": 0.5, "w:pc": 0.5}
    for a, b in [("w:t", "w:p"), ("w:tg", "w:tc"), ("w:pg", "w:pc")]:
        wa = base[a] * (1 + 0.25 * (2 * design[a] - 1))
        wb = base[b] * (1 + 0.25 * (2 * design[b] - 1))
        np.testing.assert_allclose(runs[a], wa / (wa + wb), rtol=0, atol=TOL)
        np.testing.assert_allclose(runs[b], wb / (wa + wb), rtol=0, atol=TOL)
    # And each run's score is the MGA's arithmetic with those weights.
    df = perspectives()
    o = ua_kept.outputs
    for r in (0, 99, 255):
        w = runs.iloc[r]
        t = w["w:tg"] * df["tg"] + w["w:tc"] * df["tc"]
        p = w["w:pg"] * df["pg"] + w["w:pc"] * df["pc"]
        np.testing.assert_allclose(o.scores[r], w["w:t"] * t + w["w:p"] * p, rtol=0, atol=TOL)


def test_zero_noise_gives_the_nominal_value_everywhere() -> None:
    ua = apertura.uncertainty(perspectives(), weight_noise=0.0, n=64)
    inst = ua.institutions
    for col in ("score_median", "score_mean", "score_q05", "score_q95"):
        np.testing.assert_allclose(inst[col], inst["score"], rtol=0, atol=1e-15)
    for col in ("rank_median", "rank_mean", "rank_q05", "rank_q95"):
        np.testing.assert_array_equal(inst[col], inst["rank"].astype(float))
    assert ua.rank_shift.max == 0.0 and ua.spearman is not None and ua.spearman.min == 1.0


# --------------------------------------------------------------------------- published file, designs


def strip_design(raw: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in raw.items() if k != "design"}


def test_published_2017_is_reproducible_from_its_design(bso: Path, tmp_path: Path) -> None:
    ua = apertura.uncertainty(bso, weight_noise=0.25, n=128, seed=7)
    assert len(ua.institutions) == 908 and ua.n == 128
    assert ua.factor_names == ["w:tg", "w:tc", "w:pg", "w:pc", "w:t", "w:p"]
    assert any("recomputed" in p for p in ua.policies)  # GA, T, P given beside TG..PC
    path = tmp_path / "design.csv"
    path.write_text(ua.design_csv, encoding="utf-8")
    for design in (ua.design_csv, path, str(path), ua.design, to_polars(ua.design), ua):
        again = apertura.uncertainty(bso, weight_noise=0.25, design=design)
        assert again.raw == ua.raw, type(design)
        assert again.design_csv == ua.design_csv
    # Another seed is another design.
    other = apertura.uncertainty(bso, weight_noise=0.25, n=128, seed=8)
    assert other.design_csv != ua.design_csv


def test_sensitivity_design_round_trip() -> None:
    df = perspectives()
    sa = apertura.sensitivity(df, weight_noise=0.25, n=32, bootstrap=10)
    for design in (sa.design_csv, sa.design, sa):
        again = apertura.sensitivity(df, weight_noise=0.25, design=design, bootstrap=10)
        assert again.raw == sa.raw


def test_row_order_changes_no_institutions_interval() -> None:
    df = perspectives(m=40, seed=5)
    ua = apertura.uncertainty(df, weight_noise=0.25, data_noise=0.05, n=96, output="records")
    by_id = {r["id"]: r for r in ua.institutions}
    sa = apertura.sensitivity(df, weight_noise=0.25, n=16, bootstrap=20, target="score,rank")
    sa_rows = {(r["target"], r["institution"], r["factor"]): r for r in sa.raw["indices"]}
    rng = np.random.default_rng(1)
    for _ in range(3):
        shuffled = df.iloc[rng.permutation(len(df))]
        ua2 = apertura.uncertainty(shuffled, weight_noise=0.25, data_noise=0.05, n=96, output="records")
        assert [r["id"] for r in ua2.institutions] == shuffled["id"].tolist()
        for r in ua2.institutions:
            assert r == by_id[r["id"]]
        assert ua2.raw["rank_shift"] == ua.raw["rank_shift"]
        sa2 = apertura.sensitivity(shuffled, weight_noise=0.25, n=16, bootstrap=20, target="score,rank")
        assert {(r["target"], r["institution"], r["factor"]): r for r in sa2.raw["indices"]} == sa_rows


# --------------------------------------------------------------------------- errors


def robustness_error(**kwargs: Any) -> RobustnessError:
    analysis = kwargs.pop("analysis", apertura.uncertainty)
    with pytest.raises(RobustnessError) as e:
        analysis(perspectives(m=6), **kwargs)
    return e.value


def test_error_class() -> None:
    assert issubclass(RobustnessError, AperturaError) and issubclass(RobustnessError, ValueError)
    assert not issubclass(RobustnessError, UsageError)
    assert apertura.RobustnessError is apertura._errors.RobustnessError


def test_bad_factors_name_the_factor() -> None:
    e = robustness_error(weight_noise=0.25, weight_parents="zz")
    assert (e.code, e.factor) == ("invalid_factor", "w:zz") and "zz" in str(e)
    e = robustness_error(weight_noise=1.0)
    assert (e.code, e.factor) == ("invalid_factor", "w:*") and "[0, 1)" in e.detail
    e = robustness_error(weight_noise=0.25, weight_parents=["tg"])  # tg is given by the data
    assert (e.code, e.factor) == ("invalid_factor", "w:tg")
    e = robustness_error(vary={"colour": ["red", "blue"]})
    assert (e.code, e.factor) == ("invalid_factor", "set:colour")
    e = robustness_error(vary_aggregation={"p": ["arithmetic", "harmonic"]})
    assert (e.code, e.factor) == ("invalid_factor", "agg:p")
    e = robustness_error(weight_sets=["edition"])
    assert (e.code, e.factor) == ("invalid_factor", "weights")
    e = robustness_error(weight_sets=["edition", {"mine": {"tg": -1.0, "tc": 2.0}}])
    assert (e.code, e.factor, e.value) == ("invalid_factor", "weights", "-1")
    e = robustness_error(weight_noise="a lot")
    assert e.code == "invalid_factor" and "factors" in str(e)
    e = robustness_error()
    assert e.code == "invalid_option"


def test_bad_options() -> None:
    assert robustness_error(weight_noise=0.25, n=0).code == "invalid_option"
    assert robustness_error(weight_noise=0.25, top=0).code == "invalid_option"
    assert robustness_error(weight_noise=0.25, sampler="lhs").code == "invalid_option"
    e = robustness_error(weight_noise=0.25, analysis=apertura.sensitivity, n=16, target="colour")
    assert e.code == "invalid_option" and "colour" in str(e)
    e = robustness_error(weight_noise=0.25, analysis=apertura.sensitivity, n=16, confidence=1.5)
    assert e.code == "invalid_option"
    with pytest.raises(UsageError) as u:  # a core option that does not exist (Plan)
        apertura.uncertainty(perspectives(m=4), weight_noise=0.25, colour="red")
    assert u.value.code == "invalid_option"


def test_sensitivity_n_must_be_a_power_of_two() -> None:
    e = robustness_error(weight_noise=0.25, analysis=apertura.sensitivity, n=48)
    assert e.code == "invalid_design" and "power of two" in str(e) and "48" in str(e)


def test_bad_designs_name_row_column_and_value() -> None:
    df = perspectives(m=6)
    ua = apertura.uncertainty(df, weight_noise=0.25, n=4)
    header, *rows = ua.design_csv.strip().split("\n")
    cols = header.split(",")
    # A missing column.
    missing = "\n".join(",".join(r.split(",")[1:]) for r in [header, *rows]) + "\n"
    e = robustness_error(weight_noise=0.25, design=missing)
    assert (e.code, e.column, e.factor) == ("invalid_design", cols[0], cols[0])
    # An extra column.
    extra = "\n".join([header + ",w:zz", *(r + ",0.5" for r in rows)]) + "\n"
    e = robustness_error(weight_noise=0.25, design=extra)
    assert (e.code, e.column) == ("invalid_design", "w:zz")
    # A value outside [0, 1) in data row 3.
    cells = rows[2].split(",")
    cells[1] = "1.0"
    bad = "\n".join([header, rows[0], rows[1], ",".join(cells), rows[3]]) + "\n"
    e = robustness_error(weight_noise=0.25, design=bad)
    assert (e.code, e.row, e.column, e.value) == ("invalid_design", 3, cols[1], "1.0")
    # Not a number, from a frame.
    frame = ua.design.astype(object)
    frame.iloc[1, 2] = "x"
    e = robustness_error(weight_noise=0.25, design=frame)
    assert (e.code, e.row, e.column, e.value) == ("invalid_design", 2, cols[2], "x")
    # A sensitivity design without one of its B columns.
    sa = apertura.sensitivity(df, weight_noise=0.25, n=4, bootstrap=0)
    e = robustness_error(weight_noise=0.25, analysis=apertura.sensitivity, design=sa.design.drop(columns=["B:w:pc"]))
    assert (e.code, e.column, e.factor) == ("invalid_design", "B:w:pc", "w:pc")


def test_geometric_zero_is_an_error_naming_node_and_institution() -> None:
    df = perspectives(m=6)
    df.loc[2, "pg"] = 0.0
    with pytest.raises(RobustnessError) as e:
        apertura.uncertainty(df, vary_aggregation={"p": "arithmetic,geometric"}, n=16)
    assert (e.value.code, e.value.factor, e.value.institution) == ("geometric_zero", "agg:p", "i002")
    ok = apertura.uncertainty(df, vary_aggregation={"p": "arithmetic,geometric"}, geometric_zeros="zero", n=16)
    assert set(ok.runs["agg:p"]) == {"arithmetic", "geometric"}


# --------------------------------------------------------------------------- inputs and outputs


def test_callers_frames_are_never_modified() -> None:
    df = perspectives(m=12)
    copy = df.copy(deep=True)
    apertura.uncertainty(df, weight_noise=0.25, data_noise=0.1, n=32)
    apertura.sensitivity(df, weight_noise=0.25, n=8, bootstrap=5)
    pd.testing.assert_frame_equal(df, copy)
    pdf = to_polars(df)
    pcopy = pdf.clone()
    apertura.uncertainty(pdf, weight_noise=0.25, n=16)
    assert pdf.equals(pcopy)
    design = apertura.uncertainty(df, weight_noise=0.25, n=8).design
    dcopy = design.copy(deep=True)
    apertura.uncertainty(df, weight_noise=0.25, design=design)
    pd.testing.assert_frame_equal(design, dcopy)


def test_output_kinds_follow_the_input() -> None:
    df = perspectives(m=8)
    df["jurisdiction"] = ["Jalisco", "Sonora"] * 4
    df.index = [f"row{k}" for k in range(8)]
    ua = apertura.uncertainty(df, weight_noise=0.25, n=16, by="jurisdiction")
    assert isinstance(ua.institutions, pd.DataFrame) and list(ua.institutions.index) == list(df.index)
    assert list(ua.institutions.columns) == ["id", "name", "score", "rank", "rank_median", "rank_mean", "rank_q05",
                                             "rank_q95", "score_median", "score_mean", "score_q05", "score_q95", "p_top"]
    assert ua.groups["group"].tolist() == ["Jalisco", "Sonora"] and ua.groups["n"].tolist() == [4, 4]
    assert list(ua.groups.columns)[:4] == ["group", "n", "mean", "rank"]
    pua = apertura.uncertainty(to_polars(df), weight_noise=0.25, n=16, by="jurisdiction")
    assert isinstance(pua.institutions, pl.DataFrame) and isinstance(pua.runs, pl.DataFrame)
    assert isinstance(pua.design, pl.DataFrame) and isinstance(pua.groups, pl.DataFrame)
    assert pua.raw == ua.raw
    assert pua.institutions.to_dicts() == ua.institutions.to_dict("records")
    rec = apertura.uncertainty(df.to_dict("records"), weight_noise=0.25, n=16)
    assert isinstance(rec.institutions, pd.DataFrame)
    forced = apertura.uncertainty(df, weight_noise=0.25, n=16, output="records")
    assert isinstance(forced.institutions, list) and forced.institutions[0]["id"] == "i000"
    psa = apertura.sensitivity(to_polars(df), weight_noise=0.25, n=8, bootstrap=5)
    for table in (psa.indices, psa.constant, psa.convergence, psa.runs, psa.design):
        assert isinstance(table, pl.DataFrame)
    assert psa.indices.schema["s1_nonzero"] == pl.Boolean and psa.indices.schema["institution"] == pl.String


def test_item_level_and_weight_sets() -> None:
    df = items()
    sets = ["edition", "equal", {"tc-heavy": {"t": 0.4, "p": 0.6, "tc": 0.7, "tg": 0.3}}]
    ua = apertura.uncertainty(df, weight_sets=sets, n=64, gates="apply")
    assert ua.factor_names == ["weights"]
    assert ua.factors[0]["alternatives"] == ["edition", "equal", "tc-heavy"]
    assert set(ua.runs["weights"]) == {"edition", "equal", "tc-heavy"}
    # The "edition" runs reproduce the nominal scores exactly.
    ua_kept = apertura.uncertainty(df, weight_sets=sets, n=16, gates="apply", keep_outputs=True)
    edition_runs = np.flatnonzero(ua_kept.runs["weights"].to_numpy() == "edition")
    assert len(edition_runs) > 0
    for r in edition_runs:
        np.testing.assert_array_equal(ua_kept.outputs.scores[r], ua_kept.institutions["score"])
    # A single {name: {...}} dict and a {"name", "weights"} dict are sets too.
    one = apertura.uncertainty(df, weight_sets=[{"name": "edition"}, {"a": {"t": 0.6, "p": 0.4}}], n=8, gates="apply")
    assert one.factors[0]["alternatives"] == ["edition", "a"]


def test_item_weights_as_factors() -> None:
    df = items(m=20)
    ua = apertura.uncertainty(df, weight_noise=0.25, weight_parents="tg,tc,pg,pc", n=32, gates="apply")
    assert len(ua.factor_names) == 17 and all(f.startswith("w:") for f in ua.factor_names)


def test_request_level_settings_vary_with_their_evidence() -> None:
    rows = [{"id": k, "tg": 0.2 + 0.1 * i, "pg": 0.5, "pc": 0.4} for i, k in enumerate("abc")]
    answered = {"a": "2016-02-05", "b": "2016-02-19", "c": "2016-03-04"}
    requests = [{"institution": k, "answered": True, "availability": 1, "clarity": 1, "completeness": 1,
                 "filed": "2016-01-29", "answered_on": day, "extension": False} for k, day in answered.items()]
    variants = ["banded_fifths", "linear_20_working_days"]
    ua = apertura.uncertainty(rows, vary={"tc_celeridad": variants}, requests=requests, n=16, keep_outputs=True)
    assert ua.factor_names == ["set:tc_celeridad"]
    chosen = ua.runs["set:tc_celeridad"].tolist()
    assert set(chosen) == set(variants)
    # Each run scores as apertura.score does with that variant.
    for v in variants:
        want = apertura.score(rows, requests=requests, tc_celeridad=v)["iga"].to_numpy()
        for r in [k for k, c in enumerate(chosen) if c == v]:
            np.testing.assert_array_equal(ua.outputs.scores[r], want)
    with pytest.raises(RobustnessError) as e:
        apertura.uncertainty(rows, vary={"tc_celeridad": variants}, n=16)
    assert (e.value.code, e.value.factor) == ("invalid_factor", "set:tc_celeridad")


# --------------------------------------------------------------------------- progress and stopping


def test_progress_callable_sees_every_chunk() -> None:
    calls: List[Tuple[int, int]] = []
    ua = apertura.uncertainty(perspectives(), weight_noise=0.25, n=300, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 300) and calls[-1] == (300, 300) and len(calls) >= 3
    assert all(t == 300 for _, t in calls) and [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert ua.n == 300


def test_progress_returning_false_cancels() -> None:
    calls: List[int] = []

    def stop_second(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 2

    with pytest.raises(RobustnessError) as e:
        apertura.sensitivity(perspectives(), weight_noise=0.25, n=64, progress=stop_second)
    assert e.value.code == "cancelled" and len(calls) == 2 and "stopped after" in str(e.value)


@pytest.mark.parametrize("exc", [KeyboardInterrupt, ZeroDivisionError])
def test_an_exception_in_progress_stops_the_run_and_propagates(exc: type) -> None:
    calls: List[int] = []

    def boom(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 3:
            raise exc()

    with pytest.raises(exc):
        apertura.uncertainty(perspectives(), weight_noise=0.25, n=500, progress=boom)
    assert len(calls) == 3


def test_ctrl_c_stops_a_running_analysis() -> None:
    """A real SIGINT while the core runs (GIL released, no progress callable): the run
    stops at the next chunk and KeyboardInterrupt is raised."""
    df = perspectives(m=400)
    start = time.perf_counter()
    apertura.uncertainty(df, weight_noise=0.25, n=512, threads=1)
    per_run = (time.perf_counter() - start) / 512
    n = min(60000, max(4096, int(3.0 / per_run)))  # about 3 s of runs, Sobol' has 2^16 points
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        timer.start()
        apertura.uncertainty(df, weight_noise=0.25, n=n, threads=1)
    elapsed = time.perf_counter() - start
    timer.join()
    assert elapsed < 0.75 * n * per_run, (elapsed, n * per_run)


def test_the_gil_is_released_while_the_core_runs() -> None:
    df = perspectives(m=400)
    start = time.perf_counter()
    apertura.uncertainty(df, weight_noise=0.25, n=512, threads=1)
    per_run = (time.perf_counter() - start) / 512
    n = min(60000, max(1024, int(0.5 / per_run)))  # about half a second of runs
    count = [0]
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            count[0] += 1

    worker = threading.Thread(target=spin)
    worker.start()
    try:
        time.sleep(0.1)  # the spinner alone (the main thread sleeps without the GIL)
        alone = count[0] / 0.1
        before = count[0]
        start = time.perf_counter()
        apertura.uncertainty(df, weight_noise=0.25, n=n, threads=1)
        elapsed = time.perf_counter() - start
        during = count[0] - before
    finally:
        stop.set()
        worker.join()
    # With the GIL held the spinner would only run in a few 5 ms switch intervals (between
    # chunks); released, it runs for most of the call.
    assert during > 0.2 * alone * elapsed, (during, alone, elapsed)


def test_progress_true_without_tqdm_prints_a_line(capsys: Any, monkeypatch: Any) -> None:
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    apertura.uncertainty(perspectives(), weight_noise=0.25, n=64, progress=True)
    err = capsys.readouterr().err
    assert "uncertainty: 64/64 runs" in err and err.endswith("\n")


def test_progress_of_the_wrong_type() -> None:
    with pytest.raises(TypeError):
        apertura.uncertainty(perspectives(m=4), weight_noise=0.25, n=8, progress="yes")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- plots, docs, names


def test_plots(tmp_path: Path) -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import apertura.plot

    ua = apertura.uncertainty(perspectives(), weight_noise=0.25, n=64)
    ax = apertura.plot.uncertainty(ua, top=10)
    assert len(ax.collections[0].get_segments()) == 10 and ax.yaxis_inverted()
    # Ordered by nominal rank: the dashes (nominal ranks) never decrease.
    nominal = ax.collections[2].get_offsets()[:, 1]
    assert list(nominal) == sorted(nominal)
    ax.figure.savefig(tmp_path / "ua.png")
    sa = apertura.sensitivity(perspectives(), weight_noise=0.25, n=32, bootstrap=0)
    ax2 = apertura.plot.sensitivity(sa)
    rows = [r for r in sa.raw["indices"] if r["target"] == "rank_shift"]
    s1 = [p.get_height() for p in ax2.patches[: len(rows)]]
    assert s1 == [max(r["s1"], 0.0) for r in rows]
    ax2.figure.savefig(tmp_path / "sa.png")
    ax3 = apertura.plot.sensitivity(sa, target="score", institution="i001")
    assert ax3.get_title() == "score: i001"
    with pytest.raises(ValueError):
        apertura.plot.sensitivity(sa, target="score")
    assert (tmp_path / "ua.png").stat().st_size > 0 and (tmp_path / "sa.png").stat().st_size > 0


def test_public_names() -> None:
    for name in ("uncertainty", "sensitivity", "RobustnessError", "UncertaintyResult", "SensitivityResult",
                 "Distribution", "Outputs"):
        assert name in apertura.__all__ and hasattr(apertura, name)
    for name in ("uncertainty", "sensitivity"):
        assert name in apertura.plot.__all__
        assert ">>>" in (getattr(apertura, name).__doc__ or "")
        assert ">>>" in (getattr(apertura.plot, name).__doc__ or "")


def test_docstring_examples_run() -> None:
    import apertura._robustness

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in doctest.DocTestFinder(exclude_empty=True).find(apertura._robustness, globs={"apertura": apertura}):
        runner.run(t)
    assert runner.failures == 0 and runner.tries >= 4
