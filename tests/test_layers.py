"""The import layering of mchch_lib, read from the tree: a module's layer is its stage folder
(``mchch_lib.STAGES``, lowest first); the ground floor (``version``, ``config``, ``errors``) sits
below every stage and ``cli`` above them. A module imports only from its own folder or below, at
module level or inside a function (imports under ``if TYPE_CHECKING:`` are annotations only)."""

from __future__ import annotations

import ast
from pathlib import Path

import mchch_lib

PACKAGE = Path(mchch_lib.__file__).parent
GROUND = ("version", "config", "errors")
TOP = ("cli",)


def levels() -> dict[str, int]:
    """Every top-level name of the package and its floor, from the folders and STAGES."""
    order = [*GROUND, *mchch_lib.STAGES, *TOP]
    return {name: i for i, name in enumerate(order)}


def _unit_of(path: Path, package: Path = PACKAGE) -> str:
    """The stage folder (or ground-floor module) a file belongs to."""
    rel = path.relative_to(package).with_suffix("")
    return rel.parts[0]


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (annotations only, no import)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            out |= {id(n) for child in node.body for n in ast.walk(child)}
    return out


def imports_of(path: Path, root: Path = PACKAGE) -> set[str]:
    """Top-level units of mchch_lib a file imports (relative or absolute, anywhere in it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    package = ["mchch_lib", *path.relative_to(root).parts[:-1]]
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                full = [*base, *(node.module.split(".") if node.module else [])]
            else:
                full = node.module.split(".")
            if full[0] != "mchch_lib":
                continue
            out.update([full[1]] if len(full) > 1 else [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "mchch_lib" and len(parts) > 1:
                    out.add(parts[1])
    return out


def upward_imports(package: Path = PACKAGE) -> list[str]:
    """'file (unit) imports other' for each import of a unit on a higher floor."""
    level = levels()
    found = []
    for p in sorted(package.rglob("*.py")):
        if p == package / "__init__.py":
            continue  # the public surface names anything, lazily
        me = _unit_of(p, package)
        for other in imports_of(p, package):
            if other in level and other != me and level[other] > level[me]:
                found.append(f"{p.relative_to(package)} ({me}) imports {other}")
    return found


def test_every_folder_and_module_has_a_floor():
    units = {_unit_of(p) for p in PACKAGE.rglob("*.py")} - {"__init__"}
    assert units - set(levels()) == set()
    assert set(mchch_lib.STAGES) <= {p.name for p in PACKAGE.iterdir() if p.is_dir()}


def test_at_most_six_modules_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 6, top


def test_no_module_imports_a_floor_above_its_own():
    assert upward_imports() == []


def test_the_check_sees_a_planted_upward_import(tmp_path):
    """A data module importing the batch is caught (the test is not vacuous)."""
    import shutil

    copy = tmp_path / "mchch_lib"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "fonts"))
    victim = copy / "data" / "params.py"
    victim.write_text(victim.read_text(encoding="utf-8") + "\nfrom mchch_lib.batch import run\n")
    found = upward_imports(copy)
    assert found == ["data/params.py (data) imports batch"]


def test_no_function_over_80_lines():
    long = []
    for p in PACKAGE.rglob("*.py"):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([d.lineno for d in node.decorator_list] + [node.lineno])
                if node.end_lineno - first + 1 > 80:
                    long.append(f"{p.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert long == []


def modules_over(limit: int, package: Path = PACKAGE) -> list[str]:
    """'path: n lines' for each module of the package longer than ``limit`` lines."""
    found = []
    for p in sorted(package.rglob("*.py")):
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > limit:
            found.append(f"{p.relative_to(package)}: {n} lines")
    return found


def test_no_module_over_600_lines():
    assert modules_over(600) == []


def test_the_check_sees_a_planted_601_line_module(tmp_path):
    """A module of 601 lines is caught, one of 600 is not (the limit is not off by one)."""
    (tmp_path / "stage").mkdir()
    (tmp_path / "stage" / "long.py").write_text("x = 1\n" * 601, encoding="utf-8")
    (tmp_path / "stage" / "just.py").write_text("x = 1\n" * 600, encoding="utf-8")
    assert modules_over(600, tmp_path) == ["stage/long.py: 601 lines"]


def test_the_layout_page_names_every_folder_in_stage_order():
    """docs/layout.md shows each code folder of the package once, the stages in STAGES order."""
    text = (PACKAGE.parent / "docs" / "layout.md").read_text(encoding="utf-8")
    tree = text.split("```")[1]
    first_words = [line.split()[0] for line in tree.splitlines() if line.split()]
    named = [w for w in first_words if w.endswith("/")]
    folders = {p.parent.name for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE}
    assert folders <= {n.rstrip("/") for n in named}
    stages = [n.rstrip("/") for n in named if n.rstrip("/") in mchch_lib.STAGES]
    assert stages == list(mchch_lib.STAGES)
