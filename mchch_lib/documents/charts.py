"""Charts in one house style (matplotlib, Sarabun): each function takes the library's tables and
returns a Figure. Grey-print and colour-blind safe: pre and post differ by marker shape and
fill as well as colour (Okabe-Ito blue / grey); heatmaps use a sequential palette light to
dark whose middle reads as a value (never grey, which reads as "no data"), missing cells drawn
hatched and named "ไม่มีข้อมูล", cells resting on a single unit marked. Score axes start at 0
and every number is rounded half up (``common.thai.format_number``) as in the tables."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from mchch_lib.common.fonts import register_fonts
from mchch_lib.common.thai import format_number, round_half_up, to_thai_digits
from mchch_lib.data.catalog import STANDARD_CODES

PRE_COLOR = "#7f7f7f"
POST_COLOR = "#0072B2"
FULL_COLOR = "#222222"
ACCENT = "#D55E00"
A4_WIDTH_IN = 6.7


#: Numbers in charts in Thai digits (params ``output.thai_digits``); set per report by
#: ``use_thai_digits`` (the report context does it), like the fonts are set once.
_THAI_DIGITS = False


def use_thai_digits(on: bool) -> None:
    """Write the numbers of the charts made from now on in Thai digits (๐–๙) or not."""
    global _THAI_DIGITS
    _THAI_DIGITS = bool(on)


def _d(text: str) -> str:
    """A number label in the digits the report asks for."""
    return to_thai_digits(text) if _THAI_DIGITS else text


def _n(value: float, decimals: int = 0) -> str:
    """A label's number rounded half up, as the tables beside the chart round it."""
    return format_number(value, decimals).replace(",", "")


def _signed(value: float, decimals: int = 1) -> str:
    """A change with its sign (+3.5, -1.0), rounded half up."""
    v = round_half_up(value, decimals) or 0.0
    return ("+" if v >= 0 else "-") + _n(abs(v), decimals)


def _figure(width: float, height: float) -> Figure:
    register_fonts()
    return Figure(figsize=(width, height), layout="constrained")


def _axes(fig: Figure, numeric: str = "x"):
    """The chart's axes; the numeric axis ticks in the report's digits."""
    from matplotlib.ticker import FuncFormatter

    ax = fig.add_subplot()
    if _THAI_DIGITS:
        fmt = FuncFormatter(lambda v, _pos: _d(f"{v:g}"))
        (ax.xaxis if numeric == "x" else ax.yaxis).set_major_formatter(fmt)
    return ax


def _title(fig: Figure, text: str) -> None:
    """Chart title at the left edge of the figure (a long Thai title never runs off the
    right edge, whatever the width of the axis labels): a title wider than the figure is
    broken onto a second line at the last space that fits (Thai phrases are spaced)."""
    t = fig.suptitle(text, x=0.01, ha="left", fontsize=12, fontweight="bold")
    room = fig.get_figwidth() * fig.dpi * 0.97
    words = text.split(" ")
    if len(words) < 2 or t.get_window_extent().width <= room:
        return
    for k in range(len(words) - 1, 0, -1):
        t.set_text(" ".join(words[:k]))
        if t.get_window_extent().width <= room:
            break
    t.set_text(" ".join(words[:k]) + "\n" + " ".join(words[k:]))


def _short(text: str, n: int = 28) -> str:
    """Shorten a label without cutting a Thai cluster (never leave a tone mark alone)."""
    text = str(text)
    if len(text) <= n:
        return text
    cut = n - 1
    while cut > 1 and unicodedata.category(text[cut]) == "Mn":
        cut -= 1
    return text[:cut] + "…"


