"""What one validation shares between its phases: the records (a checked row and its values),
the validation state, and the one duplicate rule every sheet uses."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from mchch_lib.data.catalog import Catalog
from mchch_lib.data.ingest import (
    RawSheet,
)
from mchch_lib.data.reference import Province
from mchch_lib.data.validate.problems import _Collector
from mchch_lib.data.validate.rows import _RowReader


# ---------------------------------------------------------------- records
@dataclass
class ScoreCell:
    """One score of a score row: indicator, value, and the header and column it came from."""

    indicator_id: str
    score: float
    header: str
    col: int | None


@dataclass
class _Rec:
    """One data row under validation: where it is, its reader (its problems), its values."""

    raw: RawSheet
    row: int
    reader: _RowReader
    values: dict
    cells: list[ScoreCell] = field(default_factory=list)  # score rows only
    applicant: _Rec | None = None  # the applicant a score or plan row belongs to

    @property
    def ok(self) -> bool:
        return self.reader.ok

    def get(self, name: str):
        return self.values.get(name)

    def where(self) -> tuple[str, str]:
        """Thai and English "file row n" of this record."""
        return f"{self.raw.file} แถว {self.row}", f"{self.raw.file} row {self.row}"

    def source(self) -> dict:
        return {
            "source_file": self.raw.file,
            "source_sheet": self.raw.sheet,
            "source_row": self.row,
        }


class _Validation:
    """The state one validation shares between its phases."""

    def __init__(
        self,
        catalog: Catalog,
        province: Province,
        deadline_41: dt.date | None,
        deadline_42: dt.date | None = None,
    ):
        self.c = _Collector()
        self.c.year_be = catalog.year  # dates outside it are flagged (_in_programme_year)
        self.c.doubts = {}  # (file, sheet) -> district text -> location.Doubt (_placed)
        self.catalog, self.province, self.deadline_41 = catalog, province, deadline_41
        self.deadline_42 = deadline_42
        self.raws: dict[str, list[RawSheet]] = defaultdict(list)
        self.unheaded: list[RawSheet] = []
        self.recs: dict[str, list[_Rec]] = defaultdict(list)
        self.good_apps: dict[str, _Rec] = {}
        self.bad_apps: dict[str, _Rec] = {}
        self.same_unit: dict[str, str] = {}  # a second registration -> the first one's id
        self.merged: set[tuple[str, str, int]] = set()  # rows already in from another file

    def rows(self, key: str):
        """(raw sheet, Excel row, reader) for every data row of a sheet kind."""
        for raw in self.raws[key]:
            for row, cells in raw.rows:
                yield raw, row, _RowReader(self.c, raw, row, cells)

    def link_applicant(self, r: _RowReader, aid: str | None) -> _Rec | None:
        """The valid applicant a row names, or a problem saying why there is none."""
        if aid is None:
            return None
        a = self.good_apps.get(aid)
        if a is not None:
            code = a.get("district_code")
            if r.district is not None and code != r.district:
                name = self.province.districts[code].name_th
                r.problem(
                    "district_mismatch",
                    "district_code",
                    r.value("district_code"),
                    expected=f"{code} {name}",
                )
            return a
        if aid in self.bad_apps:
            r.problem(
                "applicant_rejected", "applicant_id", aid, applicant_row=self.bad_apps[aid].row
            )
        else:
            r.problem("unknown_applicant", "applicant_id", aid)
        return None


def _duplicates(groups: dict, rule: str, column_of, extra=None) -> None:
    """One problem per row of each group of 2 or more, naming the first row and the count:
    linear in the number of rows, however many copies were pasted. ``extra(key)`` gives more
    message values."""
    for key, recs in groups.items():
        if len(recs) < 2:
            continue
        first_th, first_en = recs[0].where()
        more = extra(key) if extra else {}
        for rec in recs:
            rec.reader.add(
                rule,
                column_of(rec),
                key[0] if isinstance(key, tuple) else key,
                count=len(recs),
                first=first_th,
                first_en=first_en,
                **more,
            )
