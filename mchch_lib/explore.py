"""The planners' explorer (``notebooks/explore.ipynb``): ipywidgets selectors for district,
standard, indicator and round driving the library's tables and charts. Run by papermill (no
browser to draw widgets) it degrades to static tables and charts for the chosen values."""

from __future__ import annotations

import pandas as pd

from . import charts, report, scoring
from .catalog import STANDARD_CODES
from .templating import Markup, table_html

ALL = "ทั้งหมด"


def has_widget_frontend() -> bool:
    """True when a JupyterLab/Notebook front end sent the request being executed (it marks
    execute requests with ``recordTiming``); papermill/nbclient does not."""
    try:
        from IPython import get_ipython

        ip = get_ipython()
        header = getattr(ip, "parent_header", None) or {}
        if not header and getattr(ip, "kernel", None) is not None:
            header = ip.kernel.get_parent("shell") or {}
    except (ImportError, AttributeError):
        return False
    return "recordTiming" in header.get("metadata", {})


def selection(
    ctx: report.ReportContext,
    district: int | None,
    standard: str | None,
    indicator: str | None,
    rnd: str,
) -> dict[str, pd.DataFrame]:
    """The tables for one selection (the same figures the reports use)."""
    a, ind = ctx.applicants, ctx.indicators
    if district is not None:
        a = a[a["district_code"] == district]
        ind = ind[ind["district_code"] == district]
    if standard is not None:
        a = a[a["standard"] == standard]
        ind = ind[ind["standard"] == standard]
    if indicator is not None:
        ind = ind[ind["indicator_id"] == indicator]
    col = "pre" if rnd == "pre" else "post"
    per_ind = ind[
        ["district_code", "applicant_id", "indicator_id", "name_th", "full_marks", col]
    ].rename(columns={col: "score"})
    return {
        "applicants": a,
        "indicators": per_ind,
        "gaps": scoring.indicator_gaps(ind, by=()),
        "districts": scoring.summarize(a, by=["district_code"]),
    }


def view(
    ctx: report.ReportContext,
    district: int | None = None,
    standard: str | None = None,
    indicator: str | None = None,
    rnd: str = "post",
) -> None:
    """Display the tables and charts of a selection (static output)."""
    t = selection(ctx, district, standard, indicator, rnd)
    place = "ทั้งจังหวัด" if district is None else f"อำเภอ{ctx.district_names[district]}"
    std = "ทุกมาตรฐาน" if standard is None else ctx.catalog.standards[standard].name_th
    round_th = "ก่อนพัฒนา" if rnd == "pre" else "หลังพัฒนา"
    ind = "" if indicator is None else f" · ตัวบ่งชี้ {indicator}"
    report.show(Markup("<h3>{} · {} · {}{}</h3>").format(place, std, round_th, ind))
    if indicator is None:
        std_th = None if standard is None else ctx.standard_th(standard)
        report.show_figure(charts.pre_post_full(t["applicants"], standard, standard_th=std_th))
        report.show_figure(charts.gap_by_indicator(t["gaps"].head(report.TOP_GAPS)))
        if district is None:
            report.show_figure(charts.district_comparison(t["districts"], ctx.district_names))
    report.show(
        table_html(
            t["indicators"] if indicator else t["applicants"],
            {"applicant_id": "รหัส", "indicator_id": "ตัวบ่งชี้", "score": "คะแนน", "full_marks": "เต็ม"}
            if indicator
            else {
                "applicant_id": "รหัส",
                "name": "ชื่อ",
                "pre_pct": "% ก่อน",
                "post_pct": "% หลัง",
                "status_th": "สถานะ",
            },
            {"score": "1dp", "full_marks": "1dp", "pre_pct": "1dp", "post_pct": "1dp"},
        )
    )


def indicator_options(
    ctx: report.ReportContext, standard: str | None
) -> list[tuple[str, str | None]]:
    """Indicator choices (label, id) of a standard, or of every standard."""
    return [(ALL, None)] + [
        (f"{i.id} {i.name_th}", i.id)
        for i in ctx.catalog.indicators.values()
        if standard is None or i.standard == standard
    ]


def explorer(ctx: report.ReportContext, static: bool | None = None) -> dict | None:
    """Widgets in JupyterLab (returned by name, so a planner can set them from code); the
    static view of the default selection otherwise."""
    if static is None:
        static = not has_widget_frontend()
    if static:
        view(ctx)
        return None
    import ipywidgets as w
    from IPython.display import display

    districts = [(ALL, None)] + [
        (f"{c} {n}", c)
        for c, n in sorted(ctx.district_names.items())
        if c in set(ctx.applicants["district_code"])
    ]
    standards = [(ALL, None)] + [
        (ctx.catalog.standards[s].short_th, s) for s in STANDARD_CODES if s in ctx.catalog.standards
    ]
    d = w.Dropdown(options=districts, description="อำเภอ")
    s = w.Dropdown(options=standards, description="มาตรฐาน")
    i = w.Dropdown(options=indicator_options(ctx, None), description="ตัวบ่งชี้")

    def standard_changed(change):  # only the chosen standard's indicators to pick from
        i.options = indicator_options(ctx, change["new"])
        i.value = None

    s.observe(standard_changed, names="value")
    r = w.ToggleButtons(options=[("หลังพัฒนา", "post"), ("ก่อนพัฒนา", "pre")], description="ครั้งที่")
    out = w.interactive_output(
        lambda district, standard, indicator, rnd: view(ctx, district, standard, indicator, rnd),
        {"district": d, "standard": s, "indicator": i, "rnd": r},
    )
    display(w.VBox([w.HBox([d, s]), w.HBox([i, r]), out]))
    return {"district": d, "standard": s, "indicator": i, "round": r, "output": out}
