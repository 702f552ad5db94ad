"""The sections of the reports (ส่วนของรายงาน). Each section is a template under
``templates/sections/`` (its heading and Thai wording live there) fed by a small typed view of
the figures it shows; the view is built here from the report context's figures, each computed
once (``report.ReportContext``). Every section returns safe HTML (``Markup``): text from a
workbook is escaped by the one gate in ``templating``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import thai
from .catalog import STANDARD_CODES
from .model import COMMITTEE_ROLES
from .templating import Markup, render

if TYPE_CHECKING:
    from .report import ReportContext

#: Thai labels, one home each.
READY_TH = {True: "พร้อม", False: "ยังไม่พร้อม"}
SEVERITY_TH = {"error": "ข้อผิดพลาด", "warning": "คำเตือน"}
#: Rows of problems listed in a report (all are in validation.xlsx).
MAX_PROBLEM_ROWS = 200


def _render(ctx: ReportContext, name: str, view) -> Markup:
    values = asdict(view) if hasattr(view, "__dataclass_fields__") else dict(view)
    return render(name, ctx.params.thai_digits, **values)


@dataclass(frozen=True)
class CoverView:
    year: int
    place: str
    office: str
    created: dt.date
    data_version: str


def cover(ctx: ReportContext) -> Markup:
    """The cover page: title, year, place, office, date made, data version."""
    place = ctx.place_th if ctx.is_province else f"{ctx.place_th} จังหวัด{ctx.province.name_th}"
    view = CoverView(
        ctx.params.year, place, ctx.params.office_th, ctx.created.date(), ctx.data.input_hash[:12]
    )
    return _render(ctx, "cover", view)


@dataclass(frozen=True)
class SummaryView:
    place: str
    year: int
    registered: int
    by_standard: list[str]
    pre_assessed: int
    post_assessed: int
    ready: int
    mean_pre_pct: float
    mean_post_pct: float
    kpis: list[tuple[str, int]]
    test_message: str


def summary_sentences(ctx: ReportContext) -> Markup:
    """The summary in sentences and figures (สรุปผล)."""
    from .scoring import paired_test

    s = ctx.summary
    counts = ctx.applicants.groupby("standard").size()
    digits = ctx.params.thai_digits
    by_standard = [
        f"{std.short_th} {thai.format_number(int(counts.get(code, 0)), 0, digits)} {std.unit_th}"
        for code, std in ((c, ctx.catalog.standards.get(c)) for c in STANDARD_CODES)
        if std is not None
    ]
    kpis = [
        ("ผู้สมัครทั้งหมด", s["registered"]),
        ("ประเมินก่อนพัฒนา", s["pre_assessed"]),
        ("ประเมินหลังพัฒนา", s["post_assessed"]),
        ("พร้อมรับการประเมินระดับจังหวัด", s["ready"]),
    ]
    view = SummaryView(
        ctx.place_th, ctx.params.year, s["registered"], by_standard, s["pre_assessed"],
        s["post_assessed"], s["ready"], s["mean_pre_pct"], s["mean_post_pct"], kpis,
        paired_test(ctx.applicants)["message_th"],
    )  # fmt: skip
    return _render(ctx, "summary", view)


def compliance_section(ctx: ReportContext) -> Markup:
    """The province's guidelines (การดำเนินงานตามแนวทาง): the checks of a district, or one row
    per district in the provincial report."""
    f = ctx.findings
    if ctx.is_province:
        return compliance_by_district(ctx)
    n_ok = int(f["ok"].sum())
    return _render(
        ctx,
        "compliance_district",
        {"findings": f.to_dict("records"), "n_ok": n_ok, "n_checks": len(f)},
    )


def compliance_by_district(ctx: ReportContext) -> Markup:
    """The guideline checks, one row per district of the province."""
    f = ctx.findings
    rows = []
    for code in sorted(ctx.province.districts):
        sub = f[f["district_code"] == code]
        fails = sub[~sub["ok"]]
        rows.append(
            {
                "district": f"{code} {ctx.province.districts[code].name_th}",
                "ok": f"{len(sub) - len(fails)}/{len(sub)}",
                "issues": "; ".join(fails["message_th"]),
            }
        )
    view = {"rows": pd.DataFrame(rows), "n_checks": len(dict.fromkeys(f["check"]))}
    return _render(ctx, "compliance_province", view)


def applicant_table(ctx: ReportContext) -> Markup:
    """The applicants (รายชื่อผู้สมัคร): standard, masked ID, place, officer."""
    a = ctx.applicants.copy()
    a["standard_th"] = a["standard"].map(lambda s: ctx.catalog.standards[s].short_th)
    a["id_masked"] = a["citizen_id"].map(
        lambda v: thai.mask_citizen_id(v) if isinstance(v, str) else ""
    )
    a["place"] = a["tambon"].fillna("") + a["moo"].map(
        lambda m: "" if pd.isna(m) else f" ม.{int(m)}"
    )
    return _render(ctx, "applicants", {"rows": a})


def results_intro(ctx: ReportContext) -> Markup:
    """The heading and note that open the per-standard results of a district report."""
    return _render(ctx, "results_intro", {})


def standard_section(ctx: ReportContext, standard: str) -> Markup:
    """Pre/post/full comparison table of one standard."""
    std = ctx.catalog.standards[standard]
    a = ctx.applicants[ctx.applicants["standard"] == standard]
    view = {"name_th": std.name_th, "unit_th": std.unit_th, "n": len(a), "rows": a}
    return _render(ctx, "standard", view)


def gaps_section(ctx: ReportContext) -> Markup:
    """The indicators with the largest remaining gap (the rows of ``ctx.top_gaps``, which the
    chart beside it draws too)."""
    return _render(ctx, "gaps", {"rows": ctx.top_gaps})


def gaps_by_district_intro(ctx: ReportContext) -> Markup:
    """The heading and note that open the heatmap of gaps by district (provincial report)."""
    return _render(ctx, "gaps_by_district_intro", {})


def not_assessed_section(ctx: ReportContext) -> Markup:
    """Applicants not yet assessed after development."""
    a = ctx.applicants[~ctx.applicants["post_complete"]]
    return _render(ctx, "not_assessed", {"rows": a, "n": len(a)})


def readiness_section(ctx: ReportContext) -> Markup:
    """Readiness for the provincial assessment, with the reason (ความพร้อม)."""
    a = ctx.applicants[ctx.applicants["post_complete"]].copy()
    a["ready_th"] = a["ready"].map(lambda r: READY_TH[r is True])
    view = {"rows": a, "n": len(a), "n_ready": int(a["ready"].fillna(False).sum())}
    return _render(ctx, "readiness", view)


def ranking_section(ctx: ReportContext) -> Markup:
    """Districts ranked by their mean post-development % (the rows of ``ctx.by_district``)."""
    s = ctx.by_district.copy()
    s["district_th"] = s["district_code"].map(lambda c: ctx.province.districts[int(c)].name_th)
    s = s.sort_values("mean_post_pct", ascending=False, na_position="last")
    return _render(ctx, "ranking", {"rows": s})


def problems_section(ctx: ReportContext) -> Markup:
    """Problems still open from validation: counts by rule, then the first rows (errors =
    rejected rows, then warnings); says how many are not listed."""
    p = ctx.data.problems
    view = {"n_total": len(p), "n_errors": 0, "n_warnings": 0, "n_shown": 0}
    if not len(p):
        return _render(ctx, "problems", {**view, "counts": None, "detail": None})
    p = p.copy()
    p["where"] = (
        p["file"].map(lambda f: Path(str(f)).name)
        + " / "
        + p["sheet"].astype(str)
        + p["row"].map(lambda r: "" if pd.isna(r) else f" แถว {int(r)}")
    )
    p["sev"] = p["severity"].map({"error": "ข้อผิดพลาด (ไม่นำมาคำนวณ)", "warning": "คำเตือน"})
    counts = p.groupby(["severity", "rule"]).size().reset_index(name="n")
    counts["severity"] = counts["severity"].map(SEVERITY_TH)
    detail = p.sort_values(["severity", "district_code", "file", "row"]).head(MAX_PROBLEM_ROWS)
    n_err = int((p["severity"] == "error").sum())
    view |= {"n_errors": n_err, "n_warnings": len(p) - n_err, "n_shown": len(detail)}
    return _render(ctx, "problems", {**view, "counts": counts, "detail": detail})


def provenance_html(ctx: ReportContext, rec: dict) -> Markup:
    """The provenance table shown on the last page."""
    created = ctx.created
    rows = [
        ("ข้อมูลนำเข้า (input hash)", rec["input_hash"]),
        ("พารามิเตอร์ (params)", f"{ctx.params.path} · {rec['params_hash'][:16]}"),
        ("รุ่นโปรแกรม (code version)", rec["code_version"]),
        ("จัดทำเมื่อ", thai.format_date_th(created.date()) + created.strftime(" %H:%M น.")),
    ]
    files = [(Path(k).name, v[:16]) for k, v in sorted(ctx.data.file_digests.items())]
    return _render(ctx, "provenance", {"rows": rows, "files": files})


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
    return _render(ctx, "timeframe", view)


def plan_quality_section(ctx: ReportContext) -> Markup:
    """Plan items (แผนพัฒนาตนเอง) that do not say when, who or with what evidence."""
    g = ctx.plan_gaps
    view = {"n_items": len(ctx.data.plans), "n_incomplete": len(g), "rows": g}
    return _render(ctx, "plan_quality", view)


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
    from .catalog import marks_sum

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
    return _render(ctx, "subcriteria_annex", view)


# ---------------------------------------------------------------- the provincial final round
def _district_th(ctx: ReportContext, code) -> str:
    return ctx.province.districts[int(code)].name_th


def final_round_section(ctx: ReportContext) -> Markup:
    """The provincial committee's final round: units ready, assessed and certified (per
    district and standard in the provincial report; unit by unit in a district's), those not
    certified and why, the committee, and problems that need the scores."""
    res = ctx.final_results.copy()
    view: dict = {"is_province": ctx.is_province, "n_assessed": len(res)}
    if not len(res):
        return _render(ctx, "final_round", view)
    res["district_th"] = res["district_code"].map(lambda c: _district_th(ctx, c))
    res["standard_th"] = res["standard"].map(lambda s: ctx.catalog.standards[s].short_th)
    cert = res["certified"].fillna(False).astype(bool)
    res["result_th"] = res["certificate_no"].where(cert, "ไม่ผ่าน").fillna("รับรอง")
    not_cert = res[~cert]
    counts = ctx.certified_by_district.copy()
    counts["district_th"] = counts["district_code"].map(lambda c: _district_th(ctx, c))
    std_cols = {s: ctx.catalog.standards[s].short_th for s in STANDARD_CODES
                if s in ctx.catalog.standards}  # fmt: skip
    p = ctx.final_round_problems.copy()
    p["where"] = p["file"].map(lambda f: Path(str(f)).name) + p["row"].map(
        lambda r: f" แถว {int(r)}"
    )
    com = ctx.data.province_committee.copy()
    com["role_th"] = com["role"].map({v: k for k, v in COMMITTEE_ROLES.items()})
    view |= {
        "n_ready": int(ctx.applicants["ready"].fillna(False).sum()),
        "n_certified": len(ctx.certified),
        "units": res,
        "not_certified": not_cert,
        "counts": counts,
        "count_columns": {
            "district_th": "อำเภอ",
            "ready": "พร้อม",
            "assessed": "ประเมิน",
            "certified": "ผ่านการรับรอง",
            **std_cols,
        },  # fmt: skip
        "count_formats": {c: "int" for c in ("ready", "assessed", "certified", *std_cols)}
        | {"district_th": "id"},
        "problems": p,
        "findings": ctx.province_findings.to_dict("records"),
        "committee": com,
    }
    return _render(ctx, "final_round", view)


def rating_section(ctx: ReportContext) -> Markup:
    """How the districts' own post-development ratings compare with the committee's
    (``ctx.rating_comparison``: the table here, the chart beside it)."""
    from .final_round import RATING_TOLERANCE_PCT

    c = ctx.rating_comparison.copy()
    c["district_th"] = c["district_code"].map(lambda x: _district_th(ctx, x))
    over = c[c["mean_difference"] > RATING_TOLERANCE_PCT]
    view = {
        "is_province": ctx.is_province,
        "tolerance": RATING_TOLERANCE_PCT,
        "rows": c,
        "n": int(c["n"].sum()),
        "over_districts": list(over["district_th"]),
        "mine": c.iloc[0].to_dict() if len(c) == 1 and not ctx.is_province else None,
    }
    return _render(ctx, "rating", view)


def rating_table_section(ctx: ReportContext) -> Markup:
    """The rows of ``ctx.rating_comparison`` (the chart's), per district: units compared,
    the mean difference, how many over-rated, agreed, under-rated."""
    c = ctx.rating_comparison.copy()
    c["district_th"] = c["district_code"].map(lambda x: _district_th(ctx, x))
    return _render(ctx, "rating_table", {"rows": c})


def certified_list_section(ctx: ReportContext) -> Markup:
    """The certified units (รายชื่อหน่วยนับที่ผ่านการรับรอง), the rows of the announcement form
    and of the certificates."""
    c = ctx.certified.copy()
    c.insert(0, "no", range(1, len(c) + 1))
    c["district_th"] = c["district_code"].map(lambda x: _district_th(ctx, x))
    c["standard_th"] = c["standard"].map(lambda s: ctx.catalog.standards[s].short_th)
    return _render(
        ctx, "certified_list", {"rows": c, "n": len(c), "has_round": len(ctx.final_results) > 0}
    )
