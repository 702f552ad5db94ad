"""Property test: an indicator's score is exactly the sum of its agreed sub-criteria (เกณฑ์ย่อย),
whatever their marks and scores (decimals included) and whatever the score sheet says."""

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mchch_lib import config
from mchch_lib.analysis import scoring
from mchch_lib.data import dataset
from mchch_lib.data.catalog import load_catalog

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
import make_fixtures as fx  # noqa: E402

CAT = load_catalog(year=2561)
STEP = Decimal("0.01")


@st.composite
def split(draw, total: Decimal) -> list[Decimal]:
    """``total`` cut into 1-5 positive parts on a 0.01 grid."""
    units = int(total / STEP)
    k = draw(st.integers(1, min(5, units)))
    cuts = sorted(draw(st.sets(st.integers(1, units - 1), min_size=k - 1, max_size=k - 1)))
    bounds = [0, *cuts, units]
    return [STEP * (b - a) for a, b in zip(bounds, bounds[1:], strict=False)]


@st.composite
def cycle(draw):
    """For each leader indicator of T-001: sub-criteria (added ones, free marks), a pre and
    a post score for each, and what the score sheet says (blank, the sum, or another value)."""
    out = {}
    for ind in CAT.standards["leader"].indicators:
        marks = draw(split(Decimal(str(ind.full_marks))))
        rounds = {}
        for rnd in ("pre", "post"):
            scores = [STEP * draw(st.integers(0, int(m / STEP))) for m in marks]
            sheet = draw(st.sampled_from(["blank", "sum", "other"]))
            rounds[rnd] = (scores, sheet)
        out[ind.id] = (marks, rounds)
    return out


def _sheets(case) -> dict:
    sheets = fx.base()
    rows = [fx.SUB_H]
    for iid, (marks, rounds) in case.items():
        for k, m in enumerate(marks):
            pre, post = rounds["pre"][0][k], rounds["post"][0][k]
            rows.append(["ตาคลี", "T-001", iid, None, f"เกณฑ์ย่อย {k + 1}", "เพิ่ม", m, pre, post])
    sheets["เกณฑ์ย่อย"] = rows
    header = sheets["คะแนน"][0]
    for row_index, rnd in ((1, "pre"), (2, "post")):
        row = sheets["คะแนน"][row_index]
        for iid, (_marks, rounds) in case.items():
            scores, sheet = rounds[rnd]
            total = sum(scores, Decimal(0))
            full = Decimal(str(CAT.indicators[iid].full_marks))
            other = total + 1 if total + 1 <= full else total - 1
            row[header.index(iid)] = {"blank": None, "sum": total, "other": other}[sheet]
    return sheets


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=cycle())
def test_sub_criteria_roll_up_to_indicator_scores_exactly(tmp_path_factory, case):
    d = tmp_path_factory.mktemp("sub")
    fx.write_csv_folder(d, _sheets(case), "utf-8")
    ds = dataset.load(
        [d], config.catalog_path(2561), 60, deadline_41=dt.date(2018, 5, 18), use_cache=False
    )
    assert not ds.has_errors, ds.problems[["rule", "row", "column", "message_en"]]
    got = ds.scores[ds.scores["applicant_id"] == "T-001"].set_index(["round", "indicator_id"])
    mismatches = set()
    for iid, (_marks, rounds) in case.items():
        for rnd in ("pre", "post"):
            scores, sheet = rounds[rnd]
            # exactly the decimal sum, as a person adds it, not a float sum's neighbour
            assert got.loc[(rnd, iid), "score"] == float(sum(scores, Decimal(0)))
            if sheet == "other":
                mismatches.add((rnd, iid))
    p = ds.problems[ds.problems["rule"] == "score_subcriteria_mismatch"]
    assert {
        ("pre" if r == 4 else "post", c) for r, c in zip(p["row"], p["column"], strict=True)
    } == (mismatches)
    assert set(ds.problems["rule"]) <= {"score_subcriteria_mismatch"}
    # the applicant's totals are the indicators' (no sub-criterion counted twice or lost)
    a = scoring.applicant_scores(ds, CAT).set_index("applicant_id").loc["T-001"]
    for rnd in ("pre", "post"):
        exact = sum((s for _m, r in case.values() for s in r[rnd][0]), Decimal(0))
        assert abs(a[f"{rnd}_total"] - float(exact)) < 1e-9
