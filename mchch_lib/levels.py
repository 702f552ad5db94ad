"""The levels the figures roll up to: district → province → region (ภาค) → nation.

There is one roll-up (``scoring.summarize``) and one completeness roll-up
(``completeness.rollup``); a level only says which column groups the applicants (and the
expected districts): ``district_code``, ``province_code``, ``region_code`` or none for the
nation. The national report, ``national.xlsx`` and the national forms all take their figures
from ``NationalScores`` and ``rollup`` here, the provincial report from the same functions
with the district level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from . import completeness, compliance, scoring
from .catalog import STANDARD_CODES, Catalog
from .national import NationalData
from .reference import national_districts, provinces, regions


@dataclass(frozen=True)
class Level:
    """One level of the roll-up: the column naming a unit (None: the nation) and its names."""

    name: str  # "district" | "province" | "region" | "nation"
    key: str | None
    th: str  # อำเภอ, จังหวัด, ภาค, ประเทศ

    def names(self) -> dict:
        """Thai name of each unit of the level, by code."""
        if self.name == "district":
            return {c: d.name_th for c, d in national_districts().items()}
        if self.name == "province":
            return {c: p.name_th for c, p in provinces().items()}
        if self.name == "region":
            return {i: th for i, th in enumerate(regions().values(), start=1)}
        return {}


LEVELS = {
    "nation": Level("nation", None, "ประเทศ"),
    "region": Level("region", "region_code", "ภาค"),
    "province": Level("province", "province_code", "จังหวัด"),
    "district": Level("district", "district_code", "อำเภอ"),
}


def place_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (with a ``district_code``) with its province and region codes added."""
    info = provinces()
    prov = (df["district_code"].astype("Int64") // 100).astype("Int64")
    region = {c: completeness.region_code(p.region_en) for c, p in info.items()}
    return df.assign(province_code=prov, region_code=prov.map(region).astype("Int64"))


def rollup(
    applicants: pd.DataFrame, level: Level, by_standard: bool = False, districts=None
) -> pd.DataFrame:
    """The roll-up (``scoring.summarize``) of applicants at a level, with the unit's name, and
    with ``districts`` (a ``completeness.district_table``) its reporting rate too."""
    by = [k for k in (level.key, "standard" if by_standard else None) if k]
    out = scoring.summarize(applicants, by=by)
    if level.key:
        out[level.key] = out[level.key].astype(int)
        out.insert(1, "name_th", out[level.key].map(level.names()))
    if districts is not None and not by_standard:
        done = completeness.rollup(districts, [level.key] if level.key else [])
        keep = ["expected", "with_data", "reporting_rate_pct"]
        out = (
            out.merge(done[[level.key, *keep]], on=level.key, how="outer")
            if level.key
            else pd.concat([out, done[keep]], axis=1)
        )
        for c in SUMMARY_COUNTS:
            out[c] = out[c].fillna(0).astype(int)
        if level.key:
            out["name_th"] = out[level.key].map(level.names())
            out = out.sort_values(level.key).reset_index(drop=True)
    return out


#: The count columns of a roll-up (zero for a unit that sent nothing).
SUMMARY_COUNTS = ["registered", "pre_assessed", "post_assessed", "not_yet_post", "ready"]


@dataclass
class NationalScores:
    """The scores of every province of a national run, computed once per process: applicants
    and indicators as each province's own run scores them, with province and region codes;
    the guideline findings of every district; the completeness of reporting."""

    data: NationalData
    catalog: Catalog
    deadline_41: object = None
    deadline_42: object = None
    _parts: dict = field(default_factory=dict, repr=False)

    def _province(self, code: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        if code not in self._parts:
            ds = self.data.datasets[code]
            ind = scoring.indicator_scores(ds, self.catalog)
            self._parts[code] = (ind, scoring.applicant_scores(ds, self.catalog, ind))
        return self._parts[code]

    @cached_property
    def applicants(self) -> pd.DataFrame:
        """Every applicant of the run, scored (``scoring.applicant_scores``), with places."""
        parts = [self._province(c)[1] for c in self.data.datasets]
        return place_columns(pd.concat(parts, ignore_index=True)) if parts else pd.DataFrame()

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """Every applicant × indicator (``scoring.indicator_scores``), with places."""
        parts = [self._province(c)[0] for c in self.data.datasets]
        return place_columns(pd.concat(parts, ignore_index=True)) if parts else pd.DataFrame()

    @cached_property
    def findings(self) -> pd.DataFrame:
        """The guideline checks of every district with data (``compliance.check_all``)."""
        parts = [
            compliance.check_all(ds, self.catalog, self.deadline_41, self.deadline_42)
            for ds in self.data.datasets.values()
        ]
        return place_columns(pd.concat(parts, ignore_index=True))

    @cached_property
    def districts(self) -> pd.DataFrame:
        """Completeness: a row per district expected (``completeness.district_table``)."""
        return completeness.district_table(self.data.datasets, self.data.scope)


def tidy_tables(s: NationalScores) -> dict[str, pd.DataFrame]:
    """``national.xlsx``: one tidy sheet per level (nation, region, province, district), a row
    per unit and standard (``standard`` "all": every standard), each row the roll-up's figures
    and, for all standards, the unit's completeness of reporting."""
    out = {}
    for name in ("nation", "region", "province", "district"):
        level = LEVELS[name]
        whole = rollup(s.applicants, level, districts=s.districts).assign(standard="all")
        by_std = rollup(s.applicants, level, by_standard=True)
        t = pd.concat([whole, by_std], ignore_index=True)
        keys = [level.key, "name_th"] if level.key else []
        if name in ("province", "district"):
            t = _with_parents(t, name)
            keys = [*PARENTS[name], *keys]
        order = {c: i for i, c in enumerate(["all", *STANDARD_CODES])}
        t = t.sort_values([*(k for k in keys if k != "name_th"), "standard"],
                          key=lambda c: c.map(order) if c.name == "standard" else c)  # fmt: skip
        cols = [*keys, "standard", *scoring.SUMMARY_COLUMNS,
                *(c for c in ("expected", "with_data", "reporting_rate_pct") if c in t)]  # fmt: skip
        out[name] = t[cols].reset_index(drop=True)
    return out


#: The parent units named on each row of a level's sheet.
PARENTS = {
    "province": ["region_code", "region_th"],
    "district": ["region_code", "region_th", "province_code", "province_th"],
}


def _with_parents(t: pd.DataFrame, name: str) -> pd.DataFrame:
    info = provinces()
    pcode = t["province_code"] if name == "province" else t["district_code"] // 100
    t = t.assign(
        region_code=pcode.map(lambda c: completeness.region_code(info[int(c)].region_en)),
        region_th=pcode.map(lambda c: info[int(c)].region_th),
    )
    if name == "district":
        t = t.assign(province_code=pcode.astype(int),
                     province_th=pcode.map(lambda c: info[int(c)].name_th))  # fmt: skip
    return t


_SCORES: dict[tuple, NationalScores] = {}


def national_scores(data: NationalData, catalog: Catalog, deadline_41=None, deadline_42=None):
    """The ``NationalScores`` of a national run, once per process (the national report,
    workbook and forms of one worker share them)."""
    key = (id(data), str(catalog.path), deadline_41, deadline_42)
    if key not in _SCORES:
        _SCORES.clear()  # one national run at a time
        _SCORES[key] = NationalScores(data, catalog, deadline_41, deadline_42)
    return _SCORES[key]
