"""One owner of the store: while `zonescope serve` runs, CLI writes fail at once and clearly."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import Served

from zonescope.store.owner import owner_path, read_owner

GOOD = "地区,期间,口径,流向,监管方式,值（万元）,来源\n鹏城,2030-06,ytd,export,9610,12345,我的调查\n"

pytestmark = pytest.mark.slow


def _cli(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zonescope", "--db", str(store), *args],
                          capture_output=True, text=True, timeout=60)


def test_cli_write_fails_clearly_while_served(serve: Callable[..., Served], store_path: Path,
                                              tmp_path: Path) -> None:
    server = serve()
    assert server.token, "the generated token is printed once at start"
    info = read_owner(store_path)
    assert info is not None and info["pid"] == server.proc.pid and info["url"] == server.url
    data = tmp_path / "mine.csv"
    data.write_text(GOOD, encoding="utf-8")
    started = time.monotonic()
    result = _cli(store_path, "import", str(data), "--kind", "trade")
    assert time.monotonic() - started < 30  # refused, not waiting for a lock
    assert result.returncode != 0
    message = result.stderr + result.stdout
    assert "zonescope serve" in message and str(server.proc.pid) in message
    assert server.url in message.replace("\n", "")
    count = "SELECT count(*) FROM trade WHERE period = '2030-06'"
    assert httpx.get(server.url + "/api/v1/sql", params={"q": count}).json()[
        "sql"]["result"]["rows"] == [[0]]
    # the same write through the API works, with the printed token
    started_job = httpx.post(server.url + "/api/v1/import", params={"kind": "trade"},
                             files={"file": ("mine.csv", GOOD.encode())},
                             headers={"authorization": f"Bearer {server.token}"}).json()
    for _ in range(200):
        job = httpx.get(f"{server.url}/api/v1/jobs/{started_job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    assert httpx.get(server.url + "/api/v1/sql", params={"q": count}).json()[
        "sql"]["result"]["rows"] == [[1]]
    server.stop()
    assert not owner_path(store_path).exists()
    again = _cli(store_path, "sql", "SELECT count(*) FROM trade WHERE period = '2030-06'",
                 "--json")
    assert again.returncode == 0 and '"count_star()": 1' in again.stdout.replace("\n", "")


def test_owner_file_of_a_killed_server_is_stale(serve: Callable[..., Served],
                                                store_path: Path) -> None:
    server = serve()
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    assert owner_path(store_path).exists()  # left behind by kill -9 …
    assert read_owner(store_path) is None  # … but nobody holds its lock
    assert _cli(store_path, "db", "status").returncode == 0


def test_second_server_on_the_same_store_is_refused(serve: Callable[..., Served],
                                                    store_path: Path) -> None:
    first = serve()
    result = _cli(store_path, "serve", "--port", "1")
    assert result.returncode != 0 and str(first.proc.pid) in result.stderr + result.stdout
