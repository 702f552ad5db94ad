"""The province deck's map slide: the districts' choropleth of ``documents.maps`` as a picture
under a Thai title, its text at projector size, the districts that sent nothing hatched and
named in the notes, every district in the notes once with its class."""

from __future__ import annotations

import copy
import io

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from mchch_lib import config
from mchch_lib.deliverables import deck_layout, deck_slides
from mchch_lib.documents import maps, report


@pytest.fixture(scope="module")
def ctx():
    return report.province_context(config.PARAMS_DIR / "2561.yaml")


def _not_sent(ctx, codes):
    """The context with ``codes`` sending nothing (their rows gone from the roll-up)."""
    c = copy.copy(ctx)
    done = ctx.completeness.copy()
    done.loc[done["district_code"].isin(codes), "has_data"] = False
    c.__dict__.update(by_district=ctx.by_district[~ctx.by_district["district_code"].isin(codes)],
                      completeness=done)  # fmt: skip
    return c


def _slide(ctx):
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(int(deck_layout.W_IN * 914400)), Emu(
        int(deck_layout.H_IN * 914400))  # fmt: skip
    deck_slides.district_map(prs, ctx)
    return prs.slides[0]


def test_the_map_is_a_picture_under_a_thai_title_at_its_drawn_size(ctx):
    sl = _slide(ctx)
    (pic,) = [s for s in sl.shapes if s.shape_type == 13]
    assert next(s for s in sl.shapes if s.has_text_frame).text_frame.text == (
        "คะแนนเฉลี่ยหลังพัฒนารายอำเภอ ปี 2561 (ร้อยละของคะแนนเต็ม)")  # fmt: skip
    left, top, width, height = deck_slides.MAP_BOX
    assert pic.left >= Emu(int(left * 914400)) and pic.top >= Emu(int(top * 914400))
    assert pic.left + pic.width <= Emu(int((left + width) * 914400) + 1)
    assert pic.top + pic.height <= Emu(int((top + height) * 914400) + 1)
    img = Image.open(io.BytesIO(pic.image.blob))
    # drawn at the size shown (not shrunk): its text is the report's twice, names at 14 pt
    assert img.width == pytest.approx(pic.width / 914400 * deck_slides.MAP_DPI, abs=2)
    assert pic._element.nvPicPr.cNvPr.get("descr").startswith("แผนที่แสดงคะแนนเฉลี่ย")


def test_the_deck_map_has_projector_text_and_no_title_of_its_own(ctx):
    fig = maps.choropleth(ctx, "post_pct", width=12, text_scale=2, map_height=4.5, titled=False)
    assert fig._suptitle is None
    texts = [t for ax in fig.axes for t in ax.texts] + fig.texts
    names = [t for t in fig.axes[0].texts if t.get_text() and t.get_text() != "N"]
    assert names and min(t.get_fontsize() for t in names) >= 12  # 6 pt at the least, doubled
    assert min(t.get_fontsize() for t in texts) >= 12
    assert fig.texts[-1].get_fontsize() == 13  # the caption with the sources, 6.5 pt doubled
    assert "แสดงที่มา 3.0" in fig.texts[-1].get_text()  # the licence, in Thai (NOTICE: English)
    assert fig.legends[0].get_texts()[0].get_fontsize() == 16


def test_districts_that_sent_nothing_are_hatched_and_named_in_the_notes(ctx):
    c = _not_sent(ctx, [6010, 6014, 6015])
    sl = _slide(c)
    text = sl.notes_slide.notes_text_frame.text
    assert "ไม่ส่งข้อมูล (ลายเส้น): พยุหะคีรี, แม่เปิน, ชุมตาบง" in text
    for width, scale in ((12.1, 2), (6.7, 1)):  # the slide's map and the report's
        fig = maps.choropleth(c, "post_pct", width=width, text_scale=scale, titled=False)
        hatched = {p.get_gid() for p in fig.axes[0].patches if p.get_hatch()}
        assert hatched == {"unit-6010", "unit-6014", "unit-6015"}
        on_map = [t.get_text() for t in fig.axes[0].texts] + [t.get_text() for t in fig.texts]
        for name in ("พยุหะคีรี", "แม่เปิน", "ชุมตาบง"):  # written on it, or in the key
            (label,) = [t for t in on_map if name in t]
            assert maps.NOT_SENT_TH in label, label


