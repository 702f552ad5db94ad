"""The project's own files install everything; conda and pip agree."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req, maxsplit=1)[0].lower().replace("_", "-")


def _spec(req: str) -> str:
    return req[len(re.split(r"[<>=!~ \[;]", req, maxsplit=1)[0]) :].replace(" ", "")


def test_environment_yml_matches_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {_name(r): _spec(r) for r in pyproject["project"]["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {}
    pip_section = None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
            continue
        if _name(dep) not in ("python", "pip"):
            conda[_name(dep)] = _spec(dep)
    assert "conda-forge" in env["channels"]
    assert any(d.startswith("python=3.11") for d in env["dependencies"] if isinstance(d, str))
    assert pip_section == ["-e ."]
    assert conda == runtime


def test_ci_calls_make_test_and_readme_starts_with_the_two_commands():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme[: readme.index("## ", 10) if "## " in readme[10:] else len(readme)]
    assert "make reports" in first_block and "make test" in first_block


def test_no_tracked_notebook_has_outputs():
    import json

    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        assert not any(c.get("outputs") or c.get("execution_count") for c in cells), nb


def test_public_api_names_resolve():
    import mchch_lib

    for name in mchch_lib.__all__:
        assert getattr(mchch_lib, name) is not None, name
    with pytest.raises(AttributeError):
        _ = mchch_lib.no_such_name


def test_committed_notebooks_are_what_the_generator_writes(tmp_path):
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "tools" / "make_notebooks.py"), str(tmp_path)],
                   check=True)  # fmt: skip
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert (tmp_path / nb.name).read_bytes() == nb.read_bytes(), nb.name


def test_data_contract_doc_names_every_sheet_and_column():
    from mchch_lib.data.contract import SHEETS

    doc = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    for spec in SHEETS.values():
        assert f"`{spec.th}`" in doc, spec.th
        for col in spec.columns:
            assert col.th in doc, (spec.th, col.th)
