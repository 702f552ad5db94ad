"""The layout of the meeting decks (python-pptx): 16:9, Thai text set as complex script in TH
Sarabun New, text measured with the bundled Sarabun (``textfit``), native charts with every text
at projector size (>= 14 pt) and every series in the reports' colours (``documents.charts``),
tables, and speaker notes. The slides are in ``deck_slides`` and ``deck_steps``.
"""

from __future__ import annotations

from mchch_lib.common import textfit, thai
from mchch_lib.documents import charts

FONT = "TH Sarabun New"
LANG = "th-TH"
W_IN, H_IN = 13.333, 7.5
LINE_SPACING = 1.2  # lines of text boxes: marks above and below stay apart
INSET_PT = 7.2 * 2  # a text box's left and right insets (0.1 in each)
LABEL_SHARE = 0.3  # a category label takes at most this share of the chart's width
CHART = (0.6, 1.4, W_IN - 1.2, 5.6)  # left, top, width, height of a chart (in)
MIN_PT = 14  # no chart or table text smaller on a projector

#: The reports' colours (``documents.charts``): pre grey, post blue, full marks a dark line.
PRE = charts.PRE_COLOR.lstrip("#")
POST = charts.POST_COLOR.lstrip("#")
FULL = charts.FULL_COLOR.lstrip("#")
LAST_YEAR = charts.LAST_YEAR_COLOR.lstrip("#")


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


def set_font(run, size: float, bold: bool = False, color=None) -> None:
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    typefaces(run.font)


def textbox(slide, text: str, left, top, width, height, size=28, bold=False, spaces_only=True):
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
            set_font(r, size, bold)
    return box


def fit_size(text: str, width_in: float, sizes, bold: bool) -> int:
    """The largest of ``sizes`` at which ``text`` fits one line ``width_in`` wide."""
    for size in sizes:
        if textfit.text_width(text, size, bold) <= width_in * 72 - INSET_PT:
            return size
    return sizes[-1]


def title(slide, text: str):
    size = fit_size(text, W_IN - 1, (36, 34, 32, 30, 28), True)
    return textbox(slide, text, 0.5, 0.3, W_IN - 1, 1.0, size=size, bold=True)


def add_chart(slide, kind, data, size: int = 18, box=CHART):
    """A native chart in ``box`` (the content area), every text of it in TH Sarabun New at
    ``size`` (never under ``MIN_PT``)."""
    from pptx.util import Inches, Pt

    size = max(size, MIN_PT)
    left, top, width, height = box
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


def percent_axis(chart) -> None:
    """A share of full marks: the axis always runs from 0 to 100."""
    chart.value_axis.minimum_scale = 0
    chart.value_axis.maximum_scale = 100
    chart.value_axis.major_unit = 20


def labels(texts, size: int) -> list[str]:
    """Category labels cut between words with "…" to a share of the chart's width."""
    room = CHART[2] * 72 * LABEL_SHARE
    return [textfit.shorten(t, room, size) for t in texts]


def every_label(axis) -> None:
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


def columns(slide, items: list[str], size: int = 24) -> None:
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
            textbox(slide, "\n".join(col), left + j * width / ncols, top, col_w, height, size)
    shown = sum(len(c) for c in cols)
    if shown < len(items):
        more = f"และอีก {len(items) - shown} ราย (ดูรายละเอียดในรายงาน)"
        textbox(slide, more, left, 6.8, width, 0.5, size=18)


def paint(chart, colors: list[str]) -> None:
    """Each series of ``chart`` filled in its colour (hex RGB), one colour for all its bars:
    never the theme's default colours."""
    from pptx.dml.color import RGBColor

    chart.plots[0].vary_by_categories = False
    for series, color in zip(chart.series, colors, strict=False):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(color)


def paint_points(chart, colors: list[str]) -> None:
    """The bars of the first series each in its own colour (the funnel: ready in blue)."""
    from pptx.dml.color import RGBColor

    series = chart.series[0]
    paint(chart, [colors[0]])
    for i, color in enumerate(colors):
        fill = series.points[i].format.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(color)


