"""Property tests (hypothesis) for what the Python layer adds over the core's proptests:
the conversions. Every input path (pandas columns, polars, list of dicts, CSV text) gives
the same bits, and a pandas frame's row order only permutes the output."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import apertura

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

PERSPECTIVES = ["tg", "tc", "pg", "pc"]
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False, allow_infinity=False)
thirds = st.sampled_from([0.0, 1 / 3, 2 / 3, 1.0])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def perspective_rows(draw: Any) -> List[Dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=25))
    ids = draw(st.lists(st.text(alphabet="abcxyzÁé-_ 0123456789", min_size=1, max_size=8).map(str.strip)
                        .filter(bool), min_size=n, max_size=n, unique=True))
    return [{"id": i, **{p: draw(unit) for p in PERSPECTIVES}} for i in ids]


@st.composite
def item_rows(draw: Any) -> List[Dict[str, Any]]:
    """Item-level 2017 institutions with arbitrary item values (gates applied by the core)."""
    items = apertura.Edition.load("mga-2017").item_ids()
    n = draw(st.integers(min_value=1, max_value=20))
    return [{"id": f"i{k}", **{it: draw(thirds) for it in items}} for k in range(n)]


def csv_of(rows: List[Dict[str, Any]]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(repr(r[h]) if isinstance(r[h], float) else f'"{r[h]}"' for h in header)
                                  for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def plain(df: Any) -> List[Dict[str, Any]]:
    out = df.astype(object).where(df.notna(), None).to_dict("records")
    return [{k: (str(v) if k == "quadrant" and v is not None else v) for k, v in r.items()} for r in out]


@SETTINGS
@given(perspective_rows())
def test_every_input_path_gives_the_same_bits(rows: List[Dict[str, Any]]) -> None:
    reference = apertura.score(rows, output="records")
    assert apertura.score(csv_of(rows), output="records") == reference
    assert plain(apertura.score(pd.DataFrame(rows))) == reference
    assert apertura.score(pl.DataFrame(rows)).to_dicts() == reference
    # Numbers given as text cells (an object column) parse to the same floats.
    as_text = pd.DataFrame([{k: (repr(v) if isinstance(v, float) else v) for k, v in r.items()} for r in rows])
    assert plain(apertura.score(as_text)) == reference


@SETTINGS
@given(item_rows(), st.randoms(use_true_random=False))
def test_row_order_only_permutes_the_output(rows: List[Dict[str, Any]], rnd: Any) -> None:
    df = pd.DataFrame(rows)
    out = apertura.score(df, gates="apply").set_index("id")
    perm = list(range(len(df)))
    rnd.shuffle(perm)
    shuffled = df.iloc[perm]
    out2 = apertura.score(shuffled, gates="apply")
    assert out2.index.equals(shuffled.index)  # the caller's index, in the caller's order
    pd.testing.assert_frame_equal(out2.set_index("id").loc[out.index], out, check_exact=True)


@SETTINGS
@given(perspective_rows(), st.floats(min_value=0.0, max_value=1.0))
def test_weights_slider_matches_records_path(rows: List[Dict[str, Any]], w: float) -> None:
    a = plain(apertura.score(pd.DataFrame(rows), weights={"tg": w}))
    b = apertura.score(rows, weights={"tg": w}, output="records")
    assert a == b
