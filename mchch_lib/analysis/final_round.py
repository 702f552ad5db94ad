"""The provincial final round (การประเมินรอบสุดท้ายระดับจังหวัด): the provincial certification
committee's results for the units the districts declared ready, the certified list, and how
each district's own post-development ratings compare with the committee's.

Decisions (documented, tested):
- The committee's % is its total over the standard's full marks, only when it scored every
  indicator of the standard (a verdict alone gives no %); the difference is the district's
  post-development % minus the committee's, in percentage points.
- A district *over-rates* a unit when the difference is above ``RATING_TOLERANCE_PCT`` points,
  *under-rates* it when below minus that, and agrees otherwise: a tolerance for the rounding
  and judgement any two assessors differ by, not a rule of the department (none is public).
- A certified unit whose district post-assessment was not ready (or not complete) is a
  warning (``certified_not_ready``) unless the committee's note says something: the note is
  where the committee records why.
"""

from __future__ import annotations

import math

import pandas as pd

from mchch_lib.common import thai
from mchch_lib.data.catalog import STANDARD_CODES, Catalog
from mchch_lib.data.contract import Dataset

#: Percentage points within which a district's rating agrees with the committee's.
RATING_TOLERANCE_PCT = 5.0

RATING_TH = {"over": "สูงกว่าคณะกรรมการ", "under": "ต่ำกว่าคณะกรรมการ", "agree": "ใกล้เคียงกัน"}

#: What a result takes from the district's scores of the applicant.
_FROM_APPLICANTS = ["name", "standard", "tambon", "moo", "ready", "ready_reason_th",
                    "ready_reason_en", "post_pct"]  # fmt: skip
_RESULT_COLS = [
    "district_code",
    "applicant_id",
    *_FROM_APPLICANTS,
    "committee_total",
    "committee_pct",
    "difference",
    "rating",
    "assessed_on",
    "verdict",
    "certified",
    "certificate_no",
    "certified_on",
    "note",
    "source_file",
    "source_sheet",
    "source_row",
]


def results(ds: Dataset, catalog: Catalog, applicants: pd.DataFrame) -> pd.DataFrame:
    """One row per unit the committee assessed: the district's readiness and post %, the
    committee's total and %, the difference, the verdict and certification."""
    f = ds.final_round
    if not len(f):
        return pd.DataFrame(columns=_RESULT_COLS)
    a = applicants.set_index("applicant_id")
    fs = ds.final_scores
    out = f.merge(
        applicants[["applicant_id", *_FROM_APPLICANTS]],
        on="applicant_id",
        how="left",
    )
    totals = []
    for aid, std in zip(out["applicant_id"], out["standard"], strict=True):
        ids = [i.id for i in catalog.standards[std].indicators]
        got = fs[(fs["applicant_id"] == aid) & fs["indicator_id"].isin(ids)]
        complete = set(got["indicator_id"]) == set(ids)
        totals.append(float(got["score"].sum()) if complete else math.nan)
    out["committee_total"] = totals
    full = out["applicant_id"].map(a["full_total"]).astype(float)
    out["committee_pct"] = 100 * out["committee_total"] / full
    out["difference"] = out["post_pct"] - out["committee_pct"]
    out["rating"] = out["difference"].map(_rating)
    out["certified_on"] = out["certified_on"].fillna(out["assessed_on"])
    out = out.sort_values(["district_code", "applicant_id"], kind="stable")
    return out[_RESULT_COLS].reset_index(drop=True)


def _rating(diff: float) -> str | None:
    if pd.isna(diff):
        return None
    if diff > RATING_TOLERANCE_PCT:
        return "over"
    if diff < -RATING_TOLERANCE_PCT:
        return "under"
    return "agree"


def number_key(number: object) -> tuple:
    """Sort key of a certificate number in natural order ("นว 2/2561" before "นว 10/2561")."""
    import re

    text = thai.to_arabic_digits(str(number)) if isinstance(number, str) else ""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def certified(res: pd.DataFrame) -> pd.DataFrame:
    """The certified units: by district (each district's certificates together), then by
    certificate number; the order of the list, the certificates and the combined PDF."""
    c = res[res["certified"].fillna(False).astype(bool)].copy()
    c["_no"] = c["certificate_no"].map(number_key)
    c = c.sort_values(["district_code", "_no", "applicant_id"], kind="stable")
    return c.drop(columns="_no").reset_index(drop=True)


def by_district_standard(res: pd.DataFrame, applicants: pd.DataFrame) -> pd.DataFrame:
    """Per district: units ready (the district's judgement), assessed by the committee,
    certified in all and per standard (one column per standard code)."""
    codes = sorted(set(applicants["district_code"].dropna().astype(int)))
    rows = []
    for code in codes:
        r = res[res["district_code"] == code]
        cert = r[r["certified"].fillna(False).astype(bool)]
        a = applicants[applicants["district_code"] == code]
        row = {
            "district_code": code,
            "ready": int(a["ready"].fillna(False).sum()),
            "assessed": len(r),
            "certified": len(cert),
        }
        row |= {s: int((cert["standard"] == s).sum()) for s in STANDARD_CODES}
        rows.append(row)
    return pd.DataFrame(
        rows, columns=["district_code", "ready", "assessed", "certified", *STANDARD_CODES]
    )


def rating_comparison(res: pd.DataFrame) -> pd.DataFrame:
    """Per district: units the committee scored in full, the mean difference (district %
    minus committee %, points), and how many the district over-rated, agreed on, under-rated."""
    r = res[res["difference"].notna()]
    rows = []
    for code, g in r.groupby("district_code", sort=True):
        rows.append(
            {
                "district_code": int(code),
                "n": len(g),
                "mean_difference": float(g["difference"].mean()),
                "over": int((g["rating"] == "over").sum()),
                "agree": int((g["rating"] == "agree").sum()),
                "under": int((g["rating"] == "under").sum()),
            }
        )
    out = pd.DataFrame(
        rows, columns=["district_code", "n", "mean_difference", "over", "agree", "under"]
    )
    out["share_over_pct"] = 100 * out["over"] / out["n"]
    return out


def problems(res: pd.DataFrame):
    """Located problems of the round that need the scores: a certified unit the district had
    not found ready, with no note of the committee's (rule ``certified_not_ready``)."""
    from mchch_lib.data.contract import FINAL_ROUND
    from mchch_lib.data.validate import located, problems_frame

    out = []
    cert = res["certified"].fillna(False).astype(bool)
    for r in res[cert & ~res["ready"].fillna(False).astype(bool)].itertuples(index=False):
        if isinstance(r.note, str) and r.note.strip():
            continue
        out.append(
            located(
                "certified_not_ready",
                file=r.source_file,
                sheet=r.source_sheet,
                row=int(r.source_row),
                column=FINAL_ROUND.column("certified").th,
                field="certified",
                value=r.applicant_id,
                district=int(r.district_code),
                reason=r.ready_reason_th,
                reason_en=r.ready_reason_en,
            )
        )
    return problems_frame(out)
