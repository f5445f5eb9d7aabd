"""The rest of the public API: editions, Edition, summary, gaps, explain, weights, plots,
docstring examples."""

from __future__ import annotations

import doctest
import math
from pathlib import Path
from typing import Any

import pytest

import apertura

from conftest import REPO_ROOT

PUBLIC = ["editions", "Edition", "score", "summary", "gaps", "explain", "AperturaError", "InputError",
          "EditionError", "UsageError", "Problem"]


def test_public_names_and_version() -> None:
    for name in PUBLIC:
        assert name in apertura.__all__ and hasattr(apertura, name)
    assert apertura.__version__ == apertura._apertura.core_version


def test_editions_with_provenance() -> None:
    eds = apertura.editions()
    ids = [e["id"] for e in eds]
    assert ids[:4] == ["mga-2017", "mga-2019", "mga-2021", "mga-2023"]
    assert {"godi-2013", "godi-2014", "godi-2015", "odb-2014"} <= set(ids)
    e2017 = eds[0]
    assert e2017["status"] == "verified" and e2017["items"] == 17 and e2017["nodes"] == 24
    assert set(e2017["provenance"]) == {"V", "D", "N", "I", "?"}
    assert all(e["status"] == "provisional" for e in eds[1:4])


def test_edition_load_tree_and_round_trips(tmp_path: Path) -> None:
    e = apertura.Edition.load("mga-2017")
    assert e.id == "mga-2017" and e.root == "iga" and repr(e).startswith("<apertura.Edition")
    tree = e.tree()
    assert [r["id"] for r in tree[:7]] == ["iga", "t", "p", "tg", "tc", "pg", "pc"]
    by_id = {r["id"]: r for r in tree}
    assert by_id["tg.ai"]["weight"] == 0.5 and by_id["tg.ai"]["parent"] == "tg" and by_id["tg.ai"]["tag"] == "V"
    assert math.isclose(by_id["tg.ai"]["effective_weight"], 0.125)
    assert by_id["iga"]["parent"] is None and by_id["iga"]["depth"] == 0
    assert len(e.item_ids()) == 17 and e.node_ids()[-1] == "iga"
    assert apertura.Edition.from_str(e.to_toml()).tree() == tree
    assert apertura.Edition.from_str(e.to_json()).tree() == tree
    p = tmp_path / "copy.toml"
    p.write_text(e.to_toml(), encoding="utf-8")
    assert apertura.Edition.from_file(p).summary() == e.summary()
    assert apertura.Edition.from_file(REPO_ROOT / "core" / "editions" / "mga-2019.toml").id == "mga-2019"
    # An Edition object is accepted wherever an edition id is.
    rows = [{"id": "a", "tg": 1, "tc": 1, "pg": 1, "pc": 1}]
    assert apertura.score(rows, e, output="records") == apertura.score(rows, "mga-2017", output="records")


def test_weights_as_sliders_and_slots() -> None:
    rows = [{"id": "a", "tg": 1, "tc": 0, "pg": 0, "pc": 0}]
    out = apertura.score(rows, weights={"tg": 0.8}, output="records")[0]
    assert math.isclose(out["t"], 0.8) and math.isclose(out["iga"], 0.4)
    slots = apertura._apertura.Plan(apertura.Edition.load("mga-2017")).weight_slots()
    w = [s["weight"] for s in slots]
    k = next(i for i, s in enumerate(slots) if (s["parent"], s["child"]) == ("t", "tg"))
    j = next(i for i, s in enumerate(slots) if (s["parent"], s["child"]) == ("t", "tc"))
    w[k], w[j] = 0.8, 0.2
    assert apertura.score(rows, weights=w, output="records")[0] == out


def test_summary_by_level_and_type(bso: Path) -> None:
    by_level = {r["group"]: r for r in apertura.summary(bso, by="level", output="records")}
    assert list(by_level) == ["Federal", "Estatal", "Municipal", "national"]
    assert [by_level[g]["n"] for g in ("Federal", "Estatal", "Municipal")] == [46, 702, 160]
    by_type = apertura.summary(bso, by="tipo", output="records")
    assert sum(r["n"] for r in by_type[:-1]) == 908
    assert list(by_type[0])[:9] == ["group", "n", "iga", "t", "p", "tg", "tc", "pg", "pc"]


