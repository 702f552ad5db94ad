"""Validation: raw sheets → clean typed tables + a list of located problems.

Data problems are values (``Problem``), collected lazily so one run shows all of them. Every
data row read ends up either in a clean table or named by at least one *error* problem; the
reconciliation table proves it per sheet.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from mchch_lib import config
from mchch_lib.common import sanitize as safety
from mchch_lib.common import thai
from mchch_lib.data import units
from mchch_lib.data.catalog import Catalog, marks_sum
from mchch_lib.data.contract import (
    COMMITTEE_ROLES,
    ROUND_LABELS_TH,
    SHEETS,
    SUBCRITERION_KINDS,
    TABLE_DTYPES,
    Dataset,
    typed,
)
from mchch_lib.data.ingest import (
    DEFAULT_LIMITS,
    RawSheet,
    ReadLimits,
    Source,
    UnreadableInput,
    read_source,
)
from mchch_lib.data.reference import Province, alias_key

#: Rules whose problem names a whole file that was not read.
UNREADABLE_PREFIXES = ("unreadable_", "over_limit_")

#: Keys of a problem as exported to JSON, in order.
PROBLEM_KEYS = (
    "file",
    "sheet",
    "row",
    "column",
    "field",
    "rule",
    "severity",
    "value",
    "message_th",
    "message_en",
)


@dataclass(frozen=True)
class RuleDef:
    id: str
    severity: str
    th: str
    en: str


@lru_cache(maxsize=1)
def rules() -> dict[str, RuleDef]:
    """The validation rules (id, severity, Thai and English templates) from ``rules.yaml``."""
    data = yaml.safe_load(config.RULES_YAML.read_text(encoding="utf-8"))
    return {k: RuleDef(k, v["severity"], v["th"], v["en"]) for k, v in data.items()}


@dataclass
class Problem:
    """A located data problem: where (file, sheet, Excel row, column), which rule, what to do."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    field: str | None
    rule: str
    severity: str
    value: str | None
    message_th: str
    message_en: str
    district_code: int | None = None

    def as_json(self) -> dict:
        d = asdict(self)
        return {k: d[k] for k in PROBLEM_KEYS}


