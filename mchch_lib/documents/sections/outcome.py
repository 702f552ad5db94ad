"""The year's outcome on page 2 (สรุปผล) and the short Thai note on where the report comes from
(ที่มาของรายงาน). Every figure comes from the shared analysis functions through the report
context (``ctx.summary``: scoring.summarize; ``ctx.certified``: final_round.certified;
``ctx.timeframe``: self_development.timeframe_status; ``ctx.findings``: compliance), the
ones the forms and the decks use, so a figure has one denominator everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mchch_lib.common import thai
from mchch_lib.data.catalog import STANDARD_CODES
from mchch_lib.documents.sections.overview import render_section, short_hash
from mchch_lib.documents.templating import Markup

if TYPE_CHECKING:
    from mchch_lib.documents.report import ReportContext

#: The guideline checks that say a district sent something late (compliance.check_district).
LATE_CHECKS = ("deadline_41", "deadline_42")


@dataclass(frozen=True)
class SummaryView:
    place: str
    year: int
    is_province: bool
    registered: int
    by_standard: list[str]
    pre_assessed: int
    post_assessed: int
    not_yet_post: int
    ready: int
    has_round: bool
    final_assessed: int
    certified: int
    certified_by_standard: list[str]
    mean_pre_pct: float
    mean_post_pct: float
    kpis: list[tuple[str, int]]
    behind: int
    late_districts: list[str]
    missing_standards: list[str]
    failing: list[str]
    test_message: str
    test_note: str


def _per_standard(ctx: ReportContext, counts, digits: bool) -> list[str]:
    """ "ผู้นำชุมชน 3 คน" per standard of the catalog with a count (zeros left out)."""
    out = []
    for code in STANDARD_CODES:
        std = ctx.catalog.standards.get(code)
        n = int(counts.get(code, 0))
        if std is not None and n:
            out.append(f"{std.short_th} {thai.format_number(n, 0, digits)} {std.unit_th}")
    return out


def _district_label(ctx: ReportContext, code) -> str:
    return ctx.district_names.get(int(code), str(code))


def _guideline_names(ctx: ReportContext) -> tuple[list[str], list[str], list[str]]:
    """The districts (named, not counted) that sent a report late, that have no applicant of
    some standard, and (a district report) the guideline checks not met."""
    f = ctx.findings
    if not len(f):
        return [], [], []
    bad = f[~f["ok"].astype(bool)]
    late = bad[bad["check"].isin(LATE_CHECKS)]
    missing = bad[bad["check"] == "all_standards"]
    if not ctx.is_province:
        from mchch_lib.documents.sections.overview import CHECK_TH

        return [], [], [CHECK_TH.get(c, c) for c in dict.fromkeys(bad["check"])]
    late_names = [_district_label(ctx, c) for c in sorted(set(late["district_code"]))]
    miss_names = [_district_label(ctx, c) for c in sorted(set(missing["district_code"]))]
    return _capped(late_names), _capped(miss_names), []


#: Districts named on page 2 at most (a national report: the rest counted, named later).
MAX_NAMED = 15


def _capped(names: list[str]) -> list[str]:
    if len(names) <= MAX_NAMED:
        return names
    return [*names[:MAX_NAMED], f"และอีก {len(names) - MAX_NAMED} อำเภอ"]


def plain_test(test: dict, digits: bool) -> tuple[str, str]:
    """The paired pre/post comparison (scoring.paired_test) in plain Thai, and its footnote
    naming the test in Thai (a reader acts on the sentence; the footnote is for an auditor)."""
    if test.get("status") != "ok":
        return (thai.thai_digits_in_text(test["message_th"]) if digits else test["message_th"]), ""
    n = thai.format_number(test["n_pairs"], 0, digits)
    med = test["median_diff"]
    sig = test["p_value"] < 0.05
    if sig and med > 0:
        head = "คะแนนหลังพัฒนาดีขึ้นอย่างมีนัยสำคัญทางสถิติ"
    elif sig and med < 0:
        head = "คะแนนหลังพัฒนาลดลงอย่างมีนัยสำคัญทางสถิติ"
    else:
        head = "คะแนนก่อนและหลังพัฒนาไม่แตกต่างกันอย่างมีนัยสำคัญทางสถิติ"
    change = thai.format_number(abs(med), 1, digits)
    way = "เพิ่มขึ้น" if med > 0 else "ลดลง" if med < 0 else "เปลี่ยนแปลง"
    text = f"{head} (ผู้ประเมินครบทั้งก่อนและหลังพัฒนา {n} ราย คะแนนของรายที่อยู่ตรงกลาง{way} {change} จุดร้อยละ)"
    p = test["p_value"]
    p_text = "น้อยกว่า 0.001" if p < 0.001 else thai.format_number(p, 3)
    note = (
        f"ทดสอบด้วยวิธีวิลคอกซันแบบจับคู่ ที่ระดับนัยสำคัญ 0.05 (ค่าพี {p_text}"
        f" ขนาดผล {thai.format_number(test['effect_size'], 2)})"
    )
    return text, thai.thai_digits_in_text(note) if digits else note


def summary_sentences(ctx: ReportContext) -> Markup:
    """The year's result in sentences and figures (สรุปผล): applicants, assessed, ready,
    certified by standard, not yet assessed, what is late, and the districts that miss a
    guideline named."""
    from mchch_lib.analysis.scoring import paired_test

    s = ctx.summary
    digits = ctx.params.thai_digits
    cert = ctx.certified
    has_round = len(ctx.final_results) > 0
    kpis = [
        ("ผู้สมัครทั้งหมด", s["registered"]),
        ("ประเมินหลังพัฒนาแล้ว", s["post_assessed"]),
        ("พร้อมรับการประเมินระดับจังหวัด", s["ready"]),
        ("ผ่านการรับรอง", len(cert) if has_round else None),  # no round yet: "–", not 0
    ]
    late, missing, failing = _guideline_names(ctx)
    behind = int(ctx.timeframe["behind"].sum()) if len(ctx.timeframe) else 0
    test_message, test_note = plain_test(paired_test(ctx.applicants), digits)
    view = SummaryView(
        ctx.place_th, ctx.params.year, ctx.is_province, s["registered"],
        _per_standard(ctx, ctx.applicants.groupby("standard").size(), digits),
        s["pre_assessed"], s["post_assessed"], s["not_yet_post"], s["ready"], has_round,
        len(ctx.final_results), len(cert),
        _per_standard(ctx, cert.groupby("standard").size() if len(cert) else {}, digits),
        s["mean_pre_pct"], s["mean_post_pct"], kpis, behind, late, missing, failing,
        test_message, test_note,
    )  # fmt: skip
    return render_section(ctx, "summary", view)


def provenance_html(ctx: ReportContext, rec: dict) -> Markup:
    """The short Thai note on the last page: data version (the short content hash), the date
    made and the software version. File lists, hashes and parameters stay in the run record
    (run.json) and the bundle's manifest, and in the PDF's metadata."""
    digits = ctx.params.thai_digits
    version, _, code = str(rec["code_version"]).partition("+")
    rows = [
        ("ฉบับข้อมูล", short_hash(rec["input_hash"])),
        ("จัดทำเมื่อ", thai.format_date_th(ctx.created.date(), thai_digits=digits)),
        ("รุ่นโปรแกรม", f"{version} ({short_hash(code)})" if code else version),
    ]
    return render_section(ctx, "provenance", {"rows": rows, "n_files": len(ctx.data.file_digests)})
