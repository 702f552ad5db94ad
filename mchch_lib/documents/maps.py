"""Choropleth maps in the house style (matplotlib, Sarabun, the report's blue): a province's
districts, or the nation's provinces with the regions outlined, shaded by a figure in fixed
classes, the units that sent nothing hatched and labelled "ไม่ส่งข้อมูล", north up, a legend
with the unit and a caption with the sources. Vector (SVG with text as text in the PDF).

The API the reports, the deck and the web app share::

    maps.values(ctx, "post_pct")        # a row per unit: code, name_th, value, class, colour
    maps.choropleth(ctx, "post_pct")    # the Figure (districts of a province / provinces)
    maps.choropleth(ctx, "post_pct", width=12.1, text_scale=2, titled=False)  # on a slide
    maps.classify(values, "post_pct")   # the class of each value (-1: no value)
    maps.FIGURES                        # the figures that can be mapped, their classes

The boundaries are :mod:`mchch_lib.data.boundaries` (drawn with matplotlib paths, no GDAL).
Names come from the reference tables. A unit in the data with no shape, or a shape with no unit
in the reference, is named in a warning (:class:`MapWarning`) and in the caption, and drawn as
missing; a report never fails for a map.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from mchch_lib.data import boundaries
from mchch_lib.documents import charts

#: The classes' colours, light to dark (ColorBrewer Blues without its near-white end): the
#: lightest class is still clearly blue, so no class looks like a unit with no data (white,
#: hatched). Not cividis as the heatmaps: its middle is grey and reads as "missing" on a map.
BLUES = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
EDGE = "#6b6b6b"
MISSING_HATCH = "////"
NOT_SENT_TH = "ไม่ส่งข้อมูล"
NO_VALUE_TH = "ส่งข้อมูลแต่ยังไม่มีค่า"
#: the attribution in Thai (the report speaks Thai; the English one is in resources/maps/NOTICE)
SOURCE_TH = (
    "ขอบเขต: กรมแผนที่ทหาร เผยแพร่โดยสำนักงานประสานงานกิจการด้านมนุษยธรรมแห่งสหประชาชาติ"
    " (สัญญาอนุญาตครีเอทีฟคอมมอนส์ แสดงที่มา 3.0) ปรับให้เรียบโดยโครงการแม็ปไทย (สัญญาอนุญาตเอ็มไอที)"
)

#: The layout in inches at the report's size: the title's band, the caption's line, the
#: map's share of the width (the legend and the key of numbered names on its right), a line
#: of the key, the map's largest height.
_TITLE_IN, _CAPTION_LINE_IN, _MAP_SHARE, _KEY_LINE_IN = 0.5, 0.13, 0.6, 0.15
MAP_HEIGHT_IN = 7.2


class MapWarning(UserWarning):
    """A unit of the data without a boundary, or a boundary without a unit: the map is drawn
    with it missing (a warning in the report's annex, never a failure)."""


@dataclass(frozen=True)
class MapFigure:
    """A figure that can be mapped: its title, its unit (the legend says it), where it is in
    the roll-up (``column`` times ``scale``) and its class edges (fixed, so maps compare)."""

    key: str
    title_th: str
    unit_th: str
    column: str
    bins: tuple[float, ...]
    scale: float = 1.0

    @property
    def colours(self) -> list[str]:
        n = len(self.bins) - 1
        return [BLUES[int(i)] for i in np.round(np.linspace(0, len(BLUES) - 1, n))]

    @property
    def labels(self) -> list[str]:
        """The classes as the legend writes them: "< 50", "50–<60", …, "90–100"."""
        b = [charts._d(charts._n(v)) for v in self.bins]
        out = []
        for i in range(len(self.bins) - 1):
            if self.bins[i] == self.bins[i + 1]:
                out.append(b[i])
            elif i == 0 and self.bins[0] == 0 and len(self.bins) > 3:
                out.append(f"< {b[1]}")
            elif i == len(self.bins) - 2:
                out.append(f"{b[i]}–{b[i + 1]}")
            else:
                out.append(f"{b[i]}–<{b[i + 1]}")
        return out


FIGURES = {
    f.key: f
    for f in (
        MapFigure(
            "post_pct",
            "คะแนนเฉลี่ยหลังพัฒนา",
            "ร้อยละของคะแนนเต็ม",
            "mean_post_pct",
            (0, 50, 60, 70, 80, 90, 100),
        ),
        MapFigure(
            "ready_pct",
            "ผู้สมัครที่พร้อมรับการประเมินระดับจังหวัด",
            "ร้อยละของผู้สมัคร",
            "share_ready_registered",
            (0, 20, 40, 60, 80, 100),
            scale=100.0,
        ),
        MapFigure(
            "reporting_pct",
            "อำเภอที่ส่งข้อมูล",
            "ร้อยละของอำเภอที่ควรส่ง",
            "reporting_rate_pct",
            (0, 50, 75, 100, 100),
        ),
    )  # fmt: skip
}


def _figure_of(figure: str | MapFigure) -> MapFigure:
    return figure if isinstance(figure, MapFigure) else FIGURES[figure]


def classify(values, figure: str | MapFigure = "post_pct") -> np.ndarray:
    """The class index of each value (0 = lowest class; -1 = no value): the class ``c`` is
    ``bins[c] <= v < bins[c + 1]``, the last class closed (100 is in "90–100")."""
    f = _figure_of(figure)
    v = np.asarray(values, dtype=float)
    inner = np.asarray(f.bins[1:-1], dtype=float)
    k = np.searchsorted(inner, v, side="right")
    return np.where(np.isnan(v), -1, np.minimum(k, len(f.bins) - 2)).astype(int)


def class_colour(k: int, figure: str | MapFigure = "post_pct") -> str | None:
    """The colour of a class (None for -1, no value)."""
    return None if k < 0 else _figure_of(figure).colours[k]


# ---------------------------------------------------------------- the values per unit
def values(ctx, figure: str | MapFigure = "post_pct") -> pd.DataFrame:
    """A row per unit of the map (the districts of a province, the provinces of the nation,
    from the reference table, plus any unit of the data it does not have): ``code``,
    ``name_th``, ``sent`` (the unit sent data), ``value``, ``class_index``, ``class_label``
    and ``colour`` (None: drawn as missing). The table beside a map, and what an interactive
    map colours its shapes by."""
    f = _figure_of(figure)
    if ctx.is_nation:
        from mchch_lib.data.reference import provinces

        names = {c: p.name_th for c, p in provinces().items()}
        key, t = "province_code", ctx.by_level("province")
    else:
        names = dict(ctx.district_names)
        key, t = "district_code", ctx.by_district
    # sent: a district with data (completeness); a province with a district that sent. A
    # province out of the run's scope, or held back, has no row: not sent, as one that sent
    # nothing
    done = ctx.completeness
    sent = set(done.loc[done["has_data"].astype(bool), key].astype(int))
    t = t.set_index(t[key].astype(int))
    codes = sorted(set(names) | set(t.index))
    out = pd.DataFrame({"code": codes})
    out["name_th"] = [names.get(c, str(c)) for c in codes]
    out["sent"] = out["code"].isin(sent)
    col = t[f.column] * f.scale if f.column in t else pd.Series(dtype=float)
    out["value"] = out["code"].map(col).astype(float)
    out.loc[~out["sent"], "value"] = np.nan
    out["class_index"] = classify(out["value"], f)
    out["class_label"] = [f.labels[k] if k >= 0 else "" for k in out["class_index"]]
    out["colour"] = pd.Series([class_colour(k, f) for k in out["class_index"]], dtype=object)
    return out


# ---------------------------------------------------------------- the map
def choropleth(
    ctx,
    figure: str = "post_pct",
    width: float = charts.A4_WIDTH_IN,
    *,
    text_scale: float = 1.0,
    map_height: float = MAP_HEIGHT_IN,
    titled: bool = True,
) -> Figure:
    """The map of a report's units shaded by ``figure`` (a key of :data:`FIGURES`): the
    districts of a province with their names, or the provinces of the nation with the regions
    outlined (a province out of the run, or that sent nothing, hatched as not sent).
    ``width`` in inches; the deck asks for its own width, ``text_scale`` (2: every text twice
    the report's size, for a projector), the map's largest height and no title (the slide's
    title says it)."""
    f = _figure_of(figure)
    table = values(ctx, f)
    year = charts._d(str(ctx.params.year))
    style = {"width": width, "text_scale": text_scale, "map_height": map_height}
    if ctx.is_nation:
        from mchch_lib.analysis.completeness import region_code
        from mchch_lib.data.reference import provinces

        shapes = boundaries.province_shapes()
        groups = {c: region_code(p.region_en) for c, p in provinces().items()}
        title = f"{f.title_th} รายจังหวัด ปี {year}" if titled else None
        return draw(table, shapes, f, title, "จังหวัด", outline=boundaries.outline(groups),
                    labels=False, notes=_run_notes(ctx), **style)  # fmt: skip
    shapes = boundaries.district_shapes(ctx.province.code)
    title = f"{f.title_th} รายอำเภอ {ctx.place_th} ปี {year}" if titled else None
    edge = boundaries.outline(dict.fromkeys(shapes, 0), level="district")
    return draw(table, shapes, f, title, "อำเภอ", outline=edge, **style)


def _run_notes(ctx) -> list[str]:
    """The caption's lines on a national run that did not cover the country: how many
    provinces it covered (the others drawn as not sent) and those held back by their data
    errors (they sent data, but are in no figure)."""
    data = getattr(ctx.national, "data", None)
    if data is None:
        return []
    from mchch_lib.data.reference import provinces

    out = []
    if len(data.scope) < len(provinces()):
        out.append(f"รอบนี้ประมวลผล {charts._d(str(len(data.scope)))} จาก "
                   f"{charts._d(str(len(provinces())))} จังหวัด จังหวัดอื่นแสดงเป็นไม่ส่งข้อมูล")  # fmt: skip
    if data.held:
        names = ", ".join(provinces()[c].name_th for c in sorted(data.held))
        out.append(f"จังหวัดที่ข้อมูลมีข้อผิดพลาด ยังไม่รวมในแผนที่ (แสดงเป็นไม่ส่งข้อมูล): {names}")
    return out


def district_choropleth(ctx, figure: str = "post_pct") -> Figure:
    """A province's districts shaded by ``figure`` ("post_pct", "ready_pct")."""
    return choropleth(ctx, figure)


def province_choropleth(ctx, figure: str = "post_pct") -> Figure:
    """The nation's provinces shaded by ``figure`` ("post_pct", "reporting_pct")."""
    return choropleth(ctx, figure)


def _warn(notes: list[str], note_th: str, message: str) -> None:
    notes.append(note_th)
    warnings.warn(message, MapWarning, stacklevel=4)


def _check(table: pd.DataFrame, shapes: dict, unit_th: str) -> list[str]:
    """Warn of the units without a shape, the shapes without a unit, and a map where no unit
    sent anything; returns the Thai notes the caption adds."""
    notes: list[str] = []
    no_shape = ", ".join(str(c) for c in table["code"] if c not in shapes)
    if no_shape:
        _warn(notes, f"{unit_th}ที่ไม่มีขอบเขตในแผนที่: {no_shape}",
              f"แผนที่: {unit_th} {no_shape} ไม่มีขอบเขตในไฟล์แผนที่ จึงไม่ได้แสดง / map: no "
              f"boundary for {no_shape} in the map file; left off the map")  # fmt: skip
    extra = ", ".join(str(c) for c in sorted(set(shapes) - set(table["code"])))
    if extra:
        _warn(notes, f"ขอบเขตที่ไม่มีในตารางอ้างอิง: {extra}",
              f"แผนที่: ขอบเขต {extra} ไม่มีในตารางอ้างอิง{unit_th} แสดงเป็นไม่มีข้อมูล / map: "
              f"boundary {extra} is not in the reference table; drawn as missing")  # fmt: skip
    if not table["sent"].any():
        _warn(notes, f"ไม่มี{unit_th}ใดส่งข้อมูล",
              f"แผนที่: ไม่มี{unit_th}ใดส่งข้อมูล ทุก{unit_th}แสดงเป็นไม่ส่งข้อมูล / map: no unit "
              "sent data; every unit drawn as not sent")  # fmt: skip
    return notes


def _path(shape: boundaries.Shape):
    """One compound path of a shape (holes wound the other way, so they stay empty)."""
    from matplotlib.path import Path

    rings = shape.rings
    verts = np.concatenate(rings)
    codes = np.full(len(verts), Path.LINETO, dtype=np.uint8)
    start = 0
    for r in rings:
        codes[start] = Path.MOVETO
        codes[start + len(r) - 1] = Path.CLOSEPOLY
        start += len(r)
    return Path(verts, codes)


def _style(row) -> dict:
    """Fill of a unit: its class colour; white hatched if it sent nothing; white if it sent
    data but has no value of the figure."""
    if row is None or not row.sent:
        return {"facecolor": "white", "hatch": MISSING_HATCH}
    if not isinstance(row.colour, str):
        return {"facecolor": "white", "hatch": None}
    return {"facecolor": row.colour, "hatch": None}


def draw(
    table: pd.DataFrame,
    shapes: dict,
    figure: str | MapFigure,
    title: str | None,
    unit_th: str = "อำเภอ",
    *,
    outline: list | None = None,
    labels: bool = True,
    width: float = charts.A4_WIDTH_IN,
    text_scale: float = 1.0,
    map_height: float = MAP_HEIGHT_IN,
    notes: list[str] | None = None,
) -> Figure:
    """Draw a ``values`` table on its shapes: each unit a path (``gid`` "unit-<code>" in the
    SVG) in its class colour, the ``outline`` segments (the province's edge, the regions)
    over them, names written where they fit (else numbered, with a key), the legend, a north
    arrow and the caption with the sources (and ``notes``). ``title`` None: no title (a slide
    has its own); every text is ``text_scale`` times the report's size."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import PathPatch

    f = _figure_of(figure)
    notes = [*(notes or []), *_check(table, shapes, unit_th)]
    rows = {r.code: r for r in table.itertuples(index=False)}
    top = _TITLE_IN * text_scale if title else 0.1
    fig, ax, layout = _canvas(shapes, width, map_height, top, text_scale)
    for code, shape in shapes.items():
        patch = PathPatch(_path(shape), edgecolor=EDGE, linewidth=0.5, **_style(rows.get(code)))
        patch.set_gid(f"unit-{code}")
        ax.add_patch(patch)
    if outline:
        ax.add_collection(LineCollection(outline, colors="#222222", linewidths=1.2))
    _north_arrow(ax, text_scale)
    key = _names(fig, ax, shapes, rows, text_scale) if labels else []
    caption = ["ที่มา: ข้อมูล มชช. ที่อำเภอส่ง", SOURCE_TH, *notes]
    legend = _legend(fig, f, table, text_scale)
    _arrange(fig, ax, layout, legend, _key_texts(fig, key, unit_th, text_scale), len(caption))
    if title:
        charts._title(fig, title)
    fig.text(0.01, 0.06 / fig.get_figheight(), "\n".join(caption), fontsize=6.5 * text_scale,
             color="#444444", va="bottom", linespacing=1.25)  # fmt: skip
    return fig


def _canvas(shapes: dict, width: float, map_height: float, top: float, text_scale: float):
    """The figure and the map's axes, sized to the shapes' extent (degrees, north up, the
    longitude shrunk by the cosine of the middle latitude); the layout in inches."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from mchch_lib.common.fonts import register_fonts

    register_fonts()
    boxes = np.array([s.bbox for s in shapes.values()]) if shapes else np.array([[0, 0, 1, 1]])
    x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
    x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
    aspect = 1 / np.cos(np.radians((y0 + y1) / 2))
    pad_x, pad_y = 0.03 * (x1 - x0) + 1e-3, 0.03 * (y1 - y0) + 1e-3
    ratio = (y1 - y0 + 2 * pad_y) * aspect / (x1 - x0 + 2 * pad_x)
    map_w = width * _MAP_SHARE
    map_h = float(np.clip(map_w * ratio, min(2.6, map_height), map_height))
    map_w = min(map_w, map_h / ratio)
    fig = Figure(figsize=(width, map_h + top + 3 * _CAPTION_LINE_IN * text_scale + 0.1))
    FigureCanvasAgg(fig)  # a renderer to measure the names with
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0 - pad_x, x1 + pad_x)
    ax.set_ylim(y0 - pad_y, y1 + pad_y)
    ax.set_aspect(aspect, adjustable="datalim", anchor="N")
    ax.set_axis_off()
    layout = {"map_w": map_w, "map_h": map_h, "top": top, "scale": text_scale}
    _place_map(fig, ax, layout)
    return fig, ax, layout


