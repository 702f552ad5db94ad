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

from mchch_lib.analysis import self_development as development
from mchch_lib.common import thai
from mchch_lib.data.catalog import STANDARD_CODES, Catalog
from mchch_lib.data.contract import Dataset
from mchch_lib.data.reference import alias_key

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


@dataclass(frozen=True)
class _District:
    """What the checks of one district look at: its rows of each table, the catalog and the
    report deadlines."""

    code: int
    ds: Dataset
    catalog: Catalog
    a: pd.DataFrame
    officers: pd.DataFrame
    committee: pd.DataFrame
    scores: pd.DataFrame
    plans: pd.DataFrame
    deadline_41: dt.date | None
    deadline_42: dt.date | None
    stage3: tuple[pd.DataFrame, pd.DataFrame] | None = None  # precomputed for a province


def _all_standards(d: _District) -> list[Finding]:
    have = set(d.a["standard"])
    missing = [s for s in STANDARD_CODES if s in d.catalog.standards and s not in have]
    if not missing:
        th, en = "มีเป้าหมายครบทั้ง 4 มาตรฐาน", "All four standards have at least one unit"
    else:
        th = "ยังไม่มีผู้สมัคร" + ", ".join(d.catalog.standards[s].name_th for s in missing)
        en = f"No applicant for the {', '.join(d.catalog.standards[s].name_en for s in missing)} standard"
    return [_f(d.code, "all_standards", not missing, th, en, "error")]


def idle_officers(officers: pd.DataFrame, applicants: pd.DataFrame) -> list[str]:
    """The officers listed (``officers`` ``name``) responsible for no applicant (names
    compared as ``alias_key`` does, so a title or spacing does not count as another person)."""
    targets = {alias_key(o) for o in applicants["officer"].dropna()}
    return [n for n in officers["name"] if alias_key(n) not in targets]


def _officers_have_targets(d: _District) -> list[Finding]:
    off = d.officers
    idle = idle_officers(off, d.a)
    if not len(off):
        th, en = "ไม่มีรายชื่อพัฒนากร", "No officers listed"
    elif idle:
        th = f"พัฒนากรที่ยังไม่มีเป้าหมาย: {', '.join(idle)}"
        en = f"Officer(s) with no target: {', '.join(idle)}"
    else:
        th = f"พัฒนากรทุกคน ({len(off)} คน) รับผิดชอบเป้าหมายอย่างน้อย 1 เป้าหมาย"
        en = f"Every officer ({len(off)}) has at least one target"
    return [_f(d.code, "officers_have_targets", bool(len(off)) and not idle, th, en, "error")]


def _committee(d: _District) -> list[Finding]:
    com, n = d.committee, len(d.committee)
    ok = COMMITTEE_MIN <= n <= COMMITTEE_MAX
    size = _f(
        d.code,
        "committee_size",
        ok,
        f"คณะอนุกรรมการ {n} คน (ต้องมี {COMMITTEE_MIN}–{COMMITTEE_MAX} คน)"
        + ("" if ok else " ไม่เป็นไปตามแนวทาง"),
        f"Committee of {n} members (must be {COMMITTEE_MIN}–{COMMITTEE_MAX})"
        + ("" if ok else ": out of range"),
        "error",
    )
    n_chair = int((com["role"] == "chair").sum())
    n_sec = int((com["role"] == "secretary").sum())
    ok = n_chair == 1 and n_sec >= 1
    if ok:
        th, en = "มีประธานและเลขานุการ", "Has a chair and a secretary"
    else:
        th = f"คณะอนุกรรมการมีประธาน {n_chair} คน เลขานุการ {n_sec} คน (ต้องมีประธาน 1 คนและเลขานุการ)"
        en = (
            f"Committee has {n_chair} chair(s) and {n_sec} secretary(ies): needs exactly one "
            "chair and a secretary"
        )
    return [size, _f(d.code, "committee_roles", ok, th, en, "error")]


