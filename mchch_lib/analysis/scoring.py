"""Scoring (การให้คะแนน): per applicant × indicator, per applicant, per district and province;
certification readiness by the catalog's rule; a paired pre/post comparison.

Decisions (documented, tested):
- An applicant's totals use only its own standard's indicators.
- A round is *complete* when every indicator of the standard has a score; an incomplete round
  gives no total (NaN) and ``pre_complete``/``post_complete`` = False, never a partial sum.
- Readiness for the provincial assessment is judged on a complete post round only; with no
  (complete) post round ``ready`` is NA and the status says "not yet assessed" — never counted
  as zero or as not ready.
- Normalized gain = (post − pre) / (full − pre); when pre is already at full marks it is NaN
  ("not applicable"), never a division error.
- ``share_ready`` = ready / post assessed (who could be judged); ``share_ready_registered``
  = ready / registered is reported beside it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from mchch_lib.data.catalog import Catalog
from mchch_lib.data.contract import Dataset

STATUS_TH = {
    "not_assessed": "ยังไม่ได้ประเมิน",
    "pre_only": "ยังไม่ได้ประเมินหลังพัฒนา",
    "assessed": "ประเมินครบแล้ว",
}
STAGES = [
    ("registered", "สมัคร"),
    ("pre_assessed", "ประเมินก่อนพัฒนา"),
    ("planned", "มีแผนพัฒนาตนเอง"),
    ("post_assessed", "ประเมินหลังพัฒนา"),
    ("ready", "พร้อมรับการประเมิน"),
]
MIN_PAIRS = 6
#: Indicators shown where the largest gaps are listed: the reports' gap table and its chart,
#: and the trainers' deck.
TOP_GAPS = 10

_IND_COLS = [
    "district_code",
    "applicant_id",
    "standard",
    "indicator_id",
    "name_th",
    "core",
    "full_marks",
    "pass_mark",
    "pre",
    "post",
    "gap_pre",
    "gap_post",
    "gain",
    "below_pass_pre",
    "below_pass_post",
]


def indicator_scores(ds: Dataset, catalog: Catalog) -> pd.DataFrame:
    """One row per applicant × indicator of its standard: pre, post, full marks, gaps, gain."""
    ind = catalog.indicator_table()
    apps = ds.applicants[["district_code", "applicant_id", "standard"]]
    grid = apps.merge(ind, on="standard", how="inner")
    s = ds.scores
    wide = (
        (
            s.pivot_table(
                index=["applicant_id", "indicator_id"],
                columns="round",
                values="score",
                aggfunc="first",
            )
            .reindex(columns=["pre", "post"])
            .reset_index()
        )
        if len(s)
        else pd.DataFrame(columns=["applicant_id", "indicator_id", "pre", "post"])
    )
    wide["applicant_id"] = wide["applicant_id"].astype("string")
    wide["indicator_id"] = wide["indicator_id"].astype("string")
    grid["indicator_id"] = grid["indicator_id"].astype("string")
    out = grid.merge(wide, on=["applicant_id", "indicator_id"], how="left")
    out["pre"] = out["pre"].astype(float)
    out["post"] = out["post"].astype(float)
    out["gap_pre"] = out["full_marks"] - out["pre"]
    out["gap_post"] = out["full_marks"] - out["post"]
    out["gain"] = out["post"] - out["pre"]
    out["below_pass_pre"] = (out["pre"] < out["pass_mark"]).where(out["pre"].notna())
    out["below_pass_post"] = (out["post"] < out["pass_mark"]).where(out["post"].notna())
    out = out.sort_values(["district_code", "applicant_id", "order"], kind="stable")
    return out[_IND_COLS].reset_index(drop=True)


def _readiness(r: dict, catalog: Catalog, standard: str) -> tuple[bool, str, str]:
    """Ready by the rule on the post round, with the reason (Thai, English). ``r``: the
    applicant's indicator rows as arrays (full_marks, post, pass_mark, core, indicator_id)."""
    rule = catalog.standards[standard].rule
    full = r["full_marks"].sum()
    pct = 100 * r["post"].sum() / full
    reasons_th, reasons_en = [], []
    if pct < rule.min_share_pct - 1e-9:
        reasons_th.append(f"คะแนนรวมร้อยละ {pct:.1f} ต่ำกว่าเกณฑ์ร้อยละ {rule.min_share_pct:g}")
        reasons_en.append(f"total {pct:.1f}% is below the {rule.min_share_pct:g}% threshold")
    if rule.core_must_pass:
        failed = r["indicator_id"][r["core"] & (r["post"] < r["pass_mark"])]
        if len(failed):
            ids = ", ".join(failed)
            reasons_th.append(f"ตัวบ่งชี้หลักไม่ผ่าน: {ids}")
            reasons_en.append(f"core indicator(s) not passed: {ids}")
    if rule.min_indicators_passed is not None:
        passed = int((r["post"] >= r["pass_mark"]).sum())
        if passed < rule.min_indicators_passed:
            reasons_th.append(f"ผ่าน {passed} ตัวบ่งชี้ ต้องผ่านอย่างน้อย {rule.min_indicators_passed}")
            reasons_en.append(
                f"{passed} indicators passed, at least {rule.min_indicators_passed} needed"
            )
    if reasons_th:
        return False, "; ".join(reasons_th), "; ".join(reasons_en)
    return True, "ผ่านเกณฑ์ทุกข้อ", "meets every criterion"


