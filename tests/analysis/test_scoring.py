"""Scoring: exact hand-made cases and properties on generated data."""

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mchch_lib.analysis import scoring
from mchch_lib.data.catalog import STANDARD_CODES, load_catalog
from tests.conftest import make_dataset

PRE, POST = dt.datetime(2018, 6, 5), dt.datetime(2018, 7, 20)
LEADER_FULL = {"L1": 10, "L2": 10, "L3": 10, "L4": 15, "L5": 10, "L6": 15, "L7": 20, "L8": 10}


def leader(aid, code=6007):
    return {"district_code": code, "applicant_id": aid, "standard": "leader"}


def test_totals_pct_gain_and_normalized_gain_exact(catalog):
    pre = {"L1": 5, "L2": 6, "L3": 5, "L4": 8, "L5": 6, "L6": 9, "L7": 12, "L8": 5}  # 56
    post = {"L1": 8, "L2": 8, "L3": 7, "L4": 12, "L5": 8, "L6": 11, "L7": 16, "L8": 8}  # 78
    ds = make_dataset([leader("A")], [("A", "pre", pre, PRE), ("A", "post", post, POST)])
    a = scoring.applicant_scores(ds, catalog).iloc[0]
    assert (a.pre_total, a.post_total, a.full_total) == (56.0, 78.0, 100.0)
    assert (a.pre_pct, a.post_pct, a.gain, a.gain_pct) == (56.0, 78.0, 22.0, 22.0)
    assert a.normalized_gain == pytest.approx(22 / 44)
    assert a.status == "assessed" and bool(a.ready) is True
    assert a.ready_reason_en == "meets every criterion"
    ind = scoring.indicator_scores(ds, catalog)
    l4 = ind[ind.indicator_id == "L4"].iloc[0]
    assert (l4.pre, l4.post, l4.full_marks, l4.gap_pre, l4.gap_post, l4.gain) == (
        8,
        12,
        15,
        7,
        3,
        4,
    )
    assert bool(l4.below_pass_pre) is True and bool(l4.below_pass_post) is False


def test_not_ready_when_a_core_indicator_fails_despite_total(catalog):
    post = dict(LEADER_FULL, L2=5)  # 95 % but L2 (core, pass 6) fails
    ds = make_dataset([leader("A")], [("A", "pre", post, PRE), ("A", "post", post, POST)])
    a = scoring.applicant_scores(ds, catalog).iloc[0]
    assert a.post_pct == 95.0 and bool(a.ready) is False
    assert a.ready_reason_en == "core indicator(s) not passed: L2"
    assert a.ready_reason_th == "ตัวบ่งชี้หลักไม่ผ่าน: L2"
    assert a.below_pass_post == "L2"
    # a non-core indicator below its pass mark does not block readiness
    post = dict(LEADER_FULL, L3=0)
    ds = make_dataset([leader("A")], [("A", "pre", post, PRE), ("A", "post", post, POST)])
    assert bool(scoring.applicant_scores(ds, catalog).iloc[0].ready) is True


def test_share_threshold_and_min_indicators_rule(catalog):
    low = {k: v * 0.65 for k, v in LEADER_FULL.items()}  # 65 % < 70 %, every core passes
    ds = make_dataset([leader("A")], [("A", "pre", low, PRE), ("A", "post", low, POST)])
    a = scoring.applicant_scores(ds, catalog).iloc[0]
    assert bool(a.ready) is False
    assert a.ready_reason_en == "total 65.0% is below the 70% threshold"
    # community: 65 % and at least 7 of 10 indicators passed
    comm = {f"C{i}": 10 for i in range(1, 11)}
    comm.update({"C4": 0, "C5": 0, "C6": 5, "C7": 5})  # 4 non-core fail → 6 passed, total 70
    ds = make_dataset(
        [{"district_code": 6007, "applicant_id": "C", "standard": "community"}],
        [("C", "pre", comm, PRE), ("C", "post", comm, POST)],
    )
    a = scoring.applicant_scores(ds, catalog).iloc[0]
    assert a.post_pct == 70.0 and bool(a.ready) is False
    assert a.ready_reason_en == "6 indicators passed, at least 7 needed"


def test_missing_post_round_is_kept_not_zero(catalog):
    pre = {k: v / 2 for k, v in LEADER_FULL.items()}
    ds = make_dataset(
        [leader("A"), leader("B")],
        [("A", "pre", pre, PRE), ("A", "post", LEADER_FULL, POST), ("B", "pre", pre, PRE)],
    )
    a = scoring.applicant_scores(ds, catalog)
    b = a.set_index("applicant_id").loc["B"]
    assert b.status == "pre_only" and pd.isna(b.ready) and math.isnan(b.post_total)
    assert b.status_th == "ยังไม่ได้ประเมินหลังพัฒนา"
    s = scoring.summarize(a, by=["district_code"]).iloc[0]
    assert s.registered == 2 and s.post_assessed == 1 and s.not_yet_post == 1
    assert s.mean_post_pct == 100.0  # B is not counted as zero
    assert s.mean_pre_pct == 50.0 and s.share_ready == 1.0 and s.share_ready_registered == 0.5
    st_ = scoring.stage_counts(ds, a).set_index("stage")["n"].to_dict()
    assert st_ == {"registered": 2, "pre_assessed": 2, "planned": 0, "post_assessed": 1, "ready": 1}


