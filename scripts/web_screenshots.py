#!/usr/bin/env python
"""Screenshots of the main web pages into docs/img/web-*.png (Debian's Chromium, Playwright).

    python scripts/web_screenshots.py

Starts `zonescope serve` on a fresh store in a temporary folder on a free loopback port,
visits each page (filling the subsidy and claims forms), and saves 1400×900 PNGs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = [("overview", "/"), ("city", "/cities?region=宁波"),
         ("compare", "/compare?regions=深圳&regions=宁波"),
         ("index", "/index?region=宁波&w_scale=20&w_growth=60&w_standing=20"),
         ("mindset", "/mindset?region=宁波"), ("policies", "/policies?q=独立站 补贴"),
         ("clusters", "/clusters?province=浙江"), ("data", "/data"),
         ("overview-en", "/?lang=en")]
CLAIMS = ("2022年上半年，宁波市出口规模总体占浙江省出口总量的四成左右。"
          "2022年上半年，深圳市出口占广东省出口的一半以上。")


def main() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = Path(tempfile.mkdtemp()) / "shots.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "ZONESCOPE_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "zonescope", "--db", str(store), "serve",
                             "--port", str(port)], stdout=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/static/app.js", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for name, path in SHOTS:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"web-{name}.png"))
            page.goto(base + "/subsidy?lang=zh")
            page.fill("input[name=site_sales]", "80万美元")
            page.fill("input[name=fx]", "7.1")
            page.click("#profile-form button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.locator("#subsidy-results").scroll_into_view_if_needed()
            page.screenshot(path=str(OUT / "web-subsidy.png"))
            page.goto(base + "/claims")
            page.fill("textarea[name=text]", CLAIMS)
            page.click("#claims-form button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / "web-claims.png"))
            browser.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    print("\n".join(sorted(str(p) for p in OUT.glob("web-*.png"))))


if __name__ == "__main__":
    main()
