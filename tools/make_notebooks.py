"""Writes the report notebook templates (committed without outputs). Run after editing cells:
``python tools/make_notebooks.py [OUT_DIR]`` (default: notebooks/; a test compares the two)."""

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NB_DIR = (
    Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "notebooks"
)


def params_cell(src):
    c = new_code_cell(src)
    c.metadata["tags"] = ["parameters", "remove-cell"]
    return c


def hidden(src):
    """A code cell whose code the report leaves out (the standard tag nbconvert's
    TagRemovePreprocessor and the mchch exporters honour); its outputs are shown."""
    c = new_code_cell(src)
    c.metadata["tags"] = ["remove-input"]
    return c


def opening(parameters, context):
    """The cells a report notebook opens with: its parameters, its context and cover, the
    year's outcome (certified units included) with the stage chart."""
    return [
        params_cell("# Parameters (papermill replaces this cell's values)\n" + parameters),
        hidden(
            "from mchch_lib import charts, report\n\n"
            f"ctx = {context}\n"
            "report.show(report.cover(ctx))"
        ),
        hidden(
            "report.show(report.summary_sentences(ctx))\n"
            "certified = len(ctx.certified) if len(ctx.final_results) else None\n"
            "report.show_figure(charts.stage_progress(ctx.stages, certified))"
        ),
    ]


