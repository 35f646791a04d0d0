"""Render a terminal run of `zonescope compare` to docs/img/compare.svg for the README.

Usage: python scripts/screenshot.py  (runs the real command on a fresh store)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text

OUT = Path(__file__).resolve().parent.parent / "docs" / "img" / "compare.svg"
ARGS = ["compare", "深圳", "宁波", "--period", "2022-06", "--span", "ytd"]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "104",
               "ZONESCOPE_DB": str(Path(folder) / "shot.duckdb")}
        run = subprocess.run([sys.executable, "-m", "zonescope", *ARGS], env=env,
                             capture_output=True, text=True, check=True)
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=104, force_terminal=True, file=sink)
        console.print(Text("$ zonescope " + " ".join(ARGS), style="bold"))
        console.print(Text.from_ansi(run.stdout))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    svg = console.export_svg(title="zonescope compare 深圳 宁波")
    # the README must not pull fonts from a CDN: keep only locally installed fonts
    svg = re.sub(r',\s*url\("https?://[^"]*"\) format\("[a-z0-9]+"\)', "", svg)
    OUT.write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    main()
