"""The report as a Word file (python-docx): headings, real tables, charts as images,
numbered captions and source lines — what an analyst pastes into a memo.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from zonescope.i18n import translate
from zonescope.report.html import cell
from zonescope.report.images import render_chart_images
from zonescope.report.model import Bullets, Figure, Note, Paragraph, Report, Section, Table

BODY_FONT, HEAD_FONT = "宋体", "黑体"
GREY = RGBColor(0x5B, 0x62, 0x70)


def render_docx(report: Report) -> bytes:
    images = render_chart_images(report, "Word")
    doc = Document()
    _styles(doc)
    title = doc.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(doc, report.subtitle, center=True)
    doc.add_heading(translate("report.summary", report.lang), level=1)
    for line in report.summary:
        _para(doc, line, report.lang)
    for top in report.sections:
        _section(doc, top, 1, report.lang, images)
    if report.unavailable:
        doc.add_heading(translate("report.unavailable", report.lang), level=1)
        for line in report.unavailable:
            doc.add_paragraph(line, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _styles(doc: Any) -> None:
    for name, font, size in (("Normal", BODY_FONT, 11), ("Heading 1", HEAD_FONT, 15),
                             ("Heading 2", HEAD_FONT, 13), ("Heading 3", HEAD_FONT, 12),
                             ("Heading 4", HEAD_FONT, 11), ("Title", HEAD_FONT, 20)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.name = font
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.2)


def _section(doc: Any, section: Section, level: int, lang: str,
             images: dict[str, bytes]) -> None:
    doc.add_heading(section.title, level=min(level, 4))
    for block in section.blocks:
        if isinstance(block, Paragraph):
            _para(doc, block.text, lang)
        elif isinstance(block, Note):
            note = doc.add_paragraph()
            note.add_run(block.text).italic = True
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Figure):
            _figure(doc, block, images.get(block.anchor))
    for child in section.children:
        _section(doc, child, level + 1, lang, images)


def _para(doc: Any, text: str, lang: str) -> None:
    paragraph = doc.add_paragraph(text)
    if lang == "zh":
        paragraph.paragraph_format.first_line_indent = Pt(22)


def _small(doc: Any, text: str, center: bool = False) -> None:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = GREY
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _caption(doc: Any, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(10.5)


def _table(doc: Any, table: Table) -> None:
    _caption(doc, f"{table.label} {table.caption}")
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell_, name in zip(grid.rows[0].cells, table.columns, strict=True):
        cell_.text = ""
        run = cell_.paragraphs[0].add_run(str(name))
        run.bold = True
        run.font.size = Pt(9)
    for i, row in enumerate(table.rows):
        cells = grid.add_row().cells
        for cell_, value in zip(cells, row, strict=True):
            cell_.text = ""
            paragraph = cell_.paragraphs[0]
            run = paragraph.add_run(cell(value))
            run.font.size = Pt(9)
            run.bold = i in table.highlight
            if isinstance(value, int | float) and not isinstance(value, bool):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _small(doc, table.source_line)


def _figure(doc: Any, figure: Figure, image: bytes | None) -> None:
    if image:
        doc.add_picture(io.BytesIO(image), width=Cm(16))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _caption(doc, f"{figure.label} {figure.caption}")
    _small(doc, figure.source_line, center=True)
