"""Deterministic sample data: one workbook per Nakhon Sawan district for 2561, in exactly the
input contract (Thai headers, a merged title row above the header, BE dates, real tambon names).

``python -m mchch_lib.sample`` rewrites ``data/sample/2561/`` and ``data/sample/2562/`` (the
same province a year later: units that were not ready come back with their names spelled a
little differently, new units, a district without one standard; see ``YEAR_2562``); the same
seed gives byte-identical files (fixed workbook and zip timestamps). The data is realistic but *clean*: the deliberate
errors belong to the ingest fixtures (tests/data/). What is deliberately non-compliant with the
province's guidelines (for the compliance findings) is listed in ``NON_COMPLIANT``.

Besides the district workbooks: agreed sub-criteria for part of the applicants (some adjusted,
some added), development timeframes, and ``province_final_round.xlsx``, the provincial
committee's final round (``FINAL_ROUND`` says what is deliberate in it). These come from their
own random streams, so the districts' applicants, scores and plans are what they were before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

from mchch_lib import config
from mchch_lib.common.atomic import write_bytes
from mchch_lib.common.thai import THAI_MONTHS_SHORT, make_citizen_id, to_be_date_str, to_thai_digits
from mchch_lib.data.catalog import STANDARD_CODES, Catalog, Standard, load_catalog
from mchch_lib.data.contract import SHEETS
from mchch_lib.data.reference import load_province
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


def district_data(
    code: int, catalog: Catalog, rng: random.Random, n_applicants: int | None = None
) -> dict[str, list[list]]:
    """The rows (header first) of every sheet of one district (of any province: the national
    sample; ``n_applicants`` there, else 4 to 12 as the Nakhon Sawan sample has). The helpers
    draw from ``rng`` in a fixed order: the same seed gives the same workbooks, byte for byte."""
    province = load_province(code // 100)
    d = province.districts[code]
    tbs = tambons(code) or [d.name_th]  # a new district without ตำบล in the table
    written = d.name_th if rng.random() < 0.7 else f"อ.{d.name_th}"
    officers = _officers(rng)
    chosen = _standards_of_applicants(code, rng, n_applicants)
    workers = officers[:-1]  # the last officer has no target
    apps, scores, plans = [], [], []
    unchecked = NON_COMPLIANT["evidence_unchecked"].get(code, 0)
    for i, std in enumerate(chosen, start=1):
        aid = f"2561-{code}-{i:03d}"
        officer = workers[(i - 1) % len(workers)]
        evidence = "ไม่ใช่" if i <= unchecked else "ใช่"
        apps.append(_applicant_row(code, catalog, std, written, aid, tbs, officer, evidence, rng))
        inds = catalog.standards[std].indicators
        pre, rounds = _assessments(aid, inds, rng)
        scores += rounds
        plans += _plan_rows(code, written, aid, inds, pre, rng)
    # stage 3 from a stream of its own: the rows above stay as they were
    cycle = random.Random(f"{SEED}-{code}-cycle")
    subcriteria = _development(code, catalog, apps, scores, plans, written, cycle)
    ind_ids = list(catalog.indicators)
    score_rows = [["อำเภอ", "รหัสผู้สมัคร", "ครั้งที่ประเมิน", "วันที่ประเมิน", *ind_ids]]
    score_rows += [[written, aid, "ก่อนพัฒนา" if rnd == "pre" else "หลังพัฒนา", on,
                    *[vals.get(k) for k in ind_ids]] for rnd, aid, on, vals in scores]  # fmt: skip
    committee = _committee(code, d.name_th, written, officers, tbs, rng)
    return {
        "ผู้สมัคร": [[c.th for c in SHEETS["applicants"].columns], *apps],
        "คะแนน": score_rows,
        "พัฒนากร": [
            ["อำเภอ", "ชื่อ-สกุล", "ตำแหน่ง"],
            *[[written, o, rng.choice(_POSITIONS)] for o in officers],
        ],
        "คณะอนุกรรมการ": committee,
        "แผนพัฒนาตนเอง": [[c.th for c in SHEETS["plans"].columns], *plans],
        "เกณฑ์ย่อย": [SUBCRITERIA_HEADER, *subcriteria],
    }


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


# ---------------------------------------------------------------- stage 3 and the final round
SUBCRITERIA_HEADER = [c.th for c in SHEETS["subcriteria"].columns]
_ADJUSTED = [
    "ทุกหมู่บ้านในตำบล",
    "อย่างน้อยเดือนละ 1 ครั้ง",
    "โดยมีเยาวชนร่วมด้วย",
    "และรายงานผลต่อที่ประชุมหมู่บ้าน",
]
_ADDED = [
    "บันทึกและเผยแพร่ผลการดำเนินงานผ่านสื่อออนไลน์ของชุมชน",
    "มีอาสาสมัครช่วยดำเนินงานอย่างต่อเนื่อง",
    "ถอดบทเรียนหลังทำกิจกรรมทุกครั้ง",
    "ผู้สูงอายุในชุมชนมีส่วนร่วมในกิจกรรม",
]


def _split(total: float, marks: list[float]) -> list[float]:
    """``total`` (a multiple of 0.5) shared among sub-criteria in proportion to their marks, in
    halves, none above its marks: the parts add up to ``total`` exactly."""
    halves, caps = round(total * 2), [round(m * 2) for m in marks]
    whole = sum(caps)
    parts = [min(c, halves * c // whole) for c in caps]
    order = sorted(range(len(caps)), key=lambda k: (-(halves * caps[k] % whole), k))
    rest = halves - sum(parts)
    while rest > 0:
        for k in order:
            if rest and parts[k] < caps[k]:
                parts[k] += 1
                rest -= 1
    return [p / 2 for p in parts]


def _timeframes(code: int, apps: list[list], scores: list, rng: random.Random) -> None:
    """The agreed development start and end of each applicant (after the pre-assessment,
    before the post-assessment), and the deliberate departures of ``NON_COMPLIANT``."""
    dates = {(aid, rnd): on for rnd, aid, on, _ in scores}
    pre_late = NON_COMPLIANT["pre_after_start"].get(code, 0)
    for row in apps:
        pre_on, post_on = dates[(row[1], "pre")], dates.get((row[1], "post"))
        start = pre_on + dt.timedelta(days=rng.randint(1, 10))
        if pre_late:
            start, pre_late = pre_on - dt.timedelta(days=3), pre_late - 1
        if post_on is not None:
            end = post_on - dt.timedelta(days=rng.randint(0, 6))
        else:
            end = start + dt.timedelta(days=rng.randint(35, 45))
        row += [start, end]
    late = NON_COMPLIANT["post_late"].get(code, 0)
    for i, (rnd, aid, _on, vals) in enumerate(scores):
        if rnd == "post" and late:
            scores[i] = (rnd, aid, dt.datetime(2018, 8, rng.randint(13, 20)), vals)
            late -= 1


def _subcriteria_rows(
    catalog: Catalog, apps: list[list], scores: list, written: str, rng: random.Random
) -> list[list]:
    """Sub-criteria for part of the applicants: the catalog's, one adjusted in wording for
    some, one added (taking a mark from the largest) for some; scores split from the
    indicator's, so the score sheet agrees with their sums."""
    rounds = {(aid, rnd): vals for rnd, aid, _on, vals in scores}
    out = []
    for row in apps:
        if rng.random() >= SUBCRITERIA_SHARE:
            continue
        aid, std = row[1], catalog.resolve_standard(row[2])
        inds = catalog.standards[std].indicators
        adjusted = rng.choice(inds).id if rng.random() < 0.5 else None
        added = rng.choice(inds).id if rng.random() < 0.5 else None
        for ind in inds:
            subs = [[c.id, None, None, c.marks] for c in ind.subcriteria]
            if ind.id == adjusted:
                k = rng.randrange(len(subs))
                subs[k][1:3] = [f"{ind.subcriteria[k].name_th} {rng.choice(_ADJUSTED)}", "ปรับ"]
            if ind.id == added:
                big = max(range(len(subs)), key=lambda k: subs[k][3])
                subs[big][2:4] = ["ปรับ", subs[big][3] - 1]
                subs.append([None, rng.choice(_ADDED), "เพิ่ม", 1.0])
            marks = [s[3] for s in subs]
            pre = _split(rounds[(aid, "pre")][ind.id], marks)
            post_vals = rounds.get((aid, "post"))
            post = _split(post_vals[ind.id], marks) if post_vals else [None] * len(subs)
            for (sid, text, kind, m), p, q in zip(subs, pre, post, strict=True):
                out.append([written, aid, ind.id, sid, text, kind, m, p, q])
    return out


