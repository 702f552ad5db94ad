"""The levels the figures roll up to: district → province → region (ภาค) → nation.

There is one roll-up (``scoring.summarize``) and one completeness roll-up
(``completeness.rollup``); a level only says which column groups the applicants (and the
expected districts): ``district_code``, ``province_code``, ``region_code`` or none for the
nation. The national report, ``national.xlsx`` and the national forms all take their figures
from ``NationalScores`` and ``rollup`` here, the provincial report from the same functions
with the district level.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from mchch_lib.analysis import completeness, compliance, scoring
from mchch_lib.data.catalog import STANDARD_CODES, Catalog
from mchch_lib.data.national_inputs import NationalData
from mchch_lib.data.reference import national_districts, provinces, regions


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


#: What the national figures need of each province, computed once per province data key
#: and kept beside its clean data (``dataset.derived_dir``): a rerun after one district's edit
#: reads the other provinces' parts instead of scoring them again.
PART_TABLES = ("applicants", "indicators", "findings", "districts", "planned", "problems")


def _part_folder(key: str):
    from mchch_lib.data.dataset import derived_dir

    return derived_dir(key) / "national"


def part_cached(key: str) -> bool:
    """Whether the national figures' share of the province with this data key is cached."""
    return (_part_folder(key) / "done").exists()


def province_part(
    data: NationalData, code: int, catalog: Catalog, deadline_41=None, deadline_42=None
) -> dict[str, pd.DataFrame]:
    """A province's share of the national figures: its applicants and indicators scored as
    its own run scores them, the guideline findings of its districts, its completeness rows,
    the applicants with a plan, its problems. Read from the cache when there."""
    folder = _part_folder(data.keys[code])
    if part_cached(data.keys[code]):
        return {n: pd.read_parquet(folder / f"{n}.parquet") for n in PART_TABLES}
    ds = data.dataset(code)
    ind = scoring.indicator_scores(ds, catalog)
    part = {
        "applicants": scoring.applicant_scores(ds, catalog, ind),
        "indicators": ind,
        "findings": compliance.check_all(ds, catalog, deadline_41, deadline_42),
        "districts": completeness.district_table({code: ds}, [code]),
        "planned": pd.DataFrame(
            {"applicant_id": sorted(set(ds.plans["applicant_id"]))}, dtype="string"
        ),
        "problems": ds.problems.assign(province_code=code),
    }
    _write_part(folder, part)
    return part


def _write_part(folder, part: dict[str, pd.DataFrame]) -> None:
    """Written in a temporary folder renamed into place: two workers computing the same
    province both succeed, and a reader sees a whole part or none."""
    import os
    import shutil
    import tempfile

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".part-", dir=folder.parent)
    try:
        for n, t in part.items():
            t.to_parquet(os.path.join(tmp, f"{n}.parquet"), index=False)
        open(os.path.join(tmp, "done"), "w").close()
        try:
            os.rename(tmp, folder)
        except OSError:
            if not (folder / "done").exists():  # not another worker's identical part
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: The indicator columns the national report keeps (``scoring.indicator_gaps`` by nation).
GAP_COLUMNS = [
    "district_code",
    "standard",
    "indicator_id",
    "name_th",
    "full_marks",
    "pass_mark",
    "pre",
    "post",
]


