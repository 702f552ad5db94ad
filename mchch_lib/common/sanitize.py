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
- **Unbounded work from a small file**: a YAML "billion laughs" (aliases of aliases that expand
  to gigabytes once turned into text) is refused by :func:`load_yaml` after composing, before
  any value is built; a named pipe or a device given as input is named by
  :func:`special_file_kind` before anything opens it (opening a FIFO blocks forever).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import yaml

from mchch_lib.common.thai import mask_citizen_id

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


# ---------------------------------------------------------------- bounded work
#: Values a params or catalog file may expand to, aliases counted as often as they are used
#: (the 2561 catalog has about 1,000).
MAX_YAML_NODES = 100_000
MAX_YAML_MB = 5

_SPECIAL = (
    (stat.S_ISFIFO, "ท่อข้อมูล (FIFO)", "a named pipe (FIFO)"),
    (stat.S_ISCHR, "อุปกรณ์ (character device)", "a character device"),
    (stat.S_ISBLK, "อุปกรณ์ (block device)", "a block device"),
    (stat.S_ISSOCK, "ซ็อกเก็ต (socket)", "a socket"),
)


def special_file_kind(path: str | Path) -> tuple[str, str] | None:
    """(Thai, English) name of what a path is when it is neither a regular file nor a folder
    (a FIFO, a device, a socket), else None. Uses ``os.stat`` only: nothing is opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    for test, th, en in _SPECIAL:
        if test(mode):
            return th, en
    return None


def not_a_file_message(path: str | Path, with_path: bool = True) -> str | None:
    """The Thai and English reason mchch will not open ``path`` (see ``special_file_kind``)."""
    kind = special_file_kind(path)
    if kind is None:
        return None
    return (f"{path}: " if with_path else "") + (
        f"เป็น{kind[0]} ไม่ใช่ไฟล์ปกติ จึงไม่เปิดอ่าน ให้ระบุไฟล์ .xlsx, .csv หรือ .yaml / "
        f"is {kind[1]}, not a regular file, and is not opened; give an .xlsx, .csv or .yaml file"
    )


class YamlTooLarge(yaml.YAMLError):
    """A YAML text that expands past the bound (aliases) or is too big to be a settings file."""


def _expanded_size(node: yaml.Node, limit: int) -> int:
    """Nodes a composed document expands to when every alias is copied out, counted once per
    distinct node (memo), stopping as soon as ``limit`` is passed: linear in the text."""
    memo: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        n, done = stack.pop()
        if id(n) in memo:
            continue
        kids = (
            [x for kv in n.value for x in kv]
            if isinstance(n, yaml.MappingNode)
            else (n.value if isinstance(n, yaml.SequenceNode) else [])
        )
        if not done:
            stack.append((n, True))
            stack.extend((k, False) for k in kids if id(k) not in memo)
            continue
        memo[id(n)] = min(1 + sum(memo[id(k)] for k in kids), limit + 1)
        if memo[id(n)] > limit:
            return memo[id(n)]
    return memo[id(node)]


class _BoundedLoader(yaml.SafeLoader):
    max_nodes = MAX_YAML_NODES

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None and _expanded_size(node, self.max_nodes) > self.max_nodes:
            raise YamlTooLarge(
                f"ขยายได้เกิน {self.max_nodes:,} ค่า (ใช้ alias ซ้อนกัน) จึงไม่อ่าน / expands to "
                f"more than {self.max_nodes:,} values (nested aliases) and is refused"
            )
        return node


def load_yaml(path: str | Path) -> object:
    """A settings file (params, catalog) as data, read with ``yaml.SafeLoader`` within bounds:
    a FIFO or a device is refused before it is opened, a file over MAX_YAML_MB before it is
    read, an alias bomb after composing and before any value is built. Raises ``YamlTooLarge``
    (a ``yaml.YAMLError``) or ``UnicodeDecodeError``."""
    reason = not_a_file_message(path, with_path=False)
    if reason is not None:
        raise YamlTooLarge(reason)
    size = os.stat(path).st_size
    if size > MAX_YAML_MB * 1024 * 1024:
        raise YamlTooLarge(
            f"ไฟล์ใหญ่ {size / 1048576:.0f} MB เกิน {MAX_YAML_MB} MB / "
            f"{size / 1048576:.0f} MB, over the {MAX_YAML_MB} MB limit of a settings file"
        )
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_BoundedLoader)  # noqa: S506 - a SafeLoader


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
