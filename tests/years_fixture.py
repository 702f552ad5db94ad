"""A tiny two-year fixture, small enough to compute every figure by hand (tests/analysis/test_years.py
does; tests/documents/test_sections.py snapshots its sections). Takhli (6007), full marks 100 for each
standard in both catalogs.

2561 (catalog 2561): A-1 leader, ID 1100700234516, pre 56 post 78 (L8 post 8), ready;
                     A-2 group "กลุ่มออมทรัพย์บ้านหนองโพ", pre 32 (every G 4), no post.
2562 (catalog 2562: L8 renumbered L9, G5 renamed):
                     B-1 leader, same ID, another name: pre 62 post 85 (L9 post 9), ready;
                     B-2 group "ออมทรัพย์ บ้านหนองโพ" in "ต.ตาคลี" (A-2 spelt otherwise):
                         pre 40 (every G 5), post 72 (G5 5), ready;
                     B-3 community (new): pre 90 (every C 9), no post.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from mchch_lib.analysis import compliance, scoring, years
from mchch_lib.data.catalog import load_catalog
from mchch_lib.data.params import load_params
from mchch_lib.documents import report
from tests.conftest import make_dataset

PRE, POST = dt.datetime(2019, 6, 5), dt.datetime(2019, 7, 20)
CID = "1100700234516"
B1_PRE = {"L1": 6, "L2": 6, "L3": 6, "L4": 9, "L5": 6, "L6": 9, "L7": 14, "L9": 6}  # 62
B1_POST = {"L1": 9, "L2": 9, "L3": 8, "L4": 13, "L5": 8, "L6": 12, "L7": 17, "L9": 9}  # 85
B2_POST = {"G1": 8, "G2": 8, "G3": 12, "G4": 7, "G5": 5, "G6": 11, "G7": 7, "G8": 14}  # 72


def data_2562(group_name: str = "กลุ่มออมทรัพย์บ้านหนองโพ"):
    """The 2562 dataset; the group is named like 2561's, without "กลุ่ม" and with a space."""
    drifted = group_name.removeprefix("กลุ่ม").replace("บ้าน", " บ้าน", 1)
    apps = [
        {"district_code": 6007, "applicant_id": "B-1", "standard": "leader",
         "name": "นายสมชาย ใจดีมาก", "citizen_id": CID, "moo": 3},
        {"district_code": 6007, "applicant_id": "B-2", "standard": "group", "name": drifted,
         "tambon": "ต.ตาคลี"},
        {"district_code": 6007, "applicant_id": "B-3", "standard": "community",
         "name": "บ้านหนองโพ หมู่ที่ 4", "moo": 4},
    ]  # fmt: skip
    scores = [
        ("B-1", "pre", B1_PRE, PRE),
        ("B-1", "post", B1_POST, POST),
        ("B-2", "pre", {f"G{i}": 5 for i in range(1, 9)}, PRE),
        ("B-2", "post", B2_POST, POST),
        ("B-3", "pre", {f"C{i}": 9 for i in range(1, 11)}, PRE),
    ]
    officers = [{"district_code": 6007, "name": "นายเอ", "position": "นักวิชาการ"}]
    committee = [
        {"district_code": 6007, "name": f"ก{i}", "role": r}
        for i, r in enumerate(["chair", "secretary", "member", "member", "member"])
    ]
    ds = make_dataset(apps, scores, officers, committee)
    ds.year, ds.input_hash = 2562, "2562" * 16
    return ds


def year_2561(ctx_2561: report.ReportContext) -> years.YearData:
    """The 2561 year of a tiny 2561 report context (tests/documents/test_sections.tiny_context)."""
    c = ctx_2561
    return years.YearData(2561, c.catalog, c.data, c.applicants, c.indicators)


def year_2562(group_name: str = "กลุ่มออมทรัพย์บ้านหนองโพ") -> years.YearData:
    return years.year_data(data_2562(group_name), load_catalog(year=2562), 2562)


def context_2562(ctx_2561: report.ReportContext) -> report.ReportContext:
    """A 2562 district report context (Takhli) comparing itself with ``ctx_2561``'s data."""
    name = ctx_2561.data.applicants.set_index("applicant_id").loc["A-2", "name"]
    now = year_2562(name)
    params = load_params("params/2562.yaml")
    params = dataclasses.replace(params, thai_digits=ctx_2561.params.thai_digits)
    findings = compliance.check_all(now.data, now.catalog, params.deadline_41, params.deadline_42)
    return report.ReportContext(
        params, now.catalog, ctx_2561.province, now.data, ctx_2561.district_code,
        now.applicants, now.indicators, findings, created=ctx_2561.created,
        earlier=[year_2561(ctx_2561)],
    )  # fmt: skip


__all__ = ["context_2562", "data_2562", "scoring", "year_2561", "year_2562"]
