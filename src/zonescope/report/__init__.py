"""The comparison report: the article's structure, built from the store, in five formats.

>>> import zonescope, tempfile, pathlib
>>> from zonescope.report import build_report
>>> zs = zonescope.open(pathlib.Path(tempfile.mkdtemp()) / "demo.duckdb")
>>> report = build_report(zs, ["深圳", "宁波"])
>>> report.figures()[0].label, report.tables()[0].label
('图 1', '表 1')
>>> zs.close()

`build_report(zs_or_con, regions, lang=, period=)` returns a `Report` (plain data,
`to_dict()` is the JSON of docs/report.schema.json); `render(report, fmt, path)`
writes html | pdf | docx | md | json atomically, `render_bytes(report, fmt)` returns
the file's bytes (for a web response). Renderers import their libraries lazily.
"""

from zonescope.report.build import build_report
from zonescope.report.model import Report
from zonescope.report.output import FORMATS, format_of, render, render_bytes

__all__ = ["FORMATS", "Report", "build_report", "format_of", "render", "render_bytes"]
