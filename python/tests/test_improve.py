"""``apertura.improve`` against an independent integer program solved by SciPy's MILP (HiGHS).

The MGA 2017 tree on item-level data: the index is linear in the items (``IGA = sum e_i
x_i``, ``e_i`` the product of the weights along the item's path, read from
``Edition.tree()``), an item rises in steps of 1/3 (binary ``z[i, k]``: item ``i`` reaches
grid level ``k``; a value off the grid first rises to the next multiple of 1/3, within
1e-4; ``z[i, k+1] <= z[i, k]``), each step costs the item's price, and the gates of
``core/editions/mga-2017.toml`` (read with ``tomllib``, not from apertura) are linear
constraints: a gated item may rise above 0 only when its gate is open now, or when the
gating item takes the steps that open it (its first level above 0 for ``positive``, its
level 1 for ``full``). The minimum of that program is compared with ``improve(...).cost``;
nothing here comes from the code under test.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pytest

import apertura
from conftest import REPO_ROOT

optimize = pytest.importorskip("scipy.optimize")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

EDITION = apertura.Edition.load("mga-2017")
ITEMS: List[str] = EDITION.item_ids()
GRID = (0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0)
GRID_TOL = 1e-4
TOL = 1e-9

with open(REPO_ROOT / "core" / "editions" / "mga-2017.toml", "rb") as _f:
    GATES: List[Dict[str, Any]] = tomllib.load(_f)["gates"]


def _effective_weights() -> Dict[str, float]:
    """Each item's weight in the index: the product of the weights along its path."""
    rows = {r["id"]: r for r in EDITION.tree()}
    out = {}
    for item in ITEMS:
        w, node = 1.0, item
        while rows[node]["parent"] is not None:
            w *= rows[node]["weight"]
            node = rows[node]["parent"]
        out[item] = w
    return out


WEIGHTS = _effective_weights()


def levels(x: float) -> List[float]:
    """The values an item at ``x`` can rise to: the multiples of 1/3 above it (1e-4)."""
    return [g for g in GRID if g > x + GRID_TOL]


def consistent(row: Dict[str, float]) -> Dict[str, float]:
    """The gates respected: an item behind a closed gate is 0 (gates in edition order)."""
    for g in GATES:
        w = row[g["when"]]
        closed = w <= 0.0 if g["opens_when"] == "positive" else w < 1.0
        if closed:
            for item in g["gated"]:
                row[item] = 0.0
    return row


def index_of(row: Dict[str, float]) -> float:
    return sum(WEIGHTS[i] * row[i] for i in ITEMS)


