"""Stage 3 of the letter (การพัฒนาตนเอง): development timeframes, plan quality and the sub-criteria annex."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from mchch_lib.common import thai
from mchch_lib.documents.templating import Markup

if TYPE_CHECKING:
    from mchch_lib.documents.report import ReportContext

from mchch_lib.documents.sections.overview import render_section

# ---------------------------------------------------------------- stage 3 of the letter
#: Timeframe statuses a report lists (on time and still developing are not listed).
_TIMEFRAME_LISTED = ("post_late", "overdue", "no_timeframe", "pre_late", "post_early")


def timeframe_section(ctx: ReportContext) -> Markup:
    """The development timeframe (ระยะเวลาการพัฒนา): who is behind it as of the 4.2 deadline,
    and who departed from it (``ctx.timeframe``)."""
    tf = ctx.timeframe.copy()
    digits = ctx.params.thai_digits
    listed = tf[tf["status"].isin(_TIMEFRAME_LISTED)].copy()
    listed["_order"] = listed["status"].map(_TIMEFRAME_LISTED.index)
    listed = listed.sort_values(["_order", "applicant_id"], kind="stable")
    for c in ("dev_start", "dev_end", "pre_on", "post_on"):
        listed[c] = listed[c].map(lambda d: thai.format_date_th(d, short=True, thai_digits=digits))
    view = {
        "n": len(tf),
        "n_set": int((tf["status"] != "no_timeframe").sum()),
        "n_behind": int(tf["behind"].sum()),
        "as_of": ctx.params.deadline_42,
        "rows": listed,
    }
    return render_section(ctx, "timeframe", view)


def plan_quality_section(ctx: ReportContext) -> Markup:
    """Plan items (แผนพัฒนาตนเอง) that do not say when, who or with what evidence."""
    g = ctx.plan_gaps
    view = {"n_items": len(ctx.data.plans), "n_incomplete": len(g), "rows": g}
    return render_section(ctx, "plan_quality", view)


@dataclass(frozen=True)
class SubcriteriaBlock:
    applicant_id: str
    name: str
    standard_th: str
    n: int
    n_adjusted: int
    n_added: int
    rows: list[dict]


def _subcriteria_rows(ctx: ReportContext, g: pd.DataFrame) -> list[dict]:
    """An indicator row (its marks and scores: the sums of its sub-criteria's, the roll-up)
    followed by its sub-criteria rows."""
    from mchch_lib.data.catalog import marks_sum

    rows = []
    for iid, sub in g.groupby("indicator_id", sort=False):
        sums = {
            c: marks_sum(sub[c]) if sub[c].notna().all() else None for c in ("marks", "pre", "post")
        }
        gain = None if None in (sums["pre"], sums["post"]) else sums["post"] - sums["pre"]
        rows.append({"row": "indicator", "id": iid, "text": ctx.catalog.indicators[iid].name_th,
                     "kind_th": "", **sums, "gain": gain})  # fmt: skip
        for r in sub.itertuples(index=False):
            own = not (r.kind == "added" and "+" in r.subcriterion_id)
            rows.append({"row": "sub", "id": r.subcriterion_id if own else "", "text": r.text,
                         "kind_th": r.kind_th, "marks": r.marks, "pre": r.pre, "post": r.post,
                         "gain": r.gain})  # fmt: skip
    return rows


def subcriteria_annex(ctx: ReportContext) -> Markup:
    """Annex: each applicant's agreed sub-criteria with pre/post progress, one block each;
    each indicator's row shows the sums its score is (the roll-up)."""
    sub = ctx.subcriteria
    blocks = [
        SubcriteriaBlock(
            aid,
            g["name"].iloc[0],
            ctx.catalog.standards[g["standard"].iloc[0]].short_th,
            len(g),
            int((g["kind"] == "adjusted").sum()),
            int((g["kind"] == "added").sum()),
            _subcriteria_rows(ctx, g),
        )
        for aid, g in sub.groupby("applicant_id", sort=False)
    ]
    view = {
        "blocks": blocks,
        "n_without": len(ctx.applicants) - len(blocks),
        "n_applicants": len(ctx.applicants),
    }
    return render_section(ctx, "subcriteria_annex", view)


def subcriteria_summary(ctx: ReportContext) -> Markup:
    """One page on the agreed sub-criteria (เกณฑ์ย่อย) for the district PDF: per standard, the
    units that recorded them, how many were adjusted or added and in which indicators; then
    the units with a sub-criterion that declined after development (the detail of every unit
    is in the district's annex workbook)."""
    sub = ctx.subcriteria
    rows = []
    for code, g in sub.groupby("standard", sort=False):
        changed = g[g["kind"].isin(["adjusted", "added"])]
        rows.append(
            {
                "standard_th": ctx.catalog.standards[code].short_th,
                "units": int(g["applicant_id"].nunique()),
                "n": len(g),
                "adjusted": int((g["kind"] == "adjusted").sum()),
                "added": int((g["kind"] == "added").sum()),
                "indicators": " ".join(dict.fromkeys(changed["indicator_id"])) or "—",
            }
        )
    table = pd.DataFrame(
        rows, columns=["standard_th", "units", "n", "adjusted", "added", "indicators"]
    )
    down = sub[sub["gain"].notna() & (sub["gain"] < 0)]
    declines = [
        {
            "applicant_id": aid,
            "name": g["name"].iloc[0],
            "items": " ".join(
                f"{s or i} ({thai.format_number(v, 1, ctx.params.thai_digits)})"
                for s, i, v in zip(g["subcriterion_id"], g["indicator_id"], g["gain"], strict=True)
            ),
        }
        for aid, g in down.groupby("applicant_id", sort=False)
    ]
    view = {
        "rows": table,
        "n_units": int(sub["applicant_id"].nunique()) if len(sub) else 0,
        "n_applicants": len(ctx.applicants),
        "declines": pd.DataFrame(declines, columns=["applicant_id", "name", "items"]),
    }
    return render_section(ctx, "subcriteria_summary", view)
