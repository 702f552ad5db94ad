"""What the report notebooks call: one context per report (params, data, scores, findings)
and the HTML sections shown in the PDF. Notebooks stay thin: parameters, a few calls, narrative.
"""

from __future__ import annotations

import datetime as dt
import html as _html
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import compliance, dataset, scoring, thai
from .catalog import STANDARD_CODES, Catalog, load_catalog
from .config import PROVENANCE_MIME
from .model import Dataset
from .params import Params, load_params
from .reference import Province, load_province


@dataclass
class ReportContext:
    """Everything one report shows, computed once by the library."""

    params: Params
    catalog: Catalog
    province: Province
    data: Dataset  # restricted to the district for a district report
    district_code: int | None
    applicants: pd.DataFrame  # scoring.applicant_scores
    indicators: pd.DataFrame  # scoring.indicator_scores
    findings: pd.DataFrame  # compliance.check_all (this district only for a district report)
    created: dt.datetime = field(default_factory=dt.datetime.now)

    @property
    def is_province(self) -> bool:
        return self.district_code is None

    @property
    def place_th(self) -> str:
        if self.is_province:
            return f"จังหวัด{self.province.name_th}"
        return f"อำเภอ{self.province.districts[self.district_code].name_th}"

    @property
    def district_names(self) -> dict[int, str]:
        """Thai district names by code, for chart labels."""
        return {c: d.name_th for c, d in self.province.districts.items()}

    @property
    def title(self) -> str:
        return (
            f"รายงานผลการพัฒนาตามระบบมาตรฐานการพัฒนาชุมชน (มชช.) ปี {self.params.year} {self.place_th}"
        )


def district_context(params_file: str | Path, district_code: int) -> ReportContext:
    """Context of a district report (รายงานระดับอำเภอ)."""
    return _context(params_file, int(district_code))


def province_context(params_file: str | Path) -> ReportContext:
    """Context of the provincial report (รายงานระดับจังหวัด)."""
    return _context(params_file, None)


def _context(params_file, code) -> ReportContext:
    params = load_params(params_file)
    catalog = load_catalog(params.catalog)
    province = load_province(params.province_code)
    if code is not None and code not in province.districts:
        raise ValueError(f"district {code} is not in province {params.province_code}")
    full = dataset.load_for_params(params)
    ds = full if code is None else full.for_district(code)
    findings = compliance.check_all(
        full,
        catalog,
        params.deadline_41,
        params.deadline_42,
        districts=None if code is None else [code],
    )
    return ReportContext(
        params,
        catalog,
        province,
        ds,
        code,
        scoring.applicant_scores(ds, catalog),
        scoring.indicator_scores(ds, catalog),
        findings,
    )


# ---------------------------------------------------------------- display helpers
def show(content) -> None:
    """Display an HTML fragment in the notebook (and so in the PDF); a DataFrame or Series is
    shown as a table: interactive in JupyterLab, house style in the PDF."""
    from IPython.display import HTML, display

    if not isinstance(content, str):
        from .display import show_table

        show_table(content)
        return
    display(HTML(content))


def show_figure(fig) -> None:
    """Display a chart: vector SVG with its Thai as real text in the PDF and, when a front end
    such as JupyterLab is there, a copy with the glyphs as paths for the screen (an SVG shown as
    an image cannot use the page's fonts). See :mod:`mchch_lib.display`."""
    import sys

    from IPython.display import display

    from .display import figure_bundle

    display(figure_bundle(fig), raw=True)
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and getattr(fig, "number", None) in plt.get_fignums():
        plt.close(fig)  # a pyplot figure: not drawn a second time at the end of the cell


def esc(x: object) -> str:
    return _html.escape("" if x is None else str(x))


def _num(x, decimals=1) -> str:
    return thai.format_number(x, decimals) if decimals else thai.format_number(x, 0)


_WIDE = {"name", "name_th", "message_th", "issues", "ready_reason_th", "topic"}
_IDS = {"applicant_id", "id_masked"}


