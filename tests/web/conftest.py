"""Web fixtures: an app over a fresh store copy, a client, the token, a CSRF-ready session."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from zonescope.web import create_app
from zonescope.web.uploads import Limits

TOKEN = "test-token-0123456789abcdef"
POLICY_HEADER = "region,published,title,summary,targets,categories,source,source_ref\n"


@pytest.fixture
def make_client(store_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Build a client over the test store: `make_client(token=…, host=…, limits=…)`."""
    clients: list[TestClient] = []

    def make(token: str | None = TOKEN, host: str = "127.0.0.1",
             limits: Limits | None = None) -> TestClient:
        app = create_app(store_path, token=token, host=host, limits=limits)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def csrf_of(client: TestClient, page: str = "/data") -> str:
    """Visit a page (which sets the CSRF cookie) and read the token from its form."""
    html = client.get(page).text
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on " + page
    return match.group(1)


def wait_job(client: TestClient, location: str) -> dict[str, Any]:
    """Follow a job page's id to its JSON and wait for it to end."""
    job_id = location.rstrip("/").rsplit("/", 1)[-1]
    job = client.app.state.jobs.wait(job_id, timeout=120)  # type: ignore[attr-defined]
    assert job is not None
    return client.get(f"/api/v1/jobs/{job_id}").json()  # type: ignore[no-any-return]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """A real `zonescope serve` subprocess: its URL, process, and the token it printed."""

    def __init__(self, store: Path, env: dict[str, str] | None = None) -> None:
        import os
        import subprocess
        import sys
        import time

        import httpx

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zonescope", "--db", str(store), "serve", "--port",
             str(self.port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**{k: v for k, v in os.environ.items() if k != "ZONESCOPE_TOKEN"},
                 **(env or {})})
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, self.proc.stdout.read()  # type: ignore[union-attr]
            try:
                if httpx.get(self.url + "/api/v1/data", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        self.token = None
        assert self.proc.stdout is not None
        for _ in range(3):
            line = self.proc.stdout.readline()
            match = re.search(r"[:：]\s*(\S{20,})$", line.strip())
            if "令牌" in line or "token" in line.lower():
                self.token = match.group(1) if match else None
                break

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except Exception:  # noqa: BLE001 - make sure it is gone
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def serve(store_path: Path) -> Iterator[Callable[..., Served]]:
    """Start `zonescope serve` on the test store (stopped after the test)."""
    started: list[Served] = []

    def start(env: dict[str, str] | None = None) -> Served:
        server = Served(store_path, env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