def full_marks_line(chart, n: int, label: str = "คะแนนเต็ม (ร้อยละ 100)") -> None:
    """Full marks drawn as a dark dashed line across a column chart (a line series of 100s
    on the same axes, as the reports draw it), without data labels."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls, qn

    bar = chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea")).find(qn("c:barChart"))
    ax = [e.get("val") for e in bar.findall(qn("c:axId"))]
    idx = len(bar.findall(qn("c:ser")))
    pts = "".join(f'<c:pt idx="{i}"><c:v>100</c:v></c:pt>' for i in range(n))
    xml = (
        f'<c:lineChart {nsdecls("c", "a")}><c:grouping val="standard"/>'
        f'<c:varyColors val="0"/><c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>'
        f'<c:tx><c:v>{label}</c:v></c:tx><c:spPr><a:ln w="38100"><a:solidFill>'
        f'<a:srgbClr val="{FULL}"/></a:solidFill><a:prstDash val="dash"/></a:ln></c:spPr>'
        '<c:marker><c:symbol val="none"/></c:marker><c:val><c:numLit>'
        f'<c:formatCode>General</c:formatCode><c:ptCount val="{n}"/>{pts}</c:numLit></c:val>'
        '<c:smooth val="0"/></c:ser><c:marker val="1"/>'
        f'<c:axId val="{ax[0]}"/><c:axId val="{ax[1]}"/></c:lineChart>'
    )
    bar.addnext(parse_xml(xml))


def number_labels(chart, fmt: str = "0.0") -> None:
    """Data labels in ``fmt`` (zeros hidden by a format such as ``0;-0;;``)."""
    labels = chart.plots[0].data_labels
    labels.number_format = fmt
    labels.number_format_is_linked = False


def ranked_bar(
    slide,
    names: list[str],
    values: list,
    series: str,
    color: str,
    fmt="0.0",
    size: int = 16,
    percent: bool = False,
):
    """One series as sideways bars in the order given (largest first, top down), every name
    on one line beside its bar and every value labelled; nothing smaller than ``MIN_PT``."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION

    cd = CategoryChartData()
    cd.categories = labels(names, size)
    cd.add_series(series, [thai.round_half_up(v, 1) for v in values])
    # many bars: the whole height below the title, and no value axis (every bar is labelled)
    # so LibreOffice has room for every name and hides none
    box = (CHART[0], 1.2, CHART[2], H_IN - 1.3) if len(names) > 10 else CHART
    ch = add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, cd, size, box)
    ch.has_legend = False
    ch.category_axis.reverse_order = True
    if percent:
        percent_axis(ch)
    elif min((v for v in values if v == v), default=0) >= 0:
        ch.value_axis.minimum_scale = 0
    if len(names) > 10:
        ch.value_axis.visible = False
        ch.value_axis.has_major_gridlines = False
    if min((v for v in values if v == v), default=0) < 0:
        from pptx.enum.chart import XL_TICK_LABEL_POSITION

        ch.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    paint(ch, [color])
    ch.plots[0].gap_width = 60
    ch.plots[0].data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    number_labels(ch, fmt)
    every_label(ch.category_axis)
    return ch


def bar_size(n: int) -> int:
    """Label size of a sideways bar chart of ``n`` categories: a name at most ~2 lines of
    height of its band, so LibreOffice hides none; never under ``MIN_PT``."""
    return max(MIN_PT, min(20, int((H_IN - 1.3) * 72 / max(n, 1) / 1.9)))


def notes(slide, text: str) -> None:
    """The speaker notes of a slide (Thai, two or three sentences with the figures)."""
    slide.notes_slide.notes_text_frame.text = text


def table(
    slide, header: list[str], rows: list[list[str]], widths: list[float], size=16, top: float = 1.4
):
    """A native table under the title: a bold header row, every cell in TH Sarabun New at
    ``size`` (>= ``MIN_PT``), columns ``widths`` inches wide."""
    from pptx.util import Inches, Pt

    size = max(size, MIN_PT)
    height = Inches(0.1 + size * 1.6 / 72)
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(0.5), Inches(top),
                                   Inches(sum(widths)), height * (len(rows) + 1))  # fmt: skip
    t = shape.table
    for j, w in enumerate(widths):
        t.columns[j].width = Inches(w)
    for i, row in enumerate([header, *rows]):
        t.rows[i].height = height
        for j, value in enumerate(row):
            cell = t.cell(i, j)
            cell.margin_top = cell.margin_bottom = Pt(2)
            p = cell.text_frame.paragraphs[0]
            r = p.add_run()
            r.text = str(value)
            set_font(r, size, bold=i == 0)
    return t


def new_slide(prs):
    """A blank slide (the deck's own layout: title and content placed by hand)."""
    return prs.slides.add_slide(prs.slide_layouts[6])


def num(v, decimals: int = 1) -> str:
    """A figure for a slide or its notes (rounded half up, as the reports)."""
    return thai.format_number(v, decimals)


def signed(v, decimals: int = 1) -> str:
    """A change with its sign (+12.7, −3.0), rounded half up."""
    s = thai.format_number(v, decimals)
    return s if s.startswith("-") or s == "–" else f"+{s}"
