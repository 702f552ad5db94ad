"""House-style HTML tables for notebooks and the PDFs made from them: headers as given (Thai
welcome), numbers right-aligned with thousands separators, zebra rows (report.css), no index
column unless it means something, national IDs masked (PDPA), long tables broken across pages
with the header repeated (``<thead>``, report.css).

Two entry points: :func:`frame_html` builds the table from a DataFrame (in the kernel, where the
dtypes are known); :func:`restyle_tables` brings pandas' own HTML and Styler tables found in an
executed notebook to the same style (in the exporter, for notebooks run without mchch_lib).
"""

from __future__ import annotations

import html as _html
import re

CLASS = "mchch-table"
MAX_ROWS = 2000  # a table in a report longer than this is a data dump: cut, with a note

# Integer columns that are identifiers or years, never "6,007" or "2,561".
_NO_SEPARATOR = re.compile(r"(code|_id$|^id$|year|รหัส|ปี|พ\.ศ|ค\.ศ|หมู่|เลขที่)", re.IGNORECASE)
_CITIZEN_COL = re.compile(r"(citizen|เลขประจำตัวประชาชน|บัตรประชาชน)", re.IGNORECASE)
_CITIZEN_VALUE = re.compile(r"^\d{13}$|^\d-\d{4}-\d{5}-\d{2}-\d$")
_NUMBER = re.compile(r"^[-+\u2212]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(e[-+]?\d+)?%?$", re.IGNORECASE)
_MISSING = {"nan", "NaN", "<NA>", "None", "NaT", ""}


def _esc(x: object) -> str:
    return _html.escape("" if x is None else str(x))


def _label(x: object) -> str:
    if isinstance(x, tuple):
        return " · ".join(str(p) for p in x if str(p) != "")
    return "" if x is None else str(x)


def meaningful_index(index) -> bool:
    """Row numbers (an unnamed integer index, filtered or not) mean nothing to a reader; a named
    index or labels (district names, dates, groupby keys) do."""
    import pandas as pd

    if any(n is not None for n in index.names):
        return True
    return not (isinstance(index, pd.RangeIndex) or pd.api.types.is_integer_dtype(index.dtype))


def _mask_id(v: object) -> str:
    from mchch_lib.common import thai

    s = str(v)
    return thai.mask_citizen_id(s) if thai.citizen_id_valid(s) else s


def _formatter(series, name: str):
    """A function value -> (text, is_number) for one column (any pandas dtype)."""
    import pandas as pd
    from pandas.api import types

    from mchch_lib.common import thai

    def missing(v) -> bool:
        return v is None or (types.is_scalar(v) and bool(pd.isna(v)))

    values = [v for v in series.tolist() if not missing(v)]
    if types.is_bool_dtype(series.dtype) or (values and all(isinstance(v, bool) for v in values)):
        return lambda v: ("" if missing(v) else ("ใช่" if v else "ไม่ใช่"), False)
    numeric = types.is_numeric_dtype(series.dtype) and not types.is_bool_dtype(series.dtype)
    if numeric and all(float(v).is_integer() for v in values):
        sep = "" if _NO_SEPARATOR.search(name) else ","
        return lambda v: ("–" if missing(v) else f"{thai.round_half_up(v, 0):{sep}.0f}", True)
    if numeric:
        return lambda v: (thai.format_number(v, 2), True)
    if types.is_datetime64_any_dtype(series.dtype):
        return lambda v: ("" if missing(v) else thai.format_date_th(v, short=True), False)
    mask = bool(_CITIZEN_COL.search(name))

    def text(v):
        if missing(v):
            return "", False
        s = str(v)
        if mask or _CITIZEN_VALUE.match(s):
            s = _mask_id(s)
        return s, False

    return text


