"""Editions beyond the MGA through the Python API, unchanged: GODI 2015 (the entries file as
it is, one row per place and dataset, answers in words, filtered to one year with
``where=``) and the ODB 2014 (the datasets file as it is, z-scores, ``incomplete``).

The files are read from ../shared (godi-data/, odb-data/; never copied into the
repository), or $APERTURA_SHARED."""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path
from typing import Any, Dict, List

import pytest

import apertura

from conftest import REPO_ROOT


def shared_dir() -> Path:
    shared = os.environ.get("APERTURA_SHARED")
    return Path(shared) if shared else REPO_ROOT.parent / "shared"


GODI = shared_dir() / "godi-data" / "godi2015_entries_scoring.csv"
GODI_PLACES = shared_dir() / "godi-data" / "godi2015_places.csv"
ODB = shared_dir() / "odb-data" / "ODB-2014-Datasets-Scored.csv"
ODB_RANKINGS = shared_dir() / "odb-data" / "ODB-2014-Rankings.csv"
QUESTIONS = ["exists", "digital", "public", "online", "free", "machinereadable", "bulk", "openlicense", "uptodate"]
DATASETS = ["budget", "companies", "elections", "emissions", "land", "legislation", "map", "postcodes",
            "procurement", "spending", "statistics", "water", "weather"]


@pytest.fixture(scope="module")
def godi() -> Path:
    if not GODI.exists():
        pytest.fail(f"the GODI entries file must sit in {GODI.parent} (or set APERTURA_SHARED)")
    return GODI


@pytest.fixture(scope="module")
def odb() -> Path:
    if not ODB.exists():
        pytest.fail(f"the ODB datasets file must sit in {ODB.parent} (or set APERTURA_SHARED)")
    return ODB


