"""The standards catalog (เกณฑ์มาตรฐาน): standards, indicators (ตัวบ่งชี้), full marks
(คะแนนเต็ม) and certification rules. The catalog is data the province edits (a YAML file under
``data/catalog/``), never code; loading it checks it and names the file and the bad entry."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from mchch_lib import config
from mchch_lib.common import sanitize as safety
from mchch_lib.data.reference import alias_key
from mchch_lib.errors import CatalogError

#: The four standards (target types) of มชช., in report order.
STANDARD_CODES: tuple[str, ...] = ("leader", "group", "network", "community")

_TOP_KEYS = {
    "example",
    "year",
    "title_th",
    "default_pass_share_pct",
    "standards",
    "previous",
    "subcriteria",
}
_STD_KEYS = {"name_th", "short_th", "name_en", "unit_th", "rule", "indicators"}
_RULE_KEYS = {"min_share_pct", "min_indicators_passed", "core_must_pass"}
_IND_KEYS = {"id", "name_th", "name_en", "dimension_th", "full_marks", "pass_mark", "core"}
_SUB_KEYS = {"id", "name_th", "marks"}


def marks_sum(values) -> float:
    """The sum of marks or scores as a person adds them: exact for values with a few decimals
    (``math.fsum`` rounded to 6 places, so 3.3 + 3.3 + 3.4 is 10, never 9.999999999999998).
    The one sum used wherever sub-criteria are added up (catalog, validation, reports)."""
    return round(math.fsum(float(v) for v in values), 6)


@dataclass(frozen=True)
class SubCriterion:
    """A standard sub-criterion (เกณฑ์ย่อย) of an indicator: its marks are part of the
    indicator's full marks (the sub-criteria of an indicator add up to them exactly)."""

    id: str
    indicator_id: str
    name_th: str
    marks: float
    order: int


@dataclass(frozen=True)
class Indicator:
    """One indicator (ตัวบ่งชี้) of a standard."""

    id: str
    standard: str
    name_th: str
    dimension_th: str
    full_marks: float
    pass_mark: float
    core: bool
    order: int
    subcriteria: tuple[SubCriterion, ...] = ()


@dataclass(frozen=True)
class Rule:
    """Certification rule: share of marks **and** core indicators (**and** optionally a count)."""

    min_share_pct: float
    core_must_pass: bool
    min_indicators_passed: int | None = None


@dataclass(frozen=True)
class Standard:
    code: str
    name_th: str
    short_th: str
    name_en: str
    unit_th: str
    rule: Rule
    indicators: tuple[Indicator, ...]

    @property
    def full_total(self) -> float:
        """Total full marks (คะแนนเต็มรวม) of the standard."""
        return float(sum(i.full_marks for i in self.indicators))


@dataclass(frozen=True)
class Catalog:
    path: Path
    year: int
    title_th: str
    example: bool
    standards: dict[str, Standard]
    #: The catalog's optional ``previous`` key: the year it follows and, for each indicator
    #: whose id changed since that year, its id then (None: a new indicator).
    previous_year: int | None = None
    previous_ids: dict[str, str | None] = field(default_factory=dict)

    @cached_property  # asked for every score cell a validation reads
    def indicators(self) -> dict[str, Indicator]:
        """Every indicator by id, in catalog order."""
        return {i.id: i for s in self.standards.values() for i in s.indicators}

    @cached_property
    def subcriteria(self) -> dict[str, SubCriterion]:
        """Every standard sub-criterion (เกณฑ์ย่อย) by id, in catalog order."""
        return {c.id: c for i in self.indicators.values() for c in i.subcriteria}

    def indicator_table(self):
        """The indicators as a pandas table: one row per indicator, in catalog order."""
        import pandas as pd

        rows = [
            {
                "standard": i.standard,
                "indicator_id": i.id,
                "name_th": i.name_th,
                "dimension_th": i.dimension_th,
                "full_marks": i.full_marks,
                "pass_mark": i.pass_mark,
                "core": i.core,
                "order": i.order,
            }
            for s in self.standards.values()
            for i in s.indicators
        ]
        return pd.DataFrame(rows)

    def resolve_standard(self, text: object) -> str | None:
        """Standard code for a code, a Thai name (with or without "มาตรฐาน") or English name."""
        if text is None:
            return None
        key = alias_key(str(text))
        for s in self.standards.values():
            names = {s.code, s.name_th, s.short_th, s.name_en, s.name_th.removeprefix("มาตรฐาน")}
            if key in {alias_key(n) for n in names}:
                return s.code
        return None

    def earlier_id(self, indicator_id: str) -> str | None:
        """The id the indicator had in ``previous_year`` (ตัวบ่งชี้เดิม): as mapped by the
        catalog's ``previous.indicators``, else the same id; None for a new indicator."""
        return self.previous_ids.get(indicator_id, indicator_id)

    @property
    def digest_source(self) -> bytes:
        return self.path.read_bytes()


def _fail(path: Path, where: str, msg: str) -> CatalogError:
    return CatalogError(f"{path}: {where}: {msg}")