def test_summary_of_a_score_table_equals_summary_of_the_data(bso: Path) -> None:
    pd = pytest.importorskip("pandas")
    scores = apertura.score(bso)
    a = apertura.summary(scores)
    b = apertura.summary(bso)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_gaps() -> None:
    rows = [{"id": "a", "tg.ai": 1, "tg.tr": 0, "tg.tp": 0, "tg.da": 0, "tc": 0.5, "pg": 0.5, "pc": 0.5},
            {"id": "b", "tg.ai": 0, "tg.tr": 1, "tg.tp": 0, "tg.da": 1, "tc": 0.5, "pg": 0.5, "pc": 0.5}]
    g = apertura.gaps(rows, output="records")
    assert [x["node"] for x in g] == ["tg.ai", "tg.tp", "tg.tr", "tg.da"]
    first = g[0]
    assert first["parent"] == "tg" and first["n"] == 2 and math.isclose(first["gap"], 0.5 * (1 - 0.5))
    pd = pytest.importorskip("pandas")
    frame = apertura.gaps(pd.DataFrame(rows))
    assert list(frame.columns) == ["node", "parent", "weight", "effective_weight", "mean", "gap", "n"]


def test_explain_is_a_tidy_frame() -> None:
    pd = pytest.importorskip("pandas")
    rows = pd.DataFrame([{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2}])
    x = apertura.explain(rows, institution="a")
    assert list(x.columns) == ["institution", "index", "item", "parent", "weight", "effective_weight", "value",
                               "contribution", "gain_if_one"]
    assert x["item"].tolist() == ["tg", "tc", "pg", "pc"]
    assert math.isclose(x["contribution"].sum(), 0.35)
    assert all(math.isclose(v, w * (1 - val)) for v, w, val in zip(x["gain_if_one"], x["effective_weight"], x["value"]))
    pl = pytest.importorskip("polars")
    assert apertura.explain(pl.from_pandas(rows[["tg", "tc", "pg", "pc"]]).with_columns(pl.lit("a").alias("id")),
                            institution="a").shape == (4, 9)


def test_explain_items_with_gates() -> None:
    rows = [{"id": "a", "tg": 0.5, "tc": 0.5, "pc": 0.5, "pg.mecanismos": 0, "pg.actores": 0,
             "pg.funcionamiento": 0, "pg.formato": 0, "pg.seguimiento": 0}]
    x = {r["item"]: r for r in apertura.explain(rows, institution="a", output="records")}
    assert x["pg.actores"]["gain_if_one"] == 0.0  # blocked by the closed gate
    assert x["pg.mecanismos"]["gain_if_one"] > 0


def test_plots(tmp_path: Path) -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import apertura.plot

    out = apertura.score([{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
                          {"id": "b", "tg": 0.9, "tc": 0.8, "pg": 0.7, "pc": 0.6}])
    ax = apertura.plot.scorecard(out, "a")
    ax.figure.savefig(tmp_path / "card.png")
    ax2 = apertura.plot.quadrants(out, label=True)
    ax2.figure.savefig(tmp_path / "quad.png")
    assert (tmp_path / "card.png").stat().st_size > 0


def _run_doctests(obj: Any, globs: Any) -> None:
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = finder.find(obj, globs=dict(globs))
    for t in tests:
        runner.run(t)
    assert runner.failures == 0, f"{runner.failures} docstring example(s) failed (see output)"


def test_docstring_examples_run() -> None:
    pytest.importorskip("pandas")
    import apertura._errors
    import apertura.plot

    globs = {"apertura": apertura}
    for mod in (apertura, apertura._errors, apertura.plot):
        _run_doctests(mod, globs)
    native = apertura._apertura
    examples = 0
    for obj in (native.Edition, native.editions, *(getattr(native.Edition, m) for m in dir(native.Edition)
                                                    if not m.startswith("_"))):
        for t in doctest.DocTestParser().get_examples(obj.__doc__ or ""):
            examples += 1
        _run_doctests(obj, globs)
    assert examples >= 8


def test_every_public_function_has_an_example() -> None:
    for name in ("score", "summary", "gaps", "explain", "editions"):
        assert ">>>" in (getattr(apertura, name).__doc__ or ""), name
    for name in ("load", "from_str", "from_file", "tree", "summary", "to_toml", "to_json", "node_ids", "item_ids"):
        assert ">>>" in (getattr(apertura.Edition, name).__doc__ or ""), name
