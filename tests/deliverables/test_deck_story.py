"""The trainers' decks tell the year's story: at least 8 slides, Thai speaker notes on every
slide, certification, who improved most, next steps, the comparison with last year in 2562;
every series in the reports' colours; projector-size chart text; the figures of the PDF's
context for the same run; the training plan as a sheet of the province annex."""

import re
import zipfile

import pytest
from lxml import etree
from openpyxl import load_workbook
from pptx import Presentation

from mchch_lib import config
from mchch_lib.analysis import training_plan
from mchch_lib.common import thai
from mchch_lib.data.params import load_params
from mchch_lib.deliverables import deck, deck_layout, forms
from mchch_lib.deliverables import jobs as deliverables
from mchch_lib.documents import report

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
THAI = re.compile("[\u0e01-\u0e4f]")


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("story")
    out = {}
    for year, code in ((2561, None), (2562, None), (2562, 6007)):
        params = load_params(config.PARAMS_DIR / f"{year}.yaml")
        data = deliverables.run_data(params)
        prs = deck.build_deck(deliverables.deck_context(params, data, code))
        out[(year, code)] = deck.save(prs, tmp / f"{year}_{code}.pptx")
    return out


def _titles(path) -> list[str]:
    prs = Presentation(path)
    return [next((s.text_frame.text for s in sl.shapes if s.has_text_frame), "")
            for sl in prs.slides]  # fmt: skip


def _title_of(slide) -> str:
    return next((s.text_frame.text for s in slide.shapes if s.has_text_frame), "")


def _chart(path, fragment: str):
    for slide in Presentation(path).slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if any(fragment in t for t in texts):
            return next(s.chart for s in slide.shapes if s.has_chart)
    raise AssertionError(f"no slide titled {fragment}")


def test_a_story_of_at_least_8_slides_with_thai_notes_on_every_slide(decks):
    for key, path in decks.items():
        prs = Presentation(path)
        if key[1] is None:
            assert len(prs.slides) >= 8, key
        for i, slide in enumerate(prs.slides, 1):
            assert slide.has_notes_slide, (key, i)
            text = slide.notes_slide.notes_text_frame.text
            assert THAI.search(text) and re.search(r"\d", text) and len(text) > 60, (key, i)
        titles = " | ".join(_titles(path))
        for must in ("รับรอง", "เพิ่มขึ้นมากที่สุด", "ขั้นตอนต่อไป", "กำหนดส่ง"):
            assert must in titles, (key, must)
        if key[1] is None:
            assert "แผนการอบรม" in titles and "คะแนนเฉลี่ยหลังพัฒนารายอำเภอ" in titles


def test_2562_compares_with_2561_and_2561_does_not(decks):
    t62 = " | ".join(_titles(decks[(2562, None)]))
    assert "เทียบกับปี 2561" in t62 and "อำเภอที่เปลี่ยนไปมากที่สุดจากปี 2561" in t62
    assert "หน่วยเดิมที่กลับมาสมัคร" in " | ".join(_titles(decks[(2562, 6007)]))
    assert "เทียบกับปี" not in " | ".join(_titles(decks[(2561, None)]))


def _charts_xml(path):
    with zipfile.ZipFile(path) as z:
        return [etree.fromstring(z.read(n)) for n in z.namelist()
                if n.startswith("ppt/charts/chart") and n.endswith(".xml")]  # fmt: skip


