"""Comparing years (เปรียบเทียบกับปีที่ผ่านมา): มชช. runs every year, so this year's results
are read beside the earlier years' named in the params (``compare_with``).

- An earlier year comes from its own params file: its catalog, its inputs, its clean data from
  its own cache or validated on the fly (its problems are not reported again).
- Indicators are compared by this year's id: an earlier year's indicator is the one the
  catalogs' ``previous`` mapping says (same id when not mapped; a renamed indicator keeps its
  id and is shown with its earlier name beside it).
- Units (หน่วยนับ) that come back are matched by :mod:`mchch_lib.analysis.matching`.
- Every figure is :func:`mchch_lib.analysis.scoring.summarize` with a ``year`` key, at each level.

:func:`compare` makes the tables the reports, the explorer and ``mchch compare`` show.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from mchch_lib.analysis import matching, scoring
from mchch_lib.data.catalog import STANDARD_CODES, Catalog, load_catalog
from mchch_lib.data.contract import Dataset
from mchch_lib.errors import MchchError

#: The figures compared at each level (scoring.summarize columns, share as %).
MEASURES = [
    "registered",
    "pre_assessed",
    "post_assessed",
    "ready",
    "mean_pre_pct",
    "mean_post_pct",
    "share_ready_pct",
]
#: Where an applicant table says who the provincial committee certified (the final round).
CERTIFIED = "certified"
#: The figures compared per indicator (this year's id).
INDICATOR_MEASURES = ["n_post", "mean_post_pct", "share_below_pass_pct"]
#: An indicator stays weak when it is among this many largest gaps to full marks (the rows of
#: the reports' gap table, scoring.TOP_GAPS) in both years.
WEAK_TOP = scoring.TOP_GAPS
TIDY_COLUMNS = ["level", "code", "name", "standard", "indicator", "measure", "year", "value"]


@dataclass
class YearData:
    """One year's data as the reports use it."""

    year: int
    catalog: Catalog
    data: Dataset
    applicants: pd.DataFrame  # scoring.applicant_scores
    indicators: pd.DataFrame  # scoring.indicator_scores

    def for_district(self, code: int) -> YearData:
        """The same year restricted to one district."""
        a, i = self.applicants, self.indicators
        return dataclasses.replace(
            self,
            data=self.data.for_district(code),
            applicants=a[a["district_code"] == code].reset_index(drop=True),
            indicators=i[i["district_code"] == code].reset_index(drop=True),
        )


def year_data(ds: Dataset, catalog: Catalog, year: int | None = None) -> YearData:
    """A year from its clean data and catalog (scores computed here)."""
    ind = scoring.indicator_scores(ds, catalog)
    apps = scoring.applicant_scores(ds, catalog, ind)
    return YearData(year or catalog.year, catalog, ds, apps, ind)


def load_year(params_file: str | Path) -> YearData:
    """An earlier year from its own params file: clean data from its cache, or validated now
    (its problems are kept in its data, not reported again)."""
    from mchch_lib.data import dataset
    from mchch_lib.data.params import load_params

    p = load_params(params_file)
    ds = dataset.load_for_params(p)
    key = (p.digest, ds.key)
    if key not in _LOADED:  # a batch worker scores an earlier year once for all its reports
        if len(_LOADED) >= 8:
            _LOADED.clear()
        _LOADED[key] = year_data(ds, load_catalog(p.catalog), p.year)
    return _LOADED[key]


#: The earlier years loaded in this process, by their params and clean data's cache key.
_LOADED: dict[tuple[str, str], YearData] = {}


def earlier_years(params) -> list[YearData]:
    """The years named by the params' ``compare_with``, oldest first."""
    from mchch_lib.data.params import earlier_params

    return [load_year(p.path) for p in earlier_params(params)]


