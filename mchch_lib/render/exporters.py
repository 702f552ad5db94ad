"""Executed notebook → HTML (the project's own nbconvert template: no code, Thai typography,
A4 print CSS) → PDF with WeasyPrint (Pango + libthai break Thai lines at word boundaries).

Registered as nbconvert exporters (``mchch_pdf``, ``mchch_html``), so a planner can run
``jupyter nbconvert --to mchch_pdf my.ipynb`` on a notebook of their own. What a reader expects
is kept (cell results, displayed tables and charts, printed text, errors); code is left out
(``--TemplateExporter.exclude_input=False`` shows it); the standard tags ``remove-cell``,
``remove-output`` and ``remove-input`` are honoured; warnings go to a short annex at the end
(:mod:`mchch_lib.render.outputs`). With ``--execute`` the kernel first imports mchch_lib, so charts
default to the bundled Sarabun and DataFrames print in the house style.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import default
from traitlets.config import Config

from mchch_lib import config
from mchch_lib.common.atomic import atomic_path
from mchch_lib.common.keys import code_version, portable
from mchch_lib.config import PROVENANCE_MIME


@lru_cache(maxsize=1)
def report_css() -> str:
    """The report stylesheet with the bundled Sarabun fonts wired in by file URL."""
    css = (config.TEMPLATES_DIR / "mchch" / "report.css").read_text(encoding="utf-8")
    for key, weight in (
        ("font_regular", "Regular"),
        ("font_bold", "Bold"),
        ("font_italic", "Italic"),
        ("font_semibold", "SemiBold"),
    ):
        css = css.replace("{" + key + "}", (config.FONTS_DIR / f"Sarabun-{weight}.ttf").as_uri())
    return css


def find_provenance(nb) -> dict:
    """The provenance record displayed by the notebook, or what the notebook metadata tells."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PROVENANCE_MIME in data:
                rec = data[PROVENANCE_MIME]
                return json.loads(rec) if isinstance(rec, str) else dict(rec)
    pm = nb.metadata.get("papermill", {})  # a planner's notebook run by papermill
    return {"parameters": portable(pm.get("parameters", {})), "code_version": code_version()}


def _meta(prov: dict, title: str) -> dict[str, str]:
    """HTML meta tags WeasyPrint writes into the PDF info dictionary. Custom names are
    lower case without separators because WeasyPrint folds them so (``/mchchinputhash``)."""
    params = prov.get("parameters", {})
    return {
        "author": prov.get("office_th", "mchch"),
        "generator": f"mchch {prov.get('code_version') or code_version()}",
        "description": title,
        "keywords": "มชช., มาตรฐานการพัฒนาชุมชน",
        "dcterms.created": prov.get("created", dt.datetime.now().isoformat(timespec="seconds")),
        "mchchinputhash": prov.get("input_hash", ""),
        "mchchparams": json.dumps(params, ensure_ascii=False, sort_keys=True, default=str),
        "mchchparamshash": prov.get("params_hash", ""),
        "mchchcodeversion": prov.get("code_version") or code_version(),
    }


