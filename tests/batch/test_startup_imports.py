"""A batch's start-up: the ``mchch`` command (and each worker it forks) reads notebooks without
jsonschema's slow optional IRI checker (``config.decline_slow_optional_imports``), and nothing
it declines is missed."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import contextlib, io, sys
from mchch_lib import cli
with contextlib.redirect_stderr(io.StringIO()):
    cli.main(["run", "no-such-params.yaml"])  # declines, then fails on the missing file
import mchch_lib.batch.engine  # what every worker imports (nbformat, jsonschema)
import jsonschema, nbformat
print(sys.modules.get("rfc3987_syntax") is None)
for name in ("district_report", "province_report"):
    nbformat.validate(nbformat.read(f"notebooks/{name}.ipynb", as_version=4))
checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
print("iri" in checker.checkers, checker.conforms("not a date", "date"))
"""


def test_a_run_reads_notebooks_without_the_slow_iri_checker():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()  # fmt: skip
    # not imported; the notebooks still validate; the other format checkers still work
    assert out == ["True", "False", "False"]


def test_an_iri_checker_imported_before_is_left_alone():
    probe = (
        "import sys, types; sys.modules['rfc3987_syntax'] = types.ModuleType('rfc3987_syntax');"
        "from mchch_lib import config; config.decline_slow_optional_imports();"
        "print(type(sys.modules['rfc3987_syntax']).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.strip()  # fmt: skip
    assert out == "module"