def by_id(records: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    return {r["id"]: r for r in records}


def godi_rows(path: Path, year: str = "2015") -> List[Dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["year"] == year]


def place_rows(place: str, answers: Dict[str, str], datasets: List[str] = DATASETS) -> List[Dict[str, Any]]:
    """Grouped rows for one place: every dataset with the same answers (a dict question -> answer)."""
    return [{"place": place, "dataset": d, **answers} for d in datasets]


ALL_YES = {q: "Yes" for q in QUESTIONS}


# ----------------------------------------------------------------------------- editions


def test_new_editions_load_and_are_listed() -> None:
    ids = [e["id"] for e in apertura.editions()]
    for eid in ("godi-2013", "godi-2014", "godi-2015", "odb-2014"):
        assert eid in ids
        assert apertura.Edition.load(eid).id == eid
    e = apertura.Edition.load("godi-2015")
    assert e.root == "godi"
    assert e.summary()["items"] == 117  # 9 questions under each of 13 datasets (a template)
    assert "godi.budget.exists" in e.item_ids()
    assert apertura.Edition.load("odb-2014").root == "odb"


def test_incomplete_is_a_setting_of_the_plan() -> None:
    e = apertura.Edition.load("odb-2014")
    assert apertura._apertura.Plan(e).settings()["incomplete"] == "partial"
    assert apertura._apertura.Plan(e, {"incomplete": "error"}).settings()["incomplete"] == "error"
    assert apertura._apertura.Plan(apertura.Edition.load("godi-2015")).settings()["incomplete"] == "error"
    with pytest.raises(apertura.UsageError) as info:
        apertura.score(place_rows("x", ALL_YES), "godi-2015", incomplete="sometimes")
    assert info.value.code == "invalid_option"


# ----------------------------------------------------------------------------- GODI 2015


def test_godi_entries_file_with_a_year_filter(godi: Path) -> None:
    out = by_id(apertura.score(godi, "godi-2015", where="year=2015", output="records"))
    assert len(out) == 122
    mx = out["mx"]
    assert mx["godi"] == pytest.approx(58.46153846153846, abs=1e-12)  # 760 points / 13
    assert mx["rank"] == 13  # competition rank on the score rounded half up (58)
    assert mx["godi.budget"] == 100.0 and mx["godi.companies"] == 5.0
    assert mx["godi.budget.exists"] == 1.0
    # every published 2015 rank and rounded score
    with open(GODI_PLACES, newline="", encoding="utf-8") as f:
        published = {r["id"]: r for r in csv.DictReader(f) if r["rank"]}
    checked = 0
    for place, row in out.items():
        if place in published:
            assert row["rank"] == int(published[place]["rank"]), place
            assert math.floor(row["godi"] + 0.5) == int(published[place]["score"]), place
            checked += 1
    assert checked >= 120


@pytest.mark.parametrize("where", ["year=2015", ["year=2015"], {"year": 2015}, ("year=2015", "place!=zz")])
def test_where_forms_agree(godi: Path, where: Any) -> None:
    out = by_id(apertura.score(godi, "godi-2015", where=where, output="records"))
    assert out["mx"]["rank"] == 13 and len(out) == 122


def test_where_on_bytes_file_objects_and_other_functions(godi: Path) -> None:
    data = godi.read_bytes()
    a = apertura.score(data, "godi-2015", where="year=2015", output="records")
    b = apertura.score(io.BytesIO(data), "godi-2015", where="year=2015", output="records")
    assert a == b
    s = apertura.summary(godi, by="jurisdiction", edition="godi-2015", where="year=2015", output="records")
    assert s[-1]["group"] == "national" and s[-1]["n"] == 122
    x = apertura.explain(godi, "mx", edition="godi-2015", where="year=2015", output="records")
    assert {r["institution"] for r in x} == {"mx"}


def test_where_excluding_a_place(godi: Path) -> None:
    out = by_id(apertura.score(godi, "godi-2015", where=["year=2015", "place!=tw"], output="records"))
    assert "tw" not in out and len(out) == 121
    assert out["gb"]["rank"] == 1  # Taiwan was first


def test_godi_file_without_filter_mixes_three_years(godi: Path) -> None:
    # 2013 and 2014 rows hold datasets that 2015 does not define: a located error
    with pytest.raises(apertura.InputError) as info:
        apertura.score(godi, "godi-2015")
    assert info.value.code == "unknown_node"
    assert info.value.column == "dataset"


def test_where_errors(godi: Path) -> None:
    with pytest.raises(apertura.InputError) as info:
        apertura.score(godi, "godi-2015", where="yaer=2015")
    assert info.value.code == "malformed" and info.value.column == "yaer"
    with pytest.raises(apertura.UsageError) as usage:
        apertura.score(godi, "godi-2015", where="year")
    assert usage.value.code == "invalid_option"
    with pytest.raises(TypeError):
        apertura.score(godi, "godi-2015", where=2015)
    with pytest.raises(apertura.UsageError) as frame:
        apertura.score(place_rows("x", ALL_YES), "godi-2015", where="year=2015")
    assert frame.value.code == "invalid_option"
    with pytest.raises(apertura.UsageError):
        apertura.score(b'[{"place": "x"}]', "godi-2015", where="year=2015")


def test_godi_pandas_frame_with_text_answers(godi: Path) -> None:
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(godi, dtype=str, keep_default_na=False)
    df = df[df["year"] == "2015"]
    out = apertura.score(df, "godi-2015")
    assert isinstance(out, pd.DataFrame) and len(out) == 122
    mx = out.set_index("id").loc["mx"]
    assert mx["godi"] == pytest.approx(58.46153846153846, abs=1e-12)
    assert mx["rank"] == 13
    # the same numbers as the file read by the core, and through records
    ref = apertura.score(godi, "godi-2015", where="year=2015")
    assert out["godi"].tolist() == ref["godi"].tolist()
    assert out["rank"].tolist() == ref["rank"].tolist()
    recs = apertura.score(df.to_dict("records"), "godi-2015", output="records")
    assert [r["godi"] for r in recs] == ref["godi"].tolist()


def test_godi_polars_frame_with_text_answers(godi: Path) -> None:
    pl = pytest.importorskip("polars")
    df = pl.read_csv(godi, infer_schema_length=0).filter(pl.col("year") == "2015")
    out = apertura.score(df, "godi-2015")
    assert isinstance(out, pl.DataFrame)
    mx = out.filter(pl.col("id") == "mx").row(0, named=True)
    assert mx["rank"] == 13


def test_godi_wide_records_with_answers_in_words() -> None:
    # wide form: one row per place, one column per item (any case of the answers)
    a = {"id": "a", **{f"godi.{d}.{q}": "yes" for d in DATASETS for q in QUESTIONS}}
    b = {"id": "b", **{f"godi.{d}.{q}": ("Yes" if d == "budget" else "No") for d in DATASETS for q in QUESTIONS}}
    b["godi.budget.uptodate"] = "Unsure"  # Unsure scores 0: 100 - 10 points
    out = by_id(apertura.score([a, b], "godi-2015", output="records"))
    assert out["a"]["godi"] == 100.0 and out["a"]["rank"] == 1
    assert out["b"]["godi.budget"] == 90.0
    assert out["b"]["godi"] == pytest.approx(90 / 13, abs=1e-12)
    assert out["b"]["rank"] == 2


def test_godi_numeric_frame_takes_the_row_path() -> None:
    # 0/1 answers in a complete numeric frame: the column-major kernel declines an edition
    # with gates on answers (code unsupported) and the row path scores it, same numbers
    pd = pytest.importorskip("pandas")
    cols = {f"godi.{d}.{q}": [1.0, 0.0] for d in DATASETS for q in QUESTIONS}
    df = pd.DataFrame({"id": ["a", "b"], **cols})
    out = apertura.score(df, "godi-2015")
    assert out["godi"].tolist() == [100.0, 0.0]
    assert out["rank"].tolist() == [1, 2]


def test_unknown_answer_is_an_input_error_with_its_location() -> None:
    rows = place_rows("mx", ALL_YES) + place_rows("gb", ALL_YES)
    rows[14]["online"] = "Maybe"  # gb, companies: record 15 (1-based)
    with pytest.raises(apertura.InputError) as info:
        apertura.score(rows, "godi-2015")
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, apertura.AperturaError)
    assert e.code == "unknown_answer"
    assert (e.institution, e.item, e.column, e.value, e.row) == ("gb", "godi.companies.online", "online", "Maybe", 15)
    assert "Yes" in e.errors[0].message and "unknown_answer" in str(e)


