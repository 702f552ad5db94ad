"""Forms, decks and the bundle of a full run on the sample data."""

import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook
from pypdf import PdfReader

from mchch_lib import config
from mchch_lib.analysis import final_round, scoring
from mchch_lib.batch import run as runner
from mchch_lib.data import dataset
from mchch_lib.data.catalog import load_catalog
from mchch_lib.deliverables import bundle, certificates, deck, excel_layout, forms
from tests.conftest import make_dataset

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("full")
    p = yaml.safe_load((config.PARAMS_DIR / "2561.yaml").read_text(encoding="utf-8"))
    p["inputs"] = [str(config.sample_dir(2561))]
    p["catalog"] = str(config.catalog_path(2561))
    p["output"]["dir"] = str(tmp / "reports")
    params = tmp / "params.yaml"
    params.write_text(yaml.safe_dump(p, allow_unicode=True), encoding="utf-8")
    result = runner.run(params, progress=False)
    assert result.exit_code == 0, [r.error for r in result.results if r.error]
    return tmp / "reports", params


def test_every_report_and_deliverable_is_made(full_run):
    out, _ = full_run
    assert len(list((out / "districts").glob("*.pdf"))) == 15
    assert (out / "province.pdf").exists()
    assert len(list((out / "forms").glob("*.xlsx"))) == 32
    assert len(list((out / "decks").glob("*.pptx"))) == 16
    # 49 units (the workbook certifies 50 rows, one a second registration of a unit already
    # certified) and the combined one
    assert len(list((out / "certificates").glob("*.pdf"))) == 49 + 1
    assert (out / "certificates" / certificates.ANNOUNCEMENT).exists()


