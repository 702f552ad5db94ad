"""Stage 3 on small hand-made cases: sub-criteria progress, the timeframe as of the 4.2
deadline, plan items missing when, who or evidence."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from mchch_lib import config
from mchch_lib.analysis import self_development as development
from mchch_lib.data import dataset
from tests.conftest import make_dataset

D42 = dt.date(2018, 8, 10)
DATA = Path(__file__).parents[1] / "fixtures"


def test_sub_criteria_progress_in_catalog_order_with_added_last(catalog):
    ds = dataset.load(
        [DATA / "xlsx" / "cycle_subcriteria.xlsx"], config.catalog_path(2561), 60, use_cache=False
    )
    p = development.subcriteria_progress(ds, catalog)
    assert list(p["subcriterion_id"]) == ["L1.1", "L1.2", "L1.3", "L4.1", "L4.2", "L4.3", "L4+1"]
    assert list(p["kind_th"]) == ["ตามเกณฑ์"] * 3 + ["ปรับ", "ตามเกณฑ์", "ปรับ", "เพิ่ม"]
    assert list(p["gain"]) == [1, 1, 1, 1, 1, 1, 1]
    assert p.groupby("indicator_id")["marks"].sum().to_dict() == {"L1": 10, "L4": 15}
    assert p.loc[0, "name"] == "นายสมชาย ใจดี" and p.loc[0, "indicator_th"].startswith("มีวิสัย")
    assert development.subcriteria_progress(dataset.load(
        [DATA / "xlsx" / "mess_clean.xlsx"], config.catalog_path(2561), 60, use_cache=False), catalog).empty  # fmt: skip


def _tf(start, end, pre, post):
    apps = [{"district_code": 6007, "applicant_id": "A", "standard": "leader",
             "dev_start": start, "dev_end": end}]  # fmt: skip
    scores = [("A", "pre", {"L1": 5}, pre)] + ([("A", "post", {"L1": 8}, post)] if post else [])
    ds = make_dataset(apps, scores)
    return development.timeframe_status(ds, D42).iloc[0]


J = dt.datetime


@pytest.mark.parametrize(
    "start,end,pre,post,status,behind",
    [
        (J(2018, 6, 6), J(2018, 7, 15), J(2018, 6, 5), J(2018, 7, 20), "on_time", False),
        (J(2018, 6, 6), J(2018, 7, 15), J(2018, 6, 6), J(2018, 7, 15), "on_time", False),
        (None, J(2018, 7, 15), J(2018, 6, 5), J(2018, 7, 20), "no_timeframe", False),
        (J(2018, 6, 6), J(2018, 7, 15), J(2018, 6, 5), J(2018, 8, 11), "post_late", True),
        (J(2018, 6, 6), J(2018, 7, 15), J(2018, 6, 5), None, "overdue", True),
        (J(2018, 6, 6), J(2018, 8, 10), J(2018, 6, 5), None, "overdue", True),
        (J(2018, 6, 6), J(2018, 8, 31), J(2018, 6, 5), None, "in_progress", False),
        (J(2018, 6, 6), J(2018, 7, 15), J(2018, 6, 9), J(2018, 7, 20), "pre_late", False),
        (J(2018, 6, 6), J(2018, 7, 15), J(2018, 6, 5), J(2018, 7, 1), "post_early", False),
    ],
)
def test_timeframe_status_as_of_the_42_deadline(start, end, pre, post, status, behind):
    r = _tf(start, end, pre, post)
    assert r["status"] == status and bool(r["behind"]) is behind
    assert r["status_th"] == development.TIMEFRAME_TH[status]


def test_plan_gaps_name_what_each_item_misses():
    plans = [
        {"district_code": 6007, "applicant_id": "A", "indicator_id": "L1", "topic": "ก",
         "period": "มิ.ย.", "expert": "ปราชญ์", "evidence": "ภาพ"},
        {"district_code": 6007, "applicant_id": "A", "indicator_id": "L2", "topic": "ข",
         "period": None, "expert": "ปราชญ์", "evidence": None},
    ]  # fmt: skip
    ds = make_dataset([{"district_code": 6007, "applicant_id": "A", "standard": "leader"}],
                      plans=plans)  # fmt: skip
    g = development.plan_gaps(ds)
    assert g[["indicator_id", "missing_th", "n_missing"]].values.tolist() == [
        ["L2", "เมื่อใด, หลักฐาน", 2]
    ]
    assert development.plan_gaps(make_dataset([])).empty
    assert isinstance(g, pd.DataFrame)
