"""Guideline compliance: each check on a tiny case, passing and failing, and on the sample."""

import datetime as dt

import pandas as pd
import pytest

from mchch_lib import config
from mchch_lib.analysis import compliance
from mchch_lib.data import dataset
from mchch_lib.sample import NON_COMPLIANT
from tests.conftest import make_dataset

D41, D42 = dt.date(2018, 5, 18), dt.date(2018, 8, 10)
PRE, POST = dt.datetime(2018, 6, 5), dt.datetime(2018, 7, 20)


def good_district():
    apps = [
        {
            "district_code": 6007,
            "applicant_id": f"A{i}",
            "standard": s,
            "officer": "นายเอ" if i % 2 else "นางบี",
            # A0 assessed within its timeframe; the others still developing on the 4.2 deadline
            "dev_start": dt.datetime(2018, 6, 6),
            "dev_end": dt.datetime(2018, 7, 15) if i == 0 else dt.datetime(2018, 9, 1),
        }
        for i, s in enumerate(["leader", "group", "network", "community"])
    ]
    officers = [{"district_code": 6007, "name": n, "source_row": 4} for n in ("นายเอ", "นางบี")]
    roles = ["chair", "member", "member", "secretary", "assistant_secretary"]
    committee = [{"district_code": 6007, "name": f"ก{i}", "role": r} for i, r in enumerate(roles)]
    scores = [("A0", "pre", {"L1": 3, "L2": 9}, PRE), ("A0", "post", {"L1": 8}, POST)]
    plans = [
        {"district_code": 6007, "applicant_id": "A0", "indicator_id": "L1", "topic": "x",
         "period": "มิ.ย. 2561", "expert": "ปราชญ์ชาวบ้าน", "evidence": "ภาพถ่าย"}
    ]  # fmt: skip
    return apps, scores, officers, committee, plans


def findings(catalog, apps, scores, officers, committee, plans):
    ds = make_dataset(apps, scores, officers, committee, plans)
    return {f.check: f for f in compliance.check_district(ds, catalog, 6007, D41, D42)}


def test_all_checks_pass_on_a_good_district(catalog):
    f = findings(catalog, *good_district())
    assert set(f) == set(compliance.CHECKS)
    assert all(x.ok for x in f.values()), [x.message_en for x in f.values() if not x.ok]


