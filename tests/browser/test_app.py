"""``mchch app`` driven in headless Chromium (Debian's ``chromium``, no Thai system font needed):
the page shows the controls, Thai in Sarabun, the final round, no error and no full ID,
requests nothing outside the machine, tabs switch, an export downloads, and a control change
redraws in at most 1 s. Run by ``make test-browser`` (not by ``make test``)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MCHCH_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("MCHCH_SHOTS", ROOT / "reports" / "app-shots"))
ID13 = re.compile(r"(?<!\d)\d{13}(?!\d)|(?<!\d)\d-\d{4}-\d{5}-\d{2}-\d(?!\d)")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    assert Path(CHROMIUM).exists() or shutil.which(CHROMIUM), (
        f"chromium not found at {CHROMIUM}: apt-get install -y chromium"
    )
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "mchch_lib.cli", "app", "params/2561.yaml", "--port", str(port),
         "--no-browser"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "api/status", timeout=2)  # noqa: S310
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stdout.read())
            time.sleep(0.5)
    yield url
    proc.terminate()  # mchch app stops Voilà and its kernel
    try:
        log = proc.communicate(timeout=60)[0]
    except subprocess.TimeoutExpired:
        proc.kill()
        log = proc.communicate()[0]
    assert "Traceback" not in log, log


def test_the_app_in_chromium(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    outside, failed = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)

        def route(r):
            host = re.match(r"^[a-z]+://([^/:]+)", r.request.url)
            if host and host[1] not in ("127.0.0.1", "localhost"):
                outside.append(r.request.url)
                return r.abort()
            return r.continue_()

        page.route("**/*", route)
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto(server, timeout=180_000)
        page.wait_for_selector(".mchch-app", timeout=180_000)
        page.wait_for_selector(".mchch-kpi", timeout=60_000)
        page.wait_for_function("document.fonts.status === 'loaded'")
        page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)

        # at least three controls
        assert page.locator(".mchch-app select").count() >= 3
        family = page.evaluate("getComputedStyle(document.querySelector('.mchch-kpi')).fontFamily")
        assert family.replace('"', "").startswith("Sarabun"), family
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.family.replace(/[\"']/g,'') === 'Sarabun'"
            " && f.status === 'loaded').length"
        )
        assert loaded >= 1
        text = page.inner_text("body")
        assert "หน่วยที่สมัคร" in text and "อำเภอ" in text
        assert not page.locator(".jp-OutputArea-output[data-mime-type*='error'], "
                                ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']").count()  # fmt: skip
        assert "Traceback" not in text and "Error" not in text

        # tabs switch; the final round shows its figures
        tabs = page.locator(".lm-TabBar-tab, .p-TabBar-tab")
        assert tabs.count() == 8
        for i in range(tabs.count()):
            tabs.nth(i).click()
            title = tabs.nth(i).inner_text().strip()
            page.wait_for_timeout(400)
            page.screenshot(path=str(SHOTS / f"tab{i + 1}.png"), full_page=True)
            if title == "รอบจังหวัด":
                page.wait_for_selector("text=ผลการรับรองระดับจังหวัด: รับรอง 49 จาก 51")
        html = page.content()
        assert not ID13.search(page.inner_text("body")), ID13.search(page.inner_text("body"))

        # a control change redraws in at most 1 s (measured in the browser)
        tabs.nth(1).click()
        district = page.locator(".mchch-app select").first
        t0 = time.perf_counter()
        district.select_option(label="6007 ตาคลี")
        page.wait_for_selector("h3:has-text('อำเภอตาคลี')", timeout=10_000)
        seconds = time.perf_counter() - t0
        print(f"redraw in the browser: {seconds:.3f} s")
        (SHOTS / "redraw.txt").write_text(f"{seconds:.3f}\n")
        assert seconds <= 1.0

        # an export downloads
        page.get_by_role("button", name="ส่งออก Excel").click()
        link = page.locator("a.mchch-download")
        link.wait_for(timeout=30_000)
        with page.expect_download() as d:
            link.click()
        path = d.value.path()
        assert d.value.suggested_filename.endswith(".xlsx")
        assert Path(path).read_bytes()[:2] == b"PK"
        browser.close()
    assert not outside, outside
    assert "ID" not in html or not ID13.search(html)
