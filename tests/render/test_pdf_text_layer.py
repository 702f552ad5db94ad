"""The Thai text layer of the PDFs: every word, sara am (ำ) included, reads back as typed."""

import io

import pytest
from pypdf import PdfReader

from mchch_lib import config
from mchch_lib.render import exporters as render
from mchch_lib.render import pdf_text_layer as pdftext

# sara am alone, after a tone mark (the shaper fuses nikhahit and tone mark), at a line start,
# in bold; and words the per-glyph map already got right, which must stay right
SARA_AM = ["อำเภอ", "ดำเนินงาน", "นำ", "ทำ", "คำ", "น้ำ", "ต่ำกว่า", "สม่ำเสมอ", "กำหนด", "ค่ำ"]
OTHERS = ["เก้าเลี้ยว", "ที่", "ผู้นำชุมชน", "ปี", "ฝ้าย", "กตัญญู", "Takhli 6007", "ร้อยละ 72.5"]


def _html(words: list[str]) -> str:
    faces = "".join(
        f"@font-face {{ font-family: Sarabun; font-weight: {w};"
        f" src: url({(config.FONTS_DIR / f'Sarabun-{n}.ttf').as_uri()}); }}"
        for w, n in ((400, "Regular"), (700, "Bold"))
    )
    body = " ".join(words)
    return (
        f'<html><head><meta charset="utf-8"><style>{faces} body {{ font-family: Sarabun;'
        f" font-size: 16pt; }}</style></head><body><p>{body}</p><p><b>{body}</b></p>"
        f"<p>สํ อำ</p></body></html>"
    )


def _raw_pdf(html: str, finisher=None) -> bytes:
    from weasyprint import HTML

    doc = HTML(string=html, base_url=str(config.PROJECT_ROOT))
    return doc.write_pdf(full_fonts=True, finisher=finisher)


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


ROUTES = {
    "render (bytes)": lambda html: render.html_to_pdf_bytes(html),
    "fix_thai_text_layer": lambda html: pdftext.fix_thai_text_layer(_raw_pdf(html)),
    "weasyprint_finisher": lambda html: _raw_pdf(html, pdftext.weasyprint_finisher),
}


@pytest.fixture(scope="module", params=list(ROUTES))
def pdf(request) -> bytes:
    return ROUTES[request.param](_html(SARA_AM + OTHERS))


def test_every_word_reads_back_sara_am_as_one_character(pdf):
    text = _text(pdf)
    for word in SARA_AM + OTHERS:
        assert text.count(word) >= 2, word  # regular and bold
    assert "\u0e4d\u0e32" not in text  # no ำ left split into nikhahit + sara aa
    assert "สํ" in text  # a nikhahit with no sara aa after it is left alone
    assert not any(c in text for c in "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064")


def test_the_pages_look_the_same_and_the_font_is_untouched(pdf):
    """The extra codes draw the original glyphs at the original widths: a CIDToGIDMap entry
    and a /W entry equal to the glyph's own, per code; the embedded font is the bundled file."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {
        f.get_object()["/BaseFont"]: f.get_object()
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
    }
    assert len(fonts) == 2
    for font in fonts.values():
        desc = font["/DescendantFonts"][0].get_object()
        data = desc["/FontDescriptor"]["/FontFile2"].get_data()
        assert data in {
            (config.FONTS_DIR / f"Sarabun-{w}.ttf").read_bytes() for w in ("Regular", "Bold")
        }
        plan = pdftext._font_plan("test", data)
        assert plan.extra, "no extra codes for sara am"
        gid_map = desc["/CIDToGIDMap"].get_object().get_data()
        widths = pdftext._widths_of(desc["/W"])
        for code, gid in plan.extra.items():
            assert int.from_bytes(gid_map[2 * code : 2 * code + 2], "big") == gid
            assert widths[code] == widths[gid]
        for gid in range(plan.n_glyphs):  # every other code is still its own glyph
            assert int.from_bytes(gid_map[2 * gid : 2 * gid + 2], "big") == gid
