"""The report as Markdown, with its charts as PNG files beside it (or embedded as data URIs)."""

from __future__ import annotations

import base64
from pathlib import Path

from zonescope.i18n import translate
from zonescope.report.html import cell
from zonescope.report.images import render_chart_images
from zonescope.report.model import Bullets, Figure, Note, Paragraph, Report, Section, Table


def render_markdown(report: Report, images_dir: Path | None, link_dir: str = ""
                    ) -> tuple[str, dict[str, str]]:
    """(Markdown text, {anchor: image link}); PNGs go to `images_dir` (linked as `link_dir/…`),
    or are embedded as data URIs when `images_dir` is None."""
    images = render_chart_images(report, "Markdown")
    links: dict[str, str] = {}
    for anchor, png in images.items():
        if images_dir is None:
            links[anchor] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        else:
            (images_dir / f"{anchor}.png").write_bytes(png)
            links[anchor] = f"{link_dir}/{anchor}.png" if link_dir else f"{anchor}.png"
    out = [f"# {report.title}", "", f"*{report.subtitle}*", "",
           f"## {translate('report.summary', report.lang)}", ""]
    for line in report.summary:
        out += [line, ""]
    for top in report.sections:
        _section(out, top, 2, links)
    if report.unavailable:
        out += [f"## {translate('report.unavailable', report.lang)}", ""]
        out += [f"- {line}" for line in report.unavailable] + [""]
    return "\n".join(out).rstrip() + "\n", links


def _section(out: list[str], section: Section, level: int, links: dict[str, str]) -> None:
    out += [f"{'#' * min(level, 6)} {section.title}", ""]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out += [block.text, ""]
        elif isinstance(block, Note):
            out += [f"> {block.text}", ""]
        elif isinstance(block, Bullets):
            out += [f"- {_escape(item)}" for item in block.items] + [""]
        elif isinstance(block, Table):
            out += _table(block)
        elif isinstance(block, Figure):
            link = links.get(block.anchor)
            if link:
                out += [f"![{block.label} {block.caption}]({link})", ""]
            out += [f"**{block.label} {block.caption}**", "", f"<small>{block.source_line}</small>",
                    ""]
    for child in section.children:
        _section(out, child, level + 1, links)


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> list[str]:
    lines = [f"**{table.label} {table.caption}**", "",
             "| " + " | ".join(_escape(str(c)) for c in table.columns) + " |",
             "|" + "|".join("---:" if _numeric(table, i) else "---"
                            for i in range(len(table.columns))) + "|"]
    for row in table.rows:
        lines.append("| " + " | ".join(_escape(cell(v)) for v in row) + " |")
    return [*lines, "", f"<small>{table.source_line}</small>", ""]


def _numeric(table: Table, column: int) -> bool:
    values = [r[column] for r in table.rows if r[column] is not None]
    return bool(values) and all(isinstance(v, int | float) for v in values)
