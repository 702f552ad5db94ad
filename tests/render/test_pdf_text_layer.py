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


# bold headings: the bold face draws its raised tone marks right of the base, which poppler
# used to put on another line ("เปรียบเทียบกับปีทผ")
HEADING_WORDS = ["ที่", "อำเภอ", "เก้าเลี้ยว", "เปรียบเทียบกับปีที่ผ่านมา", "ผู้นำชุมชน"]


def _heading_html() -> str:
    words = " ".join(HEADING_WORDS)
    html = _html([]).replace("</style>", "@page { size: A3 landscape } </style>")  # one line each
    return html.replace("<body>", f"<body><h1>{words}</h1><h2><b>{words}</b></h2><p>{words}</p>")


def _pdftotext(pdf: bytes, tmp_path, *args: str) -> str:
    import subprocess

    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


needs_poppler = pytest.mark.skipif(
    __import__("shutil").which("pdftotext") is None, reason="poppler-utils not installed"
)


@needs_poppler
@pytest.mark.parametrize("route", list(ROUTES))
def test_bold_headings_read_in_order_in_pdftotext_default_mode_and_pypdf(route, tmp_path):
    pdf = ROUTES[route](_heading_html())
    line = " ".join(HEADING_WORDS)
    default = _pdftotext(pdf, tmp_path)
    assert default.count("ที่") == 2 * 3, default  # ที่ and ปีที่ on each of three lines
    assert default.count(line) == 3, default  # h1, bold h2, body: each word whole, in order
    assert _text(pdf).count(line) == 3  # pypdf reads the glyphs, as before


def test_only_clusters_with_a_mark_are_spanned_with_their_text():
    """The ActualText spans: one per cluster with a mark, its text the cluster's own, and the
    TJ items kept in order (same glyphs, same kerning numbers)."""
    import re

    data = (config.FONTS_DIR / "Sarabun-Bold.ttf").read_bytes()
    plan = pdftext._font_plan("bold", data)
    code = {t: c for c, t in sorted(plan.text.items(), reverse=True) if len(t) == 1}
    glyphs = "".join(f"{code[c]:04x}" for c in "กที่ า")
    content = b"BT /F1 12 Tf [<" + glyphs.encode() + b"> -9.5 <0003>] TJ ET"
    new = pdftext._mark_clusters(content, {b"F1": plan})
    spans = re.findall(rb"/ActualText <feff([0-9a-f]*)>", new)
    assert [bytes.fromhex(s.decode()).decode("utf-16-be") for s in spans] == ["ที่"]
    items = re.findall(rb"<([0-9a-f]{4})>|(-?[\d.]+)(?= |\])", new.split(b"Tf", 1)[1])
    assert b"".join(h or b"" for h, _ in items).decode() == glyphs + "0003"
    assert (
        pdftext._mark_clusters(
            b"BT /F1 12 Tf [<" + glyphs[:4].encode() + b">] TJ ET", {b"F1": plan}
        )
        is None
    )  # no mark, nothing changed


@pytest.mark.skipif(
    __import__("shutil").which("pdftoppm") is None, reason="poppler-utils not installed"
)
def test_the_spans_leave_the_pixels_alone(tmp_path):
    import subprocess

    html = _heading_html()
    pngs = []
    for name, pdf in (
        ("raw", _raw_pdf(html)),
        ("fixed", _raw_pdf(html, pdftext.weasyprint_finisher)),
    ):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "72",
                "-png",
                "-singlefile",
                str(tmp_path / f"{name}.pdf"),
                str(tmp_path / name),
            ],
            check=True,
        )
        pngs.append((tmp_path / f"{name}.png").read_bytes())
    assert pngs[0] == pngs[1]