def pre_post_full(
    applicant_scores: pd.DataFrame,
    standard: str | None = None,
    threshold_pct: float | None = None,
    standard_th: str | None = None,
) -> Figure:
    """Dumbbell per applicant: pre ○ → post ■ as % of full marks (100 % = full marks);
    applicants not yet assessed after development show their pre score and a note.
    ``standard_th`` names the standard in the title (from the catalog)."""
    a = (
        applicant_scores
        if standard is None
        else applicant_scores[applicant_scores["standard"] == standard]
    )
    a = a.sort_values(["post_pct", "pre_pct"], na_position="first")
    n = max(len(a), 1)
    fig = _figure(A4_WIDTH_IN, 1.5 + 0.28 * n)
    ax = _axes(fig)
    y = np.arange(len(a))
    labels = [
        f"{_short(nm, 30)} ({aid[-3:]})"
        for nm, aid in zip(a["name"], a["applicant_id"], strict=True)
    ]
    _bars_between(ax, a["pre_pct"], a["post_pct"])
    for yi, (pre, post) in enumerate(zip(a["pre_pct"], a["post_pct"], strict=True)):
        if pd.notna(pre) and pd.isna(post):
            ax.text(
                min(pre + 4, 101), yi, "ยังไม่ประเมินหลังพัฒนา", va="center", fontsize=8, color="#555555"
            )
    _pre_post_marks(ax, a["pre_pct"], a["post_pct"], y, 36, ("ก่อนพัฒนา", "หลังพัฒนา"))
    ax.axvline(100, color=FULL_COLOR, linewidth=1.4, label="คะแนนเต็ม (100%)")
    if threshold_pct is not None:
        ax.axvline(
            threshold_pct,
            color=ACCENT,
            linestyle="--",
            linewidth=1,
            label=f"เกณฑ์ผ่าน {threshold_pct:g}%",
        )
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 112)
    ax.set_ylim(-0.8, len(a) - 0.2 if len(a) else 0.8)
    ax.set_xlabel("ร้อยละของคะแนนเต็ม")
    title = standard_th or "ทุกมาตรฐาน"
    _title(fig, f"คะแนนก่อน–หลังพัฒนาเทียบคะแนนเต็ม: {title}")
    ax.grid(axis="y", visible=False)
    # legend under the plot, inside the figure: the plot keeps the full width
    fig.legend(loc="outside lower center", ncol=4, fontsize=8)
    if not len(a):
        ax.text(50, 0, "ไม่มีข้อมูล", ha="center")
    return fig


def _pre_post_marks(ax, pre, post, y, size: float, labels: tuple[str, str]) -> None:
    """The house marks of a dumbbell: pre an open grey circle, post a filled blue square
    (told apart by shape and fill, not colour alone)."""
    _marks(ax, pre, y, "o", size, 2, labels[0], face="white", edge=PRE_COLOR, width=1.4)
    _marks(ax, post, y, "s", size, 3, labels[1], face=POST_COLOR, edge=POST_COLOR)


def _marks(ax, x, y, marker, size, zorder, label, face, edge, width=1.0) -> None:
    """Markers of a scatter's look (``size`` in pt², edge ``width`` pt) drawn as one line's
    markers: in SVG a ``<use>`` each, not a clipped group with a ``<use>`` each."""
    ax.plot(x, y, linestyle="none", marker=marker, markersize=size**0.5, markerfacecolor=face,
            markeredgecolor=edge, markeredgewidth=width, zorder=zorder, label=label)  # fmt: skip


def _bars_between(ax, starts, ends) -> None:
    """A dumbbell's bar on each row from one value to the other (none where either is
    missing), all rows as one path (a line each would be an SVG element each)."""
    from matplotlib.patches import PathPatch

    from mchch_lib.documents.heatmaps import segments_path

    lines = [((a, yi), (b, yi)) for yi, (a, b) in enumerate(zip(starts, ends, strict=True))
             if pd.notna(a) and pd.notna(b)]  # fmt: skip
    if lines:  # the look of a plotted line: 1.2 pt, projecting caps
        ax.add_patch(PathPatch(segments_path(lines), fill=False, edgecolor="#444444",
                               linewidth=1.2, capstyle="projecting", zorder=1))  # fmt: skip


def gap_by_indicator(indicator_gaps: pd.DataFrame, top: int | None = None) -> Figure:
    """Bars: remaining gap to full marks (% of full) by indicator, largest first."""
    g = (indicator_gaps if top is None else indicator_gaps.head(top)).iloc[::-1]
    fig = _figure(A4_WIDTH_IN, 1.0 + 0.32 * max(len(g), 1))
    ax = _axes(fig)
    labels = [f"{i}  {_short(n, 36)}" for i, n in zip(g["indicator_id"], g["name_th"], strict=True)]
    bars = ax.barh(labels, g["mean_gap_pct"], color=POST_COLOR, edgecolor="white")
    ax.bar_label(bars, labels=[_d(_n(v) + "%") for v in g["mean_gap_pct"]], padding=3, fontsize=8)
    ax.set_xlim(0, max(100, float(g["mean_gap_pct"].max() or 0) + 10) if len(g) else 100)
    ax.set_xlabel("ส่วนต่างถึงคะแนนเต็ม เฉลี่ย (ร้อยละของคะแนนเต็ม)")
    _title(fig, "ตัวบ่งชี้ที่ยังห่างจากคะแนนเต็มมากที่สุด")
    ax.grid(axis="y", visible=False)
    return fig


