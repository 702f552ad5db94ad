"""The import layering of mchch_lib: a module imports only from its own layer or below, at
module level or inside a function. A new module must be given a layer here."""

from __future__ import annotations

import ast
from pathlib import Path

import mchch_lib

PACKAGE = Path(mchch_lib.__file__).parent

#: Lowest first. The batch and the command line sit on top; nothing imports them.
LAYERS = {
    "core": ["config", "errors", "outputs", "atomic", "thai", "safety", "fonts", "textfit",
             "templating"],
    "data": ["model", "reference", "catalog", "ingest", "validate", "dataset", "params",
             "summary", "sample", "template", "national", "completeness", "units"],
    "analysis": ["scoring", "compliance", "charts", "matching", "years", "development",
                 "final_round", "levels"],
    "documents": ["sections", "report", "display", "tables", "notebook_outputs", "render",
                  "pdftext", "svgtext", "explore", "starter"],
    "deliverables": ["forms", "deck", "bundle", "deliverables", "certificates"],
    "batch": ["batch", "preflight", "runner", "cli"],
    # the package's front door: it may name anything (lazily), nothing imports it but
    # for __version__
    "api": ["__init__"],
}  # fmt: skip
LEVEL = {m: i for i, (_, mods) in enumerate(LAYERS.items()) for m in mods}


def _module_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    return rel.parts[0] if rel.parts[0] != "__init__" or len(rel.parts) == 1 else rel.parts[0]


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (annotations only, no import)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            out |= {id(n) for child in node.body for n in ast.walk(child)}
    return out


def _imports(path: Path) -> set[str]:
    """Top-level mchch_lib modules a file imports (relative or absolute, anywhere in it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    package = ["mchch_lib", *path.relative_to(PACKAGE).parts[:-1]]
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


def test_every_module_has_a_layer():
    mods = {_module_of(p) for p in PACKAGE.rglob("*.py")}
    assert mods - set(LEVEL) == set()


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for p in sorted(PACKAGE.rglob("*.py")):
        me = _module_of(p)
        for other in _imports(p):
            if other in LEVEL and other != me and LEVEL[other] > LEVEL[me]:
                upward.append(f"{p.relative_to(PACKAGE)} ({me}) imports {other}")
    assert upward == []


def test_no_import_cycle_between_modules():
    graph = {}
    for p in PACKAGE.rglob("*.py"):
        me = _module_of(p)
        graph.setdefault(me, set()).update(m for m in _imports(p) if m in LEVEL and m != me)
    for a, deps in graph.items():
        for b in deps:
            assert a not in graph.get(b, set()) or LEVEL[a] == LEVEL[b] == 0 and a == b, (a, b)
