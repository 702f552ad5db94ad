"""The exporters' side: outputs brought to what a reader expects (no kernel needed)."""

import base64
import re
from collections import Counter

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

from mchch_lib.common import thai
from mchch_lib.documents import html_tables as tables
from mchch_lib.documents.display import PRINT_SVG_MIME, TABLE_MIME
from mchch_lib.render import outputs as outputs
from mchch_lib.render.exporters import MchchHTMLExporter

WARN = (
    "/home/planner/.venv/lib/python3.11/site-packages/matplotlib/axes.py:12: UserWarning: "
    "ข้อมูลยังไม่ครบ\n  warnings.warn('ข้อมูลยังไม่ครบ')\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No such file: '/home/u/data/6007.xlsx'", "No such file: '6007.xlsx'"),
        (r"cannot open C:\Users\u\Desktop\แบบ4.1.xlsx now", "cannot open แบบ4.1.xlsx now"),
        ("see file:///tmp/x/report.pdf", "see report.pdf"),
        ("https://itables.org/a/b stays", "https://itables.org/a/b stays"),
        ("ไฟล์ / ชีต แถว 1/2", "ไฟล์ / ชีต แถว 1/2"),
        ("relative notebooks/x.ipynb stays", "relative notebooks/x.ipynb stays"),
    ],
)
def test_paths_are_cut_to_file_names(text, expected):
    assert outputs.scrub_paths(text) == expected


def test_warnings_read_without_path_line_or_source():
    msgs = outputs.stderr_messages(WARN + "progress 10%\rprogress 100%\n")
    assert msgs == ["UserWarning: ข้อมูลยังไม่ครบ", "progress 100%"]


def _nb_with_outputs():
    cells = [
        new_markdown_cell("# รายงาน\n\nสูตร $x^2$ ราคา $5 และ $10 บาท `$y$`"),
        new_code_cell(
            "a",
            outputs=[
                new_output("stream", name="stdout", text="ผลรวม 12 ราย\n"),
                new_output("stream", name="stderr", text=WARN),
                new_output(
                    "execute_result",
                    data={"text/html": pd.DataFrame({"n": [12345]})._repr_html_()},
                    execution_count=1,
                ),
            ],
        ),
        new_code_cell(
            "b",
            outputs=[
                new_output("stream", name="stderr", text=WARN),
                new_output(
                    "display_data",
                    data={
                        "image/svg+xml": "<svg id='screen'/>",
                        PRINT_SVG_MIME: "<svg id='print'/>",
                    },
                ),
                new_output(
                    "display_data",
                    data={"text/html": "<b>interactive</b>", TABLE_MIME: "<i>static</i>"},
                ),
                new_output(
                    "execute_result",
                    data={"text/plain": "<Axes: title={'center': 'x'}>"},
                    execution_count=2,
                ),
                new_output(
                    "display_data", data={"text/plain": "<Figure size 640x480 with 1 Axes>"}
                ),
            ],
        ),
        new_code_cell(
            "c",
            metadata={"tags": ["remove-cell"]},
            outputs=[new_output("stream", name="stdout", text="ซ่อนทั้งช่อง\n")],
        ),
        new_code_cell(
            "d",
            metadata={"tags": ["remove-output"]},
            outputs=[new_output("stream", name="stdout", text="ซ่อนผล\n")],
        ),
        new_code_cell(
            "visible_code = 1",
            metadata={"tags": ["remove-input"]},
            outputs=[new_output("stream", name="stdout", text="ผลที่เห็น\n")],
        ),
        new_code_cell(
            "shown_code = 2",
            outputs=[
                new_output("error", ename="FileNotFoundError", evalue="/srv/x/a.xlsx", traceback=[])
            ],
        ),
    ]
    return new_notebook(cells=cells)


def test_html_exporter_keeps_what_a_reader_expects():
    html, _ = MchchHTMLExporter().from_notebook_node(_nb_with_outputs())
    assert "ผลรวม 12 ราย" in html and "12,345" in html and 'class="mchch-table"' in html
    svgs = [base64.b64decode(m).decode() for m in re.findall(r"base64,([A-Za-z0-9+/=]+)", html)]
    assert "<svg id='print'/>" in svgs and "<svg id='screen'/>" not in svgs  # print version
    assert "<i>static</i>" in html and "interactive" not in html
    assert "Axes" not in html and "Figure size" not in html
    assert "ซ่อนทั้งช่อง" not in html and "ซ่อนผล" not in html and "ผลที่เห็น" in html
    assert "visible_code" not in html and "shown_code" not in html  # code is left out
    assert "a.xlsx" in html and "/srv/x" not in html
    assert html.count("UserWarning: ข้อมูลยังไม่ครบ") == 1 and "(2 ครั้ง)" in html
    assert html.index("คำเตือนระหว่างประมวลผล") > html.index("ผลที่เห็น")  # annex at the end
    assert "site-packages" not in html and "axes.py" not in html
    assert html.count('class="math"') == 1 and "$5 และ $10" in html and "$y$" in html


