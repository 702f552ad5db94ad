"""Self-development, stage 3 of the letter (การส่งเสริมการเรียนรู้และพัฒนาตนเอง): the sub-criteria
(เกณฑ์ย่อย) agreed per indicator and each one's progress (3.1, 3.2), the development timeframe
and who is behind it (3.1, 3.5), and the plan items that do not yet say when, who and with what
evidence (3.3).

Decisions (documented, tested):
- The timeframe is judged as of the 4.2 report's deadline (the report says where development
  stood when it was due), never as of the day a report is made: reports stay reproducible.
- *Behind the timeframe* = the agreed end has passed by that date with no post-development
  assessment (``overdue``), or the post-development assessment came after it (``post_late``).
  A pre-assessment after the start (``pre_late``) or a post-assessment before the end
  (``post_early``) is listed too, as a departure from the letter, not as being behind.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from mchch_lib.data.catalog import Catalog
from mchch_lib.data.contract import SUBCRITERION_KINDS_TH, Dataset

#: Timeframe statuses, in the order they are judged (the first that applies).
TIMEFRAME_TH = {
    "no_timeframe": "ยังไม่ได้กำหนดระยะเวลาพัฒนา",
    "post_late": "ประเมินหลังพัฒนาหลังกำหนดส่งรายงาน 4.2",
    "overdue": "ครบกำหนดแล้วแต่ยังไม่ได้ประเมินหลังพัฒนา",
    "pre_late": "ประเมินก่อนพัฒนาหลังวันเริ่มพัฒนา",
    "post_early": "ประเมินหลังพัฒนาก่อนสิ้นสุดการพัฒนา",
    "in_progress": "อยู่ระหว่างพัฒนา",
    "on_time": "เป็นไปตามกำหนด",
}
BEHIND = ("post_late", "overdue")

#: What a plan item must say (letter 3.3), as a short label for tables.
PLAN_ITEMS_TH = {"period": "เมื่อใด", "expert": "ผู้รู้/วิทยากร", "evidence": "หลักฐาน"}

_SUB_COLS = [
    "district_code",
    "applicant_id",
    "name",
    "standard",
    "indicator_id",
    "indicator_th",
    "subcriterion_id",
    "text",
    "kind",
    "kind_th",
    "marks",
    "pre",
    "post",
    "gain",
]


def subcriteria_progress(ds: Dataset, catalog: Catalog) -> pd.DataFrame:
    """Each applicant's agreed sub-criteria with their pre and post scores and the change, in
    catalog order (an indicator's added sub-criteria after its own)."""
    sub = ds.subcriteria
    if not len(sub):
        return pd.DataFrame(columns=_SUB_COLS)
    inds, subs = catalog.indicators, catalog.subcriteria
    names = ds.applicants.set_index("applicant_id")["name"]
    out = sub.copy()
    out["name"] = out["applicant_id"].map(names)
    out["standard"] = out["indicator_id"].map(lambda i: inds[i].standard)
    out["indicator_th"] = out["indicator_id"].map(lambda i: inds[i].name_th)
    out["kind_th"] = out["kind"].map(SUBCRITERION_KINDS_TH)
    out["gain"] = out["post"] - out["pre"]
    out["_ind"] = out["indicator_id"].map(lambda i: inds[i].order)
    out["_sub"] = [
        subs[s].order if s in subs and k != "added" else 1000 + n
        for n, (s, k) in enumerate(zip(out["subcriterion_id"], out["kind"], strict=True))
    ]
    out = out.sort_values(["district_code", "applicant_id", "_ind", "_sub"], kind="stable")
    return out[_SUB_COLS].reset_index(drop=True)


def _first_dates(ds: Dataset) -> pd.DataFrame:
    s = ds.scores
    if not len(s):
        return pd.DataFrame(columns=["pre", "post"])
    return s.groupby(["applicant_id", "round"])["assessed_on"].min().unstack()


def timeframe_status(ds: Dataset, as_of: dt.date | None) -> pd.DataFrame:
    """Per applicant: the agreed development timeframe, the assessment dates, a status
    (``TIMEFRAME_TH``) and whether the applicant is behind it as of ``as_of`` (the 4.2
    deadline)."""
    dates = _first_dates(ds).reindex(columns=["pre", "post"])
    a = ds.applicants
    rows = []
    for r in a.itertuples(index=False):
        pre = dates["pre"].get(r.applicant_id, pd.NaT)
        post = dates["post"].get(r.applicant_id, pd.NaT)
        status = _status(r.dev_start, r.dev_end, pre, post, as_of)
        rows.append(
            {
                "district_code": r.district_code,
                "applicant_id": r.applicant_id,
                "name": r.name,
                "standard": r.standard,
                "dev_start": r.dev_start,
                "dev_end": r.dev_end,
                "pre_on": pre,
                "post_on": post,
                "status": status,
                "status_th": TIMEFRAME_TH[status],
                "behind": status in BEHIND,
            }
        )
    cols = [
        "district_code",
        "applicant_id",
        "name",
        "standard",
        "dev_start",
        "dev_end",
        "pre_on",
        "post_on",
        "status",
        "status_th",
        "behind",
    ]
    out = pd.DataFrame(rows, columns=cols)
    out["behind"] = out["behind"].astype(bool)
    return out


def _status(start, end, pre, post, as_of: dt.date | None) -> str:
    if pd.isna(start) or pd.isna(end):
        return "no_timeframe"
    limit = pd.Timestamp(as_of) if as_of is not None else None
    if limit is not None and pd.notna(post) and post > limit:
        return "post_late"
    if limit is not None and pd.isna(post) and end <= limit:
        return "overdue"
    if pd.notna(pre) and pre > start:
        return "pre_late"
    if pd.notna(post) and post < end:
        return "post_early"
    return "in_progress" if pd.isna(post) else "on_time"


def plan_gaps(ds: Dataset) -> pd.DataFrame:
    """The plan items (แผนพัฒนาตนเอง) that do not say when, who or with what evidence: one row
    per item, ``missing_th`` naming what is missing."""
    p = ds.plans
    cols = ["district_code", "applicant_id", "indicator_id", "topic", "missing_th", "n_missing"]
    if not len(p):
        return pd.DataFrame(columns=cols)
    missing = p[list(PLAN_ITEMS_TH)].isna()
    out = p.loc[missing.any(axis=1), ["district_code", "applicant_id", "indicator_id", "topic"]]
    m = missing.loc[out.index]
    out = out.assign(
        missing_th=[
            ", ".join(PLAN_ITEMS_TH[c] for c in m.columns if row[c]) for _, row in m.iterrows()
        ],
        n_missing=m.sum(axis=1).astype(int),
    )
    return out.sort_values(["district_code", "applicant_id", "indicator_id"]).reset_index(drop=True)
