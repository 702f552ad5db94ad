"""One unit, once; one person, once: a unit registered twice, certified twice, an officer who
is also a leader applicant, a person listed in two files of a district."""

from __future__ import annotations

from collections import defaultdict

from mchch_lib.data import units
from mchch_lib.data.contract import (
    COMMITTEE_ROLES,
)
from mchch_lib.data.reference import alias_key
from mchch_lib.data.validate.state import _Rec, _Validation


# ---------------------------------------------------------------- one unit, once
def _check_registered_once(v: _Validation) -> None:
    """A unit registered more than once in the year, in one district or in two (the same
    citizen ID for a leader; the same standard, tambon and a similar name for the others:
    ``units.registered_twice``): a warning at each later registration naming the first, which
    ``v.same_unit`` remembers so that the final round certifies the unit once."""
    apps = [a for a in v.recs["applicants"] if a.ok]
    for group in units.registered_twice([a.values for a in apps]):
        first = apps[group[0]]
        first_th, first_en = first.where()
        for rec in (apps[i] for i in group[1:]):
            leader = rec.get("standard") == "leader"
            v.same_unit[rec.get("applicant_id")] = first.get("applicant_id")
            rec.reader.problem(
                "duplicate_registration",
                "applicant_id",
                rec.get("applicant_id"),
                name=rec.get("name"),
                other_id=first.get("applicant_id"),
                first=first_th,
                first_en=first_en,
                how="เลขประจำตัวประชาชนเดียวกัน" if leader else "มาตรฐานและตำบลเดียวกัน ชื่อเหมือนกัน",
                how_en="the same citizen ID" if leader else "the same standard, tambon and name",
            )


def _check_certified_once(v: _Validation) -> None:
    """The final round certifies a unit once: of the rows certifying one unit (its
    registrations, ``v.same_unit``), the first registration's stays certified; each other row
    gets a warning and is kept as assessed, not certified (no second certificate)."""
    order = {a.get("applicant_id"): n for n, a in enumerate(v.recs["applicants"])}
    by_unit: dict[str, list[_Rec]] = defaultdict(list)
    for rec in v.recs["final_round"]:
        aid = rec.get("applicant_id")
        if rec.ok and rec.get("certified") and aid in order:
            by_unit[v.same_unit.get(aid, aid)].append(rec)
    for recs in by_unit.values():
        recs.sort(key=lambda r: order[r.get("applicant_id")])
        kept = recs[0]
        first_th, first_en = kept.where()
        for rec in recs[1:]:
            rec.reader.problem(
                "certified_twice",
                "certified",
                rec.get("applicant_id"),
                other_id=kept.get("applicant_id"),
                other_no=kept.get("certificate_no") or "-",
                certificate_no=rec.get("certificate_no") or "-",
                first=first_th,
                first_en=first_en,
            )
            rec.values.update(certified=False, certificate_no=None, certified_on=None)


def _person_key(rec: _Rec) -> tuple:
    return rec.get("district_code"), units.normalize_name(rec.get("name"), person=True)


def _check_officer_applicants(v: _Validation) -> None:
    """An officer (พัฒนากร) who is also a leader applicant of their own district: a conflict of
    interest (a warning at the applicant, naming the officer's row)."""
    officers: dict[tuple, _Rec] = {}
    for o in v.recs["officers"]:
        if o.ok and o.get("name"):
            officers.setdefault(_person_key(o), o)
    for a in v.recs["applicants"]:
        o = officers.get(_person_key(a)) if a.ok and a.get("standard") == "leader" else None
        if o is not None:
            first_th, first_en = o.where()
            a.reader.problem(
                "officer_is_applicant", "name", a.get("name"), first=first_th, first_en=first_en
            )


_ROLE_TH = {code: th for th, code in COMMITTEE_ROLES.items()}
#: What must agree when one person of a district is listed in two files.
_PERSON_DETAILS = {"officers": ("position",), "committee": ("role", "organization")}


def _person_details(rec: _Rec, key: str) -> tuple[str, ...]:
    return tuple(
        _ROLE_TH.get(rec.get(d), "") if d == "role" else (rec.get(d) or "")
        for d in _PERSON_DETAILS[key]
    )


def _check_people_across_files(v: _Validation) -> None:
    """A district's officers or committee in two files (a supplementary workbook): a person
    already listed in another file with the same details is counted once (a warning, the row
    merged); with other details, an error (the later row is not used)."""
    for key in _PERSON_DETAILS:
        seen: dict[tuple, _Rec] = {}
        for rec in v.recs[key]:
            if not rec.ok or not rec.get("name"):
                continue
            first = seen.setdefault(_person_key(rec), rec)
            if first is rec or first.raw.file == rec.raw.file:
                continue
            first_th, first_en = first.where()
            this, other = _person_details(rec, key), _person_details(first, key)
            if [alias_key(x) for x in this] == [alias_key(x) for x in other]:
                rec.reader.problem(
                    "repeated_person", "name", rec.get("name"), first=first_th, first_en=first_en
                )
                v.merged.add((rec.raw.file, rec.raw.sheet, rec.row))
            else:
                rec.reader.problem(
                    "conflicting_person",
                    "name",
                    rec.get("name"),
                    first=first_th,
                    first_en=first_en,
                    this=", ".join(this),
                    other=", ".join(other),
                )
