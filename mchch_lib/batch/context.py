"""A run's context, built once when ``mchch run`` starts and handed down to every part of the
batch (the gate, the plan, the deliverables, the summary), instead of each part re-deriving
"which province, which catalog, which year, which folder" from the params file.

A national run hands each of its provinces a context of its own (``for_province``): what a
run of that province alone would have.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from mchch_lib import config
from mchch_lib.data.params import Params, load_params


@dataclass(frozen=True)
class RunOptions:
    """How the run was asked for (the ``mchch run`` flags)."""

    districts: list[int] | None = None
    force: bool = False
    allow_errors: bool = False
    progress: bool = True
    strict: bool = False
    allow_year_mismatch: bool = False
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    executor: str = "local"  # or "dask" (batch.dask_pool)
    scheduler: str | None = None  # a Dask scheduler's address; None: a LocalCluster


@dataclass(frozen=True)
class RunContext:
    """The params, the province (or the provinces), the catalog, the year and the output
    folder of one run, with its options and its notebooks."""

    params: Params
    opts: RunOptions = RunOptions()
    notebooks_dir: Path = config.NOTEBOOKS_DIR

    @classmethod
    def build(
        cls, params_path: str | Path, opts: RunOptions, notebooks_dir: Path | None = None
    ) -> RunContext:
        """The context of a run of ``params_path`` (the one place a run reads its params)."""
        nb_dir = Path(notebooks_dir) if notebooks_dir else config.NOTEBOOKS_DIR
        return cls(load_params(params_path), opts, nb_dir)

    def for_province(self, params: Params) -> RunContext:
        """A province's own context inside a national run (its derived params)."""
        return replace(self, params=params)

    @property
    def year(self) -> int:
        return self.params.year

    @property
    def output_dir(self) -> Path:
        return self.params.output_dir

    @property
    def is_national(self) -> bool:
        return self.params.is_national

    @property
    def province_codes(self) -> tuple[int, ...]:
        """The province of the run, or a national run's provinces."""
        p = self.params
        return p.provinces if p.is_national else (p.province_code,)

    @cached_property
    def province(self):
        """The province (``reference.Province``: its districts' names); None nationally."""
        from mchch_lib.data.reference import load_province

        return None if self.is_national else load_province(self.params.province_code)

    @cached_property
    def catalog(self):
        """The year's catalog of standards and indicators (``data.catalog``)."""
        from mchch_lib.data.catalog import load_catalog

        return load_catalog(self.params.catalog)


__all__ = ["RunContext", "RunOptions"]
