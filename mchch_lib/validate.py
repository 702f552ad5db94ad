"""Validation: raw sheets → clean typed tables + a list of located problems.

Data problems are values (``Problem``), collected lazily so one run shows all of them. Every
data row read ends up either in a clean table or named by at least one *error* problem; the
reconciliation table proves it per sheet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import config, thai
from .catalog import Catalog
from .ingest import RawSheet, Source, read_source
from .model import COMMITTEE_ROLES, ROUND_LABELS_TH, SHEETS, Dataset, typed
from .reference import Province, alias_key

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
            r.th.format(**ctx),
            r.en.format(**ctx),
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
    """Reads the fields of one raw row, adding a problem for each bad or missing value."""

    def __init__(self, c: _Collector, raw: RawSheet, row: int, cells: list[object]):
        self.c, self.raw, self.row, self.cells = c, raw, row, cells
        self.district: int | None = None
        self.ok = True

    def col(self, field_name: str) -> int | None:
        return self.raw.column_of(field_name)

    def value(self, field_name: str) -> object:
        return _cell(self.cells, self.col(field_name))

    def problem(self, rule_id: str, field_name: str, value: object = None, **ctx) -> None:
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
        if rules()[rule_id].severity == "error":
            self.ok = False

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
        return self.district

    def date(self, field_name: str, required: bool) -> dt.date | None:
        v = self.value(field_name)
        if v is None:
            if required:
                self.problem("missing_value", field_name)
            return None
        d = thai.parse_date(v)
        if d is None:
            self.problem("bad_date", field_name, v)
        return d


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


# ---------------------------------------------------------------- per sheet
def _applicants(c, raw, province, catalog, deadline_41):
    out = []
    for row, cells in raw.rows:
        r = _RowReader(c, raw, row, cells)
        code = r.district_code(province)
        aid = r.required_text("applicant_id")
        std = r.resolved("standard", catalog.resolve_standard, "unknown_standard")
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
        if applied is not None and deadline_41 is not None and applied > deadline_41:
            r.problem(
                "late_application",
                "applied_on",
                thai.format_date_th(applied),
                deadline=thai.format_date_th(deadline_41),
            )
        out.append(
            {
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
                "source_file": raw.file,
                "source_sheet": raw.sheet,
                "source_row": row,
                "_ok": r.ok,
            }
        )
    return out


def _people(c, raw, province, key):
    out = []
    for row, cells in raw.rows:
        r = _RowReader(c, raw, row, cells)
        code = r.district_code(province)
        rec = {
            "district_code": code,
            "name": r.required_text("name"),
            "source_file": raw.file,
            "source_sheet": raw.sheet,
            "source_row": row,
        }
        if key == "officers":
            rec["position"] = r.optional_text("position")
        else:
            role_raw = r.value("role")
            role = None
            if role_raw is None:
                r.problem("missing_value", "role")
            else:
                k = alias_key(role_raw)
                role = next(
                    (
                        v
                        for t, v in COMMITTEE_ROLES.items()
                        if k in (alias_key(t), alias_key(t + "ฯ"), v, v.replace("_", ""))
                    ),
                    None,
                )
                if role is None:
                    r.problem("unknown_role", "role", role_raw)
            rec["role"] = role
            rec["organization"] = r.optional_text("organization")
        rec["_ok"] = r.ok
        out.append(rec)
    return out


def _plans(c, raw, province):
    out = []
    for row, cells in raw.rows:
        r = _RowReader(c, raw, row, cells)
        rec = {
            "district_code": r.district_code(province),
            "applicant_id": r.required_text("applicant_id"),
            "indicator_id": (r.required_text("indicator_id") or "").upper() or None,
            "topic": r.required_text("topic"),
        }
        for f in ("method", "period", "expert", "evidence"):
            rec[f] = r.optional_text(f)
        rec.update(source_file=raw.file, source_sheet=raw.sheet, source_row=row, _r=r)
        out.append(rec)
    return out


def _scores(c, raw, province, catalog):
    """Score rows, wide or long, as one record per (row, indicator) cell."""
    wide_cols = [i for i, f in enumerate(raw.fields) if f and f.startswith("indicator:")]
    long_layout = raw.column_of("indicator_id") is not None and raw.column_of("score") is not None
    indicators = catalog.indicators
    rows = []
    for row, cells in raw.rows:
        r = _RowReader(c, raw, row, cells)
        code = r.district_code(province)
        aid = r.required_text("applicant_id")
        rnd = r.resolved("round", thai.parse_round, "unknown_round")
        assessed = r.date("assessed_on", required=False)
        cells_out = []
        if long_layout:
            iid = (r.required_text("indicator_id") or "").upper() or None
            sv = r.value("score")
            cells_out.append((iid, sv, r.col("score")))
        else:
            for i in wide_cols:
                sv = _cell(cells, i)
                if sv is not None:
                    cells_out.append((raw.fields[i].split(":", 1)[1], sv, i))
        scores = []
        for iid, sv, col in cells_out:
            if iid is None:
                continue
            ind = indicators.get(iid)
            hdr = raw.headers[col] if col is not None and col < len(raw.headers) else "คะแนน"
            if sv is None:
                r.problem("missing_value", "score")
                continue
            num = thai.parse_number(sv)
            if ind is None:
                c.add(
                    "unknown_indicator",
                    raw,
                    row,
                    col,
                    sv,
                    code,
                    indicator=iid,
                    field="indicator_id" if long_layout else "score",
                )
                r.ok = False
                continue
            if num is None:
                c.add("not_a_number", raw, row, col, sv, code, field="score")
                r.ok = False
                continue
            if not 0 <= num <= ind.full_marks:
                c.add(
                    "score_out_of_range",
                    raw,
                    row,
                    col,
                    sv,
                    code,
                    field="score",
                    full=thai.format_number(
                        ind.full_marks, 0 if ind.full_marks.is_integer() else 1
                    ),
                    indicator=iid,
                )
                r.ok = False
                continue
            scores.append((iid, num, hdr, col))
        rows.append(
            {
                "reader": r,
                "row": row,
                "district_code": code,
                "applicant_id": aid,
                "round": rnd,
                "assessed_on": assessed,
                "scores": scores,
            }
        )
    return rows, long_layout


# ---------------------------------------------------------------- the whole load
@dataclass
class _SheetRows:
    raw: RawSheet
    records: list


def validate_sources(
    sources: list[Source], catalog: Catalog, province: Province, deadline_41: dt.date | None = None
) -> Dataset:
    """Read and validate every source; return the clean tables, problems and reconciliation."""
    import pandas as pd

    c = _Collector()
    raws: dict[str, list[RawSheet]] = defaultdict(list)
    unheaded: list[RawSheet] = []
    for src in sources:
        sheets, missing = read_source(src)
        for key in missing:
            c.add("missing_sheet", None, None, file=src.label, sheet=SHEETS[key].th)
        for key, raw in sheets.items():
            if raw.header_row is None:
                expected = ", ".join(col.th for col in raw.spec.columns if col.required)
                if raw.rows:
                    c.add("header_not_found", raw, None, expected=expected, n=len(raw.rows))
                    for row, _cells in raw.rows:
                        c.rejected.add((raw.file, raw.sheet, row))
                unheaded.append(raw)
                continue
            _check_header(c, raw)
            raws[key].append(raw)

    # applicants first: the other sheets are checked against them
    app_recs = []
    for raw in raws["applicants"]:
        app_recs += _applicants(c, raw, province, catalog, deadline_41)
    by_id: dict[str, list[dict]] = defaultdict(list)
    for a in app_recs:
        if a["applicant_id"]:
            by_id[a["applicant_id"]].append(a)
    for aid, recs in by_id.items():
        if len(recs) > 1:
            for a in recs:
                others = "; ".join(
                    f"{o['source_file']} แถว {o['source_row']}" for o in recs if o is not a
                )
                raw = next(
                    r
                    for r in raws["applicants"]
                    if r.file == a["source_file"] and r.sheet == a["source_sheet"]
                )
                c.add(
                    "duplicate_applicant",
                    raw,
                    a["source_row"],
                    raw.column_of("applicant_id"),
                    aid,
                    a["district_code"],
                    others=others,
                )
                a["_ok"] = False
    good_apps = {a["applicant_id"]: a for a in app_recs if a["_ok"]}
    bad_apps = {a["applicant_id"]: a for a in app_recs if not a["_ok"] and a["applicant_id"]}

    people = {}
    for key in ("officers", "committee"):
        people[key] = []
        for raw in raws[key]:
            people[key] += _people(c, raw, province, key)
    # officers named by applicants must be in the officers sheet of their district
    officer_names = defaultdict(set)
    for o in people["officers"]:
        if o["_ok"]:
            officer_names[o["district_code"]].add(alias_key(o["name"]))
    for raw in raws["applicants"]:
        for a in app_recs:
            if (a["source_file"], a["source_sheet"]) != (raw.file, raw.sheet):
                continue
            if (
                a["officer"]
                and a["district_code"] is not None
                and alias_key(a["officer"]) not in officer_names[a["district_code"]]
            ):
                c.add(
                    "unknown_officer",
                    raw,
                    a["source_row"],
                    raw.column_of("officer"),
                    a["officer"],
                    a["district_code"],
                    field="officer",
                )

    def applicant_link(r: _RowReader, aid: str | None, district: int | None) -> dict | None:
        if aid is None:
            return None
        if aid in good_apps:
            a = good_apps[aid]
            if district is not None and a["district_code"] != district:
                name = province.districts[a["district_code"]].name_th
                r.problem(
                    "district_mismatch",
                    "district_code",
                    r.value("district_code"),
                    expected=f"{a['district_code']} {name}",
                )
            return a
        if aid in bad_apps:
            r.problem(
                "applicant_rejected", "applicant_id", aid, applicant_row=bad_apps[aid]["source_row"]
            )
        else:
            r.problem("unknown_applicant", "applicant_id", aid)
        return None

    # scores
    score_rows = []
    for raw in raws["scores"]:
        recs, long_layout = _scores(c, raw, province, catalog)
        for s in recs:
            a = applicant_link(s["reader"], s["applicant_id"], s["district_code"])
            s.update(raw=raw, app=a, long=long_layout)
            if a is not None and a["standard"]:
                for iid, _num, _hdr, col in s["scores"]:
                    ind = catalog.indicators[iid]
                    if ind.standard != a["standard"]:
                        std = catalog.standards[a["standard"]]
                        c.add(
                            "indicator_wrong_standard",
                            raw,
                            s["row"],
                            col,
                            iid,
                            s["district_code"],
                            field="score",
                            indicator=iid,
                            standard=std.name_en,
                            standard_th=std.name_th,
                        )
                        s["reader"].ok = False
            if (
                a is not None
                and s["assessed_on"] is not None
                and a["applied_on"] is not None
                and s["assessed_on"] < a["applied_on"].date()
            ):
                s["reader"].problem(
                    "assessed_before_applied",
                    "assessed_on",
                    thai.format_date_th(s["assessed_on"]),
                    applied=thai.format_date_th(a["applied_on"].date()),
                )
            score_rows.append(s)
    # duplicate rounds (wide: one row per round) / duplicate cells (long)
    groups = defaultdict(list)
    for s in score_rows:
        if s["app"] is None or s["round"] is None:
            continue
        if s["long"]:
            for iid, *_ in s["scores"]:
                groups[(s["applicant_id"], s["round"], iid)].append(s)
        else:
            groups[(s["applicant_id"], s["round"], None)].append(s)
    for (_aid, rnd, iid), ss in groups.items():
        if len(ss) < 2:
            continue
        for s in ss:
            others = "; ".join(f"แถว {o['row']}" for o in ss if o is not s)
            rule = "duplicate_score" if iid else "duplicate_round"
            s["reader"].problem(
                rule,
                "round",
                rnd,
                round=rnd,
                round_th=ROUND_LABELS_TH[rnd],
                others=others,
                indicator=iid or "",
            )
    # post before pre (per applicant, using the first date of each round)
    round_dates: dict[tuple[str, str], dt.date] = {}
    for s in score_rows:
        if s["app"] is not None and s["round"] and s["assessed_on"] and s["reader"].ok:
            key = (s["applicant_id"], s["round"])
            round_dates[key] = min(round_dates.get(key, s["assessed_on"]), s["assessed_on"])
    for s in score_rows:
        if s["round"] == "post" and s["assessed_on"] and s["app"] is not None:
            pre = round_dates.get((s["applicant_id"], "pre"))
            if pre is not None and s["assessed_on"] < pre:
                s["reader"].problem(
                    "post_before_pre",
                    "assessed_on",
                    thai.format_date_th(s["assessed_on"]),
                    pre=thai.format_date_th(pre),
                )
    # missing rounds: a warning on the applicant row
    have = {(s["applicant_id"], s["round"]) for s in score_rows if s["reader"].ok and s["app"]}
    for raw in raws["applicants"]:
        for a in app_recs:
            if (a["source_file"], a["source_sheet"]) != (raw.file, raw.sheet) or not a["_ok"]:
                continue
            for rnd in ("pre", "post"):
                if (a["applicant_id"], rnd) not in have:
                    c.add(
                        "missing_round",
                        raw,
                        a["source_row"],
                        raw.column_of("applicant_id"),
                        a["applicant_id"],
                        a["district_code"],
                        field="applicant_id",
                        round=rnd,
                        round_th=ROUND_LABELS_TH[rnd],
                    )

    # plans
    plan_recs = []
    for raw in raws["plans"]:
        for p in _plans(c, raw, province):
            r = p.pop("_r")
            a = applicant_link(r, p["applicant_id"], p["district_code"])
            iid = p["indicator_id"]
            if iid and iid not in catalog.indicators:
                r.problem("unknown_indicator", "indicator_id", iid, indicator=iid)
            elif iid and a is not None and catalog.indicators[iid].standard != a["standard"]:
                std = catalog.standards[a["standard"]]
                r.problem(
                    "indicator_wrong_standard",
                    "indicator_id",
                    iid,
                    indicator=iid,
                    standard=std.name_en,
                    standard_th=std.name_th,
                )
            p["_ok"] = r.ok
            plan_recs.append(p)

    # ---- assemble clean tables
    def clean(recs, name):
        keep = [
            {k: v for k, v in rec.items() if not k.startswith("_")}
            for rec in recs
            if rec["_ok"]
            and (rec["source_file"], rec["source_sheet"], rec["source_row"]) not in c.rejected
        ]
        return typed(pd.DataFrame(keep, columns=list(typed_cols(name))), name)

    long_scores = []
    for s in score_rows:
        raw = s["raw"]
        if not s["reader"].ok or (raw.file, raw.sheet, s["row"]) in c.rejected:
            continue
        for iid, num, hdr, _col in s["scores"]:
            long_scores.append(
                {
                    "district_code": s["district_code"],
                    "applicant_id": s["applicant_id"],
                    "round": s["round"],
                    "assessed_on": _to_date64(s["assessed_on"]),
                    "indicator_id": iid,
                    "score": num,
                    "source_file": raw.file,
                    "source_sheet": raw.sheet,
                    "source_row": s["row"],
                    "source_column": hdr,
                }
            )
    for s in score_rows:
        s["_ok"] = s["reader"].ok
    applicants = clean(app_recs, "applicants")
    officers = clean(people["officers"], "officers")
    committee = clean(people["committee"], "committee")
    plans = clean(plan_recs, "plans")
    scores = typed(pd.DataFrame(long_scores, columns=list(typed_cols("scores"))), "scores")

    # ---- reconciliation: rows read = clean + rejected, per file and sheet
    recon = []
    for key, rl in [*raws.items(), *((r.spec.key, [r]) for r in unheaded)]:
        for raw in rl:
            read = {row for row, _ in raw.rows}
            rejected = {row for (f, sh, row) in c.rejected if f == raw.file and sh == raw.sheet}
            recon.append(
                {
                    "file": raw.file,
                    "sheet": raw.sheet,
                    "table": key,
                    "rows_read": len(read),
                    "clean": len(read - rejected),
                    "rejected": len(read & rejected),
                    "blank_rows": raw.blank_rows,
                }
            )
    reconciliation = pd.DataFrame(
        recon, columns=["file", "sheet", "table", "rows_read", "clean", "rejected", "blank_rows"]
    )
    problems = problems_frame(c.problems)
    return Dataset(
        applicants,
        scores,
        officers,
        committee,
        plans,
        problems,
        reconciliation,
        province_code=province.code,
        year=catalog.year,
    )


def typed_cols(name: str):
    from .model import TABLE_DTYPES

    return TABLE_DTYPES[name]


def problems_frame(problems: list[Problem]):
    """Problems as a table sorted by district, file, sheet, row."""
    import pandas as pd

    cols = [*PROBLEM_KEYS, "district_code"]
    df = pd.DataFrame([asdict(p) for p in problems], columns=cols)
    df = df.astype({"row": "Int64", "district_code": "Int64"})
    return df.sort_values(
        ["district_code", "file", "sheet", "row"], na_position="first", kind="stable"
    ).reset_index(drop=True)


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


def paths_label(paths: list[str | Path]) -> str:
    return ", ".join(str(p) for p in paths)


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
    """One sheet of problems a district can act on: Thai headers, sorted by district, file, row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .atomic import atomic_path

    wb = Workbook()
    ws = wb.active
    ws.title = "ปัญหาข้อมูล"
    keys = list(_PROBLEM_HEADERS_TH)
    ws.append([_PROBLEM_HEADERS_TH[k] for k in keys])
    for cell in ws[1]:
        cell.font = Font(name="TH Sarabun New", bold=True, size=14)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
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
        ws.append([vals.get(k) for k in keys])
        for cell in ws[ws.max_row]:
            cell.font = Font(name="TH Sarabun New", size=14)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                cell.data_type = "s"  # never a formula built from input text
    widths = [10, 16, 30, 16, 7, 18, 11, 20, 60, 50, 22]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    with atomic_path(path) as tmp:
        wb.save(tmp)
