"""The provincial final round on small hand-made cases: the certification consistency rule
(located exactly), the committee-versus-district comparison and the certified list."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from mchch_lib import config
from mchch_lib.analysis import final_round, scoring
from mchch_lib.data import dataset, validate

DATA = Path(__file__).parents[1] / "fixtures"


def load(name):
    return dataset.load(
        [DATA / "xlsx" / f"{name}.xlsx"],
        config.catalog_path(2561),
        60,
        deadline_41=dt.date(2018, 5, 18),
        use_cache=False,
    )


def results(ds, catalog):
    return final_round.results(ds, catalog, scoring.applicant_scores(ds, catalog))


def test_certified_but_not_ready_is_located_at_the_certified_cell(catalog):
    ds = load("cycle_certified_not_ready")
    assert list(ds.problems["rule"]) == []  # the data itself is valid
    res = results(ds, catalog)
    p = final_round.problems(res)
    assert [(r.rule, r.sheet, int(r.row), r.column, r.severity) for r in p.itertuples()] == [
        ("certified_not_ready", "ผลการรับรองระดับจังหวัด", 5, "รับรอง", "warning")
    ]
    assert p.iloc[0]["file"].endswith("cycle_certified_not_ready.xlsx")
    assert p.iloc[0]["message_th"] == (
        "ผู้สมัคร T-002 ได้รับการรับรอง แต่ผลประเมินหลังพัฒนาของอำเภอยังไม่พร้อม "
        "(ตัวบ่งชี้หลักไม่ผ่าน: G3) และไม่มีหมายเหตุของคณะกรรมการอธิบายไว้"
    )
    assert "{" not in p.iloc[0]["message_en"]
    assert p.iloc[0]["district_code"] == 6007
    r = validate.rules()["certified_not_ready"]
    assert r.severity == "warning"


def test_the_committee_note_explains_a_certification_of_a_unit_not_ready(catalog):
    res = results(load("cycle_certified_not_ready_with_note"), catalog)
    assert len(final_round.problems(res)) == 0
    assert res.set_index("applicant_id").loc["T-002", "note"].startswith("คณะกรรมการ")


def test_committee_against_district_per_unit_and_per_district(catalog):
    res = results(load("cycle_final_round"), catalog).set_index("applicant_id")
    # the committee gave exactly the district's post scores
    assert res.loc["T-001", "committee_total"] == 78 and res.loc["T-001", "committee_pct"] == 78
    assert res.loc["T-001", "difference"] == 0 and res.loc["T-001", "rating"] == "agree"
    assert res.loc["T-002", "certified_on"] == dt.datetime(2018, 9, 14)


def _res(rows):
    base = {"district_code": 6007, "certified": True, "ready": True, "standard": "leader"}
    df = pd.DataFrame([base | r for r in rows])
    df["rating"] = df["difference"].map(final_round._rating)
    return df


def test_over_and_under_rating_use_the_tolerance():
    tol = final_round.RATING_TOLERANCE_PCT
    res = _res(
        [
            {"applicant_id": "a", "difference": tol + 0.5},
            {"applicant_id": "b", "difference": tol},  # on the edge: agrees
            {"applicant_id": "c", "difference": -tol - 0.5},
            {"applicant_id": "d", "difference": float("nan")},  # a verdict only: not compared
            {"applicant_id": "e", "difference": 1.0, "district_code": 6002},
        ]
    )
    cmp = final_round.rating_comparison(res).set_index("district_code")
    assert cmp.loc[6007, ["n", "over", "agree", "under"]].tolist() == [3, 1, 1, 1]
    assert cmp.loc[6007, "mean_difference"] == pytest.approx(tol / 3)
    assert cmp.loc[6007, "share_over_pct"] == pytest.approx(100 / 3)
    assert cmp.loc[6002, "n"] == 1


def test_a_committee_that_scored_only_part_of_the_standard_gives_no_percentage(catalog):
    ds = load("cycle_final_round")
    ds.final_scores = ds.final_scores[ds.final_scores["indicator_id"] != "L8"]
    res = results(ds, catalog).set_index("applicant_id")
    assert pd.isna(res.loc["T-001", "committee_pct"]) and pd.isna(res.loc["T-001", "rating"])
    assert res.loc["T-002", "committee_pct"] == 78


def test_certified_list_and_counts_by_district_and_standard(catalog):
    ds = load("cycle_final_round")
    a = scoring.applicant_scores(ds, catalog)
    res = final_round.results(ds, catalog, a)
    cert = final_round.certified(res)
    assert list(cert["applicant_id"]) == ["T-001", "T-002"]  # leader before group
    counts = final_round.by_district_standard(res, a).set_index("district_code")
    assert counts.loc[6007, ["ready", "assessed", "certified", "leader", "group",
                             "network", "community"]].tolist() == [2, 2, 2, 1, 1, 0, 0]  # fmt: skip


def test_no_final_round_gives_empty_tables(catalog):
    ds = load("rule_missing_round")
    res = results(ds, catalog)
    assert res.empty and final_round.certified(res).empty
    assert final_round.rating_comparison(res).empty and final_round.problems(res).empty
