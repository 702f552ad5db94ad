"""The district annex workbook (<code>_<name>_ภาคผนวก.xlsx): the per-applicant sub-criteria the
district PDF used to end with, on A4 sheets like the forms. Its figures are those of the
analysis frame the report's annex showed (self_development.subcriteria_progress), with each
indicator's row the sum of its sub-criteria, and every decline marked."""

import dataclasses
import datetime as dt
import math

import pytest
from openpyxl import load_workbook

from mchch_lib import config
from mchch_lib.analysis import self_development as development
from mchch_lib.data import dataset
from mchch_lib.deliverables import annex, excel_layout, forms

OFFICE = "สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์"


@pytest.fixture(scope="module")
def sample(catalog):
    return dataset.load([config.sample_dir(2561)], catalog, 60, dt.date(2018, 5, 18))


def _saved(part, catalog, tmp_path, place="อำเภอเมืองนครสวรรค์"):
    wb = annex.district_annex(part, catalog, OFFICE, 2561, place)
    path = forms.save(wb, tmp_path / "6001_เมืองนครสวรรค์_ภาคผนวก.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # written atomically, no leftovers
    return load_workbook(path)


def _table(ws) -> list[tuple]:
    """The data rows of a sheet as printed: (applicant, id, text, kind, marks, pre, post,
    change, note), from below the header row to the first row with no applicant."""
    out = []
    r = excel_layout.HEADER_ROW + 1
    while ws.cell(r, 1).value:
        out.append(tuple(ws.cell(r, j).value for j in range(1, 10)))
        r += 1
    return out


def _sum(values) -> float | None:
    values = list(values)
    if any(v is None or v != v for v in values):
        return None
    return round(math.fsum(values), 6)


def _expected(frame, catalog) -> list[tuple]:
    """The rows the old annex showed, built here from the frame: per applicant, per indicator
    a row of sums, then its sub-criteria; a negative change marked ลดลง."""
    rows = []
    for aid, g in frame.groupby("applicant_id", sort=False):
        first = True
        for iid, sub in g.groupby("indicator_id", sort=False):
            marks, pre, post = (_sum(sub[c]) for c in ("marks", "pre", "post"))
            gain = None if pre is None or post is None else round(post - pre, 6)
            block = [(iid, catalog.indicators[iid].name_th, "รวมตัวบ่งชี้", marks, pre, post, gain)]
            for s in sub.itertuples():
                sid = "" if s.kind == "added" and "+" in s.subcriterion_id else s.subcriterion_id
                vals = [None if v != v else v for v in (s.marks, s.pre, s.post, s.gain)]
                block.append((sid, s.text, s.kind_th, *vals))
            for b in block:
                who = f"{aid} {g['name'].iloc[0]}" if first else aid
                first = False
                note = "ลดลง" if b[-1] is not None and b[-1] < 0 else None
                rows.append((who, b[0] or None, *b[1:], note))
    return rows


def test_the_annex_figures_equal_the_old_annexs_frame(sample, catalog, tmp_path):
    part = sample.for_district(6001)
    frame = development.subcriteria_progress(part, catalog)
    wb = _saved(part, catalog, tmp_path)
    stds = [s for s in catalog.standards if (part.applicants["standard"] == s).any()]
    assert wb.sheetnames == [catalog.standards[s].short_th for s in stds]  # one per standard
    n_rows = n_declines = 0
    for std, ws in zip(stds, wb.worksheets, strict=True):
        got = _table(ws)
        want = _expected(frame[frame["standard"] == std], catalog)
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert g[:4] == w[:4]
            assert g[4:8] == pytest.approx(w[4:8])  # marks, before, after, change
            assert g[8] == w[8]  # ลดลง on every decline, nowhere else
        n_rows += len(got)
        n_declines += sum(w[8] == "ลดลง" for w in want)
    sub_rows = len(frame)
    indicators = frame.groupby(["applicant_id", "indicator_id"]).ngroups
    assert n_rows == sub_rows + indicators > 100
    assert n_declines >= 1  # the sample's declines (N2.1 -1.0 among them) are marked


def test_print_ready_like_the_forms(sample, catalog, tmp_path):
    wb = _saved(sample.for_district(6001), catalog, tmp_path)
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)  # 9: A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert (
            ws.print_title_rows.replace("$", "")
            == f"{excel_layout.HEADER_ROW}:{excel_layout.HEADER_ROW}"
        )
        head = [c.value for c in ws[excel_layout.HEADER_ROW]]
        assert head[:3] == ["ผู้สมัคร", "รหัส", "เกณฑ์ย่อย"] and "หมายเหตุ" in head
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {excel_layout.FONT}
        assert ws.cell(1, 1).value == "ภาคผนวก"
        assert "อำเภอเมืองนครสวรรค์" in ws.cell(2, 1).value


def test_a_formula_in_a_districts_text_stays_text(sample, catalog, tmp_path):
    part = sample.for_district(6001)
    sub = part.subcriteria.copy()
    sub.loc[sub.index[0], "text"] = '=HYPERLINK("http://x","คลิก")'
    wb = _saved(dataclasses.replace(part, subcriteria=sub), catalog, tmp_path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(hostile) == 1 and hostile[0].data_type == "s"
    assert not hostile[0].value.startswith("=")


def test_a_district_without_sub_criteria_says_so(sample, catalog, tmp_path):
    part = sample.for_district(6001)
    none = dataclasses.replace(part, subcriteria=part.subcriteria.iloc[0:0])
    wb = _saved(none, catalog, tmp_path)
    for ws in wb.worksheets:
        assert _table(ws) == []
        notes = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert any(v.startswith("ผู้สมัครที่บันทึกเกณฑ์ย่อยแล้ว 0 จาก") for v in notes)
