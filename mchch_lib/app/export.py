"""The app's exports of the current selection: an Excel workbook (a sheet per table of every
tab, text neutralized against formulas, IDs masked) and a one-page PDF in the house style."""

from __future__ import annotations

import io

from mchch_lib.app import views
from mchch_lib.common.keys import safe_name
from mchch_lib.common.sanitize import mask_frame, neutralize_frame


def _stem(app) -> str:
    sel = app.selection()
    where = "จังหวัด" if sel.district == views.ALL else str(sel.district)
    return safe_name(f"มชช_{app.ctx.params.year}_{where}")


def excel(app) -> tuple[str, bytes]:
    """(file name, bytes) of the selection's tables, one sheet each."""
    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for key, title in views.TABS:
            for i, t in enumerate(app.tables(key), 1):
                frame = neutralize_frame(mask_frame(t.frame))
                sheet = f"{title} {i}"[:31]
                pd.DataFrame({"": [views.place(app.ctx, app.selection()), t.title]}).to_excel(
                    xw, sheet_name=sheet, index=False, header=False
                )
                frame.to_excel(xw, sheet_name=sheet, index=False, startrow=3)
    return f"{_stem(app)}.xlsx", buf.getvalue()


def _html(app, rows: int) -> str:
    from mchch_lib.app.ui import kpi_html, table_html
    from mchch_lib.render.exporters import report_css

    sel = app.selection()
    parts = []
    for t in app.tables():
        more = len(t.frame) - rows
        short = views.Table(t.title, t.frame.head(rows))
        parts.append(table_html(short))
        if more > 0:
            parts.append(f'<p class="note">และอีก {more} แถว (ดูครบในไฟล์ Excel)</p>')
    css = report_css().replace("{header_right}", "มชช.").replace("{running_title}", "")
    tab = dict(views.TABS)[app.key]
    return (f"<html><head><meta charset='utf-8'><style>{css}"
            ".kpis-small .mchch-kpis{display:flex;flex-wrap:wrap;gap:2mm;font-size:10pt}"
            ".mchch-kpi{border:0.6pt solid #999;padding:1mm 2mm}.mchch-kpi b{display:block;"
            "font-size:14pt}table{font-size:9pt}</style></head><body>"
            f"<h2>{app.ctx.title}: {tab}</h2><p>{views.place(app.ctx, sel)}</p>"
            f"<div class='kpis-small'>{kpi_html(app.ctx, sel)}</div>{''.join(parts)}"
            "</body></html>")  # fmt: skip


def pdf(app) -> tuple[str, bytes]:
    """(file name, bytes) of a one-page PDF of the current tab: fewer rows until it fits."""
    from pypdf import PdfReader

    from mchch_lib.render.exporters import html_to_pdf_bytes

    rows = 30
    while True:
        data = html_to_pdf_bytes(_html(app, rows))
        if len(PdfReader(io.BytesIO(data)).pages) == 1 or rows <= 3:
            break
        rows = rows * 2 // 3
    return f"{_stem(app)}_{app.key}.pdf", data
