"""``apertura.catalogue``: the CKAN catalogue scorer through Python, on the hand-written
fixture ``tests/fixtures/ckan/package_search.json`` (values worked out by hand in
``tests/tests/catalogue.rs``)."""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import pytest

import apertura

from conftest import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "ckan" / "package_search.json"

# (datasets, machine_readable, open_licence, up_to_date, bulk, open, tg.da) by hand.
EXPECTED = {
    "ayto-ejemplo": (4, 2, 3, 2, 1, 1, 0.25),
    "inegi": (3, 3, 3, 2, 2, 3, 1.0),
    "sfp": (3, 2, 2, 2, 3, 1, 1 / 3),
}
COUNTS = ("datasets", "machine_readable", "open_licence", "up_to_date", "bulk", "open", "tg.da")


def test_organizations_as_a_dataframe() -> None:
    pd = pytest.importorskip("pandas")
    df = apertura.catalogue(FIXTURE)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == [
        "id", "name", "datasets", "online", "free", "machine_readable", "open_licence",
        "up_to_date", "bulk", "open", "tg.da",
    ]
    assert df["id"].tolist() == ["ayto-ejemplo", "inegi", "sfp"]
    for _, row in df.iterrows():
        assert tuple(row[c] for c in COUNTS) == EXPECTED[row["id"]]
    assert df.attrs["reference_date"] == "2016-06-30"
    assert df.loc[df["id"] == "sfp", "name"].item() == "Secretaría de la Función Pública"


def test_every_source_kind_reads_the_same() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    sources = [FIXTURE, str(FIXTURE), text, text.encode("utf-8"), io.StringIO(text), json.loads(text)]
    results = [apertura.catalogue(s, output="records") for s in sources]
    for r in results[1:]:
        assert r == results[0]
    # A bare list of packages and {"results": [...]} too.
    packages = json.loads(text)["result"]["results"]
    assert apertura.catalogue(packages, output="records") == results[0]
    assert apertura.catalogue({"results": packages}, output="records") == results[0]


def test_datasets_reference_date_and_max_age() -> None:
    rows = apertura.catalogue(FIXTURE, by="dataset", reference_date=dt.date(2016, 12, 31), output="records")
    assert len(rows) == 11
    by_id = {r["id"]: r for r in rows}
    # 2016-05-10 to 2016-12-31: 21 + 30 + 184 = 235 days.
    r = by_id["sfp-contratos"]
    assert (r["age_days"], r["up_to_date"], r["open"], r["score"]) == (235, True, True, 1.0)
    assert by_id["sin-organizacion"]["organization"] is None
    assert by_id["ayto-sin-url"]["metadata_modified"] is None
    assert by_id["inegi-censo"]["formats"] == ["XLSX", "PDF"]
    orgs = apertura.catalogue(FIXTURE, reference_date="2016-12-31", max_age_days=200, output="records")
    assert [o["up_to_date"] for o in orgs] == [1, 0, 1]  # ayto-ejemplo, inegi, sfp


def test_points_rule_through_a_rules_file() -> None:
    shipped = (REPO_ROOT / "core" / "catalogue" / "ckan.toml").read_text(encoding="utf-8")
    rules = shipped.replace('value = "open_share"', 'value = "points"')
    orgs = {o["id"]: o for o in apertura.catalogue(FIXTURE, rules=rules, output="records")}
    # (55 + 50 + 45 + 75) / (4 x 85) for the Ayuntamiento (see tests/tests/catalogue.rs).
    assert math.isclose(orgs["ayto-ejemplo"]["tg.da"], 45 / 68, rel_tol=0, abs_tol=1e-15)


def test_errors_are_located() -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("2016-06-30T23:59:59", "30/06/2016")
    with pytest.raises(apertura.InputError) as e:
        apertura.catalogue(text)
    err = e.value
    assert err.code == "invalid_date"
    assert (err.source, err.row, err.column, err.value, err.institution) == (
        "input", 3, "metadata_modified", "30/06/2016", "sfp",
    )
    assert "sfp-informe-anual" in err.errors[0].message
    with pytest.raises(apertura.InputError) as e:
        apertura.catalogue('{"rows": []}')
    assert e.value.code == "malformed"
    with pytest.raises(apertura.EditionError):
        apertura.catalogue(FIXTURE, rules="x = 1")
    with pytest.raises(apertura.UsageError) as u:
        apertura.catalogue(FIXTURE, reference_date="31/12/2016")
    assert u.value.code == "invalid_option"
    for bad in ({"by": "institution"}, {"max_age_days": -1}, {"max_age_days": 1.5}):
        with pytest.raises(apertura.UsageError):
            apertura.catalogue(FIXTURE, **bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        apertura.catalogue(42)
