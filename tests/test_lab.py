"""JupyterLab gets Thai from the package: the prebuilt extension mchch-thai (Sarabun web fonts
and the stylesheet that uses them) is installed with mchch and served by a plain `jupyter lab`
started from the venv, with no flag and no system font."""

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from mchch_lib import config

ROOT = Path(__file__).resolve().parent.parent
BUILT = ROOT / "share" / "jupyter" / "labextensions" / "mchch-thai"
INSTALLED = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "mchch-thai"
THAI = [0x0E01, 0x0E33, 0x0E48, 0x0E4D]  # ก, sara am, mai ek, nikhahit


def _files(d: Path) -> dict[str, bytes]:
    return {
        p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()
    }


def test_the_build_is_small_and_shipped_by_the_package():
    files = _files(BUILT)
    assert sum(map(len, files.values())) < 300_000 and max(map(len, files.values())) < 2_000_000
    meta = json.loads(files["package.json"])
    assert meta["name"] == "mchch-thai" and (BUILT / meta["jupyterlab"]["_build"]["load"]).exists()
    assert "OFL.txt" in files  # the font licence travels with the fonts
    woff2 = [n for n in files if n.endswith(".woff2")]
    assert len(woff2) == 5  # Regular, SemiBold, Bold, Italic, BoldItalic
    for n in woff2:
        font = TTFont(io.BytesIO(files[n]))
        assert font.flavor == "woff2" and "Sarabun" in font["name"].getDebugName(1)
        assert all(c in font.getBestCmap() for c in THAI)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shared = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["shared-data"]
    assert shared == {BUILT.relative_to(ROOT).as_posix(): "share/jupyter/labextensions/mchch-thai"}
    # the venv holds this very build (make install; reinstall after make labext)
    assert _files(INSTALLED) == files


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.headers.get_content_type(), r.read()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A real `jupyter lab` from the venv on loopback, as `make lab` starts it (no flags but
    the port, token and folders a test needs)."""
    tmp = tmp_path_factory.mktemp("lab")
    port, token = _free_port(), "mchch-test"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    cmd = [str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1"]
    cmd += [f"--port={port}", f"--ServerApp.token={token}", f"--ServerApp.root_dir={tmp}"]
    if getattr(os, "geteuid", lambda: 1)() == 0:
        cmd.append("--allow-root")  # containers and CI run as root
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            _get(f"{base}/api/status?token={token}")
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail(f"jupyter lab did not start: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
    yield base, token
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.slow
def test_jupyterlab_serves_the_stylesheet_and_the_fonts(lab):
    base, token = lab
    status, ctype, page = _get(f"{base}/lab?token={token}")
    assert (status, ctype) == (200, "text/html")
    cfg = re.search(
        rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S
    )
    ext = {e["name"]: e for e in json.loads(cfg.group(1))["federated_extensions"]}["mchch-thai"]
    assert ext["style"] == "./style"  # JupyterLab loads the extension's stylesheet
    url = f"{base}/lab/extensions/mchch-thai"
    assert _get(f"{url}/{ext['load']}")[:2] == (200, "application/javascript")
    # the stylesheet (in a script chunk, as JupyterLab bundles CSS): Sarabun for Thai first in
    # the interface, content and code fonts, with its web fonts
    chunks = [p.name for p in (INSTALLED / "static").glob("*.js")]
    css = [body for n in chunks if b"@font-face" in (body := _get(f"{url}/static/{n}")[2])]
    assert len(css) == 1
    text = css[0].decode("utf-8")
    for var in ("--jp-ui-font-family", "--jp-content-font-family", "--jp-code-font-family"):
        assert re.search(var + r":\s*'Sarabun Thai'", text), var
    assert re.search(r"unicode-range:\s*U\+0E01-0E5B", text)
    fonts = sorted(set(re.findall(r"[0-9a-f]{20}\.woff2", text)))
    assert len(fonts) == 5
    for name in fonts:
        status, ctype, body = _get(f"{url}/static/{name}")
        assert status == 200 and body[:4] == b"wOF2"
        assert ctype in ("font/woff2", "application/octet-stream")  # mimetypes of the OS
        assert all(c in TTFont(io.BytesIO(body)).getBestCmap() for c in THAI)
    assert _get(f"{url}/static/{fonts[0]}")[1] == "font/woff2" or sys.platform == "win32"


def test_lab_source_and_build_agree():
    """labextension/ is the source of the build: same name and version, the stylesheet names
    the five bundled weights (make labext rebuilds after a change)."""
    src = json.loads((ROOT / "labextension" / "package.json").read_text(encoding="utf-8"))
    built = json.loads((BUILT / "package.json").read_text(encoding="utf-8"))
    assert (src["name"], src["version"]) == (built["name"], built["version"])
    css = (ROOT / "labextension" / "style" / "index.css").read_text(encoding="utf-8")
    weights = set(re.findall(r"Sarabun-(\w+)\.woff2", css))
    assert weights == {p.stem.split("-")[1] for p in config.FONTS_DIR.glob("Sarabun-*.ttf")}