_ROW_ARRAYS = ("full_marks", "pre", "post", "pass_mark", "core", "indicator_id")


def _rows_by_applicant(ind: pd.DataFrame) -> dict[str, dict]:
    """Each applicant's indicator rows as numpy arrays (small arrays, not DataFrames: an
    applicant costs microseconds, so a national run scores every province quickly)."""
    import numpy as np

    arrays = {
        "full_marks": ind["full_marks"].to_numpy(dtype=float),
        "pre": ind["pre"].to_numpy(dtype=float, na_value=np.nan),
        "post": ind["post"].to_numpy(dtype=float, na_value=np.nan),
        "pass_mark": ind["pass_mark"].to_numpy(dtype=float),
        "core": ind["core"].to_numpy(dtype=bool),
        "indicator_id": ind["indicator_id"].astype(object).to_numpy(),
    }
    codes, ids = pd.factorize(ind["applicant_id"], sort=False)
    order = np.argsort(codes, kind="stable")  # each applicant's rows, in their table order
    bounds = np.searchsorted(codes[order], np.arange(len(ids) + 1))
    return {
        aid: {k: v[order[bounds[i] : bounds[i + 1]]] for k, v in arrays.items()}
        for i, aid in enumerate(ids)
    }


def applicant_scores(
    ds: Dataset, catalog: Catalog, ind: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per applicant (every applicant, in district/applicant order): totals, %, gain,
    normalized gain, status, readiness and reason, indicators below pass mark after."""
    import numpy as np

    ind = indicator_scores(ds, catalog) if ind is None else ind
    apps = ds.applicants.sort_values(["district_code", "applicant_id"], kind="stable")
    dates = (
        ds.scores.groupby(["applicant_id", "round"])["assessed_on"].min().unstack()
        if len(ds.scores)
        else pd.DataFrame(columns=["pre", "post"])
    )
    dates = dates.reindex(columns=["pre", "post"])
    pre_on, post_on = dates["pre"].to_dict(), dates["post"].to_dict()
    by_app = _rows_by_applicant(ind)
    none = {k: np.array([], dtype=object if k == "indicator_id" else float) for k in _ROW_ARRAYS}
    recs = []
    for a in apps.itertuples(index=False):
        r = by_app.get(a.applicant_id, none)
        n = len(r["full_marks"])
        full = float(r["full_marks"].sum())
        pre_complete = bool(n) and not np.isnan(r["pre"]).any()
        post_complete = bool(n) and not np.isnan(r["post"]).any()
        pre_t = float(r["pre"].sum()) if pre_complete else math.nan
        post_t = float(r["post"].sum()) if post_complete else math.nan
        gain = post_t - pre_t
        ng = gain / (full - pre_t) if pre_complete and post_complete and full > pre_t else math.nan
        status = "assessed" if post_complete else "pre_only" if pre_complete else "not_assessed"
        if post_complete:
            ready, r_th, r_en = _readiness(r, catalog, a.standard)
            below = ", ".join(r["indicator_id"][r["post"] < r["pass_mark"]])
        else:
            ready, r_th, r_en = (
                pd.NA,
                STATUS_TH[status],
                {
                    "pre_only": "no post-development assessment yet",
                    "not_assessed": "not assessed yet",
                }[status],
            )
            below = ""
        recs.append(
            {
                "district_code": a.district_code,
                "applicant_id": a.applicant_id,
                "name": a.name,
                "standard": a.standard,
                "officer": a.officer,
                "tambon": a.tambon,
                "moo": a.moo,
                "citizen_id": a.citizen_id,
                "pre_total": pre_t,
                "post_total": post_t,
                "full_total": full,
                "pre_pct": 100 * pre_t / full if full else math.nan,
                "post_pct": 100 * post_t / full if full else math.nan,
                "gain": gain,
                "gain_pct": 100 * gain / full if full else math.nan,
                "normalized_gain": ng,
                "pre_complete": pre_complete,
                "post_complete": post_complete,
                "status": status,
                "status_th": STATUS_TH[status],
                "ready": ready,
                "ready_reason_th": r_th,
                "ready_reason_en": r_en,
                "below_pass_post": below,
                "pre_on": pre_on.get(a.applicant_id, pd.NaT),
                "post_on": post_on.get(a.applicant_id, pd.NaT),
            }
        )
    out = pd.DataFrame(recs, columns=_APP_COLS)
    out["ready"] = out["ready"].astype("boolean")
    out["district_code"] = out["district_code"].astype("Int64")
    for c in ("pre_complete", "post_complete"):
        out[c] = out[c].astype(bool)
    return out


_APP_COLS = [
    "district_code",
    "applicant_id",
    "name",
    "standard",
    "officer",
    "tambon",
    "moo",
    "citizen_id",
    "pre_total",
    "post_total",
    "full_total",
    "pre_pct",
    "post_pct",
    "gain",
    "gain_pct",
    "normalized_gain",
    "pre_complete",
    "post_complete",
    "status",
    "status_th",
    "ready",
    "ready_reason_th",
    "ready_reason_en",
    "below_pass_post",
    "pre_on",
    "post_on",
]

EXPORT_COLUMNS = [
    "district_code",
    "applicant_id",
    "standard",
    "pre_total",
    "post_total",
    "full_total",
    "pre_pct",
    "post_pct",
    "gain",
    "normalized_gain",
    "ready",
    "status",
    "name",
]


def export_table(applicants: pd.DataFrame) -> pd.DataFrame:
    """The per-applicant table for analysts (``mchch scores --csv``): no ID numbers; a missing
    round leaves its cells empty."""
    out = applicants[EXPORT_COLUMNS].copy()
    for c in ("pre_pct", "post_pct", "normalized_gain"):
        out[c] = out[c].round(4)
    return out


#: The figures of a roll-up, in order (what ``summarize`` computes for each group).
SUMMARY_COLUMNS = [
    "registered",
    "pre_assessed",
    "post_assessed",
    "not_yet_post",
    "ready",
    "mean_pre_pct",
    "median_pre_pct",
    "mean_post_pct",
    "median_post_pct",
    "mean_gain_pct",
    "share_ready",
    "share_ready_registered",
]


def _figures(a: pd.DataFrame) -> dict:
    """The figures of one group, row by row (the summary of no applicant: ``summarize``)."""
    pre = a.loc[a["pre_complete"], "pre_pct"]
    post = a.loc[a["post_complete"], "post_pct"]
    n_post = int(a["post_complete"].sum())
    ready = int(a["ready"].fillna(False).sum())
    return {
        "registered": len(a),
        "pre_assessed": int(a["pre_complete"].sum()),
        "post_assessed": n_post,
        "not_yet_post": len(a) - n_post,
        "ready": ready,
        "mean_pre_pct": pre.mean(),
        "median_pre_pct": pre.median(),
        "mean_post_pct": post.mean(),
        "median_post_pct": post.median(),
        "mean_gain_pct": a.loc[a["pre_complete"] & a["post_complete"], "gain_pct"].mean(),
        "share_ready": ready / n_post if n_post else math.nan,
        "share_ready_registered": ready / len(a) if len(a) else math.nan,
    }


def summarize(applicants: pd.DataFrame, by: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """The roll-up (สรุปผล) of applicants, whole or per group: counts by stage, mean and median
    pre and post % of full marks (over applicants with a complete round), mean gain, share
    ready. One function for every level and every table, chart, form and deck that shows
    these figures: ``by=()`` one row; ``by=["district_code"]`` a row per district;
    ``by=["district_code", "standard"]`` and so on. Whole or per group, the figures come from
    the same grouped sums (a district's own summary is exactly its row in the province's)."""
    by = list(by)
    if not len(applicants):
        if not by:
            return pd.DataFrame([_figures(applicants)], columns=SUMMARY_COLUMNS)
        return pd.DataFrame(columns=[*by, *SUMMARY_COLUMNS])
    a = applicants
    pre_ok, post_ok = a["pre_complete"].astype(bool), a["post_complete"].astype(bool)
    keys = {k: a[k] for k in by} if by else {"_all": 0}
    parts = pd.DataFrame({
        **keys,
        "registered": 1,
        "pre_assessed": pre_ok.astype(int),
        "post_assessed": post_ok.astype(int),
        "ready": a["ready"].fillna(False).astype(bool).astype(int),
        "_pre": a["pre_pct"].where(pre_ok).astype(float),
        "_post": a["post_pct"].where(post_ok).astype(float),
        "_gain": a["gain_pct"].where(pre_ok & post_ok).astype(float),
    }, index=a.index)  # fmt: skip
    g = parts.groupby(list(keys), sort=True, dropna=False)
    out = g[["registered", "pre_assessed", "post_assessed", "ready"]].sum()
    out["not_yet_post"] = out["registered"] - out["post_assessed"]
    codes = g.ngroup().to_numpy()
    for col, src in (("pre", "_pre"), ("post", "_post")):
        out[f"mean_{col}_pct"] = _group_means(parts[src].to_numpy(), codes, len(out))
        out[f"median_{col}_pct"] = g[src].median()
    out["mean_gain_pct"] = _group_means(parts["_gain"].to_numpy(), codes, len(out))
    out["share_ready"] = out["ready"] / out["post_assessed"].where(out["post_assessed"] > 0)
    out["share_ready_registered"] = out["ready"] / out["registered"]
    out = out.reset_index()[[*by, *SUMMARY_COLUMNS]]
    if "district_code" in by:
        out["district_code"] = out["district_code"].astype(int)
    return out


def _group_means(values: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """The mean of each group's values that are not NaN (NaN for none), each group's values
    added in row order: the same sum whatever else is in the table (pandas' grouped mean
    changes in the last digit with NaNs elsewhere in the column, so a district's mean in the
    province's table could differ from its own report's)."""
    valid = ~np.isnan(values)
    sums = np.bincount(codes, weights=np.where(valid, values, 0.0), minlength=n)
    counts = np.bincount(codes[valid], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


def stage_counts(ds: Dataset, applicants: pd.DataFrame) -> pd.DataFrame:
    """Applicants reaching each stage: registered → pre assessed → plan → post → ready."""
    planned = set(ds.plans["applicant_id"]) & set(applicants["applicant_id"])
    n = {
        "registered": len(applicants),
        "pre_assessed": int(applicants["pre_complete"].sum()),
        "planned": len(planned),
        "post_assessed": int(applicants["post_complete"].sum()),
        "ready": int(applicants["ready"].fillna(False).sum()),
    }
    return pd.DataFrame([{"stage": k, "stage_th": th, "n": n[k]} for k, th in STAGES])


def indicator_gaps(
    indicators: pd.DataFrame, by: tuple[str, ...] = ("district_code",)
) -> pd.DataFrame:
    """Remaining gap to full marks per (group ×) indicator, largest first.

    Uses the post round of applicants assessed after development; an indicator nobody has a
    post score for falls back to the pre round (``round_used`` says which round every figure
    of the row is of): ``n`` applicants, ``mean_gap`` (marks), ``mean_gap_pct`` (% of full
    marks) and ``share_below_pass_pct`` (% of those applicants below the pass mark).
    """
    keys = [*by, "standard", "indicator_id", "name_th"]
    cols = [
        *keys,
        "round_used",
        "n",
        "full_marks",
        "mean_gap",
        "mean_gap_pct",
        "share_below_pass_pct",
    ]
    if not len(indicators):
        return pd.DataFrame(columns=cols)
    # one vectorized pass (a group loop took 0.6 s for a province, minutes for the nation):
    # each row's round is its group's post round if the group has any post score, else pre
    t = indicators[keys + ["full_marks", "pass_mark", "pre", "post"]].copy()
    has_post = t.groupby(keys, sort=False, dropna=False)["post"].transform("count") > 0
    t["round_used"] = np.where(has_post, "post", "pre")
    t["score"] = np.where(has_post, t["post"], t["pre"])
    t = t[t["score"].notna()]
    t["gap"] = t["full_marks"] - t["score"]
    t["gap_pct"] = 100 * t["gap"] / t["full_marks"]
    t["below"] = 100 * (t["score"] < t["pass_mark"]).astype(float)
    out = (
        t.groupby([*keys, "round_used"], sort=False, dropna=False)
        .agg(
            n=("score", "size"),
            full_marks=("full_marks", "first"),
            mean_gap=("gap", "mean"),
            mean_gap_pct=("gap_pct", "mean"),
            share_below_pass_pct=("below", "mean"),
        )
        .reset_index()
    )
    out["full_marks"] = out["full_marks"].astype(float)
    # equal gaps are ordered by indicator id, whatever the last bits of the float sums say
    order = out.assign(_key=out["mean_gap_pct"].round(9))
    return order.sort_values(
        ["_key", *by, "indicator_id"], ascending=[False, *[True] * len(by), True], kind="stable"
    )[cols].reset_index(drop=True)


def paired_test(applicants: pd.DataFrame) -> dict:
    """Wilcoxon signed-rank test of post vs pre %, with the matched-pairs rank-biserial
    correlation as effect size; refuses a p-value with fewer than 6 pairs or no change."""
    pairs = applicants[applicants["pre_complete"] & applicants["post_complete"]]
    diff = (pairs["post_pct"] - pairs["pre_pct"]).to_numpy(dtype=float)
    n = len(diff)
    base = {
        "n_pairs": n,
        "statistic": None,
        "p_value": None,
        "effect_size": None,
        "median_diff": float(np.median(diff)) if n else None,
    }
    if n < MIN_PAIRS:
        return {
            **base,
            "status": "too_few_pairs",
            "message_th": f"มีผู้ประเมินครบทั้งก่อนและหลังพัฒนาเพียง {n} ราย (ต้องมีอย่างน้อย "
            f"{MIN_PAIRS} ราย) จึงไม่คำนวณค่านัยสำคัญทางสถิติ",
            "message_en": f"Only {n} applicant(s) have both rounds (at least {MIN_PAIRS} "
            "needed): no p-value is reported.",
        }
    nz = diff[diff != 0]
    if len(nz) == 0:
        return {
            **base,
            "status": "no_change",
            "message_th": "คะแนนก่อนและหลังพัฒนาเท่ากันทุกราย จึงไม่มีการทดสอบทางสถิติ",
            "message_en": "Pre and post scores are equal for everyone: no test.",
        }
    from scipy.stats import rankdata, wilcoxon

    res = wilcoxon(diff, zero_method="wilcox")
    ranks = rankdata(np.abs(nz))
    r_pos, r_neg = ranks[nz > 0].sum(), ranks[nz < 0].sum()
    effect = float((r_pos - r_neg) / ranks.sum())
    p = float(res.pvalue)
    # never "p = 0.000"; no-break spaces keep "p = 0.031" and "r = 0.89" on one line
    p_text = "p\u00a0<\u00a00.001" if p < 0.001 else f"p\u00a0=\u00a0{p:.3f}"
    sig_th = "แตกต่างอย่างมีนัยสำคัญทางสถิติ" if p < 0.05 else "ไม่แตกต่างอย่างมีนัยสำคัญ"
    return {
        **base,
        "status": "ok",
        "statistic": float(res.statistic),
        "p_value": p,
        "effect_size": effect,
        "message_th": f"เปรียบเทียบก่อน–หลังพัฒนา {n} คู่ (Wilcoxon signed-rank): {sig_th} "
        f"({p_text}) ขนาดอิทธิพล r\u00a0=\u00a0{effect:.2f} "
        f"ค่ากลางของผลต่าง {np.median(diff):+.1f} จุดร้อยละ",
        "message_en": f"Paired pre/post comparison of {n} applicants (Wilcoxon signed-rank):"
        f" {p_text}, rank-biserial r = {effect:.2f}, median change "
        f"{np.median(diff):+.1f} percentage points",
    }