def _place_map(fig, ax, layout: dict) -> None:
    """The map's axes under the title band, at its size in inches whatever the height."""
    w, h = fig.get_figwidth(), fig.get_figheight()
    bottom = h - layout["top"] - layout["map_h"]
    ax.set_position((0.05 / w, bottom / h, layout["map_w"] / w, layout["map_h"] / h))


def _arrange(fig, ax, layout: dict, legend, key: list, caption_lines: int) -> None:
    """Right of the map: the legend, then the key of numbered names beside it where there is
    room (a slide: as many columns as the width holds, the figure made wider when the key
    needs more than the map's height), else under it in columns of ``_KEY_ROWS``; the figure
    made tall enough for them and the caption under the map (the map keeps its size, so the
    names already placed stay where they fit)."""
    r, dpi, s = fig.canvas.get_renderer(), fig.dpi, layout["scale"]
    box = legend.get_window_extent(r)
    leg_w, leg_h = box.width / dpi, box.height / dpi
    x0, top = 0.05 + layout["map_w"] + 0.15, layout["top"]
    line = _KEY_LINE_IN * s
    gap = 0.15 * s  # between columns
    col_w = max((t.get_window_extent(r).width / dpi for t in key), default=0) + gap
    n = max(len(key) - 1, 0)  # the first text is the key's heading
    kx, ky = x0 + leg_w + gap, top
    room = fig.get_figwidth() - kx - 0.05 + gap  # the last column needs no gap
    if room >= col_w:  # beside the legend, as tall as the map
        fit = max(int(layout["map_h"] / line) - 2, 1)
        cols = max(1, int(room // col_w))
        if n > cols * fit:  # wider rather than taller: a slide shrinks it less
            cols = -(-n // fit)
            fig.set_figwidth(kx + cols * col_w - gap + 0.05)
        rows = max(-(-n // cols), min(n, fit), 1)
    else:  # under the legend, in columns of ``_KEY_ROWS``
        kx, ky = x0 + 0.05, top + leg_h + 0.1 * s
        rows = max(min(n, _KEY_ROWS), 1)
    bottom = ky + (rows + 1.2) * line if n else 0
    need = max(top + layout["map_h"] + 0.1, top + leg_h + 0.1, bottom)
    fig.set_figheight(need + caption_lines * _CAPTION_LINE_IN * s + 0.15)
    w, h = fig.get_figwidth(), fig.get_figheight()
    _place_map(fig, ax, layout)
    legend.set_bbox_to_anchor((x0 / w, 1 - top / h), transform=fig.transFigure)
    for i, t in enumerate(key):  # a text per line: even steps whatever the tone marks
        col, row = divmod(i - 1, rows) if i else (0, -1.2)
        t.set_position(((kx + col * col_w) / w, 1 - (ky + (1.2 + row) * line) / h))


def _legend(fig, f: MapFigure, table: pd.DataFrame, scale: float):
    """Classes high to low, then the hatch of the units that sent nothing (always: it says
    what the hatching means) and, when there is one, the blank of a unit with no value."""
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=c, edgecolor=EDGE, linewidth=0.5, label=lbl)
        for c, lbl in zip(f.colours[::-1], f.labels[::-1], strict=True)
    ]
    handles.append(Patch(facecolor="white", edgecolor=EDGE, hatch=MISSING_HATCH,
                         linewidth=0.5, label=NOT_SENT_TH))  # fmt: skip
    if (table["sent"] & table["colour"].isna()).any():
        handles.append(Patch(facecolor="white", edgecolor=EDGE, linewidth=0.5, label=NO_VALUE_TH))
    return fig.legend(
        handles=handles,
        title=f"{f.title_th}\n({f.unit_th})",
        loc="upper left",
        bbox_to_anchor=(0.5, 1.0),  # placed with the key (``_arrange``)
        fontsize=8 * scale,
        title_fontsize=8 * scale,
        alignment="left",
        handlelength=1.6,
        handleheight=1.1,
    )


def _north_arrow(ax, scale: float) -> None:
    ax.annotate("N", xy=(0.97, 0.99), xytext=(0.97, 0.88), xycoords="axes fraction",
                ha="center", va="center", fontsize=9 * scale, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "#222222",
                            "linewidth": 1.2 * scale})  # fmt: skip


def _names(fig, ax, shapes: dict, rows: dict, scale: float) -> list[str]:
    """Write each unit's name (with its value, or "ไม่ส่งข้อมูล") inside it, largest units
    first, at the first of its label points where the text's box lies inside the unit and
    clear of the names already written; else a number, listed in the key with its value or
    "ไม่ส่งข้อมูล". Returns the key's lines."""
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    to_data = ax.transData.inverted()
    placed: list = []
    key: list[str] = []
    for code in sorted(shapes, key=lambda c: -_extent(shapes[c])):
        shape, row = shapes[code], rows.get(code)
        name = row.name_th if row is not None else str(code)
        value = None if row is None or np.isnan(row.value) else charts._d(charts._n(row.value, 1))
        note = value if value else (None if row is not None and row.sent else NOT_SENT_TH)
        t = ax.text(0, 0, "", ha="center", va="center", fontsize=7 * scale, linespacing=1.0,
                    color=_ink(row))  # fmt: skip
        if note == NOT_SENT_TH:  # legible on the hatching
            t.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.9})
        # a value may be left off where the name alone fits; "not sent" never is
        texts = [f"{name}\n{note}"] + ([name] if note != NOT_SENT_TH else []) if note else [name]
        if _place(t, texts, shape, placed, renderer, to_data, scale):
            continue
        number = charts._d(str(len(key) + 1))
        t.set_text(number)
        t.set_position(shape.label_point)
        t.set_fontweight("bold")
        placed.append(t.get_window_extent(renderer))
        key.append(f"{number} {name}" + (f" ({note})" if note else ""))
    return key


