"""Every error class, raised with its attributes, on bad input; panics never abort."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

import apertura
from apertura import AperturaError, EditionError, InputError, UsageError

pd = pytest.importorskip("pandas")


def frame(**columns: Any) -> Any:
    base = {"id": ["a", "b"], "tg": [0.5, 0.5], "tc": [0.5, 0.5], "pg": [0.5, 0.5], "pc": [0.5, 0.5]}
    base.update(columns)
    return pd.DataFrame(base)


def test_hierarchy() -> None:
    for cls in (InputError, EditionError, UsageError):
        assert issubclass(cls, AperturaError) and issubclass(cls, ValueError)
    assert issubclass(AperturaError, Exception) and not issubclass(AperturaError, ValueError)


def test_out_of_range() -> None:
    with pytest.raises(InputError) as e:
        apertura.score(frame(tg=[0.5, 1.5]))
    err = e.value
    assert (err.code, err.institution, err.item, err.row, err.column, err.value) == ("out_of_range", "b", "tg", 2, "tg", "1.5")
    assert len(err.errors) == 1 and err.errors[0].message == "scores must lie in [0, 1]"
    assert "out_of_range" in str(err) and 'institution "b"' in str(err)


def test_out_of_range_in_a_file_names_the_row_and_column(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("SO,GA,T,P,TG,TC,PG,PC\nx,0.5,0.5,0.5,0.5,0.5,0.5,0.5\ny,0.5,0.5,0.5,0.5,0.5,-0.1,0.5\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        apertura.score(p)
    err = e.value
    assert (err.code, err.institution, err.item, err.row, err.column, err.value) == ("out_of_range", "y", "pg", 2, "PG", "-0.1")
    assert err.source == str(p)


def test_pandas_nan_is_missing_and_infinity_an_error() -> None:
    # pandas' NaN is a missing cell: an index that needs it cannot be computed...
    with pytest.raises(InputError) as e:
        apertura.score(frame(tc=[0.5, float("nan")]))
    err = e.value
    assert (err.code, err.institution, err.row) == ("missing_value", "b", 2)
    assert apertura.score(frame(tc=[0.5, float("nan")]), incomplete="partial")["tc"].isna().tolist() == [False, True]
    with pytest.raises(InputError) as e1:
        apertura.score(frame(tc=[0.5, float("inf")]))
    assert (e1.value.code, e1.value.institution, e1.value.item, e1.value.row, e1.value.column) == ("not_finite", "b", "tc", 2, "tc")
    with pytest.raises(InputError) as e2:
        apertura.score(frame(tc=[float("inf"), 0.5]))
    assert e2.value.code == "not_finite" and e2.value.institution == "a"


def test_nan_in_records_is_an_error_too() -> None:
    rows = [{"id": "a", "tg": float("nan"), "tc": 0.5, "pg": 0.5, "pc": 0.5}]
    with pytest.raises(InputError) as e:
        apertura.score(rows)
    assert e.value.institution == "a" and e.value.item == "tg" and e.value.row == 1


def test_text_in_a_numeric_column() -> None:
    with pytest.raises(InputError) as e:
        apertura.score(frame(pg=["0.5", "mucho"]))
    err = e.value
    assert (err.code, err.institution, err.item, err.row, err.column, err.value) == ("not_a_number", "b", "pg", 2, "pg", "mucho")


def test_missing_id() -> None:
    with pytest.raises(InputError) as e:
        apertura.score(frame(id=["a", None]))
    err = e.value
    assert err.code == "missing_id" and err.row == 2


def test_duplicate_id() -> None:
    with pytest.raises(InputError) as e:
        apertura.score(frame(id=["a", "a"]))
    err = e.value
    assert (err.code, err.institution, err.row, err.value) == ("duplicate_id", "a", 2, "a")


def test_every_problem_is_listed() -> None:
    with pytest.raises(InputError) as e:
        apertura.score(frame(tg=[2.0, 3.0], pc=[-1.0, 0.5]))
    assert len(e.value.errors) == 3
    assert {(p.institution, p.item) for p in e.value.errors} == {("a", "tg"), ("b", "tg"), ("a", "pc")}
    assert all(p.code == "out_of_range" for p in e.value.errors)
    assert "(and 2 more problems)" in str(e.value)


def test_gate_violation_and_mismatch() -> None:
    items = {"pg.mecanismos": [0.0, 1.0], "pg.actores": [1.0, 1.0], "pg.funcionamiento": [0.0, 1.0],
             "pg.formato": [0.0, 1.0], "pg.seguimiento": [0.0, 1.0]}
    data = frame(**items).drop(columns=["pg"])
    with pytest.raises(InputError) as e:
        apertura.score(data)
    assert (e.value.code, e.value.institution, e.value.item) == ("gate_violation", "a", "pg.actores")
    assert apertura.score(data, gates="apply", output="records")[0]["pg.actores"] == 0.0
    with pytest.raises(InputError) as e2:
        apertura.score(frame(t=[0.9, 0.5]))
    assert (e2.value.code, e2.value.institution, e2.value.item) == ("mismatch", "a", "t")


def test_unknown_edition() -> None:
    with pytest.raises(EditionError) as e:
        apertura.score(frame(), edition="mga-1999")
    assert e.value.code == "unknown_edition" and e.value.edition == "mga-1999"
    assert "mga-2017" in str(e.value)
    with pytest.raises(EditionError):
        apertura.Edition.load("mga-1999")


def test_malformed_edition_file(tmp_path: Path) -> None:
    p = tmp_path / "broken.toml"
    p.write_text('id = "broken"\nroot = "iga"\n[[nodes]\n', encoding="utf-8")
    with pytest.raises(EditionError) as e:
        apertura.Edition.from_file(p)
    assert e.value.code == "edition_parse" and isinstance(e.value.edition, str)
    # Well-formed TOML, inconsistent methodology: weights that do not sum to 1.
    text = apertura.Edition.load("mga-2017").to_toml()
    bad = text.replace('id = "tg.ai"\nweight = 0.5', 'id = "tg.ai"\nweight = 0.6', 1)
    assert bad != text
    q = tmp_path / "weights.toml"
    q.write_text(bad, encoding="utf-8")
    with pytest.raises(EditionError) as e2:
        apertura.Edition.from_file(q)
    assert e2.value.code == "weight_sum" and e2.value.edition == "mga-2017"
    with pytest.raises(EditionError):
        apertura.Edition.from_str("{ not json")
    with pytest.raises(FileNotFoundError):
        apertura.Edition.from_file(tmp_path / "absent.toml")


def test_usage_errors() -> None:
    with pytest.raises(UsageError) as e:
        apertura.score(frame(), colour="red")
    assert e.value.code == "invalid_option"
    with pytest.raises(UsageError) as e:
        apertura.score(frame(), gates="sometimes")
    assert e.value.code == "invalid_option"
    with pytest.raises(UsageError) as e:
        apertura.score(frame(), quadrant_split=1.5)
    assert e.value.code == "invalid_option"
    with pytest.raises(UsageError) as e:
        apertura.score(frame(), weights={"tg": 1.5})
    assert e.value.code == "invalid_weight"
    with pytest.raises(UsageError) as e:
        apertura.score(frame(), weights={"nope": 0.5})
    assert e.value.code == "unknown_node"
    with pytest.raises(UsageError) as e:
        apertura.explain(frame(), institution="zzz")
    assert e.value.code == "unknown_institution"
    with pytest.raises(TypeError):
        apertura.score(42)
    with pytest.raises(ValueError):
        apertura.score(frame(), output="excel")


def test_request_errors() -> None:
    data = frame()
    bad = [{"institution": "zzz", "answered": False, "filed": "2016-01-29"}]
    with pytest.raises(InputError) as e:
        apertura.score(data, requests=bad)
    assert (e.value.code, e.value.institution, e.value.row) == ("unknown_institution", "zzz", 1)
    with pytest.raises(UsageError) as e2:
        apertura.score(data, requests=[{"institution": "a", "answered": False, "filed": "not a date"}])
    assert e2.value.code == "malformed"


def test_errors_survive_pickling() -> None:
    with pytest.raises(InputError) as e:
        apertura.score(frame(tg=[0.5, 1.5]))
    copy = pickle.loads(pickle.dumps(e.value))
    assert (copy.code, copy.institution, copy.row, copy.errors) == (e.value.code, "b", 2, e.value.errors)
    with pytest.raises(EditionError) as e2:
        apertura.Edition.load("nope")
    copy2 = pickle.loads(pickle.dumps(e2.value))
    assert (copy2.code, copy2.edition) == ("unknown_edition", "nope")


def test_a_rust_panic_is_an_apertura_error_not_an_abort() -> None:
    with pytest.raises(AperturaError) as e:
        apertura._apertura._panic_for_test()  # type: ignore[attr-defined]
    assert e.value.code == "internal_error"
    assert "deliberate test panic" in str(e.value)
    # The interpreter is still fine afterwards.
    assert apertura.score([{"id": "a", "tg": 1, "tc": 1, "pg": 1, "pc": 1}], output="records")[0]["iga"] == 1.0