def gap_heatmap(
    indicator_gaps_by_district: pd.DataFrame, district_names: dict | None = None
) -> Figure:
    """Heatmap districts × indicators of the remaining gap to full marks (% of full marks).
    With this many columns a number would be under 7 pt: the colours carry the pattern and the
    table of the largest gaps beside it the figures; a cell resting on one unit is dotted."""
    g = indicator_gaps_by_district
    order = list(
        dict.fromkeys(
            g.sort_values(
                ["standard", "indicator_id"],
                key=lambda s: (
                    s.map(_std_order)
                    if s.name == "standard"
                    else s.str.extract(r"(\d+)$")[0].astype(float)
                ),
            )["indicator_id"]
        )
    )
    m = (
        g.pivot_table(index="district_code", columns="indicator_id", values="mean_gap_pct")
        .reindex(columns=order)
        .sort_index()
    )
    n = g.pivot_table(index="district_code", columns="indicator_id", values="n", aggfunc="sum")
    return _heatmap(
        m,
        district_names,
        GAP_CMAP,
        (0, 70),
        "ส่วนต่างถึงคะแนนเต็ม (ร้อยละ)",
        "ส่วนต่างถึงคะแนนเต็มหลังพัฒนา รายอำเภอ × ตัวบ่งชี้",
        col_size=7,
        counts=n.reindex(index=m.index, columns=m.columns),
    )


def standard_heatmap(
    by_district_standard: pd.DataFrame,
    district_names: dict | None = None,
    standard_names: dict | None = None,
    *,
    key: str = "district_code",
    row_th: str = "อำเภอ",
    title_suffix: str = "",
) -> Figure:
    """Heatmap districts × standards of the mean post-development % of full marks (a cell
    "ไม่มีข้อมูล": no applicant of that standard assessed after development; "*": one unit);
    ``standard_names``: the catalog's short Thai names. ``key``/``row_th``: other rows
    (provinces of the nation)."""
    t = by_district_standard
    m = t.pivot_table(index=key, columns="standard", values="mean_post_pct")
    m = m.reindex(columns=[c for c in STANDARD_CODES if c in m.columns]).sort_index()
    n = None
    if "post_assessed" in t:
        n = t.pivot_table(index=key, columns="standard", values="post_assessed", aggfunc="sum")
        n = n.reindex(index=m.index, columns=m.columns)
    return _heatmap(
        m,
        district_names,
        SCORE_CMAP,
        (0, 100),
        "คะแนนเฉลี่ยหลังพัฒนา (ร้อยละ)",
        f"คะแนนเฉลี่ยหลังพัฒนา (ร้อยละของคะแนนเต็ม) ราย{row_th} × มาตรฐาน{title_suffix}",
        col_labels=standard_names,
        col_size=8,
        counts=n,
    )


#: Sequential palettes, light (low) to dark (high), no grey middle: scores blue, gaps red.
SCORE_CMAP = "YlGnBu"
GAP_CMAP = "OrRd"
MISSING_TH = "ไม่มีข้อมูล"
SINGLE_TH = "จากผู้สมัครรายเดียว"
#: The smallest number written in a cell (pt); smaller cells leave the numbers to the table.
MIN_CELL_PT = 7.0


