"""Every cell of forms 4.1 and 4.2 holds its text, checked in the saved workbook with the
bundled Sarabun's metrics (fontTools): each line fits the column width, all lines fit the row
height, no word is split, and headers break only between words (pythainlp)."""

import datetime as dt
import itertools
import math

import pytest
from fontTools.ttLib import TTFont
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from mchch_lib import config
from mchch_lib.analysis import scoring
from mchch_lib.common import textfit
from mchch_lib.common.fonts import font_path
from mchch_lib.data import dataset
from mchch_lib.data.reference import load_province
from mchch_lib.deliverables import annex, excel_layout, forms

OFFICE = "สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์"


@pytest.fixture(scope="module")
def sample(catalog):
    ds = dataset.load([config.sample_dir(2561)], catalog, 60, dt.date(2018, 5, 18))
    ind = scoring.indicator_scores(ds, catalog)
    scored = scoring.applicant_scores(ds, catalog, ind)
    names = {c: d.name_th for c, d in load_province(60).districts.items()}
    return ds, ind, scored, names


@pytest.fixture(scope="module")
def workbooks(sample, catalog, tmp_path_factory):
    """Province forms 4.1 and 4.2, a district's 4.2 and its annex, as saved and read back."""
    ds, ind, scored, names = sample
    tmp = tmp_path_factory.mktemp("forms")
    apps = ds.applicants.sort_values(["district_code", "applicant_id"])
    made = {
        "province_4.1": forms.form_41(apps, catalog, OFFICE, 2561, "จังหวัดนครสวรรค์", names),
        "province_4.2": forms.form_42(scored, ind, catalog, OFFICE, 2561, "จังหวัดนครสวรรค์", names),
        "6007_4.2": forms.form_42(
            scored[scored["district_code"] == 6007],
            ind[ind["district_code"] == 6007],
            catalog,
            OFFICE,
            2561,
            "อำเภอตาคลี",
            names,
        ),
        "6001_annex": annex.district_annex(ds.for_district(6001), catalog, OFFICE, 2561, "อำเภอ"),
    }
    return {k: load_workbook(forms.save(wb, tmp / f"{k}.xlsx")) for k, wb in made.items()}


def _col_pt(ws, j: int) -> float:
    return ws.column_dimensions[get_column_letter(j)].width * excel_layout.UNIT_PT


def _boxes(ws):
    """(cell, width pt, height pt) of every cell holding a value, merged ranges as one box."""
    spans = {}
    for mr in ws.merged_cells.ranges:
        spans[(mr.min_row, mr.min_col)] = (mr.max_row, mr.max_col)
    for row in ws.iter_rows():
        for c in row:
            if c.value is None or c.value == "":
                continue
            r2, c2 = spans.get((c.row, c.column), (c.row, c.column))
            width = sum(_col_pt(ws, j) for j in range(c.column, c2 + 1))
            heights = [ws.row_dimensions[r].height for r in range(c.row, r2 + 1)]
            assert None not in heights, (ws.title, c.coordinate, "row height left to default")
            yield c, width, sum(heights)


def test_every_cell_fits_its_column_and_row(workbooks):
    checked = 0
    for name, wb in workbooks.items():
        for ws in wb.worksheets:
            for c, width, height in _boxes(ws):
                where = (name, ws.title, c.coordinate, c.value)
                size, bold = c.font.sz, bool(c.font.b)
                text = excel_layout.display_text(c.value, c.number_format)
                room = excel_layout.room(width, c.alignment.indent or 0)
                if c.alignment.wrap_text:
                    # no word is split: the widest unbreakable piece fits a line
                    assert textfit.widest_word(text, size, bold) <= room, where
                    lines = textfit.wrap(text, room, size, bold)
                else:  # numbers and dates never wrap: they fit whole (else Excel shows ###)
                    assert textfit.text_width(text, size, bold) <= room, where
                    lines = [text]
                assert excel_layout.row_points(len(lines), size) <= height + 0.01, (where, lines)
                checked += 1
    assert checked > 2000


def test_headers_break_between_words(workbooks):
    seen = set()
    for wb in workbooks.values():
        for ws in wb.worksheets:
            for c in ws[excel_layout.HEADER_ROW]:
                lines = c.value.split("\n")
                seen.add("".join(lines))
                width = _col_pt(ws, c.column)
                # the stored breaks are the only ones: every line fits on its own
                for line in lines:
                    assert textfit.text_width(line, c.font.sz, True) <= excel_layout.room(width), (
                        line
                    )
                # and a break between two Thai letters falls between two pythainlp words
                for before, after in itertools.pairwise(lines):
                    if _thai(before[-1]) and _thai(after[0]):
                        assert len(before) in _bounds(before + after), (c.value, ws.title)
    assert "ตรวจหลักฐานแล้ว" in seen
    assert _bounds("ตรวจหลักฐานแล้ว") == {0, 4, 11, 15}  # ตรวจ|หลักฐาน|แล้ว, never ตรวจหลัก|ฐาน


def _thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _bounds(text: str) -> set[int]:
    out, pos = {0}, 0
    for piece in textfit.chunks(text):
        pos += len(piece)
        out.add(pos)
    return out


def test_gap_between_numbers_and_the_next_text(workbooks):
    ws = workbooks["province_4.1"].worksheets[0]
    number, text = ws.cell(6, 7), ws.cell(6, 8)  # หมู่ที่ | พัฒนากรผู้รับผิดชอบ
    assert isinstance(number.value, int) and isinstance(text.value, str)
    assert number.alignment.horizontal == "right" and number.alignment.indent >= 1
    assert (
        text.alignment.horizontal == "left" and text.alignment.indent >= 1
    )  # Excel indents only aligned text


