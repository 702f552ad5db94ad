"""The official report forms as Excel workbooks (openpyxl): form 4.1 (applicants by standard)
and form 4.2 (a summary by standard, then per standard one row pair per applicant: scores
before and after development for every indicator, totals, readiness and what to develop
next), per district and consolidated for the province.

They look like Thai government forms: a title block (form number, title, office, year),
TH Sarabun New, Thai headers broken between words, borders, frozen header, A4 print set-up
with repeated header rows and page numbers, and a signature block (ผู้รายงาน, ตำแหน่ง,
วันที่) under each table; numbers as numbers, dates as dates with a BE display format; ID
numbers masked. Text from the input is always written as text, never as a formula.

Every column is wide enough for its widest word and every row tall enough for its wrapped
text, both measured with the bundled Sarabun (``textfit``) with a margin for the wider fonts an
office program substitutes where TH Sarabun New is missing: nothing is clipped and no word is
split, in Excel or in LibreOffice.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from mchch_lib.analysis import scoring
from mchch_lib.common import thai
from mchch_lib.common.atomic import atomic_path
from mchch_lib.data.catalog import STANDARD_CODES, Catalog
from mchch_lib.deliverables.excel_layout import (
    Column,
    banner,
    bool_th,
    place_line,
    signature,
    table_sheet,
    widths_pt,
)


def form_41(
    applicants: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    place_th: str,
    district_names: dict[int, str],
):
    """Form 4.1: applicants by standard (a workbook object), one sheet per standard."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    cols = [
        Column("ลำดับ", 0, "number", least=6),
        Column("อำเภอ", 24),
        Column("รหัสผู้สมัคร", 24),
        Column("ชื่อ", 40),
        Column("เลขประจำตัวประชาชน", 24),
        Column("ตำบล", 22),
        Column("หมู่ที่", 0, "number", least=6),
        Column("พัฒนากรผู้รับผิดชอบ", 36),
        Column("วันที่สมัคร", 0, "date"),
        Column("ตรวจหลักฐานแล้ว", 9, least=9),
    ]
    for std in STANDARD_CODES:
        if std not in catalog.standards:
            continue
        s = catalog.standards[std]
        sub = applicants[applicants["standard"] == std]
        blocks = [[_row_41(i, a, district_names)] for i, a in enumerate(sub.itertuples(), 1)]
        ws, r = table_sheet(
            wb,
            s.short_th[:31],
            "4.1",
            f"รายชื่อผู้สมัคร{s.name_th} {place_th}",
            place_line(office, year),
            cols,
            blocks,
        )
        total = f"รวม {len(sub)} {s.unit_th}"
        r = banner(ws, r + 1, len(cols), total, "total", sum(widths_pt(ws)))
        signature(ws, r)
    return wb


def _row_41(i: int, a, district_names: dict[int, str]) -> list:
    applied = a.applied_on.date() if isinstance(a.applied_on, pd.Timestamp) else None
    return [
        i,
        district_names.get(int(a.district_code), ""),
        a.applicant_id,
        a.name,
        thai.mask_citizen_id(a.citizen_id) if isinstance(a.citizen_id, str) else "",
        a.tambon,
        None if pd.isna(a.moo) else int(a.moo),
        a.officer,
        applied,
        bool_th(a.evidence_checked),
    ]


def form_42(
    scored: pd.DataFrame,
    indicators: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    place_th: str,
    district_names: dict[int, str],
    show_district: bool | None = None,
):
    """Form 4.2: a summary sheet by standard, then one sheet per standard with a pair of rows
    per applicant (before / after development): the score of every indicator, the total and
    its share of full marks, readiness and what to develop next.

    Indicators are columns (full marks in the header, names in a key under the table), so
    the province's form takes about a page per district instead of one row per applicant
    and indicator. ``show_district``: an อำเภอ column (default: when the data has more than
    one district).
    """
    from openpyxl import Workbook

    if show_district is None:
        show_district = scored["district_code"].nunique() > 1
    wb = Workbook()
    wb.remove(wb.active)
    _summary_42(wb, scored, catalog, office, year, place_th)
    for std in STANDARD_CODES:
        if std in catalog.standards and (scored["standard"] == std).any():
            _standard_42(
                wb,
                scored,
                indicators,
                catalog,
                std,
                office,
                year,
                place_th,
                district_names if show_district else None,
            )
    return wb


def _round1(v) -> float | None:
    return thai.round_half_up(v, 1)