def test_code_shown_when_asked_except_remove_input():
    exporter = MchchHTMLExporter(exclude_input=False)
    html, _ = exporter.from_notebook_node(_nb_with_outputs())
    assert "shown_code" in html and "visible_code" not in html


def test_batch_outputs_pass_through_unchanged():
    """The batch's own outputs (HTML fragments and text SVG) are not touched."""
    fragment = '<h2>สรุปผล</h2><table><tbody><tr><td class="num">6007</td></tr></tbody></table>'
    svg = "<svg><text>ก่อน</text></svg>"
    nb = new_notebook(
        cells=[
            new_code_cell(
                "x",
                outputs=[
                    new_output(
                        "display_data", data={"text/html": fragment, "text/plain": "<HTML>"}
                    ),
                    new_output("display_data", data={"image/svg+xml": svg}),
                ],
            )
        ]
    )
    nb2, _ = outputs.ReportOutputsPreprocessor().preprocess(nb, {})
    assert nb2.cells[0].outputs[0]["data"]["text/html"] == fragment
    assert nb2.cells[0].outputs[1]["data"]["image/svg+xml"] == svg
    assert len(nb2.cells) == 1  # no annex without warnings


def test_math_is_drawn_as_vector_images_and_bad_latex_is_noted():
    notes = Counter()
    md = outputs.render_math("ก $a^2$ ข $$\\sum_i x_i$$ ค `$b$` ง 5$ และ 10$", notes)
    assert md.count('<img class="math') == 2 and 'class="math display"' in md
    assert "`$b$`" in md and "5$ และ 10$" in md and not notes
    md = outputs.render_math("$\\frac{1}{$", notes)
    assert "frac" in md and len(notes) == 1 and "\n" not in next(iter(notes))


# ---------------------------------------------------------------- house-style tables
def test_frame_html_house_style():
    cid = thai.make_citizen_id("110170020345")
    df = pd.DataFrame(
        {
            "อำเภอ": ["ตาคลี", "ชุมแสง"],
            "district_code": [6007, 6003],
            "ปี": [2561, 2561],
            "ผู้สมัคร": [12345, 6],
            "ร้อยละ": [55.125, 60.0],
            "citizen_id": [cid, None],
        }
    )
    html = tables.frame_html(df[df["ผู้สมัคร"] > 0])
    assert "<thead>" in html and 'class="mchch-table"' in html
    assert ">12,345<" in html and ">6007<" in html and ">2561<" in html  # codes, years plain
    assert ">55.13<" in html or ">55.12<" in html
    assert cid not in html and thai.mask_citizen_id(cid) in html
    assert not re.search(r"<td[^>]*>0</td>", html)  # no row numbers
    grouped = tables.frame_html(df.groupby("อำเภอ")["ผู้สมัคร"].sum())
    assert '<td class="idx">ชุมแสง</td>' in grouped and "<th >อำเภอ</th>" not in grouped
    long = tables.frame_html(pd.DataFrame({"n": range(30)}), max_rows=10)
    assert long.count("<tr>") == 11 and "แสดง 10 แถวแรกจากทั้งหมด 30 แถว" in long


def test_frame_html_any_dtype():
    """Every kind of column a planner's table may hold (pandas 3 strings, nullable ints and
    booleans, dates, categories, all-missing columns) formats without error."""
    df = pd.DataFrame(
        {
            "s": pd.array(["ก", None], dtype="string"),
            "i": pd.array([1234, None], dtype="Int64"),
            "b": pd.array([True, None], dtype="boolean"),
            "o": [True, None],
            "d": pd.to_datetime(["2018-04-30", None]),
            "c": pd.Categorical(["x", "y"]),
            "f": [float("nan"), float("nan")],
            "t": [(1, 2), {"a": 1}],
        }
    )
    html = tables.frame_html(df)
    assert ">1,234<" in html and ">ใช่<" in html and "30 เม.ย. 61" in html and "(1, 2)" in html


def test_pandas_and_styler_html_restyled():
    df = pd.DataFrame({"อำเภอ": ["ตาคลี"], "district_code": [6007], "n": [12345], "x": [None]})
    plain = tables.restyle_tables(df._repr_html_())
    assert 'class="mchch-table"' in plain and "12,345" in plain and "6,007" not in plain
    assert "<th>0</th>" not in plain and "–" in plain
    named = tables.restyle_tables(df.set_index("อำเภอ")._repr_html_())
    assert named.count("<tr>") == 2  # the index-name row folded into the header
    styler = tables.restyle_tables(df.style.format({"n": "{:d}"})._repr_html_())
    assert "mchch-table" in styler and "12,345" in styler and "row_heading" not in styler


def test_other_html_untouched():
    s = "<p>ข้อความ</p><table><tr><td>1</td></tr></table>"
    assert tables.restyle_tables(s) == s


def test_exporter_notebook_written_and_read(tmp_path):
    """A notebook file written by nbformat converts through the entry-point exporter class."""
    src = tmp_path / "n.ipynb"
    nbformat.write(_nb_with_outputs(), src)
    html, _ = MchchHTMLExporter().from_filename(str(src))
    assert "<title>รายงาน</title>" in html  # the first heading is the title