def _heatmap(m, district_names, cmap, limits, label, title, col_labels=None, col_size=8.0,
             counts=None) -> Figure:  # fmt: skip
    """A districts × columns heatmap of a % figure: numbers written when they fit at 7 pt or
    more, missing cells hatched grey and named, single-unit cells marked (* or a dot)."""
    from matplotlib.patches import Patch

    from mchch_lib.documents import heatmaps

    rows = [str(c) if not district_names else f"{district_names.get(int(c), c)}" for c in m.index]
    cols = [(col_labels or {}).get(c, c) for c in m.columns]
    wide = max((len(c) for c in cols), default=1) > 4
    fig = _figure(A4_WIDTH_IN, 1.6 + 0.27 * max(len(m), 1) + (0.4 if wide else 0))
    ax = fig.add_subplot()
    vals = m.to_numpy(dtype=float)
    one = np.zeros(vals.shape, bool) if counts is None else counts.to_numpy(dtype=float) == 1
    # vectors in SVG/PDF, one path per colour (not one per cell: WeasyPrint's cost)
    heatmaps.draw_cells(ax, vals, cmap, limits)
    heatmaps.top_ticks(ax, cols, col_size, 0 if wide else 90)
    ax.set_yticks(np.arange(len(m.index)) + 0.5, rows, fontsize=8)
    numbers = len(cols) <= 12  # 8 pt fits a cell; more columns would need under 7 pt
    _cell_labels(ax, vals, one, limits, numbers)
    ax.grid(False)
    for sp in ax.spines.values():
        sp.set_visible(False)
    heatmaps.colour_bar(fig, ax, cmap, limits, label)
    # the key is what a missing cell looks like: plain light grey (not hatched: the cells are not)
    keys = [
        Patch(facecolor=heatmaps.MISSING_CELL, edgecolor=heatmaps.MISSING_EDGE, label=MISSING_TH)
    ]
    if one.any():
        mark = "*" if numbers else "•"
        keys.append(Patch(facecolor="white", edgecolor="white", label=f"{mark} {SINGLE_TH}"))
    fig.legend(handles=keys, loc="outside lower center", ncol=2, fontsize=8, frameon=False)
    _title(fig, title)
    return fig


def _cell_labels(ax, vals, one, limits, numbers: bool) -> None:
    """Each cell's number (half up, as the tables) with * when it rests on one unit; without
    numbers, a dot on the single-unit cells. Missing cells say "ไม่มีข้อมูล" when there is
    room for it."""
    dark = limits[0] + 0.6 * (limits[1] - limits[0])
    if not numbers:
        from mchch_lib.documents.heatmaps import draw_dots

        cells = list(zip(*np.nonzero(one & ~np.isnan(vals)), strict=True))
        # a scatter dot of 4 pt² with its 1 pt edge: 3 pt across
        draw_dots(ax, cells, ["white" if vals[c] > dark else "black" for c in cells], 3.0)
        return
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            v = vals[i, j]
            if np.isnan(v):
                ax.text(j + 0.5, i + 0.5, MISSING_TH, ha="center", va="center", fontsize=7,
                        color="#555555")  # fmt: skip
                continue
            text = _d(_n(v)) + ("*" if one[i, j] else "")
            ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=8,
                    color="white" if v > dark else "black")  # fmt: skip


def _std_order(s: str) -> int:
    return STANDARD_CODES.index(s) if s in STANDARD_CODES else len(STANDARD_CODES)


def stage_progress(stage_counts: pd.DataFrame, certified: int | None = None) -> Figure:
    """Funnel: registered → pre assessed → plan → post assessed → ready (→ certified, the
    provincial committee's result, when ``certified`` is given). The outcomes (ready,
    certified) in blue, the steps before them grey."""
    if certified is not None:
        extra = {"stage": "certified", "stage_th": "ผ่านการรับรอง", "n": int(certified)}
        stage_counts = pd.concat([stage_counts, pd.DataFrame([extra])], ignore_index=True)
    s = stage_counts.iloc[::-1]
    fig = _figure(A4_WIDTH_IN, 1.0 + 0.3 * len(stage_counts))
    ax = _axes(fig)
    total = float(stage_counts["n"].iloc[0]) if len(stage_counts) else 0
    bars = ax.barh(
        s["stage_th"],
        s["n"],
        color=[POST_COLOR if k in ("ready", "certified") else PRE_COLOR for k in s["stage"]],
        edgecolor="white",
    )
    ax.bar_label(
        bars,
        labels=[_d(f"{int(v)} ({_n(100 * v / total)}%)") if total else _d("0") for v in s["n"]],
        padding=3,
        fontsize=9,
    )
    ax.set_xlim(0, max(total * 1.2, 1))
    ax.set_xlabel("จำนวนผู้สมัคร (หน่วยนับ)")
    ax.set_axisbelow(True)
    _title(fig, "ความก้าวหน้าตามขั้นตอน")
    ax.grid(axis="y", visible=False)
    return fig


