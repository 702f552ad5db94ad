"""District (อำเภอ) and sub-district (ตำบล) reference tables with DOPA codes.

The national tables ship inside the package: the DOPA 928 districts of the ``geothai`` package
3.2.1 (CC BY 4.0 data, MIT code) with the regions of kongvut/thai-province-data (MIT); see
``resources/REFERENCE_README.md`` for the notice and why they are copies, not a dependency. A province may add accepted spellings of its districts in
``data/reference/district_aliases.csv`` (columns ``district_code,alias``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mchch_lib import config
from mchch_lib.errors import ReferenceDataError

_PREFIXES = ("อำเภอ", "อ.", "เขต", "amphoe", "amphur", "khet", "district")
_SPACE_RE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\ufeff]+")


def alias_key(text: str) -> str:
    """Key used to compare district spellings: no spaces (incl. NBSP, zero-width), lower case."""
    return _SPACE_RE.sub("", str(text)).lower()


@dataclass(frozen=True)
class District:
    code: int
    name_th: str
    name_en: str
    province_code: int
    province_th: str
    province_en: str


@dataclass
class Province:
    """The districts of one province, with every accepted spelling of each."""

    code: int
    name_th: str
    name_en: str
    districts: dict[int, District]
    _aliases: dict[str, int] = field(default_factory=dict, repr=False)

    def resolve(self, text: object) -> int | None:
        """District code for "อ.ตาคลี", "อำเภอตาคลี", "Takhli", "6007" or 6007; None if unknown."""
        if text is None:
            return None
        key = alias_key(str(text))
        if key.endswith(".0") and key[:-2].isdigit():
            key = key[:-2]
        return self._aliases.get(key)

    def code_in_name(self, file_name: str) -> int | None:
        """The district a file name starts with ("6007_takhli.xlsx" -> 6007), if any: used to
        say which district an unreadable file belongs to."""
        m = re.match(r"\s*(\d{4})(?!\d)", file_name)
        return int(m[1]) if m and int(m[1]) in self.districts else None


def _auto_aliases(d: District) -> set[str]:
    names = {d.name_th, d.name_en, str(d.code)}
    th = d.name_th
    if th.startswith("เมือง") and th != "เมือง":
        names.add("เมือง")  # "อ.เมือง" is how staff write the capital district
    out = set()
    for n in names:
        out.add(alias_key(n))
        for p in _PREFIXES:
            out.add(alias_key(p + n))
            out.add(alias_key(p + " " + n))
    return out


@lru_cache(maxsize=128)  # a national run holds every province
def load_province(province_code: int, aliases_csv: Path | None = None) -> Province:
    """Districts of a province from the national table, plus the province's own aliases file."""
    path = config.NATIONAL_DISTRICTS_CSV
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if int(r["province_code"]) == int(province_code)]
    if not rows:
        raise ReferenceDataError(f"{path}: no district has province code {province_code}")
    districts = {int(r["district_code"]): _district(r) for r in rows}
    aliases: dict[str, int] = {}
    for d in districts.values():
        for a in _auto_aliases(d):
            aliases.setdefault(a, d.code)
    extra = (
        aliases_csv if aliases_csv is not None else config.REFERENCE_DIR / "district_aliases.csv"
    )
    if extra.exists():
        with extra.open(encoding="utf-8") as f:
            for i, r in enumerate(csv.DictReader(f), start=2):
                try:
                    code = int(r["district_code"])
                except (KeyError, TypeError, ValueError) as e:
                    raise ReferenceDataError(f"{extra}, row {i}: bad district_code ({e})") from e
                if code not in districts:
                    continue  # another province's alias
                aliases[alias_key(r["alias"])] = code
    first = rows[0]
    return Province(
        int(province_code), first["province_th"], first["province_en"], districts, aliases
    )


def tambons(district_code: int) -> list[str]:
    """Thai names of the sub-districts (ตำบล) of a district, in code order."""
    return list(_tambons().get(int(district_code), ()))