def test_every_certified_unit_has_exactly_one_certificate_with_its_text(full_run):
    out, params = full_run
    from mchch_lib.data.params import load_params

    cat = load_catalog(year=2561)
    ds = dataset.load_for_params(load_params(params))
    res = final_round.results(ds, cat, scoring.applicant_scores(ds, cat))
    cert = final_round.certified(res)
    assert len(cert) == 49
    folder = out / "certificates"
    pdfs = {p for p in folder.glob("*.pdf") if p.name != certificates.COMBINED}
    seen = {}
    for p in pdfs:
        r = PdfReader(p)
        assert len(r.pages) == 1
        text = r.pages[0].extract_text()
        number = re.search(r"เลขที่ (มชช\.นว \d{3}/2561)", text).group(1)
        assert number not in seen, (p, seen.get(number))
        seen[number] = text
    assert set(seen) == set(cert["certificate_no"])  # exactly one each, none other
    for r in cert.itertuples():
        text = seen[r.certificate_no]
        assert r.name in text
        assert f"ได้ผ่านการรับรอง{cat.standards[r.standard].name_th}" in text
        assert "จังหวัดนครสวรรค์" in text and "พ.ศ. 2561" in text
    # the one ready unit the committee did not pass has none, and one unit has one certificate
    # (ลาดยาว's ศาลเจ้าไก่ต่อ network, registered twice: 032/2561 only, never 034/2561)
    assert len(res.loc[~res["certified"].astype(bool)]) == 2
    assert sum("เครือข่ายองค์กรชุมชนตำบลศาลเจ้าไก่ต่อ" in t for t in seen.values()) == 1
    assert "มชช.นว 034/2561" not in seen
    combined = PdfReader(folder / certificates.COMBINED)
    assert len(combined.pages) == 49
    ws = load_workbook(folder / certificates.ANNOUNCEMENT).active
    numbers = {c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert set(cert["certificate_no"]) <= numbers and "มชช.นว 034/2561" not in numbers


def test_forms_hold_the_library_values_and_print_settings(full_run):
    out, params = full_run
    cat = load_catalog(year=2561)
    from mchch_lib.data.params import load_params

    ds = dataset.load_for_params(load_params(params))
    a = scoring.applicant_scores(ds, cat).set_index("applicant_id")
    wb = load_workbook(out / "forms" / "6007_ตาคลี_แบบ4.2.xlsx")
    seen = 0
    for std in ("leader", "group", "network", "community"):
        ws = wb[cat.standards[std].short_th]
        headers = [c.value.replace("\n", " ") for c in ws[5]]
        assert f"รวม ({cat.standards[std].full_total:g})" in headers  # full marks in the header
        total = headers.index(f"รวม ({cat.standards[std].full_total:g})")
        rows = list(ws.iter_rows(min_row=6, values_only=True))
        for pre_row, post_row in zip(rows[::2], rows[1::2], strict=False):
            if not (pre_row[0] or "").startswith("2561-"):
                break
            lib = a.loc[pre_row[0]]
            assert (pre_row[2], post_row[2]) == ("ก่อน", "หลัง")  # no อำเภอ column
            assert pre_row[total] == lib.pre_total
            assert (post_row[total] is None) == pd.isna(lib.post_total)
            if post_row[total] is not None:
                assert post_row[total] == lib.post_total
                assert isinstance(post_row[total], int | float)  # a number, not text
            seen += 1
    assert seen == int((a["district_code"] == 6007).sum())
    for path in (out / "forms").glob("*.xlsx"):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            assert ws.print_title_rows == "$5:$5"
            assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert "&P" in ws.oddFooter.center.text
            assert ws.freeze_panes == "A6"
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (path.name, c.coordinate, c.value)
                    if isinstance(c.value, str):
                        assert not re.search(r"\d{13}", c.value)
    f41 = load_workbook(out / "forms" / "province_แบบ4.1.xlsx")["ผู้นำชุมชน"]
    dates = [r[8] for r in f41.iter_rows(min_row=6, values_only=True) if r[2]]
    assert dates and all(hasattr(d, "year") for d in dates)  # dates as dates
    assert f41.cell(6, 9).number_format.startswith("[$-107041E]")
    # data cells: the form's Thai font, thin borders, text wrapped and numbers to the right
    for c in (f41.cell(6, 3), f41.cell(6, 9)):
        assert c.font.name == excel_layout.FONT and c.font.size == 15
        assert c.border.left.style == "thin" and c.border.bottom.style == "thin"
    assert f41.cell(6, 4).alignment.wrap_text
    assert f41.cell(6, 1).alignment.horizontal == "right"


def test_text_from_input_never_becomes_a_formula(tmp_path, catalog):
    ds = make_dataset(
        [
            {
                "district_code": 6007,
                "applicant_id": "A1",
                "standard": "leader",
                "name": '=HYPERLINK("http://x","คลิก")',
                "officer": "+นายเอ",
                "tambon": "@ตาคลี",
            }
        ]
    )
    wb = forms.form_41(ds.applicants, catalog, "สพจ.", 2561, "อำเภอตาคลี", {6007: "ตาคลี"})
    path = forms.save(wb, tmp_path / "f.xlsx")
    ws = load_workbook(path)["ผู้นำชุมชน"]
    cells = {c.value: c.data_type for row in ws.iter_rows(min_row=6) for c in row if c.value}
    # neutralized the OWASP way (a leading '), and stored as text
    assert cells['\'=HYPERLINK("http://x","คลิก")'] == "s"
    assert cells["'+นายเอ"] == "s" and cells["'@ตาคลี"] == "s"


def _pptx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(
            z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml")
        )


def test_decks_have_native_charts_and_no_id_numbers(full_run):
    from pptx import Presentation

    out, _ = full_run
    for path in (out / "decks").glob("*.pptx"):
        prs = Presentation(path)
        assert len(prs.slides) >= 8  # the year's story (tests/deliverables/test_deck_story.py)
        assert prs.slide_width > prs.slide_height  # 16:9
        charts = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
        assert len(charts) >= 3
        xml = _pptx_text(path)
        assert not re.search(r"(?<!\d)\d{13}(?!\d)", xml), path.name
        assert not re.search(r"\d-\d{4}-[\dx]{5}-[\dx]{2}-\d", xml), path.name
        assert "2561-60" not in xml  # not even applicant ids
    prs = Presentation(out / "decks" / "6007_ตาคลี_ประชุม.pptx")
    texts = [sh.text_frame.text for sl in prs.slides for sh in sl.shapes if sh.has_text_frame]
    assert any("ตาคลี" in t for t in texts)


def test_bundle_manifest_verifies_and_fits_a_cd(full_run):
    out, _ = full_run
    root = out / "bundle"
    m = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert set(m) == {"files"} and all(set(f) == {"path", "sha256", "bytes"} for f in m["files"])
    assert bundle.verify(root) == []  # every hash recomputed
    paths = {f["path"] for f in m["files"]}
    assert {"province.pdf", "index.html", "validation.xlsx", "run.json"} <= paths
    assert sum(p.endswith(".pdf") for p in paths) == 16 + 50  # reports, certificates
    assert f"certificates/{certificates.ANNOUNCEMENT}" in paths
    index = (root / "index.html").read_text(encoding="utf-8")
    fonts = {f"fonts/{n}" for n in bundle.FONTS}
    assert fonts <= paths  # the page's own Thai font: no boxes in a browser without one
    for p in paths - {"index.html"}:
        assert f'href="{p}"' in index or f"url('{p}')" in index, p
    assert "@font-face{font-family:'Sarabun'" in index and "body{font-family:'Sarabun'" in index
    assert "<td>ผู้สมัคร</td>" in index  # the sheets by their Thai names
    assert '<meta charset="utf-8">' in index
    info = json.loads((out / "bundle.json").read_text(encoding="utf-8"))
    assert info["fits_cd"] and info["windows_problems"] == {}
    assert all(bundle.windows_problems(p) == [] for p in paths)
    with zipfile.ZipFile(out / "bundle.zip") as z:
        assert set(z.namelist()) == paths | {"manifest.json"}
    (root / "province.pdf").write_bytes(b"tampered")
    assert bundle.verify(root) == ["changed: province.pdf"]


@pytest.mark.parametrize(
    "name,problem",
    [
        ("ok/รายงาน.pdf", None),
        ("a:b.pdf", "forbidden character"),
        ("CON.txt", "reserved"),
        ("x" * 241, "longer than 240"),
        ("name. ", "ends with a space or dot"),
    ],
)
def test_windows_names(name, problem):
    got = bundle.windows_problems(name)
    assert (got == []) if problem is None else any(problem in g for g in got)


def test_deck_for_a_tiny_district_without_post_rounds(tmp_path, catalog):
    ds = make_dataset(
        [
            {
                "district_code": 6007,
                "applicant_id": "A1",
                "standard": "leader",
                "citizen_id": "1234567890121",
            }
        ],
        [("A1", "pre", {f"L{i}": 5 for i in range(1, 9)}, pd.Timestamp("2018-06-05"))],
    )
    from mchch_lib.data.params import load_params
    from mchch_lib.data.reference import load_province
    from mchch_lib.documents import report

    params = load_params(config.PARAMS_DIR / "2561.yaml")
    ctx = report.context_of(params, ds, 6007, catalog, load_province(60), earlier=[])
    prs = deck.build_deck(ctx)
    assert len(prs.slides) >= 8
    assert all(s.notes_slide.notes_text_frame.text for s in prs.slides)
    path = deck.save(prs, tmp_path / "d.pptx")
    assert "1234567890121" not in _pptx_text(path)


def test_validation_workbook_holds_final_round_problems_and_is_written_once(full_run, tmp_path):
    """validation.xlsx lists every problem (the validation's and the final round's: the two
    used to be written one after the other), and a run whose problems are those of the last
    run leaves it as it is (one write, keyed by them)."""
    from mchch_lib.data.params import load_params
    from mchch_lib.data.reference import load_province
    from mchch_lib.deliverables import jobs as deliverables

    out, params_file = full_run
    params = load_params(params_file)
    ds = dataset.load_for_params(params)
    every = deliverables._all_problems(params, ds)
    rows = list(load_workbook(out / "validation.xlsx", read_only=True).active.iter_rows())
    assert len(rows) - 1 == len(every) > 0  # a header row, then every problem once
    path, province = tmp_path / "validation.xlsx", load_province(params.province_code)
    key = deliverables._write_validation(params, ds, path, province, {})
    last = json.loads((out / "run.json").read_text(encoding="utf-8"))["deliverables"]
    assert key == last["validation_key"]
    stamp = path.stat().st_mtime_ns
    state = {"deliverables": {"validation_key": key}}
    assert deliverables._write_validation(params, ds, path, province, state) == key
    assert path.stat().st_mtime_ns == stamp  # not written again
    deliverables._write_validation(params, ds, path, province, {"deliverables": {}})
    assert path.stat().st_mtime_ns != stamp  # no key of the last run: written


def _text_of_member(data: bytes) -> str:
    return data.decode("utf-8", errors="ignore")


def test_no_output_names_a_folder_of_the_machine_that_made_it(full_run):
    """Every report PDF (its text and its metadata), HTML, kept notebook, and every file of the
    bundle (PDF, xlsx, pptx, json, html) holds no absolute path of this run: not the params
    file's folder, not the project's (the inputs and catalog are given as absolute paths).
    run.json and bundle.json beside the bundle are the machine's own run record."""
    out, params = full_run
    here = [str(params.parent), str(config.PROJECT_ROOT)]
    squeeze = re.compile(r"\s+")

    def assert_clean(text: str, where: Path) -> None:
        flat = squeeze.sub("", text)
        for folder in here:
            assert folder not in text and squeeze.sub("", folder) not in flat, (where, folder)

    pdfs = [out / "province.pdf", *sorted((out / "districts").glob("*.pdf"))]
    assert len(pdfs) == 16
    for p in pdfs:
        r = PdfReader(p)
        assert_clean("".join(pg.extract_text() for pg in r.pages) + str(r.metadata), p)
        # where it comes from, in short on the cover; files and parameters not on paper
        cover = r.pages[0].extract_text()
        assert "ฉบับข้อมูล" in cover and "รุ่นโปรแกรม" in cover
        assert "params.yaml" not in "".join(pg.extract_text() for pg in r.pages)
    checked = 0
    for p in sorted(out.rglob("*")):
        if not p.is_file() or p.parent == out and p.name in ("run.json", "bundle.json"):
            continue
        if p.suffix in (".xlsx", ".pptx", ".zip"):
            with zipfile.ZipFile(p) as z:
                for name in z.namelist():
                    if not name.endswith((".pdf", ".ttf", ".png")):
                        assert_clean(_text_of_member(z.read(name)), p / name)
        elif p.suffix in (".html", ".ipynb", ".json", ".txt", ".csv", ".pdf"):
            assert_clean(_text_of_member(p.read_bytes()), p)
        checked += 1
    assert checked > 250
    kept = json.loads((out / "districts" / "6007_ตาคลี.ipynb").read_text(encoding="utf-8"))
    assert kept["metadata"]["papermill"]["parameters"]["params_file"] == "params.yaml"
