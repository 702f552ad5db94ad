"""The typed data model: the input contract (sheets, Thai headers and English aliases) and the
clean tables mchch works on, as pandas DataFrames with documented columns and dtypes.

Every clean row keeps where it came from (``source_file``, ``source_sheet``, ``source_row`` =
the Excel row number a person sees), so any figure can be traced back to a cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Column:
    """One column of the contract: canonical field name, Thai header, accepted aliases, dtype."""

    field: str
    th: str
    en: str
    dtype: str
    doc: str
    required: bool = True
    extra_aliases: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.th, self.en, self.field, *self.extra_aliases)


@dataclass(frozen=True)
class SheetSpec:
    key: str
    th: str
    en: str
    columns: tuple[Column, ...]
    optional_sheet: bool = False

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


_DISTRICT = Column(
    "district_code",
    "อำเภอ",
    "district",
    "Int64",
    "DOPA district code (รหัสอำเภอ), e.g. 6007 ตาคลี",
    extra_aliases=("district_code",),
)
_APPLICANT = Column(
    "applicant_id", "รหัสผู้สมัคร", "applicant_id", "string", "Applicant id, unique per year (รหัสผู้สมัคร)"
)

APPLICANTS = SheetSpec(
    "applicants",
    "ผู้สมัคร",
    "applicants",
    (
        _DISTRICT,
        _APPLICANT,
        Column(
            "standard",
            "มาตรฐาน",
            "standard",
            "string",
            "Standard code: leader, group, network or community",
        ),
        Column(
            "name",
            "ชื่อ",
            "name",
            "string",
            "Name of the person, group, network or community",
            extra_aliases=("ชื่อผู้สมัคร",),
        ),
        Column(
            "citizen_id",
            "เลขประจำตัวประชาชน",
            "citizen_id",
            "string",
            "13-digit national ID (leaders only, optional); masked in every report",
            required=False,
        ),
        Column("tambon", "ตำบล", "tambon", "string", "Sub-district (ตำบล) name"),
        Column(
            "moo",
            "หมู่ที่",
            "moo",
            "Int64",
            "Village number (หมู่ที่)",
            required=False,
            extra_aliases=("หมู่",),
        ),
        Column(
            "officer",
            "พัฒนากรผู้รับผิดชอบ",
            "officer",
            "string",
            "Responsible CD officer (พัฒนากร), as named in the officers sheet",
        ),
        Column("applied_on", "วันที่สมัคร", "applied_on", "datetime64[ns]", "Application date (CE)"),
        Column(
            "evidence_checked",
            "ตรวจหลักฐานแล้ว",
            "evidence_checked",
            "boolean",
            "Evidence checked by the district (ใช่/ไม่ใช่)",
        ),
    ),
)

ROUND_LABELS_TH = {"pre": "ก่อนพัฒนา", "post": "หลังพัฒนา"}

SCORES = SheetSpec(
    "scores",
    "คะแนน",
    "scores",
    (
        _DISTRICT,
        _APPLICANT,
        Column("round", "ครั้งที่ประเมิน", "round", "string", "Assessment round: pre or post"),
        Column(
            "assessed_on",
            "วันที่ประเมิน",
            "assessed_on",
            "datetime64[ns]",
            "Assessment date (CE)",
            required=False,
        ),
        # Wide layout: then one column per indicator id. Long layout: these two.
        Column(
            "indicator_id",
            "รหัสตัวบ่งชี้",
            "indicator_id",
            "string",
            "Indicator id of the catalog (long layout)",
            required=False,
        ),
        Column("score", "คะแนน", "score", "float64", "Score given (long layout)", required=False),
    ),
)

OFFICERS = SheetSpec(
    "officers",
    "พัฒนากร",
    "officers",
    (
        _DISTRICT,
        Column(
            "name",
            "ชื่อ-สกุล",
            "name",
            "string",
            "Officer's full name",
            extra_aliases=("ชื่อ - สกุล", "ชื่อสกุล", "ชื่อ"),
        ),
        Column("position", "ตำแหน่ง", "position", "string", "Position", required=False),
    ),
)

COMMITTEE_ROLES = {
    "ประธาน": "chair",
    "กรรมการ": "member",
    "เลขานุการ": "secretary",
    "ผู้ช่วยเลขานุการ": "assistant_secretary",
}

COMMITTEE = SheetSpec(
    "committee",
    "คณะอนุกรรมการ",
    "committee",
    (
        _DISTRICT,
        Column(
            "name",
            "ชื่อ-สกุล",
            "name",
            "string",
            "Member's full name",
            extra_aliases=("ชื่อ - สกุล", "ชื่อสกุล", "ชื่อ"),
        ),
        Column(
            "role",
            "บทบาท",
            "role",
            "string",
            "Role code: chair, member, secretary, assistant_secretary (ประธาน ... ผู้ช่วยเลขานุการ)",
        ),
        Column(
            "organization", "หน่วยงาน", "organization", "string", "Agency or partner", required=False
        ),
    ),
)

PLANS = SheetSpec(
    "plans",
    "แผนพัฒนาตนเอง",
    "plans",
    (
        _DISTRICT,
        _APPLICANT,
        Column("indicator_id", "รหัสตัวบ่งชี้", "indicator_id", "string", "Indicator to develop"),
        Column("topic", "เรื่องที่ต้องพัฒนา", "topic", "string", "What must be developed"),
        Column("method", "วิธีการ", "method", "string", "Method", required=False),
        Column("period", "ช่วงเวลา", "period", "string", "When", required=False),
        Column("expert", "ผู้รู้หรือวิทยากร", "expert", "string", "Who knows it", required=False),
        Column("evidence", "หลักฐาน", "evidence", "string", "Evidence", required=False),
    ),
    optional_sheet=True,
)

SHEETS: dict[str, SheetSpec] = {s.key: s for s in (APPLICANTS, SCORES, OFFICERS, COMMITTEE, PLANS)}

#: Provenance columns carried by every clean table.
SOURCE_COLUMNS = {"source_file": "string", "source_sheet": "string", "source_row": "Int64"}

#: Clean tables: canonical column -> dtype (the scores table is always long).
TABLE_DTYPES: dict[str, dict[str, str]] = {
    "applicants": {c.field: c.dtype for c in APPLICANTS.columns} | SOURCE_COLUMNS,
    "scores": {
        "district_code": "Int64",
        "applicant_id": "string",
        "round": "string",
        "assessed_on": "datetime64[ns]",
        "indicator_id": "string",
        "score": "float64",
    }
    | SOURCE_COLUMNS
    | {"source_column": "string"},
    "officers": {c.field: c.dtype for c in OFFICERS.columns} | SOURCE_COLUMNS,
    "committee": {c.field: c.dtype for c in COMMITTEE.columns} | SOURCE_COLUMNS,
    "plans": {c.field: c.dtype for c in PLANS.columns} | SOURCE_COLUMNS,
}


def empty_table(name: str) -> pd.DataFrame:
    """An empty clean table with the right columns and dtypes."""
    import pandas as pd

    return typed(pd.DataFrame({c: [] for c in TABLE_DTYPES[name]}), name)


def typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Cast a table to its documented columns (in order) and dtypes."""
    cols = TABLE_DTYPES[name]
    out = df.reindex(columns=list(cols))
    return out.astype(cols)


