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
    if ctx.is_nation:
        place = "ระดับประเทศ (ทุกภาค ทุกจังหวัด)"
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
    """The guideline checks, one row per district of the province; in the national report
    one row per province (its districts meeting every guideline, and the checks most often
    not met)."""
    f = ctx.findings
    if ctx.is_nation:
        return _compliance_by_province(ctx)
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


#: Short Thai names of the guideline checks (compliance.check_district), for counts by check.
CHECK_TH = {
    "all_standards": "ครบ 4 มาตรฐาน",
    "officers_have_targets": "พัฒนากรทุกคนมีเป้าหมาย",
    "committee_size": "คณะอนุกรรมการ 5–9 คน",
    "committee_roles": "มีประธานและเลขานุการ",
    "evidence_checked": "ตรวจหลักฐานครบ",
    "plans_cover_gaps": "แผนครอบคลุมตัวบ่งชี้ที่ต่ำกว่าเกณฑ์",
    "deadline_41": "รายงาน 4.1 ทันกำหนด",
    "deadline_42": "รายงาน 4.2 ทันกำหนด",
    "timeframe_set": "กำหนดระยะเวลาพัฒนา",
    "timeframe_kept": "พัฒนาตามระยะเวลา",
    "plans_complete": "แผนระบุเวลา ผู้รู้ หลักฐาน",
}


def _compliance_by_province(ctx: ReportContext) -> Markup:
    f = ctx.findings
    names = ctx.child_names
    rows = []
    for code, sub in f.groupby("province_code", sort=True):
        all_ok = sub.groupby("district_code")["ok"].all()
        fails = sub[~sub["ok"]].groupby("check")["district_code"].nunique()
        fails = fails.sort_values(ascending=False, kind="stable").head(3)
        rows.append(
            {
                "unit_th": names.get(int(code), str(code)),
                "districts": len(all_ok),
                "all_ok": int(all_ok.sum()),
                "issues": "; ".join(f"{CHECK_TH.get(c, c)} ({n})" for c, n in fails.items()),
            }
        )
    by_check = (
        f.groupby("check", sort=False)["ok"].agg(n="size", ok="sum").reset_index()
        if len(f)
        else pd.DataFrame(columns=["check", "n", "ok"])
    )
    by_check["check_th"] = by_check["check"].map(lambda c: CHECK_TH.get(c, c))
    by_check["share_pct"] = 100 * by_check["ok"] / by_check["n"]
    view = {
        "rows": pd.DataFrame(rows, columns=["unit_th", "districts", "all_ok", "issues"]),
        "by_check": by_check,
        "n_districts": int(f["district_code"].nunique()) if len(f) else 0,
    }
    return _render(ctx, "compliance_nation", view)


def applicant_table(ctx: ReportContext) -> Markup:
    """The applicants (รายชื่อผู้สมัคร): name (a leader's masked ID under it), standard,
    place, officer."""
    a = ctx.applicants.copy()
    a["standard_th"] = a["standard"].map(lambda s: ctx.catalog.standards[s].short_th)
    # a leader's masked ID under the name (most units have none: no column of blanks)
    masked = a["citizen_id"].map(lambda v: thai.mask_citizen_id(v) if isinstance(v, str) else "")
    cells = [
        Markup('{}<br><span class="id">{}</span>').format(n, m) if m else n
        for n, m in zip(a["name"], masked, strict=True)
    ]
    a["name"] = pd.Series(cells, index=a.index, dtype=object)  # object: Markup stays Markup
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


def ranking_section(ctx: ReportContext, level: str | None = None) -> Markup:
    """The children of the report's place ranked by their mean post-development % (districts
    of a province; provinces, or with ``level="region"`` the regions, of the nation)."""
    lv = ctx.level_of(level)
    s = ctx.by_level(lv.name).copy()
    s["code"] = s[lv.key].astype(int)
    s["unit_th"] = s["code"].map(ctx.names_of(lv.name))
    if ctx.is_nation and lv.name == "province":
        s["region_th"] = s["code"].map(ctx.region_of_province)
    s = s.sort_values("mean_post_pct", ascending=False, na_position="last")
    view = {"rows": s, "child_th": lv.th, "nation": ctx.is_nation, "level": lv.name}
    return _render(ctx, "ranking", view)


def by_standard_intro(ctx: ReportContext) -> Markup:
    """The heading and note that open the children × standards heatmap (districts of a
    province; provinces of the nation, one heatmap per region)."""
    return _render(ctx, "by_standard", {"child_th": ctx.children.th, "nation": ctx.is_nation})