def district_comparison(
    by_district: pd.DataFrame,
    district_names: dict | None = None,
    *,
    key: str = "district_code",
    row_th: str = "อำเภอ",
) -> Figure:
    """Mean pre and post % of full marks per district (dumbbell), sorted by post; ``key`` and
    ``row_th``: other units (the regions of the nation)."""
    # the table's order (highest first, ties by code), drawn bottom-up
    d = by_district.sort_values(["mean_post_pct", key], ascending=[False, True],
                                na_position="last", kind="stable").iloc[::-1]  # fmt: skip
    fig = _figure(A4_WIDTH_IN, 1.6 + 0.3 * max(len(d), 1))  # room for the legend under it
    ax = _axes(fig)
    y = np.arange(len(d))
    names = [district_names.get(int(c), str(c)) if district_names else str(c) for c in d[key]]
    _bars_between(ax, d["mean_pre_pct"], d["mean_post_pct"])
    _pre_post_marks(ax, d["mean_pre_pct"], d["mean_post_pct"], y, 40,
                    ("เฉลี่ยก่อนพัฒนา", "เฉลี่ยหลังพัฒนา"))  # fmt: skip
    for yi, post in enumerate(d["mean_post_pct"]):
        if pd.notna(post):
            ax.text(post + 1.5, yi, _d(_n(post)), va="center", fontsize=8)
    ax.set_yticks(y, names)
    ax.set_xlim(0, 100)
    ax.set_xlabel("ร้อยละของคะแนนเต็ม (เฉลี่ยของผู้สมัคร)")
    _title(fig, f"เปรียบเทียบคะแนนเฉลี่ยก่อน–หลังพัฒนา ราย{row_th}")
    ax.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncol=2, fontsize=8)  # under the plot: no row hidden
    return fig


LAST_YEAR_COLOR = "#595959"
NOT_READY_COLOR = "#bdbdbd"
NOT_ASSESSED_COLOR = "#ffffff"


def readiness_bars(by_child: pd.DataFrame, names: dict, *, key: str = "district_code",
                   row_th: str = "อำเภอ") -> Figure:  # fmt: skip
    """Stacked bars, one per district, of its applicants: ready (blue), assessed after
    development but not ready (grey), not yet assessed after development (white, outlined);
    sorted by the share ready of all applicants (ties by code), the counts in the segments.
    ``by_child``: ``scoring.summarize`` by district (registered, post_assessed, ready)."""
    d = by_child.assign(
        _share=by_child["ready"] / by_child["registered"].where(by_child["registered"] > 0)
    )
    d = d.sort_values(["_share", key], ascending=[False, True], na_position="last",
                      kind="stable").iloc[::-1]  # fmt: skip
    ready = d["ready"].to_numpy(dtype=float)
    not_ready = (d["post_assessed"] - d["ready"]).to_numpy(dtype=float)
    todo = (d["registered"] - d["post_assessed"]).to_numpy(dtype=float)
    fig = _figure(A4_WIDTH_IN, 1.2 + 0.27 * max(len(d), 1))
    ax = _axes(fig)
    labels = [names.get(int(c), str(c)) for c in d[key]]
    parts = (
        (ready, 0, POST_COLOR, "พร้อมรับการประเมินระดับจังหวัด", "white"),
        (not_ready, ready, NOT_READY_COLOR, "ประเมินหลังพัฒนาแล้ว ยังไม่พร้อม", "black"),
        (todo, ready + not_ready, NOT_ASSESSED_COLOR, "ยังไม่ประเมินหลังพัฒนา", "black"),
    )
    for values, left, color, label, ink in parts:
        bars = ax.barh(labels, values, left=left, color=color, edgecolor="#555555",
                       linewidth=0.5, label=label)  # fmt: skip
        ax.bar_label(bars, labels=[_d(_n(v)) if v else "" for v in values],
                     label_type="center", fontsize=8, color=ink)  # fmt: skip
    total = d["registered"].to_numpy(dtype=float)
    for yi, (r, t) in enumerate(zip(ready, total, strict=True)):
        if t:
            ax.text(t + 0.2, yi, _d(f"{_n(100 * r / t)}%"), va="center", fontsize=8)
    ax.set_xlim(0, max(float(total.max()) if len(total) else 1, 1) * 1.12)
    ax.set_xlabel("จำนวนผู้สมัคร (หน่วยนับ) ตัวเลขท้ายแท่ง: ร้อยละที่พร้อมของผู้สมัครทั้งหมด")
    _title(fig, f"ความพร้อมรับการประเมินระดับจังหวัด ราย{row_th} (เรียงตามร้อยละที่พร้อม)")
    ax.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    return fig