def write(name, cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for i, c in enumerate(nb.cells):
        c["id"] = f"{name.split('.')[0].replace('_', '-')}-{i:02d}"
    nbformat.write(nb, NB_DIR / name)


write(
    "district_report.ipynb",
    [
        new_markdown_cell(
            "<!-- District report (รายงานระดับอำเภอ). Thin: parameters and section calls; the "
            "wording is in mchch_lib/templates/sections. Run in JupyterLab, by "
            "`papermill -p district_code 6007`, or by `mchch run`. -->"
        ),
        *opening(
            'params_file = "../params/2561.yaml"\n'
            "district_code = 6007\n"
            "data_key = None  # the batch passes its clean data's cache key",
            "report.district_context(params_file, district_code, data_key)",
        ),
        hidden("report.show(report.compliance_section(ctx))"),
        hidden("report.show(report.applicant_table(ctx))"),
        hidden(
            "report.show(report.results_intro(ctx))\n"
            "for std in report.standards_present(ctx):\n"
            "    report.show(report.standard_section(ctx, std))\n"
            "    if report.worth_a_chart(ctx, std):  # 1-3 units: the table says it all\n"
            "        report.show_figure(\n"
            "            charts.pre_post_full(ctx.applicants, standard=std, "
            "standard_th=ctx.standard_th(std))\n"
            "        )"
        ),
        hidden("report.show(report.gaps_section(ctx))"),
        hidden("report.show(report.not_assessed_section(ctx))"),
        hidden("report.show(report.readiness_section(ctx))"),
        hidden(
            "report.show(report.timeframe_section(ctx))\n"
            "report.show(report.plan_quality_section(ctx))"
        ),
        hidden(
            "report.show(report.final_round_section(ctx))\nreport.show(report.rating_section(ctx))"
        ),
        hidden(
            "if ctx.comparison is not None:  # params compare_with: beside the earlier years\n"
            "    report.show(report.comparison_section(ctx))\n"
            "    report.show_figure(\n"
            "        charts.year_post(ctx.year_post, ctx.comparison.last_year, ctx.params.year)\n"
            "    )\n"
            "    report.show(report.comparison_indicators_section(ctx))\n"
            "    report.show(report.comparison_units_section(ctx))"
        ),
        hidden("report.show(report.problems_section(ctx))"),
        # the unit-by-unit sub-criteria are in the district's annex workbook
        hidden("report.show(report.subcriteria_summary(ctx))"),
        hidden("report.provenance(ctx)"),
    ],
)

write(
    "province_report.ipynb",
    [
        new_markdown_cell(
            "<!-- Provincial report (รายงานระดับจังหวัด). Thin: parameters and section calls; "
            "the wording is in mchch_lib/templates/sections. Counts by district here; the "
            "lists by applicant are in the annex workbook (province_ภาคผนวก.xlsx). A chart only "
            "where it shows what its table does not. -->"
        ),
        *opening(
            'params_file = "../params/2561.yaml"\n'
            "data_key = None  # the batch passes its clean data's cache key",
            "report.province_context(params_file, data_key)",
        ),
        hidden("report.show(report.completeness_section(ctx))"),
        hidden("report.show(report.ranking_section(ctx))"),
        hidden(
            "from mchch_lib import maps\n\n"
            "# where: the districts shaded by the mean post score (readiness by district is\n"
            "# the sorted bar chart of its section: one chart for those rows)\n"
            'report.show_figure(maps.choropleth(ctx, "post_pct"))'
        ),
        hidden(
            "report.show(report.by_standard_intro(ctx))\n"
            "report.show_figure(\n"
            "    charts.standard_heatmap(ctx.by_district_standard, ctx.district_names, "
            "ctx.standard_names)\n"
            ")"
        ),
        hidden(
            "if ctx.comparison is not None:  # params compare_with: beside the earlier years\n"
            "    report.show(report.comparison_section(ctx))\n"
            "    report.show_figure(\n"
            "        charts.year_post(ctx.year_post, ctx.comparison.last_year, ctx.params.year)\n"
            "    )\n"
            "    report.show(report.comparison_districts_section(ctx))\n"
            "    report.show(report.comparison_indicators_section(ctx))\n"
            "    report.show(report.comparison_units_section(ctx))"
        ),
        hidden("report.show(report.compliance_section(ctx))"),
        hidden(
            "report.show(report.gaps_by_district_intro(ctx))\n"
            "report.show_figure(charts.gap_heatmap(ctx.gaps_by_district, ctx.district_names))\n"
            "report.show(report.gaps_section(ctx))"
        ),
        hidden(
            "report.show(report.readiness_by_district(ctx))\n"
            "report.show_figure(charts.readiness_bars(ctx.by_district, ctx.district_names))"
        ),
        hidden(
            "report.show(report.final_round_section(ctx))\n"
            "report.show(report.rating_section(ctx))\n"
            "report.show(report.rating_table_section(ctx))\n"
            "report.show(report.certified_list_section(ctx))"
        ),
        hidden("report.show(report.problems_by_district(ctx))"),
        hidden("report.provenance(ctx)"),
    ],
)

write(
    "national_report.ipynb",
    [
        new_markdown_cell(
            "<!-- National report (รายงานระดับประเทศ) of a run with `provinces`. Thin: the same "
            "sections as the provincial report one level up (its children are the provinces, "
            "grouped by region); each province's own reports are in provinces/<code>_<name>/. -->"
        ),
        *opening(
            'params_file = "../params/national-2561.yaml"\n'
            "data_key = None  # the batch passes its national data's key",
            "report.national_context(params_file, data_key)",
        ),
        hidden(
            "from mchch_lib.data import national_inputs\n\n"
            "# the provinces held back by their data errors (none: nothing shown)\n"
            "report.show(national_inputs.held_back_note(data_key))"
        ),
        hidden("report.show(report.completeness_section(ctx))"),
        hidden(
            'report.show(report.ranking_section(ctx, "region"))\n'
            "report.show_figure(\n"
            '    charts.district_comparison(ctx.by_level("region"), ctx.names_of("region"), '
            'key="region_code", row_th="ภาค")\n'
            ")"
        ),
        hidden(
            "from mchch_lib import maps\n\n"
            "report.show(report.ranking_section(ctx))\n"
            "# where: the provinces by mean post score and by completeness, regions outlined\n"
            'report.show_figure(maps.choropleth(ctx, "post_pct"))\n'
            'report.show_figure(maps.choropleth(ctx, "reporting_pct"))'
        ),
        hidden(
            "report.show(report.by_standard_intro(ctx))\n"
            "for region_th, rows in ctx.heatmaps():\n"
            "    report.show_figure(\n"
            "        charts.standard_heatmap(rows, ctx.child_names, ctx.standard_names, "
            'key="province_code",\n'
            '                                row_th="จังหวัด", title_suffix=f" ({region_th})")\n'
            "    )"
        ),
        hidden("report.show(report.compliance_section(ctx))"),
        hidden(
            "report.show(report.gaps_section(ctx))\n"
            "report.show_figure(charts.gap_by_indicator(ctx.top_gaps))"
        ),
        hidden("report.show(report.readiness_by_district(ctx))"),
        hidden("report.show(report.problems_by_district(ctx))"),
        hidden("report.provenance(ctx)"),
    ],
)

write(
    "explore.ipynb",
    [
        new_markdown_cell(
            "# สำรวจผล มชช.\n\nเลือกปี อำเภอ มาตรฐาน ตัวบ่งชี้ และครั้งที่ประเมิน "
            "ตารางและกราฟจะปรับตาม (ใน JupyterLab) ค่าเริ่มต้นคือ “ทั้งหมด” "
            "แผนภูมิรายผู้สมัครแสดง 15 รายที่คะแนนต่ำสุด เลือก “แสดงผู้สมัครทุกราย” "
            "เพื่อดูครบ เลือก “เปลี่ยนแปลงจากปีที่แล้ว” เพื่อเทียบกับปีก่อน "
            "เมื่อรันด้วย papermill จะได้ผลแบบคงที่ของค่าเริ่มต้น\n\n"
            "Pick a year, district, standard, indicator and round (each starts at “ทั้งหมด”, "
            "all); tables and charts follow. The applicant chart shows the 15 lowest scores; "
            "tick “แสดงผู้สมัครทุกราย” for everyone, “เปลี่ยนแปลงจากปีที่แล้ว” for the change "
            "since last year. Run by papermill it shows a static view."
        ),
        params_cell(
            "# Parameters\n"
            'params_file = "../params/2562.yaml"  # compare_with: its earlier years too\n'
            "static = None  # None: widgets when a browser front end is there, else static"
        ),
        hidden(
            "from mchch_lib import explore, report\n\n"
            "ctx = report.province_context(params_file)\n"
            "controls = explore.explorer(ctx, static=static)  # the widgets, by name"
        ),
        new_markdown_cell(
            "## แท็บสำหรับผู้วางแผน\n\nภาพรวมและแผนที่ อำเภอ หน่วยที่สมัคร ตัวบ่งชี้ "
            "รอบจังหวัด พัฒนากร กำหนดส่ง และเทียบปีที่แล้ว ส่งออก Excel หรือ PDF 1 หน้าได้ "
            "(หน้าเดียวกับคำสั่ง `mchch app`)\n\n"
            "The planners' tabs, the same as `mchch app` serves."
        ),
        hidden(
            "from mchch_lib.app import ui\n\n"
            "app = None if controls is None else ui.explorer(ctx)  # widgets only in a browser"
        ),
        new_markdown_cell(
            "## ตารางสำหรับวิเคราะห์ต่อ\n\n`ctx.applicants` (รายผู้สมัคร), "
            "`ctx.indicators` (รายตัวบ่งชี้), `ctx.findings` (การดำเนินงานตามแนวทาง) "
            "เป็น pandas DataFrame ใช้ต่อได้ทันที "
            "เลขประจำตัวประชาชนในตารางเหล่านี้ปิดบางส่วนแล้ว (1-2345-xxxxx-xx-2, PDPA)\n\n"
            "Tables to analyse further; citizen IDs in them are masked (PDPA)."
        ),
        new_code_cell(
            "from mchch_lib.app import views\n\n"
            "views.units(ctx, views.Selection())[0].frame.head()  # หัวตารางภาษาไทย เลขประจำตัวปิดแล้ว"
        ),
    ],
)
