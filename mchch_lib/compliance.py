"""Guideline compliance (การดำเนินงานตามแนวทาง) per district, from the province's letter:
all four standards, every officer with a target, a committee of 5–9 with a chair and a
secretary, evidence checked, a plan item for every indicator below its pass mark before
development, reports 4.1 and 4.2 on time; stage 3: a development timeframe agreed for every
applicant and kept, plan items that say when, who and with what evidence. For the province:
the certification committee has a chair and a secretary. Each finding is a value with Thai
and English text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd

from . import development, thai
from .catalog import STANDARD_CODES, Catalog
from .model import Dataset
from .reference import alias_key

COMMITTEE_MIN, COMMITTEE_MAX = 5, 9
CHECKS = (
    "all_standards",
    "officers_have_targets",
    "committee_size",
    "committee_roles",
    "evidence_checked",
    "plans_cover_gaps",
    "deadline_41",
    "deadline_42",
    "timeframe_set",
    "timeframe_kept",
    "plans_complete",
)
#: Checks of the province as a whole (``check_province``).
PROVINCE_CHECKS = ("province_committee_roles",)


@dataclass(frozen=True)
class Finding:
    district_code: int
    check: str
    ok: bool
    severity: str  # "ok" | "warning" | "error"
    message_th: str
    message_en: str


def _f(code, check, ok, th, en, severity="warning") -> Finding:
    return Finding(code, check, ok, "ok" if ok else severity, th, en)


def check_district(
    ds: Dataset,
    catalog: Catalog,
    district_code: int,
    deadline_41: dt.date | None,
    deadline_42: dt.date | None,
    stage3: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> list[Finding]:
    """Every guideline check for one district. ``stage3``: the district's rows of
    ``development.timeframe_status`` and ``development.plan_gaps`` when already computed (a
    province's are computed once for all its districts)."""
    code = district_code
    a = ds.applicants[ds.applicants["district_code"] == code]
    off = ds.officers[ds.officers["district_code"] == code]
    com = ds.committee[ds.committee["district_code"] == code]
    sc = ds.scores[ds.scores["district_code"] == code]
    pl = ds.plans[ds.plans["district_code"] == code]
    out: list[Finding] = []

    have = set(a["standard"])
    missing = [s for s in STANDARD_CODES if s in catalog.standards and s not in have]
    out.append(
        _f(
            code,
            "all_standards",
            not missing,
            "มีเป้าหมายครบทั้ง 4 มาตรฐาน"
            if not missing
            else "ยังไม่มีผู้สมัคร" + ", ".join(catalog.standards[s].name_th for s in missing),
            "All four standards have at least one unit"
            if not missing
            else "No applicant for the "
            + ", ".join(catalog.standards[s].name_en for s in missing)
            + " standard",
            "error",
        )
    )

    targets = {alias_key(o) for o in a["officer"].dropna()}
    idle = [n for n in off["name"] if alias_key(n) not in targets]
    out.append(
        _f(
            code,
            "officers_have_targets",
            bool(len(off)) and not idle,
            f"พัฒนากรทุกคน ({len(off)} คน) รับผิดชอบเป้าหมายอย่างน้อย 1 เป้าหมาย"
            if not idle
            else ("ไม่มีรายชื่อพัฒนากร" if not len(off) else f"พัฒนากรที่ยังไม่มีเป้าหมาย: {', '.join(idle)}"),
            f"Every officer ({len(off)}) has at least one target"
            if not idle
            else (
                "No officers listed"
                if not len(off)
                else f"Officer(s) with no target: {', '.join(idle)}"
            ),
            "error",
        )
    )

    n = len(com)
    ok = COMMITTEE_MIN <= n <= COMMITTEE_MAX
    out.append(
        _f(
            code,
            "committee_size",
            ok,
            f"คณะอนุกรรมการ {n} คน (ต้องมี {COMMITTEE_MIN}–{COMMITTEE_MAX} คน)"
            + ("" if ok else " ไม่เป็นไปตามแนวทาง"),
            f"Committee of {n} members (must be {COMMITTEE_MIN}–{COMMITTEE_MAX})"
            + ("" if ok else ": out of range"),
            "error",
        )
    )
    n_chair = int((com["role"] == "chair").sum())
    n_sec = int((com["role"] == "secretary").sum())
    ok = n_chair == 1 and n_sec >= 1
    out.append(
        _f(
            code,
            "committee_roles",
            ok,
            "มีประธานและเลขานุการ"
            if ok
            else f"คณะอนุกรรมการมีประธาน {n_chair} คน เลขานุการ {n_sec} คน "
            "(ต้องมีประธาน 1 คนและเลขานุการ)",
            "Has a chair and a secretary"
            if ok
            else f"Committee has {n_chair} chair(s) and {n_sec} secretary(ies): needs exactly "
            "one chair and a secretary",
            "error",
        )
    )

    unchecked = a[a["evidence_checked"].fillna(False) == False]  # noqa: E712 - NA-aware
    ids = ", ".join(unchecked["applicant_id"])
    out.append(
        _f(
            code,
            "evidence_checked",
            not len(unchecked),
            "ตรวจหลักฐานผู้สมัครครบทุกราย"
            if not len(unchecked)
            else f"ยังไม่ได้ตรวจหลักฐาน {len(unchecked)} ราย: {ids}",
            "Evidence checked for every applicant"
            if not len(unchecked)
            else f"Evidence not checked for {len(unchecked)} applicant(s): {ids}",
        )
    )

    pre = sc[sc["round"] == "pre"].copy()
    pass_marks = {i: ind.pass_mark for i, ind in catalog.indicators.items()}
    pre["pass_mark"] = pre["indicator_id"].map(pass_marks).astype(float)  # float when empty too
    below = set(
        zip(
            pre.loc[pre["score"] < pre["pass_mark"], "applicant_id"],
            pre.loc[pre["score"] < pre["pass_mark"], "indicator_id"],
            strict=True,
        )
    )
    planned = set(zip(pl["applicant_id"], pl["indicator_id"], strict=True))
    gaps = sorted(below - planned)
    shown = ", ".join(f"{x}/{i}" for x, i in gaps[:8]) + (" ..." if len(gaps) > 8 else "")
    out.append(
        _f(
            code,
            "plans_cover_gaps",
            not gaps,
            f"ทุกตัวบ่งชี้ที่ต่ำกว่าเกณฑ์ก่อนพัฒนา ({len(below)} รายการ) มีแผนพัฒนาตนเอง"
            if not gaps
            else f"ตัวบ่งชี้ต่ำกว่าเกณฑ์ก่อนพัฒนาที่ยังไม่มีแผนพัฒนาตนเอง {len(gaps)} รายการ: {shown}",
            f"Every indicator below its pass mark before development ({len(below)}) has a plan item"
            if not gaps
            else f"{len(gaps)} indicator(s) below pass mark without a plan item: {shown}",
        )
    )

    for check, deadline, dates, what_th, what_en in (
        (
            "deadline_41",
            deadline_41,
            a["applied_on"],
            "รายงาน 4.1 รายชื่อผู้สมัคร",
            "report 4.1 (applicant list)",
        ),
        (
            "deadline_42",
            deadline_42,
            sc.loc[sc["round"] == "post", "assessed_on"],
            "รายงาน 4.2 ผลการพัฒนาตนเอง",
            "report 4.2 (results)",
        ),
    ):
        if deadline is None:
            continue
        late = dates.dropna()
        late = late[late.dt.date > deadline]
        d_th = thai.format_date_th(deadline)
        out.append(
            _f(
                code,
                check,
                not len(late),
                f"{what_th} ทันกำหนด {d_th}"
                if not len(late)
                else f"{what_th}: มีข้อมูล {len(late)} รายการหลังกำหนด {d_th}",
                f"{what_en} on time ({deadline.isoformat()})"
                if not len(late)
                else f"{what_en}: {len(late)} record(s) after the deadline {deadline.isoformat()}",
            )
        )
    return out + _stage3(ds, code, a, pl, deadline_42, stage3)


def _ids(ids) -> str:
    ids = list(ids)
    return ", ".join(ids[:8]) + (" ..." if len(ids) > 8 else "")


def _stage3(ds: Dataset, code: int, a, pl, deadline_42: dt.date | None, done=None) -> list[Finding]:
    """The development timeframe (letter 3.1, 3.5) and the plan items (3.3)."""
    if done is None:
        part = ds.for_district(code)
        done = development.timeframe_status(part, deadline_42), development.plan_gaps(part)
    tf, gaps = done
    unset = tf[tf["status"] == "no_timeframe"]
    behind = tf[tf["behind"]]
    return [
        _f(
            code,
            "timeframe_set",
            not len(unset),
            f"กำหนดระยะเวลาพัฒนาครบทุกราย ({len(a)} ราย)"
            if not len(unset)
            else f"ยังไม่ได้กำหนดระยะเวลาพัฒนา {len(unset)} ราย: {_ids(unset['applicant_id'])}",
            f"A development timeframe for every applicant ({len(a)})"
            if not len(unset)
            else f"No development timeframe for {len(unset)} applicant(s): "
            f"{_ids(unset['applicant_id'])}",
        ),
        _f(
            code,
            "timeframe_kept",
            not len(behind),
            "ไม่มีผู้สมัครที่ล่าช้ากว่าระยะเวลาพัฒนาที่กำหนด"
            if not len(behind)
            else f"ล่าช้ากว่าระยะเวลาพัฒนาที่กำหนด {len(behind)} ราย: {_ids(behind['applicant_id'])}",
            "No applicant behind the agreed timeframe"
            if not len(behind)
            else f"{len(behind)} applicant(s) behind the agreed timeframe: "
            f"{_ids(behind['applicant_id'])}",
        ),
        _f(
            code,
            "plans_complete",
            not len(gaps),
            (
                f"แผนพัฒนาตนเองทุกรายการ ({len(pl)} รายการ) ระบุเวลา ผู้รู้ และหลักฐาน"
                if len(pl)
                else "ยังไม่มีรายการแผนพัฒนาตนเองให้ตรวจ"
            )
            if not len(gaps)
            else f"แผนพัฒนาตนเองที่ยังไม่ระบุเวลา ผู้รู้ หรือหลักฐาน {len(gaps)} รายการ",
            (
                f"Every plan item ({len(pl)}) says when, who and with what evidence"
                if len(pl)
                else "No plan item to check yet"
            )
            if not len(gaps)
            else f"{len(gaps)} plan item(s) do not say when, who or with what evidence",
        ),
    ]


def check_province(ds: Dataset) -> list[Finding]:
    """The checks of the province as a whole: the provincial certification committee has one
    chair and a secretary (none when there is neither a final round nor a committee yet)."""
    com = ds.province_committee
    if not len(com) and not len(ds.final_round):
        return []
    n_chair = int((com["role"] == "chair").sum())
    n_sec = int((com["role"] == "secretary").sum())
    ok = n_chair == 1 and n_sec >= 1
    return [
        _f(
            ds.province_code,
            "province_committee_roles",
            ok,
            f"คณะกรรมการรับรองมาตรฐานการพัฒนาชุมชนจังหวัด {len(com)} คน มีประธานและเลขานุการ"
            if ok
            else f"คณะกรรมการรับรองมาตรฐานการพัฒนาชุมชนจังหวัดมีประธาน {n_chair} คน "
            f"เลขานุการ {n_sec} คน (ต้องมีประธาน 1 คนและเลขานุการ)",
            f"The provincial certification committee ({len(com)}) has a chair and a secretary"
            if ok
            else f"The provincial certification committee has {n_chair} chair(s) and {n_sec} "
            "secretary(ies): needs exactly one chair and a secretary",
            "error",
        )
    ]


def check_all(
    ds: Dataset,
    catalog: Catalog,
    deadline_41: dt.date | None,
    deadline_42: dt.date | None,
    districts: list[int] | None = None,
) -> pd.DataFrame:
    """Findings of every district (those with any data, or the ones given)."""
    if districts is None:
        codes = set()
        for name in ("applicants", "officers", "committee"):
            codes |= set(ds.table(name)["district_code"].dropna().astype(int))
        districts = sorted(codes)
    from .model import split_by_district

    # each table split once, and stage 3 computed once, not once per district (and for one
    # district, on that district's rows only)
    if len(districts) == 1:
        ds = ds.for_district(districts[0])
    parts = ds.by_district(list(districts))
    tf = split_by_district(development.timeframe_status(ds, deadline_42), list(districts))
    gaps = split_by_district(development.plan_gaps(ds), list(districts))
    rows = [
        asdict(f)
        for code in districts
        for f in check_district(
            parts[code], catalog, code, deadline_41, deadline_42, (tf[code], gaps[code])
        )  # fmt: skip
    ]
    return pd.DataFrame(
        rows, columns=["district_code", "check", "ok", "severity", "message_th", "message_en"]
    )
