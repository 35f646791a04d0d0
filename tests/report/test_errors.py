"""Bad input to `compare -o`: one clear message, exit code 2, and no file left behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from zonescope.errors import ZoneScopeError


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for the report (the test store lives in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _fails(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output


def test_unknown_region(cli: Callable[..., Result], out: Path) -> None:
    _fails(cli("compare", "深圳", "火星市", "-o", str(out / "r.html")), "火星市")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("names", [("深圳", "深圳"), ("深圳", "鹏城"), ("宁波", "深圳", "440300")])
def test_the_same_region_twice(cli: Callable[..., Result], out: Path,
                               names: tuple[str, ...]) -> None:
    _fails(cli("compare", *names, "-o", str(out / "r.html")), "同一个地区", "深圳市")
    assert list(out.iterdir()) == []


def test_a_period_the_store_lacks(cli: Callable[..., Result], out: Path) -> None:
    result = cli("compare", "深圳", "宁波", "--period", "2019", "-o", str(out / "r.html"))
    _fails(result, "2019", "2024")  # names the years it does hold
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("period", ["20x", "2024-13", "2024/06", "24"])
def test_a_malformed_period(cli: Callable[..., Result], out: Path, period: str) -> None:
    _fails(cli("compare", "深圳", "宁波", "--period", period, "-o", str(out / "r.json")),
           "YYYY")


@pytest.mark.parametrize("name", ["r.xls", "r", "r.txt"])
def test_an_unknown_suffix(cli: Callable[..., Result], out: Path, name: str) -> None:
    _fails(cli("compare", "深圳", "宁波", "-o", str(out / name)), ".html", ".docx")
    assert list(out.iterdir()) == []


def test_an_unwritable_path(cli: Callable[..., Result], out: Path) -> None:
    blocker = out / "file.txt"
    blocker.write_text("not a folder")
    _fails(cli("compare", "深圳", "宁波", "-o", str(blocker / "r.html")), "r.html")
    assert sorted(p.name for p in out.iterdir()) == ["file.txt"]


def test_a_folder_as_output(cli: Callable[..., Result], out: Path) -> None:
    folder = out / "out.html"
    folder.mkdir()
    _fails(cli("compare", "深圳", "宁波", "-o", str(folder)), "out.html")


def test_a_failure_while_rendering_leaves_nothing(cli: Callable[..., Result], out: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import zonescope.report.output as output

    def broken(*_: object) -> bytes:
        raise ZoneScopeError("report.browser_failed", browser="x", fmt="PDF", reason="boom")

    monkeypatch.setattr(output, "render_bytes", broken)
    target = out / "r.pdf"
    target_old = out / "keep.pdf"
    target_old.write_bytes(b"old")
    _fails(cli("compare", "深圳", "宁波", "-o", str(target)), "boom")
    assert sorted(p.name for p in out.iterdir()) == ["keep.pdf"]


def test_count_of_regions(cli: Callable[..., Result], out: Path) -> None:
    _fails(cli("compare", "深圳", "-o", str(out / "r.html")), "2 到 4")


def test_errors_in_english(cli: Callable[..., Result], out: Path) -> None:
    _fails(cli("compare", "深圳", "鹏城", "--lang", "en", "-o", str(out / "r.html")),
           "same region")


def test_without_output_the_terminal_view_stays(cli: Callable[..., Result]) -> None:
    result = cli("compare", "深圳", "宁波")
    assert result.exit_code == 0
    assert "外贸进出口" in result.output and "<html" not in result.output
