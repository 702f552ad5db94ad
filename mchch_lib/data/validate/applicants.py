"""Applicants (ผู้สมัคร), officers (พัฒนากร) and committee members (คณะอนุกรรมการ): each row's
values checked, applicant ids unique, the officer an applicant names known."""

from __future__ import annotations

from collections import defaultdict

from mchch_lib.common import thai
from mchch_lib.data.contract import (
    COMMITTEE_ROLES,
)
from mchch_lib.data.reference import alias_key
from mchch_lib.data.validate.rows import _RowReader, _text, _to_date64
from mchch_lib.data.validate.state import _duplicates, _Rec, _Validation


# ---------------------------------------------------------------- per sheet
def _applicant_values(v: _Validation, r: _RowReader) -> dict:
    """The fields of one applicant row (ผู้สมัคร), each checked."""
    code = r.district_code(v.province)
    aid = r.required_text("applicant_id")
    std = r.resolved("standard", v.catalog.resolve_standard, "unknown_standard")
    name = r.required_text("name")
    cid_raw = r.value("citizen_id")
    cid = None
    if cid_raw is not None:
        cid = thai.citizen_id_digits(cid_raw)
        if cid is None or not thai.citizen_id_valid(cid):
            r.problem("invalid_citizen_id", "citizen_id", thai.mask_citizen_id(_text(cid_raw)))
    tambon = r.required_text("tambon")
    moo_raw = r.value("moo")
    moo = None
    if moo_raw is not None:
        moo_num = thai.parse_number(thai.to_arabic_digits(str(moo_raw)).replace("ม.", ""))
        if moo_num is None or not float(moo_num).is_integer() or moo_num < 0:
            r.problem("not_a_number", "moo", moo_raw)
        else:
            moo = int(moo_num)
    officer = r.required_text("officer")
    applied = r.date("applied_on", required=True)
    ev_raw = r.value("evidence_checked")
    evidence = None if ev_raw is None else thai.parse_yes_no(ev_raw)
    if ev_raw is not None and evidence is None:
        r.problem("bad_yes_no", "evidence_checked", ev_raw)
    elif evidence is not True:
        r.problem("evidence_not_checked", "evidence_checked", ev_raw)
    if applied is not None and v.deadline_41 is not None and applied > v.deadline_41:
        r.problem(
            "late_application",
            "applied_on",
            thai.format_date_th(applied),
            deadline=thai.format_date_th(v.deadline_41),
        )
    start, end = r.date("dev_start", required=False), r.date("dev_end", required=False)
    if start is not None and end is not None and start > end:
        r.problem(
            "timeframe_reversed",
            "dev_end",
            thai.format_date_th(end),
            start=thai.format_date_th(start),
        )
        start = end = None  # an impossible timeframe is not used to judge the assessments
    return {
        "district_code": code,
        "applicant_id": aid,
        "standard": std,
        "name": name,
        "citizen_id": cid,
        "tambon": tambon,
        "moo": moo,
        "officer": officer,
        "applied_on": _to_date64(applied),
        "evidence_checked": evidence,
        "dev_start": _to_date64(start),
        "dev_end": _to_date64(end),
    }


def _check_applicants(v: _Validation) -> None:
    """Applicants (ผู้สมัคร): each row, then ids unique across every file."""
    by_id: dict[str, list[_Rec]] = defaultdict(list)
    for raw, row, r in v.rows("applicants"):
        rec = _Rec(raw, row, r, _applicant_values(v, r))
        v.recs["applicants"].append(rec)
        if rec.get("applicant_id"):
            by_id[rec.get("applicant_id")].append(rec)
    _duplicates(by_id, "duplicate_applicant", lambda rec: rec.raw.column_of("applicant_id"))
    for rec in v.recs["applicants"]:
        aid = rec.get("applicant_id")
        if rec.ok:
            v.good_apps[aid] = rec
        elif aid:
            v.bad_apps.setdefault(aid, rec)


def _role(r: _RowReader) -> str | None:
    role_raw = r.value("role")
    if role_raw is None:
        r.problem("missing_value", "role")
        return None
    k = alias_key(role_raw)
    role = next(
        (
            code
            for t, code in COMMITTEE_ROLES.items()
            if k in (alias_key(t), alias_key(t + "ฯ"), code, code.replace("_", ""))
        ),
        None,
    )
    if role is None:
        r.problem("unknown_role", "role", role_raw)
    return role


def _check_people(v: _Validation, key: str) -> None:
    """Officers (พัฒนากร) or committee members (คณะอนุกรรมการ)."""
    for raw, row, r in v.rows(key):
        values = {"district_code": r.district_code(v.province), "name": r.required_text("name")}
        if key == "officers":
            values["position"] = r.optional_text("position")
        else:
            values["role"] = _role(r)
            values["organization"] = r.optional_text("organization")
        v.recs[key].append(_Rec(raw, row, r, values))


def _check_applicant_officers(v: _Validation) -> None:
    """The officer an applicant names must be in the officers sheet of its district."""
    names = defaultdict(set)
    for o in v.recs["officers"]:
        if o.ok:
            names[o.get("district_code")].add(alias_key(o.get("name")))
    for a in v.recs["applicants"]:
        officer, code = a.get("officer"), a.get("district_code")
        if officer and code is not None and alias_key(officer) not in names[code]:
            a.reader.problem("unknown_officer", "officer", officer)