def milp_cost(row: Dict[str, float], costs: Dict[str, float], target: float) -> Optional[float]:
    """The minimum cost of reaching ``target`` on the index, or None if infeasible."""
    var: Dict[Tuple[str, int], int] = {}
    delta: List[float] = []
    price: List[float] = []
    for item in ITEMS:
        c = costs.get(item, 1.0)
        if math.isinf(c):
            continue
        prev = row[item]
        for k, lv in enumerate(levels(row[item])):
            var[(item, k)] = len(delta)
            delta.append(WEIGHTS[item] * (lv - prev))
            price.append(c)
            prev = lv
    need = target - TOL - index_of(row)
    if not var:
        return 0.0 if need <= 0 else None
    n = len(delta)
    a_rows: List[np.ndarray] = []
    lb: List[float] = []
    ub: List[float] = []

    def constraint(coef: Dict[int, float], lo: float, hi: float) -> None:
        r = np.zeros(n)
        for j, v in coef.items():
            r[j] += v
        a_rows.append(r)
        lb.append(lo)
        ub.append(hi)

    # The index reaches the target.
    constraint(dict(enumerate(delta)), need, np.inf)
    # A level is reached only after the one below it.
    for (item, k), j in var.items():
        if (item, k + 1) in var:
            constraint({var[(item, k + 1)]: 1.0, j: -1.0}, -np.inf, 0.0)
    # Gates: every step of a gated item needs its gate open now, or opened by steps.
    for g in GATES:
        w = g["when"]
        positive = g["opens_when"] == "positive"
        if (row[w] > 0.0) if positive else (row[w] >= 1.0):
            continue
        opener: Optional[int] = None
        for k, lv in enumerate(levels(row[w])):
            if (item_key := (w, k)) in var and ((lv > 0.0) if positive else (lv >= 1.0)):
                opener = var[item_key]
                break
        for item in g["gated"]:
            for k in range(len(levels(row[item]))):
                j = var.get((item, k))
                if j is None:
                    continue
                if opener is None:
                    constraint({j: 1.0}, -np.inf, 0.0)
                else:
                    constraint({j: 1.0, opener: -1.0}, -np.inf, 0.0)
    res = optimize.milp(
        c=np.array(price),
        integrality=np.ones(n),
        bounds=optimize.Bounds(np.zeros(n), np.ones(n)),
        constraints=optimize.LinearConstraint(np.vstack(a_rows), np.array(lb), np.array(ub)),
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if res.status == 2:  # infeasible
        return None
    assert res.status == 0, res.message
    z = np.round(res.x)
    # The solution reaches the target exactly, not only within HiGHS' tolerances.
    assert index_of(row) + float(np.dot(delta, z)) >= target - TOL - 1e-12
    return float(np.dot(price, z))


# --------------------------------------------------------------------------- data


def random_row(rng: np.random.Generator) -> Dict[str, float]:
    row = {}
    for item in ITEMS:
        u = rng.random()
        if u < 0.7:
            row[item] = GRID[rng.integers(4)]
        elif u < 0.85:
            row[item] = float(rng.random())
        else:
            row[item] = 0.3333
    return consistent(row)


def random_costs(rng: np.random.Generator) -> Dict[str, float]:
    costs = {}
    for item in ITEMS:
        u = rng.random()
        if u < 0.5:
            costs[item] = float(rng.integers(1, 4))
        elif u < 0.8:
            costs[item] = round(float(rng.uniform(0.1, 3.0)), 3)
        elif u < 0.88:
            costs[item] = 0.0
        else:
            costs[item] = math.inf
    return costs


def records(rows: Sequence[Dict[str, float]]) -> List[Dict[str, Any]]:
    return [{"id": f"i{k}", **r} for k, r in enumerate(rows)]


def improve_cost(rows: Sequence[Dict[str, float]], who: int, costs: Dict[str, float], target: float) -> Optional[float]:
    try:
        x = apertura.improve(records(rows), f"i{who}", target_score=target, costs=costs, output="records")
    except apertura.UsageError as e:
        assert e.code == "unreachable_target", e
        return None
    assert x.score_after >= target - TOL
    return x.cost


# --------------------------------------------------------------------------- the MILP check


def test_effective_weights_are_the_tree_products() -> None:
    rows = {r["id"]: r for r in EDITION.tree()}
    assert math.isclose(sum(WEIGHTS.values()), 1.0, abs_tol=1e-12)
    for item in ITEMS:
        assert math.isclose(WEIGHTS[item], rows[item]["effective_weight"], abs_tol=1e-15)


def test_minimum_cost_equals_the_milp_optimum() -> None:
    rng = np.random.default_rng(20170)
    compared = infeasible = positive = 0
    for case in range(160):
        rows = [random_row(rng) for _ in range(int(rng.integers(1, 4)))]
        who = int(rng.integers(len(rows)))
        costs = random_costs(rng)
        now = index_of(rows[who])
        share = float(rng.uniform(0.0, 1.0)) if case % 8 else float(rng.uniform(0.8, 1.1))
        target = now + share * (1.0 - now)
        expected = milp_cost(rows[who], costs, target)
        got = improve_cost(rows, who, costs, target)
        compared += 1
        if expected is None:
            infeasible += 1
            assert got is None, (case, rows[who], costs, target, got)
            continue
        assert got is not None, (case, rows[who], costs, target, expected)
        assert abs(got - expected) < 1e-6, (case, rows[who], costs, target, got, expected)
        positive += expected > 0
    assert compared >= 150 and infeasible >= 10 and positive >= 80, (compared, infeasible, positive)


def test_infeasible_for_both_when_the_movable_items_fall_short() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        row = random_row(rng)
        costs = {i: math.inf for i in ITEMS}
        movable = rng.choice(len(ITEMS), size=3, replace=False)
        for k in movable:
            costs[ITEMS[int(k)]] = 1.0
        top = dict(row)
        for k in movable:
            if levels(row[ITEMS[int(k)]]):
                top[ITEMS[int(k)]] = 1.0
        # Just above what the three items reach even ignoring the gates.
        target = min(index_of(top) + 1e-3, 1.0)
        if target <= index_of(row):
            continue
        assert milp_cost(row, costs, target) is None
        assert improve_cost([row], 0, costs, target) is None


# --------------------------------------------------------------------------- properties

_value = st.one_of(st.sampled_from(GRID), st.floats(0.0, 1.0), st.just(0.3333))
_row = st.fixed_dictionaries({i: _value for i in ITEMS}).map(consistent)
_cost = st.one_of(st.sampled_from([1.0, 2.0, 3.0, 0.0]), st.floats(0.1, 3.0))
_costs = st.fixed_dictionaries({i: _cost for i in ITEMS})


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=4), costs=_costs, s1=st.floats(0.0, 1.0), s2=st.floats(0.0, 1.0))
def test_cost_is_monotone_in_the_target(rows: List[Dict[str, float]], costs: Dict[str, float], s1: float, s2: float) -> None:
    lo, hi = sorted((s1, s2))
    now = index_of(rows[0])
    c_lo = improve_cost(rows, 0, costs, now + lo * (1 - now))
    c_hi = improve_cost(rows, 0, costs, now + hi * (1 - now))
    if c_hi is not None:
        assert c_lo is not None and c_lo <= c_hi + 1e-12


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=4), costs=_costs, share=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_a_path_raises_values_adds_up_and_ignores_row_order(
    rows: List[Dict[str, float]], costs: Dict[str, float], share: float, seed: int
) -> None:
    now = index_of(rows[0])
    target = now + share * (1 - now)
    recs = records(rows)
    try:
        x = apertura.improve(recs, "i0", target_score=target, costs=costs, output="records")
    except apertura.UsageError as e:
        assert e.code == "unreachable_target"
        return
    assert x.score_after >= target - TOL
    assert x.score_before == pytest.approx(now, abs=1e-12)
    assert abs(sum(a["cost"] for a in x.actions) - x.cost) < 1e-9
    assert abs(x.score_before + sum(a["gain"] for a in x.actions) - x.score_after) < 1e-9
    for a in x.actions:
        assert a["from"] == rows[0][a["node"]]
        assert a["from"] < a["to"] <= 1.0
        assert a["to"] in GRID
        assert abs(a["cost"] - a["steps"] * costs[a["node"]]) < 1e-9
    # The same institution in shuffled data: the same path.
    perm = np.random.default_rng(seed).permutation(len(recs))
    y = apertura.improve([recs[int(k)] for k in perm], "i0", target_score=target, costs=costs, output="records")
    assert y.cost == x.cost and y.score_after == x.score_after
    assert sorted((a["node"], a["to"]) for a in y.actions) == sorted((a["node"], a["to"]) for a in x.actions)


