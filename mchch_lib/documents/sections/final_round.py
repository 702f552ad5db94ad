"""The provincial final round (การประเมินระดับจังหวัด): certified units, the committee's results and the districts' ratings against them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from mchch_lib.data.catalog import STANDARD_CODES
from mchch_lib.data.contract import COMMITTEE_ROLES
from mchch_lib.documents.templating import Markup

if TYPE_CHECKING:
    from mchch_lib.documents.report import ReportContext

from mchch_lib.documents.sections.overview import plain_message, render_section


# ---------------------------------------------------------------- the provincial final round
def _district_th(ctx: ReportContext, code) -> str:
    return ctx.province.districts[int(code)].name_th


def final_round_section(ctx: ReportContext) -> Markup:
    """The provincial committee's final round: units ready, assessed and certified (per
    district and standard in the provincial report; unit by unit in a district's), those not
    certified and why, the committee, and problems that need the scores."""
    res = ctx.final_results.copy()
    view: dict = {"is_province": ctx.is_province, "n_assessed": len(res)}
    if not len(res):
        return render_section(ctx, "final_round", view)
    res["district_th"] = res["district_code"].map(lambda c: _district_th(ctx, c))
    res["standard_th"] = res["standard"].map(lambda s: ctx.catalog.standards[s].short_th)
    cert = res["certified"].fillna(False).astype(bool)
    res["result_th"] = res["certificate_no"].where(cert, "ไม่ผ่าน").fillna("รับรอง")
    not_cert = res[~cert]
    counts = ctx.certified_by_district.copy()
    counts["district_th"] = counts["district_code"].map(lambda c: _district_th(ctx, c))
    std_cols = {s: ctx.catalog.standards[s].short_th for s in STANDARD_CODES
                if s in ctx.catalog.standards}  # fmt: skip
    p = ctx.final_round_problems.copy()
    if "message_th" in p:
        p["message_th"] = p["message_th"].map(lambda m: plain_message(m, ctx.district_names))
    p["where"] = (
        p["row"]
        .map(lambda r: "แฟ้มผลการประเมินระดับจังหวัด" + ("" if pd.isna(r) else f" แถว {int(r)}"))
        .astype(object)
    )
    com = ctx.data.province_committee.copy()
    com["role_th"] = com["role"].map({v: k for k, v in COMMITTEE_ROLES.items()})
    view |= {
        "n_ready": int(ctx.applicants["ready"].fillna(False).sum()),
        "n_certified": len(ctx.certified),
        "units": res,
        "not_certified": not_cert,
        "counts": counts,
        "count_columns": {
            "district_th": "อำเภอ",
            "ready": "พร้อม",
            "assessed": "ประเมิน",
            "certified": "ผ่านการรับรอง",
            **std_cols,
        },  # fmt: skip
        "count_formats": {c: "int" for c in ("ready", "assessed", "certified", *std_cols)}
        | {"district_th": "id"},
        "problems": p,
        "findings": ctx.province_findings.to_dict("records"),
        "committee": com,
    }
    return render_section(ctx, "final_round", view)


def rating_section(ctx: ReportContext) -> Markup:
    """How the districts' own post-development ratings compare with the committee's
    (``ctx.rating_comparison``: the table here, the chart beside it)."""
    from mchch_lib.analysis.final_round import RATING_TOLERANCE_PCT

    c = ctx.rating_comparison.copy()
    c["district_th"] = c["district_code"].map(lambda x: _district_th(ctx, x))
    over = c[c["mean_difference"] > RATING_TOLERANCE_PCT]
    view = {
        "is_province": ctx.is_province,
        "tolerance": RATING_TOLERANCE_PCT,
        "rows": c,
        "n": int(c["n"].sum()),
        "over_districts": list(over["district_th"]),
        "mine": c.iloc[0].to_dict() if len(c) == 1 and not ctx.is_province else None,
    }
    return render_section(ctx, "rating", view)


def rating_table_section(ctx: ReportContext) -> Markup:
    """The rows of ``ctx.rating_comparison`` (the chart's), per district: units compared,
    the mean difference, how many over-rated, agreed, under-rated."""
    c = ctx.rating_comparison.copy()
    c["district_th"] = c["district_code"].map(lambda x: _district_th(ctx, x))
    return render_section(ctx, "rating_table", {"rows": c})


def certified_list_section(ctx: ReportContext) -> Markup:
    """The certified units (รายชื่อหน่วยนับที่ผ่านการรับรอง), the rows of the announcement form
    and of the certificates."""
    c = ctx.certified.copy()
    c.insert(0, "no", range(1, len(c) + 1))
    c["district_th"] = c["district_code"].map(lambda x: _district_th(ctx, x))
    c["standard_th"] = c["standard"].map(lambda s: ctx.catalog.standards[s].short_th)
    return render_section(
        ctx, "certified_list", {"rows": c, "n": len(c), "has_round": len(ctx.final_results) > 0}
    )
