"""Where a workbook is from (ที่ตั้งของไฟล์): the district its cells name, checked against every
other clue the file holds, so that a workbook of another province whose district cells say only
"อ.เมือง" is never counted as this province's capital district.

The clues: the district code a file name starts with ("3001_..."), the district part of the
applicant ids ("2561-3001-001"), and the sub-districts (ตำบล) of its applicants, looked up in the
national reference. A district name that means several districts of the country ("อ.เมือง")
stands only with a confirming clue; any clue that points elsewhere is a disagreement. The
verdicts are values for ``validate`` to turn into located problems, one at each district cell.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from mchch_lib.common import thai
from mchch_lib.data.ingest import RawSheet
from mchch_lib.data.reference import District, Province, alias_key, national_districts, tambons

_FILE_CODE_RE = re.compile(r"\s*(\d{4})(?!\d)")
_ID_CODE_RE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*-")


@dataclass(frozen=True)
class Doubt:
    """Why the district a cell names cannot be taken as written: a rule and its message values."""

    rule: str  # "district_clues_disagree" | "district_ambiguous"
    ctx: dict


@dataclass
class _Clues:
    """What the rows naming one district say besides: id districts, tambons."""

    ids: Counter = field(default_factory=Counter)  # district code of each applicant id
    id_year: dict[int, str] = field(default_factory=dict)  # the year part, as written
    tambons: set[str] = field(default_factory=set)


def _where(d: District) -> tuple[str, str]:
    return (
        f"{d.code} อำเภอ{d.name_th} จังหวัด{d.province_th}",
        f"{d.code} {d.name_en}, {d.province_en}",
    )


def file_code(name: str) -> int | None:
    """The district code a file (or CSV folder) name starts with, if it is a district of the
    country ("3001_mueang.xlsx" -> 3001)."""
    m = _FILE_CODE_RE.match(name)
    return int(m[1]) if m and int(m[1]) in national_districts() else None


@lru_cache(maxsize=1)
def _tambon_districts() -> dict[str, frozenset[int]]:
    """The districts of the country that have a sub-district of each name."""
    out: dict[str, set[int]] = {}
    for code in national_districts():
        for t in tambons(code):
            out.setdefault(alias_key(t), set()).add(code)
    return {k: frozenset(v) for k, v in out.items()}


def _gather(province: Province, sheets: list[RawSheet]) -> tuple[dict[str, int], dict]:
    """The district texts of the sheets (alias key -> district code) and the clues of the rows
    naming each district."""
    texts: dict[str, int] = {}
    clues: dict[int, _Clues] = {}
    for raw in sheets:
        cols = {f: raw.column_of(f) for f in ("district_code", "applicant_id", "tambon")}
        if cols["district_code"] is None:
            continue
        for _row, cells in raw.rows:
            got = {
                f: cells[c] if c is not None and c < len(cells) else None for f, c in cols.items()
            }
            text = thai.to_arabic_digits(thai.clean_text(got["district_code"]) or "")
            code = province.resolve(text)
            if code is None:
                continue
            texts.setdefault(alias_key(text), code)
            c = clues.setdefault(code, _Clues())
            m = _ID_CODE_RE.match(thai.to_arabic_digits(str(got["applicant_id"] or "")))
            if m and int(m[2]) in national_districts():
                c.ids[int(m[2])] += 1
                c.id_year.setdefault(int(m[2]), m[1])
            tambon = thai.clean_text(got["tambon"])
            if tambon:
                c.tambons.add(alias_key(tambon.removeprefix("ตำบล").removeprefix("ต.")))
    return texts, clues


def _disagreements(code: int, fcode: int | None, c: _Clues) -> tuple[list, bool]:
    """(Thai, English) of each clue that points away from ``code``, and whether any confirms."""
    nd = national_districts()
    out = []
    if fcode is not None and fcode != code:
        th, en = _where(nd[fcode])
        out.append((f"ชื่อไฟล์ระบุรหัสอำเภอ {th}", f"the file name says district {en}"))
    if c.ids and code not in c.ids:
        other = c.ids.most_common(1)[0][0]
        th, en = _where(nd[other])
        pre = f"{c.id_year[other]}-{other}"
        out.append((f"รหัสผู้สมัครขึ้นต้นด้วย {pre} ({th})", f"the applicant ids start {pre} ({en})"))
    own = {alias_key(t) for t in tambons(code)}
    found = c.tambons & own
    if c.tambons and not found:
        where = Counter(d for t in c.tambons for d in _tambon_districts().get(t, ()))
        if where:
            other, n = where.most_common(1)[0]
            names = ", ".join(sorted(c.tambons))
            th, en = _where(nd[other])
            out.append(
                (
                    f"ตำบล {names} ไม่อยู่ในอำเภอ{nd[code].name_th} ({n} ตำบลอยู่ใน {th})",
                    f"the tambons ({names}) are not in {nd[code].name_en} ({n} are in {en})",
                )
            )
    confirmed = fcode == code or code in c.ids or bool(found)
    return out, confirmed


def doubts(province: Province, file_name: str, sheets: list[RawSheet]) -> dict[str, Doubt]:
    """The district texts of one source (alias key) that cannot be taken as written, and why:
    a clue points to another district, or a name several districts share ("อ.เมือง") has no
    clue confirming the one it would be read as. ``file_name``: the workbook's file name, or
    the folder name of a folder of CSV sheets."""
    from mchch_lib.data.reference import district_meanings

    texts, clues = _gather(province, sheets)
    fcode = file_code(file_name)
    out: dict[str, Doubt] = {}
    for key, code in texts.items():
        d = province.districts[code]
        against, confirmed = _disagreements(code, fcode, clues[code])
        shown = {"district_th": f"{code} {d.name_th}", "district_en": f"{code} {d.name_en}"}
        if against:
            out[key] = Doubt(
                "district_clues_disagree",
                {
                    **shown,
                    "clues_th": "; ".join(th for th, _ in against),
                    "clues_en": "; ".join(en for _, en in against),
                },
            )
        elif not confirmed and len(district_meanings(key)) > 1:
            out[key] = Doubt(
                "district_ambiguous",
                {
                    **shown,
                    "n": len(district_meanings(key)),
                    "district_name": d.name_th,
                    "code": code,
                },
            )
    return out
