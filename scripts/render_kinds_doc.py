"""Regenerate the per-kind tables at the end of docs/data-formats.md from kinds.yaml."""

from __future__ import annotations

from pathlib import Path

from zonescope.ingest.kinds import render_markdown

MARKER = "<!-- kinds-table: generated from src/zonescope/data/kinds.yaml by " \
         "`python scripts/render_kinds_doc.py` -->"
DOC = Path(__file__).resolve().parent.parent / "docs" / "data-formats.md"


def main() -> None:
    head = DOC.read_text(encoding="utf-8").split(MARKER)[0]
    DOC.write_text(head + MARKER + "\n\n" + render_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
