"""What ``mchch run`` checks before it starts any work, so a wrong setting stops the run at once
with a Thai and English message (exit 2) instead of a traceback after minutes of work: the
output folder is not inside an input folder, no other run holds it (one run per output
folder: ``output_lock``), it can be written, a Dask scheduler named answers, and the year of
the params agrees with the catalog's year and with the application dates in the data."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
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


def check_outside_inputs(params) -> None:
    """The output folder is neither an input folder nor inside one: the next run would read
    its own outputs (and a clean-up of the outputs would touch the inputs)."""
    out = Path(params.output_dir).resolve()
    for inp in params.inputs:
        folder = Path(inp).resolve()
        if folder.is_dir() and (out == folder or folder in out.parents):
            raise MchchError(
                f"{params.output_dir}: โฟลเดอร์ผลลัพธ์อยู่ในโฟลเดอร์ข้อมูลนำเข้า {inp} ให้เปลี่ยน "
                f"output.dir ใน params ไปไว้นอกโฟลเดอร์ข้อมูล / the output folder is inside the "
                f"input folder {inp}; set output.dir in the params to a folder outside the inputs"
            )


#: The lock file of an output folder (``output_lock``); never removed, only locked.
LOCK_NAME = ".mchch-run.lock"
_HELD: list[int] = []  # descriptors of the locks this process holds (workers close theirs)


@contextlib.contextmanager
def output_lock(out: Path, wait: bool = False) -> Iterator[None]:
    """Hold the output folder for one run (``fcntl.flock``: the system releases it when the
    run ends, even killed). Held by another run: ``MchchError`` naming it (pid, host, start,
    command), or with ``wait`` wait for it."""
    import datetime as dt
    import fcntl
    import json
    import socket

    check_writable(out)
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise MchchError(
                    f"{out}: มีการรันอื่นกำลังใช้โฟลเดอร์ผลลัพธ์นี้อยู่ ({holder}) ให้รอจนเสร็จหรือรันด้วย "
                    f"--wait / another run is using this output folder ({holder}); wait for it "
                    "to end or rerun with --wait"
                ) from None
            print(f"mchch run: รอการรันอื่นที่ใช้ {out} อยู่ ({holder}) / waiting for the run "
                  "holding this output folder", file=sys.stderr, flush=True)  # fmt: skip
            fcntl.flock(fd, fcntl.LOCK_EX)
        me = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": dt.datetime.now().isoformat(timespec="seconds"),
              "command": " ".join(sys.argv)}  # fmt: skip
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me, ensure_ascii=False).encode("utf-8"), 0)
        _HELD.append(fd)
        yield
    finally:
        if fd in _HELD:
            _HELD.remove(fd)
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    """Who holds a lock, as its lock file says."""
    import json

    try:
        h = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return (f"pid {h['pid']} บน/on {h['host']}, เริ่ม/started {h['started']}, "
                f"{h['command']}")  # fmt: skip
    except (ValueError, KeyError, TypeError):
        return "pid ?"  # being written at this instant


def close_inherited_locks() -> None:
    """In a process forked from a run: close its copies of the run's lock (the lock stays
    the run's; it is released when the run ends even if this process lives on)."""
    while _HELD:
        os.close(_HELD.pop())


def check_scheduler(address: str | None, timeout_s: float = 5.0) -> None:
    """A Dask scheduler's address answers (a TCP connection), so an unreachable one stops the
    run in seconds, before validation."""
    import socket
    from urllib.parse import urlsplit

    if not address:
        return
    u = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = u.port or 8786
        with socket.create_connection((u.hostname or "localhost", port), timeout=timeout_s):
            pass
    except (OSError, ValueError) as e:
        why = getattr(e, "strerror", None) or str(e)
        raise MchchError(
            f"{address}: ติดต่อ Dask scheduler ไม่ได้ ({why}) ให้ตรวจที่อยู่หรือเปิด scheduler ก่อน / "
            f"cannot reach the Dask scheduler ({why}); check the address or start it first"
        ) from e


def start(params, allow_year_mismatch: bool = False) -> list:
    """The checks of every run before any work, in order (the run holds its output folder,
    ``output_lock``): a killed run's partial files in the output folder and its font folder
    are removed, the inputs hold something, the catalog's year is the params' year. Returns
    the input sources."""
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


def check_data_year(params, dates) -> None:
    """Most application dates (``dates``: a Series of them, e.g. ``applicants["applied_on"]``)
    fall in the params' year (calendar or fiscal, Buddhist Era): a params file copied from
    last year and pointed at this year's data is caught here."""
    dates = dates.dropna()
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
