"""Regenerate the doc sections derived from knowledge files (tests fail when they drift).

    python scripts/render_docs.py

Each section is everything after its marker line, which names where it comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from zonescope.advice.reference import render_markdown as mindset_tables
from zonescope.ingest.kinds import render_markdown as kinds_table

DOCS = Path(__file__).resolve().parent.parent / "docs"
SECTIONS: list[tuple[str, str, Callable[[], str]]] = [
    ("data-formats.md", "<!-- kinds-table: generated from src/zonescope/data/kinds.yaml by "
     "`python scripts/render_docs.py` -->", kinds_table),
    ("mindset.md", "<!-- mindset-tables: generated from signals.yaml and rules.yaml by "
     "`python scripts/render_docs.py` -->", mindset_tables),
]


def main() -> None:
    for name, marker, render in SECTIONS:
        doc = DOCS / name
        head = doc.read_text(encoding="utf-8").split(marker)[0]
        doc.write_text(head + marker + "\n\n" + render(), encoding="utf-8")


if __name__ == "__main__":
    main()
