"""The provincial final round (ผลการรับรองระดับจังหวัด) and the provincial committee
(คณะกรรมการจังหวัด): verdicts, certificates, one row per unit, certificate numbers unique."""

from __future__ import annotations

import re
from collections import defaultdict

from mchch_lib.common import thai
from mchch_lib.data.ingest import (
    RawSheet,
)
from mchch_lib.data.reference import alias_key
from mchch_lib.data.validate.applicants import _role
from mchch_lib.data.validate.rows import _RowReader, _to_date64
from mchch_lib.data.validate.scores import _check_score_row, _score_cells
from mchch_lib.data.validate.state import _duplicates, _Rec, _Validation

# ---------------------------------------------------------------- the provincial final round
_PASS = {"ผ่าน", "pass", "passed", "ผ่านเกณฑ์"}
_FAIL = {"ไม่ผ่าน", "fail", "failed", "ไม่ผ่านเกณฑ์", "ตก"}


def _verdict(r: _RowReader) -> bool | None:
    raw_v = r.value("verdict")
    if raw_v is None:
        return None
    k = alias_key(raw_v)
    if k in {alias_key(x) for x in _PASS}:
        return True
    if k in {alias_key(x) for x in _FAIL}:
        return False
    r.problem("bad_verdict", "verdict", raw_v)
    return None


def _certified(r: _RowReader) -> bool | None:
    raw_v = r.value("certified")
    if raw_v is None:
        r.problem("missing_value", "certified")
        return None
    out = thai.parse_yes_no(raw_v)
    if out is None:
        r.problem("bad_yes_no", "certified", raw_v)
    return out


def _final_round_rec(v: _Validation, raw: RawSheet, row: int, r: _RowReader) -> _Rec:
    """One row of the final round: its applicant, the committee's scores, its result."""
    if r.value("district_code") is not None:
        r.district_code(v.province)
    values = {
        "applicant_id": r.required_text("applicant_id"),
        "assessed_on": r.date("assessed_on", required=True),
        "verdict": _verdict(r),
        "certified": _certified(r),
        "certificate_no": r.optional_text("certificate_no"),
        "certified_on": r.date("certified_on", required=False),
        "note": r.optional_text("note"),
    }
    a = v.link_applicant(r, values["applicant_id"])
    if r.district is None and a is not None:
        r.district = a.get("district_code")  # the district column is optional here
    values["district_code"] = r.district
    rec = _Rec(raw, row, r, values, _score_cells(v, r, False), applicant=a)
    _check_score_row(v, rec)
    if values["certified"] and not values["certificate_no"]:
        r.problem("certificate_no_missing", "certificate_no")
    if values["certified"] and values["verdict"] is False:
        r.problem("certified_verdict_conflict", "certified", r.value("certified"))
    for d in ("assessed_on", "certified_on"):
        values[d] = _to_date64(values[d])
    return rec


def _check_final_round(v: _Validation) -> None:
    """The provincial final round (ผลการรับรองระดับจังหวัด): each row; one row per unit;
    certificate numbers unique."""
    by_app, by_no = defaultdict(list), defaultdict(list)
    for raw, row, r in v.rows("final_round"):
        rec = _final_round_rec(v, raw, row, r)
        v.recs["final_round"].append(rec)
        if rec.get("applicant_id"):
            by_app[rec.get("applicant_id")].append(rec)
        no = rec.get("certificate_no")
        if no:
            by_no[re.sub(r"\s+", "", thai.to_arabic_digits(no)).casefold()].append(rec)
    _duplicates(by_app, "duplicate_final_round", lambda rec: rec.raw.column_of("applicant_id"))
    _duplicates(
        {k: g for k, g in by_no.items()},
        "duplicate_certificate_no",
        lambda rec: rec.raw.column_of("certificate_no"),
    )


def _check_province_committee(v: _Validation) -> None:
    """The provincial certification committee (คณะกรรมการจังหวัด): names and roles."""
    for raw, row, r in v.rows("province_committee"):
        values = {
            "name": r.required_text("name"),
            "role": _role(r),
            "position": r.optional_text("position"),
            "organization": r.optional_text("organization"),
        }
        v.recs["province_committee"].append(_Rec(raw, row, r, values))
