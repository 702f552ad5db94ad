"""What every output must be safe from, in one place.

- **National ID numbers in free text** (PDPA B.E. 2562). The ID column is masked on output, but a
  clerk may type a 13-digit ID into a name, a tambon, a date or a score cell, or use it as the
  applicant code. :func:`find_ids` finds such numbers (plain, dashed or spaced, Thai or Arabic
  digits, valid check digit or not) and :func:`mask_ids` masks them the way the ID column is
  masked (``1-2345-xxxxx-xx-2``).
- **National ID numbers in what a planner sees.** The tables of a report context
  (``ctx.applicants``, the comparison's units, the final round's results) are masked where they
  are made, by :func:`mask_frame`, so no notebook cell, widget or table shows a full ID; the
  matching that needs the full ID (one unit across years, one unit once) reads the dataset.
- **Spreadsheet formula injection** (OWASP "CSV injection"). Text that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return becomes a live formula when a CSV (or a cell typed
  back) is opened in Excel. :func:`neutralize` prefixes such text with ``'``; every CSV and
  Excel writer of mchch passes its text through it.
"""

from __future__ import annotations

import re

from .thai import mask_citizen_id

# 13 digits, optionally grouped 1-4-5-2-1 by dashes or spaces, not inside a longer number or
# word, in Arabic or Thai digits.
_D = "[0-9๐-๙]"
_ID_RE = re.compile(
    rf"(?<![0-9๐-๙A-Za-z])"
    rf"({_D}[- ]?{_D}{{4}}[- ]?{_D}{{5}}[- ]?{_D}{{2}}[- ]?{_D})"
    rf"(?![0-9๐-๙A-Za-z])"
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def find_ids(text: object) -> list[str]:
    """The 13-digit ID numbers written in a text (as written), in order."""
    if text is None:
        return []
    return [m[1] for m in _ID_RE.finditer(str(text))]


def id_like_number(value: object) -> bool:
    """True for a number cell that holds a 13-digit ID (Excel keeps it as a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and (value != value or not value.is_integer()):
        return False
    return 10**12 <= abs(int(value)) < 10**13


def mask_ids(text: str) -> str:
    """The text with every 13-digit ID masked like the ID column (``1-2345-xxxxx-xx-2``)."""
    if not text or len(text) < 13:
        return text
    return _ID_RE.sub(lambda m: mask_citizen_id(m[1]), text)


def mask_cell(value: object) -> tuple[object, bool]:
    """A cell value with any ID masked, and whether one was found."""
    if id_like_number(value):
        return mask_citizen_id(str(int(value))), True
    if isinstance(value, str) and len(value) >= 13 and _ID_RE.search(value):
        return mask_ids(value), True
    return value, False


def looks_like_formula(value: object) -> bool:
    """Text a spreadsheet would read as a formula (a plain signed number is left alone)."""
    return (
        isinstance(value, str)
        and value.startswith(_FORMULA_START)
        and not _PLAIN_NUMBER.match(value)
    )


def neutralize(value: object) -> object:
    """Text that a spreadsheet would read as a formula, prefixed with ``'`` (OWASP); any other
    value unchanged. Used by every CSV and Excel writer."""
    return "'" + value if looks_like_formula(value) else value


def neutralize_frame(df):
    """A copy of a table whose text cells are neutralized (for ``to_csv``)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = df.copy()
    for col in out.columns:
        if is_object_dtype(out[col]) or is_string_dtype(out[col]):
            out[col] = out[col].map(neutralize, na_action="ignore")
    return out


#: Columns of a table that hold a national ID.
ID_COLUMNS = ("citizen_id", "previous_citizen_id")


def mask_frame(df):
    """A copy of a table as a planner may see it: the ID columns (:data:`ID_COLUMNS`) masked
    like the reports mask them, and an ID typed into any other text cell masked too. Masking
    twice changes nothing."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = df.copy()
    for col in out.columns:
        if col in ID_COLUMNS:
            out[col] = out[col].map(mask_citizen_id, na_action="ignore")
        elif is_object_dtype(out[col]) or is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: mask_ids(v) if isinstance(v, str) else v, na_action="ignore"
            )
    return out