@pytest.mark.parametrize(
    "check,change,th,en",
    [
        (
            "all_standards",
            lambda a, s, o, c, p: a.pop(2),
            "ยังไม่มีผู้สมัครมาตรฐานเครือข่ายองค์กรชุมชน",
            "No applicant for the community organization network standard",
        ),
        (
            "officers_have_targets",
            lambda a, s, o, c, p: o.append({"district_code": 6007, "name": "นายว่าง"}),
            "พัฒนากรที่ยังไม่มีเป้าหมาย: นายว่าง",
            "Officer(s) with no target: นายว่าง",
        ),
        (
            "committee_size",
            lambda a, s, o, c, p: c.pop(),
            "คณะอนุกรรมการ 4 คน (ต้องมี 5–9 คน) ไม่เป็นไปตามแนวทาง",
            "Committee of 4 members (must be 5–9): out of range",
        ),
        (
            "committee_roles",
            lambda a, s, o, c, p: c.__setitem__(3, {**c[3], "role": "member"}),
            "คณะอนุกรรมการมีประธาน 1 คน เลขานุการ 0 คน (ต้องมีประธาน 1 คนและเลขานุการ)",
            None,
        ),
        (
            "evidence_checked",
            lambda a, s, o, c, p: a[1].update(evidence_checked=False),
            "ยังไม่ได้ตรวจหลักฐาน 1 ราย: A1",
            "Evidence not checked for 1 applicant(s): A1",
        ),
        (
            "plans_cover_gaps",
            lambda a, s, o, c, p: p.clear(),
            "ตัวบ่งชี้ต่ำกว่าเกณฑ์ก่อนพัฒนาที่ยังไม่มีแผนพัฒนาตนเอง 1 รายการ: A0/L1",
            None,
        ),
        (
            "deadline_41",
            lambda a, s, o, c, p: a[0].update(applied_on=dt.datetime(2018, 5, 20)),
            "รายงาน 4.1 รายชื่อผู้สมัคร: มีข้อมูล 1 รายการหลังกำหนด 18 พฤษภาคม 2561",
            None,
        ),
        (
            "deadline_42",
            lambda a, s, o, c, p: s.append(("A1", "post", {"G1": 5}, dt.datetime(2018, 8, 11))),
            "รายงาน 4.2 ผลการพัฒนาตนเอง: มีข้อมูล 1 รายการหลังกำหนด 10 สิงหาคม 2561",
            None,
        ),
        (
            "timeframe_set",
            lambda a, s, o, c, p: a[2].update(dev_end=None),
            "ยังไม่ได้กำหนดระยะเวลาพัฒนา 1 ราย: A2",
            "No development timeframe for 1 applicant(s): A2",
        ),
        (
            "timeframe_kept",
            lambda a, s, o, c, p: a[3].update(dev_end=dt.datetime(2018, 8, 1)),
            "ล่าช้ากว่าระยะเวลาพัฒนาที่กำหนด 1 ราย: A3",
            "1 applicant(s) behind the agreed timeframe: A3",
        ),
        (
            "plans_complete",
            lambda a, s, o, c, p: p[0].update(expert=None),
            "แผนพัฒนาตนเองที่ยังไม่ระบุเวลา ผู้รู้ หรือหลักฐาน 1 รายการ",
            "1 plan item(s) do not say when, who or with what evidence",
        ),
    ],
)
def test_each_check_fails_with_a_specific_sentence(catalog, check, change, th, en):
    parts = good_district()
    change(*parts)
    f = findings(catalog, *parts)
    assert not f[check].ok and f[check].severity in ("warning", "error")
    assert f[check].message_th == th
    if en:
        assert f[check].message_en == en
    # a post-assessment after the 4.2 deadline is late for the report and behind its timeframe
    also = {"deadline_42": {"timeframe_kept"}}.get(check, set())
    assert all(x.ok for k, x in f.items() if k != check and k not in also)
    assert all(not f[k].ok for k in also)


def test_sample_findings_name_the_deliberately_non_compliant_districts(catalog):
    ds = dataset.load([config.sample_dir(2561)], catalog, 60, D41)
    f = compliance.check_all(ds, catalog, D41, D42)
    bad = f[~f["ok"]]

    def failing(check):
        return set(bad.loc[bad["check"] == check, "district_code"])

    assert failing("all_standards") == set(NON_COMPLIANT["missing_standard"])
    assert failing("committee_size") == set(NON_COMPLIANT["committee_out_of_range"])
    assert failing("evidence_checked") == set(NON_COMPLIANT["evidence_unchecked"])
    assert failing("plans_cover_gaps") == set(NON_COMPLIANT["plans_incomplete"])
    assert failing("deadline_41") == set()
    assert failing("deadline_42") == set(NON_COMPLIANT["post_late"])
    assert failing("plans_complete") == NON_COMPLIANT["plan_items_missing"]
    assert failing("timeframe_set") == set()
    # behind: the 22 applicants with no post round by the 4.2 deadline (their end passed),
    # and the late post-assessments
    assert failing("timeframe_kept") >= set(NON_COMPLIANT["post_late"])
    assert len(f["district_code"].unique()) == 15


def test_province_committee_needs_a_chair_and_a_secretary(catalog):
    apps, scores, officers, committee, plans = good_district()
    ds = make_dataset(apps, scores, officers, committee, plans)
    assert compliance.check_province(ds) == []  # no final round, no committee yet
    ds.province_committee = pd.DataFrame(
        {"name": ["ก", "ข", "ค"], "role": ["chair", "member", "member"]}
    )
    (f,) = compliance.check_province(ds)
    assert f.check == "province_committee_roles" and not f.ok and f.severity == "error"
    assert f.message_th == (
        "คณะกรรมการรับรองมาตรฐานการพัฒนาชุมชนจังหวัดมีประธาน 1 คน เลขานุการ 0 คน "
        "(ต้องมีประธาน 1 คนและเลขานุการ)"
    )
    ds.province_committee.loc[2, "role"] = "secretary"
    (f,) = compliance.check_province(ds)
    assert f.ok and f.district_code == 60
