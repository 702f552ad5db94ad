"""The problems of a validation: the rules (id, severity, Thai and English message templates
from ``rules.yaml``), a located ``Problem``, the collector every check adds to, and the problems
as a table or JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache

import yaml

from mchch_lib import config
from mchch_lib.common import sanitize as safety
from mchch_lib.data.ingest import (
    RawSheet,
)

UNREADABLE_PREFIXES = ("unreadable_", "over_limit_")

#: Keys of a problem as exported to JSON, in order.
PROBLEM_KEYS = (
    "file",
    "sheet",
    "row",
    "column",
    "field",
    "rule",
    "severity",
    "value",
    "message_th",
    "message_en",
)


@dataclass(frozen=True)
class RuleDef:
    id: str
    severity: str
    th: str
    en: str


@lru_cache(maxsize=1)
def rules() -> dict[str, RuleDef]:
    """The validation rules (id, severity, Thai and English templates) from ``rules.yaml``."""
    data = yaml.safe_load(config.RULES_YAML.read_text(encoding="utf-8"))
    return {k: RuleDef(k, v["severity"], v["th"], v["en"]) for k, v in data.items()}


@dataclass
class Problem:
    """A located data problem: where (file, sheet, Excel row, column), which rule, what to do."""

    file: str
    sheet: str
    row: int | None
    column: str | None
    field: str | None
    rule: str
    severity: str
    value: str | None
    message_th: str
    message_en: str
    district_code: int | None = None


def _fmt_value(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()
    return str(v)


#: Problems located on a header row: they name a column, not a data row.
_HEADER_RULES = {"missing_column", "unknown_column", "duplicate_column"}


_MAX_VALUE, _MAX_MESSAGE = 200, 600


def _cap(text: str, limit: int) -> str:
    """A message or value cut to a readable length (a pasted essay in a cell stays readable in
    the problem list, and no Excel cell overflows)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Collector:
    def __init__(self):
        self.problems: list[Problem] = []
        self.rejected: set[tuple[str, str, int]] = set()

    def add(
        self,
        rule_id: str,
        raw: RawSheet | None,
        row: int | None,
        col: int | None = None,
        value: object = None,
        district: int | None = None,
        *,
        file: str | None = None,
        sheet: str | None = None,
        field: str | None = None,
        column: str | None = None,
        **ctx,
    ) -> Problem:
        r = rules()[rule_id]
        if raw is not None:
            file = raw.file if file is None else file
            sheet = raw.sheet if sheet is None else sheet
            if col is not None:
                column = raw.headers[col] if col < len(raw.headers) else column
                field = raw.fields[col] if field is None and col < len(raw.fields) else field
        if field and field.startswith("indicator:"):
            field = "score"
        shown = _fmt_value(value)
        if shown is not None:
            shown = _cap(safety.mask_ids(shown), _MAX_VALUE)
        ctx = {
            "value": shown if shown is not None else "",
            "column": column or field or "",
            "sheet": sheet or "",
            "file": file or "",
            **ctx,
        }
        p = Problem(
            file or "",
            sheet or "",
            row,
            column,
            field,
            rule_id,
            r.severity,
            shown,
            _cap(safety.mask_ids(r.th.format(**ctx)), _MAX_MESSAGE),
            _cap(safety.mask_ids(r.en.format(**ctx)), _MAX_MESSAGE),
            district,
        )
        self.problems.append(p)
        if r.severity == "error" and row is not None and rule_id not in _HEADER_RULES:
            self.rejected.add((p.file, p.sheet, row))
        return p


def located(
    rule_id: str,
    *,
    file: str,
    sheet: str,
    row: int | None,
    column: str | None,
    field: str | None = None,
    value: object = None,
    district: int | None = None,
    **ctx,
) -> Problem:
    """One located problem of a rule (messages from rules.yaml, IDs masked), for a check made
    after validation, such as one that needs the scores."""
    c = _Collector()
    return c.add(
        rule_id,
        None,
        row,
        None,
        value,
        district,
        file=file,
        sheet=sheet,
        field=field,
        column=column,
        **ctx,
    )


def problems_frame(problems: list[Problem]):
    """Problems as a table sorted by district, file, sheet, row."""
    import pandas as pd

    cols = [*PROBLEM_KEYS, "district_code"]
    df = pd.DataFrame([asdict(p) for p in problems], columns=cols)
    df = df.astype({"row": "Int64", "district_code": "Int64"})
    return df.sort_values(
        ["district_code", "file", "sheet", "row"], na_position="first", kind="stable"
    ).reset_index(drop=True)


def unreadable(problems_df):
    """The problems that name a file mchch did not read (unreadable or over a limit)."""
    rule = problems_df["rule"].astype(str)
    return problems_df[rule.str.startswith(UNREADABLE_PREFIXES)]


def problems_json(problems_df) -> list[dict]:
    """The problems as JSON-ready dicts with exactly the documented keys."""
    out = []
    for rec in problems_df.to_dict("records"):
        d = {k: _scalar(rec[k]) for k in PROBLEM_KEYS}
        if d["row"] is not None:
            d["row"] = int(d["row"])
        out.append(d)
    return out


def _scalar(v: object) -> object:
    """None for any kind of missing value (None, NaN, pd.NA), else the value."""
    import pandas as pd

    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v
