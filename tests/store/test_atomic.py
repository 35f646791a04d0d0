"""An import killed at any moment (kill -9) leaves the store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import zonescope
from zonescope.store.queries import snapshot


def _big_trade_file(path: Path, rows: int) -> Path:
    lines = ["region,period,span,flow,mode,value,unit,source"]
    for i in range(rows):
        year, month = 1990 + i // 12 % 30, i % 12 + 1
        region = ("440300", "330200", "440000", "330000")[i // 360 % 4]
        flow = ("total", "export", "import")[i // 1440 % 3]
        mode = ("all", "9610", "9710", "9810", "1210", "0110")[i // 4320 % 6]
        lines.append(f"{region},{year}-{month:02d},ytd,{flow},{mode},{i}.5,万元,crash-test")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _start_import(store: Path, file: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "zonescope", "--db", str(store), "import", str(file),
         "--kind", "trade"], env={**os.environ, **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _snapshot(store: Path) -> dict[str, list[tuple[object, ...]]]:
    with zonescope.open(store) as zs:
        return snapshot(zs.store.con)


def test_kill_just_before_commit_leaves_store_unchanged(store_path: Path, tmp_path: Path,
                                                        kill_at_commit: Callable[..., None]
                                                        ) -> None:
    before = _snapshot(store_path)
    big = _big_trade_file(tmp_path / "big.csv", 5000)
    kill_at_commit(store_path, "import", str(big), "--kind", "trade")
    assert _snapshot(store_path) == before


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 0.8, 1.3, 1.8, 2.5])
def test_kill_at_various_moments_is_all_or_nothing(store_path: Path, tmp_path: Path,
                                                    delay: float) -> None:
    before = _snapshot(store_path)
    proc = _start_import(store_path, _big_trade_file(tmp_path / "big.csv", 20000), {})
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = _snapshot(store_path)
    if after != before:  # the import finished before the kill: then it is whole
        crash_rows = [r for r in after["trade"] if r[11] == "crash-test"]
        assert len(crash_rows) == 20000
        assert len(after["imports"]) == len(before["imports"]) + 1
