"""Small summaries printed by the CLI and shown in reports."""

from __future__ import annotations

from .model import Dataset
from .reference import Province
from .thai import ljust


def validation_summary(ds: Dataset, province: Province) -> list[dict]:
    """Per district: clean applicants, errors, warnings (districts with rows or problems)."""
    probs = ds.problems
    rows = []
    codes = sorted(
        set(ds.applicants["district_code"].dropna().astype(int))
        | set(probs["district_code"].dropna().astype(int))
        | set(province.districts)
    )
    for code in codes:
        p = probs[probs["district_code"] == code]
        rows.append(
            {
                "district_code": code,
                "district_th": province.districts[code].name_th
                if code in province.districts
                else "?",
                "applicants": int((ds.applicants["district_code"] == code).sum()),
                "errors": int((p["severity"] == "error").sum()),
                "warnings": int((p["severity"] == "warning").sum()),
            }
        )
    loose = probs[probs["district_code"].isna()]
    if len(loose):
        rows.append(
            {
                "district_code": "-",
                "district_th": "(no district / file level)",
                "applicants": 0,
                "errors": int((loose["severity"] == "error").sum()),
                "warnings": int((loose["severity"] == "warning").sum()),
            }
        )
    return rows


def applicant_counts(ds: Dataset, province: Province) -> list[dict]:
    """Per district of the province: clean applicants by standard and in all."""
    from .catalog import STANDARD_CODES

    a = ds.applicants
    rows = []
    for code, d in sorted(province.districts.items()):
        sub = a[a["district_code"] == code]
        rows.append(
            {
                "district_code": code,
                "district_th": d.name_th,
                **{s: int((sub["standard"] == s).sum()) for s in STANDARD_CODES},
                "total": len(sub),
            }
        )
    return rows


def print_applicant_counts(ds: Dataset, province: Province, out=None) -> None:
    """The table `make reports` prints first: districts × standards."""
    import sys

    out = out or sys.stdout
    rows = applicant_counts(ds, province)
    print(
        f"{'code':<6}{'district':<18}{'leader':>7}{'group':>7}{'network':>9}"
        f"{'community':>11}{'total':>7}",
        file=out,
    )
    for r in rows:
        print(
            f"{r['district_code']:<6}{ljust(r['district_th'], 18)}{r['leader']:>7}{r['group']:>7}"
            f"{r['network']:>9}{r['community']:>11}{r['total']:>7}",
            file=out,
        )
    print(
        f"{'':<6}{ljust('รวม', 18)}{sum(r['leader'] for r in rows):>7}"
        f"{sum(r['group'] for r in rows):>7}{sum(r['network'] for r in rows):>9}"
        f"{sum(r['community'] for r in rows):>11}{sum(r['total'] for r in rows):>7}",
        file=out,
    )


def districts_without_data(ds: Dataset, province: Province) -> list[str]:
    """Districts of the province from which no clean row came ("code name"): the ones that
    sent nothing, or whose workbook could not be read."""
    from .completeness import districts_with_data

    have = districts_with_data(ds)
    return [f"{c} {d.name_th}" for c, d in sorted(province.districts.items()) if c not in have]
