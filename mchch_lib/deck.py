"""Meeting decks for trainers (python-pptx): 16:9, big Thai text, native PowerPoint charts that
trainers can edit, offline. No ID numbers of any kind appear (people are named only)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import scoring
from .atomic import atomic_path
from .catalog import STANDARD_CODES, Catalog

FONT = "TH Sarabun New"
W_IN, H_IN = 13.333, 7.5


def _set_font(run, size: int, bold: bool = False, color=None) -> None:
    """Font for Latin *and* Thai: PowerPoint shapes Thai with the complex-script typeface."""
    from lxml import etree
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    if color is not None:
        run.font.color.rgb = color
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = etree.SubElement(rpr, qn(tag))
        el.set("typeface", FONT)


def _text(slide, text: str, left, top, width, height, size=28, bold=False):
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    tf = box.text_frame
    tf.word_wrap = True
    lines = text.split("\n")
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        r = p.add_run()
        r.text = line
        _set_font(r, size, bold)
    return box


def _title(slide, text: str):
    return _text(slide, text, 0.5, 0.3, W_IN - 1, 1.0, size=36, bold=True)


def _style_chart(chart, size=18) -> None:
    from pptx.util import Pt

    chart.font.size = Pt(size)
    chart.font.name = FONT
    chart.has_legend = True
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(size)


def build_deck(
    title: str,
    applicants: pd.DataFrame,
    indicators: pd.DataFrame,
    ds,
    catalog: Catalog,
    place_th: str,
    year: int,
    is_province: bool,
    district_names: dict[int, str] | None = None,
):
    """A Presentation object for one district or the province."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W_IN), Inches(H_IN)
    blank = prs.slide_layouts[6]

    s = prs.slides.add_slide(blank)
    _text(s, title, 0.8, 2.2, W_IN - 1.6, 1.6, size=44, bold=True)
    _text(s, f"{place_th} · ปี พ.ศ. {year}", 0.8, 3.9, W_IN - 1.6, 0.8, size=32)
    _text(
        s, "ความก้าวหน้าการพัฒนาตามระบบมาตรฐานการพัฒนาชุมชน (มชช.)", 0.8, 4.7, W_IN - 1.6, 0.8, size=26
    )

    # progress by stage
    st = scoring.stage_counts(ds, applicants)
    s = prs.slides.add_slide(blank)
    _title(s, "ความก้าวหน้าตามขั้นตอน")
    cd = CategoryChartData()
    cd.categories = list(st["stage_th"])
    cd.add_series("จำนวนผู้สมัคร", [int(v) for v in st["n"]])
    ch = s.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.6), Inches(1.4), Inches(W_IN - 1.2), Inches(5.6), cd
    ).chart
    _style_chart(ch)
    ch.has_legend = False
    ch.plots[0].has_data_labels = True
    ch.plots[0].data_labels.font.size = ch.font.size
    ch.category_axis.reverse_order = True

    # pre -> post by standard
    s = prs.slides.add_slide(blank)
    _title(s, "คะแนนเฉลี่ยก่อนและหลังพัฒนา (ร้อยละของคะแนนเต็ม)")
    cd = CategoryChartData()
    stds = [x for x in STANDARD_CODES if x in set(applicants["standard"])]
    cd.categories = [catalog.standards[x].short_th for x in stds]
    pre, post = [], []
    for x in stds:
        a = applicants[applicants["standard"] == x]
        pre.append(
            round(float(a.loc[a["pre_complete"], "pre_pct"].mean()), 1)
            if a["pre_complete"].any()
            else None
        )
        post.append(
            round(float(a.loc[a["post_complete"], "post_pct"].mean()), 1)
            if a["post_complete"].any()
            else None
        )
    cd.add_series("ก่อนพัฒนา", pre)
    cd.add_series("หลังพัฒนา", post)
    ch = s.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        Inches(0.6),
        Inches(1.4),
        Inches(W_IN - 1.2),
        Inches(5.6),
        cd,
    ).chart
    _style_chart(ch)
    ch.legend.position = XL_LEGEND_POSITION.TOP
    ch.value_axis.maximum_scale = 100
    ch.plots[0].has_data_labels = True
    ch.plots[0].data_labels.number_format = "0.0"
    ch.plots[0].data_labels.number_format_is_linked = False

    # indicators to work on next
    gaps = scoring.indicator_gaps(indicators, by=()).head(8)
    s = prs.slides.add_slide(blank)
    _title(s, "ตัวบ่งชี้ที่ควรพัฒนาต่อ (ช่องว่างถึงคะแนนเต็ม %)")
    cd = CategoryChartData()
    cd.categories = [
        f"{i} {n[:30]}" for i, n in zip(gaps["indicator_id"], gaps["name_th"], strict=True)
    ]
    cd.add_series("ช่องว่างเฉลี่ย (%)", [round(float(v), 1) for v in gaps["mean_gap_pct"]])
    ch = s.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.6), Inches(1.4), Inches(W_IN - 1.2), Inches(5.6), cd
    ).chart
    _style_chart(ch, 16)
    ch.has_legend = False
    ch.category_axis.reverse_order = True
    ch.plots[0].has_data_labels = True

    # ready for the provincial assessment
    s = prs.slides.add_slide(blank)
    ready = applicants[applicants["ready"].fillna(False).astype(bool)]
    _title(s, f"พร้อมรับการประเมินระดับจังหวัด {len(ready)} จาก {len(applicants)} ราย")
    if is_province and district_names:
        cd = CategoryChartData()
        counts = applicants.groupby("district_code").agg(
            ready=("ready", lambda r: int(r.fillna(False).sum())),
            registered=("applicant_id", "size"),
        )
        cd.categories = [district_names.get(int(c), str(c)) for c in counts.index]
        cd.add_series("ผู้สมัคร", [int(v) for v in counts["registered"]])
        cd.add_series("พร้อม", [int(v) for v in counts["ready"]])
        ch = s.shapes.add_chart(
            XL_CHART_TYPE.COLUMN_CLUSTERED,
            Inches(0.6),
            Inches(1.4),
            Inches(W_IN - 1.2),
            Inches(5.6),
            cd,
        ).chart
        _style_chart(ch, 14)
        ch.legend.position = XL_LEGEND_POSITION.TOP
    else:
        names = [
            f"• {n} ({catalog.standards[x].short_th})"
            for n, x in zip(ready["name"], ready["standard"], strict=True)
        ]
        _columns(s, names or ["— ยังไม่มี —"])

    # not yet assessed
    s = prs.slides.add_slide(blank)
    todo = applicants[~applicants["post_complete"]]
    _title(s, f"ยังไม่ได้ประเมินหลังพัฒนา {len(todo)} ราย")
    if is_province and district_names:
        per = todo.groupby("district_code").size()
        lines = [f"• {district_names.get(int(c), c)} {int(n)} ราย" for c, n in per.items()]
    else:
        lines = [f"• {n} (พัฒนากร: {o})" for n, o in zip(todo["name"], todo["officer"], strict=True)]
    _columns(s, lines or ["— ไม่มี —"])
    return prs


def _columns(slide, lines: list[str], per_col: int = 9) -> None:
    cols = [lines[i : i + per_col] for i in range(0, len(lines), per_col)][:2]
    width = (W_IN - 1.2) / max(len(cols), 1)
    for k, col in enumerate(cols):
        _text(slide, "\n".join(col), 0.6 + k * width, 1.5, width - 0.2, 5.6, size=24)
    if len(lines) > 2 * per_col:
        _text(
            slide,
            f"และอีก {len(lines) - 2 * per_col} ราย (ดูรายละเอียดในรายงาน)",
            0.6,
            6.8,
            W_IN - 1.2,
            0.5,
            size=18,
        )


def save(prs, path: Path) -> Path:
    prs.core_properties.author = "mchch"
    with atomic_path(path) as tmp:
        prs.save(tmp)
    return path
