"""Docs that are derived from data stay in step with it."""

from __future__ import annotations

from pathlib import Path

from zonescope.config import SETTINGS
from zonescope.ingest.kinds import render_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_data_formats_doc_matches_kinds_yaml() -> None:
    text = (DOCS / "data-formats.md").read_text(encoding="utf-8")
    assert text.rstrip().endswith(render_markdown().rstrip()), \
        "run: python scripts/render_docs.py"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"--{setting.name}" in text and setting.env in text
