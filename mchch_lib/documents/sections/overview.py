"""The sections of the reports (ส่วนของรายงาน): the cover, summary, compliance, results by
standard, readiness, completeness, data problems and provenance (the other parts beside this
module). Each section is a template under
``templates/sections/`` (its heading and Thai wording live there) fed by a small typed view of
the figures it shows; the view is built here from the report context's figures, each computed
once (``report.ReportContext``). Every section returns safe HTML (``Markup``): text from a
workbook is escaped by the one gate in ``templating``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import pandas as pd

from mchch_lib.common import thai
from mchch_lib.documents.templating import Markup, render

if TYPE_CHECKING:
    from mchch_lib.documents.report import ReportContext

#: Thai labels, one home each.
READY_TH = {True: "พร้อม", False: "ยังไม่พร้อม"}
SEVERITY_TH = {"error": "ข้อผิดพลาด", "warning": "คำเตือน"}
#: Rows of problems listed in a report (all are in validation.xlsx).
MAX_PROBLEM_ROWS = 200


def render_section(ctx: ReportContext, name: str, view) -> Markup:
    values = asdict(view) if hasattr(view, "__dataclass_fields__") else dict(view)
    return render(name, ctx.params.thai_digits, **values)


def short_hash(digest: object, n: int = 12) -> str:
    """The first ``n`` characters of a content hash in groups of three ("964-c17-068-356"):
    read aloud and compared with run.json easily, and never a run of letters that reads as a
    word."""
    h = str(digest)[:n]
    return "-".join(h[i : i + 3] for i in range(0, len(h), 3))


@dataclass(frozen=True)
class CoverView:
    year: int
    place: str
    office: str
    created: dt.date
    data_version: str
    software: str


def software_version() -> str:
    """The software version as a report prints it: "0.1.0 (968-5fb-e29-73b)"."""
    from mchch_lib.common.keys import code_version

    version, _, code = code_version().partition("+")
    return f"{version} ({short_hash(code)})" if code else version


def cover(ctx: ReportContext) -> Markup:
    """The cover page: title, year, place, office, date made, data version and software
    version (where the report comes from, in short: the files, hashes and parameters are in
    run.json, the bundle's manifest and the PDF's metadata)."""
    place = ctx.place_th if ctx.is_province else f"{ctx.place_th} จังหวัด{ctx.province.name_th}"
    if ctx.is_nation:
        place = "ระดับประเทศ (ทุกภาค ทุกจังหวัด)"
    view = CoverView(
        ctx.params.year,
        place,
        ctx.params.office_th,
        ctx.created.date(),
        short_hash(ctx.data.input_hash),
        ctx.software or software_version(),
    )
    return render_section(ctx, "cover", view)


def compliance_section(ctx: ReportContext) -> Markup:
    """The province's guidelines (การดำเนินงานตามแนวทาง): the checks of a district, or one row
    per district in the provincial report."""
    f = ctx.findings
    if ctx.is_province:
        return compliance_by_district(ctx)
    n_ok = int(f["ok"].sum())
    names = dict(zip(ctx.applicants["applicant_id"], ctx.applicants["name"], strict=True))
    rows = [dict(r, message_th=named_units(r["message_th"], names)) for r in f.to_dict("records")]
    return render_section(
        ctx, "compliance_district", {"findings": rows, "n_ok": n_ok, "n_checks": len(f)}
    )


_UNIT_ID_RE = re.compile(r"\b\d{4}-\d{4}-\d{3}\b(?!/)")


def named_units(message: object, names: dict[str, str]) -> str:
    """A guideline message with each unit it lists by its name ("บ้านคลองยาง หมู่ที่ 2 (003)")
    rather than its code alone; a code with an indicator ("…-003/L4") stays as it is."""
    return _UNIT_ID_RE.sub(
        lambda m: f"{names[m.group(0)]} ({m.group(0)[-3:]})" if m.group(0) in names else m.group(0),
        "" if message is None else str(message),
    )


def compliance_by_district(ctx: ReportContext) -> Markup:
    """The guideline checks, one row per district of the province; in the national report
    one row per province (its districts meeting every guideline, and the checks most often
    not met)."""
    f = ctx.findings
    if ctx.is_nation:
        return _compliance_by_province(ctx)
    checks = list(dict.fromkeys(f["check"]))
    behind = ctx.timeframe[ctx.timeframe["behind"]]
    rows = []
    for code in sorted(ctx.province.districts):
        sub = f[f["district_code"] == code].set_index("check")["ok"]
        late = behind[behind["district_code"] == code]
        rows.append(
            {
                "district": ctx.province.districts[code].name_th,
                "marks": [None if c not in sub.index else bool(sub[c]) for c in checks],
                "n_ok": int(sub.sum()),
                "checked": len(sub) > 0,
                "late": list(late["name"]),
            }
        )
    view = {
        "checks": [CHECK_TH.get(c, c) for c in checks],
        "rows": rows,
        "n_checks": len(checks),
        "n_all_ok": sum(r["n_ok"] == len(checks) for r in rows),
        "n_late": len(behind),
    }
    return render_section(ctx, "compliance_province", view)


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
    return render_section(ctx, "compliance_nation", view)


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
    return render_section(ctx, "applicants", {"rows": a})


def results_intro(ctx: ReportContext) -> Markup:
    """The heading and note that open the per-standard results of a district report."""
    return render_section(ctx, "results_intro", {})


def standard_section(ctx: ReportContext, standard: str) -> Markup:
    """Pre/post/full comparison table of one standard."""
    std = ctx.catalog.standards[standard]
    a = ctx.applicants[ctx.applicants["standard"] == standard]
    view = {"name_th": std.name_th, "unit_th": std.unit_th, "n": len(a), "rows": a}
    return render_section(ctx, "standard", view)


def gaps_section(ctx: ReportContext) -> Markup:
    """The indicators with the largest remaining gap (the rows of ``ctx.top_gaps``, which the
    chart beside it draws too)."""
    return render_section(ctx, "gaps", {"rows": ctx.top_gaps})


def gaps_by_district_intro(ctx: ReportContext) -> Markup:
    """The heading and note that open the heatmap of gaps by district (provincial report)."""
    return render_section(ctx, "gaps_by_district_intro", {})


def not_assessed_section(ctx: ReportContext) -> Markup:
    """Applicants not yet assessed after development."""
    a = ctx.applicants[~ctx.applicants["post_complete"]]
    return render_section(ctx, "not_assessed", {"rows": a, "n": len(a)})


def readiness_section(ctx: ReportContext) -> Markup:
    """Readiness for the provincial assessment, with the reason (ความพร้อม)."""
    a = ctx.applicants[ctx.applicants["post_complete"]].copy()
    a["ready_th"] = a["ready"].map(lambda r: READY_TH[r is True])
    view = {"rows": a, "n": len(a), "n_ready": int(a["ready"].fillna(False).sum())}
    return render_section(ctx, "readiness", view)


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
    w = ctx.summary  # the whole place: its means, not a mean of the means
    total = {"mean_pre_pct": w["mean_pre_pct"], "mean_post_pct": w["mean_post_pct"],
             "unit_th": "", "region_th": ""}  # fmt: skip
    if lv.name == "region":
        total["reporting_rate_pct"] = ""
    view = {"rows": s, "child_th": lv.th, "nation": ctx.is_nation, "level": lv.name,
            "total": total}  # fmt: skip
    return render_section(ctx, "ranking", view)


def by_standard_intro(ctx: ReportContext) -> Markup:
    """The heading and note that open the children × standards heatmap (districts of a
    province; provinces of the nation, one heatmap per region)."""
    return render_section(
        ctx, "by_standard", {"child_th": ctx.children.th, "nation": ctx.is_nation}
    )


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
    return render_section(ctx, "readiness_by_district", view)


def completeness_section(ctx: ReportContext) -> Markup:
    """Completeness of reporting (DHIS2's reporting rate): the districts expected from the
    reference table against those that sent data, who sent nothing, the standards with no
    applicant; in the national report by region and the provinces short of districts."""
    from mchch_lib.analysis.completeness import rollup

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
        return render_section(ctx, "completeness", view)
    view["regions"] = rollup(t, ["region_code", "region_th"])
    prov = rollup(t, ["province_code", "province_th"])
    view["provinces"] = prov[(prov["without_data"] > 0) & (prov["with_data"] > 0)]
    view["silent"] = [f"{c} {n}" for c, n in zip(prov.loc[prov["with_data"] == 0, "province_code"],
                                                 prov.loc[prov["with_data"] == 0, "province_th"],
                                                 strict=True)]  # fmt: skip
    nd = ctx.national.data
    view["unplaced"] = len(nd.unplaced.files) if nd.unplaced is not None else 0
    view["outside"] = sum(len(v) for v in nd.placement.outside.values())
    return render_section(ctx, "completeness", view)


#: The provincial report's annex workbook (written beside province.pdf).
ANNEX_NAME = "province_ภาคผนวก.xlsx"


def problems_by_district(ctx: ReportContext) -> Markup:
    """Problems still open, counted by rule and by child (district of a province, province of
    the nation)."""
    p = ctx.data.problems.copy()
    p["message_th"] = p["message_th"].map(lambda m: plain_message(m, ctx.district_names))
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
        by["district_th"] = by["code"].map(lambda c: names.get(c, f"ไม่ระบุ{lv.th}"))
    view = {"n_total": len(p), "n_errors": n_err, "n_warnings": len(p) - n_err,
            "counts": counts, "by_district": by, "child_th": lv.th,
            "nation": ctx.is_nation}  # fmt: skip
    return render_section(ctx, "problems_by_district", view)


#: A file named in a validation message ("(data/sample/2561/6010_phayuha_khiri.xlsx แถว 43)",
#: "province final round.xlsx"): its words and folders, ASCII, up to the extension.
_FILE_RE = re.compile(
    r"(?:[A-Za-z0-9_.\\/:~-]*[A-Za-z/\\][A-Za-z0-9_.\\/:~-]* )*"
    r"[A-Za-z0-9_.\\/:~-]*\.(?:xlsx|xlsm|xls|csv|ya?ml|json)\b"
)
_DISTRICT_FILE_RE = re.compile(r"(?:^|[/\\ ])(\d{4})_[^/\\]*$")


def plain_message(text: object, names: dict[int, str]) -> str:
    """A problem's Thai message as a report shows it: a file it names becomes the district's
    workbook by the district's name ("แฟ้มอำเภอพยุหะคีรี"), or the province's; no path, no
    file name (they are in the validation workbook, for whoever fixes the data)."""

    def book(m: re.Match) -> str:
        d = _DISTRICT_FILE_RE.search(m.group(0))
        if d and int(d.group(1)) in names:
            return f"แฟ้มอำเภอ{names[int(d.group(1))]}"
        return "แฟ้มข้อมูลระดับจังหวัด"

    return "" if text is None else _FILE_RE.sub(book, str(text))


def where_th(ctx: ReportContext, p: pd.DataFrame) -> pd.Series:
    """Where a problem is, in Thai: the district's workbook by the district's name (not the
    file's name), its sheet and Excel row ("แฟ้มอำเภอตาคลี / ผู้นำชุมชน แถว 5")."""
    names = ctx.district_names

    def one(code, sheet, row) -> str:
        known = pd.notna(code) and int(code) in names
        book = f"แฟ้มอำเภอ{names[int(code)]}" if known else "แฟ้มข้อมูลระดับจังหวัด"
        where = book if pd.isna(sheet) or not str(sheet) else f"{book} / {sheet}"
        return where + ("" if pd.isna(row) else f" แถว {int(row)}")

    codes = p["district_code"] if "district_code" in p else pd.Series(pd.NA, index=p.index)
    sheets = p["sheet"] if "sheet" in p else pd.Series(pd.NA, index=p.index)
    return pd.Series([one(c, s, r) for c, s, r in zip(codes, sheets, p["row"], strict=True)],
                     index=p.index, dtype=object)  # fmt: skip


def problems_section(ctx: ReportContext) -> Markup:
    """Problems still open from validation: counts by rule, then the first rows (errors =
    rejected rows, then warnings); says how many are not listed."""
    p = ctx.data.problems
    view = {"n_total": len(p), "n_errors": 0, "n_warnings": 0, "n_shown": 0}
    if not len(p):
        return render_section(ctx, "problems", {**view, "counts": None, "detail": None})
    p = p.copy()
    p["where"] = where_th(ctx, p)
    p["message_th"] = p["message_th"].map(lambda m: plain_message(m, ctx.district_names))
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
    return render_section(ctx, "problems", {**view, "counts": counts, "detail": detail})
