#!/usr/bin/env python
"""The first page of the comparison report as docs/img/report.png (Debian's Chromium).

    python scripts/report_screenshot.py

Builds `zonescope compare 深圳 宁波 -o report.html` on a fresh store in a temporary
folder and photographs its top (1200×1500, charts drawn) for the README.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from zonescope.report.browser import ARGS, CHROMIUM

OUT = Path(__file__).resolve().parents[1] / "docs" / "img" / "report.png"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="zonescope-shot-") as folder:
        html = Path(folder) / "report.html"
        subprocess.run([sys.executable, "-m", "zonescope", "--db", str(Path(folder) / "s.duckdb"),
                        "compare", "深圳", "宁波", "-o", str(html)], check=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 1500})
            page.goto(html.as_uri())
            page.wait_for_selector("body[data-charts='done']", state="attached")
            page.screenshot(path=str(OUT))
            browser.close()
    print(OUT)


if __name__ == "__main__":
    main()
