"""``mchch app`` on national params: a region and province selector first, and only the chosen
province's data read, as a run of that province alone reads it."""

from __future__ import annotations

import pytest

from mchch_lib.app import national, serve, ui, views
from mchch_lib.data.params import load_params
from tests.analysis.test_national import national_params, write_district


@pytest.fixture
def params(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for code, n in ((6001, 3), (6002, 2), (3001, 4)):
        write_district(inputs, code, n=n)
    return national_params(tmp_path, inputs, provinces=[60, 30, 50])


def test_the_selector_lists_the_provinces_with_data_by_region(params):
    app = national.NationalApp(load_params(params))
    assert list(app.region.options) == [national.ALL_REGIONS, "ภาคตะวันออกเฉียงเหนือ", "ภาคกลาง"]
    assert [v for _, v in app.province.options] == [30, 60] and app.province.value == 30
    assert app.province.options[1][0] == "60 นครสวรรค์"
    app.region.value = "ภาคกลาง"
    assert [v for _, v in app.province.options] == [60] and app.province.value == 60
    assert "มีข้อมูล 2 จังหวัด (อีก 1 จังหวัดยังไม่มีข้อมูล)" in app.status.value
    assert app.apps == {} and app.body.children == ()  # nothing read before a province is opened


def test_opening_a_province_reads_only_its_data(params, monkeypatch):
    from mchch_lib.data import dataset

    read = []
    real = dataset.load

    def spy(paths, *a, **k):
        read.append(sorted(p.name for p in paths))
        return real(paths, *a, **k)

    monkeypatch.setattr(dataset, "load", spy)
    app = national.NationalApp(load_params(params))
    one = app.open(60)
    assert read == [["6001_d.xlsx", "6002_d.xlsx"]]
    assert isinstance(one, ui.App) and app.body.children == (one.widget,)
    a = one.ctx.applicants
    assert sorted(a["district_code"].unique()) == [6001, 6002] and len(a) == 5
    assert dict(views.kpis(one.ctx, views.Selection()))["หน่วยที่สมัคร"] == "5"
    assert "นครสวรรค์" in one.ctx.title and "นครสวรรค์" in app.status.value
    assert app.open(60) is one and len(read) == 1  # kept: not read again
    other = app.open(30)
    assert len(other.ctx.applicants) == 4 and read[-1] == ["3001_d.xlsx"]
    assert app.body.children == (other.widget,)


def test_one_province_opens_at_once(tmp_path):
    write_district(tmp_path, 6001, n=2)
    app = national.NationalApp(load_params(national_params(tmp_path, tmp_path, provinces=[60])))
    assert list(app.apps) == [60] and len(app.apps[60].ctx.applicants) == 2


def test_mchch_app_opens_national_params_with_the_selector(params, tmp_path):
    nb = serve.write_notebook(tmp_path, params)
    assert "national.explorer(" in nb.read_text(encoding="utf-8")
    assert isinstance(national.explorer(params), national.NationalApp)


def test_missing_national_inputs_stop_mchch_app_before_voila(tmp_path, capsys):
    from mchch_lib.cli import main

    p = national_params(tmp_path, tmp_path / "nowhere")
    assert main(["app", str(p), "--no-browser", "--port", "1"]) != 0
    assert "ไม่พบไฟล์หรือโฟลเดอร์" in capsys.readouterr().err
