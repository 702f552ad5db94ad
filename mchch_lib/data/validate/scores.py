"""Scores (คะแนน), wide or long: each score within its indicator's full marks, its applicant,
the rounds dated in order and within the letter's timeframe, a round or score given once, a
warning for a round missing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from mchch_lib.common import thai
from mchch_lib.data.contract import (
    ROUND_LABELS_TH,
)
from mchch_lib.data.validate.rows import _cell, _RowReader
from mchch_lib.data.validate.state import ScoreCell, _duplicates, _Rec, _Validation


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