# ---------------------------------------------------------------- indicators across catalogs
def indicator_map(current: Catalog, earlier: dict[int, Catalog]) -> dict[int, dict[str, str]]:
    """For each earlier year: its indicator id -> this year's id, following each catalog's
    ``previous`` mapping back year by year (same id where a catalog maps nothing). An earlier
    indicator with no counterpart this year is left out. Raises MchchError when a mapping names
    an id the earlier catalog does not have."""
    out = {}
    for year in sorted(earlier, reverse=True):
        ids: dict[str, str] = {i: i for i in current.indicators}  # this year's id -> id then
        cat = current
        while cat.year > year:
            step = _previous_catalog(cat, earlier, year)
            if cat.previous_year == step.year:
                named = {v for v in cat.previous_ids.values() if v is not None}
                unknown = sorted(named - set(step.indicators))
                if unknown:
                    raise MchchError(
                        f"{cat.path}: previous.indicators: {unknown} ไม่มีในเกณฑ์ปี {step.year} "
                        f"/ not indicators of {step.path}"
                    )
                ids = {k: cat.earlier_id(v) for k, v in ids.items()}
                ids = {k: v for k, v in ids.items() if v is not None}
            cat = step
        out[year] = {old: new for new, old in ids.items() if old in cat.indicators}
    return out


def _previous_catalog(cat: Catalog, earlier: dict[int, Catalog], floor: int) -> Catalog:
    """The catalog of the year before ``cat`` among those loaded (the year its ``previous``
    names when loaded, else the nearest earlier one, never before ``floor``)."""
    if cat.previous_year in earlier:
        return earlier[cat.previous_year]
    years = [y for y in earlier if floor <= y < cat.year]
    return earlier[max(years)]


