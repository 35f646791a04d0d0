"""The report as plain data: sections of paragraphs, tables and figures, each with its sources.

Analytics (`zonescope.report.build`) fills these; renderers (HTML, PDF, Word,
Markdown, JSON) only format them. `Report.to_dict()` is the JSON document
described by `docs/report.schema.json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class SourceUse:
    """A source id from the sources registry and where in it (table, section, period)."""

    id: str
    ref: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ref": self.ref}


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}


@dataclass
class Bullets:
    """A list of items; `kind="note"` blocks say plainly what is unavailable and why."""

    items: list[str]
    kind: str = "bullets"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "items": list(self.items)}


@dataclass
class Note:
    text: str
    kind: str = "note"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}


@dataclass
class Table:
    """A numbered table (表 N): raw cell values (numbers stay numbers; None is missing)."""

    caption: str
    columns: list[str]
    rows: list[list[Any]]
    sources: list[SourceUse]
    source_line: str = ""
    number: int = 0
    label: str = ""
    note: str | None = None
    highlight: list[int] = field(default_factory=list)
    kind: str = "table"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "number": self.number, "label": self.label,
                "caption": self.caption, "columns": list(self.columns),
                "rows": [list(r) for r in self.rows], "highlight": list(self.highlight),
                "note": self.note, "sources": [s.to_dict() for s in self.sources],
                "source_line": self.source_line}


@dataclass
class Series:
    """One trace: values aligned with the chart's categories (None where nothing is known)."""

    name: str
    values: list[float | None]
    type: str = "bar"  # bar | line | pie
    axis: str = "y"  # y (left, values) | y2 (right, percent)
    unit: str | None = None
    error_low: list[float | None] | None = None
    error_high: list[float | None] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"name": self.name, "values": list(self.values), "type": self.type,
                "axis": self.axis, "unit": self.unit}
        if self.error_low is not None:
            data["error_low"] = list(self.error_low)
            data["error_high"] = list(self.error_high or [])
        return data


@dataclass
class Chart:
    """What a chart shows, independent of any plotting library."""

    type: str  # combo | bar | hbar | pie | interval
    categories: list[str]
    series: list[Series]
    y_title: str | None = None
    y2_title: str | None = None
    stacked: bool = False
    log_y: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "categories": list(self.categories),
                "series": [s.to_dict() for s in self.series], "y_title": self.y_title,
                "y2_title": self.y2_title, "stacked": self.stacked, "log_y": self.log_y}


@dataclass
class Figure:
    """A numbered figure (图 N) with its chart data, caption and source line."""

    caption: str
    chart: Chart
    sources: list[SourceUse]
    source_line: str = ""
    number: int = 0
    label: str = ""
    note: str | None = None
    kind: str = "figure"

    @property
    def anchor(self) -> str:
        return f"fig-{self.number}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "number": self.number, "label": self.label,
                "caption": self.caption, "chart": self.chart.to_dict(), "note": self.note,
                "sources": [s.to_dict() for s in self.sources], "source_line": self.source_line}


Block = Paragraph | Bullets | Note | Table | Figure


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title,
                "blocks": [b.to_dict() for b in self.blocks],
                "children": [c.to_dict() for c in self.children]}

    def walk(self) -> list[Section]:
        """This section and every descendant, in reading order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Report:
    title: str
    subtitle: str
    lang: str
    regions: list[dict[str, str]]
    period: dict[str, Any]
    generated: str
    summary: list[str]
    sections: list[Section]
    sources: list[dict[str, Any]]
    claims: dict[str, Any]
    unavailable: list[str] = field(default_factory=list)
    version: str = ""

    def all_sections(self) -> list[Section]:
        return [s for top in self.sections for s in top.walk()]

    def figures(self) -> list[Figure]:
        return [b for s in self.all_sections() for b in s.blocks if isinstance(b, Figure)]

    def tables(self) -> list[Table]:
        return [b for s in self.all_sections() for b in s.blocks if isinstance(b, Table)]

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "title": self.title,
                "subtitle": self.subtitle, "lang": self.lang, "regions": self.regions,
                "period": self.period, "generated": self.generated, "version": self.version,
                "summary": list(self.summary),
                "sections": [s.to_dict() for s in self.sections],
                "claims": self.claims, "sources": self.sources,
                "unavailable": list(self.unavailable)}
