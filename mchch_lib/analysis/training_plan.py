"""A provincial training plan (แผนการอบรม) from the gaps: units below the pass mark of an
indicator, grouped across districts into one proposed session per indicator, hosted by the
district with most of them, with the officers responsible for those units. Pure pandas.

A unit is below the pass mark of an indicator (``catalog`` ``pass_mark``, the mark of
``scoring.indicator_scores``) on its latest score: the post-development score when it has
one, else the pre-development score. An indicator the unit was never scored on is left out.
"""

from __future__ import annotations

import pandas as pd

#: Indicators a district's next steps name for training.
TRAIN_PER_DISTRICT = 3

BELOW_COLUMNS = [
    "district_code",
    "applicant_id",
    "standard",
    "indicator_id",
    "name_th",
    "round_used",
    "score",
    "pass_mark",
    "full_marks",
    "gap_pct",
]

SESSION_COLUMNS = [
    "session",
    "standard",
    "indicator_id",
    "name_th",
    "n_units",
    "n_districts",
    "host_district",
    "host_units",
    "districts",
    "applicant_ids",
    "units",
    "officers",
    "mean_gap_pct",
]


def below_pass(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per unit × indicator below the pass mark on the unit's latest score (post,
    else pre), with its gap to full marks (% of full marks)."""
    t = indicators.copy()
    has_post = t["post"].notna()
    t["round_used"] = has_post.map({True: "post", False: "pre"})
    t["score"] = t["post"].where(has_post, t["pre"])
    t = t[t["score"].notna() & (t["score"] < t["pass_mark"])].copy()
    t["gap_pct"] = 100 * (t["full_marks"] - t["score"]) / t["full_marks"]
    t["district_code"] = t["district_code"].astype(int)
    return t[BELOW_COLUMNS].reset_index(drop=True)


def _host(codes: pd.Series) -> int:
    """The district with most of the session's units (the lowest code of a tie)."""
    counts = codes.value_counts()
    return int(min(c for c, n in counts.items() if n == counts.max()))


def sessions(indicators: pd.DataFrame, applicants: pd.DataFrame) -> pd.DataFrame:
    """One proposed session per indicator with at least one unit below its pass mark, most
    units first: the units (ids and names, each once), the districts they come from, the host
    district (most of the units) and the officers responsible (each once, in name order)."""
    b = below_pass(indicators)
    if not len(b):
        return pd.DataFrame(columns=SESSION_COLUMNS)
    who = applicants.drop_duplicates("applicant_id").set_index("applicant_id")
    rows = []
    for (std, iid), g in b.groupby(["standard", "indicator_id"], sort=False):
        g = g.drop_duplicates("applicant_id").sort_values(["district_code", "applicant_id"])
        host = _host(g["district_code"])
        officers = who.reindex(g["applicant_id"])["officer"].dropna().astype(str)
        rows.append(
            {
                "standard": std,
                "indicator_id": iid,
                "name_th": g["name_th"].iloc[0],
                "n_units": len(g),
                "n_districts": g["district_code"].nunique(),
                "host_district": host,
                "host_units": int((g["district_code"] == host).sum()),
                "districts": sorted(set(g["district_code"])),
                "applicant_ids": list(g["applicant_id"]),
                "units": list(who.reindex(g["applicant_id"])["name"].astype(str)),
                "officers": sorted(set(officers) - {""}),
                "mean_gap_pct": float(g["gap_pct"].mean()),
            }
        )
    out = pd.DataFrame(rows)
    out = out.sort_values(
        ["n_units", "mean_gap_pct", "indicator_id"], ascending=[False, False, True], kind="stable"
    )
    out.insert(0, "session", range(1, len(out) + 1))
    return out[SESSION_COLUMNS].reset_index(drop=True)


def members(plan: pd.DataFrame, applicants: pd.DataFrame) -> pd.DataFrame:
    """The plan one row per session × unit (the annex sheet): session, indicator, the unit's
    district, id, name and officer, and the session's host district."""
    cols = [
        "session",
        "standard",
        "indicator_id",
        "name_th",
        "host_district",
        "district_code",
        "applicant_id",
        "name",
        "officer",
    ]
    if not len(plan):
        return pd.DataFrame(columns=cols)
    long = plan.explode("applicant_ids").rename(columns={"applicant_ids": "applicant_id"})
    long = long[["session", "standard", "indicator_id", "name_th", "host_district", "applicant_id"]]
    who = applicants[["applicant_id", "district_code", "name", "officer"]].drop_duplicates(
        "applicant_id"
    )
    out = long.merge(who, on="applicant_id", how="left")
    out["district_code"] = out["district_code"].astype(int)
    return out.sort_values(["session", "district_code", "applicant_id"])[cols].reset_index(
        drop=True
    )


def district_priorities(indicators: pd.DataFrame, k: int = TRAIN_PER_DISTRICT) -> pd.DataFrame:
    """Per district, the ``k`` indicators to train: most units below the pass mark, then the
    largest mean gap, then indicator id. Columns district_code, rank, indicator_id, name_th,
    n_units, mean_gap_pct."""
    cols = [
        "district_code",
        "rank",
        "standard",
        "indicator_id",
        "name_th",
        "n_units",
        "mean_gap_pct",
    ]
    b = below_pass(indicators)
    if not len(b):
        return pd.DataFrame(columns=cols)
    t = (
        b.groupby(["district_code", "standard", "indicator_id", "name_th"], sort=False)
        .agg(n_units=("applicant_id", "nunique"), mean_gap_pct=("gap_pct", "mean"))
        .reset_index()
        .sort_values(
            ["district_code", "n_units", "mean_gap_pct", "indicator_id"],
            ascending=[True, False, False, True],
            kind="stable",
        )
    )
    t = t.groupby("district_code", sort=True).head(k).copy()
    t["rank"] = t.groupby("district_code").cumcount() + 1
    return t[cols].reset_index(drop=True)