def _development(
    code: int,
    catalog: Catalog,
    apps: list[list],
    scores: list,
    plans: list[list],
    written: str,
    rng: random.Random,
) -> list[list]:
    """Stage 3 of one district: timeframes, plan items left incomplete, sub-criteria rows."""
    _timeframes(code, apps, scores, rng)
    if code in NON_COMPLIANT["plan_items_missing"]:
        for row in plans:
            if rng.random() < 0.3:
                row[rng.choice([5, 6, 7])] = None  # period, expert or evidence
    return _subcriteria_rows(catalog, apps, scores, written, rng)


def meets_rule(std: Standard, scores: dict[str, float]) -> bool:
    """The catalog's certification rule on a complete set of scores (what scoring's readiness
    judges; tests/test_sample.py checks the two agree on the sample)."""
    rule = std.rule
    if 100 * sum(scores.values()) / std.full_total < rule.min_share_pct - 1e-9:
        return False
    if rule.core_must_pass and any(scores[i.id] < i.pass_mark for i in std.indicators if i.core):
        return False
    passed = sum(scores[i.id] >= i.pass_mark for i in std.indicators)
    return rule.min_indicators_passed is None or passed >= rule.min_indicators_passed


def _committee_scores(std: Standard, post: dict, overrated: bool, rng: random.Random) -> dict:
    """The committee's scores of a unit that passes: the district's with noise, raised half a
    mark at a time where most below until the unit passes; for a district that over-rates,
    the district's lowered half a mark at a time (about 9 % of full marks in all) as far as
    the unit still passes."""
    if overrated:
        out, target = dict(post), sum(post.values()) - 0.09 * std.full_total
        for _ in range(400):
            if sum(out.values()) <= target:
                break
            i = rng.choice(std.indicators).id
            if out[i] >= 0.5:
                out[i] -= 0.5
                if not meets_rule(std, out):
                    out[i] += 0.5
        return out
    out = {
        i.id: min(
            i.full_marks,
            max(0.0, _round_half(post[i.id] + i.full_marks * rng.gauss(-0.01, 0.04))),
        )
        for i in std.indicators
    }
    while not meets_rule(std, out):
        i = min(std.indicators, key=lambda i: (out[i.id] - post[i.id], i.order))
        out[i.id] = min(i.full_marks, out[i.id] + 0.5)
    return out


