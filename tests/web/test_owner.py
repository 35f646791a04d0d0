"""One owner of the store: while `zonescope serve` runs, CLI writes fail at once and clearly."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.conftest import Served

from zonescope.store.owner import owner_path, read_owner

GOOD = "地区,期间,口径,流向,监管方式,值（万元）,来源\n鹏城,2030-06,ytd,export,9610,12345,我的调查\n"

pytestmark = pytest.mark.slow


def _cli(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zonescope", "--db", str(store), *args],
                          capture_output=True, text=True, timeout=60)


def _import_through_api(server: Served) -> dict[str, Any]:
    """Import GOOD through the API with the server's token; the finished job."""
    started = httpx.post(server.url + "/api/v1/import", params={"kind": "trade"},
                         files={"file": ("mine.csv", GOOD.encode())},
                         headers={"authorization": f"Bearer {server.token}"}).json()
    for _ in range(300):
        job: dict[str, Any] = httpx.get(f"{server.url}/api/v1/jobs/{started['id']}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"import job still {job['status']} after 30 s")


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
    assert _import_through_api(server)["status"] == "done"
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


def test_cli_reads_work_while_served_and_writes_are_refused(
        serve: Callable[..., Served], store_path: Path) -> None:
    """Beside the server the CLI opens the store read-only: reads answer, writes are refused
    naming the server, and `db reset` never deletes the file from under it."""
    server = serve()
    shown = _cli(store_path, "show", "深圳", "--json")
    assert shown.returncode == 0, shown.stderr
    assert "深圳" in shown.stdout
    rows = _cli(store_path, "sql", "SELECT count(*) AS n FROM regions", "--json")
    assert rows.returncode == 0 and '"n":' in rows.stdout.replace(" ", "")
    reset = _cli(store_path, "db", "reset", "--yes")
    assert reset.returncode != 0 and str(server.proc.pid) in reset.stderr + reset.stdout
    assert store_path.exists()
    built = _cli(store_path, "index", "build", "--json")  # stores its run: a write
    assert built.returncode != 0 and "zonescope serve" in built.stderr + built.stdout
    assert httpx.get(server.url + "/api/v1/data").status_code == 200


def test_a_server_write_waits_for_a_reader_beside_it(serve: Callable[..., Served],
                                                     store_path: Path) -> None:
    server = serve()
    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; "
         f"c = duckdb.connect({str(store_path)!r}, read_only=True); "
         "print('open', flush=True); time.sleep(2)"], stdout=subprocess.PIPE, text=True)
    assert reader.stdout is not None and reader.stdout.readline().strip() == "open"
    job = _import_through_api(server)
    reader.wait(timeout=30)
    assert job["status"] == "done", job
