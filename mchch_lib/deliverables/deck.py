"""Meeting decks for trainers (python-pptx): 16:9, big Thai text, native PowerPoint charts that
trainers can edit, offline. No ID numbers of any kind appear (people are named only).

Thai is set as complex-script text: every run and every chart text (axes, labels, legend)
names TH Sarabun New for Latin, East Asian and complex script alike, so PowerPoint and
LibreOffice never fall back to another font for the Thai part. Text is measured with the
bundled Sarabun (``textfit``): long labels are cut between words with "…", names in lists
break only between their words, titles shrink to one line, and lines are spaced so the marks
of one line keep clear of the next.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mchch_lib.analysis import scoring
from mchch_lib.common import textfit, thai
from mchch_lib.common.atomic import atomic_path
from mchch_lib.data.catalog import STANDARD_CODES, Catalog

FONT = "TH Sarabun New"
LANG = "th-TH"
W_IN, H_IN = 13.333, 7.5
LINE_SPACING = 1.2  # lines of text boxes: marks above and below stay apart
INSET_PT = 7.2 * 2  # a text box's left and right insets (0.1 in each)
LABEL_SHARE = 0.3  # a category label takes at most this share of the chart's width
CHART = (0.6, 1.4, W_IN - 1.2, 5.6)  # left, top, width, height of a chart (in)


def typefaces(font) -> None:
    """Name TH Sarabun New for the Latin, East Asian and complex-script (Thai) text of a
    python-pptx ``Font`` (of a run, a chart, an axis, a legend or data labels)."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls, qn

    font.name = FONT  # a:latin
    rpr = font._rPr
    rpr.set("lang", LANG)
    for tag in ("a:ea", "a:cs"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    latin = rpr.find(qn("a:latin"))
    for tag in ("cs", "ea"):  # after a:latin, in schema order: latin, ea, cs
        latin.addnext(parse_xml(f'<a:{tag} {nsdecls("a")} typeface="{FONT}"/>'))


def _set_font(run, size: float, bold: bool = False, color=None) -> None:
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    typefaces(run.font)


def _text(slide, text: str, left, top, width, height, size=28, bold=False, spaces_only=True):
    """A text box; each line of ``text`` is a paragraph, broken at spaces (names stay whole)
    to fit the box at ``size`` with the bundled Sarabun's measure (wider than TH Sarabun New,
    so PowerPoint never needs to break it again)."""
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    tf = box.text_frame
    tf.word_wrap = True
    room = width * 72 - INSET_PT
    for i, para in enumerate(text.split("\n")):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.line_spacing = LINE_SPACING
        p.space_after = Pt(size * 0.25)
        for k, line in enumerate(textfit.wrap(para, room, size, bold, spaces_only)):
            if k:
                p.add_line_break()
            r = p.add_run()
            r.text = line
            _set_font(r, size, bold)
    return box


def _fit_size(text: str, width_in: float, sizes, bold: bool) -> int:
    """The largest of ``sizes`` at which ``text`` fits one line ``width_in`` wide."""
    for size in sizes:
        if textfit.text_width(text, size, bold) <= width_in * 72 - INSET_PT:
            return size
    return sizes[-1]


def _title(slide, text: str):
    size = _fit_size(text, W_IN - 1, (36, 34, 32, 30, 28), True)
    return _text(slide, text, 0.5, 0.3, W_IN - 1, 1.0, size=size, bold=True)


def _chart(slide, kind, data, size: int = 18):
    """A native chart in the content area, every text of it in TH Sarabun New at ``size``."""
    from pptx.util import Inches, Pt

    left, top, width, height = CHART
    chart = slide.shapes.add_chart(
        kind, Inches(left), Inches(top), Inches(width), Inches(height), data
    ).chart
    chart.has_title = False  # the slide's title says what the chart shows
    chart.font.size = Pt(size)
    typefaces(chart.font)
    chart.has_legend = True
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(size)
    typefaces(chart.legend.font)
    for axis in (chart.category_axis, chart.value_axis):
        axis.tick_labels.font.size = Pt(size)
        typefaces(axis.tick_labels.font)
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(size)
    typefaces(plot.data_labels.font)
    return chart


def _percent_axis(chart) -> None:
    """A share of full marks: the axis always runs from 0 to 100."""
    chart.value_axis.minimum_scale = 0
    chart.value_axis.maximum_scale = 100
    chart.value_axis.major_unit = 20


def _labels(texts, size: int) -> list[str]:
    """Category labels cut between words with "…" to a share of the chart's width."""
    room = CHART[2] * 72 * LABEL_SHARE
    return [textfit.shorten(t, room, size) for t in texts]


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
    _stages_slide(prs.slides.add_slide(blank), ds, applicants)
    _pre_post_slide(prs.slides.add_slide(blank), applicants, catalog)
    _gaps_slide(prs.slides.add_slide(blank), indicators)
    _ready_slide(prs.slides.add_slide(blank), applicants, catalog, is_province, district_names)

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


def _stages_slide(s, ds, applicants) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    st = scoring.stage_counts(ds, applicants)
    _title(s, "ความก้าวหน้าตามขั้นตอน")
    cd = CategoryChartData()
    cd.categories = list(st["stage_th"])
    cd.add_series("จำนวนผู้สมัคร", [int(v) for v in st["n"]])
    ch = _chart(s, XL_CHART_TYPE.BAR_CLUSTERED, cd)
    ch.has_legend = False
    ch.value_axis.minimum_scale = 0
    ch.category_axis.reverse_order = True


def _round1(v) -> float | None:
    return thai.round_half_up(v, 1)


def _pre_post_slide(s, applicants, catalog: Catalog) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

    _title(s, "คะแนนเฉลี่ยก่อนและหลังพัฒนา (ร้อยละของคะแนนเต็ม)")
    cd = CategoryChartData()
    stds = [x for x in STANDARD_CODES if x in set(applicants["standard"])]
    cd.categories = _labels([catalog.standards[x].short_th for x in stds], 18)
    by = scoring.summarize(applicants, by=["standard"]).set_index("standard").loc[stds]
    cd.add_series("ก่อนพัฒนา", [_round1(v) for v in by["mean_pre_pct"]])
    cd.add_series("หลังพัฒนา", [_round1(v) for v in by["mean_post_pct"]])
    ch = _chart(s, XL_CHART_TYPE.COLUMN_CLUSTERED, cd)
    ch.legend.position = XL_LEGEND_POSITION.TOP
    _percent_axis(ch)
    ch.plots[0].data_labels.number_format = "0.0"
    ch.plots[0].data_labels.number_format_is_linked = False


def _gaps_slide(s, indicators) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    gaps = scoring.indicator_gaps(indicators, by=()).head(scoring.TOP_GAPS)
    _title(s, "ตัวบ่งชี้ที่ควรพัฒนาต่อ (ช่องว่างถึงคะแนนเต็ม %)")
    cd = CategoryChartData()
    names = [f"{i} {n}" for i, n in zip(gaps["indicator_id"], gaps["name_th"], strict=True)]
    cd.categories = _labels(names, 16)
    cd.add_series("ช่องว่างเฉลี่ย (%)", [thai.round_half_up(v, 1) for v in gaps["mean_gap_pct"]])
    ch = _chart(s, XL_CHART_TYPE.BAR_CLUSTERED, cd, 16)
    ch.has_legend = False
    ch.category_axis.reverse_order = True
    _percent_axis(ch)
    ch.plots[0].data_labels.number_format = "0.0"
    ch.plots[0].data_labels.number_format_is_linked = False


def _ready_slide(s, applicants, catalog, is_province: bool, district_names) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

    ready = applicants[applicants["ready"].fillna(False).astype(bool)]
    _title(s, f"พร้อมรับการประเมินระดับจังหวัด {len(ready)} จาก {len(applicants)} ราย")
    if not (is_province and district_names):
        names = [
            f"• {n} ({catalog.standards[x].short_th})"
            for n, x in zip(ready["name"], ready["standard"], strict=True)
        ]
        _columns(s, names or ["— ยังไม่มี —"])
        return
    counts = scoring.summarize(applicants, by=["district_code"]).set_index("district_code")
    cd = CategoryChartData()
    # bars run sideways so a district's name sits on one line beside its bars, never
    # broken inside a word as under a column chart's narrow categories
    cd.categories = [district_names.get(int(c), str(c)) for c in counts.index]
    cd.add_series("ผู้สมัคร", [int(v) for v in counts["registered"]])
    cd.add_series("พร้อม", [int(v) for v in counts["ready"]])
    # LibreOffice hides labels it finds crowded: ~2.2 em of height a name at most
    size = max(9, min(14, int(CHART[3] * 72 / max(len(counts), 1) / 2.2)))
    ch = _chart(s, XL_CHART_TYPE.BAR_CLUSTERED, cd, size)
    ch.legend.position = XL_LEGEND_POSITION.TOP
    ch.category_axis.reverse_order = True
    ch.value_axis.minimum_scale = 0
    _every_label(ch.category_axis)


def _every_label(axis) -> None:
    """Show every category's label (an office program otherwise skips some when crowded)."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls, qn

    ax = axis._element
    for tag in ("c:tickLblSkip", "c:tickMarkSkip"):
        old = ax.find(qn(tag))
        if old is not None:
            ax.remove(old)
    after = ax.find(qn("c:noMultiLvlLbl"))
    for tag in ("tickLblSkip", "tickMarkSkip"):
        el = parse_xml(f'<c:{tag} {nsdecls("c")} val="1"/>')
        if after is not None:
            after.addprevious(el)
        else:
            ax.append(el)


def _columns(slide, items: list[str], size: int = 24) -> None:
    """Bullet items in up to two columns, each item broken only at spaces to fit its column;
    what does not fit is counted on a last line."""
    left, top, width, height = 0.6, 1.5, W_IN - 1.2, 5.2
    per_line = size * 1.5 * LINE_SPACING  # a Thai line with its marks, spaced
    ncols = 1 if len(items) <= 4 else 2
    col_w = width / ncols - 0.2
    budget = int(height * 72 // per_line)
    cols: list[list[str]] = [[] for _ in range(ncols)]
    k, used = 0, 0
    for item in items:
        n = len(textfit.wrap(item, col_w * 72 - INSET_PT, size, spaces_only=True))
        if used + n > budget:
            k, used = k + 1, 0
            if k == ncols:
                break
        cols[k].append(item)
        used += n
    for j, col in enumerate(cols):
        if col:
            _text(slide, "\n".join(col), left + j * width / ncols, top, col_w, height, size)
    shown = sum(len(c) for c in cols)
    if shown < len(items):
        more = f"และอีก {len(items) - shown} ราย (ดูรายละเอียดในรายงาน)"
        _text(slide, more, left, 6.8, width, 0.5, size=18)


def use_thai_digits(prs) -> None:
    """Show a finished deck in Thai digits (params ``output.thai_digits``): chart numbers by
    their number format, Thai text by its characters (codes with no Thai letter stay)."""
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for p in shape.text_frame.paragraphs:
                    for r in p.runs:
                        r.text = thai.thai_digits_in_text(r.text)
            if getattr(shape, "has_chart", False) and shape.has_chart:
                _chart_thai_digits(shape.chart)


def _chart_thai_digits(chart) -> None:
    for plot in chart.plots:
        if plot.has_data_labels:
            labels = plot.data_labels
            fmt = labels.number_format if not labels.number_format_is_linked else "0"
            labels.number_format = thai.EXCEL_THAI_DIGITS + (fmt or "0")
            labels.number_format_is_linked = False
    ticks = chart.value_axis.tick_labels
    ticks.number_format = thai.EXCEL_THAI_DIGITS + "0"
    ticks.number_format_is_linked = False


def save(prs, path: Path) -> Path:
    prs.core_properties.author = "mchch"
    with atomic_path(path) as tmp:
        prs.save(tmp)
    return path
