"""End to end on the sample (2561, and 2562 beside 2561): the report PDFs an official reads speak
Thai only (no English word, no file name or path of any machine), the province's first three
pages give the year's outcome (รับรอง and the certified count) and every report keeps to its
page budget (district ≤ 10 pages, province ≤ 12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from mchch_lib import config
from mchch_lib.batch import run as runner
from mchch_lib.documents import report

pytestmark = pytest.mark.slow

#: An English word: four Latin letters or more (the masked ID's x's are not a word).
ENGLISH = re.compile(r"[A-Za-z]{4,}")
#: A path or a file name: folders, a drive, a home, or a data file's extension.
PATH = re.compile(r"(?:[A-Za-z]:\\|/home/|/Users/|/tmp/|\w/\w+/|\.(?:xlsx|csv|ya?ml|json)\b)")
PAGES = {"district": 10, "province": 12}


def _params(tmp: Path, year: int, **extra) -> Path:
    raw = yaml.safe_load((config.PARAMS_DIR / f"{year}.yaml").read_text(encoding="utf-8"))
    raw["inputs"] = [str(config.PROJECT_ROOT / p) for p in raw["inputs"]]
    raw["catalog"] = str(config.PROJECT_ROOT / raw["catalog"])
    raw.pop("compare_with", None)
    raw.update(extra)
    raw["output"] = {**raw["output"], "dir": str(tmp / f"reports{year}"), "forms": False,
                     "deck": False, "bundle": False}  # fmt: skip
    path = tmp / f"{year}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[int, tuple[Path, Path]]:
    tmp = tmp_path_factory.mktemp("pages")
    p61 = _params(tmp, 2561)
    p62 = _params(tmp, 2562, compare_with=[str(p61)])
    out = {}
    for year, p in ((2561, p61), (2562, p62)):
        assert runner.run(p, jobs=2, progress=False).exit_code == 0
        out[year] = (p, tmp / f"reports{year}")
    return out


def _pdfs(folder: Path) -> list[Path]:
    return [folder / "province.pdf", *sorted((folder / "districts").glob("*.pdf"))]


def _pages(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


@pytest.mark.parametrize("year", [2561, 2562])
def test_report_pdfs_are_thai_only_without_paths_and_keep_their_page_budget(runs, year):
    params, folder = runs[year]
    pdfs = _pdfs(folder)
    assert len(pdfs) == 16
    for pdf in pdfs:
        pages = _pages(pdf)
        text = "\n".join(pages)
        words = [w for w in ENGLISH.findall(text) if set(w) != {"x"}]
        assert words == [], f"{pdf.name}: {sorted(set(words))[:20]}"
        assert not PATH.search(text), f"{pdf.name}: {PATH.search(text).group(0)}"
        assert str(folder.parent) not in text and str(config.PROJECT_ROOT) not in text
        kind = "province" if pdf.name == "province.pdf" else "district"
        assert len(pages) <= PAGES[kind], f"{pdf.name}: {len(pages)} pages"


def test_the_province_s_first_three_pages_give_the_certified_count(runs):
    params, folder = runs[2561]
    first = "\n".join(_pages(folder / "province.pdf")[:3])
    n = len(report.province_context(params).certified)
    assert n > 0 and "รับรอง" in first
    assert re.search(rf"ผ่านการรับรอง\D{{0,40}}\b{n}\b", first.replace("\n", " ")), first[:2000]
