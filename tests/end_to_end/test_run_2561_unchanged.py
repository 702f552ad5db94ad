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


@pytest.fixture(scope="module")
def run_2561(tmp_path_factory):
    """``params/2561.yaml`` run once into a temporary folder: (params file, output folder)."""
    tmp_path = tmp_path_factory.mktemp("run_2561")
    raw = yaml.safe_load((config.PARAMS_DIR / "2561.yaml").read_text(encoding="utf-8"))
    assert raw["province_code"] == 60 and "provinces" not in raw
    raw["inputs"] = [str(config.PROJECT_ROOT / p) for p in raw["inputs"]]
    raw["catalog"] = str(config.PROJECT_ROOT / raw["catalog"])
    raw["output"]["dir"] = str(tmp_path / "reports")  # every other setting as it is
    params = tmp_path / "2561.yaml"
    params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    r = runner.run(params, jobs=2, progress=False)
    assert r.exit_code == 0
    return params, tmp_path / "reports"


def test_params_2561_makes_the_same_files_and_provincial_figures(run_2561):
    params, out = run_2561
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


# ---------------------------------------------------------------- no path of this machine
def _parts(path: Path):
    """The bytes a reader of ``path`` may get at: a PDF's streams inflated, an Office file's
    (or a zip's) members, any other file whole."""
    import re
    import zipfile
    import zlib

    data = path.read_bytes()
    if path.suffix in (".xlsx", ".pptx"):
        with zipfile.ZipFile(path) as z:
            yield from (z.read(n) for n in z.namelist())
        return
    yield data
    if path.suffix == ".pdf":
        for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
            try:
                yield zlib.decompress(m.group(1))
            except zlib.error:
                continue  # not a Flate stream (an image): no text in it


def _paths_in(out: Path, suffixes: tuple[str, ...], names=None) -> dict[str, list[bytes]]:
    """Files of ``out`` holding the run machine's folders: the repository, the output folder,
    the home folder, or any /tmp/ path; each with what it says around the first hit."""
    needles = {str(config.PROJECT_ROOT), str(out), str(Path.home()), "/tmp/"}
    hits: dict[str, list[bytes]] = {}
    for p in sorted(out.rglob("*")):
        if not p.is_file() or p.suffix not in suffixes or (names and p.name not in names):
            continue
        for part in _parts(p):
            for n in needles:
                i = part.find(n.encode())
                if i >= 0:
                    hits.setdefault(str(p.relative_to(out)), []).append(
                        part[max(0, i - 40) : i + 60]
                    )
    return hits


def test_no_output_names_a_folder_of_the_machine_that_made_it(run_2561):
    """PDF, HTML, executed notebooks, forms and annexes, decks, and the bundle's JSON: no
    absolute path (a reader learns nothing of the machine, and nothing is wrong elsewhere)."""
    _, out = run_2561
    kinds = (".pdf", ".html", ".ipynb", ".xlsx", ".pptx")
    scanned = [p for p in out.rglob("*") if p.suffix in kinds]
    assert {p.suffix for p in scanned} == set(kinds) and len(scanned) > 100
    assert _paths_in(out, kinds) == {}
    bundle_json = ("manifest.json", "run.json", "bundle.json")  # bundle/*.json, bundle.json
    in_bundle = {
        k: v for k, v in _paths_in(out, (".json",), bundle_json).items() if k != "run.json"
    }  # the top-level run.json: the test below
    assert in_bundle == {}


def test_the_run_record_names_no_folder_of_the_machine(run_2561):
    _, out = run_2561
    assert _paths_in(out, (".json",), ("run.json",)).get("run.json") is None
