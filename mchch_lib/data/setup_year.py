"""``mchch init``: prepare one province's year (เตรียมงานของจังหวัดสำหรับปีงบประมาณ).

Writes, under a folder ``D``, what a province needs before its districts send anything:
``D/params/YEAR.yaml`` (province, year, the letter's deadlines to fill in, inputs, outputs,
commented in Thai), ``D/data/catalog/YEAR.yaml`` (the catalog of the year, to edit) and
``D/data/YEAR/<code>_<name>.xlsx``, one blank workbook per district of the province from the
DOPA reference table, each as ``mchch template`` makes it with its district named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mchch_lib import config
from mchch_lib.common.atomic import write_text
from mchch_lib.common.keys import unit_stem
from mchch_lib.errors import MchchError


class SetupError(MchchError):
    """``mchch init`` cannot prepare the folder (unknown province, folder not empty)."""


@dataclass(frozen=True)
class Prepared:
    """What ``prepare_year`` wrote."""

    folder: Path
    province_code: int
    province_th: str
    year: int
    params: Path
    catalog: Path
    workbooks: tuple[Path, ...]


def resolve_province(text: str | int) -> int:
    """A province code from its DOPA code (``30``) or its Thai or English name
    (``นครราชสีมา``, ``จังหวัดนครราชสีมา``, ``Nakhon Ratchasima``)."""
    from mchch_lib.data.reference import provinces

    known = provinces()
    s = str(text).strip()
    if s.isdigit() and int(s) in known:
        return int(s)
    key = re.sub(r"\s+", "", s.removeprefix("จังหวัด")).casefold()
    for code, p in known.items():
        if key in (p.name_th.replace(" ", "").casefold(), p.name_en.replace(" ", "").casefold()):
            return code
    raise SetupError(
        f"ไม่รู้จักจังหวัด {s!r}: ใช้รหัสจังหวัด 2 หลักของกรมการปกครอง (เช่น 30) หรือชื่อจังหวัด "
        f"(เช่น นครราชสีมา) / unknown province {s!r}: give its DOPA code (e.g. 30) or its name"
    )


def _catalog_source(year: int) -> tuple[Path, int]:
    """The catalog of ``year`` if the project has one, else the latest one before it (or the
    earliest one): its path and its year."""
    have = {int(p.stem): p for p in config.CATALOG_DIR.glob("*.yaml") if p.stem.isdigit()}
    if not have:
        raise SetupError(f"{config.CATALOG_DIR}: ไม่พบเกณฑ์มาตรฐาน / no catalog file")
    if year in have:
        return have[year], year
    earlier = [y for y in have if y < year]
    y = max(earlier) if earlier else min(have)
    return have[y], y


def _catalog_text(year: int) -> str:
    """The catalog file for ``year``: the project's, or an earlier year's with its year changed
    and its ``previous:`` block (ids that changed since the year before it) left out."""
    src, src_year = _catalog_source(year)
    text = src.read_text(encoding="utf-8")
    if src_year == year:
        return text
    text = re.sub(r"^year: \d+", f"year: {year}", text, count=1, flags=re.M)
    text = re.sub(r"^(title_th: .*)ปี \d+", rf"\g<1>ปี {year}", text, count=1, flags=re.M)
    text = re.sub(r"^previous:\n(?:[ #].*\n|\n)*", "", text, count=1, flags=re.M)
    return (
        f"# คัดลอกจากเกณฑ์ปี {src_year}: แก้ตัวบ่งชี้และคะแนนเต็มให้ตรงกับหนังสือสั่งการของปี {year}\n"
        f"# copied from the {src_year} catalog: edit it to the department's catalog of {year}\n"
        + text
    )


def params_text(code: int, year: int) -> str:
    """The params file of a province's year, in the project's schema, commented in Thai."""
    from mchch_lib.data.reference import provinces

    p = provinces()[code]
    return f"""\
# พารามิเตอร์ของ มชช. ปี {year} {p.place_th} (สร้างโดย mchch init)
# Parameters of the มชช. {year} run for {p.name_en} (made by `mchch init`). Paths are relative
# to the folder above params/. An unknown or misspelt key is an error.
year: {year}                 # ปีงบประมาณ (พ.ศ.)
province_code: {code}          # รหัสจังหวัด ({p.name_th}) ตามกรมการปกครอง
office_th: สำนักงานพัฒนาชุมชน{p.place_th}
# โฟลเดอร์ที่เก็บแบบฟอร์มของอำเภอ (วางไฟล์ .xlsx ของทุกอำเภอไว้ที่นี่)
inputs:
  - data/{year}
# เกณฑ์มาตรฐาน (ตัวบ่งชี้ คะแนนเต็ม เกณฑ์ผ่าน): แก้ให้ตรงกับหนังสือสั่งการของกรม
catalog: data/catalog/{year}.yaml
# กำหนดส่งตามหนังสือสั่งการของจังหวัด (วัน/เดือน/ปี พ.ศ.): แก้ให้ตรงกับหนังสือของท่าน
deadlines:
  report_41: "18/05/{year}"   # 4.1 ส่งรายชื่อผู้สมัคร (applicant list)
  report_42: "10/08/{year}"   # 4.2 ส่งผลการพัฒนาตนเอง (results of self-development)
# รายงานและเอกสารที่ได้ จะอยู่ในโฟลเดอร์นี้
output:
  dir: reports/{year}
  thai_digits: false   # true: ใช้เลขไทย (๑๒๓) ในรายงาน
  forms: true          # แบบรายงาน Excel
  deck: true           # สไลด์นำเสนอ (pptx)
  bundle: true         # รวมไฟล์ทั้งหมดเป็นชุดเดียว (zip)
"""


def _check_empty(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise SetupError(f"{folder}: ไม่ใช่โฟลเดอร์ / not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise SetupError(
            f"{folder}: โฟลเดอร์นี้มีไฟล์อยู่แล้ว ไม่เขียนทับ (ใช้ --force เพื่อเขียนทับ) / the folder "
            "is not empty; nothing was written (--force overwrites the files mchch init makes)"
        )


def prepare_year(
    province: str | int, year: int, folder: str | Path = ".", force: bool = False
) -> Prepared:
    """Write the params, the catalog and one blank workbook per district of ``province``
    under ``folder``; refuse a non-empty folder unless ``force``."""
    from mchch_lib.data.blank_workbook import write_template
    from mchch_lib.data.reference import load_province

    if not 2500 <= year <= 2700:
        raise SetupError(f"ปี {year}: ใช้ปี พ.ศ. เช่น 2562 / give a Buddhist-Era year, e.g. 2562")
    code = resolve_province(province)
    folder = Path(folder)
    _check_empty(folder, force)
    prov = load_province(code)
    catalog = folder / "data" / "catalog" / f"{year}.yaml"
    write_text(catalog, _catalog_text(year))
    books = []
    for dcode, d in sorted(prov.districts.items()):
        target = folder / "data" / str(year) / f"{unit_stem(dcode, d.name_th)}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        books.append(write_template(target, year, code, dcode, catalog_path=catalog))
    params = folder / "params" / f"{year}.yaml"
    write_text(params, params_text(code, year))
    return Prepared(folder, code, prov.name_th, year, params, catalog, tuple(books))
