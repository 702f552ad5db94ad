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
                    q.is_file()
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
            out[key] = sha256_file(f)
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


DEFAULT_LIMITS = ReadLimits()


class UnreadableInput(InputReadError):
    """A file mchch will not read: the rule (with its Thai and English advice) and its values.

    Raised by ``read_source``; ``validate`` turns it into a located problem and goes on."""

    def __init__(self, path: Path | str, rule: str, **ctx: object):
        self.path, self.rule, self.ctx = str(path), rule, ctx
        detail = ", ".join(f"{k}={v}" for k, v in ctx.items())
        super().__init__(f"{path}: {rule}" + (f" ({detail})" if detail else ""))


def check_file_limits(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse a file before parsing it: too big, or a zip member that expands too far."""
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
    for r in csv.reader(io.StringIO(text, newline=""), dialect):
        rows.append(list(r))
        if len(rows) > limits.max_rows:
            raise UnreadableInput(
                path,
                "over_limit_rows",
                sheet=path.name,
                rows=f"> {limits.max_rows}",
                limit=limits.max_rows,
            )
    return rows, enc


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


def _read_workbook(
    path: Path, limits: ReadLimits = DEFAULT_LIMITS
) -> dict[str, list[list[object]]]:
    """The grids of the sheets that match the contract (others are not converted)."""
    from python_calamine import CalamineWorkbook

    check_file_limits(path, limits)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheets = {name: wb.get_sheet_by_name(name) for name in wb.sheet_names if match_sheet(name)}
    except Exception as e:  # noqa: BLE001 - calamine raises several unrelated types; re-raised
        raise _unreadable(path, e) from e
    for name, sheet in sheets.items():
        rows = sheet.end[0] + 1 if sheet.end else 0  # the last used Excel row
        if rows > limits.max_rows:
            raise UnreadableInput(
                path, "over_limit_rows", sheet=name, rows=rows, limit=limits.max_rows
            )
    return {name: sheet.to_python(skip_empty_area=False) for name, sheet in sheets.items()}


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
    spec: SheetSpec, file: str, sheet: str, grid: list[list[object]], encoding: str | None = None
) -> RawSheet:
    h = _find_header(spec, grid)
    raw = RawSheet(spec, file, sheet, None if h is None else h + 1, encoding=encoding)
    start = 0 if h is None else h + 1
    if h is not None:
        header = list(grid[h])
        raw.headers = ["" if c is None else str(c) for c in header]
        raw.fields = _map_header(spec, header)
    for i in range(start, len(grid)):
        cells = list(grid[i])
        if all(_is_blank(c) for c in cells):
            raw.blank_rows += 1
            continue
        raw.rows.append((i + 1, cells))
    return raw


def read_source(
    src: Source, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[dict[str, RawSheet], list[str]]:
    """Raw sheets of one source keyed by sheet key, and the names of sheets that were not found.

    Raises ``UnreadableInput`` (a rule with advice) for a file that cannot or must not be read.
    """
    sheets: dict[str, RawSheet] = {}
    if src.kind == "workbook":
        for name, grid in _read_workbook(src.path, limits).items():
            spec = match_sheet(name)
            if spec is not None and spec.key not in sheets:
                sheets[spec.key] = _raw_sheet(spec, src.label, name, grid)
    else:
        for f in src.files():
            spec = match_sheet(f.stem)
            if spec is None or spec.key in sheets:
                continue
            grid, enc = _read_csv(f, limits)
            sheets[spec.key] = _raw_sheet(spec, f"{src.label}/{f.name}", f.name, grid, enc)
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
        from python_calamine import CalamineWorkbook

        check_file_limits(src.path, limits)
        try:
            wb = CalamineWorkbook.from_path(str(src.path))
            names = {match_sheet(n): n for n in wb.sheet_names}
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