#: The figures of a summary row of form 4.2 (``scoring.summarize``'s), after its label columns.
_FIGURE_COLUMNS = (
    Column("ผู้สมัคร", 0, "number", least=9),
    Column("ประเมินก่อน", 0, "number", least=9),
    Column("ประเมินหลัง", 0, "number", least=9),
    Column("เฉลี่ยก่อน (%)", 0, "number", "0.0", least=9),
    Column("เฉลี่ยหลัง (%)", 0, "number", "0.0", least=9),
    Column("พร้อมรับการประเมิน", 0, "number", least=11),
)


def _summary_42(wb, scored, catalog: Catalog, office: str, year: int, place_th: str) -> None:
    cols = [Column("มาตรฐาน", 50), *_FIGURE_COLUMNS]
    # the figures of every standard and of all: scoring.summarize, their one home
    by_std = scoring.summarize(scored, by=["standard"]).set_index("standard")
    whole = scoring.summarize(scored).iloc[0]

    def line(label, f):
        return [
            label,
            int(f["registered"]),
            int(f["pre_assessed"]),
            int(f["post_assessed"]),
            _round1(f["mean_pre_pct"]),
            _round1(f["mean_post_pct"]),
            int(f["ready"]),
        ]

    blocks = [
        [line(catalog.standards[std].name_th, by_std.loc[std] if std in by_std.index else
              scoring.summarize(scored.iloc[0:0]).iloc[0])]
        for std in STANDARD_CODES
        if std in catalog.standards
    ]  # fmt: skip
    blocks.append([line("รวม", whole)])
    ws, r = table_sheet(
        wb,
        "สรุป",
        "4.2",
        f"สรุปผลการพัฒนาตนเอง {place_th}",
        place_line(office, year),
        cols,
        blocks,
    )
    signature(ws, r)


def _standard_42(wb, scored, indicators, catalog, std, office, year, place_th, names) -> None:
    """One standard's sheet of form 4.2 (see ``form_42``)."""
    s = catalog.standards[std]
    a = scored[scored["standard"] == std]
    ind = indicators[indicators["standard"] == std]
    keys = list(zip(ind["applicant_id"], ind["indicator_id"], strict=True))
    pre = dict(zip(keys, ind["pre"], strict=True))
    post = dict(zip(keys, ind["post"], strict=True))
    ids = [i.id for i in s.indicators]
    # name, district and result sit over a pair of rows: two lines each come free
    cols = [Column("อำเภอ", 12, merge=True)] if names is not None else []
    cols += [
        Column("รหัสผู้สมัคร", 24, merge=True),
        Column("ชื่อ", 26, merge=True),
        Column("ครั้ง", 0, least=6),
    ]
    cols += [
        Column(f"{i.id} ({i.full_marks:g})", 0, "number", "0.0", least=6) for i in s.indicators
    ]
    cols += [
        Column(f"รวม ({s.full_total:g})", 0, "number", "0.0", least=8),
        Column("ร้อยละ", 0, "number", "0.0", least=8),
        Column("ผล / สิ่งที่ต้องพัฒนาต่อ", 50, merge=True, own_text=True),
    ]
    blocks = []
    for x in a.itertuples(index=False):
        result = _result_th(x.ready, x.ready_reason_th)
        who = [_district_name(names, x.district_code)] if names is not None else []
        who += [x.applicant_id, x.name]
        rows = []
        for label, table, total, pct in (
            ("ก่อน", pre, x.pre_total, x.pre_pct),
            ("หลัง", post, x.post_total, x.post_pct),
        ):
            scores = [_num(table.get((x.applicant_id, i))) for i in ids]
            rows.append(who + [label, *scores, _num(total), _num(pct), result])
        blocks.append(rows)
    ws, r = table_sheet(
        wb,
        s.short_th[:31],
        "4.2",
        f"ผลการประเมินตนเอง{s.name_th} {place_th}",
        place_line(office, year),
        cols,
        blocks,
    )
    width = sum(widths_pt(ws))
    key = " · ".join(f"{i.id} {i.name_th}{' *' if i.core else ''}" for i in s.indicators)
    r = banner(ws, r + 1, len(cols), f"ตัวบ่งชี้ (คะแนนเต็มในวงเล็บ; * ตัวบ่งชี้หลัก): {key}", "note", width)
    signature(ws, r)


