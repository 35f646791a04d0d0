"""Debian's Chromium through Playwright: print the HTML to PDF, photograph the charts.

One browser per call; nothing is downloaded (`executable_path` is the system
Chromium; `playwright install` is never needed). Pages load from `file://` and wait
until every chart has been drawn (`data-charts="done"` on the body).
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from zonescope.errors import ZoneScopeError

CHROMIUM = os.environ.get("ZONESCOPE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 60_000
T = TypeVar("T")


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

    def job(page: Any) -> bytes:
        with tempfile.TemporaryDirectory(prefix="zonescope-pdf-") as folder:
            open_html(page, html, Path(folder))
            page.emulate_media(media="print")
            return page.pdf(format="A4", print_background=True, display_header_footer=True,
                            header_template="<span></span>", footer_template=footer,
                            margin={"top": "18mm", "bottom": "18mm", "left": "16mm",
                                    "right": "16mm"})

    return _run("PDF", job)


def chart_images(specs_json: str, ids: list[str], fmt: str, width: int = 900
                 ) -> dict[str, bytes]:
    """PNG pictures of the charts `ids` among `specs_json` (one browser for all of them)."""
    if not ids:
        return {}

    def job(page: Any) -> dict[str, bytes]:
        if not page.evaluate("typeof Plotly !== 'undefined'"):
            load_plotly(page)
        page.evaluate(_DRAW, [specs_json, width])
        # one layout read, then clipped captures of the page: a third faster than
        # element screenshots, which wait and scroll for each element
        boxes = page.evaluate(_BOXES, ids)
        return {i: page.screenshot(type="png", clip=box, full_page=True)
                for i, box in zip(ids, boxes, strict=True)}

    return _run(fmt, job)


def load_plotly(page: Any) -> None:
    """A blank white page with plotly.js (from the installed package) loaded."""
    from zonescope.report.html import plotly_js

    page.set_content("<!DOCTYPE html><html><head><meta charset='utf-8'><style>body{margin:0;"
                     f"background:#fff}}</style></head><body><script>{plotly_js()}</script>"
                     "</body></html>", wait_until="load", timeout=TIMEOUT_MS)


_DRAW = """async ([json, width]) => {
  const specs = JSON.parse(json);
  document.body.replaceChildren(...specs.map(s => {
    const div = document.createElement("div");
    div.id = s.id;
    div.style.cssText = `width:${width}px;height:${s.height}px;margin:0 0 8px;background:#fff`;
    return div;
  }));
  await Promise.all(specs.map(s => Plotly.newPlot(s.id, s.data,
    Object.assign({}, s.layout, {height: s.height, width: width}),
    Object.assign({}, s.config, {staticPlot: true, responsive: false}))));
}"""
_BOXES = """ids => ids.map(id => {
  const r = document.getElementById(id).getBoundingClientRect();
  return {x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height};
})"""
# page width and device scale per output: the PDF prints at its own width; images are
# photographed wider and at 1.5× pixel density (1350 px for a 900 px chart: ≈ 210 dpi
# across a Word page; 2× cost 0.2 s more for no visible gain)
PAGES = {"PDF": (760, 1.0), "Word": (1000, 1.5), "Markdown": (1000, 1.5)}
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word", "md": "Markdown"}
_ready: dict[str, _Prestarted] = {}


class _Prestarted:
    """A Chromium started in a thread of its own, ready before the report is built.

    Playwright's objects belong to the thread that made them, so the job (print or
    photograph) is handed to that thread and its result handed back.
    """

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.used = False
        self.jobs: queue.Queue[Callable[[Any], Any] | None] = queue.Queue()
        self.results: queue.Queue[tuple[bool, Any]] = queue.Queue()
        self.thread = threading.Thread(target=self._serve, name="zonescope-chromium",
                                       daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            width, scale = PAGES[self.fmt]
            with browser_page(self.fmt, width, scale) as page:
                if self.fmt != "PDF":  # chart pictures: plotly.js parsed while the report builds
                    load_plotly(page)
                job = self.jobs.get()
                if job is not None:
                    self.results.put((True, job(page)))
        except BaseException as exc:  # handed to the caller of `run`, who re-raises it
            self.results.put((False, exc))

    def run(self, job: Callable[[Any], T]) -> T:
        self.jobs.put(job)
        ok, value = self.results.get()
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join(timeout=30)


@contextmanager
def prestarted(fmt: str) -> Iterator[None]:
    """Start the browser that writing `fmt` (pdf, docx, md) needs, while the caller works.

    Chromium's start (≈ 1 s) then overlaps the building of the report; formats that
    need no browser start nothing.
    """
    name = FORMAT_NAMES.get(fmt)
    if name is None or name in _ready:
        yield
        return
    _ready[name] = _Prestarted(name)
    try:
        yield
    finally:
        _ready.pop(name).close()


def _run(fmt: str, job: Callable[[Any], T]) -> T:
    """Run `job(page)` in the prestarted browser for `fmt`, or in a fresh one."""
    ready = _ready.get(fmt)
    if ready is not None and not ready.used:
        ready.used = True  # it serves one job; a second one gets a fresh browser
        return ready.run(job)
    width, scale = PAGES.get(fmt, (1000, 1.5))
    with browser_page(fmt, width, scale) as page:
        return job(page)