def test_no_series_in_theme_colours_and_text_at_projector_size(decks):
    post, pre = deck_layout.POST.upper(), deck_layout.PRE.upper()
    assert (post, pre) == ("0072B2", "7F7F7F")  # the PDFs' blue and grey (documents.charts)
    for path in decks.values():
        for root in _charts_xml(path):
            for ser in root.iter(f"{{{NS['c']}}}ser"):
                color = ser.find("c:spPr//a:srgbClr", NS)
                assert color is not None, etree.tostring(ser)[:200]  # never a theme colour
                name = "".join(ser.xpath("c:tx//c:v/text()", namespaces=NS))
                if name == "หลังพัฒนา":
                    assert color.get("val").upper() == post
                if name == "ก่อนพัฒนา":
                    assert color.get("val").upper() == pre
            sizes = [int(e.get("sz")) for e in root.iter(f"{{{NS['a']}}}defRPr") if e.get("sz")]
            assert sizes and min(sizes) >= 1400
        assert any(root.find(".//c:lineChart", NS) is not None for root in _charts_xml(path))


@pytest.mark.parametrize("year", [2561, 2562])
def test_the_decks_figures_are_the_pdfs(decks, year):
    path = decks[(year, None)]
    ctx = report.province_context(config.PARAMS_DIR / f"{year}.yaml")  # as the PDF makes it
    s = ctx.summary
    first = " ".join(sh.text_frame.text for sh in Presentation(path).slides[0].shapes
                     if sh.has_text_frame)  # fmt: skip
    assert thai.format_number(s["registered"], 0) in first
    assert "+" + thai.format_number(s["mean_gain_pct"], 1) in first
    if len(ctx.final_results):
        assert (
            f"\n{len(ctx.certified)}\n"
            in "\n"
            + "\n".join(
                sh.text_frame.text
                for sh in Presentation(path).slides[0].shapes
                if sh.has_text_frame
            )
            + "\n"
        )
    titles = _titles(path)
    ready = f"พร้อมรับการประเมินระดับจังหวัด {s['ready']:.0f} จาก {s['post_assessed']:.0f} ราย"
    assert any(t.startswith(ready) for t in titles)  # the PDF's denominator: post-assessed
    by = ctx.by_district.dropna(subset=["mean_post_pct"]).set_index("district_code")
    (notes,) = [sl.notes_slide.notes_text_frame.text for sl in Presentation(path).slides
                if f"คะแนนเฉลี่ยหลังพัฒนารายอำเภอ ปี {year}" in _title_of(sl)]  # fmt: skip
    hi, lo = by["mean_post_pct"].idxmax(), by["mean_post_pct"].idxmin()
    assert (f"สูงสุดคือ {ctx.district_names[hi]} ร้อยละ "
            f"{thai.format_number(by.loc[hi, 'mean_post_pct'], 1)} ต่ำสุดคือ "
            f"{ctx.district_names[lo]} ร้อยละ "
            f"{thai.format_number(by.loc[lo, 'mean_post_pct'], 1)}") in notes  # fmt: skip
    gaps = _chart(path, "ตัวบ่งชี้ที่ควรพัฒนาต่อ").series[0].values
    assert list(gaps) == [thai.round_half_up(v, 1) for v in ctx.top_gaps["mean_gap_pct"]]
    pre_post = _chart(path, "คะแนนเฉลี่ยก่อนและหลังพัฒนา")
    assert max(pre_post.series[1].values) <= 100


def test_the_plan_is_a_sheet_of_the_province_annex(tmp_path):
    params = load_params(config.PARAMS_DIR / "2561.yaml")
    data = deliverables.run_data(params)
    plan = training_plan.sessions(data.ind, data.scored)
    wb = forms.province_annex(data.scored, data.catalog, "สพจ.", 2561, "จังหวัดนครสวรรค์",
                              data.names, plan=plan)  # fmt: skip
    path = forms.save(wb, tmp_path / "annex.xlsx")
    ws = load_workbook(path)[forms.PLAN_SHEET]
    ids = [c.value for c in ws["F"] if isinstance(c.value, str) and c.value.startswith("2561-")]
    assert len(ids) == int(plan["n_units"].sum())  # a row per unit of each session
    banner = [c.value for row in ws.iter_rows() for c in row if c.value and "หัวข้อ" in str(c.value)]
    assert any(f"รวม {len(plan)} หัวข้อ" in b for b in banner)