def _failed_scores(std: Standard, scores: dict) -> tuple[dict, str]:
    """The committee's scores made to fail a unit on its first core indicator, and the note
    saying why."""
    core = next(i for i in std.indicators if i.core)
    out = dict(scores) | {core.id: min(scores[core.id], _round_half(core.pass_mark) - 1)}
    note = (
        f"ตัวบ่งชี้หลัก {core.id} ได้ {out[core.id]:g} คะแนน ต่ำกว่าเกณฑ์ผ่าน {core.pass_mark:g} "
        "ตามการตรวจหลักฐานของคณะกรรมการ ให้พัฒนาต่อเนื่องและสมัครใหม่ในปีถัดไป"
    )
    return out, note


def final_round_data(districts: dict[int, dict], catalog: Catalog, rng: random.Random) -> dict:
    """The province's final-round workbook: every ready unit assessed by the provincial
    committee (see ``FINAL_ROUND``), and the committee's members."""
    ind_ids = list(catalog.indicators)
    head = [c.th for c in SHEETS["final_round"].columns]
    rows, number, failed = [head + ind_ids], 0, False
    for code, sheets in districts.items():
        apps = {r[1]: r for r in sheets["ผู้สมัคร"][1:]}
        for r in sheets["คะแนน"][1:]:
            if r[2] != "หลังพัฒนา":
                continue
            std = catalog.standards[catalog.resolve_standard(apps[r[1]][2])]
            post = {i: v for i, v in zip(ind_ids, r[4:], strict=True) if v is not None}
            if not meets_rule(std, post):
                continue
            overrated = code == FINAL_ROUND["overrating_district"]
            scores, note = _committee_scores(std, post, overrated, rng), None
            if code == FINAL_ROUND["not_certified_district"] and not failed:
                (scores, note), failed = _failed_scores(std, scores), True
            ok = note is None
            number += ok
            rows.append(
                [
                    r[0],
                    r[1],
                    dt.datetime(2018, 8, rng.randint(27, 31)),
                    "ผ่าน" if ok else "ไม่ผ่าน",
                    "ใช่" if ok else "ไม่ใช่",
                    FINAL_ROUND["certificate_format"].format(n=number) if ok else None,
                    dt.datetime(2018, 9, 14) if ok else None,
                    note,
                    *[scores.get(i) for i in ind_ids],
                ]
            )
    return {"ผลการรับรองระดับจังหวัด": rows, "คณะกรรมการจังหวัด": _province_committee(rng)}


