"""Debian's Chromium through Playwright: print the HTML to PDF, photograph the charts.

One browser per call; nothing is downloaded (`executable_path` is the system
Chromium; `playwright install` is never needed). Pages load from `file://` and wait
until every chart has been drawn (`data-charts="done"` on the body).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zonescope.errors import ZoneScopeError

CHROMIUM = os.environ.get("ZONESCOPE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 60_000


@contextmanager
def browser_page(fmt: str, width: int = 1000, scale: float = 1) -> Iterator[Any]:
    """A fresh page of a headless system Chromium (closed afterwards)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dependency
        raise ZoneScopeError("report.browser_failed", browser=CHROMIUM, fmt=fmt,
                             reason=str(exc)) from None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": width, "height": 900},
                                        device_scale_factor=scale)
                yield page
            finally:
                browser.close()
    except Error as exc:
        raise ZoneScopeError("report.browser_failed", browser=CHROMIUM, fmt=fmt,
                             reason=str(exc).splitlines()[0]) from None


def open_html(page: Any, html: str, folder: Path) -> None:
    """Load `html` from a temporary file and wait until all charts are drawn."""
    path = folder / "page.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
    page.wait_for_selector("body[data-charts='done']", state="attached", timeout=TIMEOUT_MS)


def print_pdf(html: str, footer: str) -> bytes:
    """The HTML printed to A4 with page numbers in the footer."""
    with tempfile.TemporaryDirectory(prefix="zonescope-pdf-") as folder, \
            browser_page("PDF", width=760) as page:
        open_html(page, html, Path(folder))
        page.emulate_media(media="print")
        return page.pdf(format="A4", print_background=True, display_header_footer=True,
                        header_template="<span></span>", footer_template=footer,
                        margin={"top": "18mm", "bottom": "18mm", "left": "16mm",
                                "right": "16mm"})


def chart_images(html: str, ids: list[str], fmt: str) -> dict[str, bytes]:
    """PNG screenshots of the chart elements `ids` of a charts page (one browser for all)."""
    if not ids:
        return {}
    with tempfile.TemporaryDirectory(prefix="zonescope-charts-") as folder, \
            browser_page(fmt, width=1000, scale=2) as page:
        open_html(page, html, Path(folder))
        return {i: page.locator(f"#{i}").screenshot(type="png") for i in ids}