def _fmt_value(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()
    return str(v)


#: Problems located on a header row: they name a column, not a data row.
_HEADER_RULES = {"missing_column", "unknown_column", "duplicate_column"}


_MAX_VALUE, _MAX_MESSAGE = 200, 600


def _cap(text: str, limit: int) -> str:
    """A message or value cut to a readable length (a pasted essay in a cell stays readable in
    the problem list, and no Excel cell overflows)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Collector:
    def __init__(self):
        self.problems: list[Problem] = []
        self.rejected: set[tuple[str, str, int]] = set()

    def add(
        self,
        rule_id: str,
        raw: RawSheet | None,
        row: int | None,
        col: int | None = None,
        value: object = None,
        district: int | None = None,
        *,
        file: str | None = None,
        sheet: str | None = None,
        field: str | None = None,
        column: str | None = None,
        **ctx,
    ) -> Problem:
        r = rules()[rule_id]
        if raw is not None:
            file = raw.file if file is None else file
            sheet = raw.sheet if sheet is None else sheet
            if col is not None:
                column = raw.headers[col] if col < len(raw.headers) else column
                field = raw.fields[col] if field is None and col < len(raw.fields) else field
        if field and field.startswith("indicator:"):
            field = "score"
        shown = _fmt_value(value)
        if shown is not None:
            shown = _cap(safety.mask_ids(shown), _MAX_VALUE)
        ctx = {
            "value": shown if shown is not None else "",
            "column": column or field or "",
            "sheet": sheet or "",
            "file": file or "",
            **ctx,
        }
        p = Problem(
            file or "",
            sheet or "",
            row,
            column,
            field,
            rule_id,
            r.severity,
            shown,
            _cap(safety.mask_ids(r.th.format(**ctx)), _MAX_MESSAGE),
            _cap(safety.mask_ids(r.en.format(**ctx)), _MAX_MESSAGE),
            district,
        )
        self.problems.append(p)
        if r.severity == "error" and row is not None and rule_id not in _HEADER_RULES:
            self.rejected.add((p.file, p.sheet, row))
        return p


def _cell(cells: list[object], col: int | None) -> object:
    if col is None or col >= len(cells):
        return None
    v = cells[col]
    if isinstance(v, str):
        return thai.clean_text(v)
    if isinstance(v, float) and v != v:
        return None
    return v


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return thai.clean_text(v)


class _RowReader:
    """Reads the fields of one raw row, adding a problem for each bad or missing value.

    A 13-digit ID number in any cell but the ID column is masked here, before any value is read,
    and reported once as a warning at its cell: nothing downstream ever sees it in full.
    """

    def __init__(self, c: _Collector, raw: RawSheet, row: int, cells: list[object]):
        self.c, self.raw, self.row, self.cells = c, raw, row, cells
        self.district: int | None = None
        for i, v in enumerate(cells):
            field_name = raw.fields[i] if i < len(raw.fields) else None
            if field_name == "citizen_id" or v is None:
                continue
            masked, found = safety.mask_cell(v)
            if found:
                if self.cells is cells:
                    self.cells = list(cells)
                self.cells[i] = masked
                c.add("id_in_text", raw, row, i, masked)

    @property
    def ok(self) -> bool:
        """No error has rejected this row so far."""
        return (self.raw.file, self.raw.sheet, self.row) not in self.c.rejected

    def col(self, field_name: str) -> int | None:
        return self.raw.column_of(field_name)

    def value(self, field_name: str) -> object:
        return _cell(self.cells, self.col(field_name))

    def add(self, rule_id: str, col: int | None, value: object = None, **ctx) -> None:
        """A problem at a column of this row given by index (e.g. one score cell)."""
        self.c.add(rule_id, self.raw, self.row, col, value, self.district, **ctx)

    def problem(self, rule_id: str, field_name: str, value: object = None, **ctx) -> None:
        """A problem at the column of a field of this row."""
        col = self.col(field_name)
        spec_col = next((c for c in self.raw.spec.columns if c.field == field_name), None)
        column = spec_col.th if spec_col is not None else field_name
        self.c.add(
            rule_id,
            self.raw,
            self.row,
            col,
            value,
            self.district,
            field=field_name,
            column=column if col is None else None,
            **ctx,
        )

    def required_text(self, field_name: str) -> str | None:
        v = _text(self.value(field_name))
        if v is None:
            self.problem("missing_value", field_name)
        return v

    def optional_text(self, field_name: str) -> str | None:
        return _text(self.value(field_name))

    def resolved(self, field_name: str, resolve, rule_id: str):
        """A required value looked up by ``resolve``; ``rule_id`` when it resolves to None."""
        raw_v = self.value(field_name)
        if raw_v is None:
            self.problem("missing_value", field_name)
            return None
        out = resolve(raw_v)
        if out is None:
            self.problem(rule_id, field_name, raw_v)
        return out

    def district_code(self, province: Province) -> int | None:
        self.district = self.resolved(
            "district_code",
            lambda v: province.resolve(thai.to_arabic_digits(_text(v) or "")),
            "unknown_district",
        )
        return _placed(self)

    def date(self, field_name: str, required: bool) -> dt.date | None:
        v = self.value(field_name)
        if v is None:
            if required:
                self.problem("missing_value", field_name)
            return None
        d = thai.parse_date(v)
        if d is None:
            self.problem("bad_date", field_name, v)
        return _in_programme_year(self, field_name, v, d)


def _placed(r: _RowReader) -> int | None:
    """The district of a row, unless the file's other clues say it is elsewhere or a shared
    name ("อ.เมือง") has nothing confirming it (``location.doubts``): then an error at the
    district cell, located in no district, and None."""
    doubt = r.c.doubts.get((r.raw.file, r.raw.sheet), {}).get(
        alias_key(thai.to_arabic_digits(_text(r.value("district_code")) or ""))
    )
    if r.district is None or doubt is None:
        return r.district
    r.district = None
    r.problem(doubt.rule, "district_code", r.value("district_code"), **doubt.ctx)
    return None


def _in_programme_year(r: _RowReader, field_name: str, v: object, d: dt.date | None):
    """A date outside the programme year (a Gregorian 1961 cell, "30/04/18" read as BE 2518)
    is an error at its cell naming its likely reading, never converted silently: None."""
    year = getattr(r.c, "year_be", None)
    if d is None or year is None:
        return d
    ok, likely = thai.plausible_reading(d, year)
    if ok:
        return d
    r.problem(
        "implausible_year",
        field_name,
        v,
        year=year,
        read_th=thai.format_date_th(d),
        read_en=f"{d.isoformat()} (BE {thai.be_year(d)})",
        likely_th=thai.format_date_th(likely) if likely else "(ไม่ทราบ)",
        likely_en=f"{likely.isoformat()} (BE {thai.be_year(likely)})" if likely else "(unknown)",
        likely_be=thai.to_be_date_str(likely) if likely else f"30/04/{year}",
    )
    return None


def _check_header(c: _Collector, raw: RawSheet) -> None:
    """Header-level problems: missing required columns, unknown and duplicate columns."""
    seen: dict[str, int] = {}
    for i, f in enumerate(raw.fields):
        if f is None:
            if raw.headers[i].strip():
                c.add("unknown_column", raw, raw.header_row, i, raw.headers[i])
            continue
        if f in seen:
            c.add("duplicate_column", raw, raw.header_row, i, raw.headers[i])
            raw.fields[i] = None  # the first one is used
        else:
            seen[f] = i
    for col in raw.spec.columns:
        if col.required and col.field not in seen:
            c.add("missing_column", raw, raw.header_row, None, None, column=col.th, field=col.field)


def _to_date64(d):
    return None if d is None else dt.datetime(d.year, d.month, d.day)


# ---------------------------------------------------------------- records
@dataclass
class ScoreCell:
    """One score of a score row: indicator, value, and the header and column it came from."""

    indicator_id: str
    score: float
    header: str
    col: int | None


@dataclass
class _Rec:
    """One data row under validation: where it is, its reader (its problems), its values."""

    raw: RawSheet
    row: int
    reader: _RowReader
    values: dict
    cells: list[ScoreCell] = field(default_factory=list)  # score rows only
    applicant: _Rec | None = None  # the applicant a score or plan row belongs to

    @property
    def ok(self) -> bool:
        return self.reader.ok

    def get(self, name: str):
        return self.values.get(name)

    def where(self) -> tuple[str, str]:
        """Thai and English "file row n" of this record."""
        return f"{self.raw.file} แถว {self.row}", f"{self.raw.file} row {self.row}"

    def source(self) -> dict:
        return {
            "source_file": self.raw.file,
            "source_sheet": self.raw.sheet,
            "source_row": self.row,
        }


class _Validation:
    """The state one validation shares between its phases."""

    def __init__(
        self,
        catalog: Catalog,
        province: Province,
        deadline_41: dt.date | None,
        deadline_42: dt.date | None = None,
    ):
        self.c = _Collector()
        self.c.year_be = catalog.year  # dates outside it are flagged (_in_programme_year)
        self.c.doubts = {}  # (file, sheet) -> district text -> location.Doubt (_placed)
        self.catalog, self.province, self.deadline_41 = catalog, province, deadline_41
        self.deadline_42 = deadline_42
        self.raws: dict[str, list[RawSheet]] = defaultdict(list)
        self.unheaded: list[RawSheet] = []
        self.recs: dict[str, list[_Rec]] = defaultdict(list)
        self.good_apps: dict[str, _Rec] = {}
        self.bad_apps: dict[str, _Rec] = {}
        self.same_unit: dict[str, str] = {}  # a second registration -> the first one's id
        self.merged: set[tuple[str, str, int]] = set()  # rows already in from another file

    def rows(self, key: str):
        """(raw sheet, Excel row, reader) for every data row of a sheet kind."""
        for raw in self.raws[key]:
            for row, cells in raw.rows:
                yield raw, row, _RowReader(self.c, raw, row, cells)

    def link_applicant(self, r: _RowReader, aid: str | None) -> _Rec | None:
        """The valid applicant a row names, or a problem saying why there is none."""
        if aid is None:
            return None
        a = self.good_apps.get(aid)
        if a is not None:
            code = a.get("district_code")
            if r.district is not None and code != r.district:
                name = self.province.districts[code].name_th
                r.problem(
                    "district_mismatch",
                    "district_code",
                    r.value("district_code"),
                    expected=f"{code} {name}",
                )
            return a
        if aid in self.bad_apps:
            r.problem(
                "applicant_rejected", "applicant_id", aid, applicant_row=self.bad_apps[aid].row
            )
        else:
            r.problem("unknown_applicant", "applicant_id", aid)
        return None


def _duplicates(groups: dict, rule: str, column_of, extra=None) -> None:
    """One problem per row of each group of 2 or more, naming the first row and the count:
    linear in the number of rows, however many copies were pasted. ``extra(key)`` gives more
    message values."""
    for key, recs in groups.items():
        if len(recs) < 2:
            continue
        first_th, first_en = recs[0].where()
        more = extra(key) if extra else {}
        for rec in recs:
            rec.reader.add(
                rule,
                column_of(rec),
                key[0] if isinstance(key, tuple) else key,
                count=len(recs),
                first=first_th,
                first_en=first_en,
                **more,
            )


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


def _score_cells(v: _Validation, r: _RowReader, long_layout: bool) -> list[ScoreCell]:
    """The checked scores of one score row, wide (a column per indicator) or long."""
    raw = r.raw
    if long_layout:
        iid = (r.required_text("indicator_id") or "").upper() or None
        found = [(iid, r.value("score"), r.col("score"))]
    else:
        found = [
            (f.split(":", 1)[1], _cell(r.cells, i), i)
            for i, f in enumerate(raw.fields)
            if f and f.startswith("indicator:") and _cell(r.cells, i) is not None
        ]
    out = []
    field_name = "indicator_id" if long_layout else "score"
    for iid, sv, col in found:
        if iid is None:
            continue
        ind = v.catalog.indicators.get(iid)
        if sv is None:
            r.problem("missing_value", "score")
            continue
        num = thai.parse_number(sv)
        if ind is None:
            r.add("unknown_indicator", col, sv, indicator=iid, field=field_name)
        elif num is None:
            r.add("not_a_number", col, sv, field="score")
        elif not 0 <= num <= ind.full_marks:
            full = thai.format_number(ind.full_marks, 0 if ind.full_marks.is_integer() else 1)
            r.add("score_out_of_range", col, sv, field="score", full=full, indicator=iid)
        else:
            hdr = raw.headers[col] if col is not None and col < len(raw.headers) else "คะแนน"
            out.append(ScoreCell(iid, num, hdr, col))
    return out


def _check_score_row(v: _Validation, rec: _Rec) -> None:
    """Rules of one score row against its applicant: standard, dates."""
    r, a = rec.reader, rec.applicant
    if a is None:
        return
    std = a.get("standard")
    for cell in rec.cells:
        if std and v.catalog.indicators[cell.indicator_id].standard != std:
            s = v.catalog.standards[std]
            r.add(
                "indicator_wrong_standard",
                cell.col,
                cell.indicator_id,
                field="score",
                indicator=cell.indicator_id,
                standard=s.name_en,
                standard_th=s.name_th,
            )
    assessed, applied = rec.get("assessed_on"), a.get("applied_on")
    if assessed is not None and applied is not None and assessed < applied.date():
        r.problem(
            "assessed_before_applied",
            "assessed_on",
            thai.format_date_th(assessed),
            applied=thai.format_date_th(applied.date()),
        )
    if assessed is not None:
        _check_timeframe(v, rec, assessed)


def _check_timeframe(v: _Validation, rec: _Rec, assessed: dt.date) -> None:
    """Stage 3 of the letter: self-assess before development starts (3.2), after it ends, in
    the set time (3.5), and by the 4.2 report's deadline."""
    r, a, rnd = rec.reader, rec.applicant, rec.get("round")
    start, end = a.get("dev_start"), a.get("dev_end")
    shown = thai.format_date_th(assessed)
    if rnd == "pre" and start is not None and assessed > start.date():
        r.problem("pre_after_start", "assessed_on", shown, start=thai.format_date_th(start.date()))
    if rnd == "post" and end is not None and assessed < end.date():
        r.problem("post_before_end", "assessed_on", shown, end=thai.format_date_th(end.date()))
    if rnd == "post" and v.deadline_42 is not None and assessed > v.deadline_42:
        r.problem(
            "post_after_deadline",
            "assessed_on",
            shown,
            deadline=thai.format_date_th(v.deadline_42),
        )


def _check_scores(v: _Validation) -> None:
    """Scores (คะแนน): each row, its applicant, duplicate rounds or cells, post before pre."""
    for raw in v.raws["scores"]:
        long_layout = raw.column_of("indicator_id") is not None and raw.column_of("score")
        for row, cells in raw.rows:
            r = _RowReader(v.c, raw, row, cells)
            r.district_code(v.province)
            values = {
                "applicant_id": r.required_text("applicant_id"),
                "round": r.resolved("round", thai.parse_round, "unknown_round"),
                "assessed_on": r.date("assessed_on", required=False),
                "long": bool(long_layout),
            }
            rec = _Rec(raw, row, r, values, _score_cells(v, r, bool(long_layout)))
            rec.values["district_code"] = r.district
            rec.applicant = v.link_applicant(r, values["applicant_id"])
            _check_score_row(v, rec)
            v.recs["scores"].append(rec)
    _check_duplicate_rounds(v)
    _check_round_order(v)


def _check_duplicate_rounds(v: _Validation) -> None:
    """A round once per applicant (wide layout), a score once per round and indicator (long)."""
    rounds, cells = defaultdict(list), defaultdict(list)
    for s in v.recs["scores"]:
        if s.applicant is None or s.get("round") is None:
            continue
        if s.get("long"):
            for cell in s.cells:
                cells[(s.get("round"), s.get("applicant_id"), cell.indicator_id)].append(s)
        else:
            rounds[(s.get("round"), s.get("applicant_id"))].append(s)

    def ctx(key):
        rnd = key[0]
        iid = key[2] if len(key) == 3 else ""
        return {"round": rnd, "round_th": ROUND_LABELS_TH[rnd], "indicator": iid}

    def col(s):
        return s.raw.column_of("round")

    _duplicates(rounds, "duplicate_round", col, ctx)
    _duplicates(cells, "duplicate_score", col, ctx)


def _check_round_order(v: _Validation) -> None:
    """The post-development assessment is not dated before the first pre-development one."""
    first_pre: dict[str, dt.date] = {}
    for s in v.recs["scores"]:
        d = s.get("assessed_on")
        if s.applicant is not None and s.get("round") == "pre" and d and s.ok:
            aid = s.get("applicant_id")
            first_pre[aid] = min(first_pre.get(aid, d), d)
    for s in v.recs["scores"]:
        d, pre = s.get("assessed_on"), first_pre.get(s.get("applicant_id"))
        if s.get("round") == "post" and d and s.applicant is not None and pre and d < pre:
            s.reader.problem(
                "post_before_pre",
                "assessed_on",
                thai.format_date_th(d),
                pre=thai.format_date_th(pre),
            )


def _check_missing_rounds(v: _Validation) -> None:
    """A warning on the applicant row for each round with no valid score row."""
    have = {
        (s.get("applicant_id"), s.get("round"))
        for s in v.recs["scores"]
        if s.ok and s.applicant is not None
    }
    for a in v.recs["applicants"]:
        if not a.ok:
            continue
        for rnd in ("pre", "post"):
            if (a.get("applicant_id"), rnd) not in have:
                a.reader.add(
                    "missing_round",
                    a.raw.column_of("applicant_id"),
                    a.get("applicant_id"),
                    field="applicant_id",
                    round=rnd,
                    round_th=ROUND_LABELS_TH[rnd],
                )


def _check_plans(v: _Validation) -> None:
    """Self-development plans (แผนพัฒนาตนเอง): applicant, indicator of its standard."""
    for raw, row, r in v.rows("plans"):
        values = {
            "district_code": r.district_code(v.province),
            "applicant_id": r.required_text("applicant_id"),
            "indicator_id": (r.required_text("indicator_id") or "").upper() or None,
            "topic": r.required_text("topic"),
        }
        for f in ("method", "period", "expert", "evidence"):
            values[f] = r.optional_text(f)
        a = v.link_applicant(r, values["applicant_id"])
        iid = values["indicator_id"]
        if iid and iid not in v.catalog.indicators:
            r.problem("unknown_indicator", "indicator_id", iid, indicator=iid)
        elif iid and a is not None and v.catalog.indicators[iid].standard != a.get("standard"):
            s = v.catalog.standards[a.get("standard")]
            r.problem(
                "indicator_wrong_standard",
                "indicator_id",
                iid,
                indicator=iid,
                standard=s.name_en,
                standard_th=s.name_th,
            )
        for f in PLAN_ITEMS:
            if values[f] is None:
                r.problem("plan_item_missing", f, None, **PLAN_ITEMS[f])
        v.recs["plans"].append(_Rec(raw, row, r, values, applicant=a))


#: What each plan item must say (letter 3.3): when, who knows it and where, which evidence.
PLAN_ITEMS = {
    "period": {"item_th": "ช่วงเวลา (เมื่อใด)", "item_en": "when"},
    "expert": {"item_th": "ผู้รู้หรือวิทยากร (ใครรู้ อยู่ที่ไหน)", "item_en": "who knows it and where"},
    "evidence": {
        "item_th": "หลักฐานที่ใช้ยืนยันผลการพัฒนา",
        "item_en": "which evidence will prove it",
    },
}


# ---------------------------------------------------------------- sub-criteria (เกณฑ์ย่อย)
def _number_in(r: _RowReader, field_name: str, top: float, rule: str, **ctx) -> float | None:
    """An optional number of a row within 0..top; ``rule`` (with ``ctx``) when outside."""
    raw_v = r.value(field_name)
    if raw_v is None:
        return None
    num = thai.parse_number(raw_v)
    if num is None:
        r.problem("not_a_number", field_name, raw_v)
    elif not 0 <= num <= top:
        r.problem(rule, field_name, raw_v, **ctx)
    else:
        return num
    return None


def _subcriterion_kind(r: _RowReader) -> str | None:
    raw_v = r.value("kind")
    if raw_v is None:
        return None
    k = alias_key(raw_v)
    kind = next(
        (code for th, code in SUBCRITERION_KINDS.items() if k in (alias_key(th), code)), None
    )
    if kind is None:
        r.problem("unknown_subcriterion_kind", "kind", raw_v)
    return kind


def _subcriterion_values(v: _Validation, r: _RowReader) -> dict:
    """The fields of one sub-criterion row: which criterion (the catalog's, adjusted, or
    added), its marks and its pre and post scores, each checked."""
    values = {
        "district_code": r.district_code(v.province),
        "applicant_id": r.required_text("applicant_id"),
        "indicator_id": (r.required_text("indicator_id") or "").upper() or None,
    }
    a = v.link_applicant(r, values["applicant_id"])
    iid, ind = values["indicator_id"], None
    if iid and iid not in v.catalog.indicators:
        r.problem("unknown_indicator", "indicator_id", iid, indicator=iid)
    elif iid and a is not None and v.catalog.indicators[iid].standard != a.get("standard"):
        s = v.catalog.standards[a.get("standard")]
        r.problem("indicator_wrong_standard", "indicator_id", iid, indicator=iid,
                  standard=s.name_en, standard_th=s.name_th)  # fmt: skip
    elif iid:
        ind = v.catalog.indicators[iid]
    sid, text = r.optional_text("subcriterion_id"), r.optional_text("text")
    kind = _subcriterion_kind(r)
    cat = v.catalog.subcriteria.get(sid or "")
    if cat is not None and cat.indicator_id != iid:
        cat = None
    if ind is not None and cat is None:
        if kind in ("standard", "adjusted") or (kind is None and text is None):
            if sid:
                r.problem("unknown_subcriterion", "subcriterion_id", sid, indicator=iid)
            else:
                r.problem("missing_value", "subcriterion_id")
        elif text is None:
            r.problem("missing_value", "text")
        kind = "added"
    full = ind.full_marks if ind is not None else math.inf
    marks = _number_in(r, "marks", full, "score_out_of_range", full=f"{full:g}", indicator=iid)
    if marks is None and r.value("marks") is None:
        if cat is not None:
            marks = cat.marks
        elif ind is not None:
            r.problem("missing_value", "marks")
    if cat is not None:
        same = (text is None or text == cat.name_th) and marks == cat.marks
        kind = "standard" if same and kind in (None, "standard") else "adjusted"
        text = text or cat.name_th
    top = marks if marks is not None else full
    for rnd in ("pre", "post"):
        values[rnd] = _number_in(r, rnd, top, "subscore_out_of_range", marks=f"{top:g}",
                                 sub=sid or text or "")  # fmt: skip
    values |= {"subcriterion_id": sid, "text": text, "kind": kind, "marks": marks}
    return values | {"_applicant": a, "_indicator": ind}


def _check_subcriteria(v: _Validation) -> None:
    """Sub-criteria (เกณฑ์ย่อย): each row; then per applicant and indicator, marks adding up
    to the indicator's full marks, and each round's scores rolled up into the indicator's
    score (a score-sheet value that disagrees with the sum is named, and the sum is used)."""
    groups: dict[tuple, list[_Rec]] = defaultdict(list)
    for raw, row, r in v.rows("subcriteria"):
        values = _subcriterion_values(v, r)
        ind = values.pop("_indicator")
        rec = _Rec(raw, row, r, values, applicant=values.pop("_applicant"))
        v.recs["subcriteria"].append(rec)
        if rec.applicant is not None and ind is not None:
            groups[(values["applicant_id"], values["indicator_id"])].append(rec)
    ids: dict[tuple, list[_Rec]] = defaultdict(list)
    for (aid, iid), recs in groups.items():
        for n, rec in enumerate([x for x in recs if not x.get("subcriterion_id")], start=1):
            rec.values["subcriterion_id"] = f"{iid}+{n}"  # an added one without an id
        for rec in recs:
            ids[(rec.get("subcriterion_id"), aid, iid)].append(rec)
    _duplicates(ids, "duplicate_subcriterion", lambda rec: rec.raw.column_of("subcriterion_id"),
                lambda key: {"indicator": key[2]})  # fmt: skip
    scores = defaultdict(list)
    for s in v.recs["scores"]:
        if s.ok and s.applicant is not None:
            scores[(s.get("applicant_id"), s.get("round"))].append(s)
    for (aid, iid), recs in groups.items():
        # the marks are checked on every row that has them (whatever else is wrong with it);
        # a score is rolled up only from a whole, clean set of sub-criteria
        if _marks_add_up(v, iid, recs) and all(x.ok for x in recs):
            for rnd in ("pre", "post"):
                _roll_up(v, iid, rnd, recs, scores[(aid, rnd)])


def _rows_text(recs: list[_Rec]) -> str:
    return ", ".join(str(x.row) for x in recs)


def _marks_add_up(v: _Validation, iid: str, recs: list[_Rec]) -> bool:
    """The marks of an indicator's sub-criteria add up to its full marks, or an error on
    every row of them (none is used)."""
    full = v.catalog.indicators[iid].full_marks
    if any(x.get("marks") is None for x in recs):
        return False  # that row has its own problem
    total = marks_sum(x.get("marks") for x in recs)
    if total == marks_sum([full]):
        return True
    for rec in recs:
        rec.reader.problem("subcriteria_marks_sum", "marks", rec.get("marks"), indicator=iid,
                           total=f"{total:g}", full=f"{full:g}", rows=_rows_text(recs))  # fmt: skip
    return False


def _roll_up(v: _Validation, iid: str, rnd: str, recs: list[_Rec], score_recs: list) -> None:
    """The indicator's score of a round is the sum of its sub-criteria's, when all are there."""
    have = [x for x in recs if x.get(rnd) is not None]
    if not have:
        return
    ctx = {"round": rnd, "round_th": ROUND_LABELS_TH[rnd], "indicator": iid}
    if len(have) < len(recs):
        for rec in recs:
            if rec.get(rnd) is None:
                rec.reader.problem("subscore_missing", rnd, None, **ctx)
        return
    total = marks_sum(x.get(rnd) for x in recs)
    found = [(s, c) for s in score_recs for c in s.cells if c.indicator_id == iid]
    if not found:
        if score_recs:  # the round is dated by its score row; the cell was left blank
            score_recs[0].cells.append(ScoreCell(iid, total, SHEETS["subcriteria"].th, None))
        return
    s, cell = found[0]
    if cell.score != total:
        s.reader.add("score_subcriteria_mismatch", cell.col, cell.score, field="score",
                     total=f"{total:g}", rows=_rows_text(recs), **ctx)  # fmt: skip
        cell.score = total


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
            a.reader.problem("officer_is_applicant", "name", a.get("name"), first=first_th,
                             first_en=first_en)  # fmt: skip


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
                rec.reader.problem("repeated_person", "name", rec.get("name"), first=first_th,
                                   first_en=first_en)  # fmt: skip
                v.merged.add((rec.raw.file, rec.raw.sheet, rec.row))
            else:
                rec.reader.problem("conflicting_person", "name", rec.get("name"),
                                   first=first_th, first_en=first_en, this=", ".join(this),
                                   other=", ".join(other))  # fmt: skip


#: The phases, in order: a sheet's rules live in its own function; later sheets are checked
#: against the applicants, which come first.
_PHASES = (
    _check_applicants,
    lambda v: _check_people(v, "officers"),
    lambda v: _check_people(v, "committee"),
    _check_people_across_files,
    _check_applicant_officers,
    _check_registered_once,
    _check_officer_applicants,
    _check_scores,
    _check_missing_rounds,
    _check_plans,
    _check_subcriteria,
    _check_final_round,
    _check_certified_once,
    _check_province_committee,
)


# ---------------------------------------------------------------- the whole load
def _read_all(v: _Validation, sources: list[Source], limits: ReadLimits) -> None:
    """Read every source; a file that cannot or must not be read is a problem, not a stop."""
    for src in sources:
        try:
            sheets, missing = read_source(src, limits)
        except UnreadableInput as e:
            name = Path(e.path).name
            v.c.add(
                e.rule,
                None,
                None,
                district=v.province.code_in_name(name),
                file=src.label if src.kind == "workbook" else f"{src.label}/{name}",
                **{"detail": "", **e.ctx, "sheet": str(e.ctx.get("sheet", ""))},
            )
            continue
        for key in missing:
            v.c.add("missing_sheet", None, None, file=src.label, sheet=SHEETS[key].th)
        for key, raw in sheets.items():
            if raw.header_row is None:
                expected = ", ".join(col.th for col in raw.spec.columns if col.required)
                if raw.rows:
                    v.c.add("header_not_found", raw, None, expected=expected, n=len(raw.rows))
                    for row, _cells in raw.rows:
                        v.c.rejected.add((raw.file, raw.sheet, row))
                v.unheaded.append(raw)
                continue
            _check_header(v.c, raw)
            v.raws[key].append(raw)
            _flag_unsaved_formulas(v, raw)
        _account_other_sheets(v, sheets)
        _locate(v, src, sheets)


def _locate(v: _Validation, src: Source, sheets: dict[str, RawSheet]) -> None:
    """The district cells of one source checked against its other clues (``location``)."""
    from mchch_lib.data.location import doubts

    found = doubts(v.province, src.path.name, list(sheets.values()))
    if found:
        for raw in sheets.values():
            v.c.doubts[(raw.file, raw.sheet)] = found


def _account_other_sheets(v: _Validation, sheets: dict[str, RawSheet]) -> None:
    """A second sheet matching a contract sheet (a hidden old copy, "ผู้สมัคร " with a trailing
    space) is not read, and says so: one error naming it and the sheet read instead, its rows
    counted as rejected in the reconciliation, so nothing is dropped silently."""
    for raw in sheets.values():
        why_th = " (แผ่นงานที่ไม่ได้ซ่อน)" if any(o.hidden for o in raw.others) else " (แผ่นงานแรก)"
        why_en = " (the visible one)" if any(o.hidden for o in raw.others) else " (the first)"
        for other in raw.others:
            v.c.add(
                "sheet_ignored",
                other,
                None,
                district=v.province.code_in_name(Path(raw.file).name),
                contract=raw.spec.th,
                chosen=raw.sheet,
                hidden_th=" (ซ่อนอยู่)" if other.hidden else "",
                hidden_en=" (hidden)" if other.hidden else "",
                chosen_why_th=why_th if not raw.hidden else "",
                chosen_why_en=why_en if not raw.hidden else "",
                n=len(other.rows),
            )
            for row, _cells in other.rows:
                v.c.rejected.add((other.file, other.sheet, row))
            v.unheaded.append(other)  # in the reconciliation: read, all rejected


def _flag_unsaved_formulas(v: _Validation, raw: RawSheet) -> None:
    """A formula cell with no saved value reads as empty: an error at the cell, not a blank."""
    district = v.province.code_in_name(Path(raw.file).name)
    for row, col, formula in raw.formulas:
        if raw.header_row is not None and row >= raw.header_row:
            v.c.add("formula_no_value", raw, row, col, formula, district)


def _score_cell_rows(recs, keys: tuple[str, ...]) -> list[dict]:
    """One row per score cell of the readable records (a long table): the record's ``keys``,
    its assessment date if it has one, the cell's indicator and score, where it came from."""
    return [
        {
            **{k: s.get(k) for k in keys},
            "assessed_on": _to_date64(s.get("assessed_on")),
            "indicator_id": cell.indicator_id,
            "score": cell.score,
            **s.source(),
            "source_column": cell.header,
        }
        for s in recs
        if s.ok
        for cell in s.cells
    ]


def _clean_tables(v: _Validation) -> dict:
    """The clean tables: every record no error rejected, typed; scores long."""
    import pandas as pd

    tables = {}
    for name in (
        "applicants",
        "officers",
        "committee",
        "plans",
        "subcriteria",
        "final_round",
        "province_committee",
    ):
        keep = [
            {**rec.values, **rec.source()}
            for rec in v.recs[name]
            if rec.ok and (rec.raw.file, rec.raw.sheet, rec.row) not in v.merged
        ]
        tables[name] = typed(pd.DataFrame(keep, columns=list(TABLE_DTYPES[name])), name)
    for name, table, keys in (
        ("scores", "scores", ("district_code", "applicant_id", "round")),
        ("final_round", "final_scores", ("district_code", "applicant_id")),
    ):
        rows = _score_cell_rows(v.recs[name], keys)
        tables[table] = typed(pd.DataFrame(rows, columns=list(TABLE_DTYPES[table])), table)
    return tables


def _reconcile(v: _Validation):
    """Rows read = clean + rejected + merged, per file and sheet (merged: a person already in
    the clean table from another file of the district, counted once)."""
    import pandas as pd

    by_sheet = {"rejected": defaultdict(set), "merged": defaultdict(set)}
    for what, rows in (("rejected", v.c.rejected), ("merged", v.merged)):
        for f, sh, row in rows:
            by_sheet[what][(f, sh)].add(row)
    recon = []
    for key, rl in [*v.raws.items(), *((r.spec.key, [r]) for r in v.unheaded)]:
        for raw in rl:
            read = {row for row, _ in raw.rows}
            rejected = read & by_sheet["rejected"][(raw.file, raw.sheet)]
            merged = (read & by_sheet["merged"][(raw.file, raw.sheet)]) - rejected
            recon.append(
                {
                    "file": raw.file,
                    "sheet": raw.sheet,
                    "table": key,
                    "rows_read": len(read),
                    "clean": len(read - rejected - merged),
                    "rejected": len(rejected),
                    "merged": len(merged),
                    "blank_rows": raw.blank_rows,
                }
            )
    cols = ["file", "sheet", "table", "rows_read", "clean", "rejected", "merged", "blank_rows"]
    return pd.DataFrame(recon, columns=cols)


def validate_sources(
    sources: list[Source],
    catalog: Catalog,
    province: Province,
    deadline_41: dt.date | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    deadline_42: dt.date | None = None,
) -> Dataset:
    """Read and validate every source; return the clean tables, problems and reconciliation."""
    v = _Validation(catalog, province, deadline_41, deadline_42)
    _read_all(v, sources, limits)
    for phase in _PHASES:
        phase(v)
    t = _clean_tables(v)
    return Dataset(
        t["applicants"],
        t["scores"],
        t["officers"],
        t["committee"],
        t["plans"],
        problems_frame(v.c.problems),
        _reconcile(v),
        province_code=province.code,
        year=catalog.year,
        subcriteria=t["subcriteria"],
        final_round=t["final_round"],
        final_scores=t["final_scores"],
        province_committee=t["province_committee"],
    )


def located(
    rule_id: str,
    *,
    file: str,
    sheet: str,
    row: int | None,
    column: str | None,
    field: str | None = None,
    value: object = None,
    district: int | None = None,
    **ctx,
) -> Problem:
    """One located problem of a rule (messages from rules.yaml, IDs masked), for a check made
    after validation, such as one that needs the scores."""
    c = _Collector()
    return c.add(rule_id, None, row, None, value, district, file=file, sheet=sheet,
                 field=field, column=column, **ctx)  # fmt: skip


def problems_frame(problems: list[Problem]):
    """Problems as a table sorted by district, file, sheet, row."""
    import pandas as pd

    cols = [*PROBLEM_KEYS, "district_code"]
    df = pd.DataFrame([asdict(p) for p in problems], columns=cols)
    df = df.astype({"row": "Int64", "district_code": "Int64"})
    return df.sort_values(
        ["district_code", "file", "sheet", "row"], na_position="first", kind="stable"
    ).reset_index(drop=True)


def unreadable(problems_df):
    """The problems that name a file mchch did not read (unreadable or over a limit)."""
    rule = problems_df["rule"].astype(str)
    return problems_df[rule.str.startswith(UNREADABLE_PREFIXES)]


def problems_json(problems_df) -> list[dict]:
    """The problems as JSON-ready dicts with exactly the documented keys."""
    out = []
    for rec in problems_df.to_dict("records"):
        d = {k: _scalar(rec[k]) for k in PROBLEM_KEYS}
        if d["row"] is not None:
            d["row"] = int(d["row"])
        out.append(d)
    return out


def _scalar(v: object) -> object:
    """None for any kind of missing value (None, NaN, pd.NA), else the value."""
    import pandas as pd

    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def write_problem_files(problems_df, out_dir: Path, province_code: int) -> None:
    """``validation.xlsx`` and ``validation.json`` in a run's output folder."""
    import json

    from mchch_lib.common.atomic import write_text
    from mchch_lib.data.reference import load_province

    write_problems_xlsx(problems_df, out_dir / "validation.xlsx", load_province(province_code))
    text = json.dumps(problems_json(problems_df), ensure_ascii=False, indent=1)
    write_text(out_dir / "validation.json", text)


_PROBLEM_HEADERS_TH = {
    "district_code": "รหัสอำเภอ",
    "district_th": "อำเภอ",
    "file": "ไฟล์",
    "sheet": "แผ่นงาน",
    "row": "แถว",
    "column": "คอลัมน์",
    "severity_th": "ระดับ",
    "value": "ค่าที่กรอก",
    "message_th": "ปัญหาและวิธีแก้ไข",
    "message_en": "Problem (English)",
    "rule": "รหัสกฎ",
}


def write_problems_xlsx(problems_df, path: str | Path, province: Province | None = None) -> None:
    """One sheet of problems a district can act on: Thai headers, sorted by district, file, row.

    Written in openpyxl's streaming mode with one named cell style, so a workbook of pasted
    rows with thousands of problems is written in about a second."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
    from openpyxl.utils import get_column_letter

    from mchch_lib.common.atomic import atomic_path

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("ปัญหาข้อมูล")
    wrap = Alignment(wrap_text=True, vertical="top")
    head = NamedStyle("mchch head", font=Font(name="TH Sarabun New", bold=True, size=14),
                      fill=PatternFill("solid", fgColor="DDDDDD"), alignment=wrap)  # fmt: skip
    body = NamedStyle("mchch body", font=Font(name="TH Sarabun New", size=14), alignment=wrap)
    wb.add_named_style(head)
    wb.add_named_style(body)
    widths = [10, 16, 30, 16, 7, 18, 11, 20, 60, 50, 22]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    keys = list(_PROBLEM_HEADERS_TH)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(problems_df) + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.print_title_rows = "1:1"

    def cell(value, style):
        c = WriteOnlyCell(ws, safety.neutralize(value))
        c.style = style
        if isinstance(c.value, str):
            c.data_type = "s"  # never a formula built from input text
        return c

    ws.append([cell(_PROBLEM_HEADERS_TH[k], "mchch head") for k in keys])
    for rec in problems_df.to_dict("records"):
        rec = {k: _scalar(v) for k, v in rec.items()}
        code = None if rec["district_code"] is None else int(rec["district_code"])
        name = province.districts[code].name_th if province and code in province.districts else ""
        vals = {
            **rec,
            "district_code": code,
            "district_th": name,
            "severity_th": "ข้อผิดพลาด" if rec["severity"] == "error" else "คำเตือน",
        }
        ws.append([cell(vals.get(k), "mchch body") for k in keys])
    with atomic_path(path) as tmp:
        wb.save(tmp)
