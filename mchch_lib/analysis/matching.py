"""Matching units across years (หน่วยเดิมที่กลับมาสมัคร): which applicant of this year is which
applicant of an earlier year. Explained, never guessed:

1. A decision a person made (``data/reference/matches.csv``) comes first and sticks: ``same``
   pairs the two units whatever their names say, ``different`` keeps them apart.
2. Leaders (ผู้นำ, a person): the same citizen ID (เลขประจำตัวประชาชน). A leader without an ID
   in one of the years, or whose ID is not found, may be listed *to confirm* when a leader of
   the same name (titles aside) is in the same tambon; a name is never enough for a person, two
   people can share one. Two different IDs are two people.
3. Groups, networks and communities: the same district, standard and tambon, and a *normalized*
   name (pythainlp's normalization; Thai digits; spaces and dots; the words กลุ่ม and บ้าน
   dropped; หมู่ที่ 5 / หมู่ 5 / ม.5 written one way) whose similarity to the earlier name
   reaches :data:`THRESHOLD`. The numbers in the two names (a village's หมู่ที่) must agree.
   Exactly one such unit, claimed by no other unit of this year: matched. Two or more, or one
   claimed twice, or only a weaker likeness (at least :data:`CANDIDATE_FLOOR`): listed *to
   confirm* with every candidate; never picked silently.

The names, the similarity and its thresholds (:data:`THRESHOLD` 0.85,
:data:`CANDIDATE_FLOOR` 0.75, and why) are ``units``': the same rules find a unit registered
twice within a year.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from mchch_lib import config
from mchch_lib.data.units import (
    CANDIDATE_FLOOR,
    THRESHOLD,
    normalize_name,
    normalize_tambon,
    similarity,
)
from mchch_lib.errors import MchchError

#: A person's decisions (``year, applicant_id, previous_year, previous_applicant_id, decision,
#: note``); decision ``same`` or ``different`` (Thai: ``เดียวกัน`` / ``ต่างกัน``).
MATCHES_CSV = config.MATCHES_CSV
DECISION_COLUMNS = [
    "year",
    "applicant_id",
    "previous_year",
    "previous_applicant_id",
    "decision",
    "note",
]
_DECISIONS = {"same": "same", "เดียวกัน": "same", "different": "different", "ต่างกัน": "different"}

STATUS_TH = {"matched": "หน่วยเดิม", "to_confirm": "รอยืนยัน", "new": "หน่วยใหม่"}
METHOD_TH = {
    "confirmed": "ผู้รับผิดชอบยืนยัน",
    "citizen_id": "เลขประจำตัวประชาชน",
    "name": "ชื่อและตำบล",
    "": "",
}
UNIT_COLUMNS = [
    "applicant_id",
    "status",
    "method",
    "similarity",
    "previous_year",
    "previous_applicant_id",
    "n_candidates",
]
CANDIDATE_COLUMNS = ["applicant_id", "previous_year", "previous_applicant_id", "similarity"]


def load_decisions(path: str | Path | None = None) -> pd.DataFrame:
    """A person's decisions (``matches.csv``); an empty table when the file is not there.
    Raises MchchError naming the file and row of a decision that is neither same nor
    different."""
    path = Path(path) if path is not None else MATCHES_CSV
    if not path.exists():
        return pd.DataFrame(columns=DECISION_COLUMNS)
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for n, r in enumerate(rows, start=2):
        missing = [c for c in DECISION_COLUMNS[:5] if not (r.get(c) or "").strip()]
        decision = _DECISIONS.get((r.get("decision") or "").strip().lower())
        if missing or decision is None:
            raise MchchError(
                f"{path}: แถว {n}: ต้องมี {', '.join(DECISION_COLUMNS[:5])} และ decision เป็น same "
                f"หรือ different / row {n}: needs {', '.join(DECISION_COLUMNS[:5])} and a "
                f"decision of same or different (got {r.get('decision')!r})"
            )
        out.append(
            {
                "source_file": str(path),
                "source_row": n,
                "year": int(r["year"]),
                "applicant_id": r["applicant_id"].strip(),
                "previous_year": int(r["previous_year"]),
                "previous_applicant_id": r["previous_applicant_id"].strip(),
                "decision": decision,
                "note": (r.get("note") or "").strip(),
            }
        )
    return pd.DataFrame(out, columns=["source_file", "source_row", *DECISION_COLUMNS])


def _conflicts(d: pd.DataFrame) -> list[tuple[int, int, str, str]]:
    """(row, other row, Thai reason, English reason) of decisions that contradict each other:
    two units of one year confirmed the same unit of the other year (either way round), or a
    pair said to be both the same and different."""
    out = []
    same = d[d["decision"] == "same"]
    for a, b, y, by in (
        ("applicant_id", "previous_applicant_id", "year", "previous_year"),
        ("previous_applicant_id", "applicant_id", "previous_year", "year"),
    ):
        for (_, _, uid), g in same.groupby([y, by, b], sort=False):
            if g[a].nunique() > 1:
                yr, yr_b = int(g[y].iloc[0]), int(g[by].iloc[0])
                th = f"{g[a].nunique()} หน่วยของปี {yr} ยืนยันว่าเป็นหน่วย {uid} ของปี {yr_b}"
                en = f"{g[a].nunique()} units of {yr} are confirmed as unit {uid} of {yr_b}"
                rows = list(g["_row"])
                out += [(r, rows[1] if r == rows[0] else rows[0], th, en) for r in rows]
    keys = ["year", "applicant_id", "previous_year", "previous_applicant_id"]
    for _, g in d.groupby(keys, sort=False):
        if g["decision"].nunique() > 1:
            rows = list(g["_row"])
            out += [
                (
                    r,
                    rows[1] if r == rows[0] else rows[0],
                    "ทั้ง same และ different",
                    "both same and different",
                )
                for r in rows
            ]
    return out


def check_decisions(
    decisions: pd.DataFrame, applicants: dict[int, pd.DataFrame], complete: bool = True
) -> tuple[pd.DataFrame, list]:
    """The decisions that can be applied, and a located problem for each that cannot (it is
    then not applied): one naming a unit not in its year's data (``decision_unknown_unit``;
    only when ``applicants``, year -> applicant table, hold whole years: ``complete``), or
    contradicting another (``decision_conflict``). Only decisions between the years of
    ``applicants`` are checked; the others are not in play."""
    from mchch_lib.data.validate import located

    d = decisions.copy()
    if "source_row" not in d:
        d["source_row"] = range(2, len(d) + 2)
    if "source_file" not in d:
        d["source_file"] = str(MATCHES_CSV)
    d["_row"] = d["source_row"].astype(int)
    d = d[d["year"].isin(applicants) & d["previous_year"].isin(applicants)]
    problems, dropped = [], set()

    def problem(r, rule, column, value, **ctx):
        dropped.add(r.source_row)
        problems.append(
            located(
                rule,
                file=r.source_file,
                sheet="",
                row=int(r.source_row),
                column=column,
                field=column,
                value=value,
                **ctx,
            )
        )

    ids = {y: set(a["applicant_id"]) for y, a in applicants.items()}
    for r in d.itertuples(index=False):
        for column, year in (("applicant_id", r.year), ("previous_applicant_id", r.previous_year)):
            aid = getattr(r, column)
            if complete and aid not in ids[year]:
                problem(r, "decision_unknown_unit", column, aid, year=year)
    known = d[~d["source_row"].isin(dropped)]
    by_row = {r.source_row: r for r in known.itertuples(index=False)}
    for row, other, th, en in _conflicts(known):
        problem(
            by_row[row],
            "decision_conflict",
            "decision",
            by_row[row].decision,
            other_row=other,
            reason=th,
            reason_en=en,
        )
    usable = decisions[~decisions.index.isin(d.index[d["source_row"].isin(dropped)])]
    return usable, sorted(problems, key=lambda x: x.row)


def _keyed(apps: pd.DataFrame) -> pd.DataFrame:
    a = apps[["district_code", "applicant_id", "standard", "name", "citizen_id", "tambon", "moo"]]
    a = a.copy()
    a["key_name"] = [
        normalize_name(n, person=s == "leader")
        for n, s in zip(a["name"], a["standard"], strict=True)
    ]
    a["key_tambon"] = a["tambon"].map(normalize_tambon)
    return a.reset_index(drop=True)


def _candidates(u, before: pd.DataFrame, taken: set[str], apart: set[tuple[str, str]]):
    """(earlier applicant id, similarity) of the earlier units this unit may be, best first."""
    same_place = before[
        (before["district_code"] == u.district_code)
        & (before["standard"] == u.standard)
        & (before["key_tambon"] == u.key_tambon)
        & ~before["applicant_id"].isin(taken)
    ]
    out = []
    for b in same_place.itertuples(index=False):
        if (u.applicant_id, b.applicant_id) in apart:
            continue
        if (
            u.standard == "leader"
            and isinstance(u.citizen_id, str)
            and isinstance(b.citizen_id, str)
        ):
            continue  # two IDs that differ are two people
        if u.standard == "community" and pd.notna(u.moo) and pd.notna(b.moo) and u.moo != b.moo:
            continue  # another village (หมู่ที่)
        sim = similarity(u.key_name, b.key_name)
        if sim >= CANDIDATE_FLOOR:
            out.append((b.applicant_id, sim))
    return sorted(out, key=lambda c: (-c[1], c[0]))


def match_units(
    current: pd.DataFrame,
    earlier: pd.DataFrame,
    year: int,
    earlier_year: int,
    decisions: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Match this year's applicants to an earlier year's (both applicant tables with
    district_code, applicant_id, standard, name, citizen_id, tambon, moo).

    Returns ``units`` (one row per applicant of this year: status ``matched``, ``to_confirm``
    or ``new``, the method, similarity and the earlier applicant id when matched) and
    ``candidates`` (one row per unit to confirm and each earlier unit it may be)."""
    now, before = _keyed(current), _keyed(earlier)
    dec = decisions if decisions is not None else pd.DataFrame(columns=DECISION_COLUMNS)
    dec = dec[(dec["year"] == year) & (dec["previous_year"] == earlier_year)]
    known_now, known_before = set(now["applicant_id"]), set(before["applicant_id"])
    result: dict[str, dict] = {}
    taken: set[str] = set()
    for d in dec[dec["decision"] == "same"].itertuples(index=False):
        if d.applicant_id in known_now and d.previous_applicant_id in known_before:
            result[d.applicant_id] = _row(
                "matched", "confirmed", 1.0, earlier_year, d.previous_applicant_id
            )
            taken.add(d.previous_applicant_id)
    apart = {
        (d.applicant_id, d.previous_applicant_id)
        for d in dec[dec["decision"] == "different"].itertuples(index=False)
    }
    by_id = before[before["citizen_id"].notna() & ~before["applicant_id"].isin(taken)]
    ids = by_id.groupby("citizen_id")["applicant_id"].agg(list).to_dict()
    for u in now[now["citizen_id"].notna()].itertuples(index=False):
        hits = [h for h in ids.get(u.citizen_id, []) if (u.applicant_id, h) not in apart]
        if u.applicant_id not in result and len(hits) == 1:
            result[u.applicant_id] = _row("matched", "citizen_id", 1.0, earlier_year, hits[0])
            taken.add(hits[0])
    cands = {
        u.applicant_id: _candidates(u, before, taken, apart)
        for u in now.itertuples(index=False)
        if u.applicant_id not in result
    }
    strong = {k: [c for c in v if c[1] >= THRESHOLD] for k, v in cands.items()}
    claims: dict[str, int] = {}
    for v in strong.values():
        for b, _ in v:
            claims[b] = claims.get(b, 0) + 1
    leaders = set(now.loc[now["standard"] == "leader", "applicant_id"])
    pairs = []
    for aid, cs in cands.items():
        sv = strong[aid]
        if len(sv) == 1 and claims[sv[0][0]] == 1 and aid not in leaders:
            result[aid] = _row("matched", "name", sv[0][1], earlier_year, sv[0][0])
        elif cs:
            result[aid] = _row("to_confirm", "", cs[0][1], earlier_year, None, len(cs))
            pairs += [(aid, earlier_year, b, s) for b, s in cs]
    units = pd.DataFrame(
        [
            {"applicant_id": a, **result.get(a, _row("new", "", None, None, None))}
            for a in now["applicant_id"]
        ],
        columns=UNIT_COLUMNS,
    )
    units["previous_year"] = units["previous_year"].astype("Int64")
    units["similarity"] = units["similarity"].astype(float)
    units["n_candidates"] = units["n_candidates"].astype(int)
    cands = pd.DataFrame(pairs, columns=CANDIDATE_COLUMNS)
    cands["previous_year"] = cands["previous_year"].astype("Int64")
    cands["similarity"] = cands["similarity"].astype(float)
    return units, cands


def _row(status, method, sim, year, prev, n=None) -> dict:
    return {
        "status": status,
        "method": method,
        "similarity": sim,
        "previous_year": year,
        "previous_applicant_id": prev,
        "n_candidates": n if n is not None else (1 if prev else 0),
    }
