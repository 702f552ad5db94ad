"""One province's run is as it was before the national scope: ``params/2561.yaml`` makes the
same files, and its provincial report the same figures, as the commit before it (kept in
tests/snapshots/run_2561/: the file list of that commit's run and its report's roll-ups)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from mchch_lib import config
from mchch_lib.batch import run as runner
from mchch_lib.batch.preflight import LOCK_NAME
from mchch_lib.documents import report

pytestmark = pytest.mark.slow
SNAP = Path(__file__).parents[1] / "snapshots" / "run_2561"


def test_params_2561_makes_the_same_files_and_provincial_figures(tmp_path):
    raw = yaml.safe_load((config.PARAMS_DIR / "2561.yaml").read_text(encoding="utf-8"))
    assert raw["province_code"] == 60 and "provinces" not in raw
    raw["inputs"] = [str(config.PROJECT_ROOT / p) for p in raw["inputs"]]
    raw["catalog"] = str(config.PROJECT_ROOT / raw["catalog"])
    raw["output"]["dir"] = str(tmp_path / "reports")  # every other setting as it is
    params = tmp_path / "2561.yaml"
    params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    r = runner.run(params, jobs=2, progress=False)
    assert r.exit_code == 0
    out = tmp_path / "reports"
    # the run's lock (.mchch-run.lock) is the folder's, not an output
    files = sorted(
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != LOCK_NAME
    )
    want = sorted((SNAP / "files.txt").read_text(encoding="utf-8").splitlines())
    assert sorted(set(files) ^ set(want)) == []
    assert files == want
    ctx = report.province_context(params)
    got = ctx.by_district.round(6).reset_index(drop=True)
    want = pd.read_csv(SNAP / "province_by_district.csv")
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    summary = pd.DataFrame([ctx.summary]).round(6)
    pd.testing.assert_frame_equal(summary, pd.read_csv(SNAP / "province_summary.csv"),
                                  check_dtype=False)  # fmt: skip