def _evidence_checked(d: _District) -> list[Finding]:
    unchecked = d.a[d.a["evidence_checked"].fillna(False) == False]  # noqa: E712 - NA-aware
    ids = ", ".join(unchecked["applicant_id"])
    if not len(unchecked):
        th, en = "ตรวจหลักฐานผู้สมัครครบทุกราย", "Evidence checked for every applicant"
    else:
        th = f"ยังไม่ได้ตรวจหลักฐาน {len(unchecked)} ราย: {ids}"
        en = f"Evidence not checked for {len(unchecked)} applicant(s): {ids}"
    return [_f(d.code, "evidence_checked", not len(unchecked), th, en)]


def _plans_cover_gaps(d: _District) -> list[Finding]:
    pre = d.scores[d.scores["round"] == "pre"].copy()
    pass_marks = {i: ind.pass_mark for i, ind in d.catalog.indicators.items()}
    pre["pass_mark"] = pre["indicator_id"].map(pass_marks).astype(float)  # float when empty too
    low = pre[pre["score"] < pre["pass_mark"]]
    below = set(zip(low["applicant_id"], low["indicator_id"], strict=True))
    planned = set(zip(d.plans["applicant_id"], d.plans["indicator_id"], strict=True))
    gaps = sorted(below - planned)
    shown = ", ".join(f"{x}/{i}" for x, i in gaps[:8]) + (" ..." if len(gaps) > 8 else "")
    if not gaps:
        th = f"ทุกตัวบ่งชี้ที่ต่ำกว่าเกณฑ์ก่อนพัฒนา ({len(below)} รายการ) มีแผนพัฒนาตนเอง"
        en = (
            f"Every indicator below its pass mark before development ({len(below)}) has a plan item"
        )
    else:
        th = f"ตัวบ่งชี้ต่ำกว่าเกณฑ์ก่อนพัฒนาที่ยังไม่มีแผนพัฒนาตนเอง {len(gaps)} รายการ: {shown}"
        en = f"{len(gaps)} indicator(s) below pass mark without a plan item: {shown}"
    return [_f(d.code, "plans_cover_gaps", not gaps, th, en)]


def _deadlines(d: _District) -> list[Finding]:
    out = []
    post = d.scores.loc[d.scores["round"] == "post", "assessed_on"]
    for check, deadline, dates, what_th, what_en in (
        ("deadline_41", d.deadline_41, d.a["applied_on"], "รายงาน 4.1 รายชื่อผู้สมัคร",
         "report 4.1 (applicant list)"),
        ("deadline_42", d.deadline_42, post, "รายงาน 4.2 ผลการพัฒนาตนเอง",
         "report 4.2 (results)"),
    ):  # fmt: skip
        if deadline is None:
            continue
        late = dates.dropna()
        late = late[late.dt.date > deadline]
        d_th = thai.format_date_th(deadline)
        if not len(late):
            th, en = f"{what_th} ทันกำหนด {d_th}", f"{what_en} on time ({deadline.isoformat()})"
        else:
            th = f"{what_th}: มีข้อมูล {len(late)} รายการหลังกำหนด {d_th}"
            en = f"{what_en}: {len(late)} record(s) after the deadline {deadline.isoformat()}"
        out.append(_f(d.code, check, not len(late), th, en))
    return out


def _stage3_checks(d: _District) -> list[Finding]:
    return _stage3(d.ds, d.code, d.a, d.plans, d.deadline_42, d.stage3)


#: The checks of a district, in report order: one small function each (a new guideline is a
#: new function here); ``CHECKS`` names what they find.
_DISTRICT_CHECKS = (
    _all_standards,
    _officers_have_targets,
    _committee,
    _evidence_checked,
    _plans_cover_gaps,
    _deadlines,
    _stage3_checks,
)


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

    def rows(df):
        return df[df["district_code"] == code]

    d = _District(
        code,
        ds,
        catalog,
        rows(ds.applicants),
        rows(ds.officers),
        rows(ds.committee),
        rows(ds.scores),
        rows(ds.plans),
        deadline_41,
        deadline_42,
        stage3,
    )
    return [f for check in _DISTRICT_CHECKS for f in check(d)]


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
    from mchch_lib.data.contract import split_by_district

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
        )
    ]
    return pd.DataFrame(
        rows, columns=["district_code", "check", "ok", "severity", "message_th", "message_en"]
    )
