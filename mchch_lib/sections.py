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


def by_standard_intro(ctx: ReportContext) -> Markup:
    """The heading and note that open the districts × standards heatmap (provincial report)."""
    return _render(ctx, "by_standard", {})


def readiness_by_district(ctx: ReportContext) -> Markup:
    """Readiness and who is still to assess, one row per district (the provincial report;
    the lists by applicant are in its annex workbook)."""
    s = ctx.by_district.copy()
    s["district"] = s["district_code"].map(
        lambda c: f"{int(c)} {ctx.province.districts[int(c)].name_th}"
    )
    s["share_ready_pct"] = 100 * s["share_ready"]
    view = {
        "rows": s,
        "n_ready": int(s["ready"].sum()),
        "n_assessed": int(s["post_assessed"].sum()),
        "n_todo": int(s["not_yet_post"].sum()),
        "annex": ANNEX_NAME,
    }
    return _render(ctx, "readiness_by_district", view)


#: The provincial report's annex workbook (written beside province.pdf).
ANNEX_NAME = "province_ภาคผนวก.xlsx"


def problems_by_district(ctx: ReportContext) -> Markup:
    """Problems still open, counted by rule and by district (provincial report)."""
    p = ctx.data.problems
    n_err = int((p["severity"] == "error").sum()) if len(p) else 0
    counts = p.groupby(["severity", "rule"]).size().reset_index(name="n") if len(p) else None
    if counts is not None:
        counts["severity"] = counts["severity"].map(SEVERITY_TH)
    by = None
    if len(p):
        names = ctx.district_names
        g = p.assign(code=p["district_code"].fillna(0).astype(int))
        by = (
            g.groupby("code")["severity"]
            .agg(
                errors=lambda x: int((x == "error").sum()),
                warnings=lambda x: int((x == "warning").sum()),
            )  # fmt: skip
            .reset_index()
        )
        by["district"] = by["code"].map(lambda c: f"{c} {names[c]}" if c in names else "ไม่ระบุอำเภอ")
    view = {"n_total": len(p), "n_errors": n_err, "n_warnings": len(p) - n_err,
            "counts": counts, "by_district": by}  # fmt: skip
    return _render(ctx, "problems_by_district", view)


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
