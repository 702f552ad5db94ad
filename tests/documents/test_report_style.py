"""The report's official conventions and honest charts, on hand-made cases: the body the size
of 16 pt TH Sarabun New computed from the bundled Sarabun's metrics, margins 3 cm / 2 cm, the
summary boxes on one line; numbers rounded half up alike in a table and in its chart's labels;
score axes from 0; heatmaps with no grey middle, missing and single-unit cells named."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib.text import Text

from mchch_lib import config
from mchch_lib.common import thai
from mchch_lib.documents import charts
from mchch_lib.documents.templating import table_html

CSS = (config.TEMPLATES_DIR / "mchch" / "report.css").read_text(encoding="utf-8")
#: TH Sarabun New's x-height in units of its 1000-unit em (shared/DOMAIN.md: 340 against the
#: Google Sarabun's 500, which the test reads from the bundled font itself).
TH_SARABUN_NEW_X_HEIGHT = 340
OFFICIAL_BODY_PT = 16


def _pt(selector: str, prop: str = "font-size") -> float:
    block = re.search(r"(?m)^" + re.escape(selector) + r"\s*\{([^}]*)\}", CSS).group(1)
    return float(re.search(prop + r":\s*([\d.]+)pt", block).group(1))


def test_body_is_the_size_of_16_pt_th_sarabun_new_from_the_fonts_metrics():
    from fontTools.ttLib import TTFont

    font = TTFont(config.FONTS_DIR / "Sarabun-Regular.ttf")
    x_height = font["OS/2"].sxHeight * 1000 / font["head"].unitsPerEm
    assert x_height == 500
    want = OFFICIAL_BODY_PT * TH_SARABUN_NEW_X_HEIGHT / x_height  # 10.88 pt
    assert want == pytest.approx(10.88)
    body = _pt("html")
    assert abs(body - want) <= 0.25
    # headings in proportion: larger than the body, the cover's title the largest
    assert body < _pt("h3") < _pt("h2") < _pt("h1") <= _pt(".cover h1")
    assert _pt("table") < body


def test_margins_are_3_cm_left_and_2_cm_right():
    margin = re.search(r"@page\s*\{[^@]*?margin:\s*([^;]+);", CSS).group(1).split()
    top, right, bottom, left = margin
    assert (left, right) == ("30mm", "20mm")


def test_the_summary_boxes_stay_on_one_line():
    kpis = re.search(r"\.kpis\s*\{([^}]*)\}", CSS).group(1)
    assert "flex-wrap: nowrap" in kpis


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_a_table_and_its_chart_round_half_up_alike():
    """64.5, 59.5 and 66.5: the table's one decimal and the chart's whole number both round half
    up (banker's rounding would give "64" and "66" beside "60")."""
    values = [64.5, 59.5, 66.5, 12.5]
    table = table_html(pd.DataFrame({"v": values}), {"v": "ค่า"}, {"v": "int"})
    for v, want in zip(values, ["65", "60", "67", "13"], strict=True):
        assert f">{want}</td>" in table
        assert thai.format_number(v, 0) == want
    by = pd.DataFrame(
        {"district_code": [1, 2, 3, 4], "standard": ["leader"] * 4,
         "mean_post_pct": values, "post_assessed": [2, 2, 2, 2]}
    )  # fmt: skip
    labels = _texts(charts.standard_heatmap(by))
    for want in ["65", "60", "67", "13"]:
        assert want in labels
    assert "64" not in labels and "66" not in labels


def test_readiness_bars_are_sorted_and_label_shares_half_up():
    by = pd.DataFrame(
        {"district_code": [1, 2, 3], "registered": [8, 4, 4], "post_assessed": [4, 4, 2],
         "ready": [1, 3, 3]}
    )  # fmt: skip
    fig = charts.readiness_bars(by, {1: "ก", 2: "ข", 3: "ค"})
    ax = fig.axes[0]
    order = [t.get_text() for t in ax.get_yticklabels()][::-1]  # top first
    assert order == ["ข", "ค", "ก"]  # 75 %, 75 % (tie: by code), 12.5 %
    assert "13%" in _texts(fig)  # 12.5 half up, not 12


def test_year_comparison_axis_starts_at_zero():
    rows = pd.DataFrame({"label": ["ทุกมาตรฐาน", "ผู้นำชุมชน"], "last": [62.0, 70.0],
                         "now": [66.5, 72.0]})  # fmt: skip
    fig = charts.year_post(rows, 2561, 2562)
    assert fig.axes[0].get_xlim()[0] == 0
    assert any(t.startswith("67") for t in _texts(fig))


def test_heatmap_names_missing_and_single_unit_cells_and_has_no_grey_middle():
    from matplotlib import colormaps

    by = pd.DataFrame(
        {"district_code": [1, 1, 2], "standard": ["leader", "group", "leader"],
         "mean_post_pct": [70.0, 55.0, 80.0], "post_assessed": [1, 3, 2]}
    )  # fmt: skip
    texts = _texts(charts.standard_heatmap(by))
    assert charts.MISSING_TH in texts  # district 2 has no group
    assert "70*" in texts and "55" in texts and "80" in texts
    assert any(charts.SINGLE_TH in t for t in texts)
    r, g, b, _ = colormaps[charts.SCORE_CMAP](0.5)
    assert max(r, g, b) - min(r, g, b) > 0.2  # the middle is a colour, not a grey


def test_a_wide_heatmap_leaves_its_numbers_to_the_table():
    rows = [{"district_code": 1, "standard": "leader", "indicator_id": f"L{i}", "name_th": "x",
             "mean_gap_pct": 10.0 + i, "n": 1 if i == 1 else 3} for i in range(1, 15)]  # fmt: skip
    fig = charts.gap_heatmap(pd.DataFrame(rows))
    cell_numbers = [t for t in _texts(fig) if re.fullmatch(r"\d+\*?", t)]
    small = [t for t in fig.findobj(Text) if t.get_text() and t.get_fontsize() < 7]
    assert not small
    assert not [t for t in cell_numbers if t in {str(10 + i) for i in range(1, 15)}] or all(
        int(t) % 10 == 0 for t in cell_numbers
    )  # only the colour bar's ticks are numbers


def test_charts_of_one_row_keep_their_layout():
    """A region with one row (the national report): the legend under the plot leaves it room
    (a collapsed layout warns, and the warning would print in the PDF's annex)."""
    import warnings

    one = pd.DataFrame({"district_code": [1], "mean_pre_pct": [50.0], "mean_post_pct": [60.0],
                        "registered": [4], "post_assessed": [3], "ready": [2]})  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (
            charts.district_comparison(one, {1: "ก"}),
            charts.readiness_bars(one, {1: "ก"}),
        ):
            charts.figure_to_svg(fig)