# ---------------------------------------------------------------- the comparison
@dataclass
class Comparison:
    """This year beside the earlier ones: figures by year at each level, indicators by this
    year's id, units matched across years. Years oldest first; ``year`` is this year."""

    year: int
    years: list[int]
    province_code: int
    place: dict  # district code -> Thai name (the province under code = province_code)
    applicants: pd.DataFrame  # every year's applicants, with `year`
    indicators: pd.DataFrame  # every year's indicator scores, `indicator` = this year's id
    catalogs: dict  # year -> Catalog
    units: pd.DataFrame  # this year's applicants with their match and both years' results
    candidates: pd.DataFrame  # units to confirm × the earlier units they may be
    id_maps: dict  # earlier year -> {its id: this year's id}
    input_hashes: dict = dataclasses.field(default_factory=dict)  # year -> its data version
    #: located problems of matches.csv (decisions not applied: matching.check_decisions)
    decision_problems: list = dataclasses.field(default_factory=list)

    @property
    def last_year(self) -> int:
        """The most recent earlier year: what "last year" means in the reports."""
        return self.years[-2]

    def _grid(self, by: list[str]) -> pd.DataFrame:
        a = self.applicants
        s = scoring.summarize(a, by=["year", *by])
        keys = [self.years] + [self._values(k) for k in by]
        full = pd.MultiIndex.from_product(keys, names=["year", *by]).to_frame(index=False)
        out = full.merge(s, on=["year", *by], how="left")
        for c in ("registered", "pre_assessed", "post_assessed", "not_yet_post", "ready"):
            out[c] = out[c].fillna(0).astype(int)
        out["share_ready_pct"] = 100 * out["share_ready"]
        if CERTIFIED in a:
            cert = a.groupby(["year", *by])[CERTIFIED].agg(lambda c: int(c.fillna(False).sum()))
            out = out.merge(cert.rename(CERTIFIED).reset_index(), on=["year", *by], how="left")
            out[CERTIFIED] = out[CERTIFIED].fillna(0).astype(int)
            out["share_certified_pct"] = 100 * out[CERTIFIED] / out["ready"].where(out["ready"] > 0)
        return out

    def _values(self, key: str) -> list:
        if key == "standard":
            return [s for s in STANDARD_CODES if s in self.catalogs[self.year].standards]
        return sorted(set(self.applicants[key].dropna().astype(int)))

    @property
    def measures(self) -> list[str]:
        """The figures compared (certified ones when the final round is in the data)."""
        extra = [CERTIFIED, "share_certified_pct"] if CERTIFIED in self.applicants else []
        return MEASURES + extra

    @cached_property
    def total(self) -> pd.DataFrame:
        """One row per year: every applicant of the place."""
        t = self._grid([])
        t.insert(1, "standard", "")
        return t

    @cached_property
    def by_standard(self) -> pd.DataFrame:
        """One row per year × standard (a standard with no applicant in a year: zeros)."""
        return self._grid(["standard"])

    @cached_property
    def by_district(self) -> pd.DataFrame:
        """One row per year × district."""
        return self._grid(["district_code"])

    def change(self, table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        """This year and last year side by side per key, with the change (this − last):
        columns ``<measure>_last``, ``<measure>_now``, ``<measure>_change``."""
        now = table[table["year"] == self.year].set_index(keys)[self.measures]
        last = table[table["year"] == self.last_year].set_index(keys)[self.measures]
        out = pd.concat(
            [last.add_suffix("_last"), now.add_suffix("_now"), (now - last).add_suffix("_change")],
            axis=1,
        )
        return out.reset_index()

    @cached_property
    def districts_by_change(self) -> pd.DataFrame:
        """Districts ranked by the change of their mean post-development % (largest rise
        first; a district without a post figure in one of the years last)."""
        c = self.change(self.by_district, ["district_code"])
        c["district_th"] = c["district_code"].map(lambda d: self.place.get(int(d), str(d)))
        c = c.sort_values(
            ["mean_post_pct_change", "district_code"], ascending=[False, True], na_position="last"
        )
        c.insert(0, "rank", range(1, len(c) + 1))
        return c.reset_index(drop=True)

    @cached_property
    def by_indicator(self) -> pd.DataFrame:
        """One row per year × indicator (this year's id): post scores as % of full marks."""
        i = self.indicators
        rows = []
        for (year, std, iid), g in i.groupby(["year", "standard", "indicator"], sort=False):
            post = g[g["post"].notna()]
            rows.append(
                {
                    "year": year,
                    "standard": std,
                    "indicator": iid,
                    "n_post": len(post),
                    "mean_post_pct": 100 * (post["post"] / post["full_marks"]).mean()
                    if len(post)
                    else math.nan,
                    "share_below_pass_pct": 100 * (post["post"] < post["pass_mark"]).mean()
                    if len(post)
                    else math.nan,
                }
            )
        return pd.DataFrame(rows, columns=["year", "standard", "indicator", *INDICATOR_MEASURES])

    def indicator_label(self, iid: str) -> tuple[str, str]:
        """(id, name) of an indicator as the reports show it: this year's id and name, with
        last year's id when it changed and last year's name when it was renamed."""
        cat_now, year = self.catalogs[self.year], self.last_year
        old = {v: k for k, v in self.id_maps.get(year, {}).items()}.get(iid)
        name = cat_now.indicators[iid].name_th
        label = iid if old in (None, iid) else f"{iid} (ปี {year}: {old})"
        if old is not None:
            old_name = self.catalogs[year].indicators[old].name_th
            if old_name != name:
                name = f"{name} (ปี {year}: {old_name})"
        return label, name

    @cached_property
    def indicator_change(self) -> pd.DataFrame:
        """Per indicator of this year (catalog order): mean post % last year and this year,
        the change, and the labels of :meth:`indicator_label`; indicators with a post score in
        neither year are left out."""
        t = self.by_indicator.set_index(["year", "indicator"])["mean_post_pct"]
        rows = []
        for ind in self.catalogs[self.year].indicators.values():
            last, now = (
                t.get((self.last_year, ind.id), math.nan),
                t.get((self.year, ind.id), math.nan),
            )
            if pd.isna(last) and pd.isna(now):
                continue
            label, name = self.indicator_label(ind.id)
            rows.append(
                {
                    "standard": ind.standard,
                    "indicator": ind.id,
                    "label": label,
                    "name_th": name,
                    "mean_post_pct_last": last,
                    "mean_post_pct_now": now,
                    "mean_post_pct_change": now - last,
                }
            )
        cols = ["standard", "indicator", "label", "name_th", "mean_post_pct_last",
                "mean_post_pct_now", "mean_post_pct_change"]  # fmt: skip
        return pd.DataFrame(rows, columns=cols)

    def gaps(self, year: int) -> pd.DataFrame:
        """The gap table of a year (scoring.indicator_gaps) by this year's indicator id."""
        i = self.indicators[self.indicators["year"] == year]
        i = i.assign(indicator_id=i["indicator"])
        return scoring.indicator_gaps(i, by=())

    @cached_property
    def weak_both_years(self) -> pd.DataFrame:
        """Indicators that stay weak: among the :data:`WEAK_TOP` largest gaps to full marks
        last year and again this year (each year's gap table, scoring.indicator_gaps), in this
        year's order of gaps; with each year's gap, share below the pass mark and rank."""
        keep = ["indicator_id", "round_used", "n", "mean_gap_pct", "share_below_pass_pct"]
        tops = []
        for year in (self.last_year, self.year):
            g = self.gaps(year).head(WEAK_TOP)[keep].copy()
            g["rank"] = range(1, len(g) + 1)
            tops.append(g)
        w = tops[0].merge(tops[1], on="indicator_id", suffixes=("_last", "_now"))
        w = w.sort_values("rank_now").reset_index(drop=True)
        labels = [self.indicator_label(i) for i in w["indicator_id"]]
        w.insert(1, "label", [lbl for lbl, _ in labels])
        w.insert(2, "name_th", [n for _, n in labels])
        return w

    def for_district(self, code: int) -> Comparison:
        """The same comparison restricted to one district."""

        def f(df):
            return df[df["district_code"] == code].reset_index(drop=True)

        return dataclasses.replace(
            self,
            applicants=f(self.applicants),
            indicators=f(self.indicators),
            units=f(self.units),
            candidates=f(self.candidates),
        )

    @property
    def returning(self) -> pd.DataFrame:
        """This year's units that were there before (matched), with both years' results."""
        return self.units[self.units["status"] == "matched"].reset_index(drop=True)

    @property
    def to_confirm(self) -> pd.DataFrame:
        """Units that may be an earlier one: each candidate, for a person to confirm."""
        return self.candidates

    def tidy(self) -> pd.DataFrame:
        """The comparison as one tidy table for analysts' own pivots (``mchch compare``):
        level, code, name, standard, indicator, measure, year, value."""
        return tidy(self)


def _with_year(df: pd.DataFrame, year: int) -> pd.DataFrame:
    return df.assign(year=year)


def compare(
    current: YearData,
    earlier: list[YearData],
    place: dict[int, str],
    province_code: int,
    decisions: pd.DataFrame | None = None,
    complete: bool = True,
) -> Comparison:
    """This year beside the earlier ones (any number, any order). ``place``: Thai names of the
    districts and, under ``province_code``, of the province. ``decisions``: a person's
    confirmed matches (matching.load_decisions); one that cannot be applied is not, and is a
    located problem (``decision_problems``). ``complete``: the years are whole (not one
    district's), so a decision naming a unit not in them names no known unit."""
    if not earlier:
        raise MchchError("ไม่มีปีที่จะเปรียบเทียบ / no earlier year to compare with")
    earlier = sorted(earlier, key=lambda y: y.year)
    catalogs = {y.year: y.catalog for y in [*earlier, current]}
    id_maps = indicator_map(current.catalog, {y.year: y.catalog for y in earlier})
    inds = [
        _with_year(current.indicators, current.year).assign(
            indicator=current.indicators["indicator_id"]
        )
    ]
    for y in earlier:
        m = id_maps[y.year]
        i = _with_year(y.indicators, y.year).assign(indicator=y.indicators["indicator_id"].map(m))
        inds.append(i[i["indicator"].notna()])
    apps = pd.concat(
        [_with_year(y.applicants, y.year) for y in [*earlier, current]], ignore_index=True
    )
    problems = []
    if decisions is not None:
        years_in = {y.year: y.applicants for y in [*earlier, current]}
        decisions, problems = matching.check_decisions(decisions, years_in, complete)
    units, cands = _match(current, earlier, decisions)
    return Comparison(
        current.year,
        [y.year for y in earlier] + [current.year],
        province_code,
        place,
        apps,
        pd.concat(inds, ignore_index=True),
        catalogs,
        units,
        cands,
        id_maps,
        {y.year: y.data.input_hash for y in [*earlier, current]},
        problems,
    )


_RESULT = ["post_pct", "ready", "status_th"]


def _match(
    current: YearData, earlier: list[YearData], decisions
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each unit of this year matched to the most recent earlier year it is found in (a unit
    to confirm in a year stops the search: a person decides first)."""
    now = current.applicants
    units = None
    cands = []
    for y in sorted(earlier, key=lambda y: y.year, reverse=True):
        u, c = matching.match_units(now, y.applicants, current.year, y.year, decisions)
        u = u.set_index("applicant_id")
        if units is None:
            units, redo = u, u.index
        else:  # only the units not found in a later year are looked for here
            redo = units.index[units["status"] == "new"]
            units = pd.concat([units.drop(index=redo), u.loc[redo]]).reindex(u.index)
        cands.append(c[c["applicant_id"].isin(redo)])
    units = units.reset_index()
    units = units.merge(
        now[
            ["applicant_id", "district_code", "standard", "name", "tambon", "citizen_id", *_RESULT]
        ],
        on="applicant_id",
        how="left",
    )
    before = pd.concat([_with_year(y.applicants, y.year) for y in earlier], ignore_index=True)
    before = before[["year", "applicant_id", "name", "tambon", "citizen_id", *_RESULT]].rename(
        columns=lambda c: "previous_year" if c == "year" else f"previous_{c}"
    )
    before["previous_year"] = before["previous_year"].astype("Int64")
    units = units.merge(before, on=["previous_year", "previous_applicant_id"], how="left")
    cands = (
        pd.concat(cands, ignore_index=True)
        if cands
        else pd.DataFrame(columns=matching.CANDIDATE_COLUMNS)
    )
    cands = cands.merge(
        now[["applicant_id", "district_code", "standard", "name", "tambon", "citizen_id"]],
        on="applicant_id",
        how="left",
    )
    cands = cands.merge(
        before[
            [
                "previous_year",
                "previous_applicant_id",
                "previous_name",
                "previous_tambon",
                "previous_citizen_id",
                "previous_post_pct",
                "previous_status_th",
            ]
        ],
        on=["previous_year", "previous_applicant_id"],
        how="left",
    )
    return units, cands


# ---------------------------------------------------------------- the tidy table
def _tidy_rows(table: pd.DataFrame, measures, level: str, code: int, name: str) -> list[dict]:
    rows = []
    for r in table.to_dict("records"):
        for m in measures:
            v = r[m]
            rows.append(
                {
                    "level": level,
                    "code": code,
                    "name": name,
                    "standard": r.get("standard", ""),
                    "indicator": r.get("indicator", ""),
                    "measure": m,
                    "year": r["year"],
                    "value": None if pd.isna(v) else float(v),
                }
            )
    return rows


def _level_rows(c: Comparison, level: str, code: int) -> list[dict]:
    """Every figure of one place: all standards, each standard, each indicator, and the units
    that came back (this year only)."""
    name = c.place.get(code, str(code))
    units = c.units.assign(year=c.year, returning=c.units["status"].eq("matched").astype(int))
    back = [
        {"year": c.year, "standard": "", "returning": int(units["returning"].sum())},
        *[
            {"year": c.year, "standard": s, "returning": int(units.loc[units["standard"] == s,
                                                                       "returning"].sum())}
            for s in c._values("standard")
        ],
    ]  # fmt: skip
    return [
        *_tidy_rows(c.total, c.measures, level, code, name),
        *_tidy_rows(c.by_standard, c.measures, level, code, name),
        *_tidy_rows(c.by_indicator, INDICATOR_MEASURES, level, code, name),
        *_tidy_rows(pd.DataFrame(back), ["returning"], level, code, name),
    ]


def tidy(c: Comparison) -> pd.DataFrame:
    """level (province/district), code, name, standard ("" = all), indicator ("" = none,
    else this year's id), measure, year, value (empty when there is nothing to average).
    ``returning``: units of this year matched to an earlier year."""
    rows = _level_rows(c, "province", c.province_code)
    for d in sorted(set(c.applicants["district_code"].dropna().astype(int))):
        rows += _level_rows(c.for_district(d), "district", d)
    out = pd.DataFrame(rows, columns=TIDY_COLUMNS)
    out["code"] = out["code"].astype(int)
    out["year"] = out["year"].astype(int)
    return out


# ---------------------------------------------------------------- for analysts
def comparison_for_params(params, with_params: list | None = None) -> Comparison:
    """The comparison of a params file's year with the years of its ``compare_with`` (or of
    ``with_params``, params files of earlier years), for the whole province."""
    from mchch_lib.data import dataset
    from mchch_lib.data.params import load_params
    from mchch_lib.data.reference import load_province

    if with_params:
        params = dataclasses.replace(params, compare_with=tuple(with_params))
    earlier = earlier_years(params)
    if not earlier:
        raise MchchError(
            f"{params.path}: ไม่มีปีที่จะเปรียบเทียบ (compare_with หรือ --with) / nothing to "
            "compare with (compare_with or --with)"
        )
    p = load_params(params.path) if params.path else params
    now = year_data(dataset.load_for_params(p), load_catalog(p.catalog), p.year)
    province = load_province(p.province_code)
    place = {c: d.name_th for c, d in province.districts.items()} | {
        province.code: province.name_th
    }
    return compare(now, earlier, place, province.code, matching.load_decisions())


UNIT_EXPORT_COLUMNS = [
    "year", "district_code", "district", "applicant_id", "standard", "name", "tambon",
    "citizen_id", "status", "method", "similarity", "previous_year", "previous_applicant_id",
    "previous_name", "previous_tambon", "previous_citizen_id", "previous_post_pct",
    "previous_ready", "post_pct", "ready", "decision",
]  # fmt: skip


def units_table(c: Comparison) -> pd.DataFrame:
    """This year's units and their match (``mchch compare --units``): one row per unit, and
    one per candidate of a unit to confirm (its ``decision`` left empty: write same or
    different and copy year, applicant_id, previous_year, previous_applicant_id and decision
    into data/reference/matches.csv). Citizen IDs masked."""
    from mchch_lib.common.thai import mask_citizen_id

    u = c.units[c.units["status"] != "to_confirm"]
    now = ["applicant_id", "status", "method", "district_code", "standard", "name", "tambon",
           "citizen_id", "post_pct", "ready"]  # fmt: skip
    pairs = ["applicant_id", "previous_year", "previous_applicant_id", "similarity"]
    before = c.applicants[c.applicants["year"] != c.year][
        ["year", "applicant_id", "name", "tambon", "citizen_id", "post_pct", "ready"]
    ].rename(columns=lambda col: "previous_year" if col == "year" else f"previous_{col}")
    before["previous_year"] = before["previous_year"].astype("Int64")
    cand = (
        c.candidates[pairs]
        .merge(c.units[now], on="applicant_id", how="left")
        .merge(before, on=["previous_year", "previous_applicant_id"], how="left")
    )
    out = pd.concat([u, cand], ignore_index=True).assign(year=c.year, decision="")
    out["district"] = out["district_code"].map(lambda d: c.place.get(int(d), ""))
    for col in ("citizen_id", "previous_citizen_id"):
        out[col] = out[col].map(lambda v: mask_citizen_id(v) if isinstance(v, str) else "")
    out["previous_year"] = out["previous_year"].astype("Int64")
    order = {a: n for n, a in enumerate(c.units["applicant_id"])}
    out = out.sort_values("applicant_id", key=lambda s: s.map(order), kind="stable")
    return out[UNIT_EXPORT_COLUMNS].reset_index(drop=True)
