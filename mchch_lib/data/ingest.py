"""Reading district workbooks (.xlsx, .xls, or a folder of CSV files named after the sheets) into
raw sheets: the header row found below any title rows, each header mapped to its canonical field,
each data row kept with its Excel row number. No value is interpreted here (see ``validate``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from mchch_lib.common import sanitize as safety
from mchch_lib.common.atomic import sha256_file
from mchch_lib.data.contract import SHEETS, SheetSpec
from mchch_lib.data.reference import alias_key
from mchch_lib.errors import InputReadError

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_HEADER_SCAN_ROWS = 30
#: An indicator-id-like header in the wide score layout (L1, G10, C3 ...).
INDICATOR_HEADER_RE = re.compile(r"^[A-Za-z]{1,3}\d{1,3}$")


@dataclass
class Source:
    """One input: a workbook file or a folder of CSV sheets."""

    path: Path
    kind: str  # "workbook" | "csv"
    label: str  # how the file is named in problems (path as given, relative when possible)

    def files(self) -> list[Path]:
        if self.kind == "workbook":
            return [self.path]
        return sorted(p for p in self.path.iterdir() if p.suffix.lower() == ".csv")


@dataclass
class RawSheet:
    """A sheet as read: where its header is, what each column means, and its data rows."""

    spec: SheetSpec
    file: str
    sheet: str  # sheet name as written (CSV: the file name)
    header_row: int | None  # Excel row number (1-based); None when no header was found
    headers: list[str] = field(default_factory=list)  # header text as written, per column
    fields: list[str | None] = field(default_factory=list)  # canonical field per column, or None
    rows: list[tuple[int, list[object]]] = field(default_factory=list)  # (excel_row, cells)
    blank_rows: int = 0
    encoding: str | None = None
    hidden: bool = False
    #: formula cells with no saved value: (Excel row, column index, formula as written)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)
    #: other sheets of the same file that match the same contract sheet, not read in its place
    others: list[RawSheet] = field(default_factory=list)

    def column_of(self, field_name: str) -> int | None:
        try:
            return self.fields.index(field_name)
        except ValueError:
            return None


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def discover(paths: list[str | Path]) -> list[Source]:
    """Inputs under the given files and folders: workbooks, and folders holding sheet CSVs."""
    sheet_names = {alias_key(s.th) for s in SHEETS.values()} | {
        alias_key(s.en) for s in SHEETS.values()
    }
    out: list[Source] = []
    for p in map(Path, paths):
        if not p.exists():
            raise InputReadError(f"{p}: no such file or folder / ไม่พบไฟล์หรือโฟลเดอร์")
        reason = safety.not_a_file_message(p)
        if reason is not None:
            raise InputReadError(reason)
        if p.is_file():
            if p.suffix.lower() == ".csv":
                out.append(Source(p.parent, "csv", _label(p.parent)))
            elif p.suffix.lower() in WORKBOOK_SUFFIXES:
                out.append(Source(p, "workbook", _label(p)))
            else:
                raise InputReadError(f"{p}: not a workbook (.xlsx, .xls) or CSV file")
            continue
        for d in sorted([p, *[q for q in p.rglob("*") if q.is_dir()]]):
            if any(q.name.startswith(".") for q in d.relative_to(p).parents if q.name) or (
                d != p and d.name.startswith(".")
            ):
                continue
            csvs = [q for q in d.iterdir() if q.suffix.lower() == ".csv"]
            if any(alias_key(q.stem) in sheet_names for q in csvs):
                out.append(Source(d, "csv", _label(d)))
            for q in sorted(d.iterdir()):
                if (
                    (q.is_file() or safety.special_file_kind(q) is not None)
                    and q.suffix.lower() in WORKBOOK_SUFFIXES
                    and not q.name.startswith(("~$", "."))
                ):
                    out.append(Source(q, "workbook", _label(q)))
    # the same file given twice is read once
    seen, uniq = set(), []
    for s in out:
        if s.path.resolve() not in seen:
            seen.add(s.path.resolve())
            uniq.append(s)
    return uniq


def source_digests(sources: list[Source]) -> dict[str, str]:
    """sha256 of every file that makes up the sources, keyed by label/file name."""
    out = {}
    for s in sources:
        for f in s.files():
            key = s.label if s.kind == "workbook" else f"{s.label}/{f.name}"
            kind = safety.special_file_kind(f)  # a FIFO is never opened (it would block)
            out[key] = sha256_file(f) if kind is None else f"not a file: {kind[1]}"
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- limits
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}
_MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Resource limits, checked before a file is parsed (params ``limits``). The defaults are
    generous for a real district workbook and stop a pasted million rows or a zip bomb."""

    max_file_mb: float = 50
    max_uncompressed_mb: float = 200  # any one member of an .xlsx (a sheet's XML)
    max_rows: int = 100_000  # per sheet
    max_columns: int = 1_000  # per sheet (the wide score layout of 2562 has about 60)


