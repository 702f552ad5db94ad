"""The shipped reference: the DOPA 928 districts (codes and names of ``geothai`` 3.2.1), the 77
provinces with their regions, the sub-districts; a national run expects 928 districts, and a
workbook of กัลยาณิวัฒนา (5025, a district since 2009) is a known district."""

from __future__ import annotations

import csv

import pytest

from mchch_lib import config
from mchch_lib.analysis import completeness
from mchch_lib.data import national_inputs as national
from mchch_lib.data import reference
from mchch_lib.data.params import load_params
from tests.analysis.test_national import national_params, write_district


def test_the_reference_is_the_dopa_928():
    d = reference.national_districts()
    p = reference.provinces()
    assert len(d) == 928 and len(p) == 77
    assert sum(i.n_districts for i in p.values()) == 928
    assert {c // 100 for c in d} == set(p)
    for code, info in p.items():  # each province's count is the rows it has
        assert sum(1 for c in d if c // 100 == code) == info.n_districts, code
    assert len([c for c in d if c // 100 == 10]) == 50  # Bangkok's เขต
    assert d[5025].name_th == "กัลยาณิวัฒนา" and d[5025].province_code == 50
    assert d[5025].name_en == "Galyani Vadhana"
    assert 7074 not in d and 9077 not in d  # municipalities (เทศบาลตำบล), not districts
    bueng_kan = {c: x.name_th for c, x in d.items() if c // 100 == 38}
    assert bueng_kan == {3801: "เมืองบึงกาฬ", 3802: "พรเจริญ", 3803: "โซ่พิสัย", 3804: "เซกา",
                         3805: "ปากคาด", 3806: "บึงโขงหลง", 3807: "ศรีวิไล", 3808: "บุ่งคล้า"}  # fmt: skip
    assert p[50].n_districts == 25 and p[50].region_en == "Northern"


def test_sub_districts_follow_the_districts():
    with config.NATIONAL_SUBDISTRICTS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 7436
    assert {int(r["district_code"]) for r in rows} == set(reference.national_districts())
    assert len(reference.tambons(5025)) == 3  # once listed under 5003 แม่แจ่ม
    assert not set(reference.tambons(5025)) & set(reference.tambons(5003))
    assert sum(len(reference.tambons(c)) for c in reference.load_province(60).districts) == 130


def test_khet_in_english_is_still_a_bangkok_district():
    bkk = reference.load_province(10)
    assert bkk.resolve("Khet Phra Nakhon") == bkk.resolve("เขตพระนคร") == 1001


def test_national_completeness_expects_928():
    t = completeness.district_table({}, reference.provinces())
    assert len(t) == 928 and not t["has_data"].any()
    assert 5025 in set(t["district_code"]) and not {7074, 9077} & set(t["district_code"])


def test_a_galyani_vadhana_workbook_is_a_known_district(tmp_path):
    write_district(tmp_path / "in", 5025, n=4)
    nd = national.load_national(load_params(national_params(tmp_path, tmp_path / "in", [50])))
    ds = nd.dataset(50)
    assert set(ds.applicants["district_code"]) == {5025} and len(ds.applicants) == 4
    assert nd.unplaced is None  # every workbook placed in its province
    assert "unknown_district" not in set(ds.problems["rule"])
    rec = ds.reconciliation
    assert (rec["rows_read"] == rec["clean"] + rec["rejected"]).all()
    assert int(rec.loc[rec["table"] == "applicants", "clean"].sum()) == 4


def test_the_copies_agree_with_geothai():
    """The shipped tables are geothai's codes and names (skipped when it is not installed)."""
    geothai = pytest.importorskip("geothai")
    if geothai.DATA_VERSION != "2026.10.23":
        pytest.skip(f"geothai data {geothai.DATA_VERSION}: compare by hand before updating")
    provs = reference.provinces()
    assert {int(p.code): (p.name_th, p.name_en) for p in geothai.provinces()} == {
        c: (p.name_th, p.name_en) for c, p in provs.items()
    }
    theirs = {int(d.code): (d.name_th, d.name_en) for c in provs
              for d in geothai.districts(f"{c:02d}")}  # fmt: skip
    assert theirs == {c: (d.name_th, d.name_en) for c, d in reference.national_districts().items()}
    for code in reference.national_districts():
        assert reference.tambons(code) == [s.name_th for s in geothai.subdistricts(str(code))]
