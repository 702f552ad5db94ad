"""The kernel's side: Sarabun by default, charts and tables as MIME bundles for screen and print,
the starter notebook."""

import json
import re
import subprocess
import sys

import matplotlib as mpl
import nbformat
import pandas as pd
import pytest
from matplotlib.figure import Figure

from mchch_lib import cli
from mchch_lib.common import fonts
from mchch_lib.documents import charts, display
from mchch_lib.documents import starter_notebook as starter
from mchch_lib.errors import MchchError


def _run(code: str) -> str:
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


THAI_PLOT = (
    "import warnings; warnings.simplefilter('error')\n"
    "import pandas as pd\n"
    "ax = pd.Series([1, 2], index=['ก่อนพัฒนา', 'หลังพัฒนา']).plot.bar(title='คะแนนผู้นำชุมชน')\n"
    "ax.figure.savefig('/dev/null', format='png')\n"
)


@pytest.mark.parametrize(
    "code",
    [
        "import mchch_lib\nimport matplotlib.pyplot as plt\n" + THAI_PLOT,  # mchch first
        "import matplotlib.pyplot as plt\nimport mchch_lib\n" + THAI_PLOT,  # matplotlib first
        # a style that asks for the generic sans-serif still gets Sarabun
        "import mchch_lib, matplotlib as mpl\nmpl.rcParams['font.family'] = 'sans-serif'\n"
        + THAI_PLOT,
        # after resetting every default, the documented call brings Sarabun back
        "import mchch_lib, matplotlib.pyplot as plt\nplt.style.use('default')\n"
        "mchch_lib.use_thai()\n" + THAI_PLOT,
    ],
)
def test_thai_charts_by_default_without_glyph_warnings(code):
    _run(code + "print(plt.rcParams['font.family'] if 'plt' in dir() else '')")


def test_importing_mchch_lib_does_not_import_matplotlib():
    out = _run("import sys, mchch_lib\nprint('matplotlib' in sys.modules, mchch_lib.use_thai)")
    assert out.startswith("False")


def test_default_font_is_sarabun_once_matplotlib_comes():
    out = _run("import mchch_lib\nimport matplotlib as mpl\nprint(mpl.rcParams['font.family'])")
    assert out.strip() == "['Sarabun']"


def _thai_figure() -> Figure:
    fonts.register_fonts()
    fig = Figure(figsize=(4, 2))
    fig.add_subplot().set_title("คะแนนเฉลี่ยหลังพัฒนา")
    return fig


def test_chart_bundle_for_screen_has_no_text_that_needs_a_system_font():
    fig = _thai_figure()
    screen = display.figure_bundle(fig, screen=True)
    assert "<text" not in screen["image/svg+xml"] and "<path" in screen["image/svg+xml"]
    assert "<text" in screen[display.PRINT_SVG_MIME]  # print: real, selectable text
    assert "Sarabun" in screen[display.PRINT_SVG_MIME]


def test_chart_bundle_in_batch_is_the_text_svg_as_before():
    """Without a front end show_figure displays what it displayed before (batch unchanged)."""
    fig = _thai_figure()
    assert display.has_frontend() is False  # no kernel, no front end
    with mpl.rc_context({"svg.hashsalt": "same ids"}):
        batch = display.figure_bundle(fig)
        before = charts.figure_to_svg(fig)

    def undated(svg):
        return re.sub(r"<dc:date>.*?</dc:date>", "", svg)

    assert list(batch) == ["image/svg+xml"]
    assert undated(batch["image/svg+xml"]) == undated(before)


def test_table_bundle_interactive_on_screen_static_for_print():
    df = pd.DataFrame({"อำเภอ": ["ตาคลี", "ชุมแสง"], "ผู้สมัคร": [1234, 5]})
    screen = display.table_bundle(df, screen=True)
    assert "ITable" in screen["text/html"] and json.dumps("ค้นหา:") in screen["text/html"]
    assert "unpkg.com" not in screen["text/html"]  # offline: the code is in the output
    assert "1,234" in screen[display.TABLE_MIME] and "<script" not in screen[display.TABLE_MIME]
    again = display.table_bundle(df, screen=True)["text/html"]
    assert len(again) < len(screen["text/html"]) / 10  # the DataTables code is sent once
    assert list(display.table_bundle(df, screen=False)) == ["text/html"]


def test_starter_notebook_written_once(tmp_path):
    path = starter.write_starter("ของฉัน", directory=tmp_path)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata["tags"] and "params_file" in code[0].source
    assert "province_context" in code[1].source
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert sum(c.source.startswith("## ตัวอย่างที่") for c in nb.cells) == 3
    for c in code:  # every example is valid Python
        compile(c.source, "cell", "exec")
    with pytest.raises(MchchError, match="exists"):
        starter.write_starter("ของฉัน", directory=tmp_path)
    with pytest.raises(MchchError, match="not a notebook name"):
        starter.write_starter("../x", directory=tmp_path)


def test_cli_notebook_command(tmp_path, capsys):
    assert cli.main(["notebook", "analysis.ipynb", "--dir", str(tmp_path)]) == 0
    assert (tmp_path / "analysis.ipynb").exists()
    assert "--to mchch_pdf" in capsys.readouterr().out


def test_real_tables_display_on_screen_and_in_print():
    """The explorer's own tables (every dtype the library produces) as both bundles."""
    from mchch_lib import config
    from mchch_lib.documents import report

    ctx = report.province_context(config.PARAMS_DIR / "2561.yaml")
    for df in (ctx.applicants, ctx.indicators.head(200), ctx.findings):
        b = display.table_bundle(df, screen=True)
        assert "ITable" in b["text/html"] and "<table" in b[display.TABLE_MIME]
    assert "<th>0</th>" not in b[display.TABLE_MIME]
