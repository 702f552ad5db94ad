"""Certificates on a hand-made final round: one A4 landscape page per certified unit in Sarabun,
its text searchable (name, standard, number, province, year), a combined PDF, the announcement
form; units no longer certified lose their file."""

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from mchch_lib import config
from mchch_lib.data.params import load_params
from mchch_lib.deliverables import certificates

DATA = Path(__file__).parents[1] / "fixtures"


def _params(tmp_path, **over):
    p = load_params("params/2561.yaml")
    return dataclasses.replace(p, output_dir=tmp_path / "reports", **over)


def _load(folder):
    from mchch_lib.data import dataset

    return dataset.load([folder], config.catalog_path(2561), 60, use_cache=False)


def _fonts(path):
    out = {}
    for f in PdfReader(path).pages[0]["/Resources"]["/Font"].values():
        f = f.get_object()
        fd = f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        out[str(f["/BaseFont"])] = "/FontFile2" in fd
    return out


def test_one_certificate_per_certified_unit_with_its_text(tmp_path):
    ds = _load(DATA / "final_round_folder")
    paths = certificates.write(_params(tmp_path), ds)
    folder = tmp_path / "reports" / "certificates"
    assert [p.name for p in paths] == [
        "มชช.นว_001_2561_นายสมชาย_ใจดี.pdf",
        "มชช.นว_002_2561_กลุ่มออมทรัพย์บ้านหนองโพ.pdf",
        certificates.COMBINED,
        certificates.ANNOUNCEMENT,
    ]
    assert all(p.parent == folder and p.exists() for p in paths)
    for path, name, std, number in (
        (paths[0], "นายสมชาย ใจดี", "มาตรฐานผู้นำชุมชน", "มชช.นว 001/2561"),
        (paths[1], "กลุ่มออมทรัพย์บ้านหนองโพ", "มาตรฐานกลุ่มองค์กรชุมชน", "มชช.นว 002/2561"),
    ):
        r = PdfReader(path)
        assert len(r.pages) == 1
        box = r.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
        text = r.pages[0].extract_text()
        assert name in text and f"ได้ผ่านการรับรอง{std}" in text and f"เลขที่ {number}" in text
        assert "จังหวัดนครสวรรค์" in text and "ประจำปี พ.ศ. 2561" in text
        assert "ให้ไว้ ณ วันที่ 14 กันยายน พ.ศ. 2561" in text
        assert "(นายผู้ว่า ราชการ)" in text  # the committee's chair signs
        assert "ผู้ว่าราชการจังหวัดนครสวรรค์" in text
        assert "ไม่ใช่เอกสารราชการ" in text  # made from the example catalog
        assert "\u0e4d\u0e32" not in text  # sara am reads as one character
        # Thai only: no English word (4+ Latin letters) and no path of any machine on the page
        assert not re.findall(r"[A-Za-z]{4,}", text), text
        assert "/" not in text.replace(number, "") and "\\" not in text
        assert str(config.PROJECT_ROOT).encode() not in path.read_bytes()
        fonts = _fonts(path)
        assert fonts and all(fonts.values()) and all("Sarabun" in f for f in fonts)
        assert r.metadata["/Title"] == f"ใบรับรองมาตรฐานการพัฒนาชุมชน {number} {name}"
    combined = PdfReader(folder / certificates.COMBINED)
    assert len(combined.pages) == 2
    ws = load_workbook(folder / certificates.ANNOUNCEMENT).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "บัญชีแนบท้ายประกาศจังหวัดนครสวรรค์" in cells
    assert "มชช.นว 001/2561" in cells and "นายสมชาย ใจดี" in cells
    assert any(isinstance(c, str) and c.startswith("รวม ผู้นำชุมชน 1 คน") for c in cells)


def test_a_long_name_still_fits_its_page_and_thai_digits_are_honoured(tmp_path):
    from openpyxl import load_workbook as lw

    folder = tmp_path / "in"
    shutil.copytree(DATA / "final_round_folder", folder)
    wb = lw(folder / "6007_takhli.xlsx")
    ws = wb["ผู้สมัคร"]
    ws.cell(5, 4).value = "กลุ่มวิสาหกิจชุมชนแปรรูปผลิตภัณฑ์จากข้าวอินทรีย์และสมุนไพรพื้นบ้าน" * 2
    wb.save(folder / "6007_takhli.xlsx")
    paths = certificates.write(_params(tmp_path, thai_digits=True), _load(folder))
    r = PdfReader(paths[1])
    assert len(r.pages) == 1
    text = r.pages[0].extract_text()
    assert "ประจำปี พ.ศ. ๒๕๖๑" in text and "เลขที่ มชช.นว ๐๐๒/๒๕๖๑" in text
    assert certificates.name_size(ws.cell(5, 4).value) == certificates.NAME_MIN_PT
    assert paths[1].name.startswith("มชช.นว_002_2561_") and len(paths[1].stem) <= 60


def test_a_unit_no_longer_certified_loses_its_certificate(tmp_path):
    params = _params(tmp_path)
    ds = _load(DATA / "final_round_folder")
    first = certificates.write(params, ds)
    ds.final_round.loc[ds.final_round["applicant_id"] == "T-002", "certified"] = False
    second = certificates.write(params, ds)
    assert len(second) == 3 and not first[1].exists() and first[0].exists()
    ds.final_round["certified"] = False
    assert certificates.write(params, ds) == []
    assert not any((tmp_path / "reports" / "certificates").iterdir())


@pytest.mark.parametrize(
    "moo,name,place",
    [
        (3, "นายหนึ่ง", "หมู่ที่ 3 ตำบลตาคลี อำเภอตาคลี จังหวัดนครสวรรค์"),
        (3, "บ้านหนองโพ หมู่ที่ 3", "ตำบลตาคลี อำเภอตาคลี จังหวัดนครสวรรค์"),
        (None, "กลุ่มหนึ่ง", "ตำบลตาคลี อำเภอตาคลี จังหวัดนครสวรรค์"),
    ],
)
def test_the_place_line(moo, name, place):
    import pandas as pd

    row = pd.DataFrame([{"moo": moo, "name": name, "tambon": "ตาคลี"}]).astype({"moo": "Int64"})
    assert certificates._place(next(row.itertuples()), "ตาคลี", "นครสวรรค์") == place


def test_certificates_come_with_the_forms_switch(tmp_path):
    """The batch plans the certificates with the forms (none without them); the job writes
    each certificate, the combined PDF and the announcement form."""
    from mchch_lib.batch.context import RunContext
    from mchch_lib.batch.plan import deliverable_jobs
    from mchch_lib.deliverables import jobs

    def kinds(**over):
        return [j.kind for j in deliverable_jobs(RunContext(_params(tmp_path, **over)), [], {}, "")]

    assert kinds(forms=False, deck=False) == []
    assert kinds(forms=True, deck=False) == ["forms", "certificates"]
    ds = _load(DATA / "final_round_folder")
    p = _params(tmp_path)
    made = jobs.make("certificates", p, jobs.run_data(p, ds=ds), None, ())
    assert [x.suffix for x in made] == [".pdf", ".pdf", ".pdf", ".xlsx"]
    assert not (tmp_path / "reports" / "forms").exists()