def province_annex(
    scored: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    place_th: str,
    district_names: dict[int, str],
    plan: pd.DataFrame | None = None,
):
    """The provincial report's annex (ภาคผนวก): the long lists the report counts by district,
    one row per applicant: readiness with its reason, and who is not assessed yet; with
    ``plan`` (``analysis.training_plan.sessions``) the training plan, a block per session."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    assessed = scored[scored["post_complete"]]
    cols = [
        Column("อำเภอ", 24),
        Column("รหัสผู้สมัคร", 24),
        Column("ชื่อ", 40),
        Column("มาตรฐาน", 24),
        Column("ร้อยละหลังพัฒนา", 0, "number", "0.0", least=9),
        Column("ผล / สิ่งที่ต้องพัฒนาต่อ", 48),
    ]
    rows = [
        [[_district_name(district_names, a.district_code), a.applicant_id, a.name,
          catalog.standards[a.standard].short_th, _num(a.post_pct),
          _result_th(a.ready, a.ready_reason_th)]]
        for a in assessed.itertuples()
    ]  # fmt: skip
    ws, r = table_sheet(wb, "ความพร้อม", "ภาคผนวก", f"ความพร้อมรับการประเมินระดับจังหวัด {place_th}",
                   place_line(office, year), cols, rows)  # fmt: skip
    ready = int(assessed["ready"].fillna(False).sum())
    banner(ws, r + 1, len(cols), f"พร้อม {ready} จาก {len(assessed)} ราย", "total",
            sum(widths_pt(ws)))  # fmt: skip
    todo = scored[~scored["post_complete"]]
    cols = [Column("อำเภอ", 24), Column("รหัสผู้สมัคร", 24), Column("ชื่อ", 40),
            Column("พัฒนากรผู้รับผิดชอบ", 36), Column("สถานะ", 30)]  # fmt: skip
    rows = [
        [[_district_name(district_names, a.district_code), a.applicant_id, a.name, a.officer,
          a.status_th]]
        for a in todo.itertuples()
    ]  # fmt: skip
    ws, r = table_sheet(wb, "ยังไม่ประเมินหลังพัฒนา", "ภาคผนวก",
                   f"ผู้สมัครที่ยังไม่ได้ประเมินหลังพัฒนา {place_th}", place_line(office, year),
                   cols, rows)  # fmt: skip
    banner(ws, r + 1, len(cols), f"รวม {len(todo)} ราย", "total", sum(widths_pt(ws)))
    if plan is not None:
        _plan_sheet(wb, plan, scored, office, year, place_th, district_names)
    return wb


#: The annex sheet of the training plan (the deck's plan slides point to it by this name).
PLAN_SHEET = "แผนการอบรม"


def _plan_sheet(wb, plan, scored, office, year, place_th, names) -> None:
    """One block per proposed session: the indicator, the host district, then each unit
    that needs it with its district and officer, so the office can budget the sessions."""
    from mchch_lib.analysis.training_plan import members

    m = members(plan, scored)
    cols = [Column("ครั้งที่", 0, "number", "0", merge=True, least=6),
            Column("ตัวบ่งชี้", 40, merge=True), Column("อำเภอเจ้าภาพ", 16, merge=True),
            Column("จำนวนหน่วย", 0, "number", "0", merge=True, least=8),
            Column("อำเภอ", 16), Column("รหัสผู้สมัคร", 22), Column("ชื่อหน่วย", 40),
            Column("พัฒนากรผู้รับผิดชอบ", 30)]  # fmt: skip
    blocks = []
    for s in plan.itertuples():
        g = m[m["session"] == s.session]
        blocks.append([[s.session, f"{s.indicator_id} {s.name_th}",
                        _district_name(names, s.host_district), s.n_units,
                        _district_name(names, r.district_code), r.applicant_id, r.name,
                        r.officer] for r in g.itertuples()])  # fmt: skip
    ws, r = table_sheet(wb, PLAN_SHEET, "ภาคผนวก", f"แผนการอบรมที่เสนอ {place_th}",
                        place_line(office, year), cols, blocks)  # fmt: skip
    text = f"รวม {len(plan)} หัวข้อ {len(m)} หน่วย-หัวข้อ จาก {m['applicant_id'].nunique()} หน่วย"
    banner(ws, r + 1, len(cols), text, "total", sum(widths_pt(ws)))


def announcement(
    certified: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    province_th: str,
    district_names: dict[int, str],
):
    """The certified list as an announcement form (ประกาศรายชื่อหน่วยนับที่ผ่านการรับรอง):
    one sheet, by standard, then district; certificate number and date of each unit, the
    count per standard, and the governor's signature lines. ``certified``: the rows of
    ``final_round.certified``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    cols = [
        Column("ลำดับ", 0, "number", least=6),
        Column("เลขที่ใบรับรอง", 22),
        Column("ชื่อ", 40),
        Column("มาตรฐาน", 30),
        Column("หมู่ที่", 0, "number", least=6),
        Column("ตำบล", 20),
        Column("อำเภอ", 20),
        Column("วันที่รับรอง", 0, "date"),
    ]
    order = {s: i for i, s in enumerate(STANDARD_CODES)}
    c = certified.sort_values(
        ["standard", "district_code", "certificate_no"], key=lambda s: s.map(order)
        if s.name == "standard" else s, kind="stable"
    )  # fmt: skip
    blocks = []
    for i, x in enumerate(c.itertuples(index=False), start=1):
        on = x.certified_on.date() if isinstance(x.certified_on, pd.Timestamp) else None
        blocks.append(
            [
                [
                    i,
                    x.certificate_no,
                    x.name,
                    catalog.standards[x.standard].name_th,
                    None if pd.isna(x.moo) else int(x.moo),
                    x.tambon,
                    _district_name(district_names, x.district_code),
                    on,
                ]
            ]  # fmt: skip
        )
    ws, r = table_sheet(
        wb,
        "ประกาศรายชื่อ",
        "",
        "รายชื่อหน่วยนับที่ผ่านการรับรองมาตรฐานการพัฒนาชุมชน (มชช.)",
        place_line(office, year),
        cols,
        blocks,
        top_line=f"บัญชีแนบท้ายประกาศจังหวัด{province_th}",
    )
    counts = c.groupby("standard").size()
    total = "รวม " + " ".join(
        f"{catalog.standards[s].short_th} {int(counts.get(s, 0))} {catalog.standards[s].unit_th}"
        for s in STANDARD_CODES
        if s in catalog.standards
    ) + f" ทั้งหมด {len(c)} หน่วยนับ"  # fmt: skip
    r = banner(ws, r + 1, len(cols), total, "total", sum(widths_pt(ws)))
    signature(
        ws,
        r,
        (
            "ประกาศ ณ วันที่ ........ เดือน .................... พ.ศ. ........",
            "ลงชื่อ ........................................",
            "(........................................)",
            f"ผู้ว่าราชการจังหวัด{province_th}",
        ),
    )
    return wb