def test_unknown_answer_in_a_file_names_the_row(godi: Path) -> None:
    lines = godi.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    k = header.index("free")
    row = next(i for i, l in enumerate(lines) if l.startswith("mx,budget,2015,"))
    cells = next(csv.reader([lines[row]]))
    cells[k] = "Perhaps"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    lines[row] = buf.getvalue()
    with pytest.raises(apertura.InputError) as info:
        apertura.score("\n".join(lines).encode("utf-8"), "godi-2015", where="year=2015")
    e = info.value
    assert (e.code, e.institution, e.item, e.column, e.value, e.row) == (
        "unknown_answer", "mx", "godi.budget.free", "free", "Perhaps", row)


def test_gate_closing_on_an_answer() -> None:
    rows = place_rows("a", ALL_YES)
    rows[0] = {**rows[0], "exists": "No"}  # budget: does not exist, yet answered Yes after
    with pytest.raises(apertura.InputError) as info:
        apertura.score(rows, "godi-2015")
    assert info.value.code == "gate_violation"
    assert info.value.institution == "a" and info.value.item.startswith("godi.budget.")
    out = apertura.score(rows, "godi-2015", gates="apply", output="records")
    assert out[0]["godi.budget"] == 0.0
    assert out[0]["godi"] == pytest.approx(1200 / 13, abs=1e-12)


