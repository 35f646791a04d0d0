"""The report as JSON: `Report.to_dict()`, the document docs/report.schema.json describes."""

from __future__ import annotations

import json

from zonescope.report.model import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
