"""Self-development plans (แผนพัฒนาตนเอง) and sub-criteria (เกณฑ์ย่อย): each row checked against
the catalog and its applicant's standard; sub-criteria marks adding up to the indicator's full
marks and their scores rolled up into the indicator's."""

from __future__ import annotations

import math
from collections import defaultdict

from mchch_lib.common import thai
from mchch_lib.data.catalog import marks_sum
from mchch_lib.data.contract import (
    ROUND_LABELS_TH,
    SHEETS,
    SUBCRITERION_KINDS,
)
from mchch_lib.data.reference import alias_key
from mchch_lib.data.validate.rows import _RowReader
from mchch_lib.data.validate.state import ScoreCell, _duplicates, _Rec, _Validation


def _indicator_of(v: _Validation, r: _RowReader, applicant, iid: str | None):
    """The catalog's indicator ``iid`` of a plan or sub-criterion row, or None (blank, unknown,
    or of another standard than its applicant's: each reported on the row)."""
    if not iid:
        return None
    if iid not in v.catalog.indicators:
        r.problem("unknown_indicator", "indicator_id", iid, indicator=iid)
        return None
    ind = v.catalog.indicators[iid]
    if applicant is not None and ind.standard != applicant.get("standard"):
        s = v.catalog.standards[applicant.get("standard")]
        r.problem("indicator_wrong_standard", "indicator_id", iid, indicator=iid,
                  standard=s.name_en, standard_th=s.name_th)  # fmt: skip
        return None
    return ind


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
        _indicator_of(v, r, a, values["indicator_id"])
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
    iid = values["indicator_id"]
    ind = _indicator_of(v, r, a, iid)
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
        values[rnd] = _number_in(
            r, rnd, top, "subscore_out_of_range", marks=f"{top:g}", sub=sid or text or ""
        )
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
    _duplicates(
        ids,
        "duplicate_subcriterion",
        lambda rec: rec.raw.column_of("subcriterion_id"),
        lambda key: {"indicator": key[2]},
    )
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
        rec.reader.problem(
            "subcriteria_marks_sum",
            "marks",
            rec.get("marks"),
            indicator=iid,
            total=f"{total:g}",
            full=f"{full:g}",
            rows=_rows_text(recs),
        )
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
        s.reader.add(
            "score_subcriteria_mismatch",
            cell.col,
            cell.score,
            field="score",
            total=f"{total:g}",
            rows=_rows_text(recs),
            **ctx,
        )
        cell.score = total
