"""Completeness of reporting (ความครบถ้วนของการรายงาน), DHIS2's "reporting rate": the districts
expected from the reference tables against the districts that sent data, and the standards
with no applicant, for one province or rolled up to region and nation.

One table per district expected (``district_table``), summed per group (``rollup``): the same
two functions serve the province's report, the national report, ``national.xlsx`` and
``mchch validate``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from mchch_lib.data.catalog import STANDARD_CODES
from mchch_lib.data.contract import Dataset
from mchch_lib.data.reference import national_districts, provinces, regions

#: Tables whose rows show that a district sent something (its workbook was read).
EVIDENCE_TABLES = ("applicants", "officers", "committee")

DISTRICT_COLUMNS = [
    "region_code",
    "region_th",
    "province_code",
    "province_th",
    "district_code",
    "district_th",
    "has_data",
    "applicants",
    "standards_without_applicant",
]


def districts_with_data(ds: Dataset) -> set[int]:
    """Districts from which at least one clean row came (applicants, officers, committee)."""
    have: set[int] = set()
    for name in EVIDENCE_TABLES:
        have |= set(ds.table(name)["district_code"].dropna().astype(int))
    return have


def region_code(region_en: str) -> int:
    """1 (north) to 6 (south): the order of the six regions of ``provinces.csv``."""
    return list(regions()).index(region_en) + 1


def district_table(datasets: dict[int, Dataset], scope: Iterable[int]) -> pd.DataFrame:
    """One row per district expected in the provinces of ``scope`` (every district of each,
    from the reference table): whether it sent data, its clean applicants, and the standards
    none of its applicants is of ("leader network")."""
    info = provinces()
    rows = []
    for pcode in sorted(scope):
        ds = datasets.get(pcode)
        have = districts_with_data(ds) if ds is not None else set()
        apps = ds.applicants if ds is not None else None
        p = info[pcode]
        for code, d in sorted(national_districts().items()):
            if d.province_code != pcode:
                continue
            stds = (
                set() if apps is None else set(apps.loc[apps["district_code"] == code, "standard"])
            )
            rows.append(
                {
                    "region_code": region_code(p.region_en),
                    "region_th": p.region_th,
                    "province_code": pcode,
                    "province_th": p.name_th,
                    "district_code": code,
                    "district_th": d.name_th,
                    "has_data": code in have,
                    "applicants": 0 if apps is None else int((apps["district_code"] == code).sum()),
                    "standards_without_applicant": " ".join(
                        s for s in STANDARD_CODES if s not in stds
                    )
                    if code in have
                    else "",
                }
            )
    return pd.DataFrame(rows, columns=DISTRICT_COLUMNS)


ROLLUP_COLUMNS = [
    "expected",
    "with_data",
    "without_data",
    "reporting_rate_pct",
    "applicants",
    "districts_missing_a_standard",
    "standards_without_applicant",
    "districts_without_data",
]


def rollup(table: pd.DataFrame, by: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Completeness per group of a ``district_table`` (``by=()``: one row for all of it):
    districts expected, with data, without data (and their names), the reporting rate (%),
    applicants, districts missing a standard, and the standards with no applicant at all."""
    by = list(by)
    groups = table.groupby(by, sort=True) if by else [((), table)]
    rows = []
    for key, g in groups:
        sent = g[g["has_data"]]
        present = set()
        for stds, app in zip(sent["standards_without_applicant"], sent["applicants"], strict=True):
            if app:
                present |= set(STANDARD_CODES) - set(stds.split())
        rows.append(
            {
                **dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True)),
                "expected": len(g),
                "with_data": len(sent),
                "without_data": len(g) - len(sent),
                "reporting_rate_pct": 100.0 * len(sent) / len(g) if len(g) else float("nan"),
                "applicants": int(g["applicants"].sum()),
                "districts_missing_a_standard": int(
                    (sent["standards_without_applicant"] != "").sum()
                ),
                "standards_without_applicant": " ".join(
                    s for s in STANDARD_CODES if s not in present
                ),
                "districts_without_data": ", ".join(
                    f"{c} {n}"
                    for c, n in zip(
                        g.loc[~g["has_data"], "district_code"],
                        g.loc[~g["has_data"], "district_th"],
                        strict=True,
                    )
                ),
            }
        )
    return pd.DataFrame(rows, columns=[*by, *ROLLUP_COLUMNS])


def province_table(ds: Dataset, province_code: int) -> pd.DataFrame:
    """The district table of one province's run."""
    return district_table({province_code: ds}, [province_code])
