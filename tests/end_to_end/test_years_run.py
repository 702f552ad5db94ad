"""End to end: 2562 run with ``compare_with`` its 2561 (two districts each, the 2561 data
validated on the fly), the province PDF's comparison section checked against ``mchch
compare``'s CSV, and the district report's returning units."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mchch_lib import cli, config
from mchch_lib.batch import run as runner
from mchch_lib.common import thai
from tests.end_to_end.test_runner import pdf_text

pytestmark = pytest.mark.slow
FILES = ["6002_krok-phra.xlsx", "6007_takhli.xlsx"]


def _params(tmp: Path, year: int, **extra) -> Path:
    data = tmp / f"data{year}"
    data.mkdir(parents=True)
    for f in FILES:
        shutil.copy(config.sample_dir(year) / f, data / f)
    p = yaml.safe_load((config.PARAMS_DIR / f"{year}.yaml").read_text(encoding="utf-8"))
    p.update(inputs=[str(data)], catalog=str(config.catalog_path(year)), **extra)
    p["output"] = {"dir": str(tmp / f"reports{year}"), "forms": False, "deck": False,
                   "bundle": False}  # fmt: skip
    path = tmp / f"{year}.yaml"
    path.write_text(yaml.safe_dump(p, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("years")
    before = _params(tmp, 2561)
    now = _params(tmp, 2562, compare_with=[str(before)])
    result = runner.run(now, jobs=2, progress=False)
    csv = tmp / "compare.csv"
    assert cli.main(["compare", str(now), "--csv", str(csv)]) == 0
    table = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False)
    return tmp, result, table


def _v(table, **keys) -> float | None:
    m = pd.Series(True, index=table.index)
    for k, v in keys.items():
        m &= table[k].astype(str) == str(v)
    (value,) = table.loc[m, "value"]
    return None if value == "" else float(value)


def _fmt(x, d):
    return thai.format_number(x, d)


def test_the_province_pdf_shows_the_figures_of_mchch_compare(run):
    tmp, result, t = run
    assert result.exit_code == 0, [r.error for r in result.results]
    text = pdf_text(tmp / "reports2562" / "province.pdf")
    assert "เปรียบเทียบกับปีที่ผ่านมา" in text
    prov = t[(t["level"] == "province") & (t["indicator"] == "")]
    stds = ["", "leader", "group", "network", "community"]
    for std in stds:
        for year in (2561, 2562):
            f = {m: _v(prov, standard=std, measure=m, year=year) for m in (
                "registered", "post_assessed", "mean_pre_pct", "mean_post_pct", "ready",
                "share_ready_pct")}  # fmt: skip
            row = (f"{year} {_fmt(f['registered'], 0)} {_fmt(f['post_assessed'], 0)} "
                   f"{_fmt(f['mean_pre_pct'], 1)} {_fmt(f['mean_post_pct'], 1)} "
                   f"{_fmt(f['ready'], 0)} {_fmt(f['share_ready_pct'], 1)}")  # fmt: skip
            assert row in text, (std, year, row)
    # districts ranked by change: each district's post % in both years, largest rise first
    ranking = text[text.index("อันดับอำเภอตามการเปลี่ยนแปลง") :]
    dist = t[(t["level"] == "district") & (t["standard"] == "") & (t["measure"] == "mean_post_pct")]
    rows = []
    for _, g in dist.groupby("code"):
        last, now = (float(g.loc[g["year"] == y, "value"].iloc[0]) for y in (2561, 2562))
        rows.append((now - last, f"{_fmt(last, 1)} {_fmt(now, 1)} {now - last:+.1f} "))
    at = [ranking.index(row) for _, row in sorted(rows, reverse=True)]
    assert len(at) == 2 and at == sorted(at)
    # the renumbered indicator, by this year's id with last year's beside it
    assert "L9 (ปี 2561: L8)" in text


def test_the_district_pdf_lists_its_returning_units(run):
    tmp, _, _ = run
    text = pdf_text(tmp / "reports2562" / "districts" / "6007_ตาคลี.pdf")
    assert "หน่วยเดิมที่กลับมาสมัคร" in text
    assert "2561-6007-003" in text and "ยืนยันแล้ว" in text  # the split group, confirmed
    assert "2561-6007-005" in text  # the slip (ออมทรัพย without ์), found by name
    # Takhli had networks in 2561 and none in 2562: a row of zeros, not a missing row
    assert "2562 0 0 – – 0 –" in text
