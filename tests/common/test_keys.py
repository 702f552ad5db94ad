"""File names read as they are (no invisible or bidirectional controls) and no output names a
folder of the machine that made it (outputs.portable_path, portable, portable_notebook)."""

from __future__ import annotations

import nbformat
import pytest

from mchch_lib.batch.engine import inject_parameters
from mchch_lib.common.keys import portable, portable_notebook, portable_path, safe_name, unit_stem


@pytest.mark.parametrize(
    "text, expected",
    [
        ("รายงาน\u202efdp.exe", "รายงานfdp.exe"),  # RIGHT-TO-LEFT OVERRIDE: shown as "exe.pdf"
        ("ตา\u200bคลี", "ตาคลี"),  # zero-width space
        ("\u2066ตาคลี\u2069", "ตาคลี"),  # isolates
        ("a\u202ab\u202bc\u202cd\u202de", "abcde"),  # embeddings, pop, overrides
        ("\u200eตาคลี\u200f", "ตาคลี"),  # LRM, RLM
        ("\ufeffกลุ่ม\u2060ออม\u00adทรัพย์", "กลุ่มออมทรัพย์"),  # BOM, word joiner, soft hyphen
        ("ก:ข/ค", "ก_ข_ค"),  # Windows-forbidden, as before
    ],
)
def test_file_names_drop_invisible_and_bidirectional_controls(text, expected):
    assert safe_name(text) == expected
    assert unit_stem(6007, text) == f"6007_{expected}"


def test_paths_become_relative_to_the_params_folder_or_their_name(tmp_path):
    base = tmp_path / "run"
    assert portable_path(base / "params.yaml", base) == "params.yaml"
    assert portable_path(base / "in" / "6007.xlsx", base) == "in/6007.xlsx"
    assert portable_path("/home/somchai/mchch/data/sample/2561", base) == "2561"
    assert portable_path("C:\\Users\\somchai\\2561.yaml") == "2561.yaml"
    assert portable_path("data/sample/2561", base) == "data/sample/2561"  # relative: as written
    raw = {"inputs": [str(base / "in"), "rel"], "year": 2561, "deadlines": {"a": "18/05/2561"},
           "output": {"dir": "/srv/reports"}}  # fmt: skip
    assert portable(raw, base) == {"inputs": ["in", "rel"], "year": 2561,
                                   "deadlines": {"a": "18/05/2561"}, "output": {"dir": "reports"}}  # fmt: skip


def test_a_kept_notebook_names_its_params_file_without_folders(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    params = tmp_path / "deep" / "2561.yaml"
    inject_parameters(nb, {"params_file": str(params), "district_code": 6007, "data_key": "k"})
    text = nbformat.writes(portable_notebook(nb))
    assert str(tmp_path) not in text
    assert "params_file = '2561.yaml'" in nb.cells[1].source
    assert "district_code = 6007" in nb.cells[1].source
    assert nb.metadata["papermill"]["parameters"]["params_file"] == "2561.yaml"
