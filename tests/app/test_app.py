"""The app's views and exports (mchch app), without a browser: figures, masking, neutralizing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from mchch_lib import config
from mchch_lib.app import export, ui, views
from mchch_lib.app.views import Selection
from mchch_lib.documents import report


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