def test_incomplete_partial_leaves_the_index_empty() -> None:
    rows = place_rows("a", ALL_YES) + place_rows("b", ALL_YES, DATASETS[:-1])  # b lacks weather
    with pytest.raises(apertura.InputError) as info:
        apertura.score(rows, "godi-2015")
    assert info.value.institution == "b"
    out = by_id(apertura.score(rows, "godi-2015", incomplete="partial", output="records"))
    assert out["a"]["godi"] == 100.0 and out["a"]["rank"] == 1
    assert out["b"]["godi"] is None and out["b"]["rank"] == 0
    assert out["b"]["godi.budget"] == 100.0 and out["b"]["godi.weather"] is None
    pd = pytest.importorskip("pandas")
    df = apertura.score(pd.DataFrame(rows), "godi-2015", incomplete="partial")
    assert math.isnan(df.set_index("id").loc["b", "godi"]) and df["rank"].tolist() == [1, 0]


# ----------------------------------------------------------------------------- ODB 2014


def test_odb_datasets_file_gives_implementation(odb: Path) -> None:
    out = by_id(apertura.score(odb, "odb-2014", output="records"))
    assert len(out) == 86
    mx = out["MX"]
    assert mx["name"] == "Mexico"
    assert (mx["odb.implementation.innovation"], mx["odb.implementation.social_policy"],
            mx["odb.implementation.accountability"]) == (49.0, 56.0, 52.0)
    # (52.333... - 33.256) / 19.954, the published Implementation z-score
    assert mx["odb.implementation"] == pytest.approx(0.956070108838404, abs=1e-12)
    assert mx["odb.d11.g"] == -5.0  # outdated data: -5 points behind an open gate
    assert "odb" not in mx and mx["rank"] == 0  # no Readiness or Impact: the index is empty
    assert "NA" in out  # Namibia, not a not-applicable marker
    # every country's Implementation as published
    with open(ODB_RANKINGS, newline="", encoding="utf-8") as f:
        # (the rankings file lost Namibia's ISO2 "NA": its cell is empty)
        published = {r["ISO2"] or "NA": float(r["Implementation"]) for r in csv.DictReader(f)}
    assert sorted(published) == sorted(out)
    for k, row in out.items():
        assert row["odb.implementation"] == pytest.approx(published[k], abs=1e-9), k


def test_odb_incomplete_error_asks_for_readiness_and_impact(odb: Path) -> None:
    with pytest.raises(apertura.InputError) as info:
        apertura.score(odb, "odb-2014", incomplete="error")
    assert info.value.code == "missing_value"


def test_odb_index_from_components_min_max(odb: Path) -> None:
    # Readiness and Impact as published (z levels) with the checklist from the datasets file:
    # the index is min-max rescaled to 0-100 over the countries scored
    pd = pytest.importorskip("pandas")
    ranks = pd.read_csv(ODB_RANKINGS, keep_default_na=False)
    comps = ["Readiness_Government", "Readiness_Entrepreneurs", "Readiness_Citizens",
             "Impact_Political", "Impact_Economic", "Impact_Social"]
    given = ranks[["ISO2", *comps, "Datasets_Innovation", "Datasets_Social_Policy", "Datasets_Accountability"]]
    given = given.rename(columns={"ISO2": "id"}).assign(id=lambda d: d["id"].replace("", "NA"))
    out = apertura.score(given, "odb-2014").set_index("id")
    published = ranks.assign(ISO2=ranks["ISO2"].replace("", "NA")).set_index("ISO2")
    assert out["odb"].min() == 0.0 and out["odb"].max() == 100.0
    for k in ("MX", "GB", "US"):
        assert round(out.loc[k, "odb"], 2) == pytest.approx(published.loc[k, "ODB-Scaled"], abs=0.006), k
        assert out.loc[k, "rank"] == published.loc[k, "ODB-Rank"], k
    with pytest.raises(apertura.UsageError) as info:
        apertura.score(given.head(1), "odb-2014")  # one country: min-max is undefined
    assert info.value.code == "degenerate_normalization"
