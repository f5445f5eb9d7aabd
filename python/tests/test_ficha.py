"""apertura.ficha: the printable ficha's HTML from Python. Figures are checked against the
published 2017 file (read here with the csv module; ranks and roundings computed here) and
the 2017 report's Anexo 2 (Jalisco's IGA 0.45); the layout is tested in Rust and printed to
PDF by wasm/www/test/ficha.test.mjs."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import apertura


def _rows(bso: Path) -> list[dict[str, str]]:
    with open(bso, encoding="utf-8", errors="replace", newline="") as f:
        return list(csv.DictReader(f))


def _dp2(text: str) -> str:
    """A published 4-decimal value rounded half up to 2 decimals, in integers."""
    r = (round(float(text) * 10_000) + 50) // 100
    return f"{r // 100}.{r % 100:02d}"


def _card(html: str, code: str) -> str:
    m = re.search(rf'<div class="code">{code}</div><div class="big">([^<]*)</div>', html)
    assert m, code
    return m.group(1)


def test_an_institution_of_the_published_file(bso: Path) -> None:
    rows = _rows(bso)
    asf = next(r for r in rows if r["SO"] == "ASF")
    rank = 1 + sum(float(r["GA"]) > float(asf["GA"]) for r in rows)
    html = apertura.ficha(bso, institution="ASF")
    assert html.startswith('<!DOCTYPE html>\n<html lang="es">')
    assert "<h1>ASF</h1>" in html
    assert _card(html, "IGA") == _dp2(asf["GA"]) == "0.51"
    assert _card(html, "T") == _dp2(asf["T"]) and _card(html, "P") == _dp2(asf["P"])
    assert _card(html, "Lugar nacional") == str(rank)
    assert f'<div class="caption">de {len(rows)}</div>' in html
    for bad in ("http://", "https://", "src=", "<script", "<link"):
        assert bad not in html


def test_english_a_state_and_the_scoring_options(bso: Path) -> None:
    html = apertura.ficha(bso, institution="ASF", lang="en", quadrant_split=0.25)
    assert '<html lang="en">' in html and "National mean" in html and "Media nacional" not in html
    assert _card(html, "Quadrant") == "II"  # T 0.68 and P 0.33 are both above 0.25
    state = apertura.ficha(bso, state="jalisco")
    assert "<h1>Jalisco</h1>" in state and _card(state, "IGA") == "0.45"


def test_strings_from_the_data_are_escaped() -> None:
    rows = [
        {"id": "x", "name": '<script>alert("x")</script> & Co', "jurisdiction": "Jalisco",
         "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
        {"id": "y", "name": "Otro", "jurisdiction": "Jalisco", "tg": 0.9, "tc": 0.8, "pg": 0.7, "pc": 0.6},
    ]
    for html in (apertura.ficha(rows, institution="x"), apertura.ficha(rows, state="Jalisco")):
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
        assert "<script" not in html


@pytest.mark.parametrize(
    ("kwargs", "code", "word"),
    [
        ({"institution": "Nowhere-Nobody"}, "unknown_institution", "Nowhere-Nobody"),
        ({"state": "Atlantis"}, "unknown_state", "Atlantis"),
        ({"institution": "ASF", "lang": "fr"}, "invalid_option", "fr"),
        ({"institution": "ASF", "state": "Jalisco"}, "invalid_option", "institution"),
        ({}, "invalid_option", "state"),
    ],
)
def test_errors_name_the_value(bso: Path, kwargs: dict, code: str, word: str) -> None:
    with pytest.raises(apertura.UsageError) as e:
        apertura.ficha(bso, **kwargs)
    assert e.value.code == code and word in str(e.value)