# --------------------------------------------------------------------------- the API


def thirds() -> Dict[str, float]:
    return consistent({i: 1.0 / 3.0 for i in ITEMS})


def test_a_cost_on_an_aggregate_prices_every_item_under_it() -> None:
    # T = (TG + TC) / 2 must rise from 1/3 by 1/6. A TC item weighs 1/8 in T (+1/24 a
    # step): four TC steps at 1. The best TG item, tg.ai, weighs 1/4 (+1/12 a step): two
    # steps at 2 with TG at 2 a step. Both cost 4, nothing costs less (a step gives at most
    # +1/12); with TG at 3 a step only the TC steps do.
    data = [{"id": "a", **thirds()}]
    x = apertura.improve(data, "a", target_score=0.5, node="t", costs={"tg": 2}, output="records")
    assert isinstance(x, apertura.Improvement)
    assert x.cost == 4.0 and x.target_node == "t" and x.required == 0.5 and x.feasible
    assert x.target == {"kind": "score", "value": 0.5}
    assert x.score_before == pytest.approx(1 / 3) and x.score_after == pytest.approx(0.5)
    steps = sorted((a["node"], a["steps"]) for a in x.actions)
    assert steps == [("tg.ai", 2)] or all(a["node"].startswith("tc.") for a in x.actions), steps
    y = apertura.improve(data, "a", target_score=0.5, node="t", costs={"tg": 3}, output="records")
    assert y.cost == 4.0
    # Any four TC steps (1/3 -> 2/3 or 1/3 -> 1 on any of its items) do it.
    assert sum(a["steps"] for a in y.actions) == 4 and all(a["node"].startswith("tc.") for a in y.actions)
    assert all(a["to"] == pytest.approx(1 / 3 + a["steps"] / 3) for a in y.actions)
    # TC frozen: tg.ai's two steps, nothing else.
    z = apertura.improve(data, "a", target_score=0.5, node="t", costs={"tg": 2, "tc": math.inf}, output="records")
    assert z.cost == 4.0 and [(a["node"], a["steps"]) for a in z.actions] == [("tg.ai", 2)]


