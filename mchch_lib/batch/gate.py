"""What the province run and the national run decide the same way, in one place:

- ``unchanged``: the "nothing changed" path: the previous run was complete with the same
  fingerprint and its files are as it left them, so the run stops at once;
- ``blocking``: the unreadable files and the count of data errors that block (errors that are
  not an unreadable file), from a problem table;
- ``gate``: after validation, stop before any report when the data says so (unreadable files
  with ``--strict``, data errors without ``--allow-errors``, application dates of another
  year), or let the run go on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from mchch_lib.batch import preflight
from mchch_lib.batch.record import RunRecord, RunResult, stopped_errors, stopped_unreadable


def unchanged(record: RunRecord, up_to_date: bool, opts, where: str) -> RunResult | None:
    """The run's result when nothing changed since a complete run (``up_to_date``: the
    run's own check of its record and files) and it is not forced: every output skipped,
    exit 0; None to go on."""
    from mchch_lib.batch.worker import JobResult

    if opts.force or not up_to_date:
        return None
    prev = record.previous
    if opts.progress:
        print(f"mchch run: ไม่มีอะไรเปลี่ยนตั้งแต่ {prev.get('finished')} (nothing changed); {where}")
    results = [
        JobResult(k, "skipped", 0.0, v["key"], record.previous_files(k))
        for k, v in prev["outputs"].items()
    ]
    return RunResult(0, results, record.path)


@dataclass
class Verdict:
    """What the gate needs of a run's validated data."""

    unreadable: list[dict] = field(default_factory=list)  # file, message_th, message_en
    errors: int = 0  # data errors that block (not counting unreadable files)
    dates: list = field(default_factory=list)  # application dates, one Series a province


def blocking(problems) -> tuple[list[dict], int]:
    """(the unreadable files, the number of blocking data errors) of a problem table."""
    from mchch_lib.data import validate

    unread = validate.unreadable(problems)
    n_err = int(((problems["severity"] == "error") & ~problems.index.isin(unread.index)).sum())
    files = [
        {"file": p.file, "message_th": p.message_th, "message_en": p.message_en}
        for p in unread.itertuples()
    ]
    return files, n_err


def gate(
    params,
    opts,
    verdict: Verdict,
    write_problems: Callable[[], None],
    where: str,
    scope: str = "",
    hold_back: Callable[[], None] | None = None,
) -> RunResult | None:
    """Stop before rendering when the data says so; None to go on. ``write_problems``
    writes the problem list(s) the messages point to (``where``; ``scope``: what the error
    count covers). ``hold_back`` (the national run): data errors without ``--strict`` hold
    back the provinces that have them instead of stopping the run."""
    for p in verdict.unreadable:
        print(f"mchch: {p['file']}: {p['message_th']} / {p['message_en']}", file=sys.stderr)
    stop_unread = bool(verdict.unreadable) and opts.strict
    stop_errors = bool(verdict.errors) and not opts.allow_errors
    if hold_back is None and (verdict.unreadable or verdict.errors):
        write_problems()  # a province run lists its problems whenever it has some
    elif stop_unread or stop_errors:
        write_problems()
    if stop_unread:
        return stopped_unreadable(len(verdict.unreadable))
    if stop_errors:
        if hold_back is None or opts.strict:
            return stopped_errors(verdict.errors, where, scope)
        hold_back()
    if not opts.allow_year_mismatch:
        for dates in verdict.dates:
            preflight.check_data_year(params, dates)
    return None


__all__ = ["Verdict", "blocking", "gate", "unchanged"]