def _result_th(ready, reason: str) -> str:
    """ "พร้อม: ผ่านเกณฑ์ทุกข้อ", "ยังไม่พร้อม: <why>", or why there is no result yet."""
    if ready is pd.NA or ready is None:
        return reason or ""
    return f"{'พร้อม' if ready else 'ยังไม่พร้อม'}: {reason}" if reason else "พร้อม"


def _district_name(names: dict[int, str], code) -> str:
    return names.get(int(code), "")


def _num(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else float(v)


def use_thai_digits(wb) -> None:
    """Show a finished form in Thai digits (params ``output.thai_digits``): numbers and dates
    by their number format (still numbers and dates for Excel), Thai text by its characters;
    codes with no Thai letter (applicant ids, masked IDs) stay as written."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if isinstance(v, bool) or v is None:
                    continue
                if isinstance(v, dt.date | dt.datetime):
                    c.number_format = c.number_format.replace("[$-107041E]", "[$-D07041E]")
                elif isinstance(v, int | float):
                    fmt = c.number_format if c.number_format != "General" else "0.##"
                    c.number_format = thai.EXCEL_THAI_DIGITS + fmt
                elif isinstance(v, str):
                    c.value = thai.thai_digits_in_text(v)


def national_summary(
    applicants: pd.DataFrame, districts: pd.DataFrame, catalog: Catalog, office: str, year: int
):
    """The national forms workbook (แบบสรุปผลระดับประเทศ): the summary by standard of form 4.2
    for the whole country, then one row per region and per province: districts expected and
    reporting (completeness), applicants, assessed, mean pre/post %, ready (``levels.rollup``:
    the same roll-up as every report)."""
    from openpyxl import Workbook

    from mchch_lib.analysis import rollup as levels

    wb = Workbook()
    wb.remove(wb.active)
    _summary_42(wb, applicants, catalog, office, year, "ทั้งประเทศ")
    for name, title in (("region", "รายภาค"), ("province", "รายจังหวัด")):
        lv = levels.LEVELS[name]
        t = levels.rollup(applicants, lv, districts=districts)
        cols = [
            Column(lv.th, 30),
            Column("อำเภอทั้งหมด", 0, "number", least=9),
            Column("อำเภอที่ส่งข้อมูล", 0, "number", least=9),
            Column("ร้อยละที่ส่ง", 0, "number", "0.0", least=9),
            *_FIGURE_COLUMNS,
        ]
        blocks = [
            [[r.name_th, int(r.expected), int(r.with_data), _round1(r.reporting_rate_pct),
              int(r.registered), int(r.pre_assessed), int(r.post_assessed),
              _round1(r.mean_pre_pct), _round1(r.mean_post_pct), int(r.ready)]]
            for r in t.itertuples()
        ]  # fmt: skip
        ws, r = table_sheet(wb, title, "4.2", f"สรุปผลการพัฒนาตนเอง{title}",
                       place_line(office, year), cols, blocks)  # fmt: skip
        signature(ws, r)
    return wb


def save(wb, path: Path) -> Path:
    wb.properties.creator = "mchch"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