def frame_html(obj, caption: str | None = None, max_rows: int = MAX_ROWS) -> str:
    """A DataFrame or Series as a house-style HTML table (what the PDF shows)."""
    import pandas as pd

    df = obj.to_frame() if isinstance(obj, pd.Series) else obj
    if isinstance(obj, pd.Series) and obj.name is None:
        df.columns = ["ค่า"]
    n = len(df)
    if n > max_rows:
        df = df.head(max_rows)
    if meaningful_index(df.index):
        names = [_label(x) for x in df.index.names]
        df = df.reset_index(names=[f"__index{i}" for i in range(len(names))])
        labels = names + [_label(c) for c in df.columns[len(names) :]]
        n_index = len(names)
    else:
        df = df.reset_index(drop=True)
        labels = [_label(c) for c in df.columns]
        n_index = 0
    fmts = [_formatter(df.iloc[:, j], labels[j]) for j in range(df.shape[1])]
    columns = [[f(v) for v in df.iloc[:, j]] for j, f in enumerate(fmts)]
    numeric = [
        any(num for _, num in col) and all(num or t in ("", "–") for t, num in col)
        for col in columns
    ]
    head = "".join(
        f'<th class="{"num" if numeric[j] else ""}">{_esc(h)}</th>' for j, h in enumerate(labels)
    )
    rows = []
    for i in range(len(df)):
        cells = []
        for j in range(len(labels)):
            text, _ = columns[j][i]
            cls = " ".join(
                c for c in ("idx" if j < n_index else "", "num" if numeric[j] else "") if c
            )
            cells.append(
                f'<td class="{cls}">{_esc(text)}</td>' if cls else f"<td>{_esc(text)}</td>"
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        rows = [f'<tr><td colspan="{max(len(labels), 1)}">— ไม่มีข้อมูล —</td></tr>']
    note = f'<p class="note">แสดง {max_rows:,} แถวแรกจากทั้งหมด {n:,} แถว</p>' if n > max_rows else ""
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    return (
        f'<table class="{CLASS}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{note}"
    )


# ---------------------------------------------------------------- exporter side
def restyle_tables(fragment: str) -> str:
    """pandas' default DataFrame HTML and Styler tables in an HTML fragment, in the house style:
    the class that carries report.css's table style, row numbers dropped, numbers right-aligned
    with thousands separators (not in identifier or year columns), missing values as "–" in
    plain pandas tables, national IDs masked. Other HTML is left as it is."""
    if 'class="dataframe"' not in fragment and '<table id="T_' not in fragment:
        return fragment
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(fragment, "html.parser")
    for table in soup.find_all("table"):
        plain = "dataframe" in (table.get("class") or [])
        styler = str(table.get("id", "")).startswith("T_")
        if plain or styler:
            _restyle(table, plain)
    if soup.find("style", attrs={"scoped": True}):  # pandas' notebook CSS: report.css rules
        for s in soup.find_all("style", attrs={"scoped": True}):
            s.decompose()
    return str(soup)


def _restyle(table, plain: bool) -> None:
    table["class"] = [*[c for c in table.get("class") or [] if c != "dataframe"], CLASS]
    table.attrs.pop("border", None)
    thead, tbody = table.find("thead"), table.find("tbody")
    head_rows = thead.find_all("tr") if thead else []
    for tr in head_rows:
        tr.attrs.pop("style", None)
    _merge_index_name_row(head_rows)
    head_rows = thead.find_all("tr") if thead else []
    body_rows = tbody.find_all("tr") if tbody else []
    if _row_numbers(head_rows, body_rows):
        for tr in [*head_rows, *body_rows]:
            first = tr.find(["th", "td"])
            if first is not None:
                first.decompose()
    labels = _column_labels(head_rows, body_rows)
    for tr in body_rows:
        for j, cell in enumerate(tr.find_all("td")):
            _restyle_cell(cell, labels[j] if j < len(labels) else "", plain)


def _merge_index_name_row(head_rows) -> None:
    """pandas writes a named index as a second header row; fold it into the first."""
    if len(head_rows) != 2:
        return
    first, second = (r.find_all(["th", "td"]) for r in head_rows)
    named = [c for c in second if c.get_text(strip=True)]
    if (
        not named
        or len(second) != len(first)
        or any(c.get_text(strip=True) for c in second[len(named) :])
    ):
        return
    for top, name in zip(first, named, strict=False):
        if top.get_text(strip=True):
            return
        top.string = name.get_text(strip=True)
    head_rows[1].decompose()


def _row_numbers(head_rows, body_rows) -> bool:
    """True when the leading header cell is blank and every row starts with a row number."""
    if not body_rows:
        return False
    heads = [r.find(["th", "td"]) for r in body_rows]
    if any(h is None or h.name != "th" for h in heads):
        return False
    if head_rows:
        top = head_rows[0].find(["th", "td"])
        if top is not None and top.get_text(strip=True).replace("\xa0", ""):
            return False
    texts = [h.get_text(strip=True) for h in heads]
    return all(re.fullmatch(r"\d+", t) or t == "..." for t in texts)


def _column_labels(head_rows, body_rows) -> list[str]:
    """Labels of the data columns (those of ``<td>`` cells), from the last header row."""
    if not head_rows or not body_rows:
        return []
    labels = [c.get_text(strip=True) for c in head_rows[-1].find_all(["th", "td"])]
    lead = 0
    for c in body_rows[0].find_all(["th", "td"]):
        if c.name != "th":
            break
        lead += 1
    return labels[lead:]


def _restyle_cell(cell, label: str, plain: bool) -> None:
    text = cell.get_text(strip=True)
    if plain and text in _MISSING:
        cell.string = "–" if text else ""
        cell["class"] = [*(cell.get("class") or []), "num"]
        return
    if _CITIZEN_VALUE.match(text) or _CITIZEN_COL.search(label):
        cell.string = _mask_id(text)
        return
    if not _NUMBER.match(text.replace("\u2212", "-")):
        return
    cell["class"] = [*(cell.get("class") or []), "num"]
    if "," not in text and "e" not in text.lower() and not _NO_SEPARATOR.search(label):
        whole, dot, frac = text.partition(".")
        sign = whole[0] if whole[:1] in "-+" else ""
        digits = whole[len(sign) :]
        if digits.isdigit() and len(digits) > 3:
            cell.string = f"{sign}{int(digits):,}{dot}{frac}"
