"""The typed data model: the input contract (sheets, Thai headers and English aliases) and the
clean tables mchch works on, as pandas DataFrames with documented columns and dtypes.

Every clean row keeps where it came from (``source_file``, ``source_sheet``, ``source_row`` =
the Excel row number a person sees), so any figure can be traced back to a cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    #: the column whose header (with one other) marks the header row below any title rows
    anchor: str = "district_code"
    #: a sheet of the province's own (the final round), not of a district workbook: a file
    #: holding only such sheets is not missing the district sheets
    provincial: bool = False
    #: one column per indicator id of the catalog (wide scores), e.g. L1, G3
    indicator_columns: bool = False

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
        Column(
            "dev_start",
            "วันเริ่มพัฒนา",
            "dev_start",
            "datetime64[ns]",
            "Agreed start of the self-development (stage 3.1 timeframe)",
            required=False,
            extra_aliases=("วันที่เริ่มพัฒนา",),
        ),
        Column(
            "dev_end",
            "วันสิ้นสุดการพัฒนา",
            "dev_end",
            "datetime64[ns]",
            "Agreed end of the self-development; the post-assessment comes on or after it",
            required=False,
            extra_aliases=("วันที่สิ้นสุดการพัฒนา", "วันสิ้นสุดพัฒนา"),
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
    indicator_columns=True,
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

#: The member columns of the district subcommittee and of the provincial committee.
_MEMBER = Column(
    "name",
    "ชื่อ-สกุล",
    "name",
    "string",
    "Member's full name",
    extra_aliases=("ชื่อ - สกุล", "ชื่อสกุล", "ชื่อ"),
)
_ROLE = Column(
    "role",
    "บทบาท",
    "role",
    "string",
    "Role code: chair, member, secretary, assistant_secretary (ประธาน ... ผู้ช่วยเลขานุการ)",
)

COMMITTEE = SheetSpec(
    "committee",
    "คณะอนุกรรมการ",
    "committee",
    (
        _DISTRICT,
        _MEMBER,
        _ROLE,
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

#: Kinds of sub-criterion: as in the catalog, adjusted (its text or marks changed) or added.
SUBCRITERION_KINDS = {"ตามเกณฑ์": "standard", "ปรับ": "adjusted", "เพิ่ม": "added"}
SUBCRITERION_KINDS_TH = {v: k for k, v in SUBCRITERION_KINDS.items()}

SUBCRITERIA = SheetSpec(
    "subcriteria",
    "เกณฑ์ย่อย",
    "subcriteria",
    (
        _DISTRICT,
        _APPLICANT,
        Column("indicator_id", "รหัสตัวบ่งชี้", "indicator_id", "string", "Indicator"),
        Column(
            "subcriterion_id",
            "รหัสเกณฑ์ย่อย",
            "subcriterion_id",
            "string",
            "Sub-criterion id of the catalog (e.g. L1.2); an added one may have its own or none",
            required=False,
        ),
        Column(
            "text",
            "เกณฑ์ย่อย",
            "text",
            "string",
            "Text of an adjusted or added sub-criterion (blank: the catalog's text)",
            required=False,
            extra_aliases=("ข้อความเกณฑ์ย่อย",),
        ),
        Column(
            "kind",
            "ประเภท",
            "kind",
            "string",
            "ตามเกณฑ์ (as in the catalog), ปรับ (adjusted) or เพิ่ม (added); blank: inferred",
            required=False,
            extra_aliases=("ประเภทเกณฑ์ย่อย",),
        ),
        Column(
            "marks",
            "คะแนนเต็ม",
            "marks",
            "float64",
            "Marks of the sub-criterion (blank: the catalog's)",
            required=False,
        ),
        Column("pre", "คะแนนก่อนพัฒนา", "pre", "float64", "Pre-development score", required=False),
        Column("post", "คะแนนหลังพัฒนา", "post", "float64", "Post-development score", required=False),
    ),
    optional_sheet=True,
)

_DISTRICT_OPTIONAL = replace(
    _DISTRICT, required=False, doc="District code (optional: the applicant's district is used)"
)

FINAL_ROUND = SheetSpec(
    "final_round",
    "ผลการรับรองระดับจังหวัด",
    "final_round",
    (
        _DISTRICT_OPTIONAL,
        _APPLICANT,
        Column(
            "assessed_on",
            "วันที่ประเมิน",
            "assessed_on",
            "datetime64[ns]",
            "Date of the provincial committee's final assessment",
        ),
        Column(
            "verdict",
            "ผลการประเมิน",
            "verdict",
            "boolean",
            "The committee's verdict: ผ่าน (pass) or ไม่ผ่าน (fail)",
            required=False,
        ),
        Column(
            "certified",
            "รับรอง",
            "certified",
            "boolean",
            "Certified (ใช่/ไม่ใช่)",
            extra_aliases=("ผลการรับรอง",),
        ),
        Column(
            "certificate_no",
            "เลขที่ใบรับรอง",
            "certificate_no",
            "string",
            "Certificate number, unique (required for a certified unit)",
            required=False,
        ),
        Column(
            "certified_on",
            "วันที่รับรอง",
            "certified_on",
            "datetime64[ns]",
            "Date of certification (blank: the assessment date)",
            required=False,
        ),
        Column("note", "หมายเหตุ", "note", "string", "The committee's note", required=False),
    ),
    optional_sheet=True,
    anchor="applicant_id",
    provincial=True,
    indicator_columns=True,
)

#: Roles of the provincial certification committee (the same words as a district's).
PROVINCE_COMMITTEE = SheetSpec(
    "province_committee",
    "คณะกรรมการจังหวัด",
    "province_committee",
    (
        _MEMBER,
        _ROLE,
        Column("position", "ตำแหน่ง", "position", "string", "Position", required=False),
        Column(
            "organization", "หน่วยงาน", "organization", "string", "Agency or partner", required=False
        ),
    ),
    optional_sheet=True,
    anchor="role",
    provincial=True,
)

SHEETS: dict[str, SheetSpec] = {
    s.key: s
    for s in (
        APPLICANTS,
        SCORES,
        OFFICERS,
        COMMITTEE,
        PLANS,
        SUBCRITERIA,
        FINAL_ROUND,
        PROVINCE_COMMITTEE,
    )
}

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
    "subcriteria": {c.field: c.dtype for c in SUBCRITERIA.columns} | SOURCE_COLUMNS,
    "final_round": {c.field: c.dtype for c in FINAL_ROUND.columns} | SOURCE_COLUMNS,
    #: the committee's score per indicator in the final round (long)
    "final_scores": {
        "district_code": "Int64",
        "applicant_id": "string",
        "indicator_id": "string",
        "score": "float64",
    }
    | SOURCE_COLUMNS
    | {"source_column": "string"},
    "province_committee": {c.field: c.dtype for c in PROVINCE_COMMITTEE.columns} | SOURCE_COLUMNS,
}

#: The clean tables a Dataset holds, in order.
TABLES = tuple(TABLE_DTYPES)


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
    province_code: int = field(kw_only=True)  # 0: the nation
    year: int = field(kw_only=True)
    file_digests: dict[str, str] = field(default_factory=dict)
    from_cache: bool = False
    load_seconds: float = 0.0
    key: str = ""  # the cache key (data/processed/<key>): how a report finds this data
    # Sub-criteria (เกณฑ์ย่อย) and the provincial final round: optional sheets, empty when
    # the inputs have none.
    subcriteria: pd.DataFrame = field(default_factory=lambda: empty_table("subcriteria"))
    final_round: pd.DataFrame = field(default_factory=lambda: empty_table("final_round"))
    final_scores: pd.DataFrame = field(default_factory=lambda: empty_table("final_scores"))
    province_committee: pd.DataFrame = field(
        default_factory=lambda: empty_table("province_committee")
    )

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
            **{n: getattr(self, n).copy() for n in (*TABLES, "problems", "reconciliation")},
            files=list(self.files),
            file_digests=dict(self.file_digests),
        )

    def by_district(self, codes: list[int]) -> dict[int, Dataset]:
        """``for_district`` of each of ``codes``, each table sorted once and sliced (not
        filtered once per district: a province of 30 districts is split in one pass)."""
        import dataclasses

        parts: dict[str, dict] = {}
        for n in [*(n for n in TABLES if "district_code" in TABLE_DTYPES[n]), "problems"]:
            df = getattr(self, n)
            if "district_code" in df:
                parts[n] = split_by_district(df, codes)
        return {c: dataclasses.replace(self, **{n: p[c] for n, p in parts.items()}) for c in codes}

    def for_district(self, code: int) -> Dataset:
        """The same dataset restricted to one district (problems of that district's rows)."""
        import dataclasses

        def f(df):
            return df[df["district_code"] == code].reset_index(drop=True)

        probs = self.problems
        if "district_code" in probs:
            probs = f(probs)
        # a table with no district (the provincial committee) is the province's: kept whole
        tables = {n: f(getattr(self, n)) for n in TABLES if "district_code" in TABLE_DTYPES[n]}
        return dataclasses.replace(self, **tables, problems=probs)


def split_by_district(df: pd.DataFrame, codes: list[int]) -> dict[int, pd.DataFrame]:
    """The rows of each district of ``codes`` (in their order, index reset): one stable sort
    and a slice per district."""
    import numpy as np
    import pandas as pd

    key = df["district_code"].to_numpy(dtype=float, na_value=np.nan)
    order = np.argsort(key, kind="stable")
    ordered = df.take(order)
    keys = key[order]
    out = {}
    for c in codes:
        lo, hi = np.searchsorted(keys, c, "left"), np.searchsorted(keys, c, "right")
        part = ordered.iloc[lo:hi]  # a view: no column copied
        part.index = pd.RangeIndex(hi - lo)
        out[c] = part
    return out
