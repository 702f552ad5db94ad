"""Heatmaps drawn lean (mchch_lib.documents.heatmaps): WeasyPrint's cost grows with the SVG's
element count, so the cells are one path per colour, not one per cell (a districts ×
indicators heatmap had ~2,000 elements); the picture and the numbers stay what they were: each
cell's colour is the one ``pcolormesh`` gives, and the cell numbers read back from the PDF in
the table's order."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize, to_hex

from mchch_lib.documents import charts, heatmaps


def _gaps(n_districts: int, n_indicators: int, values=(5.0, 25.0, 60.0)) -> pd.DataFrame:
    """A districts × indicators gap table with a few distinct values (as the sample's: gaps are
    means of whole scores) and one missing cell and one single-unit cell."""
    rows = [{"district_code": d, "standard": "leader", "indicator_id": f"L{i}", "name_th": "x",
             "mean_gap_pct": values[(d + i) % len(values)], "n": 1 if (d, i) == (1, 2) else 3}
            for d in range(1, n_districts + 1) for i in range(1, n_indicators + 1)
            if (d, i) != (2, 3)]  # fmt: skip
    return pd.DataFrame(rows)


def _count(svg: str, tag: str) -> int:
    return len(re.findall(rf"<{tag}[\s>]", svg))


def test_the_cells_are_one_path_per_colour_not_one_per_cell():
    """15 × 50 cells (the province's gap heatmap): before, ~1,500 cell paths (two meshes) and
    ~280 dots; now the path count is that of a 3 × 4 heatmap of the same colours plus nothing
    per cell."""
    big = charts.figure_to_svg(charts.gap_heatmap(_gaps(15, 50)))
    small = charts.figure_to_svg(charts.gap_heatmap(_gaps(3, 4)))
    assert _count(big, "path") <= _count(small, "path") + 2  # a dot ink the small one lacks
    assert _count(big, "path") < 120  # colour bar 64 bands, 4 cell colours, grid, dots, keys
    assert _count(big, "use") < 10  # no marker <use> per dot or per tick
    total = len(re.findall(r"<\w+", big))
    assert total < 450, total  # per-cell drawing made it over 2,000


def test_each_cell_has_the_colour_pcolormesh_gives_it():
    vals = np.array([[0.0, 35.0, np.nan], [70.0, 35.0, 99.0]])
    got = heatmaps.cell_colours(vals, charts.GAP_CMAP, (0, 70))
    norm, cmap = Normalize(0, 70), colormaps[charts.GAP_CMAP]
    for (i, j), v in np.ndenumerate(vals):
        want = heatmaps.MISSING_CELL if np.isnan(v) else to_hex(cmap(norm(v)))
        assert got[i, j] == want
    assert got[1, 2] == got[1, 0] == to_hex(cmap(1.0))  # above the scale: its darkest colour


def test_cells_of_one_colour_in_a_row_are_one_rectangle():
    mask = np.array([[True, True, False, True], [False, False, False, False], [True] * 4])
    path = heatmaps._rectangles(mask)
    boxes = [poly[:4] for poly in path.to_polygons(closed_only=False)]
    spans = sorted((b[:, 1].min(), b[:, 1].max(), b[:, 0].min(), b[:, 0].max()) for b in boxes)
    # (top, bottom, left, right): row 0 columns 0-1 and 3, row 2 whole, row 1 nothing
    assert spans == [(0, 1, 0, 2), (0, 1, 3, 4), (2, 3, 0, 4)]
    assert len(heatmaps._rectangles(np.zeros((2, 2), bool)).vertices) == 0


def test_the_svg_cells_carry_exactly_the_colours_of_the_values():
    by = pd.DataFrame(
        {"district_code": [1, 1, 2, 2], "standard": ["leader", "group"] * 2,
         "mean_post_pct": [70.0, 55.0, 70.0, np.nan], "post_assessed": [2, 3, 2, 0]}
    )  # fmt: skip
    svg = charts.figure_to_svg(charts.standard_heatmap(by.dropna()))
    cells = re.search(r'<g id="PathCollection_1">(.*?)</g>', svg, re.S).group(1)
    fills = re.findall(r"fill: (#[0-9a-f]{6})", cells)
    cmap, norm = colormaps[charts.SCORE_CMAP], Normalize(0, 100)
    assert sorted(fills) == sorted({to_hex(cmap(norm(70))), to_hex(cmap(norm(55))),
                                    heatmaps.MISSING_CELL})  # fmt: skip


def test_cell_numbers_read_back_from_the_pdf_row_by_row():
    from pypdf import PdfReader

    from mchch_lib import config
    from mchch_lib.render.exporters import html_to_pdf_bytes, report_css

    by = pd.DataFrame(
        {"district_code": [1, 1, 2, 2, 3], "standard": ["leader", "group"] * 2 + ["leader"],
         "mean_post_pct": [64.5, 12.0, 83.0, 91.0, 47.0], "post_assessed": [2, 1, 2, 2, 2]}
    )  # fmt: skip
    svg = charts.figure_to_svg(charts.standard_heatmap(by, {1: "ก", 2: "ข", 3: "ค"}))
    src = base64.b64encode(svg.encode()).decode()
    html = (f"<html><head><style>{report_css()}</style></head><body>"  # the report's fonts
            f'<img src="data:image/svg+xml;base64,{src}"></body></html>')  # fmt: skip
    pdf = html_to_pdf_bytes(html, base_url=config.FONTS_DIR.as_uri() + "/")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    numbers = re.findall(r"\b\d+\*?(?=\s|$)", text)
    cells = [n for n in numbers if n in {"65", "12*", "83", "91", "47"}]
    assert cells == ["65", "12*", "83", "91", "47"], text  # half up, * one unit, row by row
    assert charts.MISSING_TH in text  # district 3 has no group
    assert "จากผู้สมัครรายเดียว" in text


def test_a_dumbbells_bars_are_one_path_and_its_marks_no_group_each():
    """The dumbbells (district comparison, year comparison, pre–post): the bars of all rows one
    path, each mark one ``<use>`` (a scatter wrapped each in its own clipped group)."""

    def svg(n: int) -> str:
        by = pd.DataFrame({"district_code": range(1, n + 1),
                           "mean_pre_pct": np.linspace(30, 60, n),
                           "mean_post_pct": np.linspace(50, 90, n)})  # fmt: skip
        return charts.figure_to_svg(charts.district_comparison(by))

    small, big = svg(3), svg(15)
    assert _count(big, "path") == _count(small, "path")  # the rows add no path
    assert _count(big, "use") - _count(small, "use") == 2 * 12  # a mark per value
    assert big.count("<g clip-path") == small.count("<g clip-path")
    rows = pd.DataFrame({"label": ["ก", "ข", "ค"], "last": [50.0, np.nan, 70.0],
                         "now": [60.0, 40.0, np.nan]})  # fmt: skip
    year = charts.figure_to_svg(charts.year_post(rows, 2561, 2562))
    bars = [p for p in re.findall(r'<path d="([^"]*)"[^>]*stroke: #444444', year)]
    assert len(bars) == 1 and bars[0].count("M") == 1  # one row has both years: one bar
