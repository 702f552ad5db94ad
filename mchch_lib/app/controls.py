"""Two pieces of the app that speak Thai where a browser would not: a date chosen as day, Thai
month and Buddhist-era year (a browser's date input shows the Gregorian date of its locale),
and the map's legend (the report's classes and colours, with the unit, and the districts that
sent nothing)."""

from __future__ import annotations

import calendar
import datetime as dt
import html

from mchch_lib.common.thai import BE_OFFSET, THAI_MONTHS, format_date_th

#: How a district that sent nothing and one that sent data with no value are drawn on the
#: app's map (ipyleaflet cannot hatch as the report does: a dashed outline instead)
NOT_SENT_STYLE = {"fillColor": "#ffffff", "fillOpacity": 0.9, "dashArray": "4 3"}
NO_VALUE_STYLE = {"fillColor": "#ffffff", "fillOpacity": 0.9}


class ThaiDate:
    """A date chosen as วัน / เดือน / ปี พ.ศ. with the date written out in Thai beside it
    ("5 ธันวาคม 2569"). ``value`` is the ``datetime.date``; ``widget`` is what is shown;
    ``observe(fn)`` calls ``fn()`` once per change of the date."""

    def __init__(self, value: dt.date, years: range, description: str = "ณ วันที่"):
        import ipywidgets as w

        if value.year + BE_OFFSET not in years:
            years = range(min(years.start, value.year + BE_OFFSET),
                          max(years.stop, value.year + BE_OFFSET + 1))  # fmt: skip
        narrow = {"width": "auto"}
        self.day = w.Dropdown(options=list(range(1, 32)), value=value.day, layout=narrow,
                              description=description, style={"description_width": "5em"})  # fmt: skip
        self.month = w.Dropdown(options=[(m, i) for i, m in enumerate(THAI_MONTHS, 1)],
                                value=value.month, layout=narrow)  # fmt: skip
        self.year = w.Dropdown(options=[(f"พ.ศ. {y}", y) for y in years],
                               value=value.year + BE_OFFSET, layout=narrow)  # fmt: skip
        self.today = w.Button(description="วันนี้", layout=narrow)
        self.label = w.HTML(value="")
        self.widget = w.HBox([self.day, self.month, self.year, self.today, self.label])
        self._callbacks, self._busy = [], False
        for c in (self.day, self.month, self.year):
            c.observe(self._changed, names="value")
        self.today.on_click(lambda _b: self.set(dt.date.today()))
        self._label()

    @property
    def value(self) -> dt.date:
        y = self.year.value - BE_OFFSET
        return dt.date(y, self.month.value, min(self.day.value, _last_day(y, self.month.value)))

    def set(self, d: dt.date) -> None:
        """Choose ``d`` (one change for the observers)."""
        if d.year + BE_OFFSET not in dict(self.year.options).values():
            self.year.options = sorted({*self.year.options, (f"พ.ศ. {d.year + BE_OFFSET}",
                                                             d.year + BE_OFFSET)},
                                       key=lambda o: o[1])  # fmt: skip
        self._busy = True
        try:
            self.day.value, self.month.value, self.year.value = d.day, d.month, d.year + BE_OFFSET
        finally:
            self._busy = False
        self._changed(None)

    def observe(self, fn) -> None:
        self._callbacks.append(fn)

    def _changed(self, _event) -> None:
        if self._busy:
            return
        d = self.value
        if self.day.value != d.day:  # 31 กุมภาพันธ์: the month's last day
            self._busy = True
            try:
                self.day.value = d.day
            finally:
                self._busy = False
        self._label()
        for fn in self._callbacks:
            fn()

    def _label(self) -> None:
        self.label.value = (f'<span class="mchch-date">วันที่ {html.escape(format_date_th(self.value))}'
                            "</span>")  # fmt: skip


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def legend_entries(figure, values) -> list[tuple[str, str, dict]]:
    """The legend's lines, as the report's map has them: each class high to low (label,
    colour, style), then the districts that sent nothing and, when there is one, a district
    that sent data with no value."""
    from mchch_lib.documents import maps

    out = [(lbl, c, {"fillColor": c}) for c, lbl in
           zip(figure.colours[::-1], figure.labels[::-1], strict=True)]  # fmt: skip
    out.append((maps.NOT_SENT_TH, "#ffffff", NOT_SENT_STYLE))
    if (values["sent"] & values["colour"].isna()).any():
        out.append((maps.NO_VALUE_TH, "#ffffff", NO_VALUE_STYLE))
    return out


def feature_style(row) -> dict:
    """The map style of a district of ``maps.values`` (its class colour, else not sent / no
    value)."""
    base = {"fillOpacity": 0.85, "color": "#444", "weight": 1}
    if not row["sent"]:
        return base | NOT_SENT_STYLE
    if row["colour"] is None or row["colour"] != row["colour"]:
        return base | NO_VALUE_STYLE
    return base | {"fillColor": row["colour"]}


def legend_html(figure, values) -> str:
    """The legend beside the map, and a Thai note naming the districts that sent nothing."""
    rows = []
    for label, colour, style in legend_entries(figure, values):
        border = "1px dashed #444" if style.get("dashArray") else "1px solid #444"
        rows.append(f'<div class="mchch-legend-row" data-colour="{colour}">'
                    f'<span class="mchch-swatch" style="background:{colour};border:{border}">'
                    f"</span>{html.escape(label)}</div>")  # fmt: skip
    missing = values.loc[~values["sent"], "name_th"].tolist()
    note = (f"อำเภอที่ไม่ส่งข้อมูล {len(missing)} อำเภอ: {' '.join(missing)}"
            if missing else "ทุกอำเภอส่งข้อมูลแล้ว")  # fmt: skip
    return (f'<div class="mchch-legend"><b>{html.escape(figure.title_th)}</b><br>'
            f"({html.escape(figure.unit_th)}){''.join(rows)}"
            f'<p class="mchch-legend-note">{html.escape(note)}</p></div>')  # fmt: skip
