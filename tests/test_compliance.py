"""Guideline compliance: each check on a tiny case, passing and failing, and on the sample."""

import datetime as dt

import pytest

from mchch_lib import compliance, config, dataset
from mchch_lib.sample import NON_COMPLIANT

from .conftest import make_dataset

D41, D42 = dt.date(2018, 5, 18), dt.date(2018, 8, 10)
PRE, POST = dt.datetime(2018, 6, 5), dt.datetime(2018, 7, 20)


def good_district():
    apps = [
        {
            "district_code": 6007,
            "applicant_id": f"A{i}",
            "standard": s,
            "officer": "นายเอ" if i % 2 else "นางบี",
        }
        for i, s in enumerate(["leader", "group", "network", "community"])
    ]
    officers = [{"district_code": 6007, "name": n, "source_row": 4} for n in ("นายเอ", "นางบี")]
    roles = ["chair", "member", "member", "secretary", "assistant_secretary"]
    committee = [{"district_code": 6007, "name": f"ก{i}", "role": r} for i, r in enumerate(roles)]
    scores = [("A0", "pre", {"L1": 3, "L2": 9}, PRE), ("A0", "post", {"L1": 8}, POST)]
    plans = [{"district_code": 6007, "applicant_id": "A0", "indicator_id": "L1", "topic": "x"}]
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
    assert all(x.ok for k, x in f.items() if k != check)


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
    assert failing("deadline_41") == failing("deadline_42") == set()
    assert len(f["district_code"].unique()) == 15
