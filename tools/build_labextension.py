"""Builds the JupyterLab extension ``mchch-thai``: labextension/ (source) → the prebuilt
share/jupyter/labextensions/mchch-thai/ (committed; installed there, under the environment's prefix, with the package).

Run once after changing labextension/ or the bundled fonts (``make labext``); needs node
and npm. The output is installed with the package (pyproject: hatch shared-data), so
users never need node. Steps: the bundled Sarabun TTFs → WOFF2 (fontTools), ``npm install``
of @jupyterlab/builder, its production build, then the files JupyterLab and the
licence want beside the build (install.json, OFL.txt).
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "labextension"
OUT = ROOT / "share" / "jupyter" / "labextensions" / "mchch-thai"
FONTS = ROOT / "mchch_lib" / "fonts"
WEIGHTS = ("Regular", "SemiBold", "Bold", "Italic", "BoldItalic")


def woff2() -> None:
    """Sarabun as WOFF2 (a third of the TTF size) for the stylesheet to reference."""
    dest = SRC / "style" / "fonts"
    dest.mkdir(parents=True, exist_ok=True)
    for w in WEIGHTS:
        font = TTFont(FONTS / f"Sarabun-{w}.ttf", recalcTimestamp=False)  # reproducible
        font.flavor = "woff2"
        font.save(dest / f"Sarabun-{w}.woff2")


def build() -> None:
    """npm install (the builder only), then the builder's production build against the
    installed JupyterLab's own core metadata (jupyterlab/staging: no download)."""
    import jupyterlab

    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        sys.exit("build_labextension: node and npm build the extension (not needed to use it)")
    subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=SRC, check=True)
    if OUT.exists():
        shutil.rmtree(OUT)
    builder = SRC / "node_modules" / "@jupyterlab" / "builder" / "lib" / "build-labextension.js"
    core = Path(jupyterlab.__file__).parent / "staging"
    subprocess.run([node, str(builder), "--core-path", str(core), "."], cwd=SRC, check=True)


def finish() -> None:
    """install.json (how JupyterLab says the extension was installed) and the font licence."""
    name = json.loads((SRC / "package.json").read_text(encoding="utf-8"))["name"]
    install = {
        "packageManager": "python",
        "packageName": "mchch",
        "uninstallInstructions": "Use your Python package manager (pip, conda) to uninstall mchch",
    }
    (OUT / "install.json").write_text(json.dumps(install, indent=2) + "\n", encoding="utf-8")
    shutil.copy(FONTS / "OFL.txt", OUT / "OFL.txt")
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"built {name} in {OUT.relative_to(ROOT)}: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    woff2()
    build()
    finish()