def readiness_by_district(ctx: ReportContext) -> Markup:
    """Readiness and who is still to assess, one row per child (district of a province, or
    province of the nation; the lists by applicant are in the provinces' annex workbooks)."""
    lv = ctx.children
    s = ctx.by_child.copy()
    names = ctx.child_names
    s["district"] = s[lv.key].map(lambda c: f"{int(c)} {names[int(c)]}")
    s["share_ready_pct"] = 100 * s["share_ready"]
    view = {
        "rows": s,
        "n_ready": int(s["ready"].sum()),
        "n_assessed": int(s["post_assessed"].sum()),
        "n_todo": int(s["not_yet_post"].sum()),
        "annex": ANNEX_NAME,
        "child_th": lv.th,
        "nation": ctx.is_nation,
    }
    return _render(ctx, "readiness_by_district", view)


def completeness_section(ctx: ReportContext) -> Markup:
    """Completeness of reporting (DHIS2's reporting rate): the districts expected from the
    reference table against those that sent data, who sent nothing, the standards with no
    applicant; in the national report by region and the provinces short of districts."""
    from .completeness import rollup

    t = ctx.completeness
    whole = rollup(t).iloc[0].to_dict()
    view = {"whole": whole, "nation": ctx.is_nation, "missing": [], "regions": None,
            "provinces": None, "silent": [], "unplaced": 0, "outside": 0}  # fmt: skip
    stds = whole["standards_without_applicant"].split()
    view["standards"] = [ctx.standard_th(c) for c in stds if c in ctx.catalog.standards]
    if not ctx.is_nation:
        view["missing"] = [f"{c} {n}" for c, n in zip(t.loc[~t["has_data"], "district_code"],
                                                      t.loc[~t["has_data"], "district_th"],
                                                      strict=True)]  # fmt: skip
        return _render(ctx, "completeness", view)
    view["regions"] = rollup(t, ["region_code", "region_th"])
    prov = rollup(t, ["province_code", "province_th"])
    view["provinces"] = prov[(prov["without_data"] > 0) & (prov["with_data"] > 0)]
    view["silent"] = [f"{c} {n}" for c, n in zip(prov.loc[prov["with_data"] == 0, "province_code"],
                                                 prov.loc[prov["with_data"] == 0, "province_th"],
                                                 strict=True)]  # fmt: skip
    nd = ctx.national.data
    view["unplaced"] = len(nd.unplaced.files) if nd.unplaced is not None else 0
    view["outside"] = sum(len(v) for v in nd.placement.outside.values())
    return _render(ctx, "completeness", view)


#: The provincial report's annex workbook (written beside province.pdf).
ANNEX_NAME = "province_ภาคผนวก.xlsx"


def problems_by_district(ctx: ReportContext) -> Markup:
    """Problems still open, counted by rule and by child (district of a province, province of
    the nation)."""
    p = ctx.data.problems
    lv = ctx.children
    n_err = int((p["severity"] == "error").sum()) if len(p) else 0
    # a rule by its id and, for a reader of Thai, the first of its messages
    counts = (
        (
            p.groupby(["severity", "rule"], sort=True)
            .agg(n=("rule", "size"), example=("message_th", "first"))
            .reset_index()
        )
        if len(p)
        else None
    )
    if counts is not None:
        counts["severity"] = counts["severity"].map(SEVERITY_TH)
    by = None
    if len(p):
        names = ctx.child_names
        g = p.assign(code=p[lv.key].fillna(0).astype(int))
        by = (
            g.groupby("code")["severity"]
            .agg(
                errors=lambda x: int((x == "error").sum()),
                warnings=lambda x: int((x == "warning").sum()),
            )  # fmt: skip
            .reset_index()
        )
        by["district"] = by["code"].map(
            lambda c: f"{c} {names[c]}" if c in names else f"ไม่ระบุ{lv.th}"
        )
    view = {"n_total": len(p), "n_errors": n_err, "n_warnings": len(p) - n_err,
            "counts": counts, "by_district": by, "child_th": lv.th,
            "nation": ctx.is_nation}  # fmt: skip
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
    # a rule by its id and, for a reader of Thai, the first of its messages
    counts = (
        p.groupby(["severity", "rule"], sort=True)
        .agg(n=("rule", "size"), example=("message_th", "first"))
        .reset_index()
    )
    counts["severity"] = counts["severity"].map(SEVERITY_TH)
    detail = p.sort_values(["severity", "district_code", "file", "row"]).head(MAX_PROBLEM_ROWS)
    n_err = int((p["severity"] == "error").sum())
    view |= {"n_errors": n_err, "n_warnings": len(p) - n_err, "n_shown": len(detail)}
    return _render(ctx, "problems", {**view, "counts": counts, "detail": detail})


