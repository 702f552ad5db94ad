"""A planner's starter notebook (``mchch notebook NAME``): the parameters cell, loading the
province's context, and three short worked examples in Thai (a table, a chart, a filter by
district and standard), ready to run in JupyterLab and to turn into a PDF with
``jupyter nbconvert --to mchch_pdf notebooks/NAME.ipynb``. Written without outputs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mchch_lib import config
from mchch_lib.errors import MchchError

_NAME = re.compile(r"^[\w\u0e00-\u0e7f][\w\u0e00-\u0e7f .-]*$")


def _default_params() -> Path:
    found = sorted(config.PARAMS_DIR.glob("[0-9][0-9][0-9][0-9].yaml"))
    if not found:
        raise MchchError(f"no params file (e.g. 2561.yaml) in {config.PARAMS_DIR}")
    return found[-1]


def _cells(params_rel: str) -> list:
    from nbformat.v4 import new_code_cell, new_markdown_cell

    params = new_code_cell(
        "# พารามิเตอร์ (papermill แทนค่าในช่องนี้ได้) / parameters\n"
        f"params_file = {params_rel!r}\n"
        "district_code = 6007  # อำเภอที่ใช้ในตัวอย่างที่ 3\n"
        'standard = "leader"  # leader, group, network หรือ community'
    )
    params.metadata["tags"] = ["parameters", "remove-cell"]
    load = new_code_cell(
        "import pandas as pd\n\n"
        "import mchch_lib  # กราฟใช้ฟอนต์ Sarabun และตารางแบบโต้ตอบได้ใน JupyterLab\n"
        "from mchch_lib import report\n\n"
        "ctx = report.province_context(params_file)\n"
        "scores = ctx.applicants.copy()  # หนึ่งแถวต่อผู้สมัคร: คะแนนก่อน/หลังพัฒนา สถานะ\n"
        'scores["อำเภอ"] = scores["district_code"].map(ctx.district_names)\n'
        'scores["มาตรฐาน"] = scores["standard"].map(lambda s: ctx.catalog.standards[s].short_th)'
    )
    load.metadata["tags"] = ["remove-input"]
    return [
        new_markdown_cell(
            "# การวิเคราะห์ผล มชช. ของฉัน\n\n"
            "สมุดบันทึกตั้งต้นสำหรับนักวางแผน: โหลดข้อมูลของจังหวัด แล้วดูตัวอย่างสามแบบ "
            "(ตาราง กราฟ และการเลือกอำเภอกับมาตรฐาน) แก้ไขหรือเพิ่มช่องได้ตามต้องการ\n\n"
            "*Starter notebook: load the province's data, then a table, a chart and a filter. "
            "Turn it into a PDF with* `jupyter nbconvert --to mchch_pdf` *(code is left out; "
            "tables, charts and printed text are kept).*"
        ),
        params,
        load,
        *_examples(),
    ]


def _examples() -> list:
    """The three worked examples (table, chart, filter) and how to make the PDF."""
    from nbformat.v4 import new_code_cell, new_markdown_cell

    return [
        new_markdown_cell(
            "## ตัวอย่างที่ 1: ตาราง\n\n"
            "คะแนนเฉลี่ยก่อนและหลังพัฒนา (ร้อยละของคะแนนเต็ม) และจำนวนผู้สมัครรายอำเภอ "
            "เรียงจากคะแนนหลังพัฒนามากไปน้อย"
        ),
        new_code_cell(
            "by_district = (\n"
            '    scores.groupby("อำเภอ")\n'
            '    .agg(n=("applicant_id", "count"), pre=("pre_pct", "mean"), post=("post_pct", "mean"))\n'
            '    .rename(columns={"n": "ผู้สมัคร", "pre": "ก่อนพัฒนา (%)", "post": "หลังพัฒนา (%)"})\n'
            '    .sort_values("หลังพัฒนา (%)", ascending=False)\n'
            ")\n"
            "by_district"
        ),
        new_markdown_cell(
            "## ตัวอย่างที่ 2: กราฟ\n\n"
            "คะแนนเฉลี่ยหลังพัฒนารายอำเภอ (กราฟของ pandas ใช้ฟอนต์ไทยได้ทันทีเมื่อ import mchch_lib)"
        ),
        new_code_cell(
            'ax = by_district["หลังพัฒนา (%)"].sort_values().plot.barh(\n'
            '    title="คะแนนเฉลี่ยหลังพัฒนารายอำเภอ", figsize=(7, 5), color="#0072B2"\n'
            ")\n"
            'ax.set_xlabel("ร้อยละของคะแนนเต็ม")\n'
            'ax.set_ylabel("")\n'
            "ax.set_xlim(0, 100);"
        ),
        new_markdown_cell(
            "## ตัวอย่างที่ 3: เลือกอำเภอและมาตรฐาน\n\n"
            "ผู้สมัครของอำเภอและมาตรฐานที่กำหนดในช่องพารามิเตอร์ (`district_code`, `standard`) "
            "เปลี่ยนค่าแล้วรันใหม่ได้"
        ),
        new_code_cell(
            "chosen = scores[\n"
            '    (scores["district_code"] == district_code) & (scores["standard"] == standard)\n'
            "]\n"
            'n_ready = int(chosen["ready"].fillna(False).sum())\n'
            "place = ctx.district_names[district_code]\n"
            "std_name = ctx.catalog.standards[standard].name_th\n"
            'print(f"อำเภอ{place} {std_name}: ผู้สมัคร {len(chosen)} ราย "\n'
            '      f"พร้อมรับการประเมินระดับจังหวัด {n_ready} ราย")\n'
            'chosen[["applicant_id", "name", "pre_pct", "post_pct", "status_th"]].rename(\n'
            "    columns={\n"
            '        "applicant_id": "รหัส",\n'
            '        "name": "ชื่อ",\n'
            '        "pre_pct": "ร้อยละก่อนพัฒนา",\n'
            '        "post_pct": "ร้อยละหลังพัฒนา",\n'
            '        "status_th": "สถานะ",\n'
            "    }\n"
            ")"
        ),
        new_markdown_cell(
            "## ทำเป็นรายงาน PDF\n\n"
            "บันทึกสมุดบันทึก แล้วรันคำสั่งในเทอร์มินัล / save, then run:\n\n"
            "```\njupyter nbconvert --to mchch_pdf --execute notebooks/ชื่อสมุดบันทึก.ipynb\n```\n\n"
            "รายงานแสดงข้อความ ตาราง กราฟ และข้อความที่ print ไม่แสดงโค้ด "
            "ช่องที่ติดแท็ก `remove-cell` จะไม่ปรากฏ ส่วนคำเตือนจะสรุปไว้ท้ายรายงาน"
        ),
    ]


def write_starter(name: str, directory: str | Path | None = None, force: bool = False) -> Path:
    """Write the starter notebook ``<directory>/<name>.ipynb`` (default: the project's
    ``notebooks/``) without outputs; refuses to overwrite unless ``force``."""
    import nbformat
    from nbformat.v4 import new_notebook

    stem = name[: -len(".ipynb")] if name.endswith(".ipynb") else name
    if not _NAME.match(stem) or stem in (".", ".."):
        raise MchchError(f"not a notebook name: {name!r} (letters, digits, space, . _ -)")
    folder = Path(directory) if directory is not None else config.NOTEBOOKS_DIR
    path = folder / f"{stem}.ipynb"
    if path.exists() and not force:
        raise MchchError(f"{path} exists (use --force to overwrite)")
    params_rel = Path(os.path.relpath(_default_params(), folder.resolve())).as_posix()
    nb = new_notebook(cells=_cells(params_rel))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"starter-{i:02d}"
    nbformat.validate(nb)
    folder.mkdir(parents=True, exist_ok=True)
    from mchch_lib.common.atomic import write_text

    write_text(path, nbformat.writes(nb) + "\n")
    return path
