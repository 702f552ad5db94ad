"""Stage 3 (sub-criteria, timeframes, development) and the province's final round of the sample, a district's sheets put together (district_data), and the workbooks written byte for byte (write_sample)."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

from mchch_lib import config
from mchch_lib.common.atomic import write_bytes
from mchch_lib.data.catalog import Catalog, Standard, load_catalog
from mchch_lib.data.contract import SHEETS
from mchch_lib.data.reference import load_province
from mchch_lib.sample.province import (
    _FIXED,
    _POSITIONS,
    BE_EXCEL_FORMAT,
    FINAL_ROUND,
    NON_COMPLIANT,
    SEED,
    SUBCRITERIA_SHARE,
    _applicant_row,
    _assessments,
    _committee,
    _officers,
    _person,
    _plan_rows,
    _round_half,
    _slug,
    _standards_of_applicants,
    tambons,
)

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
    judges; tests/sample/test_sample.py checks the two agree on the sample)."""
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