#: More input files than this (a national run: every district's workbook) are counted, not
#: listed, on the provenance page: their sha256 are in the PDF's metadata and the run records.
PROVENANCE_MAX_FILES = 80


def provenance_html(ctx: ReportContext, rec: dict) -> Markup:
    """The provenance table shown on the last page."""
    created = ctx.created
    # the file's name (report.provenance): not the folders of the machine that made it
    params_file = rec.get("parameters", {}).get("params_file") or ctx.params.path.name
    rows = [
        ("ข้อมูลนำเข้า (input hash)", rec["input_hash"]),
        ("พารามิเตอร์ (params)", f"{params_file} · {rec['params_hash'][:16]}"),
        ("รุ่นโปรแกรม (code version)", rec["code_version"]),
        ("จัดทำเมื่อ", thai.format_date_th(created.date()) + created.strftime(" %H:%M น.")),
    ]
    files = [(Path(k).name, v[:16]) for k, v in sorted(ctx.data.file_digests.items())]
    many = len(files) > PROVENANCE_MAX_FILES
    return _render(ctx, "provenance", {"rows": rows, "files": [] if many else files,
                                       "n_files": len(files)})  # fmt: skip


# ---------------------------------------------------------------- comparison with earlier years
def _comparison(ctx: ReportContext):
    c = ctx.comparison
    if c is None:
        from .errors import MchchError

        raise MchchError(
            "ไม่มีปีที่จะเปรียบเทียบ (params: compare_with) / nothing to compare with "
            "(params: compare_with)"
        )
    return c


def _signed(x: object, decimals: int, digits: bool) -> str:
    """A change with its sign ("+3", "-1.5", "0"); "–" when a year has no figure."""
    if x is None or pd.isna(x):
        return "–"
    v = round(float(x), decimals)
    s = thai.format_number(abs(v), decimals, digits)
    return s if v == 0 else ("+" if v > 0 else "-") + s


def _year(y: object, digits: bool) -> str:
    return thai.to_thai_digits(str(int(y))) if digits else str(int(y))


#: The figures of the comparison table: column, Thai header, decimals.
_YEAR_COLUMNS = [
    ("registered", "ผู้สมัคร", 0),
    ("post_assessed", "ประเมินหลังแล้ว", 0),
    ("mean_pre_pct", "เฉลี่ยก่อน (%)", 1),
    ("mean_post_pct", "เฉลี่ยหลัง (%)", 1),
    ("ready", "พร้อม", 0),
    ("share_ready_pct", "พร้อม (%)", 1),
]
_CERTIFIED_COLUMNS = [
    ("certified", "รับรองแล้ว", 0),
    ("share_certified_pct", "รับรอง (% ของผู้พร้อม)", 1),
]


def _year_rows(c, table: pd.DataFrame, label: str, cols, digits: bool) -> list[dict]:
    """Rows of one block of the comparison table: one per year, then the change."""
    rows = []
    for n, year in enumerate(c.years):
        r = table[table["year"] == year].iloc[0]
        rows.append({"label": label if n == 0 else "", "year": _year(year, digits),
                     **{k: thai.format_number(r[k], d, digits) for k, _, d in cols}})  # fmt: skip
    last = table[table["year"] == c.last_year].iloc[0]
    now = table[table["year"] == c.year].iloc[0]
    rows.append({"label": "", "year": "เปลี่ยนแปลง",
                 **{k: _signed(now[k] - last[k], d, digits) for k, _, d in cols}})  # fmt: skip
    return rows


def comparison_section(ctx: ReportContext) -> Markup:
    """This year beside the earlier years (เปรียบเทียบกับปีที่ผ่านมา): applicants, mean pre and
    post % of full marks and readiness, in all and per standard, and the change since last
    year."""
    c = _comparison(ctx)
    digits = ctx.params.thai_digits
    cols = _YEAR_COLUMNS + (_CERTIFIED_COLUMNS if "certified" in c.measures else [])
    rows = _year_rows(c, c.total, "ทุกมาตรฐาน", cols, digits)
    for code in c._values("standard"):
        block = c.by_standard[c.by_standard["standard"] == code]
        rows += _year_rows(c, block, ctx.catalog.standards[code].short_th, cols, digits)
    t = c.change(c.total, ["standard"]).iloc[0]
    view = {
        "place": ctx.place_th,
        "year": c.year,
        "last_year": c.last_year,
        "earlier_years": c.years[:-1],
        "registered": t["registered_now"],
        "registered_change": _signed(t["registered_change"], 0, digits),
        "mean_post_pct": t["mean_post_pct_now"],
        "mean_post_change": _signed(t["mean_post_pct_change"], 1, digits),
        "ready": t["ready_now"],
        "ready_change": _signed(t["ready_change"], 0, digits),
        "n_returning": len(c.returning),
        "sources": [(y, h[:12]) for y, h in c.input_hashes.items() if y != c.year],
        "rows": pd.DataFrame(rows),
        "columns": {"label": "มาตรฐาน", "year": "ปี", **{k: h for k, h, _ in cols}},
        "formats": {"year": "text", **{k: "numtext" for k, _, _ in cols}},
    }
    return _render(ctx, "comparison", view)


