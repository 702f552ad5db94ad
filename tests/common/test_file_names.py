"""File names cut to a length only between Thai words or character clusters (keys.cut_name):
a certificate is never named "…บ้านโคกสว่.pdf"."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from mchch_lib.common.keys import cut_name, safe_name
from mchch_lib.deliverables import certificates

THAI = [chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.category(chr(c)) != "Cn"]
MARKS = [c for c in THAI if unicodedata.category(c) == "Mn"] + ["\u0e33"]
ALPHABET = st.sampled_from(THAI + MARKS * 2 + [" ", "_", ".", "a", "7"])


def _keeps_clusters(text: str, cut: int) -> bool:
    """A cut before ``text[cut]`` is a grapheme cluster boundary (UAX #29 for Thai: never
    before a combining mark, Extend, nor before sara am, a SpacingMark)."""
    return cut >= len(text) or (
        unicodedata.category(text[cut]) not in ("Mn", "Mc", "Me") and text[cut] != "\u0e33"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, min_size=0, max_size=80), st.integers(min_value=1, max_value=50))
def test_a_cut_name_is_a_prefix_cut_between_clusters(text, limit):
    cut = cut_name(text, limit)
    assert text.startswith(cut)
    if len(text) <= limit:
        assert cut == text
        return
    assert len(cut) <= limit
    assert not cut or _keeps_clusters(text, len(cut)), (text, cut)  # its last cluster whole


def test_the_sample_certificates_are_cut_between_words():
    assert cut_name("กลุ่มวิสาหกิจชุมชนข้าวอินทรีย์บ้านโคกสว่าง", 40) == ("กลุ่มวิสาหกิจชุมชนข้าวอินทรีย์บ้านโคก")
    assert cut_name(safe_name("กลุ่มออมทรัพย์เพื่อการผลิตบ้านคลองยาง หมู่ที่ 11"), 40) == (
        "กลุ่มออมทรัพย์เพื่อการผลิตบ้านคลองยาง"
    )
    assert cut_name("น้ำ" * 20, 40) == "น้ำ" * 13  # one long "word": whole clusters, ำ kept
    name = "กลุ่มวิสาหกิจชุมชนข้าวอินทรีย์บ้านโคกสว่าง"
    cert = certificates.Certificate("A-1", 6001, "มชช.นว 005/2561", name, 28.0, "", "", "", None)
    assert certificates.file_name(cert) == "มชช.นว_005_2561_กลุ่มวิสาหกิจชุมชนข้าวอินทรีย์บ้านโคก.pdf"
