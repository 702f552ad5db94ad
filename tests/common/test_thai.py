"""Rounding half up (ปัดเศษครึ่งขึ้น) everywhere a reader sees a number: tables, chart labels,
forms and decks agree with each other and with rounding by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mchch_lib.common import thai
from mchch_lib.documents import charts


@pytest.mark.parametrize(
    "value, decimals, expected",
    [(64.5, 0, 65.0), (59.5, 0, 60.0), (0.5, 0, 1.0), (2.5, 0, 3.0), (59.45, 1, 59.5),
     (1.25, 1, 1.3), (-2.5, 0, -3.0), (64.49, 0, 64.0), (None, 0, None), (float("nan"), 1, None)],
)  # fmt: skip
def test_round_half_up_by_hand(value, decimals, expected):
    assert thai.round_half_up(value, decimals) == expected


def test_format_number_rounds_half_up():
    assert thai.format_number(64.5) == "65"
    assert thai.format_number(1234.5) == "1,235"
    assert thai.format_number(59.45, 1) == "59.5"
    assert thai.format_number(64.5, 0, thai_digits=True) == "๖๕"


@given(st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False))
def test_chart_label_equals_table_cell(d):
    """A chart label and a table cell of the same figure read the same."""
    v = float(d)
    assert charts._n(v) == thai.format_number(v).replace(",", "")
    assert charts._n(v, 1) == thai.format_number(v, 1).replace(",", "")


# ---------------------------------------------------------------- clean_text
def _clean_text_by_the_patterns(value):
    """clean_text as it is specified: the two patterns on every value (no fast path)."""
    if thai._is_missing(value):
        return None
    s = thai._ZERO_WIDTH_RE.sub("", str(value))
    return thai._SPACE_RE.sub(" ", s).strip() or None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  นายสมชาย  ใจดี ", "นายสมชาย ใจดี"),
        ("ตำบล\u00a0นครสวรรค์ออก", "ตำบล นครสวรรค์ออก"),  # NBSP
        ("เก้า\u200bเลี้ยว", "เก้าเลี้ยว"),  # zero-width space
        ("กลุ่ม\tอาชีพ\n", "กลุ่ม อาชีพ"),
        ("\u3000", None),
        ("", None),
        ("หมู่ที่ 5", "หมู่ที่ 5"),
        (5, "5"),
        (float("nan"), None),
        (None, None),
    ],
)
def test_clean_text_by_hand(raw, clean):
    assert thai.clean_text(raw) == clean


_CELL_CHARS = st.sampled_from(
    list("กขำเ้่ัิ ี 0a") + ["\u00a0", "\u200b", "\u00ad", "\ufeff", "\t", "\n", "\u3000",
                             "\u2009", "\u202f", "\u2028", "\x1f", "\x85"]
)  # fmt: skip


@given(st.one_of(st.text(_CELL_CHARS, max_size=12), st.text(max_size=12)))
def test_clean_text_fast_path_is_the_patterns(value):
    assert thai.clean_text(value) == _clean_text_by_the_patterns(value)
