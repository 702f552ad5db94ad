"""The provincial training plan: every unit below the pass mark of an indicator is in that
indicator's session exactly once; the host district has most of the session's units."""

import datetime as dt

import pandas as pd
import pytest

from mchch_lib import config
from mchch_lib.analysis import scoring, training_plan
from mchch_lib.data import dataset


def _ind(rows):
    """Indicator rows: (district, applicant, indicator, pre, post); pass mark 6 of 10."""
    return pd.DataFrame(
        [
            {"district_code": d, "applicant_id": a, "standard": "leader", "indicator_id": i,
             "name_th": f"ตัวบ่งชี้ {i}", "full_marks": 10.0, "pass_mark": 6.0,
             "pre": pre, "post": post}
            for d, a, i, pre, post in rows
        ]
    )  # fmt: skip


def _apps(ids):
    return pd.DataFrame(
        [{"applicant_id": a, "district_code": d, "name": f"หน่วย {a}", "officer": o}
         for a, d, o in ids]
    )  # fmt: skip


def test_latest_score_decides_and_host_has_most_units():
    ind = _ind([
        (6001, "A", "L1", 4, 5),        # below after development
        (6001, "A", "L2", 4, 8),        # passed after development: not in the plan
        (6002, "B", "L1", 3, None),     # no post yet: its pre score decides
        (6002, "C", "L1", 5, 5.5),
        (6003, "D", "L1", None, None),  # never scored: left out
        (6003, "D", "L2", 6, 6),        # at the pass mark: passes
    ])  # fmt: skip
    apps = _apps([("A", 6001, "นายเอ"), ("B", 6002, "นางบี"), ("C", 6002, "นางบี"),
                  ("D", 6003, "นายดี")])  # fmt: skip
    plan = training_plan.sessions(ind, apps)
    assert list(plan["indicator_id"]) == ["L1"]
    s = plan.iloc[0]
    assert s["applicant_ids"] == ["A", "B", "C"] and s["n_units"] == 3
    assert s["host_district"] == 6002 and s["host_units"] == 2
    assert s["officers"] == ["นางบี", "นายเอ"]  # each once
    assert s["districts"] == [6001, 6002]
    m = training_plan.members(plan, apps)
    assert list(m["applicant_id"]) == ["A", "B", "C"] and set(m["host_district"]) == {6002}


def test_a_tie_is_hosted_by_the_lower_code_and_nothing_below_is_no_session():
    ind = _ind([(6005, "A", "L1", 2, None), (6003, "B", "L1", 2, None)])
    plan = training_plan.sessions(ind, _apps([("A", 6005, "x"), ("B", 6003, "y")]))
    assert plan.iloc[0]["host_district"] == 6003
    assert training_plan.sessions(_ind([(6001, "A", "L1", 9, 9)]), _apps([])).empty


@pytest.fixture(scope="module")
def sample(catalog):
    ds = dataset.load([config.sample_dir(2561)], catalog, 60, dt.date(2018, 5, 18))
    ind = scoring.indicator_scores(ds, catalog)
    return ind, scoring.applicant_scores(ds, catalog, ind)


def test_every_unit_below_is_in_its_indicators_session_exactly_once(sample):
    ind, apps = sample
    plan = training_plan.sessions(ind, apps)
    latest = ind["post"].where(ind["post"].notna(), ind["pre"])
    below = ind[latest.notna() & (latest < ind["pass_mark"])]
    expected = set(zip(below["indicator_id"], below["applicant_id"], strict=True))
    got = [(i, a) for i, ids in zip(plan["indicator_id"], plan["applicant_ids"], strict=True)
           for a in ids]  # fmt: skip
    assert len(got) == len(set(got))  # once per indicator
    assert set(got) == expected and len(expected) > 20
    assert plan["indicator_id"].is_unique  # one session per indicator
    assert plan["n_units"].is_monotonic_decreasing
    for s in plan.itertuples():
        counts = pd.Series(
            apps.set_index("applicant_id").loc[s.applicant_ids, "district_code"]
        ).value_counts()
        assert counts[s.host_district] == counts.max() == s.host_units
        assert set(s.officers) <= set(apps["officer"])


def test_district_priorities_are_three_at_most_and_ranked(sample):
    ind, _ = sample
    p = training_plan.district_priorities(ind)
    assert p.groupby("district_code").size().max() == 3
    for _, g in p.groupby("district_code"):
        assert list(g["rank"]) == list(range(1, len(g) + 1))
        assert g["n_units"].is_monotonic_decreasing
