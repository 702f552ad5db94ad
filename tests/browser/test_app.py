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


def _serve(params: str):
    """``mchch app PARAMS`` on a free port: its URL (the server stopped after the test; its
    log must have no traceback)."""
    assert Path(CHROMIUM).exists() or shutil.which(CHROMIUM), (
        f"chromium not found at {CHROMIUM}: apt-get install -y chromium"
    )
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "mchch_lib.cli", "app", params, "--port", str(port),
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


@pytest.fixture(scope="module")
def server():
    yield from _serve("params/2561.yaml")


@pytest.fixture(scope="module")
def national_server(tmp_path_factory):
    from tests.analysis.test_national import national_params, write_district

    tmp = tmp_path_factory.mktemp("national")
    (tmp / "inputs").mkdir()
    for code, n in ((6001, 3), (6007, 3), (3001, 2)):
        write_district(tmp / "inputs", code, n=n)
    yield from _serve(str(national_params(tmp, tmp / "inputs", provinces=[30, 60])))


def _open(p, url: str):
    """A headless Chromium page on ``url`` that requests nothing outside the machine: the
    browser, the page and the list of outside requests."""
    browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    outside = []

    def route(r):
        host = re.match(r"^[a-z]+://([^/:]+)", r.request.url)
        if host and host[1] not in ("127.0.0.1", "localhost"):
            outside.append(r.request.url)
            return r.abort()
        return r.continue_()

    page.route("**/*", route)
    page.goto(url, timeout=180_000)
    return browser, page, outside


def _legend_is_the_reports(page):
    """The map's legend: the report's classes high to low and "not sent", with the unit."""
    from mchch_lib.documents import maps

    fig = maps.FIGURES["post_pct"]
    rows = page.locator(".mchch-legend-row")
    assert rows.all_inner_texts() == [*fig.labels[::-1], maps.NOT_SENT_TH]
    colours = [rows.nth(i).get_attribute("data-colour") for i in range(len(fig.labels))]
    assert colours == fig.colours[::-1]
    assert "(ร้อยละของคะแนนเต็ม)" in page.inner_text(".mchch-legend")


def _dates_are_thai(page, tabs):
    """The deadlines tab: no browser date input; the date chosen as day, Thai month and
    Buddhist-era year, written in Thai, and the days left follow it."""
    import datetime as dt

    from mchch_lib.common.thai import format_date_th

    tabs.nth(6).click()
    assert page.locator("input[type=date]").count() == 0
    page.wait_for_selector(f"text=วันที่ {format_date_th(dt.date.today())}")
    page.locator("select:has(option:text-is('พ.ศ. 2561'))").select_option(label="พ.ศ. 2561")
    page.locator("select:has(option:text-is('พฤษภาคม'))").select_option(label="พฤษภาคม")
    page.locator("select:has(option:text-is('31'))").select_option(label="8")
    page.wait_for_selector("text=วันที่ 8 พฤษภาคม 2561")
    page.wait_for_selector("th:has-text('ณ วันที่ 8 พฤษภาคม 2561')")
    assert page.locator("td:text-is('อีก 10 วัน')").count() == 1
    page.screenshot(path=str(SHOTS / "deadlines-thai-date.png"), full_page=True)


def test_the_app_in_chromium(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser, page, outside = _open(p, server)
        page.wait_for_selector(".mchch-app", timeout=180_000)
        page.wait_for_selector(".mchch-kpi", timeout=60_000)
        page.wait_for_function("document.fonts.status === 'loaded'")
        page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)
        _legend_is_the_reports(page)

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
        _dates_are_thai(page, tabs)
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


def test_national_params_open_with_a_province_selector(national_server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser, page, outside = _open(p, national_server)
        page.wait_for_selector("text=เลือกภาคและจังหวัด", timeout=180_000)
        assert page.locator(".mchch-kpi").count() == 0  # no province read yet
        page.screenshot(path=str(SHOTS / "national-selector.png"), full_page=True)
        page.locator("select:has(option:text-is('ทุกภาค'))").select_option(label="ภาคกลาง")
        page.locator("select:has(option:text-is('60 นครสวรรค์'))").select_option(label="60 นครสวรรค์")
        t0 = time.perf_counter()
        page.get_by_role("button", name="เปิดข้อมูลจังหวัด").click()
        page.wait_for_selector(".mchch-kpi", timeout=60_000)
        print(f"national: a province opened in {time.perf_counter() - t0:.2f} s")
        text = page.inner_text("body")
        assert "จังหวัดนครสวรรค์" in text and "Traceback" not in text
        assert not ID13.search(text)
        page.wait_for_function("document.fonts.status === 'loaded'")
        page.screenshot(path=str(SHOTS / "national-province.png"), full_page=True)
        browser.close()
    assert not outside, outside
