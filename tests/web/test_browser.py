"""End to end in Debian's Chromium (Playwright, no browser download) against `zonescope serve`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.conftest import Served

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "browser-test-token-0123456789"
HEADER = "地区,期间,口径,流向,监管方式,值（万元）,来源\n"
GOOD = HEADER + "鹏城,2031-06,ytd,export,9610,12345,浏览器测试\n"
BAD = HEADER + "鹏城,2031-06,ytd,export,9610,12345,浏览器测试\n不存在市,2031-13,ytd,up,9610,abc,x\n"
PAGES = ["/", "/cities?region=宁波", "/compare?regions=深圳&regions=宁波", "/index",
         "/index?region=宁波&w_scale=20&w_growth=60&w_standing=20", "/mindset?region=深圳",
         "/policies?q=独立站", "/subsidy", "/clusters", "/data", "/claims", "/?lang=en"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Watched:
    """A page that records console errors and every request that leaves the server."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith(
            "data:") else self.outside.append(r.url))

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.fixture
def site(serve: Callable[..., Served], browser: Any) -> Iterator[Watched]:
    server = serve({"ZONESCOPE_TOKEN": TOKEN})
    watched = Watched(browser, server.url)
    yield watched
    watched.context.close()
    assert not watched.outside, watched.outside


def test_every_page_loads_offline_without_errors(site: Watched) -> None:
    for path in PAGES:
        page = site.go(path)
        assert page.locator("h1").count() == 1
        assert not site.errors, (path, site.errors)
    page = site.go("/")
    assert page.locator("#chart-pilot_map .choroplethlayer path").count() >= 30  # drawn map
    assert not site.outside


def test_search_a_policy_and_open_it(site: Watched) -> None:
    page = site.go("/policies")
    page.fill("input[name=q]", "独立站")
    page.click("#policy-search button[type=submit]")
    first = page.locator("a.policy-link").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert page.locator("#policy").is_visible()


def test_compute_a_subsidy(site: Watched) -> None:
    page = site.go("/subsidy")
    page.fill("input[name=site_sales]", "80万美元")
    page.fill("input[name=fx]", "7.1")
    page.click("#profile-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#subsidy-results tbody tr").count() == 8


def _count(site: Watched) -> Any:
    return httpx.get(site.base + "/api/v1/sql", params={
        "q": "SELECT count(*) FROM trade WHERE period = '2031-06'"}).json()["sql"]["result"]["rows"]


def _upload(page: Any, tmp_path: Path, body: str, token: str) -> None:
    file = tmp_path / "mine.csv"
    file.write_text(body, encoding="utf-8")
    page.set_input_files("#import-form input[type=file]", str(file))
    page.select_option("#import-form select[name=kind]", "trade")
    page.fill("#import-form input[name=token]", token)
    page.click("#import-form button[value=import]")
    page.wait_for_load_state()


def test_bad_file_shows_row_errors_and_changes_nothing(site: Watched, tmp_path: Path) -> None:
    page = site.go("/data")
    _upload(page, tmp_path, BAD, TOKEN)
    page.wait_for_selector("#import-rejected", timeout=30_000)
    rows = page.locator("#problems tbody tr")
    assert rows.count() >= 2 and "3" in rows.first.inner_text()
    assert _count(site) == [[0]]


def test_good_file_with_token_then_the_data(site: Watched, tmp_path: Path) -> None:
    page = site.go("/data")
    _upload(page, tmp_path, GOOD, TOKEN)
    page.wait_for_selector("#import-done", timeout=30_000)
    assert _count(site) == [[1]]
    page = site.go("/data")
    assert "mine.csv" in page.locator("#history").inner_text()
    page = site.go("/compare?regions=深圳&regions=宁波&period=2031")
    assert "1.2345" in page.locator("#dim-trade").inner_text()


def test_write_without_token_is_refused(site: Watched, tmp_path: Path) -> None:
    page = site.go("/data")
    _upload(page, tmp_path, GOOD, "")
    assert "令牌" in page.locator("#error").inner_text()
    assert _count(site) == [[0]]


def test_run_a_comparison_and_download_its_report(site: Watched) -> None:
    page = site.go("/compare")
    page.fill("#compare-form input[name=regions] >> nth=0", "深圳")
    page.fill("#compare-form input[name=regions] >> nth=1", "宁波")
    page.click("#compare-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#dim-trade").is_visible()
    with page.expect_download(timeout=120_000) as info:
        page.click("#downloads a:text('PDF')")
    path = info.value.path()
    assert info.value.suggested_filename.endswith(".pdf")
    assert Path(path).read_bytes()[:5] == b"%PDF-"
