"""``mchch app``: the explorer served by Voilà on this machine. A notebook that opens the app
on the params file and a Voilà template are written to a temporary folder: the template is
Voilà's ``lab`` template without its two links to a CDN (Font Awesome), plus a stylesheet that
serves the bundled Sarabun fonts, so the page requests nothing outside the machine and shows
Thai on a PC without a Thai font."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from mchch_lib import config

TEMPLATE = "mchch"
_WEIGHTS = (("Regular", 400, "normal"), ("Bold", 700, "normal"), ("SemiBold", 600, "normal"),
            ("Italic", 400, "italic"))  # fmt: skip


def font_css(url: str = "") -> str:
    """@font-face rules for the bundled Sarabun (files beside the stylesheet) and the page's
    font: Sarabun first for the app, Voilà's widgets and tables."""
    faces = "".join(
        f"@font-face {{ font-family: 'Sarabun'; src: url('{url}Sarabun-{w}.ttf') "
        f"format('truetype'); font-weight: {n}; font-style: {s}; font-display: block; }}\n"
        for w, n, s in _WEIGHTS
    )
    return faces + (
        "body, .jp-Notebook, .widget-label, .widget-dropdown select, .widget-text input, "
        ".jupyter-widgets, .lm-TabBar-tab, .p-TabBar-tab, button "
        "{ font-family: 'Sarabun', sans-serif !important; }\n"
        ":root { --jp-ui-font-family: 'Sarabun', sans-serif; "
        "--jp-content-font-family: 'Sarabun', sans-serif; --jp-widgets-font-size: 14px; }\n"
    )


def _lab_template() -> Path:
    import jupyter_core.paths

    for d in jupyter_core.paths.jupyter_path("voila", "templates", "lab"):
        if (Path(d) / "index.html.j2").is_file():
            return Path(d)
    raise FileNotFoundError("Voilà's lab template")


def write_template(root: Path) -> Path:
    """The ``mchch`` Voilà template under ``root/voila/templates/mchch``."""
    t = root / "voila" / "templates" / TEMPLATE
    (t / "static").mkdir(parents=True, exist_ok=True)
    src = (_lab_template() / "index.html.j2").read_text(encoding="utf-8")
    link = ('<link rel="stylesheet" type="text/css" href="{{ resources.base_url }}voila/'
            f'templates/{TEMPLATE}/static/mchch.css" />')  # fmt: skip
    lines = [ln for ln in src.splitlines() if "cdn.jsdelivr.net" not in ln]
    at = next(i for i, ln in enumerate(lines) if "{{ super() }}" in ln)
    lines.insert(at, "  " + link)
    (t / "index.html.j2").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (t / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    (t / "static" / "mchch.css").write_text(font_css(), encoding="utf-8")
    for w, _, _ in _WEIGHTS:
        shutil.copyfile(config.FONTS_DIR / f"Sarabun-{w}.ttf", t / "static" / f"Sarabun-{w}.ttf")
    return t


def write_notebook(folder: Path, params_file: Path) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    code = f"from mchch_lib.app import national\n\napp = national.explorer({str(params_file)!r})"
    nb = new_notebook(cells=[new_code_cell(code)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "มชช.ipynb"
    nbformat.write(nb, path)
    return path


def command(notebook: Path, port: int, browser: bool) -> list[str]:
    return [sys.executable, "-m", "voila", str(notebook), f"--port={port}",
            "--Voila.ip=127.0.0.1", f"--template={TEMPLATE}", "--theme=light",
            "--show_tracebacks=False", *([] if browser else ["--no-browser"])]  # fmt: skip


def serve(params_file: Path, port: int = 8866, browser: bool = True) -> int:
    """Run Voilà until it is stopped (Ctrl+C); its exit code."""
    from mchch_lib.data.ingest import discover
    from mchch_lib.data.params import load_params

    params_file = Path(params_file).resolve()
    discover(list(load_params(params_file).inputs))  # a wrong params or input stops here
    with tempfile.TemporaryDirectory(prefix="mchch-app-") as tmp:
        root = Path(tmp)
        write_template(root)
        nb = write_notebook(root, params_file)
        env = dict(os.environ)
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(root), env.get("JUPYTER_PATH")]))
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(config.PROJECT_ROOT), env.get("PYTHONPATH")])
        )
        print(f"mchch app: http://127.0.0.1:{port}/ (หยุดด้วย Ctrl+C)", flush=True)
        proc = subprocess.Popen(command(nb, port, browser), env=env, cwd=str(root))
        signal.signal(signal.SIGTERM, _interrupt)  # stopped: stop Voilà and its kernel too
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            return proc.wait()


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt
