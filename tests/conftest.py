"""Shared helpers: build small hand-made Datasets against the real catalog."""

import datetime as dt

import pandas as pd
import pytest

from mchch_lib.data.catalog import load_catalog
from mchch_lib.data.contract import Dataset, empty_table, typed
from mchch_lib.data.validate import PROBLEM_KEYS


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(year=2561)


def make_dataset(applicants, scores=(), officers=(), committee=(), plans=()) -> Dataset:
    """applicants: dicts (district_code, applicant_id, standard, ...); scores: tuples
    (applicant_id, round, {indicator: score}, date) expanded to the long table."""
    apps = []
    for a in applicants:
        apps.append(
            {
                "name": a["applicant_id"],
                "tambon": "ตาคลี",
                "officer": "นายเอ",
                "applied_on": dt.datetime(2018, 5, 10),
                "evidence_checked": True,
                "source_file": "t.xlsx",
                "source_sheet": "ผู้สมัคร",
                "source_row": 4,
                **a,
            }
        )
    dist = {a["applicant_id"]: a["district_code"] for a in apps}
    long = []
    for aid, rnd, values, date in scores:
        for iid, v in values.items():
            long.append(
                {
                    "district_code": dist.get(aid, 6007),
                    "applicant_id": aid,
                    "round": rnd,
                    "assessed_on": date,
                    "indicator_id": iid,
                    "score": v,
                    "source_file": "t.xlsx",
                    "source_sheet": "คะแนน",
                    "source_row": 4,
                    "source_column": iid,
                }
            )

    def t(rows, name):
        return typed(pd.DataFrame(list(rows)), name) if rows else empty_table(name)

    return Dataset(
        t(apps, "applicants"),
        t(long, "scores"),
        t(officers, "officers"),
        t(committee, "committee"),
        t(plans, "plans"),
        pd.DataFrame(columns=[*PROBLEM_KEYS, "district_code"]),
        pd.DataFrame(),
        input_hash="test",
        province_code=60,
        year=2561,
    )