def _place(t, texts: list[str], shape, placed: list, renderer, to_data, scale: float) -> bool:
    """Put ``t`` at the first text, size and point that fit (inside the unit, no overlap):
    the name and value at 7 pt, the name alone (unless it sent nothing), then the last of
    them at 6 pt (times ``scale``)."""
    for text, size in [*((x, 7) for x in texts), (texts[-1], 6)]:
        t.set_text(text)
        t.set_fontsize(size * scale)
        for point in shape.label_points:
            t.set_position(point)
            box = t.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in placed) and _fits(box, to_data, shape):
                placed.append(box)
                return True
    t.set_fontsize(7 * scale)
    return False


def _extent(shape: boundaries.Shape) -> float:
    w, s, e, n = shape.bbox
    return (e - w) * (n - s)


def _ink(row) -> str:
    """White on the three darkest classes, else near-black."""
    if row is None or not isinstance(row.colour, str) or not row.sent:
        return "#222222"
    return "white" if BLUES.index(row.colour) >= 4 else "#222222"


def _fits(box, to_data, shape: boundaries.Shape) -> bool:
    """Whether a text's box (display units) lies inside the unit: its corners and the
    middles of its sides are all inside one of the unit's polygons."""
    xs = (box.x0, (box.x0 + box.x1) / 2, box.x1)
    ys = (box.y0, (box.y0 + box.y1) / 2, box.y1)
    pts = to_data.transform([(x, y) for x in xs for y in ys if (x, y) != (xs[1], ys[1])])
    for poly in shape.polygons:
        if all(boundaries.contains(poly[0], p) for p in pts):
            return True
    return False


#: Lines per column of the key of numbered names, at the most, when it is not longer.
_KEY_ROWS = 20


def _key_texts(fig, key: list[str], unit_th: str, scale: float) -> list:
    """The key of the numbered names as texts (its heading first), placed by ``_arrange``."""
    if not key:
        return []
    head = fig.text(0, 0, f"{unit_th}ที่ใช้หมายเลข", fontsize=7.5 * scale, fontweight="bold",
                    va="top")  # fmt: skip
    return [head, *(fig.text(0, 0, k, fontsize=7 * scale, va="top", ha="left") for k in key)]