DEFAULT_LIMITS = ReadLimits()


class UnreadableInput(InputReadError):
    """A file mchch will not read: the rule (with its Thai and English advice) and its values.

    Raised by ``read_source``; ``validate`` turns it into a located problem and goes on."""

    def __init__(self, path: Path | str, rule: str, **ctx: object):
        self.path, self.rule, self.ctx = str(path), rule, ctx
        detail = ", ".join(f"{k}={v}" for k, v in ctx.items())
        super().__init__(f"{path}: {rule}" + (f" ({detail})" if detail else ""))


def check_file_limits(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse a file before parsing it: not a regular file (a FIFO, a device: checked with
    ``os.stat``, never opened), too big, or a zip member that expands too far."""
    kind = safety.special_file_kind(path)
    if kind is not None:
        raise UnreadableInput(path, "unreadable_special", kind_th=kind[0], kind_en=kind[1])
    size = path.stat().st_size
    if size == 0:
        raise UnreadableInput(path, "unreadable_empty")
    if size > limits.max_file_mb * _MB:
        raise UnreadableInput(
            path, "over_limit_file", size_mb=f"{size / _MB:.1f}", limit_mb=f"{limits.max_file_mb:g}"
        )
    with path.open("rb") as f:
        head = f.read(8)
    if not head.startswith(_ZIP_MAGIC):
        return
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise UnreadableInput(path, "unreadable_truncated", detail=str(e)) from e
    for m in members:
        if m.file_size > limits.max_uncompressed_mb * _MB:
            raise UnreadableInput(
                path,
                "over_limit_member",
                member=m.filename,
                size_mb=f"{m.file_size / _MB:.0f}",
                limit_mb=f"{limits.max_uncompressed_mb:g}",
            )


# ---------------------------------------------------------------- decoding CSV
def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """Text and encoding of a CSV: UTF-8 (with or without BOM) or cp874 from Thai Windows Excel.

    Thai Windows saves CSV in cp874; tis-620 would mangle bytes 0x80-0x9F (e.g. the curly quotes
    and the euro sign cp874 puts there), so cp874 is the fallback.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874"), "cp874"
    except UnicodeDecodeError as e:
        raise InputReadError(f"not UTF-8 and not cp874 text ({e})") from e


def _read_csv(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[list[list[object]], str]:
    check_file_limits(path, limits)
    try:
        text, enc = decode_csv_bytes(path.read_bytes())
    except InputReadError as e:
        raise UnreadableInput(path, "unreadable_not_text", detail=str(e)) from e
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for r in reader:
            rows.append(list(r))
            _check_shape(path, path.name, len(rows), len(r), limits, rows_exact=False)
    except csv.Error as e:  # a field over csv's own limit (128 KB), a NUL byte
        raise UnreadableInput(path, "unreadable_csv", detail=str(e)) from e
    return rows, enc


def _check_shape(
    path: Path, sheet: str, rows: int, cols: int, limits: ReadLimits, rows_exact: bool = True
) -> None:
    """Refuse a sheet with more rows or columns than a district workbook ever has, before its
    cells are converted or checked (tens of thousands of columns would each be a problem)."""
    if rows > limits.max_rows:
        shown = rows if rows_exact else f"> {limits.max_rows}"
        raise UnreadableInput(
            path, "over_limit_rows", sheet=sheet, rows=shown, limit=limits.max_rows
        )
    if cols > limits.max_columns:
        raise UnreadableInput(
            path, "over_limit_columns", sheet=sheet, columns=cols, limit=limits.max_columns
        )


def _unreadable(path: Path, e: Exception) -> UnreadableInput:
    """Why calamine could not read a workbook, as a rule with advice for the clerk."""
    with path.open("rb") as f:
        data = f.read(1 << 16)
    text = f"{type(e).__name__}: {e}"
    encrypted = "EncryptedPackage".encode("utf-16-le") in data or any(
        w in text.lower() for w in ("password", "encrypt")
    )
    if data.startswith(_OLE_MAGIC) and encrypted:
        return UnreadableInput(path, "unreadable_encrypted")
    if path.suffix.lower() in _ZIP_SUFFIXES and data.startswith(_ZIP_MAGIC):
        return UnreadableInput(path, "unreadable_truncated", detail=text)
    if not data.startswith((*_ZIP_MAGIC, _OLE_MAGIC)):
        return UnreadableInput(path, "unreadable_not_workbook")
    return UnreadableInput(path, "unreadable_other", detail=text)


@dataclass
class _Grid:
    """A sheet's cells as read, with what the reader knows of the sheet."""

    grid: list[list[object]]
    hidden: bool = False
    formulas: list[tuple[int, int, str]] = field(default_factory=list)


def _read_workbook(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> dict[str, _Grid]:
    """The grids of the sheets that match the contract (others are not converted), hidden or
    not, with their formula cells that hold no saved value."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    check_file_limits(path, limits)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        hidden = {m.name: m.visible != SheetVisibleEnum.Visible for m in wb.sheets_metadata}
        sheets = {name: wb.get_sheet_by_name(name) for name in wb.sheet_names if match_sheet(name)}
    except Exception as e:  # noqa: BLE001 - calamine raises several unrelated types; re-raised
        raise _unreadable(path, e) from e
    for name, sheet in sheets.items():
        end = sheet.end or (-1, -1)  # the last used Excel row and column
        _check_shape(path, name, end[0] + 1, end[1] + 1, limits)
    formulas = unsaved_formulas(path, list(sheets))
    return {
        name: _Grid(
            sheet.to_python(skip_empty_area=False), hidden.get(name, False), formulas.get(name, [])
        )
        for name, sheet in sheets.items()
    }


_CELL_WITH_FORMULA = re.compile(
    rb"<c\b([^>]*?)(?<!/)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)\s*(?:(<v\s*/>)|<v>([^<]*)</v>)?"
)
_ATTR = re.compile(rb'\b(r|t)="([^"]*)"')
_REF = re.compile(r"([A-Z]+)(\d+)")


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Zip member of each sheet of an .xlsx, by sheet name."""
    import xml.etree.ElementTree as ET

    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for el in ET.fromstring(z.read("xl/workbook.xml")).iter():
        if el.tag.endswith("}sheet") and el.get(ns_rel) in target:
            t = target[el.get(ns_rel)]
            out[el.get("name")] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    return out


def unsaved_formulas(path: Path, names: list[str]) -> dict[str, list[tuple[int, int, str]]]:
    """Formula cells with no saved value in the named sheets of an .xlsx/.xlsm: (Excel row,
    column index, formula). A reader of saved values (calamine, openpyxl ``data_only``) sees
    them empty; a file written by a program, not saved by Excel, has them. A formula whose saved
    value is an empty text (``t="str"``) is a value, not one of these. Other formats: none."""
    import html

    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return {}
    out: dict[str, list[tuple[int, int, str]]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            parts = _sheet_parts(z)
            for name in names:
                data = z.read(parts[name]) if name in parts else b""
                if b"<f" not in data:
                    continue
                for m in _CELL_WITH_FORMULA.finditer(data):
                    attrs = dict(_ATTR.findall(m[1]))
                    saved = m[4] is not None and (m[4] != b"" or attrs.get(b"t") == b"str")
                    ref = _REF.match(attrs.get(b"r", b"").decode("ascii", "replace"))
                    if saved or ref is None:
                        continue
                    col = 0
                    for ch in ref[1]:
                        col = col * 26 + ord(ch) - 64
                    text = html.unescape((m[2] or b"").decode("utf-8", "replace"))
                    out.setdefault(name, []).append((int(ref[2]), col - 1, "=" + text))
    except (KeyError, zipfile.BadZipFile, OSError, SyntaxError) as e:  # ET.ParseError
        raise UnreadableInput(path, "unreadable_truncated", detail=str(e)) from e
    return out


# ---------------------------------------------------------------- headers
_HEADER_NOISE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff*:：]+")


def header_key(text: object) -> str:
    """Header compare key: case, spaces, zero-width characters, '*' and ':' ignored."""
    return _HEADER_NOISE.sub("", str(text)).lower() if text is not None else ""


def _header_index(spec: SheetSpec) -> dict[str, str]:
    idx: dict[str, str] = {}
    for c in spec.columns:
        for h in c.headers:
            idx.setdefault(header_key(h), c.field)
    return idx


def _is_blank(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return header_key(v) == "" and not v.strip("\u00a0\u200b\ufeff \t\r\n-")
    if isinstance(v, float) and v != v:  # NaN
        return True
    return False


def _map_header(spec: SheetSpec, cells: list[object]) -> list[str | None]:
    idx = _header_index(spec)
    fields: list[str | None] = []
    for c in cells:
        k = header_key(c) if isinstance(c, str) else header_key(c) if c is not None else ""
        f = idx.get(k)
        if f is None and spec.indicator_columns and isinstance(c, str):
            stripped = _HEADER_NOISE.sub("", c)
            if INDICATOR_HEADER_RE.match(stripped):
                f = "indicator:" + stripped.upper()
        fields.append(f)
    return fields


def _find_header(spec: SheetSpec, grid: list[list[object]]) -> int | None:
    """Index of the header row: the first row in the top rows naming the sheet's anchor column
    (the district column, or the applicant's or role's on a provincial sheet) and at least one
    other column of the sheet."""
    for i, row in enumerate(grid[:_HEADER_SCAN_ROWS]):
        fields = _map_header(spec, row)
        named = {f for f in fields if f}
        if spec.anchor in named and len(named) >= 2:
            return i
    return None


def match_sheet(name: str) -> SheetSpec | None:
    key = alias_key(name)
    for spec in SHEETS.values():
        if key in (alias_key(spec.th), alias_key(spec.en)):
            return spec
    return None


def _raw_sheet(
    spec: SheetSpec, file: str, sheet: str, grid: _Grid, encoding: str | None = None
) -> RawSheet:
    rows_ = grid.grid
    h = _find_header(spec, rows_)
    raw = RawSheet(spec, file, sheet, None if h is None else h + 1, encoding=encoding)
    raw.hidden, raw.formulas = grid.hidden, grid.formulas
    with_formula = {row for row, _col, _f in grid.formulas}  # never a blank row
    start = 0 if h is None else h + 1
    if h is not None:
        header = list(rows_[h])
        raw.headers = ["" if c is None else str(c) for c in header]
        raw.fields = _map_header(spec, header)
    last = max([len(rows_), *with_formula])  # a reader of values ends at the last value
    for i in range(start, last):
        cells = list(rows_[i]) if i < len(rows_) else []
        if all(_is_blank(c) for c in cells) and i + 1 not in with_formula:
            raw.blank_rows += 1
            continue
        raw.rows.append((i + 1, cells))
    return raw


def _choose(found: list[RawSheet]) -> dict[str, RawSheet]:
    """One sheet per contract sheet: the first visible one of those that match it (else the
    first), the others kept in its ``others`` so that none is dropped unaccounted."""
    by_key: dict[str, list[RawSheet]] = {}
    for raw in found:
        by_key.setdefault(raw.spec.key, []).append(raw)
    out = {}
    for key, raws in by_key.items():
        chosen = next((r for r in raws if not r.hidden), raws[0])
        chosen.others = [r for r in raws if r is not chosen]
        out[key] = chosen
    return out


def read_source(
    src: Source, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[dict[str, RawSheet], list[str]]:
    """Raw sheets of one source keyed by sheet key, and the names of sheets that were not found.

    When several sheets (or CSV files) match one contract sheet, the one read is in the dict and
    the others in its ``others``. Raises ``UnreadableInput`` (a rule with advice) for a file that
    cannot or must not be read.
    """
    found: list[RawSheet] = []
    if src.kind == "workbook":
        for name, grid in _read_workbook(src.path, limits).items():
            spec = match_sheet(name)
            if spec is not None:
                found.append(_raw_sheet(spec, src.label, name, grid))
    else:
        for f in src.files():
            spec = match_sheet(f.stem)
            if spec is None:
                continue
            grid, enc = _read_csv(f, limits)
            found.append(_raw_sheet(spec, f"{src.label}/{f.name}", f.name, _Grid(grid), enc))
    sheets = _choose(found)
    missing = [s.key for s in SHEETS.values() if not s.optional_sheet and s.key not in sheets]
    if sheets and all(SHEETS[k].provincial for k in sheets):
        missing = []  # the province's own file (the final round), not a district workbook
    return sheets, missing


def district_cells(src: Source, limits: ReadLimits = DEFAULT_LIMITS) -> list[object]:
    """The cells of the district column (อำเภอ) of a source's first sheet that has one, read
    without the other sheets: what places a workbook in its province in a national run
    (``mchch_lib.data.national_inputs``). Raises ``UnreadableInput`` as ``read_source`` does."""
    specs = [s for s in SHEETS.values() if any(c.field == "district_code" for c in s.columns)]
    grids: list[tuple[SheetSpec, list[list[object]]]] = []
    if src.kind == "workbook":
        from python_calamine import CalamineWorkbook, SheetVisibleEnum

        check_file_limits(src.path, limits)
        try:
            wb = CalamineWorkbook.from_path(str(src.path))
            hidden = {m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
            names: dict = {}
            for n in sorted(wb.sheet_names, key=lambda n: n in hidden):  # visible ones first
                names.setdefault(match_sheet(n), n)
            for spec in specs:
                if spec in names:
                    sheet = wb.get_sheet_by_name(names[spec])
                    grids.append((spec, sheet.to_python(skip_empty_area=False)))
                    break
        except Exception as e:  # noqa: BLE001 - calamine raises several unrelated types
            raise _unreadable(src.path, e) from e
    else:
        files = {match_sheet(f.stem): f for f in src.files()}
        spec = next((s for s in specs if s in files), None)
        if spec is not None:
            grids.append((spec, _read_csv(files[spec], limits)[0]))
    for spec, grid in grids:
        h = _find_header(spec, grid)
        if h is not None:
            col = _map_header(spec, grid[h]).index("district_code")
            return [row[col] for row in grid[h + 1 :] if len(row) > col]
    return []
