"""Thai text, numbers and dates: Thai digits (เลขไทย), Buddhist-Era (พ.ศ.) dates, number
formats, national ID (เลขประจำตัวประชาชน) check digit and masking, the Thai fiscal year.

Built on pythainlp for digits and month names. Never NFKC/NFKD-normalizes Thai text: that
splits sara am (ำ) into nikhahit + sara aa.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from decimal import ROUND_HALF_UP, Decimal

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit
from pythainlp.util.date import thai_abbr_months, thai_full_months

THAI_MONTHS: list[str] = list(thai_full_months)
THAI_MONTHS_SHORT: list[str] = list(thai_abbr_months)
BE_OFFSET = 543

_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_RE = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    pd = sys.modules.get("pandas")  # not imported: no value can be its NA
    return pd is not None and (value is pd.NA or value is pd.NaT)


def clean_text(value: object) -> str | None:
    """Text without zero-width characters, with NBSP and other spaces as one plain space,
    trimmed; None for a missing or empty value. Thai marks are left untouched."""
    if isinstance(value, str):
        # most cells: printable (no zero-width character and no space but U+0020) and no
        # double space, so trimming is all the patterns below would do (validation calls
        # this some 130 times a workbook)
        if value.isprintable() and "  " not in value:
            return value.strip() or None
    elif _is_missing(value):
        return None
    s = _ZERO_WIDTH_RE.sub("", str(value))
    s = _SPACE_RE.sub(" ", s).strip()
    return s or None


def to_arabic_digits(s: str) -> str:
    """๐–๙ → 0–9."""
    return thai_digit_to_arabic_digit(s) if s else s


def to_thai_digits(s: str) -> str:
    """0–9 → ๐–๙ (เลขไทย)."""
    return arabic_digit_to_thai_digit(s) if s else s


_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")

#: Excel/LibreOffice number-format prefix that shows native (Thai) digits, Thai locale.
EXCEL_THAI_DIGITS = "[$-D00041E]"


def thai_digits_in_text(s: str) -> str:
    """Thai digits in Thai text ("หมู่ที่ 5" → "หมู่ที่ ๕"); a code with no Thai letter
    ("2561-6007-001") stays as written, so it still matches its workbook."""
    return to_thai_digits(s) if s and _THAI_LETTER.search(s) else s


_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def parse_number(value: object) -> float | None:
    """A number from a cell: int/float, or text with Thai digits, spaces and thousands
    separators ("1,234.5", "๑๒"); None when it is not strictly a number."""
    if isinstance(value, bool) or _is_missing(value):
        return None
    if isinstance(value, int | float):
        return float(value)
    s = clean_text(value)
    if s is None:
        return None
    s = to_arabic_digits(s).replace(" ", "")
    if not s or not _NUMBER_RE.match(s) or not any(ch.isdigit() for ch in s):
        return None
    return float(s.replace(",", ""))


# ---------------------------------------------------------------- dates
def _month_lookup() -> dict[str, int]:
    out = {}
    for i, (full, short) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_SHORT, strict=True), 1):
        out[full] = i
        out[short] = i
        out[short.replace(".", "")] = i
        out[short.replace(".", ". ").strip()] = i
    en = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
    for i, name in enumerate(en, 1):
        out[name] = i
        out[name[:3]] = i
    out["sept"] = 9
    return out


_MONTHS = _month_lookup()
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_TEXT_DATE_RE = re.compile(
    rf"^(\d{{1,2}})\s*({_MONTH_ALT})\s*(?:พ\.?\s*ศ\.?|ค\.?\s*ศ\.?)?\s*(\d{{2}}|\d{{4}})$",
    re.IGNORECASE,
)
_DMY_RE = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
_YMD_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def _year(y: int, digits: int) -> int:
    """CE year of a written year: 4 digits above 2400 are BE; 2 digits are BE 25yy."""
    if digits == 2:
        y += 2500  # two-digit years in Thai offices are BE: "61" = 2561
    return y - BE_OFFSET if y > 2400 else y


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | None:
    """A date from a cell, CE; None when unreadable.

    Accepts date/datetime objects (a year above 2400 is Buddhist Era), Excel serial numbers,
    and text: "30/04/2561", "30-4-61", "2561-04-30", "2018-04-30", "30 เม.ย. 61",
    "30 เมษายน 2561", "30 เมษายน พ.ศ. 2561", "30 April 2018". Slashed dates are day first.
    """
    if _is_missing(value) or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if value.year > 2400:
            return _make(value.year - BE_OFFSET, value.month, value.day)
        return value
    if isinstance(value, int | float):
        if 20000 <= value <= 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    s = clean_text(value)
    if s is None:
        return None
    s = to_arabic_digits(s)
    if m := _DMY_RE.match(s):
        return _make(_year(int(m[3]), len(m[3])), int(m[2]), int(m[1]))
    if m := _YMD_RE.match(s):
        return _make(_year(int(m[1]), 4), int(m[2]), int(m[3]))
    if m := _TEXT_DATE_RE.match(s):
        month = _MONTHS.get(m[2]) or _MONTHS.get(m[2].lower()) or _MONTHS.get(m[2].replace(" ", ""))
        if month is None:
            return None
        return _make(_year(int(m[3]), len(m[3])), month, int(m[1]))
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return parse_date(float(s))
    return None


def plausible_reading(d: dt.date, year_be: int) -> tuple[bool, dt.date | None]:
    """Whether a date read from a cell falls in the programme year ``year_be`` (พ.ศ., give or
    take one year), and if not, its likely reading: the same day with the year's last two
    digits read as BE 25yy (an Excel date cell typed "30/4/61" in a Gregorian locale holds 1961)
    or as CE 20yy (text "30/04/18", read as BE 2518, is 2018). None when neither fits."""
    if abs(be_year(d) - year_be) <= 1:
        return True, None
    for yy in (d.year % 100, be_year(d) % 100):  # the two digits as written, CE or BE
        for ce in (2500 + yy - BE_OFFSET, 2000 + yy):
            if abs(ce + BE_OFFSET - year_be) <= 1:
                return False, _make(ce, d.month, d.day)
    return False, None


def be_year(d: dt.date) -> int:
    """Buddhist-Era year (พ.ศ.) of a date."""
    return d.year + BE_OFFSET


def format_date_th(d: object, short: bool = False, thai_digits: bool = False) -> str:
    """ "30 เมษายน 2561" (short: "30 เม.ย. 61"); "" for a missing date."""
    if _is_missing(d):
        return ""
    if isinstance(d, dt.datetime):
        d = d.date()
    if short:
        s = f"{d.day} {THAI_MONTHS_SHORT[d.month - 1]} {be_year(d) % 100:02d}"
    else:
        s = f"{d.day} {THAI_MONTHS[d.month - 1]} {be_year(d)}"
    return to_thai_digits(s) if thai_digits else s


def to_be_date_str(d: dt.date) -> str:
    """ "30/04/2561"."""
    return f"{d.day:02d}/{d.month:02d}/{be_year(d)}"


def fiscal_year_be(d: dt.date) -> int:
    """Thai fiscal year (ปีงบประมาณ): 1 Oct–30 Sep, named by its later BE year."""
    if isinstance(d, dt.datetime):
        d = d.date()
    return be_year(d) + (1 if d.month >= 10 else 0)


# ---------------------------------------------------------------- numbers
def round_half_up(x: object, decimals: int = 0) -> float | None:
    """The value rounded half up (ปัดเศษครึ่งขึ้น: 64.5 -> 65, 59.45 -> 59.5 at 1 place), as a
    reader rounds by hand; None for a missing value. Python's round() and format() round half
    to even on the binary value (64.5 -> 64), which disagrees with a table beside the chart.
    Every figure written for a reader (tables, chart labels, forms, decks) goes through here."""
    if _is_missing(x):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    if math.isnan(v) or math.isinf(v):
        return None
    q = Decimal(repr(v)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return float(q)


def format_number(x: object, decimals: int = 0, thai_digits: bool = False) -> str:
    """ "1,234" / "56.3" (rounded half up); "–" for a missing value."""
    v = round_half_up(x, decimals)
    if v is None:
        return "–"
    s = f"{v:,.{decimals}f}"
    if s.startswith("-") and float(s.replace(",", "")) == 0:
        s = s[1:]
    return to_thai_digits(s) if thai_digits else s


# ---------------------------------------------------------------- national ID
def citizen_id_digits(value: object) -> str | None:
    """The 13 digits of a national ID written with dashes, spaces or Thai digits; else None."""
    if _is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))
    s = clean_text(value)
    if s is None:
        return None
    s = re.sub(r"[\s\-]", "", to_arabic_digits(s))
    return s if re.fullmatch(r"\d{13}", s) else None


def _check_digit(first12: str) -> int:
    return (11 - sum(int(c) * (13 - i) for i, c in enumerate(first12)) % 11) % 10


def citizen_id_valid(value: object) -> bool:
    """13 digits with a valid check digit."""
    s = citizen_id_digits(value)
    return s is not None and _check_digit(s[:12]) == int(s[12])


def make_citizen_id(first12: str) -> str:
    """The 13-digit ID made of 12 digits and their check digit."""
    if not re.fullmatch(r"\d{12}", first12):
        raise ValueError(f"need 12 digits, got {first12!r}")
    return first12 + str(_check_digit(first12))


_MASKED_ID_RE = re.compile(r"\d-\d{4}-xxxxx-xx-\d")


def mask_citizen_id(value: object) -> str:
    """ "1-2345-xxxxx-xx-2" (PDPA): first five and the last digit only; anything else that is
    not a 13-digit ID is masked whole."""
    if _is_missing(value):
        return ""
    if isinstance(value, str) and _MASKED_ID_RE.fullmatch(value):
        return value  # masked already (a planner's table is masked where it is made)
    s = citizen_id_digits(value)
    if s is not None:
        return f"{s[0]}-{s[1:5]}-xxxxx-xx-{s[12]}"
    raw = clean_text(value) or ""
    return re.sub(r"\d", "x", to_arabic_digits(raw))


# ---------------------------------------------------------------- words
def _key(value: object) -> str:
    return re.sub(r"\s+", "", clean_text(value) or "").lower()


_YES = {"ใช่", "yes", "y", "true", "1", "✓", "✔", "มี", "ตรวจแล้ว", "แล้ว", "ผ่าน", "t"}
_NO = {"ไม่ใช่", "no", "n", "false", "0", "✗", "✘", "ไม่มี", "ยังไม่ตรวจ", "ยัง", "ไม่", "f", "ยังไม่ได้ตรวจ"}


def parse_yes_no(value: object) -> bool | None:
    """ใช่/ไม่ใช่, yes/no, ✓, มี/ไม่มี ... → True/False; None when unknown."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and not _is_missing(value) and value in (0, 1):
        return bool(value)
    k = to_arabic_digits(_key(value))
    if k in _YES:
        return True
    if k in _NO:
        return False
    return None


_PRE = {"ก่อนพัฒนา", "ก่อน", "pre", "before", "1", "ครั้งที่1", "ประเมินก่อนพัฒนา", "ก่อนการพัฒนา"}
_POST = {"หลังพัฒนา", "หลัง", "post", "after", "2", "ครั้งที่2", "ประเมินหลังพัฒนา", "หลังการพัฒนา"}


def parse_round(value: object) -> str | None:
    """ "pre" (ก่อนพัฒนา) or "post" (หลังพัฒนา); None when unknown."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    k = to_arabic_digits(_key(value))
    if k in _PRE:
        return "pre"
    if k in _POST:
        return "post"
    return None


def display_width(s: str) -> int:
    """Columns a string takes in a terminal: Thai vowel and tone marks stack, taking none."""
    import unicodedata

    return sum(1 for ch in s if unicodedata.category(ch) != "Mn")


def ljust(s: str, width: int) -> str:
    """``str.ljust`` by display width (Thai-aware)."""
    return s + " " * max(0, width - display_width(s))
