"""The report's charts in the app, drawn from the figures of the tab's own tables: on the
districts tab the mean pre → post % per district (the report's dumbbell), on the indicators
tab the ten indicators furthest from full marks. Shown as SVG images with the glyphs as paths,
so the browser needs no font to show their Thai."""

from __future__ import annotations

import base64
import html

import pandas as pd

from mchch_lib.analysis import scoring
from mchch_lib.app import views
from mchch_lib.app.views import Selection

#: the tabs with a chart
KEYS = ("districts", "indicators")


def chart_data(ctx, sel: Selection, key: str) -> pd.DataFrame | None:
    """What the tab's chart draws (None: the tab has no chart): the districts' ranking
    figures (every district, of the chosen standard, as the ranking table), or the ten weakest
    indicators of the selection (as the first table of the indicators tab)."""
    if key == "districts":
        a = views._pick(ctx, ctx.applicants, Selection(standard=sel.standard))
        return scoring.summarize(a, by=["district_code"])
    if key == "indicators":
        return scoring.indicator_gaps(views._pick(ctx, ctx.indicators, sel), by=()).head(10)
    return None


def cache_key(sel: Selection, key: str) -> tuple:
    """What the chart of ``key`` depends on (the districts' chart is the same for every
    district chosen)."""
    return (key, sel.standard) if key == "districts" else (key, sel.district, sel.standard)


def figure(ctx, sel: Selection, key: str):
    """The chart of a tab (a matplotlib Figure), None when the tab has none or no data."""
    from mchch_lib.documents import charts

    data = chart_data(ctx, sel, key)
    if data is None or data.empty:
        return None
    if key == "districts":
        return charts.district_comparison(data, ctx.district_names)
    return charts.gap_by_indicator(data)


def chart_html(fig) -> str:
    """The chart as an image of the page (SVG, glyphs as paths), its title as its alt text."""
    import io

    import matplotlib as mpl

    buf = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "path"}):
        fig.savefig(buf, format="svg")
    title = fig.get_suptitle() or "แผนภูมิ"
    b64 = base64.b64encode(buf.getvalue().encode()).decode()
    return (f'<img class="mchch-chart" alt="{html.escape(title)}" '
            f'src="data:image/svg+xml;base64,{b64}">')  # fmt: skip
