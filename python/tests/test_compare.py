"""apertura.compare: the hand-computed case of tests/tests/compare.rs (a weight change and
a rename), frames and records, crosswalk forms and errors, significance, the published
2017 file under a variant edition, and properties (hypothesis): compare(x, x) has every
delta 0, swapping old and new negates every delta, row order of either input changes
nothing, and the data and method effects add up to the delta exactly."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import apertura

from conftest import REPO_ROOT

OLD = [
    {"id": "a", "jurisdiction": "Jalisco", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
    {"id": "b", "jurisdiction": "Jalisco", "tg": 1, "tc": 1, "pg": 1, "pc": 1},
    {"id": "c", "jurisdiction": "Colima", "tg": 0.8, "tc": 0.6, "pg": 0.6, "pc": 0.2},
]
NEW = [
    {"id": "d", "jurisdiction": "Colima", "tg": 0.5, "tc": 0.5, "pg": 0.5, "pc": 0.5},
    {"id": "a", "jurisdiction": "Jalisco", "tg": 0.8, "tc": 0.6, "pg": 0.2, "pc": 0.2},
    {"id": "b", "jurisdiction": "Jalisco", "tg": 1, "tc": 1, "pg": 1, "pc": 1},
]


def variant_text() -> str:
    text = (REPO_ROOT / "core" / "editions" / "mga-2017.toml").read_text(encoding="utf-8")
    text = text.replace('id = "mga-2017"', 'id = "mga-2017-variant"', 1)
    for old, new in [
        ('{ id = "t", weight = 0.5,', '{ id = "t", weight = 0.7,'),
        ('{ id = "p", weight = 0.5,', '{ id = "p", weight = 0.3,'),
        ('{ id = "tg", weight = 0.5,', '{ id = "tg", weight = 0.25,'),
        ('{ id = "tc", weight = 0.5,', '{ id = "tc", weight = 0.75,'),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    return text


VARIANT = apertura.Edition.from_str(variant_text())


def test_hand_computed_case_as_a_dataframe():
    c = apertura.compare(
        pd.DataFrame(OLD), pd.DataFrame(NEW), old_edition="mga-2017", new_edition=VARIANT,
        crosswalk=[("c", "d")], by="jurisdiction",
    )
    assert c.effects and c.new_edition == "mga-2017-variant"
    df = c.institutions
    assert list(df.columns[:10]) == [
        "id", "name", "status", "rank_old", "rank_new", "rank_delta",
        "quadrant_old", "quadrant_new", "old_id", "new_id",
    ]
    assert list(df["id"]) == ["a", "b", "d"] and list(df["old_id"]) == ["a", "b", "c"]
    a = df.iloc[0]
    # By hand: old iga 0.35; new t = 0.25*0.8 + 0.75*0.6 = 0.65, iga = 0.7*0.65 + 0.3*0.2;
    # backcast t = 0.55, iga = 0.445.
    assert a["iga_old"] == pytest.approx(0.35, abs=1e-12)
    assert a["iga_new"] == pytest.approx(0.515, abs=1e-12)
    assert a["iga_data_effect"] == pytest.approx(0.07, abs=1e-12)
    assert a["iga_method_effect"] == pytest.approx(0.095, abs=1e-12)
    assert a["iga_data_effect"] + a["iga_method_effect"] == a["iga_delta"]
    d = df.iloc[2]
    assert (d["rank_old"], d["rank_new"], d["rank_delta"]) == (2, 3, 1)
    assert (d["quadrant_old"], d["quadrant_new"]) == ("I", "III")
    assert d["iga_method_effect"] == pytest.approx(0.025, abs=1e-12)
    assert c.transitions.loc["III", "I"] == 1 and c.transitions.loc["I", "III"] == 1
    assert int(c.transitions.values.sum()) == 3
    assert list(c.groups["group"]) == ["Colima", "Jalisco", "national"]
    assert c.groups.iloc[1]["iga_old"] == pytest.approx((0.35 + 1) / 2, abs=1e-12)
    # The backcast frame: the variant scoring the old data.
    back = c.backcast.set_index("id")
    assert back.loc["a", "iga"] == pytest.approx(0.445, abs=1e-12)
    assert back.loc["c", "iga"] == pytest.approx(0.575, abs=1e-12)


def test_records_crosswalk_forms_and_file(tmp_path: Path):
    cw = tmp_path / "cw.csv"
    cw.write_text("old_id,new_id\nc,d\n")
    results = [
        apertura.compare(OLD, NEW, crosswalk=x, output="records")
        for x in (cw, str(cw), "old_id,new_id\nc,d\n", [{"old_id": "c", "new_id": "d"}],
                  pd.DataFrame({"old_id": ["c"], "new_id": ["d"]}))
    ]
    for r in results:
        assert r.institutions == results[0].institutions
    rows = results[0].institutions
    assert [r["status"] for r in rows] == ["both", "both", "both"]
    assert not results[0].effects and "same method" in results[0].notes[0]
    assert results[0].backcast is None


def test_merges_and_splits():
    old = [{"id": k, "tg": v, "tc": v, "pg": v, "pc": v} for k, v in [("a", 0.2), ("b", 0.4), ("c", 0.6)]]
    new = [{"id": k, "tg": v, "tc": v, "pg": v, "pc": v} for k, v in [("x", 0.5), ("y", 0.3), ("z", 0.9)]]
    c = apertura.compare(old, new, crosswalk=[("a", "x"), ("b", "x"), ("c", "y"), ("c", "z")], output="records")
    got = [(r["id"], r["old_id"], r["status"], round(r["iga_delta"], 12)) for r in c.institutions]
    assert got == [("x", "a", "merged", 0.3), ("x", "b", "merged", 0.1),
                   ("y", "c", "split", -0.3), ("z", "c", "split", 0.3)]
    assert c.counts == {"both": 0, "merged": 2, "split": 2, "old_only": 0, "new_only": 0}


def test_crosswalk_errors_are_typed_and_located():
    with pytest.raises(apertura.InputError) as e:
        apertura.compare(OLD, NEW, crosswalk="old_id,new_id\nc,d\nzz,d\n")
    p = e.value.errors[0]
    assert (p.code, p.row, p.column, p.value) == ("unknown_institution", 2, "old_id", "zz")
    assert "neither file" in p.message
    with pytest.raises(apertura.UsageError) as u:
        apertura.compare(OLD, NEW, crosswalk=[("c", "d"), ("d", "c")])
    assert u.value.code == "crosswalk_cycle"
    with pytest.raises(apertura.InputError) as e:
        apertura.compare(OLD, NEW, crosswalk="old_id,new_id\nc,d\nc,d\n")
    assert e.value.code == "duplicate_id" and e.value.row == 2
    with pytest.raises(apertura.UsageError) as u:
        apertura.compare(OLD, NEW, crosswalk=[("c", "d"), ("c", "a")])
    assert u.value.code == "crosswalk_many_to_many"
    with pytest.raises(apertura.UsageError):
        apertura.compare(OLD, NEW, edition="mga-2017", old_edition="mga-2017")
    # An edition that cannot score a side.
    with pytest.raises(apertura.InputError) as e:
        apertura.compare(OLD, NEW, old_edition="godi-2015", new_edition="mga-2017")


def test_significance_from_intervals():
    new = [dict(r, id="c" if r["id"] == "d" else r["id"]) for r in NEW]
    # By hand: old b 1, c 2, a 3; new b 1, c 2 (0.5), a 3 (0.45).
    iv = {
        "old": [("a", 1, 2), ("b", 1, 1), ("c", 1, 1.5)],
        "new": [{"id": "a", "low": 3, "high": 3}, {"id": "b", "low": 1, "high": 2}, {"id": "c", "low": 2.5, "high": 3}],
    }
    c = apertura.compare(OLD, new, intervals=iv, output="records")
    assert [(r["id"], r["significant"]) for r in c.institutions] == [("a", False), ("b", False), ("c", True)]


def test_published_2017_against_itself_under_the_variant(bso: Path):
    # The perspectives only, with the ids as apertura reads them (names hold invalid UTF-8).
    new = apertura.score(bso)[["id", "jurisdiction", "tg", "tc", "pg", "pc"]].rename(columns=str.upper)
    new = new.rename(columns={"ID": "id", "JURISDICTION": "jurisdiction"})
    c = apertura.compare(bso, new, old_edition="mga-2017", new_edition=VARIANT)
    df = c.institutions
    assert len(df) == 908 and c.effects
    assert (df["status"] == "both").all()
    assert (df["iga_data_effect"] == 0).all()
    assert (df["iga_method_effect"] == df["iga_delta"]).all()
    # The variant's formula by hand on the published perspectives.
    expected = 0.7 * (0.25 * new["TG"] + 0.75 * new["TC"]) + 0.3 * (0.5 * new["PG"] + 0.5 * new["PC"])
    assert sorted(df["iga_new"].round(10)) == sorted(expected.round(10))


# --------------------------------------------------------------------------- properties

value = st.sampled_from([0.0, 0.1, 0.25, 1 / 3, 0.5, 0.7, 1.0]) | st.floats(0, 1, allow_nan=False)
row = st.tuples(value, value, value, value)
rows = st.lists(row, min_size=1, max_size=8)


def frame(values, prefix="i"):
    return [{"id": f"{prefix}{k}", "tg": a, "tc": b, "pg": c, "pc": d} for k, (a, b, c, d) in enumerate(values)]


def deltas(c):
    return {(r["old_id"], r["new_id"]): [r[f"{n}_delta"] for n in c.nodes] for r in c.institutions}


@settings(max_examples=40, deadline=None)
@given(rows)
def test_self_compare_has_every_delta_zero(values):
    x = frame(values)
    c = apertura.compare(x, x, output="records")
    for r in c.institutions:
        assert r["rank_delta"] == 0
        assert all(r[f"{n}_delta"] == 0 for n in c.nodes)


@settings(max_examples=40, deadline=None)
@given(rows, rows)
def test_swapping_old_and_new_negates_every_delta(a, b):
    x, y = frame(a), frame(b)
    ab = apertura.compare(x, y, output="records")
    ba = apertura.compare(y, x, output="records")
    back = deltas(ba)
    for (o, n), ds in deltas(ab).items():
        assert back[(n, o)] == [None if d is None else -d for d in ds]
    rab = {(r["old_id"], r["new_id"]): r["rank_delta"] for r in ab.institutions}
    rba = {(r["new_id"], r["old_id"]): r["rank_delta"] for r in ba.institutions}
    assert {k: (None if v is None else -v) for k, v in rab.items()} == rba


@settings(max_examples=30, deadline=None)
@given(rows, rows, st.randoms(use_true_random=False))
def test_row_order_of_either_input_changes_nothing(a, b, rnd):
    x, y = frame(a), frame(b)
    c = apertura.compare(x, y, old_edition="mga-2017", new_edition=VARIANT, by="jurisdiction", output="records")
    xs, ys = list(x), list(y)
    rnd.shuffle(xs)
    rnd.shuffle(ys)
    s = apertura.compare(xs, ys, old_edition="mga-2017", new_edition=VARIANT, by="jurisdiction", output="records")
    assert s.institutions == c.institutions
    assert s.groups == c.groups
    assert s.raw["transitions"] == c.raw["transitions"]


@settings(max_examples=40, deadline=None)
@given(rows, rows)
def test_effects_add_up_to_the_delta_exactly(a, b):
    c = apertura.compare(frame(a), frame(b), old_edition="mga-2017", new_edition=VARIANT, output="records")
    assert c.effects
    for r in c.institutions:
        for n in c.nodes:
            d, m, delta = r.get(f"{n}_data_effect"), r.get(f"{n}_method_effect"), r[f"{n}_delta"]
            if delta is None:
                continue
            assert d + m == delta  # bit for bit
            assert math.isclose(delta, r[f"{n}_new"] - r[f"{n}_old"], abs_tol=1e-15)