@dataclass
class Dataset:
    """Everything one load produces: clean tables, located problems, reconciliation."""

    applicants: pd.DataFrame
    scores: pd.DataFrame
    officers: pd.DataFrame
    committee: pd.DataFrame
    plans: pd.DataFrame
    problems: pd.DataFrame
    reconciliation: pd.DataFrame
    input_hash: str = ""
    files: list[str] = field(default_factory=list)
    province_code: int = 60
    year: int = 2561
    file_digests: dict[str, str] = field(default_factory=dict)
    from_cache: bool = False
    load_seconds: float = 0.0
    key: str = ""  # the cache key (data/processed/<key>): how a report finds this data

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    @property
    def has_errors(self) -> bool:
        return bool((self.problems["severity"] == "error").any()) if len(self.problems) else False

    def copy(self) -> Dataset:
        """A copy whose tables can be changed without touching this one."""
        import dataclasses

        return dataclasses.replace(
            self,
            **{
                n: getattr(self, n).copy()
                for n in (
                    "applicants",
                    "scores",
                    "officers",
                    "committee",
                    "plans",
                    "problems",
                    "reconciliation",
                )
            },
            files=list(self.files),
            file_digests=dict(self.file_digests),
        )

    def for_district(self, code: int) -> Dataset:
        """The same dataset restricted to one district (problems of that district's rows)."""
        import dataclasses

        def f(df):
            return df[df["district_code"] == code].reset_index(drop=True)

        probs = self.problems
        if "district_code" in probs:
            probs = f(probs)
        tables = {n: f(getattr(self, n)) for n in ("applicants", "scores", "officers",
                                                    "committee", "plans")}  # fmt: skip
        return dataclasses.replace(self, **tables, problems=probs)
