"""Report sections on a tiny hand-made dataset: the text each section shows is pinned by a
reviewed snapshot (tests/snapshots/sections/*.txt; update on purpose with
MCHCH_UPDATE_SNAPSHOTS=1), every section escapes text from a workbook, every table pins its
columns, and the settings that change sections do so."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from mchch_lib.analysis import compliance, scoring
from mchch_lib.data.params import load_params
from mchch_lib.data.reference import load_province
from mchch_lib.documents import report
from tests.conftest import make_dataset

SNAPSHOTS = Path(__file__).parents[1] / "snapshots" / "sections"
PRE, POST = dt.datetime(2018, 6, 5), dt.datetime(2018, 7, 20)
HOSTILE = '<script>alert("x")</script> & <b>'


class _Text(HTMLParser):
    """The text a reader sees, one line per block element."""

    BLOCK = {"h1", "h2", "h3", "p", "li", "tr", "div", "caption", "br", "table", "section"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_data(self, data):
        self.parts.append(data)


def text_of(markup: str) -> str:
    p = _Text()
    p.feed(str(markup))
    lines = (re.sub(r"\s+", " ", ln).strip(" |") for ln in "".join(p.parts).splitlines())
    return "\n".join(ln for ln in lines if ln)


def tiny_context(name_b: str = "กลุ่มออมทรัพย์บ้านหนองโพ", **params_over) -> report.ReportContext:
    """Two applicants of Takhli: a leader assessed twice, a group assessed before only."""
    pre = {"L1": 5, "L2": 6, "L3": 5, "L4": 8, "L5": 6, "L6": 9, "L7": 12, "L8": 5}
    post = {"L1": 8, "L2": 8, "L3": 7, "L4": 12, "L5": 8, "L6": 11, "L7": 16, "L8": 8}
    g_pre = {f"G{i}": 4 for i in range(1, 9)}
    apps = [
        {"district_code": 6007, "applicant_id": "A-1", "standard": "leader",
         "name": "นายสมชาย ใจดี", "citizen_id": "1100700234516", "moo": 3,
         "dev_start": dt.datetime(2018, 6, 6), "dev_end": dt.datetime(2018, 7, 15)},
        {"district_code": 6007, "applicant_id": "A-2", "standard": "group", "name": name_b,
         "dev_start": dt.datetime(2018, 6, 6), "dev_end": dt.datetime(2018, 7, 31)},
    ]  # fmt: skip
    officers = [{"district_code": 6007, "name": "นายเอ", "position": "นักวิชาการ"}]
    committee = [
        {"district_code": 6007, "name": f"ก{i}", "role": r}
        for i, r in enumerate(["chair", "secretary", "member", "member", "member"])
    ]
    plans = [
        {"district_code": 6007, "applicant_id": "A-1", "indicator_id": "L1",
         "topic": "การวางวิสัยทัศน์", "method": "อบรม", "period": None, "expert": "ปราชญ์",
         "evidence": None},
    ]  # fmt: skip
    ds = make_dataset(
        apps,
        [("A-1", "pre", pre, PRE), ("A-1", "post", post, POST), ("A-2", "pre", g_pre, PRE)],
        officers,
        committee,
        plans,
    )
    _add_cycle(ds)
    ds.problems = pd.DataFrame(
        [
            {"file": "in/6007.xlsx", "sheet": "ผู้สมัคร", "row": 5, "column": "ชื่อ",
             "field": "name", "rule": "missing_value", "severity": "error", "value": None,
             "message_th": f"ไม่ได้กรอก ชื่อ {HOSTILE}", "message_en": "name is empty",
             "district_code": 6007},
        ]
    )  # fmt: skip
    ds.file_digests = {"in/6007.xlsx": "ab" * 32}
    params = load_params("params/2561.yaml")
    params = dataclasses.replace(params, **params_over)
    from mchch_lib.data.catalog import load_catalog

    catalog = load_catalog(params.catalog)
    ind = scoring.indicator_scores(ds, catalog)
    findings = compliance.check_all(ds, catalog, params.deadline_41, params.deadline_42)
    return report.ReportContext(
        params, catalog, load_province(60), ds, 6007,
        scoring.applicant_scores(ds, catalog, ind), ind, findings,
        created=dt.datetime(2018, 8, 1, 9, 30), software="0.1.0 (abc-def)",
    )  # fmt: skip


def _add_cycle(ds) -> None:
    """Sub-criteria (A-1's L1 and A-2's G1, one adjusted, one added), the final round (A-1
    certified, A-2 not) and the provincial committee."""
    from mchch_lib.data.contract import typed

    src = {"source_file": "in/6007.xlsx", "source_row": 4}
    sub = [
        ("A-1", "L1", "L1.1", "มีเป้าหมายการพัฒนาชุมชนที่ชัดเจนและสื่อสารให้คนในชุมชนรับรู้",
         "standard", 4, 2, 3),
        ("A-1", "L1", "L1.2", "ริเริ่มกิจกรรมหรือโครงการใหม่อย่างน้อย 1 เรื่องในรอบปี ทุกหมู่บ้าน",
         "adjusted", 3, 2, 3),
        ("A-1", "L1", "L1.3", "นำความคิดเห็นของคนในชุมชนมาปรับวิสัยทัศน์", "standard", 2, 1, 1),
        ("A-1", "L1", "L1+1", "มีอาสาสมัครประจำหมู่บ้าน", "added", 1, 0, 1),
        ("A-2", "G1", "G1.1", "มีคณะกรรมการครบตามระเบียบกลุ่ม", "standard", 4, 2, None),
        ("A-2", "G1", "G1.2", "กำหนดบทบาทหน้าที่ของกรรมการเป็นลายลักษณ์อักษร", "standard", 3, 1,
         None),
        ("A-2", "G1", "G1.3", "มีการเลือกตั้งกรรมการตามวาระ", "standard", 3, 1, None),
    ]  # fmt: skip
    cols = ["applicant_id", "indicator_id", "subcriterion_id", "text", "kind", "marks", "pre",
            "post"]  # fmt: skip
    ds.subcriteria = typed(
        pd.DataFrame([dict(zip(cols, r, strict=True)) | src for r in sub]).assign(
            district_code=6007, source_sheet="เกณฑ์ย่อย"
        ),
        "subcriteria",
    )
    ds.final_round = typed(
        pd.DataFrame(
            [
                {
                    "applicant_id": "A-1",
                    "assessed_on": dt.datetime(2018, 8, 28),
                    "verdict": True,
                    "certified": True,
                    "certificate_no": "มชช.นว 001/2561",
                    "certified_on": dt.datetime(2018, 9, 14),
                },
                {
                    "applicant_id": "A-2",
                    "assessed_on": dt.datetime(2018, 8, 28),
                    "verdict": False,
                    "certified": False,
                    "note": "ยังไม่ได้ประเมินหลังพัฒนา ให้สมัครใหม่ปีหน้า",
                },
            ]  # fmt: skip
        ).assign(
            district_code=6007,
            source_file="in/final.xlsx",
            source_sheet="ผลการรับรองระดับจังหวัด",
            source_row=[4, 5],
        ),  # fmt: skip
        "final_round",
    )
    committee = {"L1": 7, "L2": 8, "L3": 6, "L4": 11, "L5": 7, "L6": 10, "L7": 14, "L8": 7}
    ds.final_scores = typed(
        pd.DataFrame(
            [{"applicant_id": "A-1", "indicator_id": k, "score": v} for k, v in committee.items()]
        ).assign(district_code=6007),
        "final_scores",
    )
    ds.province_committee = typed(
        pd.DataFrame(
            {
                "name": ["นายประธาน ใจดี", "นางกรรมการ ดีงาม", "นายเลขา พัฒนา"],
                "role": ["chair", "member", "secretary"],
                "position": ["รองผู้ว่าราชการจังหวัด", "เกษตรจังหวัด", "พัฒนาการจังหวัด"],
            }
        ),
        "province_committee",
    )


def province_of(ctx: report.ReportContext) -> report.ReportContext:
    return dataclasses.replace(ctx, district_code=None)


SECTIONS = {
    "cover": lambda c: report.cover(c),
    "summary": lambda c: report.summary_sentences(c),
    "compliance_district": lambda c: report.compliance_section(c),
    "compliance_province": lambda c: report.compliance_section(province_of(c)),
    "applicants": lambda c: report.applicant_table(c),
    "results_intro": lambda c: report.results_intro(c),
    "standard_leader": lambda c: report.standard_section(c, "leader"),
    "gaps": lambda c: report.gaps_section(c),
    "gaps_by_district_intro": lambda c: report.gaps_by_district_intro(c),
    "not_assessed": lambda c: report.not_assessed_section(c),
    "readiness": lambda c: report.readiness_section(c),
    "ranking": lambda c: report.ranking_section(province_of(c)),
    "problems": lambda c: report.problems_section(c),
    # comparison with the year before: the tiny context is 2561, tests/years_fixture.py 2562
    "comparison": lambda c: report.comparison_section(_2562(c)),
    "comparison_indicators": lambda c: report.comparison_indicators_section(_2562(c)),
    "comparison_units": lambda c: report.comparison_units_section(_2562(c)),
    "comparison_units_province": lambda c: report.comparison_units_section(province_of(_2562(c))),
    "comparison_districts": lambda c: report.comparison_districts_section(province_of(_2562(c))),
    "timeframe": lambda c: report.timeframe_section(c),
    "plan_quality": lambda c: report.plan_quality_section(c),
    "subcriteria_annex": lambda c: report.subcriteria_annex(c),
    "subcriteria_summary": lambda c: report.subcriteria_summary(c),
    "problems_by_district": lambda c: report.problems_by_district(province_of(c)),
    "final_round_district": lambda c: report.final_round_section(c),
    "final_round_province": lambda c: report.final_round_section(province_of(c)),
    "rating_district": lambda c: report.rating_section(c),
    "rating_province": lambda c: report.rating_section(province_of(c)),
    "rating_table": lambda c: report.rating_table_section(province_of(c)),
    "certified_list": lambda c: report.certified_list_section(province_of(c)),
}


def _2562(ctx: report.ReportContext) -> report.ReportContext:
    from tests.years_fixture import context_2562

    return context_2562(ctx)


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_section_text_matches_its_reviewed_snapshot(name):
    got = text_of(SECTIONS[name](tiny_context())) + "\n"
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("MCHCH_UPDATE_SNAPSHOTS") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_section_escapes_text_from_a_workbook(name):
    ctx = tiny_context(name_b=HOSTILE)
    ctx.findings.loc[0, "message_th"] = HOSTILE
    out = str(SECTIONS[name](ctx))
    assert "<script>" not in out and "<b>" not in out
    if HOSTILE in text_of(SECTIONS[name](tiny_context(name_b=HOSTILE))):
        assert html.escape(HOSTILE, quote=False) in out.replace("&#34;", '"')


def test_the_gap_table_and_its_chart_show_the_same_rows():
    ctx = tiny_context()
    table = text_of(report.gaps_section(ctx))
    assert len(ctx.top_gaps) == min(report.TOP_GAPS, len(ctx.gaps))
    for iid in ctx.top_gaps["indicator_id"]:
        assert f"| {iid} |" in f"| {table.replace(chr(10), ' | ')} |"
    for iid in ctx.gaps["indicator_id"].iloc[report.TOP_GAPS :]:
        assert iid not in table


def test_thai_digits_setting_reaches_the_sections():
    ctx = tiny_context(thai_digits=True)
    summary = text_of(report.summary_sentences(ctx))
    assert "ปี ๒๕๖๑" in summary and "ผู้สมัคร ๒ หน่วยนับ" in summary and "2" not in summary
    table = text_of(report.standard_section(ctx, "leader"))
    assert "๕๖.๐" in table and "๗๘.๐" in table
    cover = text_of(report.cover(ctx))
    assert "ประจำปี พ.ศ. ๒๕๖๑" in cover and "๑ สิงหาคม ๒๕๖๑" in cover


def test_problems_section_says_how_many_are_not_listed(monkeypatch):
    from mchch_lib.documents.sections import overview

    ctx = tiny_context()
    ctx.data.problems = pd.concat([ctx.data.problems] * 3, ignore_index=True)
    monkeypatch.setattr(overview, "MAX_PROBLEM_ROWS", 2)
    text = text_of(report.problems_section(ctx))
    assert "แสดง 2 รายการแรกจากทั้งหมด 3 รายการ" in text


def test_summarize_is_the_one_roll_up_at_every_level():
    ctx = tiny_context()
    a = ctx.applicants
    one = scoring.summarize(a).iloc[0]
    by = scoring.summarize(a, by=["district_code"]).iloc[0]
    assert list(scoring.summarize(a).columns) == scoring.SUMMARY_COLUMNS
    assert one.to_dict() == {k: by[k] for k in scoring.SUMMARY_COLUMNS}
    per_std = scoring.summarize(a, by=["district_code", "standard"])
    assert per_std["registered"].sum() == one["registered"] == 2
    assert (one["pre_assessed"], one["post_assessed"], one["ready"]) == (2, 1, 1)
    assert one["mean_post_pct"] == 78.0
    assert ctx.summary["mean_pre_pct"] == pytest.approx((56 + 100 * 32 / 100) / 2)


def test_thai_digits_reach_the_comparison_sections():
    ctx = _2562(tiny_context(thai_digits=True))
    text = text_of(report.comparison_section(ctx))
    assert "ปี ๒๕๖๒ มีผู้สมัคร ๓ หน่วยนับ (+๑ จากปี ๒๕๖๑)" in text
    assert "| ๒๕๖๑ | ๒ | ๑ | ๔๔.๐ | ๗๘.๐ |" in text and "2" not in text.replace("ปี 2", "")
    units = text_of(report.comparison_units_section(ctx))
    assert "| A-1 | ๗๘.๐% พร้อม | ๘๕.๐% พร้อม" in units


def test_no_comparison_without_earlier_years():
    ctx = tiny_context()
    ctx.earlier = []
    assert ctx.comparison is None
    with pytest.raises(Exception, match="compare_with"):
        report.comparison_section(ctx)


def test_units_found_two_years_back_say_which_year():
    """With 2560 and 2561 to compare with, a unit absent in 2561 is found in 2560."""
    ctx = _2562(tiny_context())
    (y61,) = ctx.earlier
    y60 = dataclasses.replace(y61, year=2560, catalog=dataclasses.replace(y61.catalog, year=2560))
    empty = dataclasses.replace(y61, applicants=y61.applicants.iloc[:0])
    ctx.earlier = [empty, y60]
    text = text_of(report.comparison_units_section(ctx))
    assert "| ปีก่อน | รหัสปีก่อน |" in text.replace("\n", " | ")
    assert "| 2560 | A-1 | 78.0% พร้อม | 85.0% พร้อม" in text


def test_the_annex_indicator_rows_are_the_indicator_scores():
    ctx = tiny_context()
    text = text_of(report.subcriteria_annex(ctx))
    ind = ctx.indicators.set_index(["applicant_id", "indicator_id"])
    pre, post = ind.loc[("A-1", "L1"), "pre"], ind.loc[("A-1", "L1"), "post"]
    assert f"L1 | มีวิสัยทัศน์และความคิดริเริ่มในการพัฒนาชุมชน | | 10.0 | {pre:.1f} | {post:.1f}" in text


def test_the_sub_criteria_summary_counts_kinds_and_names_the_declines():
    ctx = tiny_context()
    sub = ctx.subcriteria
    text = text_of(report.subcriteria_summary(ctx))
    n_adj, n_add = int((sub["kind"] == "adjusted").sum()), int((sub["kind"] == "added").sum())
    assert f"รวม | {sub['applicant_id'].nunique()} | {len(sub)} | {n_adj} | {n_add}" in text
    down = sub[sub["gain"] < 0]
    for aid in down["applicant_id"].unique():
        assert aid in text
    if not len(down):
        assert "ไม่มีผู้สมัครที่มีเกณฑ์ย่อยคะแนนลดลงหลังพัฒนา" in text


def test_every_problem_rule_is_shown_by_its_thai_message_never_its_id():
    from mchch_lib.data.validate import rules

    ctx = province_of(tiny_context())
    template = ctx.data.problems.iloc[:1]
    rows = [template.assign(rule=r.id, severity=r.severity, message_th=f"ข้อความของ {i}",
                            district_code=6007)
            for i, r in enumerate(rules().values())]  # fmt: skip
    ctx.data.problems = pd.concat(rows, ignore_index=True)
    for section in (report.problems_by_district, report.problems_section):
        text = text_of(section(ctx))
        for i, r in enumerate(rules().values()):
            assert r.th.strip()
            assert f"ข้อความของ {i}" in text
            assert r.id not in text


def test_provenance_is_a_short_thai_note_without_files_or_paths():
    """The last page says data version, date made (Thai style, Thai digits when asked) and the
    software version; files, hashes and parameters stay in run.json and the manifest."""
    from mchch_lib.documents import sections

    ctx = tiny_context(thai_digits=True)
    ctx.created = dt.datetime(2026, 12, 4, 9, 30)
    rec = {"input_hash": "964c17068356" + "ab" * 26, "params_hash": "cd" * 32,
           "code_version": "0.1.0+9685fbe2973b"}  # fmt: skip
    text = text_of(sections.provenance_html(ctx, rec))
    assert "ฉบับข้อมูล ๙๖๔-c๑๗-๐๖๘-๓๕๖" in text
    assert "จัดทำเมื่อ ๔ ธันวาคม ๒๕๖๙" in text
    assert "รุ่นโปรแกรม ๐.๑.๐ (๙๖๘-๕fb-e๒๙-๗๓b)" in text
    for k in ctx.data.file_digests:
        assert Path(k).name not in text and k not in text
    assert not re.search(r"[A-Za-z]{4,}", text), text
    assert len(text.splitlines()) <= 3


def test_applicant_list_keeps_names_and_places_whole():
    """The applicant list: a person's name breaks only between its words, a tambon and its
    village number stay on one line, a leader's masked ID sits under the name, escaped."""
    from mchch_lib.documents.templating import table_html

    df = pd.DataFrame(
        {"officer": ["นางสาวบุญเรือน ทองคำ"], "place": ["นครสวรรค์ออก ม.3"], "name": ["<b>x"]}
    )
    html_ = table_html(df, {"name": "ชื่อ", "place": "ตำบล/หมู่", "officer": "พัฒนากร"},
                       {"place": "nowrap", "officer": "words"})  # fmt: skip
    assert '<td class="nowrap">นครสวรรค์ออก ม.3</td>' in html_
    assert (
        '<td><span class="nowrap">นางสาวบุญเรือน</span> <span class="nowrap">ทองคำ</span></td>'
        in html_
    )
    assert "&lt;b&gt;x" in html_
    out = str(report.applicant_table(tiny_context()))
    assert 'นายสมชาย ใจดี<br><span class="id">1-1007-xxxxx-xx-6</span>' in out
