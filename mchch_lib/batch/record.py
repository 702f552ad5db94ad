"""``run.json``: what a run made (status, seconds, sha256 of every file, keys) and whether the
run is complete. The next run compares against it: a report whose key and files are unchanged
is skipped, and a run with nothing changed stops at once.

Every path it holds is relative to its own folder (the output folder), so the record names no
folder of this machine and stays right when the folder is moved; records of an older run with
absolute paths are read as they are.

A run is complete only when every report **and every deliverable (the bundle included)** is
made: a run killed while writing the bundle is not complete, so the next run makes it again.
The record is written atomically after each finished report, so a killed run keeps what it
finished.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mchch_lib.common.atomic import sha256_file, write_text
from mchch_lib.common.sanitize import mask_ids

if TYPE_CHECKING:
    from mchch_lib.batch.worker import JobResult


@dataclass
class RunResult:
    """What a run returns: its exit code, every job's result and where its record is."""

    exit_code: int
    results: list[JobResult]
    run_json: Path | None
    message: str = ""

    @property
    def failed(self) -> list[str]:
        return [r.id for r in self.results if r.status == "failed"]


def stopped(exit_code: int, message: str) -> RunResult:
    """A run stopped before any report, its reason (Thai and English) printed to stderr."""
    import sys

    print(message, file=sys.stderr)
    return RunResult(exit_code, [], None, message)


def stopped_unreadable(n: int) -> RunResult:
    """``--strict`` with files that could not be read: exit 2."""
    return stopped(2, f"mchch run: {n} ไฟล์อ่านไม่ได้ (--strict) / unreadable file(s) with "
                      "--strict; nothing rendered")  # fmt: skip


def stopped_errors(n: int, where: str, scope: str = "") -> RunResult:
    """Data errors without ``--allow-errors``: exit 1, saying where the list of them is."""
    return stopped(
        1,
        f"mchch run: ข้อผิดพลาดในข้อมูล {n} รายการ ยังไม่ได้จัดทำรายงาน (ดู {where}) / {n} data "
        f"error(s){scope}; nothing rendered. Fix them or rerun with --allow-errors.",
    )


def _files_match(files: dict[str, str], base: Path) -> bool:
    return all((base / p).exists() and sha256_file(base / p) == s for p, s in files.items())


def relative(path: str | Path, base: Path) -> str:
    """``path`` as the record keeps it: relative to ``base`` (``..`` where it lies outside)."""
    import os

    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    return Path(os.path.relpath(path, base)).as_posix()


def relative_files(files: dict, base: Path) -> dict[str, str]:
    """A ``{path: sha256}`` map with its paths relative to ``base``."""
    return {relative(p, base): h for p, h in files.items()}


#: The deliverables' entries that list files (``jobs.finish``).
_PATH_LISTS = ("forms", "decks", "certificates")


class RunRecord:
    """The run record of one output folder: the previous run's, and this run's as it goes."""

    def __init__(self, path: Path):
        self.path = path
        self.base = path.parent  # the folder its paths are relative to
        self.previous = self._read(path)
        self.state: dict = {}

    @staticmethod
    def _read(path: Path) -> dict:
        if path.exists():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                return {}  # a damaged record only costs a full rerun
        return {}

    # ---------------------------------------------------------------- reading the previous run
    def up_to_date(self, fingerprint: str) -> bool:
        """The previous run was complete, had the same fingerprint, and every file it made
        (reports, forms, decks, the bundle) is still there unchanged."""
        prev = self.previous
        if not prev.get("complete") or prev.get("fingerprint") != fingerprint:
            return False
        files = {p: s for o in prev.get("outputs", {}).values() for p, s in o["files"].items()}
        files |= prev.get("deliverables", {}).get("files", {})
        return _files_match(files, self.base)

    def fresh(self, job) -> bool:
        """The previous run made this job's report with the same key, files unchanged."""
        prev = self.previous.get("outputs", {}).get(job.id)
        if not prev or prev.get("status") != "ok" or prev.get("key") != job.key:
            return False
        return _files_match(prev["files"], self.base)

    def previous_seconds(self, job_id: str) -> float | None:
        """How long the previous run took to make a job (None when it did not make it)."""
        prev = self.previous.get("outputs", {}).get(job_id) or {}
        return prev.get("seconds") if prev.get("status") == "ok" else None

    def previous_files(self, job_id: str) -> dict[str, str]:
        """The files (full paths, with their sha256) the previous run recorded for a job."""
        return {str(self.base / p): h for p, h in self.previous["outputs"][job_id]["files"].items()}

    def where(self, path: str | Path) -> Path:
        """The full path of a path the record holds."""
        return self.base / path

    def relative(self, path: str | Path) -> str:
        """A path as the record holds it (relative to its folder)."""
        return relative(path, self.base)

    # ---------------------------------------------------------------- writing this run
    def start(self, meta: dict, job_ids: set[str]) -> None:
        """Begin this run's record: its metadata, and the previous outputs still planned."""
        import uuid

        if meta.get("params"):
            meta = {**meta, "params": relative(meta["params"], self.base)}
        if meta.get("inputs"):  # labels: relative to where the run started, else full paths
            meta = {**meta, "inputs": relative_files(meta["inputs"], self.base)}
        self.state = {
            **meta,
            "run_id": uuid.uuid4().hex,  # outputs made by this run carry it
            "complete": False,
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "outputs": {k: v for k, v in self.previous.get("outputs", {}).items() if k in job_ids},
        }
        if "deliverables" in self.previous:
            self.state["deliverables"] = self.previous["deliverables"]
        self.save()

    def report(self, job, result, input_hash: str) -> None:
        """Record a finished (or failed) report at once."""
        self.state["outputs"][job.id] = {
            "kind": job.kind,
            "title": job.title,
            "status": result.status,
            "seconds": round(result.seconds, 3),
            "key": result.key,
            "input_hash": input_hash,
            "files": relative_files(result.outputs, self.base),
            "error": mask_ids(result.error) if result.error else None,
            "timings": result.timings,
            "run_id": self.state["run_id"],
        }
        self.save()

    def deliverables(self, info: dict) -> None:
        """Record the forms, decks and bundle (with the sha256 of each file made)."""
        info = {
            k: [relative(p, self.base) for p in v] if k in _PATH_LISTS else v
            for k, v in info.items()
        }
        info["files"] = relative_files(info.get("files", {}), self.base)
        self.state["deliverables"] = info
        self.save()

    def finish(self, complete: bool, seconds: float) -> None:
        """Close the record; only a complete run lets the next one stop at once."""
        self.state["complete"] = complete
        self.state["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        self.state["seconds"] = round(seconds, 3)
        if not complete:
            self.state["fingerprint"] = None
        self.save()

    def save(self) -> None:
        write_text(self.path, json.dumps(self.state, ensure_ascii=False, indent=1))


def made_by_last_run(run_json: Path) -> set[str]:
    """The outputs (job ids) the run recorded in ``run_json`` made itself (not skipped)."""
    state = json.loads(run_json.read_text(encoding="utf-8"))
    return {k for k, v in state["outputs"].items() if v.get("run_id") == state.get("run_id")}
