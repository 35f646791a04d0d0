"""The report as PDF: the HTML report printed by headless Chromium (A4, page numbers)."""

from __future__ import annotations

from zonescope.report.browser import print_pdf
from zonescope.report.html import render_html
from zonescope.report.model import Report

FOOTER = ('<div style="width:100%; font-size:8px; color:#666; text-align:center; '
          'font-family: \'Noto Sans CJK SC\', sans-serif;">{title} · '
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def render_pdf(report: Report) -> bytes:
    title = report.title.replace("&", "&amp;").replace("<", "&lt;")
    return print_pdf(render_html(report), FOOTER.format(title=title))