def test_normalized_gain_at_full_marks_is_not_applicable(catalog):
    ds = make_dataset(
        [leader("A")], [("A", "pre", LEADER_FULL, PRE), ("A", "post", LEADER_FULL, POST)]
    )
    a = scoring.applicant_scores(ds, catalog).iloc[0]
    assert a.gain == 0 and math.isnan(a.normalized_gain)


def test_incomplete_round_gives_no_total(catalog):
    partial = {"L1": 5, "L2": 5}
    ds = make_dataset([leader("A")], [("A", "pre", partial, PRE)])
    a = scoring.applicant_scores(ds, catalog).iloc[0]
    assert not a.pre_complete and math.isnan(a.pre_total) and a.status == "not_assessed"


def test_paired_test_refuses_with_too_few_pairs_and_reports_otherwise(catalog):
    apps = [leader(f"A{i}") for i in range(8)]
    scores = []
    for i in range(8):
        pre = {k: v * 0.5 for k, v in LEADER_FULL.items()}
        post = {k: min(v, v * (0.55 + 0.05 * i)) for k, v in LEADER_FULL.items()}
        scores += [(f"A{i}", "pre", pre, PRE), (f"A{i}", "post", post, POST)]
    a = scoring.applicant_scores(make_dataset(apps[:5], scores[:10]), catalog)
    r = scoring.paired_test(a)
    assert r["status"] == "too_few_pairs" and r["p_value"] is None and r["n_pairs"] == 5
    assert "ไม่คำนวณ" in r["message_th"]
    a = scoring.applicant_scores(make_dataset(apps, scores), catalog)
    r = scoring.paired_test(a)
    assert r["status"] == "ok" and r["n_pairs"] == 8
    assert r["p_value"] == pytest.approx(0.0078125)  # exact: all 8 differences positive
    assert r["effect_size"] == 1.0
    assert "(p\u00a0=\u00a00.008)" in r["message_th"]  # no-break spaces: one line in a PDF
    # a very small p is written "p < 0.001", never "p = 0.000"
    many = [leader(f"B{i}") for i in range(30)]
    sc = [
        (f"B{i}", rnd, {k: v * f for k, v in LEADER_FULL.items()}, d)
        for i in range(30)
        for rnd, f, d in (("pre", 0.4, PRE), ("post", 0.5 + i / 100, POST))
    ]
    r = scoring.paired_test(scoring.applicant_scores(make_dataset(many, sc), catalog))
    assert r["p_value"] < 0.001 and "(p\u00a0<\u00a00.001)" in r["message_th"]
    assert "p\u00a0<\u00a00.001," in r["message_en"]
    same = [
        (f"A{i}", rnd, LEADER_FULL, d)
        for i in range(8)
        for rnd, d in (("pre", PRE), ("post", POST))
    ]
    r = scoring.paired_test(scoring.applicant_scores(make_dataset(apps, same), catalog))
    assert r["status"] == "no_change" and r["p_value"] is None


def test_indicator_gaps_largest_first(catalog):
    post = dict(LEADER_FULL, L7=10, L1=9)
    ds = make_dataset([leader("A")], [("A", "pre", post, PRE), ("A", "post", post, POST)])
    g = scoring.indicator_gaps(scoring.indicator_scores(ds, catalog), by=())
    assert list(g["indicator_id"][:2]) == ["L7", "L1"]
    assert g.iloc[0]["mean_gap_pct"] == 50.0 and g.iloc[0]["round_used"] == "post"


def test_export_table_columns(catalog):
    ds = make_dataset([leader("A")], [("A", "pre", LEADER_FULL, PRE)])
    t = scoring.export_table(scoring.applicant_scores(ds, catalog))
    # the analysts' contract, pinned exactly: no ID numbers, and nothing more or less
    assert list(t.columns) == [
        "district_code", "applicant_id", "standard", "pre_total", "post_total", "full_total",
        "pre_pct", "post_pct", "gain", "normalized_gain", "ready", "status", "name",
    ]  # fmt: skip
    assert list(t.columns) == scoring.EXPORT_COLUMNS
    assert t.iloc[0]["pre_total"] == 100.0 and pd.isna(t.iloc[0]["post_total"])


# ---------------------------------------------------------------- properties
CAT = load_catalog(year=2561)