def test_the_notes_name_every_district_once_with_its_class():
    table = pd.DataFrame({
        "code": [1, 2, 3, 4, 5, 6],
        "name_th": ["ก", "ข", "ค", "ง", "จ", "ฉ"],
        "sent": [True, True, True, True, False, True],
        "value": [95.0, 72.5, 71.0, 40.0, np.nan, np.nan],
    })  # fmt: skip
    table["class_index"] = maps.classify(table["value"])
    table["class_label"] = [maps.FIGURES["post_pct"].labels[k] if k >= 0 else ""
                            for k in table["class_index"]]  # fmt: skip
    assert deck_slides.map_notes(table) == (
        "แผนที่แสดงคะแนนเฉลี่ยหลังพัฒนาของแต่ละอำเภอ (ร้อยละของคะแนนเต็ม) สีเข้มคือคะแนนสูง; "
        "ช่วง 90–100: ก; ช่วง 70–<80: ข, ค; ช่วง < 50: ง; ไม่ส่งข้อมูล (ลายเส้น): จ; "
        "ส่งข้อมูลแต่ยังไม่มีคะแนนหลังพัฒนา: ฉ; สูงสุดคือ ก ร้อยละ 95.0 ต่ำสุดคือ ง ร้อยละ 40.0"
    )


@pytest.mark.parametrize("province", [30, 60])  # 32 districts, many numbered; the sample's 15
def test_the_slide_key_stays_on_the_figure_clear_of_the_legend_and_the_map(province):
    from mchch_lib.data import boundaries
    from mchch_lib.data.reference import national_districts

    shapes = boundaries.district_shapes(province)
    t = pd.DataFrame({"code": sorted(shapes)})
    t["name_th"] = [national_districts()[c].name_th for c in t["code"]]
    t["sent"] = t["code"] % 5 != 0
    t["value"] = np.where(t["sent"], 40 + (t["code"] % 13) * 4.5, np.nan)
    t["class_index"] = maps.classify(t["value"])
    t["class_label"] = [maps.FIGURES["post_pct"].labels[k] if k >= 0 else ""
                        for k in t["class_index"]]  # fmt: skip
    t["colour"] = pd.Series([maps.class_colour(k) for k in t["class_index"]], dtype=object)
    fig = maps.draw(t, shapes, "post_pct", None, width=12.133, text_scale=2, map_height=4.55)
    r = fig.canvas.get_renderer()
    legend, ax = fig.legends[0].get_window_extent(r), fig.axes[0].get_window_extent(r)
    page = fig.bbox
    key = [x for x in fig.texts[:-1]]  # the caption is the last text
    boxes = [x.get_window_extent(r) for x in key]
    assert key and key[0].get_text() == "อำเภอที่ใช้หมายเลข"
    for x, b in zip(key, boxes, strict=True):
        assert page.x0 <= b.x0 and b.x1 <= page.x1 and page.y0 <= b.y0 and b.y1 <= page.y1, x
        assert not b.overlaps(legend) and not b.overlaps(ax), x
    columns = sorted({round(b.x0) for b in boxes[1:]})
    for i, a in enumerate(boxes[1:], 1):  # columns clear of each other, lines evenly stepped
        others = [b for b in boxes[1:] if round(b.x0) != round(a.x0)]
        assert not any(a.x1 > b.x0 and a.x0 < b.x1 for b in others), key[i]
    assert len(columns) == (2 if province == 30 else 1)
    numbered = [x for x in fig.axes[0].texts if x.get_text().isdigit()]
    assert len(key) - 1 == len(numbered)  # every number on the map is in the key
    assert fig.get_figheight() <= deck_slides.MAP_BOX[3] + 1e-9  # the slide shrinks it by width
