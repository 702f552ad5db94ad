"""Small summaries printed by the CLI and shown in reports."""

from __future__ import annotations

from mchch_lib.common.thai import ljust
from mchch_lib.data.contract import Dataset
from mchch_lib.data.reference import Province


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
    from mchch_lib.data.catalog import STANDARD_CODES

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
    from mchch_lib.analysis.completeness import districts_with_data

    have = districts_with_data(ds)
    return [f"{c} {d.name_th}" for c, d in sorted(province.districts.items()) if c not in have]


def completeness_line(ds: Dataset, province: Province) -> str:
    """One line of completeness (reporting rate) for ``mchch validate`` and the batch: the
    districts that sent data out of those the reference table expects, who sent nothing,
    the standards no applicant is of."""
    from mchch_lib.analysis.completeness import province_table, rollup

    whole = rollup(province_table(ds, province.code)).iloc[0]
    line = (
        f"districts reporting / อำเภอที่ส่งข้อมูล: {whole['with_data']}/{whole['expected']} "
        f"({whole['reporting_rate_pct']:.1f} %)"
    )
    if whole["districts_without_data"]:
        line += f"; no data from / ไม่มีข้อมูลจาก: {whole['districts_without_data']}"
    if whole["standards_without_applicant"]:
        line += f"; standards with no applicant: {whole['standards_without_applicant']}"
    return line


def national_summary(nd) -> list[dict]:
    """Per province of a national scope (``national.NationalData``): files, clean applicants,
    errors, warnings, and districts reporting out of those expected."""
    from mchch_lib.analysis.completeness import district_table, rollup
    from mchch_lib.data.reference import provinces

    rows = []
    for code in sorted(nd.scope):
        ds = nd.dataset(code) if code in nd.keys else None
        t = rollup(district_table({code: ds} if ds is not None else {}, [code])).iloc[0]
        p = ds.problems if ds is not None else None
        rows.append(
            {
                "province_code": code,
                "province_th": provinces()[code].name_th,
                "files": len(nd.placement.provinces.get(code, [])),
                "applicants": 0 if ds is None else len(ds.applicants),
                "errors": 0 if p is None else int((p["severity"] == "error").sum()),
                "warnings": 0 if p is None else int((p["severity"] == "warning").sum()),
                "reporting": f"{t['with_data']}/{t['expected']}",
                "rate_pct": f"{t['reporting_rate_pct']:.0f}",
            }
        )
    return rows
