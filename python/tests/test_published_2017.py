"""The published 2017 results, reproduced through the Python API from the published
per-institution file as it is (../shared/mga-data/mga2017_sujetos_obligados_BSO.csv).

Expected values are transcribed by hand from the 2017 report (S1, "Anexo 2. Índice Gobierno
Abierto por Entidad Federativa", via docs/spec mga-methodology.md section 4.4) and the
national figures (IGA 0.39, T 0.50, P 0.28); they are never recomputed with apertura.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Dict, Tuple

import pytest

import apertura

# Jurisdiction: (n, IGA, PG, PC, TG, TC) as published (2 decimals).
ANEXO_2: Dict[str, Tuple[int, str, str, str, str, str]] = {
    "Aguascalientes": (27, ".43", ".21", ".48", ".48", ".54"),
    "Baja California": (27, ".41", ".29", ".32", ".50", ".53"),
    "Baja California Sur": (27, ".35", ".21", ".30", ".42", ".47"),
    "Campeche": (27, ".37", ".14", ".29", ".49", ".55"),
    "Chiapas": (27, ".35", ".12", ".33", ".45", ".49"),
    "Chihuahua": (27, ".38", ".22", ".29", ".43", ".57"),
    "Ciudad de México": (26, ".51", ".47", ".34", ".56", ".68"),
    "Coahuila": (27, ".41", ".33", ".38", ".43", ".50"),
    "Colima": (27, ".35", ".14", ".29", ".43", ".55"),
    "Durango": (27, ".38", ".23", ".34", ".41", ".54"),
    "Federal": (46, ".46", ".31", ".30", ".59", ".64"),
    "Guanajuato": (27, ".48", ".37", ".37", ".47", ".70"),
    "Guerrero": (27, ".37", ".10", ".33", ".50", ".56"),
    "Hidalgo": (27, ".36", ".29", ".25", ".35", ".56"),
    "Jalisco": (27, ".45", ".29", ".47", ".52", ".51"),
    "México": (27, ".44", ".22", ".38", ".51", ".66"),
    "Michoacán": (27, ".41", ".20", ".38", ".44", ".62"),
    "Morelos": (27, ".38", ".20", ".21", ".46", ".64"),
    "Nayarit": (27, ".33", ".16", ".22", ".44", ".49"),
    "Nuevo León": (27, ".38", ".22", ".31", ".48", ".49"),
    "Oaxaca": (27, ".33", ".18", ".30", ".44", ".41"),
    "Puebla": (27, ".34", ".27", ".28", ".35", ".47"),
    "Querétaro": (27, ".27", ".09", ".37", ".32", ".32"),
    "Quintana Roo": (27, ".40", ".14", ".38", ".51", ".56"),
    "San Luis Potosí": (27, ".36", ".23", ".26", ".44", ".50"),
    "Sinaloa": (27, ".42", ".31", ".26", ".52", ".61"),
    "Sonora": (27, ".42", ".20", ".47", ".43", ".57"),
    "Tabasco": (27, ".40", ".37", ".24", ".46", ".54"),
    "Tamaulipas": (27, ".34", ".23", ".22", ".48", ".43"),
    "Tlaxcala": (26, ".29", ".11", ".27", ".36", ".41"),
    "Veracruz": (27, ".41", ".33", ".34", ".46", ".50"),
    "Yucatán": (27, ".38", ".15", ".28", ".44", ".63"),
    "Zacatecas": (27, ".43", ".18", ".43", ".49", ".63"),
}
NATIONAL = {"n": 908, "iga": ".39", "t": ".50", "p": ".28"}


def r2(x: float) -> Decimal:
    """Round half up to 2 decimals, as the report does. The means are of 4-decimal values,
    so a float such as 0.19499999999999998 stands for 0.195 exactly: write 12 decimals
    first (far above the float error, far below the data's 4) and round that."""
    return Decimal(f"{float(x):.12f}").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def summary_rows(bso):  # type: ignore[no-untyped-def]
    pytest.importorskip("pandas")
    s = apertura.summary(bso, by="jurisdiction")
    return {row["group"]: row for row in s.to_dict("records")}


def test_every_jurisdiction_matches_anexo_2(summary_rows) -> None:  # type: ignore[no-untyped-def]
    assert set(summary_rows) == set(ANEXO_2) | {"national"}
    for state, (n, iga, pg, pc, tg, tc) in ANEXO_2.items():
        row = summary_rows[state]
        assert row["n"] == n, state
        got = tuple(r2(row[k]) for k in ("iga", "pg", "pc", "tg", "tc"))
        assert got == tuple(Decimal(v) for v in (iga, pg, pc, tg, tc)), state


def test_named_states(summary_rows) -> None:  # type: ignore[no-untyped-def]
    # The four the brief names, spelled out.
    ags = summary_rows["Aguascalientes"]
    assert [r2(ags[k]) for k in ("iga", "pg", "pc", "tg", "tc")] == [Decimal(x) for x in ("0.43", "0.21", "0.48", "0.48", "0.54")]
    cdmx = summary_rows["Ciudad de México"]
    assert [r2(cdmx[k]) for k in ("iga", "pg", "pc", "tg", "tc")] == [Decimal(x) for x in ("0.51", "0.47", "0.34", "0.56", "0.68")]
    fed = summary_rows["Federal"]
    assert [r2(fed[k]) for k in ("iga", "pg", "pc", "tg", "tc")] == [Decimal(x) for x in ("0.46", "0.31", "0.30", "0.59", "0.64")]
    qro = summary_rows["Querétaro"]
    assert [r2(qro[k]) for k in ("iga", "pg", "pc", "tg", "tc")] == [Decimal(x) for x in ("0.27", "0.09", "0.37", "0.32", "0.32")]


def test_national_figures(summary_rows) -> None:  # type: ignore[no-untyped-def]
    nat = summary_rows["national"]
    assert nat["n"] == NATIONAL["n"]
    for k in ("iga", "t", "p"):
        assert r2(nat[k]) == Decimal(NATIONAL[k]), k


def test_ranking_extremes(summary_rows) -> None:  # type: ignore[no-untyped-def]
    # Press (S18): CDMX first (0.51), Guanajuato second (0.48), Querétaro last (0.27).
    states = sorted((row["iga"], g) for g, row in summary_rows.items() if g not in ("national", "Federal"))
    assert states[-1][1] == "Ciudad de México"
    assert states[-2][1] == "Guanajuato"
    assert states[0][1] == "Querétaro"


def test_scores_of_the_published_file(bso) -> None:  # type: ignore[no-untyped-def]
    out = apertura.score(bso, output="records")
    assert len(out) == 908
    first = out[0]
    assert list(first)[:12] == ["id", "name", "jurisdiction", "level", "type", "iga", "t", "p", "tg", "tc", "pg", "pc"]
    assert list(first)[-2:] == ["rank", "quadrant"]
    # The first row of the file: ASF, Federal, Legislativo, GA 0.5054 (given values are kept).
    assert (first["id"], first["jurisdiction"], first["level"], first["type"]) == ("ASF", "Federal", "Federal", "Legislativo")
    assert first["iga"] == 0.5054
    # Data: 149 institutions have GA > 0.6 and 9 have GA > 0.8 (methodology note 4.4).
    assert sum(r["iga"] > 0.6 for r in out) == 149
    assert sum(r["iga"] > 0.8 for r in out) == 9
    assert sorted(r["rank"] for r in out)[0] == 1


def test_published_file_through_pandas_and_polars_is_identical(bso) -> None:  # type: ignore[no-untyped-def]
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    reference = apertura.score(bso, output="records")
    # The file is not valid UTF-8 everywhere: decode it as the core does (lossy).
    df = pd.read_csv(bso, encoding_errors="replace")
    from_pandas = apertura.score(df)
    assert isinstance(from_pandas, pd.DataFrame)
    rows = from_pandas.astype(object).where(from_pandas.notna(), None).to_dict("records")
    assert rows == reference
    from_polars = apertura.score(pl.read_csv(bso, encoding="utf8-lossy"))
    assert isinstance(from_polars, pl.DataFrame)
    assert from_polars.to_dicts() == reference
