"""Validation: raw sheets → clean typed tables + a list of located problems.

Data problems are values (``Problem``), collected lazily so one run shows all of them. Every
data row read ends up either in a clean table or named by at least one *error* problem; the
reconciliation table proves it per sheet.

The phases, one module per sheet or concern: ``workbook`` (sources read, headers, sheets),
``rows`` (one row's cells and fields), ``applicants`` (and officers, committee), ``scores``
(rounds and dates), ``plans`` (and sub-criteria), ``final_round`` (and the provincial
committee), ``registrations`` (one unit, one person, once), ``tables`` (clean tables and the
reconciliation); ``problems`` holds the rules and the problem list, ``problem_files`` writes it.
"""

from __future__ import annotations

import datetime as dt

from mchch_lib.data.catalog import Catalog
from mchch_lib.data.contract import Dataset
from mchch_lib.data.ingest import DEFAULT_LIMITS, ReadLimits, Source
from mchch_lib.data.reference import Province
from mchch_lib.data.validate.applicants import (
    _check_applicant_officers,
    _check_applicants,
    _check_people,
)
from mchch_lib.data.validate.final_round import _check_final_round, _check_province_committee
from mchch_lib.data.validate.plans import PLAN_ITEMS, _check_plans, _check_subcriteria
from mchch_lib.data.validate.problem_files import write_problem_files, write_problems_xlsx
from mchch_lib.data.validate.problems import (
    PROBLEM_KEYS,
    UNREADABLE_PREFIXES,
    Problem,
    RuleDef,
    located,
    problems_frame,
    problems_json,
    rules,
    unreadable,
)
from mchch_lib.data.validate.registrations import (
    _check_certified_once,
    _check_officer_applicants,
    _check_people_across_files,
    _check_registered_once,
)
from mchch_lib.data.validate.scores import _check_missing_rounds, _check_scores
from mchch_lib.data.validate.state import ScoreCell, _Validation
from mchch_lib.data.validate.tables import _clean_tables, _reconcile
from mchch_lib.data.validate.workbook import _read_all

#: The phases, in order: a sheet's rules live in its own function; later sheets are checked
#: against the applicants, which come first.
_PHASES = (
    _check_applicants,
    lambda v: _check_people(v, "officers"),
    lambda v: _check_people(v, "committee"),
    _check_people_across_files,
    _check_applicant_officers,
    _check_registered_once,
    _check_officer_applicants,
    _check_scores,
    _check_missing_rounds,
    _check_plans,
    _check_subcriteria,
    _check_final_round,
    _check_certified_once,
    _check_province_committee,
)


def validate_sources(
    sources: list[Source],
    catalog: Catalog,
    province: Province,
    deadline_41: dt.date | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    deadline_42: dt.date | None = None,
) -> Dataset:
    """Read and validate every source; return the clean tables, problems and reconciliation."""
    v = _Validation(catalog, province, deadline_41, deadline_42)
    _read_all(v, sources, limits)
    for phase in _PHASES:
        phase(v)
    t = _clean_tables(v)
    return Dataset(
        t["applicants"],
        t["scores"],
        t["officers"],
        t["committee"],
        t["plans"],
        problems_frame(v.c.problems),
        _reconcile(v),
        province_code=province.code,
        year=catalog.year,
        subcriteria=t["subcriteria"],
        final_round=t["final_round"],
        final_scores=t["final_scores"],
        province_committee=t["province_committee"],
    )


__all__ = [
    "DEFAULT_LIMITS",
    "PLAN_ITEMS",
    "PROBLEM_KEYS",
    "UNREADABLE_PREFIXES",
    "Problem",
    "RuleDef",
    "ScoreCell",
    "located",
    "problems_frame",
    "problems_json",
    "rules",
    "unreadable",
    "validate_sources",
    "write_problem_files",
    "write_problems_xlsx",
]
