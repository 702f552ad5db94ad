"""Property tests: random corruption of a clean workbook never crashes the loader and never
loses a row (every data row is clean or named by an error)."""

import copy
import datetime as dt
import sys
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mchch_lib import config
from mchch_lib.data import dataset

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
import make_fixtures as fx  # noqa: E402

JUNK = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-50, 100_000),
    st.floats(allow_nan=True),
    st.sampled_from(
        [
            "๑๒",
            "๓๐/๐๔/๒๕๖๑",
            "ไม่ใช่",
            "\u200b",
            "\u00a0",
            "=SUM(A1)",
            "L1",
            "T-001",
            "ก่อนพัฒนา",
            "หลังพัฒนา",
            "อ.ตาคลี",
            "ตากฟ้า",
            "31/02/2561",
            "1e9",
            "-",
            "ประธาน",
            "มาตรฐานชุมชน",
            "๕.๕",
            "",
            " ",
        ]
    ),
)


@st.composite
def corrupted(draw):
    sheets = fx.base()
    n_edits = draw(st.integers(1, 12))
    for _ in range(n_edits):
        name = draw(st.sampled_from(sorted(sheets)))
        rows = sheets[name]
        action = draw(st.sampled_from(["cell", "cell", "cell", "dup_row", "drop_row", "header"]))
        if action == "cell" and len(rows) > 1:
            r = draw(st.integers(1, len(rows) - 1))
            c = draw(st.integers(0, len(rows[r]) - 1))
            rows[r][c] = draw(JUNK)
        elif action == "dup_row" and len(rows) > 1:
            rows.append(copy.deepcopy(rows[draw(st.integers(1, len(rows) - 1))]))
        elif action == "drop_row" and len(rows) > 2:
            rows.pop(draw(st.integers(1, len(rows) - 1)))
        elif action == "header":
            c = draw(st.integers(0, len(rows[0]) - 1))
            rows[0][c] = draw(st.sampled_from(["", "อื่นๆ", rows[0][0], "ชื่อ", "L99"]))
    return sheets


def _blank_header(sheet: str) -> dict:
    sheets = fx.base()
    sheets[sheet][0] = [""] * len(sheets[sheet][0])
    return sheets


def _has_text(row) -> bool:
    return any(v is not None and str(v).strip("\u00a0\u200b \t") not in ("", "-") for v in row)


def _expected_rows(sheets) -> dict[str, int]:
    """Data rows written per sheet (rows with any non-blank cell below the header)."""
    return {name: sum(_has_text(row) for row in rows[1:]) for name, rows in sheets.items()}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sheets=corrupted())
@example(sheets=_blank_header("พัฒนากร"))  # found by hypothesis: a header row gone all blank
def test_corruption_never_crashes_nor_loses_a_row(tmp_path_factory, sheets):
    d = tmp_path_factory.mktemp("corrupt")
    fx.write_csv_folder(d, sheets, "utf-8")
    ds = dataset.load(
        [d], config.catalog_path(2561), 60, deadline_41=dt.date(2018, 5, 18), use_cache=False
    )
    rc = ds.reconciliation
    assert (rc["rows_read"] == rc["clean"] + rc["rejected"]).all()
    probs = ds.problems
    for rec in rc.itertuples():
        clean_rows = (
            set(ds.table(rec.table)["source_row"].dropna().astype(int))
            if rec.table != "scores"
            else set(
                ds.scores.loc[ds.scores["source_file"] == rec.file, "source_row"]
                .dropna()
                .astype(int)
            )
        )
        err = probs[
            (probs["file"] == rec.file) & (probs["severity"] == "error") & probs["row"].notna()
        ]
        named = set(err["row"].astype(int))
        if ((probs["file"] == rec.file) & (probs["rule"] == "header_not_found")).any():
            assert rec.clean == 0  # one sheet-level error names all its rows
            continue
        assert rec.clean == len(clean_rows) or rec.table == "scores"
        assert rec.rejected <= len(named)
    # rows read equal the rows written (a header that went missing names all rows instead)
    expected = _expected_rows(sheets)
    read = dict(zip(rc["sheet"].str.removesuffix(".csv"), rc["rows_read"], strict=True))
    lost_header = set(
        probs.loc[probs["rule"] == "header_not_found", "sheet"].str.removesuffix(".csv")
    )
    for name, n in expected.items():
        # with no header found, the title and the header line (unless it went all blank) are
        # rows read (and rejected) too
        extra = 1 + _has_text(sheets[name][0]) if name in lost_header else 0
        assert read[name] == n + extra, (name, read[name], n)
    assert isinstance(ds.problems, pd.DataFrame)
