"""Chart text in a PDF is shaped as a whole (mchch_lib.render.svg_text): WeasyPrint drew SVG text code
point by code point, which drops a Thai tone mark over an upper vowel ("ที่" as "ที")."""

import base64

from weasyprint import HTML

from mchch_lib.render import exporters as render
from mchch_lib.render import svg_text as svgtext


def _pdf(svg_body: str) -> bytes:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60">{svg_body}</svg>'
    src = base64.b64encode(svg.encode()).decode()
    html = f'<html><body><img src="data:image/svg+xml;base64,{src}"></body></html>'
    svgtext.install()
    return HTML(string=html).write_pdf(uncompressed_pdf=True, font_config=render._font_config())


def test_thai_svg_text_is_one_shaped_run():
    # one text, six code points (ท ี ่ น ี ่): one placement and one glyph run, not six
    pdf = _pdf("<text x=\"10\" y=\"30\" style=\"font-size: 20px; font-family: 'Sarabun'\">"
               "ที่นี่</text>")  # fmt: skip
    assert pdf.count(b" Tm") == 1 and pdf.count(b"TJ") == 1


def test_text_that_places_its_glyphs_is_still_placed_glyph_by_glyph():
    pdf = _pdf('<text x="10 40 70" y="30" style="font-size: 20px">ABC</text>')
    assert pdf.count(b" Tm") == 3


def test_which_text_leaves_placement_to_the_layout():
    assert svgtext.places_no_glyph({"x": "10", "y": "3", "style": "font-size: 8px"})
    assert svgtext.places_no_glyph({"letter-spacing": "normal"})
    assert svgtext.places_no_glyph({})
    assert not svgtext.places_no_glyph({"x": "1 2"})
    assert not svgtext.places_no_glyph({"y": "1,2"})
    assert not svgtext.places_no_glyph({"dx": "1"})
    assert not svgtext.places_no_glyph({"rotate": "10"})
    assert not svgtext.places_no_glyph({"textLength": "40"})
    assert not svgtext.places_no_glyph({"letter-spacing": "2px"})


def test_install_is_idempotent_and_keeps_text_anchors_working():
    import weasyprint.svg as wsvg

    svgtext.install()
    svgtext.install()
    # draw_node recognises text nodes by comparing TAGS entries with the package's ``text``
    assert wsvg.TAGS["text"] is wsvg.text is wsvg.TAGS["tspan"]
    centred = _pdf("<text style=\"font-size: 20px; text-anchor: middle; font-family: 'Sarabun'\""
                   ' transform="translate(150 30)">กลาง</text>')  # fmt: skip
    assert centred.count(b"TJ") == 1


def test_a_chart_label_in_a_report_pdf_reads_back_as_written():
    import io

    from pypdf import PdfReader

    label = "เฉลี่ยก่อนพัฒนา ที่นี่ เก้าเลี้ยว"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><text x="10" y="30" '
        f"style=\"font-size: 20px; font-family: 'Sarabun'\">{label}</text></svg>"
    )
    src = base64.b64encode(svg.encode()).decode()
    html = (
        f"<html><head><style>{render.report_css()}</style></head><body>"
        f'<img src="data:image/svg+xml;base64,{src}"></body></html>'
    )
    pdf = render.html_to_pdf_bytes(html)
    assert label in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
