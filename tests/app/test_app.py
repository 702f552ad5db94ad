"""The app's views and exports (mchch app), without a browser: figures, masking, neutralizing."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pytest

from mchch_lib import config
from mchch_lib.app import controls, export, figures, ui, views
from mchch_lib.app.views import Selection
from mchch_lib.documents import maps, report


@pytest.fixture(scope="module")
def ctx():
    return report.province_context(config.PARAMS_DIR / "2561.yaml")


def test_days_left_counts_calendar_days_both_ways():
    d = dt.date(2018, 5, 18)
    assert views.days_left(d, dt.date(2018, 5, 8)) == "อีก 10 วัน"
    assert views.days_left(d, d) == "ครบกำหนดวันนี้"
    assert views.days_left(d, dt.date(2019, 5, 18)) == "เลยกำหนดมาแล้ว 365 วัน"
    assert views.days_left(None, d) == "ไม่ได้กำหนด"


def test_a_district_selection_has_that_districts_figures(ctx):
    a = ctx.applicants[ctx.applicants["district_code"] == 6007]
    k = dict(views.kpis(ctx, Selection(district=6007)))
    assert k["หน่วยที่สมัคร"] == str(len(a))
    assert k["ประเมินหลังพัฒนา"] == str(int(a["post_pct"].notna().sum()))
    units = views.units(ctx, Selection(district=6007))[0].frame
    assert len(units) == len(a) and set(units["อำเภอ"]) == {"6007 ตาคลี"}
    post = units["หลัง (%)"].dropna().tolist()
    assert post == sorted(post)  # "หลังพัฒนา (ต่ำก่อน)"


def test_final_round_says_why_a_unit_is_not_certified(ctx):
    t = views.final_round(ctx, Selection())[0].frame
    fr = ctx.final_results
    assert len(t) == len(fr)
    assert (t["ผล"] == "รับรอง").sum() == int((fr["certified"] == True).sum())  # noqa: E712
    assert (t.loc[t["ผล"] == "ไม่รับรอง", "เหตุผล"] != "ได้รับการรับรอง").all()


def test_overdue_units_follow_the_as_of_date(ctx):
    late = views.deadlines(ctx, Selection(asof=dt.date(2030, 1, 1)))[2].frame
    tf = ctx.timeframe
    assert len(late) == int((tf["dev_end"].notna() & tf["post_on"].isna()).sum())
    assert views.deadlines(ctx, Selection(asof=dt.date(2017, 1, 1)))[2].frame.empty


def test_excel_export_is_masked_and_neutralized(ctx):
    a = ctx.applicants.copy()
    a.loc[a.index[0], "name"] = "=HYPERLINK(1) 1101700203451"
    fake = report.ReportContext.__new__(report.ReportContext)
    fake.__dict__.update(ctx.__dict__)
    fake.applicants = a
    app = ui.App(fake)
    name, data = export.excel(app)
    assert name.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
    hit = [c for c in cells if "HYPERLINK" in c]
    assert hit and all(c.startswith("'") for c in hit)
    assert not any("1101700203451" in c for c in cells)


# ---------------------------------------------------------------- the date in Thai
def test_the_date_is_chosen_and_written_in_buddhist_era_thai():
    d = controls.ThaiDate(dt.date(2026, 12, 5), range(2560, 2571))
    assert d.label.value.endswith("วันที่ 5 ธันวาคม 2569</span>")
    assert dict(d.year.options)["พ.ศ. 2569"] == 2569 and "2026" not in str(d.year.options)
    assert dict(d.month.options)["ธันวาคม"] == 12
    seen = []
    d.observe(lambda: seen.append(d.value))
    d.month.value = 2  # 5 กุมภาพันธ์ 2569
    d.day.value = 31  # no 31 กุมภาพันธ์: the month's last day, one change
    assert seen == [dt.date(2026, 2, 5), dt.date(2026, 2, 28)]
    assert d.day.value == 28 and "28 กุมภาพันธ์ 2569" in d.label.value
    d.set(dt.date(2018, 5, 8))
    assert seen[-1] == dt.date(2018, 5, 8) and len(seen) == 3
    assert "8 พฤษภาคม 2561" in d.label.value


def test_the_app_deadlines_follow_the_thai_date(ctx):
    app = ui.App(ctx)
    app.tabs.selected_index = [k for k, _ in views.TABS].index("deadlines")
    app.asof.set(dt.date(2018, 5, 8))
    assert app.selection().asof == dt.date(2018, 5, 8)
    pane = app.panes["deadlines"].value
    assert "ณ วันที่ 8 พฤษภาคม 2561" in pane and "อีก 10 วัน" in pane
    assert "2018" not in pane


# ---------------------------------------------------------------- the map's legend
def _fills(app) -> list[tuple[int, str]]:
    layer = app.map.layers[-1]
    return [(f["properties"]["code"], f["properties"]["style"]["fillColor"])
            for f in layer.data["features"]]  # fmt: skip


def test_the_legend_has_the_reports_classes_and_every_colour_of_the_map(ctx):
    app = ui.App(ctx)
    fig = maps.FIGURES["post_pct"]
    entries = controls.legend_entries(fig, app.map_values.reset_index())
    assert [e[0] for e in entries] == [*fig.labels[::-1], maps.NOT_SENT_TH]
    assert [e[1] for e in entries[:-1]] == fig.colours[::-1]
    legend = {e[1] for e in entries}
    fills = _fills(app)
    assert len(fills) == len(ctx.district_names) and {c for _, c in fills} <= legend
    v = app.map_values
    for code, colour in fills:  # each district coloured by its class, as the report's map
        assert colour == fig.colours[maps.classify([v.at[code, "value"]])[0]]
    html = app.legend.value
    assert "คะแนนเฉลี่ยหลังพัฒนา" in html and "(ร้อยละของคะแนนเต็ม)" in html
    assert "ทุกอำเภอส่งข้อมูลแล้ว" in html


def test_districts_that_sent_nothing_are_named_under_the_legend(ctx):
    fake = report.ReportContext.__new__(report.ReportContext)
    fake.__dict__.update(ctx.__dict__)
    c = ctx.completeness.copy()
    c.loc[c["district_code"].isin([6007, 6008]), "has_data"] = False
    fake.__dict__["completeness"] = c
    app = ui.App(fake)
    html = app.legend.value
    names = [ctx.district_names[6007], ctx.district_names[6008]]
    assert f"อำเภอที่ไม่ส่งข้อมูล 2 อำเภอ: {names[0]} {names[1]}" in html
    styles = {f["properties"]["code"]: f["properties"]["style"]
              for f in app.map.layers[-1].data["features"]}  # fmt: skip
    assert styles[6007]["dashArray"] == controls.NOT_SENT_STYLE["dashArray"]
    assert "dashArray" not in styles[6001]


def test_the_map_zooms_to_the_province():
    # 0.9 * 600 px / (1.4 / 360) / 256 = 542 -> zoom 9 (2**9 = 512 <= 542 < 1024)
    assert ui.fit_zoom([99.5, 100.9], [15.5, 15.6], 600, 440) == 9
    assert ui.fit_zoom([99.5, 102.3], [15.5, 15.6], 600, 440) == 8  # twice as wide
    # 1.0 degree: 759 px at zoom 0 -> zoom 9.57, a quarter step below: 9.5; the province
    # then spans 0.9 * 600 * 2**9.5 / 2**9.57 = 516 of the 600 px (at zoom 9: 365 px)
    assert ui.fit_zoom([99.5, 100.5], [15.5, 15.6], 600, 440) == 9.5


# ---------------------------------------------------------------- the charts
def test_the_districts_chart_draws_the_ranking_tables_figures(ctx):
    sel = Selection(standard="group")
    data = figures.chart_data(ctx, sel, "districts")
    rank = views.districts(ctx, sel)[0].frame
    a = ctx.applicants
    assert len(data) == len(rank) == a.loc[a["standard"] == "group", "district_code"].nunique()
    by_label = dict(zip(rank["อำเภอ"], rank["เฉลี่ยหลัง (%)"], strict=True))
    mine = [by_label[views.district_label(ctx, c)] for c in data["district_code"]]
    np.testing.assert_array_equal(data["mean_post_pct"].astype(float).round(1), mine)
    fig = figures.figure(ctx, sel, "districts")
    (post,) = [ln for ln in fig.axes[0].lines if ln.get_label() == "เฉลี่ยหลังพัฒนา"]
    squares = post.get_xdata()  # the post marks (one line's markers), bottom-up
    want = data.sort_values(["mean_post_pct", "district_code"], ascending=[False, True],
                            na_position="last")["mean_post_pct"].iloc[::-1]  # fmt: skip
    np.testing.assert_array_equal(np.asarray(squares, dtype=float), want.astype(float))


def test_the_indicators_chart_is_the_weakest_ten_of_the_table(ctx):
    sel = Selection(district=6007)
    data = figures.chart_data(ctx, sel, "indicators")
    top = views.indicators(ctx, sel)[0].frame
    assert list(data["indicator_id"]) == list(top["ตัวบ่งชี้"])
    fig = figures.figure(ctx, sel, "indicators")
    bars = [p.get_width() for p in fig.axes[0].patches]
    assert bars == list(data["mean_gap_pct"].iloc[::-1])
    assert figures.figure(ctx, sel, "units") is None


def test_a_tab_with_a_chart_shows_it_and_draws_it_once(ctx):
    app = ui.App(ctx)
    app.tabs.selected_index = 1  # districts
    pane = app.panes["districts"].value
    assert 'class="mchch-chart" alt="เปรียบเทียบคะแนนเฉลี่ยก่อน–หลังพัฒนา รายอำเภอ"' in pane
    n = len(app.charts)
    app.district.value = 6007  # the districts' chart does not change with the district
    assert len(app.charts) == n and app.draw("districts") < 1.0
