"""Regenerate the reference tables at the end of docs/mindset.md from the knowledge files."""

from __future__ import annotations

from pathlib import Path

from zonescope.advice.reference import render_markdown

MARKER = "<!-- mindset-tables: generated from signals.yaml and rules.yaml by " \
         "`python scripts/render_mindset_doc.py` -->"
DOC = Path(__file__).resolve().parent.parent / "docs" / "mindset.md"


def main() -> None:
    head = DOC.read_text(encoding="utf-8").split(MARKER)[0]
    DOC.write_text(head + MARKER + "\n\n" + render_markdown(), encoding="utf-8")


if __name__ == "__main__":
    main()