def test_costs_as_a_file_a_frame_or_a_dict(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    data = [{"id": "a", **thirds()}]
    path = tmp_path / "costs.csv"
    path.write_text("node,cost_per_step\ntg,2\npc,inf\n", encoding="utf-8")
    frame = pd.DataFrame({"node": ["tg", "pc"], "cost_per_step": [2.0, math.inf]})
    got = [
        apertura.improve(data, "a", target_score=0.6, costs=c, output="records")
        for c in (path, str(path), frame, {"tg": 2, "pc": math.inf})
    ]
    assert all(g.cost == got[0].cost and g.actions == got[0].actions for g in got)
    assert all(not a["node"].startswith("pc.") for a in got[0].actions)
    # Steps as text or numbers.
    a = apertura.improve(data, "a", target_score=0.6, step="0.5", output="records")
    b = apertura.improve(data, "a", target_score=0.6, step=0.5, output="records")
    assert a == b


def test_frames_the_frontier_and_every_institution() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    sample = REPO_ROOT / "data" / "samples" / "mga-2017-sample.csv"
    df = pd.read_csv(sample)
    who = df["id"][0]
    x = apertura.improve(df, who, target_mean=True)
    assert isinstance(x.actions, pd.DataFrame) and list(x.actions.columns) == ["node", "from", "to", "steps", "cost", "gain"]
    assert x.target == {"kind": "mean"}
    assert isinstance(apertura.improve(pl.read_csv(sample), who, target_mean=True).actions, pl.DataFrame)
    # The frontier rises in cost and in score, from no step to the top.
    f = apertura.improve(sample, who, frontier=True)
    assert list(f.columns) == ["cost", "score", "actions"]
    assert f["cost"].iloc[0] == 0.0 and f["actions"].iloc[0] == []
    assert (f["cost"].diff().iloc[1:] > 0).all() and (f["score"].diff().iloc[1:] > 0).all()
    assert f["score"].iloc[-1] == pytest.approx(1.0, abs=1e-12)
    assert all(abs(sum(a["cost"] for a in acts) - c) < 1e-9 for c, acts in zip(f["cost"], f["actions"]))
    # Every institution: one row each, in data order; the mean is reached or already met.
    s = apertura.score(sample)
    mean = s["iga"].mean()
    rows = apertura.improve(sample, target_mean=True, all=True)
    assert list(rows.columns[:9]) == [
        "id", "name", "feasible", "reason", "cost", "required", "score_before", "score_after", "rank_before"
    ]
    assert list(rows["id"]) == list(s["id"]) and rows["feasible"].all()
    assert ((rows["cost"] == 0) == (s["iga"] >= mean - 1e-9)).all()
    assert (rows["score_after"] >= mean - 1e-9).all() and (rows["rank_after"] <= rows["rank_before"]).all()
    assert ((rows["steps"] == "") == (rows["cost"] == 0)).all()
    one = apertura.improve(sample, who, target_mean=True, output="records")
    assert sorted(rows["steps"].iloc[0].split()) == sorted(f"{a['node']}+{a['steps']}" for a in one.actions)
    assert rows["cost"].iloc[0] == one.cost
    # An unreachable target is a row, not an error, with all=True.
    top = apertura.improve(sample, target_score=1.2, all=True, output="records")
    assert all(not r["feasible"] and r["cost"] == math.inf and r["reason"] for r in top)


def test_rank_and_quadrant_targets() -> None:
    rows = [
        {"id": "a", "tg": 0.4, "tc": 0.4, "pg": 0.2, "pc": 0.2},
        {"id": "b", "tg": 0.7, "tc": 0.6, "pg": 0.6, "pc": 0.6},
        {"id": "c", "tg": 0.4, "tc": 0.4, "pg": 0.4, "pc": 0.4},
    ]
    # a (0.3) must reach c (0.4): +0.4 on the sum of the perspectives. One step gives at
    # most +0.2667 (0.4 -> 2/3); two steps do (TG and TC +0.5333, or TC to 1 +0.6).
    x = apertura.improve(rows, "a", target_rank=2, output="records")
    assert x.rank_before == 3 and x.rank_after == 2 and x.cost == 2.0
    assert x.required == pytest.approx(0.4) and x.score_after > 0.4
    q = apertura.improve(rows, "a", target_quadrant="I", output="records")
    assert q.quadrant_before == "III" and q.quadrant_after == "I"
    assert all(a["node"] in ("tg", "tc") for a in q.actions)


def test_a_rank_target_is_a_rank_the_engine_gives() -> None:
    rows = [
        {"id": "a", "tg": 0.4, "tc": 0.4, "pg": 0.2, "pc": 0.2},
        {"id": "b", "tg": 0.7, "tc": 0.6, "pg": 0.6, "pc": 0.6},
        {"id": "c", "tg": 0.5, "tc": 0.5, "pg": 0.4, "pc": 0.4},
    ]
    # tc 0.4 -> 1 gives a 0.25 * 1.8 = 0.44999999999999996 (c: 0.45): not a tie for the engine.
    x = apertura.improve(rows, "a", target_rank=2, output="records")
    assert x.rank_after <= 2, x


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"institution": "nobody", "target_score": 0.5}, "unknown_institution"),
        ({"target_score": 0.5, "node": "zz"}, "unknown_node"),
        ({"target_score": 1.5}, "unreachable_target"),
        ({"target_score": 0.9, "costs": {"iga": math.inf}}, "unreachable_target"),
        ({"target_score": 0.9, "costs": {"tg": -1}}, "invalid_cost"),
        ({"target_score": 0.9, "costs": {"tg": "cheap"}}, "invalid_cost"),
        ({"target_score": 0.9, "costs": {"zz": 1}}, "unknown_node"),
        ({"target_score": 0.9, "step": "0"}, "invalid_step"),
        ({"target_score": 0.9, "step": 2.0}, "invalid_step"),
        ({"target_score": 0.9, "step": "x"}, "invalid_step"),
        ({}, "invalid_target"),
        ({"target_score": 0.5, "target_mean": True}, "invalid_target"),
        ({"target_rank": 0}, "invalid_target"),
        ({"target_rank": 9}, "invalid_target"),
        ({"target_quadrant": "V"}, "invalid_target"),
        ({"target_quadrant": "II", "node": "t"}, "invalid_target"),
        ({"target_quadrant": "II", "frontier": True}, "invalid_target"),
        ({"target_score": 0.9, "all": True}, "invalid_option"),
        ({"target_score": 0.9, "frontier": True, "all": True, "institution": None}, "invalid_option"),
    ],
)
def test_errors_carry_codes(kwargs: Dict[str, Any], code: str) -> None:
    data = [{"id": "a", **thirds()}]
    kwargs = {"institution": "a", **kwargs}
    with pytest.raises(apertura.UsageError) as e:
        apertura.improve(data, **kwargs)
    assert e.value.code == code, e.value


def test_a_bad_costs_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "costs.csv"
    path.write_text("node,cost_per_step\ntg,-1\ntc,abc\n", encoding="utf-8")
    with pytest.raises(apertura.InputError) as e:
        apertura.improve([{"id": "a", **thirds()}], "a", target_score=0.9, costs=path)
    assert [(p.code, p.row, p.column) for p in e.value.errors] == [
        ("out_of_range", 1, "cost_per_step"),
        ("not_a_number", 2, "cost_per_step"),
    ]
    assert e.value.source == str(path)


def test_docstring_example() -> None:
    import doctest

    from apertura import _improve

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = doctest.DocTestFinder(exclude_empty=True).find(_improve.improve, globs={"apertura": apertura})
    for t in tests:
        runner.run(t)
    assert tests and runner.failures == 0
