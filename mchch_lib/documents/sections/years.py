"""The comparison with earlier years (เปรียบเทียบกับปีที่ผ่านมา): the year's figures beside the earlier years', units matched across years, indicators and districts that moved."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from mchch_lib.common import thai
from mchch_lib.documents.templating import Markup

if TYPE_CHECKING:
    from mchch_lib.documents.report import ReportContext

from mchch_lib.documents.sections.overview import READY_TH, render_section, short_hash


# ---------------------------------------------------------------- comparison with earlier years
def _comparison(ctx: ReportContext):
    c = ctx.comparison
    if c is None:
        from mchch_lib.errors import MchchError

        raise MchchError(
            "ไม่มีปีที่จะเปรียบเทียบ (params: compare_with) / nothing to compare with "
            "(params: compare_with)"
        )
    return c


def _signed(x: object, decimals: int, digits: bool) -> str:
    """A change with its sign ("+3", "-1.5", "0"); "–" when a year has no figure."""
    if x is None or pd.isna(x):
        return "–"
    v = thai.round_half_up(x, decimals)
    s = thai.format_number(abs(v), decimals, digits)
    return s if v == 0 else ("+" if v > 0 else "-") + s


def _year(y: object, digits: bool) -> str:
    return thai.to_thai_digits(str(int(y))) if digits else str(int(y))


#: The figures of the comparison table: column, Thai header, decimals.
_YEAR_COLUMNS = [
    ("registered", "ผู้สมัคร", 0),
    ("post_assessed", "ประเมินหลังแล้ว", 0),
    ("mean_pre_pct", "เฉลี่ยก่อน (%)", 1),
    ("mean_post_pct", "เฉลี่ยหลัง (%)", 1),
    ("ready", "พร้อม", 0),
    ("share_ready_pct", "พร้อม (%)", 1),
]
_CERTIFIED_COLUMNS = [
    ("certified", "รับรองแล้ว", 0),
    ("share_certified_pct", "รับรอง (% ของผู้พร้อม)", 1),
]


def _year_rows(c, table: pd.DataFrame, label: str, cols, digits: bool) -> list[dict]:
    """Rows of one block of the comparison table: one per year, then the change."""
    rows = []
    for n, year in enumerate(c.years):
        r = table[table["year"] == year].iloc[0]
        rows.append({"label": label if n == 0 else "", "year": _year(year, digits),
                     **{k: thai.format_number(r[k], d, digits) for k, _, d in cols}})  # fmt: skip
    last = table[table["year"] == c.last_year].iloc[0]
    now = table[table["year"] == c.year].iloc[0]
    rows.append({"label": "", "year": "เปลี่ยนแปลง",
                 **{k: _signed(now[k] - last[k], d, digits) for k, _, d in cols}})  # fmt: skip
    return rows


def comparison_section(ctx: ReportContext) -> Markup:
    """This year beside the earlier years (เปรียบเทียบกับปีที่ผ่านมา): applicants, mean pre and
    post % of full marks and readiness, in all and per standard, and the change since last
    year."""
    c = _comparison(ctx)
    digits = ctx.params.thai_digits
    cols = _YEAR_COLUMNS + (_CERTIFIED_COLUMNS if "certified" in c.measures else [])
    rows = _year_rows(c, c.total, "ทุกมาตรฐาน", cols, digits)
    for code in c._values("standard"):
        block = c.by_standard[c.by_standard["standard"] == code]
        rows += _year_rows(c, block, ctx.catalog.standards[code].short_th, cols, digits)
    t = c.change(c.total, ["standard"]).iloc[0]
    view = {
        "place": ctx.place_th,
        "year": c.year,
        "last_year": c.last_year,
        "earlier_years": c.years[:-1],
        "registered": t["registered_now"],
        "registered_change": _signed(t["registered_change"], 0, digits),
        "mean_post_pct": t["mean_post_pct_now"],
        "mean_post_change": _signed(t["mean_post_pct_change"], 1, digits),
        "ready": t["ready_now"],
        "ready_change": _signed(t["ready_change"], 0, digits),
        "n_returning": len(c.returning),
        "sources": [(y, short_hash(h)) for y, h in c.input_hashes.items() if y != c.year],
        "rows": pd.DataFrame(rows),
        "columns": {"label": "มาตรฐาน", "year": "ปี", **{k: h for k, h, _ in cols}},
        "formats": {"year": "text", **{k: "numtext" for k, _, _ in cols}},
    }
    return render_section(ctx, "comparison", view)


def comparison_indicators_section(ctx: ReportContext) -> Markup:
    """Per indicator (this year's id): mean post-development % last year and this year and
    the change; the indicators among the largest gaps in both years."""
    from mchch_lib.analysis.years import WEAK_TOP

    c = _comparison(ctx)
    digits = ctx.params.thai_digits
    ch = c.indicator_change.copy()
    ch["change"] = ch["mean_post_pct_change"].map(lambda v: _signed(v, 1, digits))
    n_all = len(ch)
    ch = ch[ch["mean_post_pct_change"].notna()]  # a post figure in both years
    changed = [(lbl, n) for lbl, n in zip(ch["label"], ch["name_th"], strict=True)
               if "(ปี " in lbl or "(ปี " in n]  # fmt: skip
    view = {"year": c.year, "last_year": c.last_year, "rows": ch, "weak": c.weak_both_years,
            "top": WEAK_TOP, "changed": changed, "n_one_year": n_all - len(ch)}  # fmt: skip
    return render_section(ctx, "comparison_indicators", view)


def comparison_units_section(ctx: ReportContext) -> Markup:
    """Units that came back (หน่วยเดิมที่กลับมาสมัคร) with last year's and this year's results,
    and the ones a person must confirm; the provincial report counts them per district."""
    from mchch_lib.analysis.matching import METHOD_TH

    c = _comparison(ctx)
    digits = ctx.params.thai_digits
    r = c.returning.copy()
    r["method_th"] = r["method"].map(METHOD_TH)
    r["previous_year_th"] = r["previous_year"].map(lambda y: _year(y, digits))
    r["before"] = [_result(p, ok, digits) for p, ok in
                   zip(r["previous_post_pct"], r["previous_ready"], strict=True)]  # fmt: skip
    r["now"] = [_result(p, ok, digits) for p, ok in zip(r["post_pct"], r["ready"], strict=True)]
    cand = c.to_confirm.groupby("applicant_id", sort=False).agg(
        name=("name", "first"),
        previous=("previous_applicant_id", ", ".join),
        previous_name=("previous_name", lambda n: " / ".join(dict.fromkeys(n))),
        similarity_pct=("similarity", lambda v: 100 * v.max()),
    )
    cand = cand.reset_index()
    counts = None
    if ctx.is_province:
        u = c.units
        counts = (
            u.assign(
                district_th=u["district_code"].map(lambda d: ctx.province.districts[int(d)].name_th)
            )
            .groupby(["district_code", "district_th"])["status"]
            .value_counts()
            .unstack(fill_value=0)
            .reindex(columns=["matched", "to_confirm", "new"], fill_value=0)
            .reset_index()
        )
        counts["registered"] = counts[["matched", "to_confirm", "new"]].sum(axis=1)
    view = {"year": c.year, "last_year": c.last_year, "rows": r, "n": len(r), "n_units": len(c.units),
            "candidates": cand, "n_confirm": len(cand), "counts": counts,
            "province": ctx.is_province,
            "one_year": set(r["previous_year"]) <= {c.last_year}}  # fmt: skip
    return render_section(ctx, "comparison_units", view)


def _result(post_pct: object, ready: object, digits: bool) -> str:
    """A unit's result in a year: "58.5% ยังไม่พร้อม", or not assessed after development."""
    if ready is None or pd.isna(ready):
        return "ยังไม่ประเมินหลังพัฒนา"
    return f"{thai.format_number(post_pct, 1, digits)}% {READY_TH[bool(ready)]}"


def comparison_districts_section(ctx: ReportContext) -> Markup:
    """Districts ranked by change (provincial report): the rise of the mean post-development
    % since last year, beside the level (the rows of ``ctx.year_districts``)."""
    c = _comparison(ctx)
    digits = ctx.params.thai_digits
    d = ctx.year_districts.copy()
    for col, dec in (
        ("mean_post_pct_change", 1),
        ("registered_change", 0),
        ("share_ready_pct_change", 1),
    ):
        d[col + "_th"] = d[col].map(lambda v, dec=dec: _signed(v, dec, digits))
    return render_section(
        ctx, "comparison_districts", {"rows": d, "year": c.year, "last_year": c.last_year}
    )
