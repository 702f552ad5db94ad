"""One templating mechanism and one escape gate for the HTML mchch writes: report sections
(``templates/sections/*.html.j2``), whole documents such as the certificates
(``templates/<kind>/*.html.j2``), the bundle's index page and summary
(``templates/bundle/``) and the warnings annex of a report (``templates/annex/``).

Jinja2 with autoescape on (text from a workbook can never become markup) and
``StrictUndefined`` (a misspelt name in a template is an error, never an empty string), and
filters that write numbers and dates the Thai way, with Thai digits when the params ask for
them (``output.thai_digits``). Tables are built in Python (``table_html``), data to cells, and
come back as safe markup.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from markupsafe import Markup, escape

from mchch_lib import config
from mchch_lib.common import thai

SECTIONS_DIR = config.TEMPLATES_DIR / "sections"

#: Columns that get room (names, messages) or never wrap (ids), by column name.
_WIDE = {"name", "name_th", "message_th", "issues", "ready_reason_th", "topic"}
_IDS = {"applicant_id", "id_masked"}
#: Text formats that are a cell class (report.css): names get room, ids and places one line.
_TEXT_CLASSES = ("wide", "id", "nowrap")
#: Column formats: decimals of each numeric format.
_DECIMALS = {"int": 0, "1dp": 1, "pct": 1}


def digits(text: object, thai_digits: bool) -> str:
    """The text with Thai digits (๐–๙) when asked."""
    s = "" if text is None else str(text)
    return thai.to_thai_digits(s) if thai_digits else s


@lru_cache(maxsize=2)
def environment(thai_digits: bool = False):
    """The Jinja2 environment of the section templates (one per digit style)."""
    return _environment(str(SECTIONS_DIR), thai_digits)


@lru_cache(maxsize=4)
def _environment(root: str, thai_digits: bool):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(root),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["num"] = lambda x, d=0: thai.format_number(x, d, thai_digits)
    env.filters["pct"] = lambda x, d=1: thai.format_number(x, d, thai_digits)
    env.filters["date_th"] = lambda d: thai.format_date_th(d, thai_digits=thai_digits)
    env.filters["digits"] = lambda s: digits(s, thai_digits)
    env.globals["table"] = lambda df, columns, formats=None, caption=None, total=None: table_html(
        df, columns, formats, caption, thai_digits, total
    )
    return env


def render(name: str, thai_digits: bool = False, **view) -> Markup:
    """A section template (``name``.html.j2) rendered with the figures of its view."""
    template = environment(thai_digits).get_template(f"{name}.html.j2")
    return Markup(template.render(**view).strip())


def render_document(name: str, thai_digits: bool = False, **view) -> str:
    """A whole HTML document from ``templates/<name>`` (e.g. ``certificate/certificate.html.j2``),
    through the same escape gate and filters as the sections."""
    template = _environment(str(config.TEMPLATES_DIR), thai_digits).get_template(name)
    return template.render(**view)


def _format(col: str, series: pd.Series, formats: dict[str, str]) -> str:
    if col in formats:
        return formats[col]
    if pd.api.types.is_bool_dtype(series):
        return "text"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "1dp"
    return "text"


def _cell(value: object, fmt: str, thai_digits: bool) -> Markup:
    if fmt == "change":  # a signed change, a decline marked (bold dark red, the sign "−")
        v = thai.round_half_up(value, 1)
        if v is None:
            return Markup('<td class="num"></td>')
        text = ("+" if v > 0 else "−" if v < 0 else "") + thai.format_number(abs(v), 1, thai_digits)
        return Markup('<td class="num{}">{}</td>').format(" decline" if v < 0 else "", text)
    if fmt == "numtext":  # a number already written (a signed change, a dash): right-aligned
        text = "" if value is None else str(value)
        down = text[:1] in ("-", "−") and len(text) > 1  # a decline, marked
        return Markup('<td class="num{}">{}</td>').format(" decline" if down else "", text)
    if fmt in _DECIMALS:
        return Markup('<td class="num">{}</td>').format(
            thai.format_number(value, _DECIMALS[fmt], thai_digits)
        )
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
    if fmt == "words":  # a person's name: lines break between its words, never inside one
        words = (Markup('<span class="nowrap">{}</span>').format(w) for w in str(text).split())
        return Markup("<td>{}</td>").format(Markup(" ").join(words))
    return Markup('<td class="{}">{}</td>').format(fmt if fmt in _TEXT_CLASSES else "", text)


def table_html(
    df: pd.DataFrame,
    columns: dict[str, str],
    formats: dict[str, str] | None = None,
    caption: str | None = None,
    thai_digits: bool = False,
    total: bool | dict | None = None,
) -> Markup:
    """A report table: Thai headers, numbers right-aligned and formatted, text escaped.

    ``formats`` maps a column to ``int``, ``1dp``, ``pct``, ``text``, ``wide`` (names and
    messages get room), ``id`` (never wraps, smaller), ``nowrap`` (a short text kept on one
    line, such as a tambon and its village number), ``words`` (lines break only between
    words: a person's name, where Thai line breaking would cut inside one) or ``change`` (a signed change, 1 decimal, a decline marked) or ``numtext`` (text already written as a number,
    such as a signed change, aligned as one); by default integer columns show no decimals,
    float columns one, and the name and id columns get their room. ``total``: a last row
    "รวม" (True: the sums of the integer columns; a dict: those sums with the cells it gives,
    e.g. a mean of the whole rather than a sum of means, "" to leave a cell empty)."""
    formats = dict(formats or {})
    for c in columns:
        if c not in formats:
            if c in _WIDE:
                formats[c] = "wide"
            elif c in _IDS:
                formats[c] = "id"
    fmts = {c: _format(c, df[c], formats) if c in df else "text" for c in columns}
    head = Markup("").join(
        Markup('<th class="{}">{}</th>').format(
            "num" if fmts[c] in _DECIMALS or fmts[c] in ("numtext", "change") else "", h
        )
        for c, h in columns.items()
    )
    body = [
        Markup("<tr>{}</tr>").format(
            Markup("").join(_cell(rec.get(c), fmts[c], thai_digits) for c in columns)
        )
        for rec in df.to_dict("records")
    ]
    if not body:
        body = [Markup('<tr><td colspan="{}">— ไม่มีข้อมูล —</td></tr>').format(len(columns))]
    elif total is not None and total is not False:
        body.append(_total_row(df, columns, fmts, total, thai_digits))
    cap = Markup("<caption>{}</caption>").format(caption) if caption else Markup("")
    return Markup("<table>{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(
        cap, head, Markup("").join(body)
    )


def _total_row(df, columns, fmts, total, thai_digits: bool) -> Markup:
    """The "รวม" row: the first column's label, the sums of the integer columns, and the cells
    ``total`` gives (a dict)."""
    first = next(iter(columns))
    cells = {first: "รวม"}
    cells |= {c: int(df[c].sum()) for c in columns if fmts[c] == "int" and c in df and c != first}
    if isinstance(total, dict):
        cells |= total
    row = Markup("").join(
        _cell(cells.get(c), fmts[c] if c != first else "text", thai_digits)
        if cells.get(c) != ""
        else Markup("<td></td>")
        for c in columns
    )
    return Markup('<tr class="total">{}</tr>').format(row)


__all__ = ["Markup", "digits", "environment", "escape", "render", "render_document", "table_html"]
