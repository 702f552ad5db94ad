"""The result of a validation: the clean typed tables and the reconciliation (rows read =
clean + rejected + merged, per file and sheet)."""

from __future__ import annotations

from collections import defaultdict

from mchch_lib.data.contract import (
    TABLE_DTYPES,
    typed,
)
from mchch_lib.data.validate.rows import _to_date64
from mchch_lib.data.validate.state import _Validation


def _score_cell_rows(recs, keys: tuple[str, ...]) -> list[dict]:
    """One row per score cell of the readable records (a long table): the record's ``keys``,
    its assessment date if it has one, the cell's indicator and score, where it came from."""
    return [
        {
            **{k: s.get(k) for k in keys},
            "assessed_on": _to_date64(s.get("assessed_on")),
            "indicator_id": cell.indicator_id,
            "score": cell.score,
            **s.source(),
            "source_column": cell.header,
        }
        for s in recs
        if s.ok
        for cell in s.cells
    ]


def _clean_tables(v: _Validation) -> dict:
    """The clean tables: every record no error rejected, typed; scores long."""
    import pandas as pd

    tables = {}
    for name in (
        "applicants",
        "officers",
        "committee",
        "plans",
        "subcriteria",
        "final_round",
        "province_committee",
    ):
        keep = [
            {**rec.values, **rec.source()}
            for rec in v.recs[name]
            if rec.ok and (rec.raw.file, rec.raw.sheet, rec.row) not in v.merged
        ]
        tables[name] = typed(pd.DataFrame(keep, columns=list(TABLE_DTYPES[name])), name)
    for name, table, keys in (
        ("scores", "scores", ("district_code", "applicant_id", "round")),
        ("final_round", "final_scores", ("district_code", "applicant_id")),
    ):
        rows = _score_cell_rows(v.recs[name], keys)
        tables[table] = typed(pd.DataFrame(rows, columns=list(TABLE_DTYPES[table])), table)
    return tables


def _reconcile(v: _Validation):
    """Rows read = clean + rejected + merged, per file and sheet (merged: a person already in
    the clean table from another file of the district, counted once)."""
    import pandas as pd

    by_sheet = {"rejected": defaultdict(set), "merged": defaultdict(set)}
    for what, rows in (("rejected", v.c.rejected), ("merged", v.merged)):
        for f, sh, row in rows:
            by_sheet[what][(f, sh)].add(row)
    recon = []
    for key, rl in [*v.raws.items(), *((r.spec.key, [r]) for r in v.unheaded)]:
        for raw in rl:
            read = {row for row, _ in raw.rows}
            rejected = read & by_sheet["rejected"][(raw.file, raw.sheet)]
            merged = (read & by_sheet["merged"][(raw.file, raw.sheet)]) - rejected
            recon.append(
                {
                    "file": raw.file,
                    "sheet": raw.sheet,
                    "table": key,
                    "rows_read": len(read),
                    "clean": len(read - rejected - merged),
                    "rejected": len(rejected),
                    "merged": len(merged),
                    "blank_rows": raw.blank_rows,
                }
            )
    cols = ["file", "sheet", "table", "rows_read", "clean", "rejected", "merged", "blank_rows"]
    return pd.DataFrame(recon, columns=cols)
