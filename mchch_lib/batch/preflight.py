"""What ``mchch run`` checks before it starts any work, so a wrong setting stops the run at once
with a Thai and English message (exit 2) instead of a traceback after minutes of work: the
output folder can be written, and the year of the params agrees with the catalog's year and
with the application dates in the data."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path

from mchch_lib.common.thai import BE_OFFSET, fiscal_year_be
from mchch_lib.errors import MchchError


def check_writable(out: Path) -> None:
    """The output folder exists (or can be made) and a file can be written in it."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".mchch-write-test-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise MchchError(
            f"{out}: เขียนไฟล์ลงโฟลเดอร์ผลลัพธ์ไม่ได้ ({e.strerror}) ให้ตรวจสิทธิ์หรือเปลี่ยน output.dir "
            f"ใน params / cannot write to the output folder ({e.strerror}); check its "
            "permissions or change output.dir in the params"
        ) from e


def start(params, allow_year_mismatch: bool = False) -> list:
    """The checks of every run before any work, in order: the output folder can be written
    (and a killed run's partial files in it and its font folder are removed), the inputs hold
    something, the catalog's year is the params' year. Returns the input sources."""
    from mchch_lib.common.atomic import remove_partials, remove_stale_font_folders
    from mchch_lib.data.ingest import discover

    check_writable(params.output_dir)
    remove_partials(params.output_dir)
    remove_stale_font_folders()
    sources = discover(list(params.inputs))
    if not sources:
        raise MchchError(
            f"{', '.join(map(str, params.inputs))}: ไม่พบไฟล์ข้อมูลใน inputs ของ params / "
            "the params inputs hold no workbook or CSV sheet"
        )
    if not allow_year_mismatch:
        check_catalog_year(params)
    return sources


def check_catalog_year(params) -> None:
    """The catalog is the catalog of the params' year."""
    from mchch_lib.data.catalog import load_catalog

    catalog = load_catalog(params.catalog)
    if catalog.year != params.year:
        raise MchchError(
            f"{params.path}: ปี {params.year} ใน params ไม่ตรงกับปีของเกณฑ์มาตรฐาน "
            f"{catalog.year} ({params.catalog}) / the params year {params.year} differs from "
            f"the catalog's year {catalog.year}; fix one of them or run with "
            "--allow-year-mismatch"
        )


def check_data_year(params, ds) -> None:
    """Most application dates fall in the params' year (calendar or fiscal, Buddhist Era): a
    params file copied from last year and pointed at this year's data is caught here."""
    dates = ds.applicants["applied_on"].dropna()
    if not len(dates):
        return
    in_year = sum(
        1
        for d in dates
        if d.year + BE_OFFSET == params.year or fiscal_year_be(d.date()) == params.year
    )
    if in_year * 2 >= len(dates):
        return
    years = Counter(d.year + BE_OFFSET for d in dates).most_common(3)
    seen = ", ".join(f"{y} ({n})" for y, n in years)
    raise MchchError(
        f"{params.path}: ปี {params.year} ใน params ไม่ตรงกับวันที่สมัครในข้อมูล (พ.ศ. {seen}) / "
        f"the params year {params.year} disagrees with the application dates in the data "
        f"(B.E. {seen}); fix the params or the data, or run with --allow-year-mismatch"
    )
