"""Every params output setting does what it says (a setting that passes the schema but does
nothing is a silent lie). Forms and decks are made directly, without rendering any PDF."""

from __future__ import annotations

import dataclasses
import re
import zipfile

import pytest
from openpyxl import load_workbook

from mchch_lib.data import dataset, params
from mchch_lib.data.params import SCHEMA
from mchch_lib.deliverables import jobs as deliverables
from tests.end_to_end.test_runner import make_params


def _forms_and_decks(p, ds) -> dict[str, list]:
    """Forms and a deck of every district and the province, as the batch's jobs make them."""
    data = deliverables.run_data(p, ds=ds)
    out: dict[str, list] = {"forms": [], "decks": []}
    for code in deliverables.units(data):
        for kind, bucket in (("forms", "forms"), ("deck", "decks")):
            paths = deliverables.unit_paths(p, kind, code, data.names.get(code, ""))
            out[bucket] += deliverables.make(kind, p, data, code, paths)
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Forms and decks of two districts, once with Arabic and once with Thai digits."""
    tmp = tmp_path_factory.mktemp("settings")
    out = {}
    for digits in (False, True):
        p = params.load_params(make_params(tmp / str(digits), forms=True, deck=True))
        p = dataclasses.replace(p, thai_digits=digits)
        ds = dataset.load_for_params(p)
        out[digits] = _forms_and_decks(p, ds)
    return out


def test_every_output_setting_is_tested_somewhere():
    tested = {
        "dir": "tests/end_to_end/test_runner.py (make_params)",
        "thai_digits": "here and tests/documents/test_sections.py, tests/documents/test_charts.py",
        "keep_html": "tests/end_to_end/test_runner.py::test_keep_html_false_writes_no_html",
        "forms": "here (made) and tests/end_to_end/test_runner.py (off); certificates: test_certificates",
        "deck": "here (made) and tests/end_to_end/test_runner.py (off)",
        "bundle": "tests/end_to_end/test_hostile_run.py (the bundle step)",
        "cell_timeout_s": "tests/end_to_end/test_runner.py (hung cell)",
    }
    assert set(SCHEMA["properties"]["output"]["properties"]) == set(tested)


def test_thai_digits_in_forms(made):
    thai_form = next(p for p in made[True]["forms"] if "ตาคลี_แบบ4.2" in p.name)
    arabic_form = next(p for p in made[False]["forms"] if "ตาคลี_แบบ4.2" in p.name)
    wb_t, wb_a = load_workbook(thai_form), load_workbook(arabic_form)
    numbers = [
        (ca, ct)
        for ws_a, ws_t in zip(wb_a.worksheets, wb_t.worksheets, strict=True)
        for ra, rt in zip(ws_a.iter_rows(), ws_t.iter_rows(), strict=True)
        for ca, ct in zip(ra, rt, strict=True)
        if isinstance(ca.value, int | float) and not isinstance(ca.value, bool)
    ]
    assert numbers
    for ca, ct in numbers:
        assert ct.value == ca.value  # still a number Excel can add up
        assert ct.number_format.startswith("[$-D00041E]")
        assert not ca.number_format.startswith("[$-D")
    text = [c.value for ws in wb_t.worksheets for r in ws.iter_rows() for c in r
            if isinstance(c.value, str)]  # fmt: skip
    assert any("๒๕๖๑" in t for t in text)  # the year in the title block
    assert any(re.fullmatch(r"2561-6007-\d{3}", t) for t in text)  # codes stay as written


def test_thai_digits_in_decks(made):
    deck_t = next(p for p in made[True]["decks"] if "ตาคลี" in p.name)
    with zipfile.ZipFile(deck_t) as z:
        slides = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/"))
        charts = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("ppt/charts/"))
    assert "๒๕๖๑" in slides and "2561" not in slides
    assert 'formatCode="[$-D00041E]' in charts
    deck_a = next(p for p in made[False]["decks"] if "ตาคลี" in p.name)
    with zipfile.ZipFile(deck_a) as z:
        assert "2561" in "".join(z.read(n).decode() for n in z.namelist() if "slides/" in n)
