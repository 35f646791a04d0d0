"""Choosing the engine, and what a user sees when Spark cannot start (no JVM is started here).

Every check runs before PySpark is imported: a wrong or unreachable URL and a
missing Java runtime each give one clear message within seconds, and the store
is left exactly as it was.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from zonescope.errors import ZoneScopeError
from zonescope.trade import spark
from zonescope.trade.engine import Engine, choose_engine

RANK = ("trade", "rank", "--level", "province", "--period", "2022-06")


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _error(result: Result) -> dict[str, Any]:
    assert result.exit_code == 2, result.output
    return json.loads(result.stdout)


@pytest.fixture
def no_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a fresh process: no Spark session started yet (the parity tests may hold one)."""
    monkeypatch.setattr(spark, "_SESSIONS", {})
    monkeypatch.setattr(spark, "_BACKENDS", {})


def test_engine_from_options_then_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZONESCOPE_ENGINE", raising=False)
    monkeypatch.delenv("ZONESCOPE_SPARK", raising=False)
    assert choose_engine() == Engine("duckdb", "local[2]", None)
    assert choose_engine(spark="sc://h:1").name == "spark"  # --spark alone means Spark
    assert choose_engine("duckdb", "sc://h:1").name == "duckdb"  # an explicit --engine wins
    monkeypatch.setenv("ZONESCOPE_ENGINE", "spark")
    monkeypatch.setenv("ZONESCOPE_SPARK", "local[1]")
    assert choose_engine() == Engine("spark", "local[1]", None)
    assert choose_engine("duckdb").name == "duckdb"
    with pytest.raises(ZoneScopeError) as bad:
        choose_engine("polars")
    assert bad.value.key == "trade.bad_option" and "duckdb | spark" in bad.value.render("en")


@pytest.mark.parametrize("url", ["yarn", "spark://host", "http://host:7077", "local[two]",
                                 "sc://", "spark://a b:7077"])
def test_malformed_urls_are_refused(cli: Callable[..., Result], url: str,
                                    no_sessions: None) -> None:
    error = _error(cli(*RANK, "--spark", url, "--json"))
    assert error["error"] == "spark.bad_url" and url in error["message"]


@pytest.mark.parametrize("scheme", ["spark", "sc"])
def test_unreachable_spark_fails_fast_with_a_clear_message(
        cli: Callable[..., Result], state: Callable[[], Any], tmp_path: Path, scheme: str,
        no_sessions: None) -> None:
    before = state()
    url = f"{scheme}://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    error = _error(cli(*RANK, "--spark", url, "--json"))
    assert time.monotonic() - started < 2 * spark.CONNECT_TIMEOUT + 5
    assert error["error"] == "spark.unreachable" and url in error["message"]
    english = cli(*RANK, "--spark", url, "--lang", "en")
    assert english.exit_code == 2 and "Cannot reach Spark" in english.output
    assert "local[2]" in english.output  # says how to try it here instead
    assert state() == before


def test_a_silent_host_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that never answers: the connection attempt is bounded by CONNECT_TIMEOUT."""
    seen: dict[str, Any] = {}

    def hang(address: tuple[str, int], timeout: float) -> Any:
        seen.update(address=address, timeout=timeout)
        raise TimeoutError("timed out")

    monkeypatch.setattr(spark.socket, "create_connection", hang)
    with pytest.raises(ZoneScopeError) as error:
        spark.check_reachable("sc://spark.example.invalid")
    assert seen == {"address": ("spark.example.invalid", 15002), "timeout": 3.0}
    assert error.value.key == "spark.unreachable"
    assert "3.0" in error.value.render("en") and "TimeoutError" in error.value.render("en")


def test_missing_java_is_named_before_spark_starts(
        cli: Callable[..., Result], state: Callable[[], Any], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, no_sessions: None) -> None:
    before = state()
    empty = tmp_path / "no-java"
    (empty / "bin").mkdir(parents=True)
    monkeypatch.setenv("PATH", str(empty / "bin"))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    error = _error(cli(*RANK, "--engine", "spark", "--json"))
    assert error["error"] == "spark.no_java" and "JAVA_HOME" in error["message"]
    monkeypatch.setenv("JAVA_HOME", str(empty))  # set, but no bin/java in it
    error = _error(cli("trade", "concentration", "广东", "--engine", "spark", "--json"))
    assert error["error"] == "spark.no_java" and str(empty) in error["message"]
    assert state() == before
    monkeypatch.setenv("PATH", os.defpath)
    assert spark.find_java() is None  # JAVA_HOME, when set, is what Spark's launcher uses


def test_a_jvm_that_cannot_start_gives_one_line(tmp_path: Path, store_path: Path) -> None:
    """Past the checks (java said present, but the launcher finds none): one clear line."""
    script = ("import sys, zonescope.trade.spark as s\n"
              "s.find_java = lambda: __import__('pathlib').Path('/usr/bin/java')\n"
              "from zonescope.cli import main\n"
              "sys.argv = ['zonescope', '--db', sys.argv[1], 'trade', 'rank', '--level',"
              " 'province', '--period', '2022-06', '--engine', 'spark', '--json']\n"
              "main()\n")
    bin_ = tmp_path / "bin"  # every command of /usr/bin and /bin except java
    bin_.mkdir()
    for folder in (Path("/usr/bin"), Path("/bin")):
        for tool in folder.iterdir():
            if tool.name != "java" and not (bin_ / tool.name).exists():
                (bin_ / tool.name).symlink_to(tool)
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(bin_)
    result = subprocess.run([sys.executable, "-c", script, str(store_path)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr[-2000:]
    error = json.loads(result.stdout)
    assert error["error"] == "spark.start_failed"
    assert "\n" not in error["message"] and "local[2]" in error["message"]


def test_find_java_follows_java_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("#!/bin/sh\n")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    assert spark.find_java() is None  # not executable
    java.chmod(0o755)
    assert spark.find_java() == java