def table_html(
    df: pd.DataFrame,
    columns: dict[str, str],
    numeric: set[str] = frozenset(),
    caption: str | None = None,
    decimals: dict[str, int] | None = None,
) -> str:
    """A report table: Thai headers, numbers right-aligned and formatted, text escaped; name
    and message columns get room, ids do not wrap."""
    decimals = decimals or {}
    head = "".join(
        f'<th class="{"num" if c in numeric else ""}">{esc(h)}</th>' for c, h in columns.items()
    )
    body = []
    for rec in df.to_dict("records"):
        tds = []
        for c in columns:
            v = rec.get(c)
            if c in numeric:
                tds.append(f'<td class="num">{esc(_num(v, decimals.get(c, 1)))}</td>')
            else:
                cls = "wide" if c in _WIDE else "id" if c in _IDS else ""
                text = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else v
                tds.append(f'<td class="{cls}">{esc(text)}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    if not body:
        body = [f'<tr><td colspan="{len(columns)}">— ไม่มีข้อมูล —</td></tr>']
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# ---------------------------------------------------------------- sections
def cover(ctx: ReportContext) -> str:
    p = ctx.params
    data_version = ctx.data.input_hash[:12]
    return f"""<div class="cover">
<h1>รายงานผลการพัฒนาตามระบบ<br>มาตรฐานการพัฒนาชุมชน (มชช.)</h1>
<div class="sub">ประจำปี พ.ศ. {p.year}</div>
<div class="sub">{
        esc(ctx.place_th if ctx.is_province else f"{ctx.place_th} จังหวัด{ctx.province.name_th}")
    }</div>
<div class="meta">{esc(p.office_th)}<br>
จัดทำเมื่อ {esc(thai.format_date_th(ctx.created.date()))}<br>
ฉบับข้อมูล (data version) {esc(data_version)}</div>
</div>
"""


def summary_sentences(ctx: ReportContext) -> str:
    """The summary in sentences and figures (สรุปผล)."""
    a = ctx.applicants
    n = len(a)
    n_pre = int(a["has_pre"].sum())
    n_post = int(a["has_post"].sum())
    n_ready = int(a["ready"].fillna(False).sum())
    by_std = a.groupby("standard").size()
    parts = [
        f"{ctx.catalog.standards[s].short_th} {int(by_std.get(s, 0))} "
        f"{ctx.catalog.standards[s].unit_th}"
        for s in STANDARD_CODES
        if s in ctx.catalog.standards
    ]
    pre_mean = a.loc[a["has_pre"], "pre_pct"].mean()
    post_mean = a.loc[a["has_post"], "post_pct"].mean()
    test = scoring.paired_test(a)
    kpis = [
        ("ผู้สมัครทั้งหมด", n),
        ("ประเมินก่อนพัฒนา", n_pre),
        ("ประเมินหลังพัฒนา", n_post),
        ("พร้อมรับการประเมินระดับจังหวัด", n_ready),
    ]
    k = "".join(
        f'<div class="kpi"><div class="v">{thai.format_number(v)}</div>'
        f'<div class="l">{esc(lbl)}</div></div>'
        for lbl, v in kpis
    )
    text = (
        f"<p>{esc(ctx.place_th)} มีผู้สมัครเข้ารับการพัฒนาตามระบบ มชช. ปี {ctx.params.year} "
        f"รวม {thai.format_number(n)} หน่วยนับ ได้แก่ {esc(' '.join(parts))} "
        f"ประเมินตนเองก่อนพัฒนาแล้ว {n_pre} ราย และหลังพัฒนาแล้ว {n_post} ราย "
        f"คะแนนเฉลี่ยก่อนพัฒนาร้อยละ {esc(thai.format_number(pre_mean, 1))} "
        f"และหลังพัฒนาร้อยละ {esc(thai.format_number(post_mean, 1))} ของคะแนนเต็ม "
        f"มีผู้พร้อมรับการประเมินระดับจังหวัด {n_ready} ราย</p>"
        f'<p class="note">{esc(test["message_th"])}</p>'
    )
    return f'<h2>สรุปผล</h2><div class="kpis">{k}</div>{text}'


def compliance_section(ctx: ReportContext) -> str:
    f = ctx.findings
    if ctx.is_province:
        return compliance_by_district(ctx)
    items = "".join(
        f'<li class="{"finding-ok" if r["ok"] else "finding-bad"}">{esc(r["message_th"])}</li>'
        for r in f.to_dict("records")
    )
    n_bad = int((~f["ok"]).sum())
    return (
        f"<h2>การดำเนินงานตามแนวทาง</h2><p>ผ่าน {len(f) - n_bad} จาก {len(f)} ข้อ</p><ul>{items}</ul>"
    )


def compliance_by_district(ctx: ReportContext) -> str:
    f = ctx.findings
    checks = list(dict.fromkeys(f["check"]))
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
    t = table_html(
        pd.DataFrame(rows), {"district": "อำเภอ", "ok": "ผ่าน", "issues": "ข้อที่ยังไม่เป็นไปตามแนวทาง"}
    )
    return f"<h2>การดำเนินงานตามแนวทางรายอำเภอ</h2><p>ตรวจ {len(checks)} ข้อต่ออำเภอ</p>{t}"


def applicant_table(ctx: ReportContext) -> str:
    a = ctx.applicants.copy()
    a["standard_th"] = a["standard"].map(lambda s: ctx.catalog.standards[s].short_th)
    a["id_masked"] = a["citizen_id"].map(
        lambda v: thai.mask_citizen_id(v) if isinstance(v, str) else ""
    )
    a["place"] = a["tambon"].fillna("") + a["moo"].map(
        lambda m: "" if pd.isna(m) else f" ม.{int(m)}"
    )
    cols = {
        "applicant_id": "รหัส",
        "name": "ชื่อ",
        "standard_th": "มาตรฐาน",
        "id_masked": "เลขประจำตัวประชาชน",
        "place": "ตำบล/หมู่",
        "officer": "พัฒนากรผู้รับผิดชอบ",
    }
    return "<h2>รายชื่อผู้สมัคร</h2>" + table_html(a, cols)


def standard_section(ctx: ReportContext, standard: str) -> str:
    """Pre/post/full comparison table of one standard."""
    std = ctx.catalog.standards[standard]
    a = ctx.applicants[ctx.applicants["standard"] == standard]
    cols = {
        "applicant_id": "รหัส",
        "name": "ชื่อ",
        "pre_total": "ก่อน",
        "post_total": "หลัง",
        "full_total": "เต็ม",
        "gain": "เพิ่ม",
        "post_pct": "% หลัง",
        "status_th": "สถานะ",
    }
    return f"<h3>{esc(std.name_th)} ({len(a)} {esc(std.unit_th)})</h3>" + table_html(
        a, cols, {"pre_total", "post_total", "full_total", "gain", "post_pct"}
    )


def standards_present(ctx: ReportContext) -> list[str]:
    present = set(ctx.applicants["standard"])
    return [s for s in STANDARD_CODES if s in present]


def gaps_section(ctx: ReportContext, top: int = 10) -> str:
    g = scoring.indicator_gaps(ctx.indicators, by=()).head(top)
    cols = {
        "indicator_id": "ตัวบ่งชี้",
        "name_th": "ชื่อตัวบ่งชี้",
        "n": "จำนวน",
        "mean_gap_post_pct": "ช่องว่างเฉลี่ย (% ของคะแนนเต็ม)",
        "share_below_pass_post": "สัดส่วนต่ำกว่าเกณฑ์ผ่าน",
    }
    return (
        "<h2>ตัวบ่งชี้ที่ยังมีช่องว่างมากที่สุด</h2>"
        "<p>ประเด็นที่ควรจัดการเรียนรู้/อบรมต่อไป เรียงจากช่องว่างถึงคะแนนเต็มมากที่สุด</p>"
        + table_html(
            g, cols, {"n", "mean_gap_post_pct", "share_below_pass_post"}, decimals={"n": 0}
        )
    )


def not_assessed_section(ctx: ReportContext) -> str:
    a = ctx.applicants[~ctx.applicants["has_post"].astype(bool)]
    cols = {"applicant_id": "รหัส", "name": "ชื่อ", "officer": "พัฒนากรผู้รับผิดชอบ", "status_th": "สถานะ"}
    return f"<h2>ผู้สมัครที่ยังไม่ได้ประเมินหลังพัฒนา ({len(a)} ราย)</h2>" + table_html(a, cols)


def readiness_section(ctx: ReportContext) -> str:
    a = ctx.applicants[ctx.applicants["has_post"].astype(bool)].copy()
    a["ready_th"] = a["ready"].map(lambda r: "พร้อม" if r is True else "ยังไม่พร้อม")
    cols = {
        "applicant_id": "รหัส",
        "name": "ชื่อ",
        "post_pct": "ร้อยละหลังพัฒนา",
        "ready_th": "ผล",
        "ready_reason_th": "เหตุผล / สิ่งที่ต้องพัฒนาต่อ",
    }
    n_ready = int(a["ready"].fillna(False).sum())
    return (
        f"<h2>ความพร้อมรับการประเมินระดับจังหวัด</h2><p>พร้อม {n_ready} จาก {len(a)} ราย "
        f"ที่ประเมินหลังพัฒนาแล้ว</p>" + table_html(a, cols, {"post_pct"})
    )


def ranking_section(ctx: ReportContext) -> str:
    s = scoring.district_summary(ctx.applicants, ctx.catalog)
    s = s.copy()
    s["district_th"] = s["district_code"].map(lambda c: ctx.province.districts[int(c)].name_th)
    s = s.sort_values("mean_post_pct", ascending=False, na_position="last")
    cols = {
        "district_code": "รหัส",
        "district_th": "อำเภอ",
        "registered": "ผู้สมัคร",
        "post_assessed": "ประเมินหลังแล้ว",
        "mean_pre_pct": "เฉลี่ยก่อน (%)",
        "mean_post_pct": "เฉลี่ยหลัง (%)",
        "ready": "พร้อม",
    }
    return "<h2>ผลรายอำเภอ (เรียงตามคะแนนเฉลี่ยหลังพัฒนา)</h2>" + table_html(
        s,
        cols,
        {"registered", "post_assessed", "mean_pre_pct", "mean_post_pct", "ready"},
        decimals={"registered": 0, "post_assessed": 0, "ready": 0},
    )


def problems_section(ctx: ReportContext) -> str:
    """Problems still open from validation (errors = rejected rows, then warnings)."""
    p = ctx.data.problems
    if not len(p):
        return "<h2>ปัญหาข้อมูลที่ยังค้างอยู่</h2><p>ไม่มี</p>"
    p = p.copy()
    p["where"] = (
        p["file"].map(lambda f: Path(str(f)).name)
        + " / "
        + p["sheet"].astype(str)
        + p["row"].map(lambda r: "" if pd.isna(r) else f" แถว {int(r)}")
    )
    p["sev"] = p["severity"].map({"error": "ข้อผิดพลาด (ไม่นำมาคำนวณ)", "warning": "คำเตือน"})
    n_err = int((p["severity"] == "error").sum())
    counts = p.groupby(["severity", "rule"]).size().reset_index(name="n")
    counts["severity"] = counts["severity"].map({"error": "ข้อผิดพลาด", "warning": "คำเตือน"})
    head = (
        f"<h2>ปัญหาข้อมูลที่ยังค้างอยู่</h2><p>ข้อผิดพลาด {n_err} รายการ "
        f"(แถวเหล่านี้ไม่ได้นำมาคำนวณ) คำเตือน {len(p) - n_err} รายการ</p>"
    )
    detail = p.sort_values(["severity", "district_code", "file", "row"]).head(200)
    return (
        head
        + table_html(
            counts, {"severity": "ระดับ", "rule": "กฎ", "n": "จำนวน"}, {"n"}, decimals={"n": 0}
        )
        + table_html(detail, {"where": "ตำแหน่ง", "sev": "ระดับ", "message_th": "ปัญหา"})
    )


def provenance(ctx: ReportContext) -> None:
    """Show the provenance (input hash, parameters, code version) on the last page and hand it
    to the renderer, which writes it into the PDF metadata."""
    from IPython.display import display

    from .runner import library_version

    rec = {
        "title": ctx.title,
        "running_title": ctx.title,
        "header_right": f"มชช. {ctx.params.year}",
        "office_th": ctx.params.office_th,
        "input_hash": ctx.data.input_hash,
        "params_hash": ctx.params.digest,
        "parameters": {"params_file": str(ctx.params.path), "district_code": ctx.district_code},
        "params": ctx.params.raw,
        "code_version": library_version(),
        "created": ctx.created.isoformat(timespec="seconds"),
        "files": ctx.data.file_digests,
    }
    rows = [
        ("ข้อมูลนำเข้า (input hash)", rec["input_hash"]),
        ("พารามิเตอร์ (params)", f"{ctx.params.path} · {rec['params_hash'][:16]}"),
        ("รุ่นโปรแกรม (code version)", rec["code_version"]),
        ("จัดทำเมื่อ", thai.format_date_th(ctx.created.date()) + ctx.created.strftime(" %H:%M น.")),
    ]
    files = "".join(
        f"<tr><td>{esc(Path(k).name)}</td><td>{esc(v[:16])}</td></tr>"
        for k, v in sorted(ctx.data.file_digests.items())
    )
    html_text = (
        '<section class="provenance"><h2>ที่มาของรายงาน (provenance)</h2><table>'
        + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
        + "</table><h3>ไฟล์ข้อมูล (sha256)</h3><table>"
        + files
        + "</table></section>"
    )
    display(
        {"text/html": html_text, PROVENANCE_MIME: json.loads(json.dumps(rec, default=str))},
        raw=True,
    )
