"""Reports built once per session (building and printing take seconds, not milliseconds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import zonescope
from zonescope.report import Report, build_report, render


@pytest.fixture(scope="session")
def report_store(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.duckdb"
    shutil.copy(seeded_store, path)
    return path


@pytest.fixture(scope="session")
def report_zh(report_store: Path) -> Report:
    with zonescope.open(report_store) as zs:
        return build_report(zs, ["深圳", "宁波"])


@pytest.fixture(scope="session")
def report_files(report_zh: Report, tmp_path_factory: pytest.TempPathFactory
                 ) -> dict[str, Path]:
    """The 深圳 vs 宁波 report in every format, rendered lazily and once."""
    folder = tmp_path_factory.mktemp("report-files")
    made: dict[str, Path] = {}

    class Files(dict):  # type: ignore[type-arg]
        def __missing__(self, fmt: str) -> Path:
            path = render(report_zh, fmt, folder / f"深圳-宁波.{fmt}")
            made[fmt] = path
            self[fmt] = path
            return path

    return Files()
