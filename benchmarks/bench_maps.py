"""Figures for the maps (issue 24): seconds to draw each map of the sample and write its SVG
(the median of 5, after one to read the boundaries), and the KB it adds to a PDF (a page of
the report's CSS with the map, less the same page without). Exits 1 when a bound is missed:
<= 0.3 s a map, <= 300 KB a map in a PDF.

    python benchmarks/bench_maps.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_national import national_params, write_district  # noqa: E402

from mchch_lib import config  # noqa: E402
from mchch_lib.documents import display, maps, report  # noqa: E402
from mchch_lib.render import exporters  # noqa: E402

SECONDS, KB = 0.3, 300


def _page(body: str) -> str:
    return (f"<html><head><style>{exporters.report_css()}</style></head>"
            f"<body><p>แผนที่</p>{body}</body></html>")  # fmt: skip


def _maps(tmp: Path):
    """(label, context, figure) of every map the reports draw; the nation from a few
    districts (the map draws all 77 provinces whatever sent)."""
    for year in (2561, 2562):
        ctx = report.province_context(config.PARAMS_DIR / f"{year}.yaml")
        for figure in ("post_pct", "ready_pct"):
            yield f"province {year} {figure}", ctx, figure
    for code in (1501, 1701, 5001, 6001, 9001):
        write_district(tmp / "in", code, n=3)
    nation = report.national_context(national_params(tmp, tmp / "in"))
    for figure in ("post_pct", "reporting_pct"):
        yield f"national {figure}", nation, figure


def main() -> int:
    ok = True
    blank = len(exporters.html_to_pdf_bytes(_page("")))
    with tempfile.TemporaryDirectory() as d:
        for label, ctx, figure in _maps(Path(d)):
            display._svg(maps.choropleth(ctx, figure), "none")  # boundaries read once
            times = []
            for _ in range(5):
                start = time.perf_counter()
                svg = display._svg(maps.choropleth(ctx, figure), "none")
                times.append(time.perf_counter() - start)
            kb = (len(exporters.html_to_pdf_bytes(_page(svg))) - blank) / 1024
            seconds = statistics.median(times)
            print(f"{label:26s} {seconds:.3f} s (median of 5), {kb:.0f} KB in a PDF")
            ok &= seconds <= SECONDS and kb <= KB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