@lru_cache(maxsize=1)
def _tambons() -> dict[int, tuple[str, ...]]:
    """The sub-district names of every district (the table is read once)."""
    out: dict[int, list[str]] = {}
    with config.NATIONAL_SUBDISTRICTS_CSV.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out.setdefault(int(r["district_code"]), []).append(r["name_th"])
    return {k: tuple(v) for k, v in out.items()}


# ---------------------------------------------------------------- the national scope
#: The six regions (ภาค) of ``provinces.csv``, north to south: the order of national tables.
REGIONS_EN = ("Northern", "Northeastern", "Central", "Eastern", "Western", "Southern")


@dataclass(frozen=True)
class ProvinceInfo:
    """One of the 77 provinces of ``provinces.csv``: names, region (ภาค), number of districts."""

    code: int
    name_th: str
    name_en: str
    region_th: str
    region_en: str
    n_districts: int

    @property
    def place_th(self) -> str:
        """ "จังหวัดนครสวรรค์"; Bangkok is named as it is ("กรุงเทพมหานคร")."""
        return self.name_th if self.code == 10 else f"จังหวัด{self.name_th}"


@lru_cache(maxsize=1)
def provinces() -> dict[int, ProvinceInfo]:
    """Every province by code, from the shipped national table (with its region)."""
    with config.NATIONAL_PROVINCES_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        int(r["province_code"]): ProvinceInfo(
            int(r["province_code"]),
            r["name_th"],
            r["name_en"],
            r["region_th"],
            r["region_en"],
            int(r["districts"]),
        )
        for r in rows
    }


def regions() -> dict[str, str]:
    """Thai name of each region by its English name, north to south."""
    th = {p.region_en: p.region_th for p in provinces().values()}
    return {en: th[en] for en in REGIONS_EN if en in th}


@lru_cache(maxsize=1)
def national_districts() -> dict[int, District]:
    """Every district of the country by code."""
    with config.NATIONAL_DISTRICTS_CSV.open(encoding="utf-8") as f:
        return {int(r["district_code"]): _district(r) for r in csv.DictReader(f)}


def _district(r: dict) -> District:
    """A row of ``districts.csv`` as a District."""
    return District(
        int(r["district_code"]),
        r["name_th"],
        r["name_en"],
        int(r["province_code"]),
        r["province_th"],
        r["province_en"],
    )


@lru_cache(maxsize=1)
def _national_aliases() -> dict[str, frozenset[int]]:
    """Every accepted spelling of a district, country-wide, with the districts it may mean
    ("อ.เมือง" and "เฉลิมพระเกียรติ" mean several)."""
    out: dict[str, set[int]] = {}
    for d in national_districts().values():
        for a in _auto_aliases(d):
            out.setdefault(a, set()).add(d.code)
    extra = config.REFERENCE_DIR / "district_aliases.csv"
    if extra.exists():
        with extra.open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if str(r.get("district_code", "")).strip().isdigit():
                    out.setdefault(alias_key(r["alias"]), set()).add(int(r["district_code"]))
    return {k: frozenset(v) for k, v in out.items()}


def place_district(text: object) -> int | None:
    """The district a written value means anywhere in the country (code or name, as
    ``Province.resolve`` reads it), or None when unknown or ambiguous ("อ.เมือง")."""
    from mchch_lib.common.thai import to_arabic_digits

    if text is None:
        return None
    key = alias_key(to_arabic_digits(str(text)))
    if key.endswith(".0") and key[:-2].isdigit():
        key = key[:-2]
    codes = _national_aliases().get(key, ())
    return next(iter(codes)) if len(codes) == 1 else None


def district_meanings(text: object) -> frozenset[int]:
    """Every district of the country a written value may mean: one for "ตาคลี" or "6007",
    several for "อ.เมือง" (each province's capital district), none when unknown."""
    from mchch_lib.common.thai import to_arabic_digits

    if text is None:
        return frozenset()
    key = alias_key(to_arabic_digits(str(text)))
    if key.endswith(".0") and key[:-2].isdigit():
        key = key[:-2]
    return _national_aliases().get(key, frozenset())