def _css_string(text: str) -> str:
    """Text safe inside a CSS double-quoted string."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _first_heading(nb) -> str | None:
    """The first markdown heading of a notebook (the title of a planner's own report)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip() or None
    return None


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


#: Run in the kernel before the first cell under ``--execute`` (see MchchExecutePreprocessor).
KERNEL_SETUP = "import mchch_lib as _mchch_lib\ndel _mchch_lib"


class MchchExecutePreprocessor(ExecutePreprocessor):
    """nbconvert's ``--execute`` with mchch's notebook defaults set in the kernel first, so a
    notebook that never imports mchch_lib still gets Sarabun charts and house-style tables."""

    def preprocess_cell(self, cell, resources, index):
        if index == 0:
            self._set_up_kernel()
        return super().preprocess_cell(cell, resources, index)

    def _set_up_kernel(self) -> None:
        msg_id = self.kc.execute(KERNEL_SETUP, silent=True, store_history=False)
        reply = self.wait_for_reply(msg_id)
        status = (reply or {}).get("content", {}).get("status")
        if status != "ok":
            self.log.warning(
                "mchch: the kernel could not import mchch_lib (status %s): charts keep "
                "matplotlib's own font and tables pandas' own style",
                status,
            )


class MchchHTMLExporter(HTMLExporter):
    """HTML of a report notebook: outputs and markdown only, Sarabun, print CSS."""

    export_from_notebook = "mchch report HTML"

    # Execution comes before the tag removal (so a hidden set-up cell still runs), and the
    # outputs are brought to the house style last (mchch_lib.render.outputs).
    default_preprocessors = [
        "nbconvert.preprocessors.ClearOutputPreprocessor",
        "mchch_lib.render.exporters.MchchExecutePreprocessor",
        "nbconvert.preprocessors.TagRemovePreprocessor",
        "nbconvert.preprocessors.RegexRemovePreprocessor",
        "nbconvert.preprocessors.CoalesceStreamsPreprocessor",
        "mchch_lib.render.outputs.ReportOutputsPreprocessor",
        "nbconvert.preprocessors.SVG2PDFPreprocessor",
        "nbconvert.preprocessors.LatexPreprocessor",
        "nbconvert.preprocessors.HighlightMagicsPreprocessor",
        "nbconvert.preprocessors.ExtractOutputPreprocessor",
        "nbconvert.preprocessors.ExtractAttachmentsPreprocessor",
        "nbconvert.preprocessors.ClearMetadataPreprocessor",
    ]

    @property
    def default_config(self):
        c = super().default_config
        c.merge(
            Config(
                {
                    "TagRemovePreprocessor": {
                        "enabled": True,
                        "remove_cell_tags": {"remove-cell"},
                        "remove_all_outputs_tags": {"remove-output"},
                        "remove_input_tags": {"remove-input"},
                    },
                    "CoalesceStreamsPreprocessor": {"enabled": True},
                }
            )
        )
        return c

    @default("template_name")
    def _template_name_default(self):
        return "mchch"

    @default("template_file")
    def _template_file_default(self):
        return "index.html.j2"  # also for the PDF exporter, whose extension is .pdf

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(config.TEMPLATES_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("anchor_link_text")
    def _anchor_link_text_default(self):
        return ""  # no pilcrow after headings in a printed report

    def default_filters(self):
        yield from super().default_filters()
        yield ("mchch_b64", _b64)

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        prov = find_provenance(nb)
        title = (
            prov.get("title")
            or _first_heading(nb)
            or resources.get("metadata", {}).get("name", "mchch report")
        )
        resources["mchch"] = {
            "title": title,
            "running_title": prov.get("running_title", title),
            "meta": _meta(prov, title),
            "css": report_css()
            .replace("{header_right}", _css_string(prov.get("header_right", "มชช.")))
            .replace("{running_title}", _css_string(prov.get("running_title", title))),
        }
        return super().from_notebook_node(nb, resources, **kw)


class MchchPDFExporter(MchchHTMLExporter):
    """PDF of a report notebook through WeasyPrint (``jupyter nbconvert --to mchch_pdf``)."""

    export_from_notebook = "mchch report PDF"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        pdf = html_to_pdf_bytes(html)
        resources["output_extension"] = ".pdf"
        return pdf, resources


@lru_cache(maxsize=1)
def _html_exporter() -> MchchHTMLExporter:
    return MchchHTMLExporter()


def notebook_to_html(nb) -> str:
    """HTML of an executed notebook node (one exporter per process: creating one is slow)."""
    html, _ = _html_exporter().from_notebook_node(nb)
    return html


@lru_cache(maxsize=1)
def _font_config():
    import atexit
    import os

    from weasyprint.text.fonts import FontConfiguration

    from mchch_lib.common.atomic import font_folder

    fonts = FontConfiguration()
    fonts._folder = font_folder()  # named by this process: a killed run's is found and removed
    atexit.register(_remove_font_folder, fonts, os.getpid())
    # the report's @font-face rules copied and registered now, and checked: a font that fails
    # to register must stop the reports, not let WeasyPrint set them in a system font
    probe = f"<html><head><style>{report_css()}</style></head><body><p>ก <b>ก</b></p></body></html>"
    check_fonts(_weasy_html(probe).write_pdf(font_config=fonts))
    return fonts


def _weasy_html(html: str, base_url: str | None = None):
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url or str(config.PROJECT_ROOT))


def _remove_font_folder(config, pid: int) -> None:
    """At exit, the temporary folder WeasyPrint copied the report fonts into: removed by the
    process that made the configuration (not by a worker forked from it, which shares the
    folder). WeasyPrint's own clean-up is its ``__del__``, which an ``os._exit`` (the command,
    the pool's workers) never runs and the interpreter's teardown runs too late."""
    import os
    import shutil

    folder = getattr(config, "_folder", None)
    if os.getpid() == pid and folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        config._folder = None  # nothing left for its __del__


def html_to_pdf_bytes(html: str, base_url: str | None = None) -> bytes:
    """PDF bytes of report HTML; fails on a missing font file rather than falling back."""
    from mchch_lib.render import svg_text as svgtext
    from mchch_lib.render.pdf_text_layer import weasyprint_finisher

    svgtext.install()  # chart text shaped whole: Thai tone marks kept (WeasyPrint#2249)
    doc = _weasy_html(html, base_url)
    # full_fonts: embed Sarabun whole instead of subsetting it with fontTools per document
    # (about 0.3 s a report; the PDF grows by ~0.4 MB, still far from the CD limit), and
    # glyph ids stay the font's own, which the Thai text-layer fix relies on; the fix runs as
    # WeasyPrint's finisher, on the PDF objects before they are written (a few ms).
    return doc.write_pdf(
        font_config=_font_config(),
        custom_metadata=True,
        full_fonts=True,
        finisher=weasyprint_finisher,
    )


def warm() -> None:
    """Build the exporter and WeasyPrint's font configuration now (a batch does it once before
    its workers are forked, so none of them pays it)."""
    import weasyprint  # noqa: F401

    _html_exporter()
    # WeasyPrint copies each @font-face file into a temporary folder of the font configuration
    # when a document first uses it: done here, the workers forked from this process find the
    # fonts there (none copies them again or leaves a folder of its own when it ends), and
    # this process removes the folder at exit (_font_config)
    from mchch_lib.common.atomic import font_folder, naming_disk_full

    with naming_disk_full(font_folder()):  # the fonts are copied there
        _font_config()


def pdf_fonts(pdf: bytes) -> set[str]:
    """The base names of the fonts a PDF uses (subset tags dropped): {"Sarabun", ...}."""
    import io

    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def check_fonts(pdf: bytes) -> None:
    """Raise unless the PDF is set in the bundled Sarabun only: a font WeasyPrint failed to
    register is replaced by a system one (Loma, DejaVu) without a word, and every report of
    the process would be typeset in it."""
    others = sorted(f for f in pdf_fonts(pdf) if not f.startswith("Sarabun"))
    if others:
        raise RuntimeError(
            f"ฟอนต์ Sarabun ไม่ถูกใช้ในรายงาน (ใช้ {', '.join(others)} แทน) / the report fonts were "
            f"not registered; the PDF uses {', '.join(others)} instead of Sarabun"
        )


def write_outputs(nb, pdf_path: Path, html_path: Path | None = None) -> dict:
    """Render an executed notebook to PDF (and HTML), each written atomically."""
    html = notebook_to_html(nb)
    if html_path is not None:  # its fonts by name, not by this machine's folder
        with atomic_path(html_path) as tmp:
            tmp.write_text(html.replace(config.FONTS_DIR.as_uri() + "/", ""), encoding="utf-8")
    pdf = html_to_pdf_bytes(html)
    with atomic_path(pdf_path) as tmp:
        tmp.write_bytes(pdf)
    return {"pdf_bytes": len(pdf)}
