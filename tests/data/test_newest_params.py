"""`mchch app` without a params file opens the latest year's params of the folder it runs in
(a folder `mchch init` made), not the sample's."""

from __future__ import annotations

from pathlib import Path

from mchch_lib import cli
from mchch_lib.data.params import newest_params


def _touch(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_text("year: 1\n", encoding="utf-8")


def test_the_latest_year_of_the_first_folder_that_has_one(tmp_path):
    here, project = tmp_path / "here", tmp_path / "project"
    _touch(here, "2561.yaml", "2563.yaml", "2562.yaml", "national-2564.yaml", "notes.yaml")
    _touch(project, "2570.yaml")
    assert newest_params(here, project) == here / "2563.yaml"
    assert newest_params(tmp_path / "none", project) == project / "2570.yaml"
    assert newest_params(tmp_path / "none") is None


def test_mchch_app_without_params_serves_the_working_folders_latest_year(tmp_path, monkeypatch):
    _touch(tmp_path / "params", "2562.yaml", "2563.yaml")
    monkeypatch.chdir(tmp_path)
    served = []
    monkeypatch.setattr("mchch_lib.app.serve.serve", lambda p, port, browser: served.append(p) or 0)
    assert cli.main(["app", "--no-browser"]) == 0
    assert served == [tmp_path / "params" / "2563.yaml"]


def test_mchch_app_without_any_params_says_so_in_thai(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("mchch_lib.data.params.config.PARAMS_DIR", tmp_path / "nothing")
    monkeypatch.setattr("mchch_lib.cli.config.PARAMS_DIR", tmp_path / "nothing")
    code = cli.main(["app", "--no-browser"])
    assert code != 0
    err = capsys.readouterr().err
    assert "ไม่พบไฟล์ตั้งค่า" in err and "mchch app params/2562.yaml" in err
    assert "Traceback" not in err
