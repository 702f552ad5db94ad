"""Small summaries printed by the CLI and shown in reports."""

from __future__ import annotations

from .model import Dataset
from .reference import Province


def validation_summary(ds: Dataset, province: Province) -> list[dict]:
    """Per district: clean applicants, errors, warnings (districts with rows or problems)."""
    probs = ds.problems
    rows = []
    codes = sorted(set(ds.applicants["district_code"].dropna().astype(int))
                   | set(probs["district_code"].dropna().astype(int)) | set(province.districts))
    for code in codes:
        p = probs[probs["district_code"] == code]
        rows.append({
            "district_code": code,
            "district_th": province.districts[code].name_th if code in province.districts else "?",
            "applicants": int((ds.applicants["district_code"] == code).sum()),
            "errors": int((p["severity"] == "error").sum()),
            "warnings": int((p["severity"] == "warning").sum()),
        })
    loose = probs[probs["district_code"].isna()]
    if len(loose):
        rows.append({"district_code": "-", "district_th": "(no district / file level)",
                     "applicants": 0, "errors": int((loose["severity"] == "error").sum()),
                     "warnings": int((loose["severity"] == "warning").sum())})
    return rows