@dataclass
class NationalScores:
    """The figures of every province of a national run, gathered province by province
    (``province_part``: one province's data in memory at a time): applicants and indicators
    scored as each province's own run scores them, with province and region codes; the
    guideline findings of every district; the completeness of reporting; the problems."""

    data: NationalData
    catalog: Catalog
    deadline_41: object = None
    deadline_42: object = None
    _tables: dict = field(default_factory=dict, repr=False)

    def _gather(self, name: str) -> pd.DataFrame:
        """One table of every province's part (of the indicators only what the national gaps
        need), kept as one table per kind beside the national data (``national_tables``):
        only the provinces not held there are read or scored, one part at a time."""
        if not self._tables:
            from mchch_lib.analysis import national_tables
            from mchch_lib.common.keys import content_hash

            def part_of(code: int) -> dict[str, pd.DataFrame]:
                part = province_part(self.data, code, self.catalog, self.deadline_41,
                                     self.deadline_42)  # fmt: skip
                return {**part, "indicators": part["indicators"][GAP_COLUMNS]}

            tag = content_hash(json.dumps(sorted(self.data.scope)), str(self.catalog.path),
                               str(self.deadline_41), str(self.deadline_42))  # fmt: skip
            keys = {code: self.data.keys[code] for code in self.data.codes}
            self._tables = national_tables.gather(keys, PART_TABLES, part_of, tag)
        return self._tables[name]

    @cached_property
    def applicants(self) -> pd.DataFrame:
        """Every applicant of the run, scored (``scoring.applicant_scores``), with places."""
        return place_columns(self._gather("applicants"))

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """Every applicant × indicator (``scoring.indicator_scores``; the columns of
        ``GAP_COLUMNS``), with places."""
        return place_columns(self._gather("indicators"))

    @cached_property
    def findings(self) -> pd.DataFrame:
        """The guideline checks of every district with data (``compliance.check_all``)."""
        return place_columns(self._gather("findings"))

    @cached_property
    def districts(self) -> pd.DataFrame:
        """Completeness: a row per district expected (``completeness.district_table``), the
        provinces of the scope that sent nothing included."""
        silent = [c for c in self.data.scope if c not in self.data.keys]
        parts = [self._gather("districts"), completeness.district_table({}, silent)]
        t = pd.concat([p for p in parts if len(p)], ignore_index=True)
        return t.sort_values(["province_code", "district_code"]).reset_index(drop=True)

    @cached_property
    def problems(self) -> pd.DataFrame:
        """Every problem of the run, with its province (none: an input nothing placed)."""
        p = self._gather("problems")
        if self.data.unplaced is not None and len(self.data.unplaced.problems):
            p = pd.concat(
                [p, self.data.unplaced.problems.assign(province_code=pd.NA)], ignore_index=True
            )
        return p

    def dataset(self):
        """A dataset of the nation for the report's context: the applicants with a plan (the
        stages) and every problem; provenance from every input."""
        from mchch_lib.data.contract import Dataset, empty_table

        plans = empty_table("plans")
        planned = self._gather("planned")
        plans = pd.concat([plans, planned], ignore_index=True) if len(planned) else plans
        return Dataset(
            empty_table("applicants"),
            empty_table("scores"),
            empty_table("officers"),
            empty_table("committee"),
            plans,
            self.problems,
            pd.DataFrame(),
            input_hash=self.data.input_hash,
            files=list(self.data.file_digests),
            province_code=0,
            year=self.data.year,
            file_digests=dict(self.data.file_digests),
        )


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
        t = t.sort_values(
            [*(k for k in keys if k != "name_th"), "standard"],
            key=lambda c: c.map(order) if c.name == "standard" else c,
        )
        cols = [
            *keys,
            "standard",
            *scoring.SUMMARY_COLUMNS,
            *(c for c in ("expected", "with_data", "reporting_rate_pct") if c in t),
        ]
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
        t = t.assign(
            province_code=pcode.astype(int), province_th=pcode.map(lambda c: info[int(c)].name_th)
        )
    return t


_SCORES: dict[tuple, NationalScores] = {}


def national_scores(data: NationalData, catalog: Catalog, deadline_41=None, deadline_42=None):
    """The ``NationalScores`` of a national run, once per process (the national report,
    workbook and forms of one worker share them)."""
    key = (tuple(sorted(data.keys.items())), str(catalog.path), deadline_41, deadline_42)
    if key not in _SCORES:
        _SCORES.clear()  # one national run at a time
        _SCORES[key] = NationalScores(data, catalog, deadline_41, deadline_42)
    return _SCORES[key]
