"""Paths of the project, in one place (STYLE: paths come from one config module)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
FONTS_DIR = PACKAGE_DIR / "fonts"
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def _find_project_root() -> Path:
    env = os.environ.get("MCHCH_ROOT")
    if env:
        return Path(env).resolve()
    # An editable install lives inside the checkout; fall back to the working directory.
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


PROJECT_ROOT = _find_project_root()
DATA_DIR = PROJECT_ROOT / "data"
PARAMS_DIR = PROJECT_ROOT / "params"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
SAMPLE_DIR = DATA_DIR / "sample"
CATALOG_DIR = DATA_DIR / "catalog"
REFERENCE_DIR = DATA_DIR / "reference"
PROCESSED_DIR = Path(os.environ.get("MCHCH_CACHE_DIR", DATA_DIR / "processed"))

NATIONAL_DISTRICTS_CSV = RESOURCES_DIR / "districts.csv"
NATIONAL_SUBDISTRICTS_CSV = RESOURCES_DIR / "subdistricts.csv"
#: The 77 provinces with their region (ภาค): the national scope of a run (``provinces: all``).
NATIONAL_PROVINCES_CSV = RESOURCES_DIR / "provinces.csv"
RULES_YAML = RESOURCES_DIR / "rules.yaml"
#: A person's decisions on units across years (mchch_lib.analysis.matching): same / different.
MATCHES_CSV = REFERENCE_DIR / "matches.csv"


def catalog_path(year: int) -> Path:
    """The standards catalog (เกณฑ์มาตรฐาน) file of a Buddhist-Era year."""
    return CATALOG_DIR / f"{year}.yaml"


def sample_dir(year: int) -> Path:
    """The sample workbooks of a Buddhist-Era year (``python -m mchch_lib.sample``)."""
    return SAMPLE_DIR / str(year)


#: Output mimetype of the provenance record a report notebook displays (read by the renderer).
PROVENANCE_MIME = "application/vnd.mchch.provenance+json"


def decline_slow_optional_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in a batch process.

    jsonschema imports that optional package when it is installed (JupyterLab's dependencies
    bring it) to check "iri" formats, and it compiles an Earley grammar at import: about 0.8 s
    in every process that checks params or a notebook (the CLI, each worker, each kernel).
    mchch checks no "iri" format, so the batch declines it. Planners' own kernels and
    JupyterLab are not touched.
    """
    import sys

    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