def _number(path: Path, where: str, value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, where, f"{name} must be a number, got {value!r}")
    return float(value)


def _check_keys(path: Path, where: str, data: object, allowed: set[str], required: set[str]):
    if not isinstance(data, dict):
        raise _fail(path, where, f"expected a mapping, got {type(data).__name__}")
    unknown = set(data) - allowed
    if unknown:
        raise _fail(path, where, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    missing = required - set(data)
    if missing:
        raise _fail(path, where, f"missing key(s) {sorted(missing)}")


def load_catalog(path: str | Path | None = None, year: int | None = None) -> Catalog:
    """Read and check a catalog file, given by its path or by its year (``data/catalog/<year>``);
    raise CatalogError naming the file and the bad entry."""
    if path is None and year is None:
        raise CatalogError("ไม่ได้ระบุเกณฑ์มาตรฐาน / no catalog named: give its file or its year")
    path = Path(path) if path is not None else config.catalog_path(year)
    return _load_catalog_cached(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=16)
def _load_catalog_cached(path: Path, _mtime: int) -> Catalog:
    if not path.exists():
        raise CatalogError(f"{path}: catalog file not found")
    try:
        data = safety.load_yaml(path)
    except safety.YamlTooLarge as e:
        raise CatalogError(f"{path}: {e}") from e
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise CatalogError(f"{path}: not valid YAML: {e}") from e
    _check_keys(path, "top level", data, _TOP_KEYS, {"year", "standards"})
    default_share = _number(
        path,
        "default_pass_share_pct",
        data.get("default_pass_share_pct", 60),
        "default_pass_share_pct",
    )
    if not 0 <= default_share <= 100:
        raise _fail(path, "default_pass_share_pct", f"must be within 0-100 %, got {default_share}")
    stds = data["standards"]
    if not isinstance(stds, dict) or not stds:
        raise _fail(path, "standards", "must be a non-empty mapping of standard code to standard")
    seen: dict[str, str] = {}  # indicator id -> where it was first defined
    for code in stds:
        if code not in STANDARD_CODES:
            raise _fail(
                path, f"standards.{code}", f"unknown standard code; use one of {STANDARD_CODES}"
            )
    standards = {
        code: _standard(path, code, stds[code], default_share, seen)
        for code in STANDARD_CODES
        if code in stds
    }
    standards = _with_subcriteria(path, standards, data.get("subcriteria"))
    year = data["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 2400 < year < 2700:
        raise _fail(path, "year", f"must be a Buddhist-Era year such as 2561, got {year!r}")
    prev_year, prev_ids = _previous(path, data.get("previous"), year, seen)
    return Catalog(
        path,
        year,
        str(data.get("title_th", "")),
        bool(data.get("example", False)),
        standards,
        prev_year,
        prev_ids,
    )


def _standard(path: Path, code: str, s: object, default_share: float, seen: dict) -> Standard:
    """One standard of the catalog: names, certification rule, indicators (each checked)."""
    where = f"standards.{code}"
    _check_keys(path, where, s, _STD_KEYS, {"name_th", "name_en", "rule", "indicators"})
    r = s["rule"]
    _check_keys(path, f"{where}.rule", r, _RULE_KEYS, {"min_share_pct"})
    share = _number(path, f"{where}.rule.min_share_pct", r["min_share_pct"], "min_share_pct")
    if not 0 <= share <= 100:
        raise _fail(
            path, f"{where}.rule.min_share_pct", f"threshold must be within 0-100 %, got {share}"
        )
    inds_raw = s["indicators"]
    if not isinstance(inds_raw, list) or not inds_raw:
        raise _fail(path, f"{where}.indicators", "must be a non-empty list")
    inds = [
        _indicator(path, where, code, n, ind, default_share, seen) for n, ind in enumerate(inds_raw)
    ]
    mip = r.get("min_indicators_passed")
    if mip is not None and (
        isinstance(mip, bool) or not isinstance(mip, int) or not 0 <= mip <= len(inds)
    ):
        raise _fail(
            path,
            f"{where}.rule.min_indicators_passed",
            f"must be an integer within 0-{len(inds)}, got {mip!r}",
        )
    return Standard(
        code,
        str(s["name_th"]),
        str(s.get("short_th", s["name_th"])),
        str(s["name_en"]),
        str(s.get("unit_th", "หน่วย")),
        Rule(share, bool(r.get("core_must_pass", True)), mip),
        tuple(inds),
    )


def _indicator(path, where, code, n, ind, default_share, seen) -> Indicator:
    """One indicator of a standard: id unique in the catalog, marks within bounds."""
    w = f"{where}.indicators[{n}]"
    _check_keys(path, w, ind, _IND_KEYS, {"id", "name_th", "full_marks"})
    iid = str(ind["id"]).strip()
    w = f"{where}.indicators[{n}] (id {iid})"
    if not iid:
        raise _fail(path, w, "empty indicator id")
    if iid in seen:
        raise _fail(path, w, f"duplicate indicator id {iid!r} (already in {seen[iid]})")
    seen[iid] = where
    full = _number(path, w, ind["full_marks"], "full_marks")
    if full <= 0:
        raise _fail(path, w, f"full_marks must be positive, got {ind['full_marks']}")
    pm = ind.get("pass_mark")
    pass_mark = full * default_share / 100 if pm is None else _number(path, w, pm, "pass_mark")
    if not 0 <= pass_mark <= full:
        raise _fail(path, w, f"pass_mark {pass_mark} is outside 0-{full}")
    return Indicator(
        iid,
        code,
        str(ind["name_th"]),
        str(ind.get("dimension_th", "")),
        full,
        pass_mark,
        bool(ind.get("core", False)),
        n,
    )


def _previous(
    path: Path, raw: object, year: int, ids: dict[str, str]
) -> tuple[int | None, dict[str, str | None]]:
    """The optional ``previous`` key: ``{year: 2561, indicators: {new_id: old_id | null}}``.

    Checked: an earlier year; keys are indicators of this catalog; no two indicators of this
    year claim one earlier id (an unmapped id that is still in this catalog claims itself)."""
    if raw is None:
        return None, {}
    _check_keys(path, "previous", raw, {"year", "indicators"}, {"year"})
    prev = raw["year"]
    if isinstance(prev, bool) or not isinstance(prev, int) or not 2400 < prev < year:
        raise _fail(path, "previous.year", f"must be a year before {year}, got {prev!r}")
    mapping = raw.get("indicators") or {}
    if not isinstance(mapping, dict):
        raise _fail(
            path, "previous.indicators", "must be a mapping of this year's id to the id then"
        )
    out: dict[str, str | None] = {}
    for new, old in mapping.items():
        where = f"previous.indicators.{new}"
        if str(new) not in ids:
            raise _fail(path, where, f"{new!r} is not an indicator of this catalog")
        if old is not None and (not isinstance(old, str | int) or not str(old).strip()):
            raise _fail(
                path, where, f"the id in {prev} must be an indicator id or null, got {old!r}"
            )
        out[str(new)] = None if old is None else str(old).strip()
    claimed: dict[str, str] = {}
    for iid in ids:
        old = out.get(iid, iid)
        if old is None:
            continue
        if old in claimed:
            raise _fail(
                path,
                f"previous.indicators.{iid}",
                f"{claimed[old]} and {iid} would both be {prev}'s {old}; map the other one "
                "too (null for an indicator that is new)",
            )
        claimed[old] = iid
    return prev, out


def _subcriteria_problems(path: Path, inds: dict[str, Indicator], raw: object):
    """(sub-criteria by indicator id, every problem found): all of them, so one error names
    every indicator whose sub-criteria do not add up, not only the first."""
    if not isinstance(raw, dict):
        return {}, [f"subcriteria: expected a mapping of indicator id to a list, got {raw!r}"]
    out: dict[str, tuple[SubCriterion, ...]] = {}
    problems: list[str] = []
    seen: set[str] = set()
    for iid, items in raw.items():
        where = f"subcriteria.{iid}"
        ind = inds.get(str(iid))
        if ind is None:
            problems.append(f"{where}: no indicator {iid!r} in the standards")
            continue
        if not isinstance(items, list) or not items:
            problems.append(f"{where}: must be a non-empty list of sub-criteria")
            continue
        subs = []
        for n, item in enumerate(items):
            w = f"{where}[{n}]"
            try:
                _check_keys(path, w, item, _SUB_KEYS, _SUB_KEYS)
                marks = _number(path, w, item["marks"], "marks")
            except CatalogError as e:
                problems.append(str(e).removeprefix(f"{path}: "))
                continue
            sid = str(item["id"]).strip()
            if not sid or sid in seen or sid in inds:
                problems.append(f"{w}: sub-criterion id {sid!r} is empty or used twice")
            elif marks <= 0:
                problems.append(f"{w} (id {sid}): marks must be positive, got {marks:g}")
            seen.add(sid)
            subs.append(SubCriterion(sid, ind.id, str(item["name_th"]), marks, n))
        total = marks_sum(c.marks for c in subs)
        if len(subs) == len(items) and total != marks_sum([ind.full_marks]):
            problems.append(
                f"{where}: the marks add up to {total:g}, but the full marks of {iid} "
                f"are {ind.full_marks:g}"
            )
        out[ind.id] = tuple(subs)
    return out, problems


def _with_subcriteria(path: Path, standards: dict[str, Standard], raw: object):
    """The standards with each indicator's sub-criteria; CatalogError listing every problem."""
    import dataclasses

    if raw is None:
        return standards
    inds = {i.id: i for s in standards.values() for i in s.indicators}
    subs, problems = _subcriteria_problems(path, inds, raw)
    if problems:
        raise CatalogError(
            f"{path}: {len(problems)} problem(s) in the sub-criteria (เกณฑ์ย่อย):\n  "
            + "\n  ".join(problems)
        )
    return {
        code: dataclasses.replace(
            s,
            indicators=tuple(
                dataclasses.replace(i, subcriteria=subs.get(i.id, ())) for i in s.indicators
            ),
        )
        for code, s in standards.items()
    }
