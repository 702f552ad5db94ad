"""The app's widgets: the controls above, a tab per view, the district map (ipyleaflet, no tile
layer: nothing is fetched from outside the machine) and the export buttons. The same code runs
in Voilà (``mchch app``) and in JupyterLab (``notebooks/explore.ipynb``)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import time

from mchch_lib.app import controls, figures, views
from mchch_lib.app.views import ALL, Selection

CSS = """<style>
.mchch-app, .mchch-app * { font-family: 'Sarabun', 'Sarabun Thai', sans-serif; }
.mchch-app table { border-collapse: collapse; margin: 4px 0 14px 0; font-size: 14px; }
.mchch-app th, .mchch-app td { border: 1px solid #bbb; padding: 2px 6px; text-align: left; }
.mchch-app th { background: #e8e8e8; }
.mchch-app td.num { text-align: right; font-variant-numeric: tabular-nums; }
.mchch-app caption { text-align: left; font-weight: 700; font-size: 15px; padding: 4px 0; }
.mchch-kpis { display: flex; flex-wrap: wrap; gap: 8px; }
.mchch-kpi { border: 1px solid #999; padding: 4px 10px; min-width: 9em; }
.mchch-kpi b { font-size: 22px; display: block; }
.mchch-legend { font-size: 14px; line-height: 1.5; max-width: 22em; }
.mchch-legend-row { display: flex; align-items: center; gap: 6px; }
.mchch-swatch { display: inline-block; width: 1.6em; height: 1em; }
.mchch-legend-note { margin-top: 8px; }
.mchch-date { font-size: 16px; font-weight: 700; margin-left: 8px; }
.mchch-chart { display: block; max-width: 760px; width: 100%; margin: 6px 0 12px 0; }
</style>"""


def table_html(t: views.Table) -> str:
    if t.frame.empty:
        return f"<p><b>{html.escape(t.title)}</b></p><p>— ไม่มีข้อมูล —</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in t.frame.columns)
    rows = []
    for rec in t.frame.itertuples(index=False):
        cells = []
        for v in rec:
            num = isinstance(v, int | float) and not isinstance(v, bool)
            text = "" if v is None or (num and v != v) or str(v) in ("<NA>", "NaT", "nan") else v
            if isinstance(text, float):
                text = f"{text:,.1f}"
            elif hasattr(text, "strftime"):
                from mchch_lib.common.thai import format_date_th

                text = format_date_th(text, short=True)
            cls = ' class="num"' if num else ""
            cells.append(f"<td{cls}>{html.escape(str(text))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><caption>{html.escape(t.title)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")  # fmt: skip


def kpi_html(ctx, sel: Selection) -> str:
    boxes = "".join(
        f'<div class="mchch-kpi"><b>{html.escape(v)}</b>{html.escape(k)}</div>'
        for k, v in views.kpis(ctx, sel)
    )
    return f'<div class="mchch-kpis">{boxes}</div>'


def _map(ctx, on_click, on_hover):
    """The province's districts shaded by the mean post-development %, without a tile layer."""
    import ipyleaflet as L

    from mchch_lib.data import boundaries
    from mchch_lib.documents import maps

    vals = maps.values(ctx, "post_pct").set_index("code")
    data = boundaries.geojson("district", list(vals.index))
    for f in data["features"]:
        code = int(f["properties"].get("code", str(f.get("id", "0")).removeprefix("TH")))
        f["properties"]["code"] = code
        f["properties"]["style"] = controls.feature_style(vals.loc[code])
    xs = [p[0] for f in data["features"] for p in _points(f["geometry"])]
    ys = [p[1] for f in data["features"] for p in _points(f["geometry"])]
    m = L.Map(center=((min(ys) + max(ys)) / 2, (min(xs) + max(xs)) / 2),
              zoom=fit_zoom(xs, ys, *MAP_PX), zoom_snap=ZOOM_STEP, zoom_delta=2 * ZOOM_STEP,
              scroll_wheel_zoom=True, attribution_control=False,
              layout={"height": f"{MAP_PX[1]}px", "width": f"{MAP_PX[0]}px",
                      "flex": "0 0 auto"})  # fmt: skip
    m.clear()  # no base map: nothing requested outside the machine
    layer = L.GeoJSON(data=data, hover_style={"weight": 3, "color": "#000"})
    layer.on_click(lambda feature=None, **_: on_click(feature["properties"]["code"]))
    layer.on_hover(lambda feature=None, **_: on_hover(feature["properties"]["code"]))
    m.add(layer)
    return m, vals


MAP_PX = (600, 440)
#: Zoom in quarter steps: in whole steps the province filled from half the map to all of it.
ZOOM_STEP = 0.25


def fit_zoom(xs, ys, width: int, height: int) -> float:
    """The largest zoom, in ``ZOOM_STEP`` steps, at which the province (lon ``xs``, lat
    ``ys``) fits the map's pixels (Web Mercator: 256 px for the world at zoom 0), with a
    margin."""
    import math

    def y(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = (max(xs) - min(xs)) / 360 or 1e-6
    dy = (y(max(ys)) - y(min(ys))) / (2 * math.pi) or 1e-6
    zoom = math.log2(0.9 * min(width / dx, height / dy) / 256)
    return max(1.0, min(18.0, math.floor(zoom / ZOOM_STEP) * ZOOM_STEP))


def maps_figure():
    """The figure the app's map shows (the report's classes)."""
    from mchch_lib.documents import maps

    return maps.FIGURES["post_pct"]


def _be_now() -> int:
    from mchch_lib.common.thai import BE_OFFSET

    return dt.date.today().year + BE_OFFSET


def _points(g):
    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    return [p for poly in polys for ring in poly for p in ring]


def _download_link(name: str, data: bytes, mime: str) -> str:
    b64 = base64.b64encode(data).decode()
    return (f'<a download="{html.escape(name)}" href="data:{mime};base64,{b64}" '
            f'class="mchch-download">ดาวน์โหลด {html.escape(name)}</a>')  # fmt: skip


class App:
    """The explorer: ``App(ctx).widget`` is what Voilà and JupyterLab display."""

    def __init__(self, ctx):
        import ipywidgets as w

        self.ctx = ctx
        self.stale: set[str] = set()
        self.charts: dict[tuple, str] = {}
        label = {"description_width": "5em"}
        d_opts = [(ALL, ALL)] + [
            (views.district_label(ctx, c), c)
            for c in sorted(ctx.district_names)
            if c in set(ctx.applicants["district_code"])
        ]
        s_opts = [(ALL, ALL)] + [(ctx.standard_short_th(s), s) for s in views.standards(ctx)]
        self.district = w.Dropdown(options=d_opts, value=ALL, description="อำเภอ", style=label)
        self.standard = w.Dropdown(options=s_opts, value=ALL, description="มาตรฐาน", style=label)
        be = ctx.params.year
        self.asof = controls.ThaiDate(dt.date.today(), range(be - 1, max(be + 1, _be_now()) + 1))
        self.search = w.Text(value="", description="ค้นหา", placeholder="ชื่อ รหัส ตำบล พัฒนากร",
                             style=label, continuous_update=False)  # fmt: skip
        self.sort = w.Dropdown(options=list(views.SORTS), description="เรียงตาม", style=label)
        self.status = w.HTML(value="")
        self.hover = w.HTML(value="ชี้ที่อำเภอบนแผนที่เพื่อดูตัวเลข · คลิกเพื่อเลือกอำเภอ")
        self.panes = {k: w.HTML(value="") for k, _ in views.TABS}
        self.excel, self.pdf = (w.Button(description=t, icon="") for t in
                                ("ส่งออก Excel", "ส่งออก PDF 1 หน้า"))  # fmt: skip
        self.link = w.HTML(value="")
        self.map, self.map_values = _map(ctx, self._clicked, self._hovered)
        figure = maps_figure()
        self.legend = w.HTML(value=controls.legend_html(figure, self.map_values.reset_index()))
        children = []
        for key, _ in views.TABS:
            box = [self.panes[key]]
            if key == "overview":
                side = w.VBox([self.hover, self.legend])
                box = [w.HBox([self.map, side]), self.panes[key]]
            elif key == "units":
                box = [w.HBox([self.search, self.sort]), self.panes[key]]
            elif key == "deadlines":
                box = [self.asof.widget, self.panes[key]]
            children.append(w.VBox(box))
        self.tabs = w.Tab(children=children, titles=[t for _, t in views.TABS])
        for c in (self.district, self.standard, self.search, self.sort):
            c.observe(self._changed, names="value")
        self.asof.observe(lambda: self._changed(None))
        self.tabs.observe(self._tab, names="selected_index")
        self.excel.on_click(self._export_excel)
        self.pdf.on_click(self._export_pdf)
        head = w.HTML(value=CSS + f"<h2>{html.escape(ctx.title)}</h2>")
        bar = w.HBox([self.district, self.standard, self.excel, self.pdf])
        self.widget = w.VBox([head, bar, self.link, self.status, self.tabs])
        self.widget.add_class("mchch-app")
        self._redraw_all()

    @property
    def key(self) -> str:
        return views.TABS[self.tabs.selected_index or 0][0]

    def selection(self) -> Selection:
        return Selection(district=self.district.value, standard=self.standard.value,
                         asof=self.asof.value, search=self.search.value,
                         sort=self.sort.value)  # fmt: skip

    def tables(self, key: str | None = None) -> list[views.Table]:
        return views.VIEWS[key or self.key](self.ctx, self.selection())

    def draw(self, key: str) -> float:
        """Redraw one tab; the seconds it took."""
        t0 = time.perf_counter()
        sel = self.selection()
        head = f"<h3>{html.escape(views.place(self.ctx, sel))}</h3>"
        if key == "overview":
            head += kpi_html(self.ctx, sel)
        tables = views.VIEWS[key](self.ctx, sel)
        if key in figures.KEYS:
            head += self._chart(sel, key)
        if key == "overview":
            tables = tables[1:]  # the numbers are in the boxes above
        body = "".join(table_html(t) for t in tables)
        self.panes[key].value = head + body
        self.stale.discard(key)
        return time.perf_counter() - t0

    def _chart(self, sel: Selection, key: str) -> str:
        """The tab's chart (drawn once per selection it depends on)."""
        k = figures.cache_key(sel, key)
        if k not in self.charts:
            fig = figures.figure(self.ctx, sel, key)
            self.charts[k] = "" if fig is None else figures.chart_html(fig)
        return self.charts[k]

    def _redraw_all(self):
        self.stale = {k for k, _ in views.TABS}
        self._show(self.draw(self.key))

    def _show(self, seconds: float):
        self.status.value = (f'<span class="mchch-redraw" data-seconds="{seconds:.3f}">'
                             f"ปรับการแสดงผลใน {seconds:.2f} วินาที</span>")  # fmt: skip

    def _changed(self, _event):
        self.link.value = ""
        self._redraw_all()

    def _tab(self, _event):
        if self.key in self.stale:
            self._show(self.draw(self.key))

    def _clicked(self, code: int):
        if code in dict(self.district.options).values():
            self.district.value = code

    def _hovered(self, code: int):
        v = self.map_values.loc[code]
        fig = "ยังไม่มีค่า" if v["value"] != v["value"] else f"{v['value']:.1f}"
        fig = fig if v["sent"] else "ไม่ส่งข้อมูล"
        self.hover.value = f"<b>อำเภอ{html.escape(v['name_th'])}</b><br>ร้อยละเฉลี่ยหลังพัฒนา: {fig}"

    def _export_excel(self, _b=None):
        from mchch_lib.app import export

        name, data = export.excel(self)
        self.link.value = _download_link(
            name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def _export_pdf(self, _b=None):
        from mchch_lib.app import export

        self.link.value = "กำลังทำ PDF…"
        name, data = export.pdf(self)
        self.link.value = _download_link(name, data, "application/pdf")


def explorer(ctx):
    """Display the app (in Voilà or JupyterLab) and return it."""
    from IPython.display import display

    app = App(ctx)
    display(app.widget)
    return app