@st.composite
def datasets(draw):
    n = draw(st.integers(1, 12))
    apps, scores = [], []
    for i in range(n):
        std = draw(st.sampled_from(STANDARD_CODES))
        code = draw(st.sampled_from([6001, 6002, 6007]))
        aid = f"X{i:03d}"
        apps.append({"district_code": code, "applicant_id": aid, "standard": std})
        inds = CAT.standards[std].indicators
        for rnd, date in (("pre", PRE), ("post", POST)):
            if rnd == "post" and draw(st.booleans()) is False:
                continue
            vals = {ind.id: draw(st.integers(0, int(ind.full_marks * 2))) / 2 for ind in inds}
            if draw(st.integers(0, 9)) == 0:  # sometimes an incomplete round
                vals.pop(inds[0].id)
            scores.append((aid, rnd, vals, date))
    return make_dataset(apps, scores)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ds=datasets())
def test_properties(ds):
    ind = scoring.indicator_scores(ds, CAT)
    a = scoring.applicant_scores(ds, CAT, ind)
    assert sorted(a["applicant_id"]) == sorted(ds.applicants["applicant_id"])  # each once
    assert a["applicant_id"].is_unique
    for col in ("pre_pct", "post_pct"):
        v = a[col].dropna()
        assert ((v >= 0) & (v <= 100)).all()
    assert (a["post_total"].dropna() <= a.loc[a["post_total"].notna(), "full_total"]).all()
    # totals reconcile with the indicator rows
    for r in a.itertuples():
        rows = ind[ind["applicant_id"] == r.applicant_id]
        assert r.full_total == rows["full_marks"].sum()
        if r.pre_complete:
            assert r.pre_total == pytest.approx(rows["pre"].sum())
        if r.post_complete:
            assert r.post_total == pytest.approx(rows["post"].sum())
        assert pd.isna(r.ready) == (not r.post_complete)
    # district figures equal the sum of their applicants; province equals sum of districts
    d = scoring.summarize(a, by=["district_code"])
    p = scoring.summarize(a).iloc[0]
    for col in ("registered", "pre_assessed", "post_assessed", "ready"):
        assert d[col].sum() == p[col]
    for row in d.itertuples():
        sub = a[a["district_code"] == row.district_code]
        assert row.registered == len(sub)
        assert row.ready == int(sub["ready"].fillna(False).sum())
        if sub["post_complete"].any():
            assert row.mean_post_pct == pytest.approx(
                sub.loc[sub["post_complete"], "post_pct"].mean()
            )


# ---------------------------------------------------------------- summarize, grouped at once
_PCT = st.one_of(st.none(), st.sampled_from([0.0, 12.5, 33.3, 50.0, 66.65, 72.45, 100.0]),
                 st.floats(0, 100, allow_nan=False))  # fmt: skip
_COLUMNS = ["district_code", "standard", "pre_complete", "post_complete", "pre_pct", "post_pct",
            "ready"]  # fmt: skip
_APPLICANT = st.fixed_dictionaries({
    "district_code": st.sampled_from([6001, 6002, 6007]),
    "standard": st.sampled_from(["leader", "group", "network", "community"]),
    "pre_complete": st.booleans(), "post_complete": st.booleans(),
    "pre_pct": _PCT, "post_pct": _PCT, "ready": st.sampled_from([True, False, None]),
})  # fmt: skip


def _frame(rows) -> pd.DataFrame:
    a = pd.DataFrame(rows, columns=_COLUMNS)
    a["pre_pct"] = a["pre_pct"].astype(float)
    a["post_pct"] = a["post_pct"].astype(float)
    a["gain_pct"] = a["post_pct"] - a["pre_pct"]
    return a


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_APPLICANT, min_size=1, max_size=25))
def test_summarize_by_group_is_each_groups_own_summary(rows):
    """The grouped roll-up is, row for row, the group summarized alone (exactly: a district's
    figures in the province's table are its report's), and matches the figures counted one
    applicant at a time (``_figures``)."""
    a = _frame(rows)
    for by in (["district_code"], ["district_code", "standard"]):
        grouped = scoring.summarize(a, by=by)
        for _, row in grouped.iterrows():
            sub = a[(a[by] == row[by].to_numpy()).all(axis=1)]
            alone = scoring.summarize(sub).iloc[0]
            pd.testing.assert_series_equal(row[scoring.SUMMARY_COLUMNS].astype(float),
                                           alone.astype(float), check_names=False,
                                           check_exact=True)  # fmt: skip
            ref = scoring._figures(sub)
            for col in scoring.SUMMARY_COLUMNS:
                if col.startswith(("mean", "share")):
                    assert alone[col] == pytest.approx(ref[col], rel=1e-12, nan_ok=True)
                else:
                    assert alone[col] == ref[col] or (pd.isna(alone[col]) and pd.isna(ref[col]))
        assert grouped["registered"].sum() == len(a)


def test_summarize_of_nobody():
    a = _frame([])
    whole = scoring.summarize(a).iloc[0]
    assert whole["registered"] == 0 and pd.isna(whole["mean_post_pct"])
    assert list(scoring.summarize(a, by=["district_code"]).columns) == [
        "district_code", *scoring.SUMMARY_COLUMNS]  # fmt: skip
