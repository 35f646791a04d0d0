"""Report downloads on a shared server: one Chromium render at a time, each report once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from zonescope.web.pages import report as report_page


@pytest.fixture
def slow_renders(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """render_bytes replaced by a slow stand-in that records how many run at once."""
    seen: dict[str, Any] = {"calls": [], "running": 0, "most": 0}
    lock = threading.Lock()

    def render(report: Any, fmt: str) -> bytes:
        with lock:
            seen["calls"].append((tuple(r["id"] for r in report.regions), fmt))
            seen["running"] += 1
            seen["most"] = max(seen["most"], seen["running"])
        time.sleep(0.3)
        with lock:
            seen["running"] -= 1
        return f"{fmt}:{len(seen['calls'])}".encode()

    monkeypatch.setattr(report_page, "render_bytes", render)
    return seen


def _get(client: TestClient, regions: list[str], fmt: str) -> bytes:
    response = client.get(f"/compare/report.{fmt}", params={"regions": regions})
    assert response.status_code == 200, response.text
    return response.content


def test_identical_pdf_requests_render_once(client: TestClient,
                                            slow_renders: dict[str, Any]) -> None:
    with ThreadPoolExecutor(4) as pool:
        bodies = list(pool.map(lambda _: _get(client, ["深圳", "宁波"], "pdf"), range(4)))
    assert len(set(bodies)) == 1
    assert slow_renders["calls"] == [(("440300", "330200"), "pdf")]


def test_browser_renders_run_one_at_a_time(client: TestClient,
                                           slow_renders: dict[str, Any]) -> None:
    asks = [(["深圳", "宁波"], "pdf"), (["深圳", "宁波"], "docx"), (["广州", "杭州"], "pdf")]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda ask: _get(client, *ask), asks))
    assert len(slow_renders["calls"]) == 3 and slow_renders["most"] == 1


def test_light_formats_are_not_queued_behind_the_browser(client: TestClient,
                                                         slow_renders: dict[str, Any]) -> None:
    asks = [(["深圳", "宁波"], "md"), (["深圳", "宁波"], "json"), (["广州", "杭州"], "html")]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda ask: _get(client, *ask), asks))
    assert slow_renders["most"] > 1
