"""Shared fixtures: a store built once per session and copied per test; the CLI runner."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import zonescope
from zonescope.cli import app
from zonescope.store.queries import snapshot


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user cache (policy index files) in a temporary folder, for subprocesses too."""
    path = tmp_path_factory.mktemp("cache")
    os.environ["ZONESCOPE_CACHE_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the schema and all bundled data, built once."""
    path = tmp_path_factory.mktemp("seed") / "seed.duckdb"
    with zonescope.open(path) as zs:
        _ = zs.store.con
    return path


@pytest.fixture
def store_path(seeded_store: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded store for one test."""
    path = tmp_path / "zonescope.duckdb"
    shutil.copy(seeded_store, path)
    return path


@pytest.fixture
def zs(store_path: Path):  # type: ignore[no-untyped-def]
    with zonescope.open(store_path) as handle:
        yield handle


@pytest.fixture
def state(store_path: Path) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """Call to take a snapshot of every table (to prove something changed nothing)."""

    def take() -> dict[str, list[tuple[Any, ...]]]:
        with zonescope.open(store_path) as handle:
            return snapshot(handle.store.con)

    return take


@pytest.fixture
def cli(store_path: Path) -> Callable[..., Result]:
    """Run `zonescope --db <test store> ARGS…` in-process."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["--db", str(store_path), *args], input=input)

    return invoke


@pytest.fixture
def cli_json(cli: Callable[..., Result]) -> Callable[..., Any]:
    """Run a command with --json and return the parsed output (asserting exit code 0)."""

    def invoke(*args: str) -> Any:
        result = cli(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return invoke


@pytest.fixture
def kill_at_commit(tmp_path: Path) -> Callable[..., None]:
    """Run `zonescope --db STORE ARGS…` in a subprocess and kill -9 it just before COMMIT.

    The writer's test hook (ZONESCOPE_CRASH_TEST_MARKER) writes a marker file when
    everything is written and nothing committed, then waits: the fragile moment.
    """

    def run(store: Path, *args: str) -> None:
        marker = tmp_path / "crash-marker"
        proc = subprocess.Popen(
            [sys.executable, "-m", "zonescope", "--db", str(store), *args],
            env={**os.environ, "ZONESCOPE_CRASH_TEST_MARKER": str(marker)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "import ended before reaching the commit"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    return run


SYNTHETIC_CITIES = Path(__file__).parent / "mindset" / "cities"
SYNTHETIC_FILES = [("clusters_jiangsu.csv", "clusters"), ("clusters_fujian.csv", "clusters"),
                   ("indicators.csv", "indicators"), ("policies.csv", "policies"),
                   ("associations.csv", "associations"), ("trade.csv", "trade")]


@pytest.fixture(scope="module")
def synthetic_path(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded store plus the synthetic cities of tests/mindset/cities (see its README):
    常州 (factory-heavy), 厦门 (seller-heavy), 三明 (a brand-new pilot zone)."""
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.duckdb"
    shutil.copy(seeded_store, path)
    with zonescope.open(path) as handle:
        for name, kind in SYNTHETIC_FILES:
            assert handle.import_file(SYNTHETIC_CITIES / name, kind=kind).added > 0
    return path


@pytest.fixture
def syn(synthetic_path: Path):  # type: ignore[no-untyped-def]
    with zonescope.open(synthetic_path) as handle:
        yield handle


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write `content` (str in `encoding`, or bytes) to tmp_path/name and return the path."""

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write


@pytest.fixture
def line_of() -> Callable[[str, str], int]:
    """The 1-based number of the first line of a text that contains a needle."""

    def find(text: str, needle: str) -> int:
        return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)

    return find


@pytest.fixture
def broken_copy(write_file: Callable[..., Path]) -> Callable[..., Any]:
    """Load a copy of a bundled YAML file with one replacement; return the error it raises.

    `broken_copy(bundled_text, file_name, loader)` gives `load(old, new)`, for a
    module's own `broken` fixture.
    """
    from zonescope.errors import ZoneScopeError

    def bind(bundled: str, name: str, loader: Callable[[str], Any]
             ) -> Callable[[str, str], ZoneScopeError]:
        def load(old: str, new: str) -> ZoneScopeError:
            assert old in bundled
            path = write_file(name, bundled.replace(old, new, 1))
            with pytest.raises(ZoneScopeError) as caught:
                loader(str(path))
            return caught.value

        return load

    return bind
