"""The app on national params (``provinces``): a region and province selector first, and only
the chosen province's data read (as a run of that province alone reads it: the same inputs, the
same cache), then that province's explorer below the selector. Placing the inputs reads only
the district column of each workbook (under a second for the 906 workbooks of the national
sample), so the page shows the selector at once instead of reading the whole country."""

from __future__ import annotations

import html
import time

from mchch_lib.app import ui
from mchch_lib.errors import MchchError

ALL_REGIONS = "ทุกภาค"


def placed_inputs(params) -> dict[int, list]:
    """The inputs of each province of the params' scope that has any (code -> sources)."""
    from mchch_lib.data.ingest import discover
    from mchch_lib.data.national_inputs import place

    return place(discover(list(params.inputs)), params.provinces, params.limits).provinces


def province_context(params, code: int, sources: list):
    """The context of one province of a national params, as ``mchch run`` of that province
    alone would make it (its own params: its office, its inputs)."""
    from mchch_lib.data import dataset
    from mchch_lib.data.catalog import load_catalog
    from mchch_lib.data.national_inputs import input_files
    from mchch_lib.data.params import province_params
    from mchch_lib.data.reference import load_province
    from mchch_lib.documents import charts
    from mchch_lib.documents.report import context_of

    pp = province_params(params, code, input_files(sources))
    charts.use_thai_digits(pp.thai_digits)
    full = dataset.load_for_params(pp)
    return context_of(pp, full, None, load_catalog(pp.catalog), load_province(code))


def province_label(code: int) -> str:
    from mchch_lib.data.reference import provinces

    return f"{code} {provinces()[code].name_th}"


class NationalApp:
    """The selector (ภาค, จังหวัด, a button to open) and, below it, the chosen province's
    explorer (``ui.App``); a province opened once is kept, so going back to it is instant."""

    def __init__(self, params, inputs: dict[int, list] | None = None):
        import ipywidgets as w

        from mchch_lib.data.reference import provinces, regions

        self.params = params
        self.inputs = placed_inputs(params) if inputs is None else inputs
        info = provinces()
        self.by_region = {th: [c for c in sorted(self.inputs) if info[c].region_en == en]
                          for en, th in regions().items()}  # fmt: skip
        self.by_region = {r: cs for r, cs in self.by_region.items() if cs}
        label = {"description_width": "5em"}
        self.region = w.Dropdown(options=[ALL_REGIONS, *self.by_region], value=ALL_REGIONS,
                                 description="ภาค", style=label)  # fmt: skip
        self.province = w.Dropdown(options=[], description="จังหวัด", style=label)
        self.open_button = w.Button(description="เปิดข้อมูลจังหวัด", button_style="primary")
        self.status = w.HTML(value="")
        self.body = w.VBox([])
        self.apps: dict[int, ui.App] = {}
        self.region.observe(lambda _e: self._fill(), names="value")
        self.open_button.on_click(lambda _b: self.open(self.province.value))
        head = w.HTML(value=ui.CSS + f"<h2>{html.escape(self._title())}</h2>")
        pick = w.HBox([self.region, self.province, self.open_button])
        self.widget = w.VBox([head, pick, self.status, self.body])
        self.widget.add_class("mchch-app")
        self._fill()
        self.status.value = self._hint()
        if len(self.inputs) == 1:  # one province: nothing to choose
            self.open(next(iter(self.inputs)))

    def _title(self) -> str:
        return f"ผลการดำเนินงานมาตรฐานการพัฒนาชุมชน ปี {self.params.year} ระดับประเทศ"

    def _hint(self) -> str:
        n, scope = len(self.inputs), len(self.params.provinces)
        missing = f" (อีก {scope - n} จังหวัดยังไม่มีข้อมูล)" if scope > n else ""
        return (f"<p>มีข้อมูล {n} จังหวัด{missing} · เลือกภาคและจังหวัด แล้วกด "
                "“เปิดข้อมูลจังหวัด” (อ่านเฉพาะข้อมูลของจังหวัดที่เลือก)</p>")  # fmt: skip

    def _fill(self) -> None:
        r = self.region.value
        codes = sorted(self.inputs) if r == ALL_REGIONS else self.by_region[r]
        self.province.options = [(province_label(c), c) for c in codes]
        self.province.value = codes[0] if codes else None  # ipywidgets keeps None otherwise

    def open(self, code: int | None) -> ui.App | None:
        """Show the explorer of province ``code`` (read on first use)."""
        if code is None:
            return None
        name = html.escape(province_label(code))
        if code not in self.apps:
            self.open_button.disabled = True
            self.status.value = (f'<p class="mchch-loading">กำลังอ่านข้อมูลจังหวัด {name} '
                                 "(ครั้งแรกอาจใช้เวลาสักครู่)…</p>")  # fmt: skip
            t0 = time.perf_counter()
            try:
                ctx = province_context(self.params, code, self.inputs[code])
                self.apps[code] = ui.App(ctx)
            except MchchError as e:  # said on the page, in Thai first (the message is)
                self.status.value = f"<p>อ่านข้อมูลจังหวัด {name} ไม่ได้: {html.escape(str(e))}</p>"
                return None
            finally:
                self.open_button.disabled = False
            took = time.perf_counter() - t0
            self.status.value = f"<p>เปิดข้อมูลจังหวัด {name} ใน {took:.1f} วินาที</p>"
        else:
            self.status.value = f"<p>จังหวัด {name}</p>"
        self.body.children = [self.apps[code].widget]
        return self.apps[code]


def explorer(params_file):
    """Display the app of a params file (a province's, or the national selector) and return
    it: what ``mchch app`` runs in Voilà."""
    from IPython.display import display

    from mchch_lib.data.params import load_params

    params = load_params(params_file)
    if not params.is_national:
        from mchch_lib.documents import report

        return ui.explorer(report.province_context(params_file))
    app = NationalApp(params)
    display(app.widget)
    return app
