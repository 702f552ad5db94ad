"""Deterministic sample data: one workbook per Nakhon Sawan district for 2561, in exactly the
input contract (Thai headers, a merged title row above the header, BE dates, real tambon names).

``python -m mchch_lib.sample`` rewrites ``data/sample/2561/`` and ``data/sample/2562/`` (the
same province a year later: units that were not ready come back with their names spelled a
little differently, new units, a district without one standard; see ``YEAR_2562``); the same
seed gives byte-identical files (fixed workbook and zip timestamps). The data is realistic but *clean*: the deliberate
errors belong to the ingest fixtures (tests/fixtures/). What is deliberately non-compliant with the
province's guidelines (for the compliance findings) is listed in ``NON_COMPLIANT``.

Besides the district workbooks: agreed sub-criteria for part of the applicants (some adjusted,
some added), development timeframes, and ``province_final_round.xlsx``, the provincial
committee's final round (``FINAL_ROUND`` says what is deliberate in it). These come from their
own random streams, so the districts' applicants, scores and plans are what they were before.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from mchch_lib.common.thai import THAI_MONTHS_SHORT, make_citizen_id, to_be_date_str
from mchch_lib.data.catalog import STANDARD_CODES
from mchch_lib.data.reference import tambons as _reference_tambons

SEED = 2561
BE_EXCEL_FORMAT = "[$-107041E]d mmm yy"
_FIXED = dt.datetime(2018, 1, 1)

#: Deliberate departures from the guidelines, for the compliance findings to name.
NON_COMPLIANT = {
    "missing_standard": {6004: "network", 6011: "community", 6014: "group"},
    "committee_out_of_range": {6013: 4},
    "evidence_unchecked": {6009: 2},
    "plans_incomplete": {6003, 6012},
    "officer_without_target": "every district has one officer with no target",
    # stage 3: a post-development assessment after the 4.2 deadline (the first applicant with
    # a post round), a pre-development one after the agreed start, plan items missing an item
    "post_late": {6002: 1, 6010: 1, 6014: 1},
    "pre_after_start": {6008: 1},
    "plan_items_missing": {6005, 6009, 6011},
}

#: The final round: every unit ready after development is assessed by the provincial
#: committee; all are certified but the first ready unit of ``not_certified_district``; the
#: ratings of ``overrating_district`` are consistently higher than the committee's.
FINAL_ROUND = {
    "overrating_district": 6005,
    "not_certified_district": 6005,
    "certificate_format": "มชช.นว {n:03d}/2561",
}
#: Share of applicants of a district given sub-criteria (all indicators of their standard).
SUBCRITERIA_SHARE = 0.35

_FIRST_M = [
    "สมชาย",
    "สมศักดิ์",
    "ประเสริฐ",
    "วิชัย",
    "สุรชัย",
    "บุญมี",
    "ทองดี",
    "มานพ",
    "ชาตรี",
    "อนันต์",
    "สมบัติ",
    "ประยูร",
    "เฉลิม",
    "ณรงค์",
    "สุเทพ",
    "กิตติ",
    "ธนากร",
    "วีระ",
]
_FIRST_F = [
    "สมศรี",
    "มาลี",
    "บุญเรือน",
    "วันเพ็ญ",
    "สุดารัตน์",
    "อรุณี",
    "จันทร์เพ็ญ",
    "ประไพ",
    "สายสุนีย์",
    "กาญจนา",
    "รัตนา",
    "นงลักษณ์",
    "พรทิพย์",
    "ละเอียด",
    "ทองใบ",
    "ดวงใจ",
]
_LAST = [
    "ใจดี",
    "ศรีสุข",
    "รักษาดี",
    "บุญมา",
    "แก้วประเสริฐ",
    "ทองคำ",
    "พึ่งบุญ",
    "สุขสวัสดิ์",
    "วงศ์ใหญ่",
    "มีสุข",
    "จันทร์แก้ว",
    "เพชรรัตน์",
    "นาคสวัสดิ์",
    "อินทร์พรหม",
    "ปานทอง",
    "เกตุแก้ว",
    "พรหมมา",
    "สิงห์ทอง",
    "คงดี",
    "ชื่นจิต",
]
_GROUPS = [
    "กลุ่มออมทรัพย์เพื่อการผลิตบ้าน{v}",
    "กลุ่มอาชีพทอผ้าบ้าน{v}",
    "กลุ่มแม่บ้านเกษตรกรบ้าน{v}",
    "กลุ่มวิสาหกิจชุมชนข้าวอินทรีย์บ้าน{v}",
    "กลุ่มจักสานผักตบชวาบ้าน{v}",
]
_VILLAGES = [
    "หนองโพ",
    "โคกสว่าง",
    "หัวดง",
    "วังน้ำ",
    "ดอนแฝก",
    "หนองกลับ",
    "ท่างิ้ว",
    "คลองยาง",
    "เนินมะกอก",
    "บางมะฝ่อ",
    "หนองเต่า",
    "ป่าแดง",
    "ทุ่งทอง",
    "สระแก้ว",
    "ห้วยรอบ",
]
_POSITIONS = [
    "นักวิชาการพัฒนาชุมชนชำนาญการ",
    "นักวิชาการพัฒนาชุมชนปฏิบัติการ",
    "เจ้าพนักงานพัฒนาชุมชนชำนาญงาน",
    "เจ้าพนักงานพัฒนาชุมชนปฏิบัติงาน",
]
_ORGS = [
    "สำนักงานเกษตรอำเภอ{d}",
    "สำนักงานสาธารณสุขอำเภอ{d}",
    "ธ.ก.ส. สาขา{d}",
    "องค์การบริหารส่วนตำบล{t}",
    "สถานีตำรวจภูธร{d}",
    "ผู้แทนเครือข่ายองค์กรชุมชน",
    "โรงเรียน{d}วิทยา",
    "สำนักงานท้องถิ่นอำเภอ{d}",
]
_METHODS = ["อบรม", "ศึกษาดูงาน", "เรียนรู้จากผู้รู้", "ฝึกปฏิบัติ", "แลกเปลี่ยนเรียนรู้"]
_EXPERTS = [
    "วิทยากรสำนักงานพัฒนาชุมชนจังหวัด",
    "ปราชญ์ชาวบ้าน",
    "เจ้าหน้าที่ ธ.ก.ส.",
    "ผู้นำเครือข่าย",
    "เกษตรอำเภอ",
]
_EVIDENCE = ["ภาพถ่ายกิจกรรม", "บันทึกการประชุม", "สมุดบัญชี", "รายงานผล", "ใบประกาศ"]


def _person(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return f"นาย{rng.choice(_FIRST_M)} {rng.choice(_LAST)}"
    return f"{rng.choice(['นาง', 'นางสาว'])}{rng.choice(_FIRST_F)} {rng.choice(_LAST)}"


def _slug(name_en: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name_en.lower()).strip("-")


def _round_half(x: float) -> float:
    return round(x * 2) / 2


#: Spellings of the committed samples that the DOPA reference writes otherwise: they were drawn
#: from the earlier table (ตำบลวัดไทรย์ of เมืองนครสวรรค์ written "วัดไทร", as clerks also write
#: it). Kept so the samples, and every figure, certificate and snapshot made from them, stay
#: byte-identical; regenerating them with DOPA's spelling is a decision of its own.
_SAMPLE_SPELLING = {6001: {"วัดไทรย์": "วัดไทร"}}


def tambons(code: int) -> list[str]:
    """The sub-district names the samples draw from (the reference's, with the samples' own
    spellings of :data:`_SAMPLE_SPELLING`)."""
    spelt = _SAMPLE_SPELLING.get(int(code), {})
    return [spelt.get(n, n) for n in _reference_tambons(code)]


def _officers(rng: random.Random) -> list[str]:
    """3 to 6 officers with different names."""
    n_off = rng.randint(3, 6)
    officers: list[str] = []
    while len(officers) < n_off:
        p = _person(rng)
        if p not in officers:
            officers.append(p)
    return officers


def _standards_of_applicants(code: int, rng: random.Random, n_applicants: int | None) -> list:
    """The standard of each applicant: every standard at least once (but the one a district
    deliberately lacks), the rest drawn, in a shuffled order."""
    stds = [s for s in STANDARD_CODES if s != NON_COMPLIANT["missing_standard"].get(code)]
    n_app = n_applicants or rng.randint(max(4, len(stds)), 12)
    if n_app < len(stds):  # too few applicants for every standard
        stds = rng.sample(stds, n_app)
    chosen = list(stds) + [rng.choice(stds) for _ in range(n_app - len(stds))]
    rng.shuffle(chosen)
    return chosen


def _applicant_row(code, catalog, std, written, aid, tbs, officer, evidence, rng) -> list:
    """One row of sheet ผู้สมัคร: a leader (with a citizen ID four times in five), a group, a
    network or a community, its place, officer and application date (BE, sometimes short)."""
    tb = rng.choice(tbs)
    moo = rng.randint(1, 15)
    village = rng.choice(_VILLAGES)
    if std == "leader":
        name = _person(rng)
        cid = (
            make_citizen_id(f"{rng.choice('13')}{code}{rng.randint(0, 9999999):07d}")
            if rng.random() < 0.8
            else None
        )
    elif std == "group":
        name, cid = rng.choice(_GROUPS).format(v=village), None
    elif std == "network":
        name, cid = f"เครือข่ายองค์กรชุมชนตำบล{tb}", None
    else:
        name, cid = f"บ้าน{village} หมู่ที่ {moo}", None
    applied = dt.date(2018, 5, rng.randint(2, 17))
    applied_txt = (
        to_be_date_str(applied)
        if rng.random() < 0.8
        else f"{applied.day} {THAI_MONTHS_SHORT[applied.month - 1]} 61"
    )
    standard_th = catalog.standards[std].name_th
    return [written, aid, standard_th, name, cid, tb, moo, officer, applied_txt, evidence]


def _assessments(aid: str, inds, rng: random.Random) -> tuple[dict, list[tuple]]:
    """An applicant's pre scores around a level of its own, post scores along a trend (most
    improve), and the rounds (the post round missing for about one in eight)."""
    pre_on = dt.datetime(2018, 6, rng.randint(4, 15))
    post_on = dt.datetime(2018, 7, rng.randint(16, 31))
    level = rng.uniform(0.40, 0.70)
    pre = {
        ind.id: min(ind.full_marks, max(0.0, _round_half(ind.full_marks * rng.gauss(level, 0.08))))
        for ind in inds
    }
    trend = rng.uniform(-0.05, 0.30) if rng.random() < 0.85 else rng.uniform(-0.10, 0.0)
    post = {}
    for ind in inds:
        delta = ind.full_marks * rng.gauss(trend, 0.06)
        post[ind.id] = min(ind.full_marks, max(0.0, _round_half(pre[ind.id] + delta)))
    rounds = [("pre", aid, pre_on, pre)]
    if rng.random() > 0.13:
        rounds.append(("post", aid, post_on, post))
    return pre, rounds


def _plan_rows(code, written, aid, inds, pre, rng: random.Random) -> list[list]:
    """A plan item for each indicator below 60 % before development (some left out in the
    districts whose plans are deliberately incomplete)."""
    rows = []
    for ind in inds:
        if pre[ind.id] < 0.6 * ind.full_marks:
            if code in NON_COMPLIANT["plans_incomplete"] and rng.random() < 0.4:
                continue
            rows.append([written, aid, ind.id, f"พัฒนา{ind.name_th}", rng.choice(_METHODS),
                         "มิ.ย.-ก.ค. 2561", rng.choice(_EXPERTS), rng.choice(_EVIDENCE)])  # fmt: skip
    return rows


def _committee(code, district_th, written, officers, tbs, rng: random.Random) -> list[list]:
    """Sheet คณะอนุกรรมการ: a chair, a secretary and an assistant (the first officer), then
    members from local bodies; 5 to 9 in all (out of range where planted)."""
    size = NON_COMPLIANT["committee_out_of_range"].get(code, rng.randint(5, 9))
    roles = ["ประธาน", "เลขานุการ", "ผู้ช่วยเลขานุการ"] + ["กรรมการ"] * (size - 3)
    committee = [["อำเภอ", "ชื่อ-สกุล", "บทบาท", "หน่วยงาน"]]
    orgs = rng.sample(_ORGS, len(_ORGS))
    for j, role in enumerate(roles):
        org = {
            "ประธาน": f"ที่ว่าการอำเภอ{district_th}",
            "เลขานุการ": f"สพอ.{district_th}",
            "ผู้ช่วยเลขานุการ": f"สพอ.{district_th}",
        }.get(role) or orgs[j % len(orgs)].format(d=district_th, t=rng.choice(tbs))
        member = officers[0] if role == "ผู้ช่วยเลขานุการ" else _person(rng)
        committee.append([written, member, role, org])
    return committee
