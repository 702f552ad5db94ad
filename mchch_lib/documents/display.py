"""What a notebook shows, for a person at a screen and for the PDF made from it.

Each chart and table is displayed as one MIME bundle with a version for each reader:

- charts: ``image/svg+xml`` with the glyphs drawn as paths (JupyterLab shows an SVG as an
  ``<img>``, which cannot use the page's fonts, so only paths are sure to show Thai on a PC
  without Sarabun) and :data:`PRINT_SVG_MIME` with the text kept as text, which the mchch
  exporters prefer (WeasyPrint draws it with the embedded Sarabun: selectable, searchable);
- tables (DataFrame, Series): ``text/html`` an interactive table (itables: sort, search, pages;
  its JavaScript ships with the package, so it works offline) and :data:`TABLE_MIME` the static
  house-style table (:mod:`mchch_lib.documents.html_tables`) the exporters print.

The screen versions are made only when a front end asked for the code being run (JupyterLab,
Notebook 7, a widget event). Run by papermill or nbclient (the batch, ``nbconvert --execute``)
nobody looks at a screen: a chart is the text SVG alone under ``image/svg+xml`` (as before; the
path version costs ~50 ms a chart) and a table its static HTML alone.
"""

from __future__ import annotations

import io
import os
import sys

PRINT_SVG_MIME = "application/vnd.mchch.svg+xml"
TABLE_MIME = "application/vnd.mchch.table+html"

_settings = {"interactive": True}
_itables_sent: set[int] = set()  # id() of the shells into which the DataTables code was sent

_THAI_DATATABLES = {
    "search": "ค้นหา:",
    "info": "แถวที่ _START_–_END_ จาก _TOTAL_ แถว",
    "infoEmpty": "ไม่มีข้อมูล",
    "infoFiltered": "(กรองจาก _MAX_ แถว)",
    "lengthMenu": "แสดง _MENU_ แถวต่อหน้า",
    "zeroRecords": "ไม่พบแถวที่ตรงกับคำค้น",
    "emptyTable": "ไม่มีข้อมูล",
}


def _shell():
    """The running IPython shell, or None (never imports IPython outside a kernel)."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    return get_ipython()


def has_frontend() -> bool:
    """True when a notebook front end sent the request being executed: JupyterLab and
    Notebook 7 mark execute requests with ``cellId``/``recordTiming`` metadata, and widget
    events arrive as comm messages. papermill and nbclient send neither. The environment
    variable ``MCHCH_SCREEN=1`` (or ``0``) says it for a front end that is not recognised."""
    forced = os.environ.get("MCHCH_SCREEN")
    if forced in ("0", "1"):
        return forced == "1"
    ip = _shell()
    kernel = getattr(ip, "kernel", None)
    if kernel is None:
        return False
    header = getattr(ip, "parent_header", None) or {}
    if not header:
        header = kernel.get_parent("shell") or {}
    if header.get("header", {}).get("msg_type") in ("comm_msg", "comm_open"):
        return True
    meta = header.get("metadata") or {}
    return "cellId" in meta or "recordTiming" in meta


def _svg(fig, fonttype: str, **kw) -> str:
    import matplotlib as mpl

    buf = io.StringIO()
    with mpl.rc_context({"svg.fonttype": fonttype}):
        fig.savefig(buf, format="svg", **kw)
    return buf.getvalue()


def figure_bundle(fig, screen: bool | None = None) -> dict[str, str]:
    """MIME bundle of a chart: for a screen (``screen=True``, default: when a front end is
    there) the SVG with glyphs as paths plus the text SVG for print; else the text SVG only."""
    text = _svg(fig, "none")
    if screen is None:
        screen = has_frontend()
    if not screen:
        return {"image/svg+xml": text}
    return {"image/svg+xml": _svg(fig, "path"), PRINT_SVG_MIME: text}


def interactive_tables(on: bool = True) -> None:
    """Turn the interactive (sortable, searchable, paged) display of DataFrames in JupyterLab
    on or off; PDFs always get the static house-style table."""
    _settings["interactive"] = bool(on)


def _interactive_html(obj, caption: str | None = None) -> str:
    import pandas as pd
    from itables import javascript as itjs
    from itables import options as itopt

    from mchch_lib.documents.html_tables import meaningful_index

    frame = obj.to_frame(name="ค่า" if obj.name is None else obj.name) if obj.ndim == 1 else obj
    if meaningful_index(frame.index):  # labels as ordinary columns: one header row
        frame = frame.reset_index(allow_duplicates=True)
    numeric = [
        pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in frame.dtypes
    ]
    # JupyterLab right-aligns every cell of HTML output: text left, numbers right
    align = [
        {"className": cls, "targets": [i for i, n in enumerate(numeric) if n == want]}
        for cls, want in (("dt-right", True), ("dt-left", False))
        if want in numeric
    ]
    with pd.option_context("display.precision", 2):  # 62.50, not 62.500000
        html = itjs.to_html_datatable(
            frame,
            columnDefs=align,
            caption=caption,
            connected=False,
            showIndex=False,
            maxBytes="4MB",
            language=_THAI_DATATABLES,
            classes="display nowrap compact",
            lengthMenu=[10, 25, 50, 100, 500],
        )
    ip = _shell()
    if id(ip) not in _itables_sent:  # the DataTables code, once per kernel (offline, ~0.7 MB)
        init = itjs.generate_init_offline_itables_html(itopt.dt_bundle)
        init = init.split('\n<div style="vertical-align:middle', 1)[0]  # no "trusted?" notice
        html = init + html
        _itables_sent.add(id(ip))
    return html


def table_bundle(obj, caption: str | None = None, screen: bool | None = None) -> dict[str, str]:
    """MIME bundle of a DataFrame or Series: the interactive table and the static one for a
    screen, the static house-style table alone otherwise."""
    from mchch_lib.documents import html_tables as tables

    static = tables.frame_html(obj, caption=caption)
    if screen is None:
        screen = _settings["interactive"] and has_frontend()
    if not screen:
        return {"text/html": static}
    return {"text/html": _interactive_html(obj, caption), TABLE_MIME: static}


def show_table(obj, caption: str | None = None) -> None:
    """Display a DataFrame or Series as a table: interactive in JupyterLab, house style in the
    PDF (Thai header, numbers right-aligned with thousands separators, no row numbers)."""
    from IPython.display import display

    display(table_bundle(obj, caption), raw=True)


def _frame_mimebundle(obj, include=None, exclude=None):
    return table_bundle(obj)


def _figure_mimebundle(fig, include=None, exclude=None):
    """A matplotlib figure shown the ordinary way (pandas ``.plot()``, ``plt``): the inline
    backend adds its PNG for the screen (drawn with Sarabun, no system font needed); this adds
    the text SVG the exporters print (vector, the Thai selectable)."""
    return {PRINT_SVG_MIME: _svg(fig, "none", bbox_inches="tight")}


def install_in_kernel() -> None:
    """In a Jupyter kernel, display every DataFrame and Series through :func:`table_bundle`
    and give every matplotlib figure a print version (pandas and matplotlib are not imported:
    the formatters are registered by type name)."""
    ip = _shell()
    if ip is None or getattr(ip, "kernel", None) is None:
        return
    fmt = ip.display_formatter.mimebundle_formatter
    for module in ("pandas", "pandas.core.frame", "pandas.core.series"):
        for name in ("DataFrame", "Series"):
            fmt.for_type_by_name(module, name, _frame_mimebundle)
    fmt.for_type_by_name("matplotlib.figure", "Figure", _figure_mimebundle)