def year_counts(rows: pd.DataFrame, years: list[int], value: str = "registered") -> Figure:
    """Grouped bars: a count (applicants by default) per label and year, this year last in
    blue, earlier years grey and hatched. ``rows``: ``label``, ``year`` and ``value`` columns,
    labels in the order shown (top first)."""
    labels = list(dict.fromkeys(rows["label"]))
    fig = _figure(A4_WIDTH_IN, 1.2 + 0.32 * len(years) * max(len(labels), 1))
    ax = _axes(fig)
    h = 0.8 / max(len(years), 1)
    y0 = np.arange(len(labels))[::-1]
    top = float(rows[value].max() or 0) if len(rows) else 0
    for k, year in enumerate(years):
        v = rows[rows["year"] == year].set_index("label")[value].reindex(labels).fillna(0)
        now = year == years[-1]
        bars = ax.barh(
            y0 + (len(years) - 1 - 2 * k) * h / 2,
            v.to_numpy(dtype=float),
            height=h * 0.92,
            color=POST_COLOR if now else LAST_YEAR_COLOR,
            hatch="" if now else "//",
            edgecolor="white",
            label=_d(f"ปี {year}"),
        )
        ax.bar_label(bars, labels=[_d(f"{int(x)}") for x in v], padding=3, fontsize=8)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 of a unit
    ax.set_yticks(y0, labels)
    ax.set_xlim(0, max(top * 1.18, 1))
    ax.set_xlabel("จำนวนผู้สมัคร (หน่วยนับ)")
    _title(fig, "จำนวนผู้สมัครรายมาตรฐาน เทียบรายปี")
    ax.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncol=len(years), fontsize=8)
    return fig


def _year_slope(rows: pd.DataFrame, last_year: int, year: int, title: str) -> Figure:
    """Dumbbell per label from last year (◇ grey) to this year (■ blue), this year's value and
    the change written on the right; a label with one year only shows that point. The axis
    starts at 0 like every score axis. ``rows``: ``label``,
    ``last``, ``now``, in the order shown (top first)."""
    r = rows.iloc[::-1].reset_index(drop=True)
    fig = _figure(A4_WIDTH_IN, 1.3 + 0.3 * max(len(r), 1))
    ax = _axes(fig)
    y = np.arange(len(r))
    lo = 0.0  # a score axis starts at 0, as in every other chart
    hi = 100.0
    _bars_between(ax, r["last"], r["now"])
    for yi, (a, b) in enumerate(zip(r["last"], r["now"], strict=True)):
        pad = 0.025 * (hi - lo + 12)
        if pd.notna(b):
            change = "" if pd.isna(a) else f" ({_signed(b - a)})"
            right = max(b, a) if pd.notna(a) else b
            ax.text(right + pad, yi, _d(_n(b) + change), va="center", fontsize=8)
        elif pd.notna(a):  # written on the side with room
            left = a > (lo + hi) / 2
            ax.text(a - pad if left else a + pad, yi, _d(f"ปี {year}: ไม่มีผู้ประเมินหลังพัฒนา"),
                    va="center", ha="right" if left else "left", fontsize=8, color="#555555")  # fmt: skip
    _marks(ax, r["last"], y, "D", 34, 2, _d(f"ปี {last_year}"), face="white",
           edge=LAST_YEAR_COLOR, width=1.3)  # fmt: skip
    _marks(ax, r["now"], y, "s", 36, 3, _d(f"ปี {year}"), face=POST_COLOR, edge=POST_COLOR)
    ax.set_yticks(y, [_short(t, 30) for t in r["label"]])
    ax.set_xlim(lo, hi + 16)  # room for the value and change on the right
    ax.set_xticks(np.arange(lo, hi + 0.1, 20))
    ax.set_ylim(-0.7, len(r) - 0.3 if len(r) else 0.7)
    ax.set_xlabel("ร้อยละของคะแนนเต็ม (เฉลี่ยของผู้ประเมินหลังพัฒนา)")
    _title(fig, title)
    ax.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncol=2, fontsize=8)
    return fig