def test_row_model_holds_sarabun_line(workbooks):
    """A line of the model is at least Sarabun's own line (ascent + descent) of the size."""
    for weight in ("Regular", "Bold"):
        f = TTFont(str(font_path(weight)))
        em = (f["hhea"].ascent - f["hhea"].descent) / f["head"].unitsPerEm
        assert excel_layout.LINE_EM >= em


def _printed_pages(ws) -> int:
    """Pages of a sheet printed fit-to-width on A4 in its orientation (an estimate from the
    stored row heights and column widths; the print titles repeat on every page)."""
    portrait = ws.page_setup.orientation == "portrait"
    page_w, page_h = (8.27, 11.69) if portrait else (11.69, 8.27)
    m = ws.page_margins
    width = sum(_col_pt(ws, j) for j in range(1, ws.max_column + 1))
    scale = min(1.0, (page_w - m.left - m.right) * 72 / width)
    usable = (page_h - m.top - m.bottom) * 72 / scale
    heights = [ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1)]
    title = ws.row_dimensions[excel_layout.HEADER_ROW].height
    pages, used = 1, 0.0
    for h in heights:
        if used + h > usable:
            pages, used = pages + 1, title
        used += h
    return pages


def test_province_42_takes_about_a_page_per_district(workbooks, sample):
    districts = sample[2]["district_code"].nunique()
    wb = workbooks["province_4.2"]
    pages = sum(_printed_pages(ws) for ws in wb.worksheets)
    assert pages <= districts + 1, pages  # a summary page, then about one per district
    assert wb.sheetnames == ["สรุป", "ผู้นำชุมชน", "กลุ่มองค์กรชุมชน", "เครือข่ายองค์กรชุมชน", "ชุมชน"]


def test_signature_block_under_every_table(workbooks):
    for name, wb in workbooks.items():
        if name.endswith("_annex"):
            continue  # an annex of the report, no form: nobody signs it
        for ws in wb.worksheets:
            texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
            for line in excel_layout.SIGNATURE:
                assert texts.count(line) == 1, (name, ws.title, line)
            assert texts[-len(excel_layout.SIGNATURE) :] == list(excel_layout.SIGNATURE)


def test_42_scores_are_numbers_from_the_library(workbooks, sample):
    _, ind, scored, _ = sample
    ws = workbooks["province_4.2"]["กลุ่มองค์กรชุมชน"]
    head = [c.value.replace("\n", " ") for c in ws[excel_layout.HEADER_ROW]]
    col = {h.split(" ")[0]: j for j, h in enumerate(head, start=1)}
    key = ind.set_index(["applicant_id", "indicator_id"])
    seen = 0
    for r in range(excel_layout.HEADER_ROW + 1, ws.max_row + 1, 2):
        aid = ws.cell(r, col["รหัสผู้สมัคร"]).value
        if not isinstance(aid, str) or not aid.startswith("2561-"):
            break
        for iid in ("G1", "G8"):
            for rr, rnd in ((r, "pre"), (r + 1, "post")):
                got, want = ws.cell(rr, col[iid]).value, key.loc[(aid, iid), rnd]
                assert (got is None) if math.isnan(want) else got == want, (aid, iid, rnd)
        seen += 1
    assert seen == int((scored["standard"] == "group").sum())


def test_measuring_parses_the_font_once(workbooks):
    assert textfit._advances.cache_info().currsize <= 2  # regular and bold, not per cell
    assert textfit._width_em.cache_info().hits > textfit._width_em.cache_info().misses


# LibreOffice on a PC without TH Sarabun New draws its stand-in (Laksaman) 25 pt a line in a
# 15 pt cell (measured in its PDF of 6007's form 4.2: 16.87 pt between lines at a print scale of
# 0.673); the last line's lower vowels need that pitch for every line after the first.
LIBREOFFICE_PITCH_EM = 25.07 / 15


def test_wrapped_cells_leave_room_for_the_stand_in_fonts_line_pitch(workbooks):
    """6007's leaders legend (a merged range, four lines) printed "ความร้" and "ผ้นำ": every
    wrapped cell, merged or not, now has the stand-in's pitch for each line after its first."""
    legend = None
    for wb in workbooks.values():
        for ws in wb.worksheets:
            for c, width, height in _boxes(ws):
                if not (c.alignment.wrap_text and isinstance(c.value, str)):
                    continue
                room = excel_layout.room(width, c.alignment.indent or 0)
                n = len(textfit.wrap(c.value, room, c.font.sz, bool(c.font.b)))
                need = excel_layout.ROW_PAD_PT + c.font.sz * (
                    excel_layout.LINE_EM + (n - 1) * LIBREOFFICE_PITCH_EM
                )
                assert need <= height + 0.01, (ws.title, c.coordinate, n, height)
                if c.value.startswith("ตัวบ่งชี้ (คะแนนเต็ม") and ws.title == "ผู้นำชุมชน":
                    legend = (c, n, height, ws)
    c, n, height, ws = legend  # the legend of 6007's leaders sheet is there, merged
    assert n >= 4 and any(c.coordinate in mr for mr in ws.merged_cells.ranges)
    assert "ผู้นำรุ่นใหม่" in c.value.split("\n")[-1]
