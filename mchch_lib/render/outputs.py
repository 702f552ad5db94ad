"""What a reader gets from the outputs of an executed notebook (the exporters' side of
:mod:`mchch_lib.documents.display`): the print version of each chart and table, pandas and Styler tables
in the house style, printed text, math in markdown as vector images, and warnings moved out of
the body into one short annex at the end ("คำเตือนระหว่างประมวลผล"), each distinct warning once
and without machine paths.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections import Counter

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_raw_cell
from traitlets import default

from mchch_lib.documents.display import PRINT_SVG_MIME, TABLE_MIME
from mchch_lib.documents.html_tables import restyle_tables

ANNEX_TITLE = "คำเตือนระหว่างประมวลผล"
ANNEX_MAX = 15  # distinct messages listed; the rest are counted

# "<path>:<line>: <Category>: <message>" as Python's warnings module prints it
_WARNING = re.compile(r"^(?P<where>.+?):(?P<line>\d+): (?P<cat>\w*Warning): (?P<msg>.*)$")
# absolute paths (POSIX, Windows, home, file://), kept down to their last part
_PATH = re.compile(
    r"(?<![\w:/.\\-])(?:file://)?(?:[A-Za-z]:[\\/]|[\\/]|~[\\/])"
    r"(?:[^\s'\"<>|:*?\\/]+[\\/])+([^\s'\"<>|:*?\\/,)]*)"
)
# reprs of objects a cell returned by accident (matplotlib artists, figures), not results
_OBJECT_REPR = re.compile(
    r"^\s*(<[^<>]*>|\[(<[^<>]*>(, )?)+\]|Text\(.*\)|<Figure size .*>)\s*$", re.DOTALL
)
_SKIPPED_MIMES = ("application/vnd.jupyter.widget-view+json", "application/javascript")


def scrub_paths(text: str) -> str:
    """Text with every absolute file path cut down to its file name (no machine paths in a
    report: they say nothing to a reader and tell about the machine)."""
    return _PATH.sub(lambda m: m.group(1) or "…", text)


def _overwritten(text: str) -> str:
    """What a terminal would show of text with carriage returns (progress bars)."""
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def stderr_messages(text: str) -> list[str]:
    """Distinct readable messages of a stderr stream: warnings as "Category: message" (the
    path, line number and source line Python prints are dropped), other lines as they are."""
    out: list[str] = []
    after_warning = False
    for line in _overwritten(text).splitlines():
        m = _WARNING.match(line)
        if m:
            out.append(f"{m['cat']}: {scrub_paths(m['msg']).strip()}")
            after_warning = True
            continue
        if after_warning and line[:1] in (" ", "\t"):
            continue  # the source line Python prints under a warning
        after_warning = False
        if line.strip():
            out.append(scrub_paths(line.strip()))
    return out


def annex_html(notes: Counter) -> str:
    """The annex listing each distinct warning once (with how often it came):
    ``templates/annex/warnings.html.j2``."""
    from mchch_lib.documents import templating

    return templating.render_document(
        "annex/warnings.html.j2",
        title=ANNEX_TITLE,
        notes=list(notes.items())[:ANNEX_MAX],
        rest=len(notes) - ANNEX_MAX,
    )


def _print_version(output) -> dict | None:
    """The data of a display/result output as the report should show it, or None to drop."""
    data = dict(output.get("data", {}))
    if PRINT_SVG_MIME in data:
        return {"image/svg+xml": data[PRINT_SVG_MIME]}
    if TABLE_MIME in data:
        return {"text/html": data[TABLE_MIME]}
    for mime in _SKIPPED_MIMES:
        data.pop(mime, None)
    if "text/html" in data:
        data["text/html"] = restyle_tables(data["text/html"])
    if set(data) <= {"text/plain"} and _OBJECT_REPR.match(str(data.get("text/plain", ""))):
        return None
    return data or None


class ReportOutputsPreprocessor(Preprocessor):
    """Outputs as a reader expects them (see the module docstring)."""

    @default("enabled")
    def _enabled_default(self):
        return True

    def preprocess(self, nb, resources):
        notes: Counter = Counter()
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = render_math(cell.source, notes)
            elif cell.cell_type == "code":
                cell.outputs = [o for o in cell.get("outputs", []) if self._keep(o, notes)]
        if notes:
            annex = new_raw_cell(annex_html(notes))
            annex.metadata["raw_mimetype"] = "text/html"
            nb.cells.append(annex)
        return nb, resources

    def _keep(self, output, notes: Counter) -> bool:
        kind = output.get("output_type")
        if kind == "stream":
            if output.get("name") == "stderr":
                notes.update(stderr_messages(output.get("text", "")))
                return False
            output["text"] = _overwritten(output.get("text", ""))
            return bool(output["text"].strip())
        if kind == "error":
            output["ename"] = scrub_paths(str(output.get("ename", "")))
            output["evalue"] = scrub_paths(str(output.get("evalue", "")))
            return True
        if kind in ("display_data", "execute_result"):
            data = _print_version(output)
            if data is None:
                return False
            output["data"] = data
        return True


# ---------------------------------------------------------------- math in markdown
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?=[^\s$])([^$\n]*?[^\s\\$])\$(?![\w$])")


def _math_img(tex: str, display: bool, notes: Counter) -> str:
    """A formula as an inline SVG image (matplotlib's mathtext, glyphs as paths): the PDF needs
    no MathJax and no font; LaTeX that mathtext cannot draw stays as written, with a note."""
    import matplotlib as mpl
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    buf = io.BytesIO()
    try:
        with mpl.rc_context({"svg.fonttype": "path", "mathtext.fontset": "dejavusans"}):
            mathtext.math_to_image(
                f"${tex.strip()}$",
                buf,
                prop=FontProperties(size=14 if display else 12.5),
                format="svg",
            )
    except ValueError as e:
        reason = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
        notes[f"สูตรคณิตศาสตร์ที่แสดงไม่ได้ (formula not drawn): {tex.strip()} — {reason}"] += 1
        return html.escape(f"$${tex}$$" if display else f"${tex}$")
    src = base64.b64encode(buf.getvalue()).decode("ascii")
    cls = "math display" if display else "math"
    img = f'<img class="{cls}" alt="{html.escape(tex.strip())}" src="data:image/svg+xml;base64,{src}">'
    return f'\n\n<div class="math-display">{img}</div>\n\n' if display else img


def render_math(markdown: str, notes: Counter) -> str:
    """Markdown with ``$...$`` and ``$$...$$`` outside code replaced by images of the formula."""
    if "$" not in markdown:
        return markdown
    parts = _CODE.split(markdown)
    for i in range(0, len(parts), 2):  # even parts are outside code
        text = _DISPLAY_MATH.sub(lambda m: _math_img(m.group(1), True, notes), parts[i])
        parts[i] = _INLINE_MATH.sub(lambda m: _math_img(m.group(1), False, notes), text)
    return "".join(parts)