def year_post(rows: pd.DataFrame, last_year: int, year: int) -> Figure:
    """Mean post-development % of full marks last year and this year, all standards then
    each one (``rows``: label, last, now; the report context's ``year_post``)."""
    return _year_slope(rows, last_year, year, "คะแนนเฉลี่ยหลังพัฒนา เทียบกับปีที่ผ่านมา")


def year_districts(rows: pd.DataFrame, last_year: int, year: int) -> Figure:
    """Mean post-development % per district last year and this year, in the order of the
    ranking by change (``rows``: label, last, now; the report context's ``year_districts``)."""
    return _year_slope(rows, last_year, year, "คะแนนเฉลี่ยหลังพัฒนารายอำเภอ เรียงตามการเปลี่ยนแปลง")


def figure_to_svg(fig: Figure) -> str:
    """SVG text of a figure (vector; text as text in the Sarabun family)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def save_figure(fig: Figure, path: str | Path, fmt: str | None = None, dpi: int = 200) -> Path:
    """Save as SVG/PDF (vector) or PNG (at least 150 dpi, for slides), atomically."""
    from mchch_lib.common.atomic import atomic_path

    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    if fmt == "png" and dpi < 150:
        raise ValueError("PNG charts need at least 150 dpi")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi)
    return path


def rating_difference(
    comparison: pd.DataFrame, district_names: dict | None = None, tolerance: float | None = None
) -> Figure:
    """The districts' ratings against the provincial committee's: per district, the mean of
    (district post % − committee %) in percentage points, the band of ±``tolerance`` where
    they agree shaded; a district above the band (over-rating) marked ▲ in the accent colour."""
    from mchch_lib.analysis.final_round import RATING_TOLERANCE_PCT

    tolerance = RATING_TOLERANCE_PCT if tolerance is None else tolerance
    d = comparison.sort_values("mean_difference", na_position="first")
    fig = _figure(A4_WIDTH_IN, 1.9 + 0.22 * max(len(d), 1))
    ax = _axes(fig)
    y = np.arange(len(d))
    names = [
        f"{district_names.get(int(c), c) if district_names else c} ({_d(str(int(n)))})"
        for c, n in zip(d["district_code"], d["n"], strict=True)
    ]
    ax.axvspan(
        -tolerance,
        tolerance,
        color="#e6e6e6",
        zorder=0,
        label=f"ใกล้เคียงกัน (±{_d(f'{tolerance:g}')} จุด)",
    )
    ax.axvline(0, color=FULL_COLOR, linewidth=1.0, zorder=1)
    over = d["mean_difference"] > tolerance
    ax.hlines(y, 0, d["mean_difference"], color="#444444", linewidth=1.0, zorder=2)
    ax.scatter(d.loc[~over, "mean_difference"], y[~over.to_numpy()], marker="o",
               color=POST_COLOR, s=40, zorder=3, label="อำเภอ")  # fmt: skip
    ax.scatter(d.loc[over, "mean_difference"], y[over.to_numpy()], marker="^", color=ACCENT,
               s=60, zorder=4, label="อำเภอให้คะแนนสูงกว่าคณะกรรมการ")  # fmt: skip
    for yi, v in enumerate(d["mean_difference"]):
        ax.text(v + (0.6 if v >= 0 else -0.6), yi, _d(_signed(v)), va="center",
                ha="left" if v >= 0 else "right", fontsize=8)  # fmt: skip
    reach = max([tolerance * 2, *(d["mean_difference"].abs() + 3)]) if len(d) else tolerance * 2
    ax.set_xlim(-reach, reach)
    ax.set_yticks(y, names)
    ax.set_xlabel("ผลต่างเฉลี่ย: ร้อยละที่อำเภอประเมิน − ร้อยละที่คณะกรรมการประเมิน (จุดร้อยละ)")
    _title(fig, "คะแนนของอำเภอเทียบกับคณะกรรมการรับรองระดับจังหวัด (ในวงเล็บ: จำนวนหน่วยนับ)")
    ax.grid(axis="y", visible=False)
    if not len(d):
        ax.text(0.5, 0.5, "ยังไม่มีผลการประเมินของคณะกรรมการ", ha="center", va="center",
                transform=ax.transAxes)  # fmt: skip
        return fig
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return fig
