"""The planners' explorer (``notebooks/explore.ipynb``): ipywidgets selectors for year,
district, standard, indicator and round driving the library's tables and charts, and a view of
the change since last year (when the params compare with earlier years). Run by papermill (no
browser to draw widgets) it degrades to static tables and charts for the chosen values.

Every selector has a real choice for "everything", :data:`ALL` ("ทั้งหมด"): a widget value of
``None`` reads as "nothing selected" (a blank drop-down), so ``None`` is only accepted from code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from mchch_lib.analysis import scoring
from mchch_lib.data.catalog import STANDARD_CODES
from mchch_lib.documents import charts, report
from mchch_lib.documents.templating import Markup, table_html

ALL = "ทั้งหมด"
TOP_N = 15  # applicants in the chart unless "show all": a province has ~100 (a 3,000 px chart)
_WIDTH = "26em"  # one width for every drop-down, so the controls line up


def _is_all(value) -> bool:
    return value is None or value == ALL


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
    district: int | str | None,
    standard: str | None,
    indicator: str | None,
    rnd: str,
) -> dict[str, pd.DataFrame]:
    """The tables for one selection (the same figures the reports use); :data:`ALL` or
    ``None`` for every district, standard or indicator."""
    a, ind = ctx.applicants, ctx.indicators
    if not _is_all(district):
        a = a[a["district_code"] == district]
        ind = ind[ind["district_code"] == district]
    if not _is_all(standard):
        a = a[a["standard"] == standard]
        ind = ind[ind["standard"] == standard]
    if not _is_all(indicator):
        ind = ind[ind["indicator_id"] == indicator]
    col = "pre" if rnd == "pre" else "post"
    names = ctx.applicants[["applicant_id", "name"]].drop_duplicates("applicant_id")
    per_ind = (
        ind[["district_code", "applicant_id", "indicator_id", "name_th", "full_marks", col]]
        .rename(columns={col: "score"})
        .merge(names, on="applicant_id", how="left")
    )
    per_ind["indicator"] = per_ind["indicator_id"] + " " + per_ind["name_th"]
    return {
        "applicants": a,
        "indicators": per_ind,
        "gaps": scoring.indicator_gaps(ind, by=()),
        "districts": scoring.summarize(a, by=["district_code"]),
    }


@dataclass
class View:
    """What the explorer shows for a selection, in order: HTML fragments and figures."""

    parts: list = field(default_factory=list)  # str (HTML) or matplotlib Figure

    def html(self, text: str) -> None:
        self.parts.append(text)

    def figure(self, fig) -> None:
        self.parts.append(fig)


def _aligned(table: str) -> str:
    """A report table with its alignment inline: JupyterLab right-aligns every cell of an HTML
    output, so text columns go left explicitly (and numbers right, in tabular figures)."""
    table = re.sub(
        r'<(td|th) class="num">',
        r'<\1 class="num" style="text-align:right;font-variant-numeric:tabular-nums">',
        table,
    )
    return re.sub(
        r'<(td|th) class="(?!num")([^"]*)">', r'<\1 class="\2" style="text-align:left">', table
    )


def build_view(
    ctx: report.ReportContext,
    district: int | str | None = ALL,
    standard: str | None = ALL,
    indicator: str | None = ALL,
    rnd: str = "post",
    show_all: bool = False,
) -> View:
    """The headings, charts and tables of a selection. The applicant chart shows the
    :data:`TOP_N` lowest scores of the chosen round unless ``show_all``."""
    t = selection(ctx, district, standard, indicator, rnd)
    v = View()
    place = "ทั้งจังหวัด" if _is_all(district) else f"อำเภอ{ctx.district_names[district]}"
    std = "ทุกมาตรฐาน" if _is_all(standard) else ctx.catalog.standards[standard].name_th
    ind = (
        "" if _is_all(indicator) else f" · {indicator} {ctx.catalog.indicators[indicator].name_th}"
    )
    when = "ก่อนพัฒนา" if rnd == "pre" else "หลังพัฒนา"
    v.html(Markup("<h3>{}</h3>").format(f"{place} · {std} · {when}{ind}"))
    if _is_all(indicator):
        a = t["applicants"]
        key = "pre_pct" if rnd == "pre" else "post_pct"
        if not show_all and len(a) > TOP_N:
            missing = int(a[key].isna().sum())
            not_yet = f" ยังไม่ประเมิน{when} {missing} ราย (ดูในตาราง)" if missing else ""
            v.html(
                f"<p>แผนภูมิแสดง {min(TOP_N, len(a) - missing)} รายที่คะแนน{when}ต่ำสุด"
                f" จากผู้สมัคร {len(a)} ราย{not_yet} · เลือก “แสดงผู้สมัครทุกราย” เพื่อดูครบ</p>"
            )
            a = a[a[key].notna()].nsmallest(TOP_N, key)
        code = None if _is_all(standard) else standard
        std_th = None if code is None else ctx.standard_th(code)
        v.figure(charts.pre_post_full(a, code, standard_th=std_th))
        v.figure(charts.gap_by_indicator(t["gaps"].head(report.TOP_GAPS)))
        if _is_all(district):
            v.figure(charts.district_comparison(t["districts"], ctx.district_names))
        table = table_html(
            t["applicants"],
            {
                "applicant_id": "รหัส",
                "name": "ชื่อ",
                "pre_pct": "% ก่อน",
                "post_pct": "% หลัง",
                "status_th": "สถานะ",
            },
            {"pre_pct": "1dp", "post_pct": "1dp"},
        )
    else:  # the heading names the indicator; the rows name the applicants
        table = table_html(
            t["indicators"],
            {"applicant_id": "รหัส", "name": "ชื่อ", "score": "คะแนน", "full_marks": "เต็ม"},
            {"score": "1dp", "full_marks": "1dp"},
        )
    v.html(_aligned(str(table)))
    return v


def view(ctx: report.ReportContext, *args, **kwargs) -> None:
    """Display the tables and charts of a selection (arguments as :func:`build_view`)."""
    _show(build_view(ctx, *args, **kwargs))


def district_options(ctx: report.ReportContext) -> list[tuple[str, int | str]]:
    """District choices (label, code) with data, after "ทั้งหมด"."""
    present = set(ctx.applicants["district_code"])
    return [(ALL, ALL)] + [
        (f"{c} {n}", c) for c, n in sorted(ctx.district_names.items()) if c in present
    ]


def standard_options(ctx: report.ReportContext) -> list[tuple[str, str]]:
    """Standard choices (label, code), after "ทั้งหมด"."""
    return [(ALL, ALL)] + [
        (ctx.catalog.standards[s].short_th, s) for s in STANDARD_CODES if s in ctx.catalog.standards
    ]


def indicator_options(ctx: report.ReportContext, standard: str | None) -> list[tuple[str, str]]:
    """Indicator choices (label "ID name", id) of a standard, or of every standard."""
    return [(ALL, ALL)] + [
        (f"{i.id} {i.name_th}", i.id)
        for i in ctx.catalog.indicators.values()
        if _is_all(standard) or i.standard == standard
    ]


class Years:
    """The report contexts of the explorer's years: the params' own year and the years of its
    ``compare_with``, each made the first time it is chosen."""

    def __init__(self, ctx: report.ReportContext):
        from mchch_lib.data.params import earlier_params

        self._paths = {p.year: p.path for p in earlier_params(ctx.params)}
        self._made = {ctx.params.year: ctx}
        self.years = [ctx.params.year, *sorted(self._paths, reverse=True)]

    def options(self) -> list[tuple[str, int]]:
        """Year choices (label, year), this year first."""
        return [(str(y), y) for y in self.years]

    def __getitem__(self, year: int) -> report.ReportContext:
        if year not in self._made:
            self._made[year] = report.province_context(self._paths[year])
        return self._made[year]


def change_view(
    ctx: report.ReportContext, district: int | str | None = ALL, standard: str | None = ALL
) -> View:
    """Change since last year (เปลี่ยนแปลงจากปีที่แล้ว) of a selection: the figures by year, a
    chart of the mean post-development % and the indicators' change (the report's
    comparison, ``ctx.comparison``, restricted to the district and standard)."""
    v = View()
    c = ctx.comparison
    if c is None:
        v.html(f"<p>ปี {ctx.params.year} ไม่มีปีก่อนหน้าให้เทียบ (params: compare_with)</p>")
        return v
    if not _is_all(district):
        c = c.for_district(district)
    place = "ทั้งจังหวัด" if _is_all(district) else f"อำเภอ{ctx.district_names[district]}"
    std = "ทุกมาตรฐาน" if _is_all(standard) else ctx.catalog.standards[standard].name_th
    v.html(Markup("<h3>{}</h3>").format(f"{place} · {std} · ปี {c.year} เทียบกับปี {c.last_year}"))
    by = c.total if _is_all(standard) else c.by_standard[c.by_standard["standard"] == standard]
    v.html(_aligned(str(table_html(
        by, {"year": "ปี", "registered": "ผู้สมัคร", "post_assessed": "ประเมินหลังแล้ว",
             "mean_pre_pct": "เฉลี่ยก่อน (%)", "mean_post_pct": "เฉลี่ยหลัง (%)", "ready": "พร้อม",
             "share_ready_pct": "พร้อม (%)"},
        {"year": "text", "mean_pre_pct": "1dp", "mean_post_pct": "1dp", "share_ready_pct": "1dp"},
    ))))  # fmt: skip
    by_std = c.change(c.by_standard, ["standard"])
    rows = pd.concat([c.change(c.total, ["standard"]).assign(label="ทุกมาตรฐาน"),
                      by_std.assign(label=by_std["standard"].map(ctx.standard_short_th))])  # fmt: skip
    if not _is_all(standard):
        rows = rows[rows["standard"] == standard]
    rows = rows.rename(columns={"mean_post_pct_last": "last", "mean_post_pct_now": "now"})
    v.figure(charts.year_post(rows, c.last_year, c.year))
    ind = c.indicator_change
    ind = ind if _is_all(standard) else ind[ind["standard"] == standard]
    v.html(_aligned(str(table_html(
        ind, {"label": "ตัวบ่งชี้", "name_th": "ชื่อตัวบ่งชี้", "mean_post_pct_last": f"ปี {c.last_year} (%)",
              "mean_post_pct_now": f"ปี {c.year} (%)", "mean_post_pct_change": "เพิ่ม/ลด (จุด)"},
        {"label": "id", "mean_post_pct_last": "1dp", "mean_post_pct_now": "1dp",
         "mean_post_pct_change": "1dp"},
    ))))  # fmt: skip
    return v


def _show(v: View) -> None:
    for part in v.parts:
        if isinstance(part, str):
            report.show(part)
        else:
            report.show_figure(part)


def _controls(ctx: report.ReportContext, years: Years) -> dict:
    """The explorer's widgets by name, wired so that a standard offers only its indicators and
    a year its own districts and catalog."""
    import ipywidgets as w

    label = {"description_width": "5em"}
    d = w.Dropdown(options=district_options(ctx), value=ALL, description="อำเภอ", style=label)
    s = w.Dropdown(options=standard_options(ctx), value=ALL, description="มาตรฐาน", style=label)
    i = w.Dropdown(options=indicator_options(ctx, ALL), value=ALL, description="ตัวบ่งชี้", style=label)
    y = w.Dropdown(options=years.options(), value=ctx.params.year, description="ปี", style=label)
    change = w.Checkbox(value=False, description="เปลี่ยนแปลงจากปีที่แล้ว", indent=False)
    change.layout = w.Layout(width="auto", margin="0 0 0 2em")
    d.layout, s.layout, y.layout = (w.Layout(width=_WIDTH) for _ in range(3))
    i.layout = w.Layout(width=f"calc(2 * {_WIDTH} + 1em)")  # long names: as wide as the row above

    def standard_changed(event):  # only the chosen standard's indicators to pick from
        i.options = indicator_options(years[y.value], event["new"])
        i.value = ALL

    def year_changed(event):  # that year's districts and catalog (indicator ids may differ)
        now = years[event["new"]]
        keep = d.value
        d.options = district_options(now)
        d.value = keep if keep in dict(d.options).values() else ALL
        i.options = indicator_options(now, s.value)
        i.value = ALL

    s.observe(standard_changed, names="value")
    y.observe(year_changed, names="value")
    # ToggleButtons draws its own description above the buttons: an empty HTML widget carries it,
    # styled and aligned like the drop-downs' descriptions
    r = w.ToggleButtons(
        options=[("หลังพัฒนา", "post"), ("ก่อนพัฒนา", "pre")],
        style={"button_width": "7em"},
        layout=w.Layout(width="auto"),
    )
    r_label = w.HTML(value="", description="ครั้งที่", style=label)
    more = w.Checkbox(value=False, description="แสดงผู้สมัครทุกราย", indent=False)
    more.layout = w.Layout(width="auto", margin="0 0 0 2em")
    return {"year": y, "since_last": change, "district": d, "standard": s, "indicator": i,
            "round": r, "round_label": r_label, "show_all": more}  # fmt: skip


def explorer(ctx: report.ReportContext, static: bool | None = None) -> dict | None:
    """Widgets in JupyterLab (returned by name, so a planner can set them from code); the
    static view of the default selection otherwise (and its change since last year, when the
    params compare with earlier years)."""
    if static is None:
        static = not has_widget_frontend()
    if static:
        view(ctx)
        if ctx.params.compare_with:
            _show(change_view(ctx))
        return None
    import ipywidgets as w
    from IPython.display import display

    years = Years(ctx)
    c = _controls(ctx, years)

    def shown(year, district, standard, indicator, rnd, show_all, since_last):
        if since_last:
            _show(change_view(years[year], district, standard))
        else:
            view(years[year], district, standard, indicator, rnd, show_all)

    out = w.interactive_output(
        shown,
        {"year": c["year"], "district": c["district"], "standard": c["standard"],
         "indicator": c["indicator"], "rnd": c["round"], "show_all": c["show_all"],
         "since_last": c["since_last"]},
    )  # fmt: skip

    def centred():
        return w.Layout(align_items="center")

    rows = [
        w.HBox([c["district"], c["standard"]], layout=centred()),
        c["indicator"],
        w.HBox([c.pop("round_label"), c["round"], c["show_all"]], layout=centred()),
    ]
    if len(years.years) > 1:  # the year first: the first thing a planner picks
        rows.insert(0, w.HBox([c["year"], c["since_last"]], layout=centred()))
    panel = w.VBox([w.VBox(rows, layout=w.Layout(margin="0 0 1em 0")), out])
    display(panel)
    return {"panel": panel, **c, "output": out}