def _province_committee(rng: random.Random) -> list[list]:
    members = [
        ("ประธาน", "รองผู้ว่าราชการจังหวัดนครสวรรค์", "ศาลากลางจังหวัดนครสวรรค์"),
        ("กรรมการ", "ปลัดจังหวัดนครสวรรค์", "ที่ทำการปกครองจังหวัดนครสวรรค์"),
        ("กรรมการ", "เกษตรจังหวัดนครสวรรค์", "สำนักงานเกษตรจังหวัดนครสวรรค์"),
        ("กรรมการ", "ท้องถิ่นจังหวัดนครสวรรค์", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด"),
        ("กรรมการ", "ผู้แทนสถาบันการศึกษา", "มหาวิทยาลัยราชภัฏนครสวรรค์"),
        ("กรรมการ", "ผู้แทนเครือข่ายผู้ผ่านการรับรอง มชช.", "เครือข่ายผู้นำ มชช. จังหวัดนครสวรรค์"),
        ("เลขานุการ", "พัฒนาการจังหวัดนครสวรรค์", "สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์"),
        ("ผู้ช่วยเลขานุการ", "หัวหน้ากลุ่มงานส่งเสริมการพัฒนาชุมชน", "สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์"),
    ]
    rows = [[c.th for c in SHEETS["province_committee"].columns]]
    names: list[str] = []
    for role, position, org in members:
        name = _person(rng)
        while name in names:
            name = _person(rng)
        names.append(name)
        rows.append([name, role, position, org])
    return rows


_TITLES = {
    "ผู้สมัคร": "ทะเบียนผู้สมัคร",
    "คะแนน": "ผลการประเมินตนเอง",
    "พัฒนากร": "รายชื่อพัฒนากร",
    "คณะอนุกรรมการ": "คณะอนุกรรมการระดับอำเภอ",
    "แผนพัฒนาตนเอง": "แผนพัฒนาตนเอง",
    "เกณฑ์ย่อย": "เกณฑ์ย่อยที่ตกลงร่วมกัน",
    "ผลการรับรองระดับจังหวัด": "ผลการประเมินรอบสุดท้ายของคณะกรรมการรับรองมาตรฐานการพัฒนาชุมชนจังหวัด",
    "คณะกรรมการจังหวัด": "คณะกรรมการรับรองมาตรฐานการพัฒนาชุมชนจังหวัด",
}


def workbook_bytes(
    sheets: dict[str, list[list]],
    title_place: str,
    wide: tuple[str, ...] = (),
    year: int = 2561,
) -> bytes:
    """An .xlsx in the contract layout with fixed timestamps (same input, same bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.cell(1, 1, f"{_TITLES[name]} มชช. ปี {year} {title_place}").font = Font(
            bold=True, size=14
        )
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        for r, row in enumerate(rows, start=3):
            for j, v in enumerate(row, start=1):
                if v is None:
                    continue
                c = ws.cell(r, j, v)
                if isinstance(v, dt.datetime):
                    c.number_format = BE_EXCEL_FORMAT
                if r == 3:
                    c.font = Font(bold=True)
        for j, h in enumerate(rows[0], start=1):
            width = 7 if len(str(h)) <= 3 else 14 if j > 1 else 12
            if name in ("ผู้สมัคร", "คณะอนุกรรมการ") and j in (2, 4):
                width = 30
            if h in wide:
                width = 40
            ws.column_dimensions[ws.cell(3, j).column_letter].width = width
    wb.properties.created = _FIXED
    wb.properties.modified = _FIXED
    wb.properties.creator = "mchch sample"
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*<",
                    rb"\g<1>2018-01-01T00:00:00Z<",
                    body,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2018, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, body)
    return out.getvalue()


def write_sample(out_dir: Path | None = None, year: int = 2561, seed: int = SEED) -> list[Path]:
    """Write the sample workbooks (one per district); return their paths."""
    out_dir = Path(out_dir) if out_dir is not None else config.sample_dir(year)
    catalog = load_catalog(year=year)
    province = load_province(60)
    paths, districts = [], {}
    for code in sorted(province.districts):
        rng = random.Random(f"{seed}-{code}")  # one stream per district: stable if one changes
        d = province.districts[code]
        data = district_data(code, catalog, rng)
        districts[code] = data
        p = out_dir / f"{code}_{_slug(d.name_en)}.xlsx"
        title = f"อำเภอ{d.name_th} จังหวัด{province.name_th}"
        write_bytes(p, workbook_bytes(data, title, wide=("เกณฑ์ย่อย",)))
        paths.append(p)
    final = final_round_data(districts, catalog, random.Random(f"{seed}-final"))
    p = out_dir / "province_final_round.xlsx"
    write_bytes(p, workbook_bytes(final, f"จังหวัด{province.name_th}", wide=("หมายเหตุ",)))
    return [*paths, p]


# ---------------------------------------------------------------- the second year: 2562
SEED_2562 = 2562
#: What the 2562 sample shows beside 2561 (tests/test_sample.py checks each).
YEAR_2562 = {
    # 6007 had networks in 2561 and has none in 2562 (a district missing a standard this year)
    "missing_standard": {6007: "network"},
    # units of 2561 that were not ready apply again (about this share of them)
    "return_share": 0.6,
    # a group of 2561 that split in two in 2562: both halves look like it (ambiguous), and
    # data/reference/matches.csv confirms which one it is
    "split_group_district": 6007,
}


def _spelling_drift(name: str, standard: str, rng: random.Random) -> str:
    """The same unit's name as another clerk types it a year later: a prefix added or dropped,
    other spacing, an abbreviation, Thai digits."""
    k = rng.randrange(3)
    if standard == "group":  # and now and then a slip: a thanthakhat (์) left out
        rest = name.removeprefix("กลุ่ม")
        slip = name.replace("\u0e4c", "", 1) if rng.random() < 0.3 else name
        return [rest, f"กลุ่ม {rest}", slip.replace("บ้าน", " บ้าน", 1)][k]
    if standard == "network":
        return [
            name.replace("ตำบล", " ต.", 1),
            name.replace("ตำบล", "ตำบล ", 1),
            name.replace("เครือข่าย", "เครือข่าย ", 1),
        ][k]
    if standard == "community":
        m = re.fullmatch(r"บ้าน(\S+) หมู่ที่ (\d+)", name)
        if m:
            v, moo = m.groups()
            return [f"{v} หมู่ {moo}", f"บ้าน{v} ม.{moo}", f"บ้าน {v} หมู่ที่ {to_thai_digits(moo)}"][k]
    return name


def _leader_drift(name: str, rng: random.Random) -> str:
    """A leader a year later: sometimes another title (นางสาว -> นาง) or a new surname."""
    if name.startswith("นางสาว") and rng.random() < 0.5:
        return "นาง" + name.removeprefix("นางสาว")
    if name.startswith("นาง") and rng.random() < 0.3:
        return f"{name.rsplit(' ', 1)[0]} {rng.choice(_LAST)}"
    return name


def _not_ready_2561(last: dict[str, list[list]], catalog: Catalog) -> list[dict]:
    """The 2561 applicants of a district (as dicts of the applicant sheet) that were not ready:
    no post round, or a post total below the standard's share (an approximation of the rule,
    enough to pick who applies again)."""
    head = last["ผู้สมัคร"][0]
    apps = [dict(zip(head, r, strict=True)) for r in last["ผู้สมัคร"][1:]]
    ids = last["คะแนน"][0][4:]
    post = {
        r[1]: dict(zip(ids, r[4:], strict=True)) for r in last["คะแนน"][1:] if r[2] == "หลังพัฒนา"
    }
    out = []
    for a in apps:
        std = catalog.standards[catalog.resolve_standard(a["มาตรฐาน"])]
        vals = post.get(a["รหัสผู้สมัคร"])
        share = 100 * sum(vals[i.id] for i in std.indicators) / std.full_total if vals else 0
        if share < std.rule.min_share_pct:
            out.append({**a, "standard": std.code})
    return out


def _units_2562(code: int, last: dict, cat61: Catalog, rng: random.Random) -> list[dict]:
    """The 2562 applicants of a district: 2561 units that were not ready and apply again (names
    drifted), then new units; none of the standard this district skips in 2562."""
    skip = YEAR_2562["missing_standard"].get(code)
    units = []
    for a in _not_ready_2561(last, cat61):
        if a["standard"] == skip or rng.random() > YEAR_2562["return_share"]:
            continue
        std, name, cid = a["standard"], a["ชื่อ"], a["เลขประจำตัวประชาชน"]
        if std == "leader":
            name = _leader_drift(name, rng)
            if cid is None:  # registered without an ID in 2561, with one now
                cid = make_citizen_id(f"3{code}{rng.randint(0, 9999999):07d}")
        else:
            name = _spelling_drift(name, std, rng)
        tambon = a["ตำบล"] if rng.random() < 0.8 else f"ต.{a['ตำบล']}"
        units.append({"standard": std, "name": name, "cid": cid, "tambon": tambon,
                      "moo": a["หมู่ที่"], "level": (0.50, 0.75)})  # fmt: skip
    if code == YEAR_2562["split_group_district"]:
        first = next((u for u in units if u["standard"] == "group"), None)
        if first is not None:
            half = {**first, "name": first["name"].replace("บ้าน", "บ้าน ", 1), "moo": 1}
            units.append({**half, "level": (0.40, 0.70)})
    stds = [s for s in STANDARD_CODES if s != skip]
    missing = [s for s in stds if s not in {u["standard"] for u in units}]
    n_new = max(len(missing), rng.randint(2, 6))
    tbs = tambons(code)
    for std in missing + [rng.choice(stds) for _ in range(n_new - len(missing))]:
        tb, moo, village = rng.choice(tbs), rng.randint(1, 15), rng.choice(_VILLAGES)
        name, cid = {
            "leader": (_person(rng), make_citizen_id(f"1{code}{rng.randint(0, 9999999):07d}")),
            "group": (rng.choice(_GROUPS).format(v=village), None),
            "network": (f"เครือข่ายองค์กรชุมชนตำบล{tb}", None),
            "community": (f"บ้าน{village} หมู่ที่ {moo}", None),
        }[std]
        units.append({"standard": std, "name": name, "cid": cid, "tambon": tb, "moo": moo,
                      "level": (0.40, 0.70)})  # fmt: skip
    return units


def _scores_2562(std: Standard, level: tuple[float, float], rng: random.Random):
    """Pre and post scores of one applicant (post None: not assessed after development)."""
    lv = rng.uniform(*level)
    pre = {
        i.id: min(i.full_marks, max(0.0, _round_half(i.full_marks * rng.gauss(lv, 0.08))))
        for i in std.indicators
    }
    trend = rng.uniform(-0.05, 0.30) if rng.random() < 0.85 else rng.uniform(-0.10, 0.0)
    post = {
        i.id: min(
            i.full_marks, max(0.0, _round_half(pre[i.id] + i.full_marks * rng.gauss(trend, 0.06)))
        )
        for i in std.indicators
    }
    return pre, (post if rng.random() > 0.13 else None)


def district_data_2562(
    code: int, catalog: Catalog, last: dict[str, list[list]], cat61: Catalog, rng: random.Random
) -> dict[str, list[list]]:
    """The rows (header first) of every sheet of one district in 2562, given its 2561 sheets."""
    d = load_province(60).districts[code]
    written = d.name_th if rng.random() < 0.7 else f"อำเภอ{d.name_th}"
    officers = [r[1] for r in last["พัฒนากร"][1:]]
    officers[-1] = _person(rng)  # one officer moved; the newcomer has no target yet
    workers = officers[:-1]
    units = _units_2562(code, last, cat61, rng)
    apps, scores, plans = [], [], []
    for i, u in enumerate(units, start=1):
        aid, std = f"2562-{code}-{i:03d}", catalog.standards[u["standard"]]
        applied = dt.date(2019, 5, rng.randint(2, 17))
        apps.append([written, aid, std.name_th, u["name"], u["cid"], u["tambon"], u["moo"],
                     workers[(i - 1) % len(workers)], to_be_date_str(applied), "ใช่"])  # fmt: skip
        pre, post = _scores_2562(std, u["level"], rng)
        scores.append(("ก่อนพัฒนา", aid, dt.datetime(2019, 6, rng.randint(4, 15)), pre))
        if post is not None:
            scores.append(("หลังพัฒนา", aid, dt.datetime(2019, 7, rng.randint(16, 31)), post))
        plans += [
            [written, aid, ind.id, f"พัฒนา{ind.name_th}", rng.choice(_METHODS), "มิ.ย.-ก.ค. 2562",
             rng.choice(_EXPERTS), rng.choice(_EVIDENCE)]
            for ind in std.indicators if pre[ind.id] < 0.6 * ind.full_marks
        ]  # fmt: skip
    ids = list(catalog.indicators)
    committee = [last["คณะอนุกรรมการ"][0], *([written, *r[1:]] for r in last["คณะอนุกรรมการ"][1:])]
    return {
        "ผู้สมัคร": [last["ผู้สมัคร"][0], *apps],
        "คะแนน": [last["คะแนน"][0][:4] + ids,
                  *([written, aid, rnd, on, *[v.get(k) for k in ids]] for rnd, aid, on, v in scores)],
        "พัฒนากร": [last["พัฒนากร"][0], *[[written, o, rng.choice(_POSITIONS)] for o in officers]],
        "คณะอนุกรรมการ": committee,
        "แผนพัฒนาตนเอง": [last["แผนพัฒนาตนเอง"][0], *plans],
    }  # fmt: skip


def write_sample_2562(out_dir: Path | None = None) -> list[Path]:
    """Write the 2562 sample workbooks: the same province a year later, with units returning
    from 2561 (the 2561 data is regenerated in memory from its own seed)."""
    out_dir = Path(out_dir) if out_dir is not None else config.sample_dir(2562)
    cat61, cat62 = load_catalog(year=2561), load_catalog(year=2562)
    province = load_province(60)
    paths = []
    for code in sorted(province.districts):
        last = district_data(code, cat61, random.Random(f"{SEED}-{code}"))
        rng = random.Random(f"{SEED_2562}-{code}")
        d = province.districts[code]
        data = district_data_2562(code, cat62, last, cat61, rng)
        p = out_dir / f"{code}_{_slug(d.name_en)}.xlsx"
        write_bytes(p, workbook_bytes(data, f"อำเภอ{d.name_th} จังหวัด{province.name_th}", year=2562))
        paths.append(p)
    return paths


# ---------------------------------------------------------------- the whole country
#: What the national sample (``--national``) holds beside clean data, for completeness and
#: validation to find (tests/test_national.py checks each).
NATIONAL = {
    "folder": "national",  # data/national/<year>/<province>_<name>/<district>_<name>.xlsx
    "applicants": (3, 25),  # per district
    "same_as_sample": 60,  # Nakhon Sawan: the 2561 sample itself, its final round included
    "missing_province": 58,  # แม่ฮ่องสอน sent nothing at all
    "missing_share": 0.02,  # of the other districts, about this share sent nothing
    # a clerk writes "อ.เมือง": ambiguous country-wide, so the file's name places it
    "written_mueang": 3001,
    # planted errors, one row each: a score above full marks, a district nobody knows, a
    # citizen ID with a wrong check digit
    "score_out_of_range": 1001,
    "unknown_district": 5001,
    "invalid_citizen_id": 9001,
}


def national_layout(seed: int = SEED) -> dict[int, list[int]]:
    """The districts of the national sample by province (the missing ones left out)."""
    from mchch_lib.data.reference import national_districts

    rng = random.Random(f"{seed}-national-missing")
    out: dict[int, list[int]] = {}
    for code in sorted(national_districts()):
        pcode = code // 100
        if pcode == NATIONAL["missing_province"]:
            continue
        if pcode != NATIONAL["same_as_sample"] and rng.random() < NATIONAL["missing_share"]:
            continue
        out.setdefault(pcode, []).append(code)
    return out


def _plant(code: int, data: dict[str, list[list]]) -> None:
    """The planted problem of a district of the national sample, if it has one."""
    apps, scores = data["ผู้สมัคร"], data["คะแนน"]
    if code == NATIONAL["written_mueang"]:
        for sheet in data.values():
            for row in sheet[1:]:
                row[0] = "อ.เมือง"
    if code == NATIONAL["score_out_of_range"]:
        j = next(k for k, v in enumerate(scores[1], start=0) if k >= 4 and v is not None)
        scores[1][j] = scores[1][j] + 50
    if code == NATIONAL["unknown_district"]:
        apps[-1][0] = "อำเภอบ้านไม่มีจริง"
    if code == NATIONAL["invalid_citizen_id"]:
        row = next((r for r in apps[1:] if r[4]), None)
        if row is not None:
            row[4] = row[4][:-1] + str((int(row[4][-1]) + 1) % 10)


def _national_district(args: tuple) -> tuple[Path, bytes]:
    """One workbook of the national sample (a process of the pool makes it)."""
    code, out_dir, seed = args
    from mchch_lib.data.reference import provinces

    catalog = load_catalog(year=2561)
    d = load_province(code // 100).districts[code]
    info = provinces()[code // 100]
    if code // 100 == NATIONAL["same_as_sample"]:
        data = district_data(code, catalog, random.Random(f"{seed}-{code}"))
    else:
        rng = random.Random(f"{seed}-national-{code}")
        data = district_data(code, catalog, rng, rng.randint(*NATIONAL["applicants"]))
        _plant(code, data)
    folder = Path(out_dir) / f"{info.code}_{_slug(info.name_en)}"
    title = f"อำเภอ{d.name_th} {info.place_th}"
    return folder / f"{code}_{_slug(d.name_en)}.xlsx", workbook_bytes(
        data, title, wide=("เกณฑ์ย่อย",)
    )


def write_national(out_dir: Path | None = None, seed: int = SEED, processes: int = 2) -> list[Path]:
    """Write the national sample of 2561 (see ``NATIONAL``): a workbook per district of every
    province but the missing ones, by province folder; Nakhon Sawan's folder is the 2561
    sample with its final round. Deterministic (same bytes); ``processes`` make it."""
    import multiprocessing as mp

    out_dir = Path(out_dir) if out_dir is not None else config.DATA_DIR / "national" / "2561"
    codes = [c for cs in national_layout(seed).values() for c in cs]
    with mp.get_context("fork").Pool(processes) as pool:
        made = pool.map(_national_district, [(c, out_dir, seed) for c in codes], chunksize=16)
    paths = []
    for path, data in made:
        write_bytes(path, data)
        paths.append(path)
    same = NATIONAL["same_as_sample"]
    final = [p for p in write_sample(Path(out_dir) / ".final", seed=seed) if "final" in p.name]
    target = paths[[p.parent.name.startswith(f"{same}_") for p in paths].index(True)].parent
    write_bytes(target / final[0].name, final[0].read_bytes())
    import shutil

    shutil.rmtree(Path(out_dir) / ".final")
    return [*paths, target / final[0].name]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mchch_lib.sample", description=__doc__)
    ap.add_argument(
        "--year", type=int, action="append", choices=(2561, 2562),
        help="only this year (repeat); default: 2561 and 2562",
    )  # fmt: skip
    ap.add_argument(
        "--out", type=Path, default=None,
        help="folder for one year's workbooks (default data/sample/<year>); without --year: 2561",
    )  # fmt: skip
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument(
        "--national", action="store_true",
        help="the national sample of 2561 instead: every district of the country (a few "
        "missing), in data/national/2561 (or --out)",
    )  # fmt: skip
    args = ap.parse_args(argv)
    if args.national:
        paths = write_national(args.out, seed=args.seed)
        n_prov = len({p.parent for p in paths})
        print(f"{len(paths)} workbooks of {n_prov} provinces in {paths[0].parent.parent}")
        return 0
    years = args.year or ([2561] if args.out else [2561, 2562])
    if args.out and len(years) > 1:
        ap.error("--out is one year's folder: name that --year")
    for year in years:
        if year == 2561:
            paths = write_sample(args.out, seed=args.seed)
            last = " (the last: the province's final round)"
        else:
            paths = write_sample_2562(args.out)
            last = ""
        print(f"{len(paths)} workbooks in {paths[0].parent}{last}")
    return 0
