"""Writes the report notebook templates (committed without outputs). Run after editing cells."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NB_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def params_cell(src):
    c = new_code_cell(src)
    c.metadata["tags"] = ["parameters"]
    return c


def hidden(src):
    return new_code_cell(src)


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
            "<!-- District report (รายงานระดับอำเภอ). Thin: parameters, library calls, "
            "narrative. Run in JupyterLab, by `papermill -p district_code 6007`, or by "
            "`mchch run`. -->"
        ),
        params_cell(
            "# Parameters (papermill replaces this cell's values)\n"
            'params_file = "../params/2561.yaml"\n'
            "district_code = 6007"
        ),
        hidden(
            "from mchch_lib import charts, report\n\n"
            "ctx = report.district_context(params_file, district_code)\n"
            "report.show(report.cover(ctx))"
        ),
        hidden(
            "report.show(report.summary_sentences(ctx))\n"
            "report.show_figure(charts.stage_progress(report.scoring.stage_counts(ctx.data, "
            "ctx.applicants)))"
        ),
        new_markdown_cell(
            "## การดำเนินงานตามแนวทาง\n\nตามหนังสือจังหวัด อำเภอต้องมีเป้าหมายครบทั้ง "
            "4 มาตรฐาน พัฒนากรทุกคนรับผิดชอบอย่างน้อย 1 เป้าหมาย "
            "คณะอนุกรรมการ 5–9 คน ตรวจหลักฐานผู้สมัครทุกราย "
            "มีแผนพัฒนาตนเองในทุกตัวบ่งชี้ที่ยังไม่ผ่าน และรายงานจังหวัดตามกำหนด"
        ),
        hidden("report.show(report.compliance_section(ctx))"),
        hidden("report.show(report.applicant_table(ctx))"),
        new_markdown_cell(
            "## ผลการประเมินตนเองก่อนและหลังพัฒนา\n\nเปรียบเทียบคะแนนรวมก่อนพัฒนา "
            "หลังพัฒนา และคะแนนเต็ม แยกตามมาตรฐาน "
            "(ผู้ที่ยังไม่ได้ประเมินหลังพัฒนาแสดงแยกไว้ ไม่นับเป็นศูนย์)"
        ),
        hidden(
            "for std in report.standards_present(ctx):\n"
            "    report.show(report.standard_section(ctx, std))\n"
            "    report.show_figure(charts.pre_post_full(ctx.applicants, standard=std))"
        ),
        hidden(
            "report.show(report.gaps_section(ctx))\n"
            "report.show_figure(charts.gap_by_indicator(report.scoring.indicator_gaps("
            "ctx.indicators, by=())))"
        ),
        hidden("report.show(report.not_assessed_section(ctx))"),
        hidden("report.show(report.readiness_section(ctx))"),
        hidden("report.show(report.problems_section(ctx))"),
        hidden("report.provenance(ctx)"),
    ],
)

write(
    "province_report.ipynb",
    [
        new_markdown_cell(
            "<!-- Provincial report (รายงานระดับจังหวัด). Thin: parameters, library "
            "calls, narrative. -->"
        ),
        params_cell(
            "# Parameters (papermill replaces this cell's values)\n"
            'params_file = "../params/2561.yaml"'
        ),
        hidden(
            "from mchch_lib import charts, report\n\n"
            "ctx = report.province_context(params_file)\n"
            "report.show(report.cover(ctx))"
        ),
        hidden(
            "report.show(report.summary_sentences(ctx))\n"
            "report.show_figure(charts.stage_progress(report.scoring.stage_counts(ctx.data, "
            "ctx.applicants)))"
        ),
        new_markdown_cell(
            "## เปรียบเทียบรายอำเภอ\n\nคะแนนเฉลี่ยร้อยละของคะแนนเต็มก่อนและหลังพัฒนา "
            "ของแต่ละอำเภอ และจำนวนผู้พร้อมรับการประเมินระดับจังหวัด"
        ),
        hidden(
            "report.show(report.ranking_section(ctx))\n"
            "report.show_figure(charts.district_comparison(report.scoring.district_summary("
            "ctx.applicants, ctx.catalog), ctx.district_names))"
        ),
        hidden("report.show(report.compliance_section(ctx))"),
        new_markdown_cell(
            "## ตัวบ่งชี้ที่ควรพัฒนาต่อ\n\nช่องว่างเฉลี่ยถึงคะแนนเต็ม (หลังพัฒนา) "
            "รายอำเภอและตัวบ่งชี้ ช่องสีเข้มคือประเด็นที่ควรจัดอบรมหรือเรียนรู้เพิ่ม"
        ),
        hidden(
            "report.show_figure(charts.gap_heatmap(report.scoring.indicator_gaps(ctx.indicators, "
            'by=("district_code",)), ctx.district_names))\n'
            "report.show(report.gaps_section(ctx))"
        ),
        hidden(
            "for std in report.standards_present(ctx):\n"
            "    report.show_figure(charts.pre_post_full(ctx.applicants, standard=std))"
        ),
        hidden("report.show(report.readiness_section(ctx))"),
        hidden("report.show(report.not_assessed_section(ctx))"),
        hidden("report.show(report.problems_section(ctx))"),
        hidden("report.provenance(ctx)"),
    ],
)

write(
    "explore.ipynb",
    [
        new_markdown_cell(
            "# สำรวจผล มชช. (explorer)\n\nเลือกอำเภอ มาตรฐาน ตัวบ่งชี้ และครั้งที่ประเมิน "
            "ตารางและกราฟจะปรับตาม (ใน JupyterLab) ค่าเริ่มต้นคือ “ทั้งหมด” "
            "แผนภูมิรายผู้สมัครแสดง 15 รายที่คะแนนต่ำสุด เลือก “แสดงผู้สมัครทุกราย” "
            "เพื่อดูครบ เมื่อรันด้วย papermill จะได้ผลแบบคงที่ของค่าเริ่มต้น\n\n"
            "Pick a district, standard, indicator and round (each starts at “ทั้งหมด”, all); "
            "tables and charts follow. The applicant chart shows the 15 lowest scores; tick "
            "“แสดงผู้สมัครทุกราย” for everyone. Run by papermill it shows a static view."
        ),
        params_cell(
            "# Parameters\n"
            'params_file = "../params/2561.yaml"\n'
            "static = None  # None: widgets when a browser front end is there, else static"
        ),
        hidden(
            "from mchch_lib import explore, report\n\n"
            "ctx = report.province_context(params_file)\n"
            "controls = explore.explorer(ctx, static=static)  # the widgets, by name"
        ),
        new_markdown_cell(
            "## ตารางสำหรับวิเคราะห์ต่อ\n\n`ctx.applicants` (รายผู้สมัคร), "
            "`ctx.indicators` (รายตัวบ่งชี้), `ctx.findings` (การดำเนินงานตามแนวทาง) "
            "เป็น pandas DataFrame ใช้ต่อได้ทันที"
        ),
        new_code_cell("ctx.applicants.head()"),
    ],
)