def comparison_indicators_section(ctx: ReportContext) -> Markup:
    """Per indicator (this year's id): mean post-development % last year and this year and
    the change; the indicators among the largest gaps in both years."""
    from .years import WEAK_TOP

    c = _comparison(ctx)
    digits = ctx.params.thai_digits
    ch = c.indicator_change.copy()
    ch["change"] = ch["mean_post_pct_change"].map(lambda v: _signed(v, 1, digits))
    n_all = len(ch)
    ch = ch[ch["mean_post_pct_change"].notna()]  # a post figure in both years
    changed = [(lbl, n) for lbl, n in zip(ch["label"], ch["name_th"], strict=True)
               if "(ปี " in lbl or "(ปี " in n]  # fmt: skip
    view = {"year": c.year, "last_year": c.last_year, "rows": ch, "weak": c.weak_both_years,
            "top": WEAK_TOP, "changed": changed, "n_one_year": n_all - len(ch)}  # fmt: skip
    return _render(ctx, "comparison_indicators", view)


def comparison_units_section(ctx: ReportContext) -> Markup:
    """Units that came back (หน่วยเดิมที่กลับมาสมัคร) with last year's and this year's results,
    and the ones a person must confirm; the provincial report counts them per district."""
    from .matching import METHOD_TH

    c = _comparison(ctx)
    digits = ctx.params.thai_digits
    r = c.returning.copy()
    r["method_th"] = r["method"].map(METHOD_TH)
    r["previous_year_th"] = r["previous_year"].map(lambda y: _year(y, digits))
    r["before"] = [_result(p, ok, digits) for p, ok in
                   zip(r["previous_post_pct"], r["previous_ready"], strict=True)]  # fmt: skip
    r["now"] = [_result(p, ok, digits) for p, ok in zip(r["post_pct"], r["ready"], strict=True)]
    cand = c.to_confirm.groupby("applicant_id", sort=False).agg(
        name=("name", "first"),
        previous=("previous_applicant_id", ", ".join),
        previous_name=("previous_name", lambda n: " / ".join(dict.fromkeys(n))),
        similarity_pct=("similarity", lambda v: 100 * v.max()),
    )
    cand = cand.reset_index()
    counts = None
    if ctx.is_province:
        u = c.units
        counts = (
            u.assign(
                district_th=u["district_code"].map(lambda d: ctx.province.districts[int(d)].name_th)
            )
            .groupby(["district_code", "district_th"])["status"]
            .value_counts()
            .unstack(fill_value=0)
            .reindex(columns=["matched", "to_confirm", "new"], fill_value=0)
            .reset_index()
        )
        counts["registered"] = counts[["matched", "to_confirm", "new"]].sum(axis=1)
    view = {"year": c.year, "last_year": c.last_year, "rows": r, "n": len(r), "n_units": len(c.units),
            "candidates": cand, "n_confirm": len(cand), "counts": counts,
            "province": ctx.is_province,
            "one_year": set(r["previous_year"]) <= {c.last_year}}  # fmt: skip
    return _render(ctx, "comparison_units", view)


def _result(post_pct: object, ready: object, digits: bool) -> str:
    """A unit's result in a year: "58.5% ยังไม่พร้อม", or not assessed after development."""
    if ready is None or pd.isna(ready):
        return "ยังไม่ประเมินหลังพัฒนา"
    return f"{thai.format_number(post_pct, 1, digits)}% {READY_TH[bool(ready)]}"


def comparison_districts_section(ctx: ReportContext) -> Markup:
    """Districts ranked by change (provincial report): the rise of the mean post-development
    % since last year, beside the level (the rows of ``ctx.year_districts``)."""
    c = _comparison(ctx)
    digits = ctx.params.thai_digits
    d = ctx.year_districts.copy()
    for col, dec in (
        ("mean_post_pct_change", 1),
        ("registered_change", 0),
        ("share_ready_pct_change", 1),
    ):
        d[col + "_th"] = d[col].map(lambda v, dec=dec: _signed(v, dec, digits))
    return _render(
        ctx, "comparison_districts", {"rows": d, "year": c.year, "last_year": c.last_year}
    )


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
