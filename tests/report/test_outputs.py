"""The files themselves: HTML opened in Chromium (offline, every chart drawn), PDF text,
Word structure, Markdown images. Each file is rendered once per session."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from zonescope.report import Report
from zonescope.report.browser import ARGS, CHROMIUM

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def opened_html(report_files: dict[str, Path]) -> dict[str, Any]:
    """Open the HTML in Chromium, recording every request and console message."""
    from playwright.sync_api import sync_playwright

    path = report_files["html"]
    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-charts='done']", state="attached", timeout=60_000)
        charts = page.evaluate("""() => Array.from(document.querySelectorAll('div.chart')).map(
            d => ({id: d.id, svg: d.querySelectorAll('svg.main-svg').length,
                   traces: (d.data || []).map(t => (t.x || []).length + (t.y || []).length),
                   marks: d.querySelectorAll('g.point, g.trace path, g.points path').length}))""")
        sections = page.evaluate("() => Array.from(document.querySelectorAll('section[id]'))"
                                 ".map(s => s.id)")
        text = page.inner_text("body")
        browser.close()
    return {"requests": requests, "problems": problems, "charts": charts,
            "sections": sections, "text": text}


def test_html_makes_no_network_request(opened_html: dict[str, Any]) -> None:
    assert opened_html["requests"]
    assert all(url.startswith("file://") for url in opened_html["requests"]), \
        opened_html["requests"]


def test_html_has_no_console_errors(opened_html: dict[str, Any]) -> None:
    assert opened_html["problems"] == []


def test_html_has_every_section(opened_html: dict[str, Any], report_zh: Report) -> None:
    wanted = [s.id for s in report_zh.all_sections()]
    assert set(wanted) <= set(opened_html["sections"])
    assert "summary" in opened_html["sections"]


def test_html_draws_every_chart(opened_html: dict[str, Any], report_zh: Report) -> None:
    charts = opened_html["charts"]
    assert [c["id"] for c in charts] == [f.anchor for f in report_zh.figures()]
    for chart in charts:
        assert chart["svg"] >= 1, chart["id"]
        assert chart["traces"] and all(n > 0 for n in chart["traces"]), chart["id"]
        assert chart["marks"] > 0, chart["id"]


def test_html_embeds_plotly_once(report_files: dict[str, Path]) -> None:
    html = report_files["html"].read_text(encoding="utf-8")
    assert html.count("plotly.js v") <= 2  # the banner of the one inlined copy
    assert len(re.findall(r"<script[^>]*\bsrc=", html)) == 0
    assert "<link" not in html


def test_pdf_text_pages_and_captions(report_files: dict[str, Path], report_zh: Report) -> None:
    path = report_files["pdf"]
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 8 <= pages <= 80
    assert "外贸进出口情况对比" in text and "数据来源" in text
    flat = re.sub(r"\s+", "", text)
    for figure in report_zh.figures():
        assert re.sub(r"\s+", "", f"{figure.label}{figure.caption}") in flat, figure.label
    assert re.search(rf"\b1\s*/\s*{pages}\b", text)  # page numbers in the footer


def test_word_has_headings_tables_and_images(report_files: dict[str, Path],
                                             report_zh: Report) -> None:
    import docx

    document = docx.Document(str(report_files["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "（一）外贸进出口情况对比" in headings and "附录四 数据来源" in headings
    assert len(document.tables) == len(report_zh.tables())
    assert document.tables[0].rows[1].cells[1].text == "广东省"
    assert len(document.inline_shapes) == len(report_zh.figures())
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("图 1 ") for t in texts) and any(t.startswith("表 1 ") for t in texts)
    assert sum(t.startswith("数据来源：") for t in texts) >= len(report_zh.figures())


def test_markdown_images_exist(report_files: dict[str, Path], report_zh: Report) -> None:
    path = report_files["md"]
    text = path.read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(links) == len(report_zh.figures())
    for link in links:
        image = path.parent / link
        assert image.is_file() and image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| 序号 | 省及省辖市 |" in text
