"""One exception hierarchy. Data problems are *values* (see validate.Problem), not exceptions;
these are raised only when a run cannot go on at all."""

from __future__ import annotations


class MchchError(Exception):
    """Base of every error mchch raises on purpose."""


class CatalogError(MchchError):
    """The standards catalog file is broken (names the file and the bad entry)."""


class ReferenceDataError(MchchError):
    """A reference table (districts, sub-districts) cannot be used."""


class InputReadError(MchchError):
    """An input file or folder cannot be read at all (not found, not a workbook, encrypted...)."""


class ParamsError(MchchError):
    """A params file does not match the schema (unknown or misspelt keys are errors)."""


class DiskFullError(MchchError):
    """A file could not be written: the disk (or the user's quota, or the file-size limit) is
    full. Names the file; what was being written is left unfinished under no final name."""


class RunTerminated(BaseException):
    """The batch received SIGTERM: it stops its workers and leaves what a kill leaves (exit
    143). A ``BaseException``, like ``KeyboardInterrupt``, so no ``except Exception`` of a job
    or a library swallows it."""
