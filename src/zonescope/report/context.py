"""What every part of the report builder shares: language, numbering, sources, sentences.

Sentences come from message templates (`data/messages/report.yaml`) so that the
wording lives in data, in Chinese and English. Every sentence is also rendered
in Chinese and kept, so the claim checker (which reads Chinese prose) can check
the report's own statements whatever language the report is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from zonescope.i18n import translate
from zonescope.regions import Region
from zonescope.report.model import Figure, Paragraph, Section, SourceUse, Table
from zonescope.store.queries import get_sources


@dataclass
class Period:
    """The report's reference period: the latest cumulative (ytd) month of `year`."""

    year: int
    month: int
    asked: str | None

    @property
    def code(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def label(self, lang: str, span: str = "ytd") -> str:
        return period_label(self.code, span, lang)


@dataclass
class Builder:
    """State of one report build: the store, the regions, numbering and collected facts."""

    con: duckdb.DuckDBPyConnection
    regions: list[Region]
    lang: str
    period: Period
    figures: int = 0
    tables: int = 0
    sentences_zh: list[str] = field(default_factory=list)
    used_sources: dict[str, set[str]] = field(default_factory=dict)
    unavailable: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    _registry: dict[str, dict[str, Any]] | None = None

    # words
    def t(self, key: str, **params: Any) -> str:
        """A message in the report's language (regions named in that language)."""
        return translate(key, self.lang, **self._named(params, self.lang))

    def say(self, key: str, **params: Any) -> Paragraph:
        """A generated sentence: kept in Chinese for the claim check, returned as a paragraph."""
        self.sentences_zh.append(translate(key, "zh", **self._named(params, "zh")))
        return Paragraph(self.t(key, **params))

    def say_meta(self, key: str, **params: Any) -> Paragraph:
        """A sentence about the report itself (not a claim about the data: never checked)."""
        return Paragraph(self.t(key, **params))

    def name(self, region: Region | None) -> str:
        if region is None:
            return "—"
        return region.name_zh if self.lang == "zh" else region.name_en

    def names(self, regions: list[Region] | None = None) -> str:
        joiner = "、" if self.lang == "zh" else ", "
        return joiner.join(self.name(r) for r in (regions or self.regions))

    def missing(self, key: str, **params: Any) -> str:
        """Say plainly that something is unavailable, and remember it for the summary list."""
        text = self.t(key, **params)
        self.unavailable.append(text)
        return text

    @staticmethod
    def _named(params: dict[str, Any], lang: str) -> dict[str, Any]:
        return {k: (v.name_zh if lang == "zh" else v.name_en) if isinstance(v, Region) else v
                for k, v in params.items()}

    # numbering and sources
    def figure(self, figure: Figure) -> Figure:
        self.figures += 1
        figure.number = self.figures
        figure.label = self.t("report.figure_label", n=self.figures)
        figure.source_line = self.source_line(figure.sources, figure.note)
        return figure

    def table(self, table: Table) -> Table:
        self.tables += 1
        table.number = self.tables
        table.label = self.t("report.table_label", n=self.tables)
        table.source_line = self.source_line(table.sources, table.note)
        return table

    def renumber(self, sections: list[Section]) -> None:
        """Number figures and tables in reading order (parts are built out of order)."""
        figures = tables = 0
        for top in sections:
            for section in top.walk():
                for block in section.blocks:
                    if isinstance(block, Figure):
                        figures += 1
                        block.number, block.label = figures, self.t("report.figure_label",
                                                                    n=figures)
                    elif isinstance(block, Table):
                        tables += 1
                        block.number, block.label = tables, self.t("report.table_label", n=tables)

    def source_line(self, uses: list[SourceUse], note: str | None = None) -> str:
        """`数据来源：title（ref）；…` from the sources registry, remembering each use."""
        registry = self.registry()
        parts: dict[str, list[str]] = {}
        for use in uses:
            refs = parts.setdefault(use.id, [])
            self.used_sources.setdefault(use.id, set())
            if use.ref:
                self.used_sources[use.id].add(use.ref)
                if use.ref not in refs:
                    refs.append(use.ref)
        shown = []
        for source_id, refs in parts.items():
            entry = registry.get(source_id)
            title = (entry.get("title_zh") if self.lang == "zh" else
                     entry.get("title_en") or entry.get("title_zh")) if entry else \
                self.pseudo_source(source_id)
            shown.append(f"{title}（{'、'.join(_short(refs))}）" if refs else str(title))
        body = "；".join(shown) if shown else self.t("report.source_none")
        line = self.t("report.source_line", sources=body)
        return f"{line} {note}" if note else line

    def pseudo_source(self, source_id: str) -> str:
        """ZoneScope's own computations (claim check, index runs) and unregistered ids."""
        key = f"report.source.{source_id}"
        text = self.t(key)
        return source_id if text == key else text

    def registry(self) -> dict[str, dict[str, Any]]:
        if self._registry is None:
            self._registry = {row["id"]: row for row in get_sources(self.con)}
        return self._registry


def _short(refs: list[str], limit: int = 4) -> list[str]:
    """At most `limit` references; a monthly series citing twelve tables shows `first … last`."""
    if len(refs) <= limit:
        return refs
    ordered = sorted(refs)
    return [f"{ordered[0]} … {ordered[-1]}"]


def period_label(period: str, span: str, lang: str) -> str:
    """`2024年1-6月` (ytd), `2024年6月` (month), `2024年` (year); English likewise.

    >>> period_label("2024-06", "ytd", "zh"), period_label("2024-01", "ytd", "zh")
    ('2024年1-6月', '2024年1月')
    >>> period_label("2022-06", "ytd", "en"), period_label("2021-12", "year", "en")
    ('Jan–Jun 2022', '2021')
    """
    year, month = int(period[:4]), int(period[5:7]) if len(period) >= 7 else 12
    if span == "year":
        return f"{year}年" if lang == "zh" else str(year)
    if span == "ytd" and month > 1:
        return f"{year}年1-{month}月" if lang == "zh" else f"Jan–{_MONTHS[month]} {year}"
    return f"{year}年{month}月" if lang == "zh" else f"{_MONTHS[month]} {year}"


def month_label(period: str, months: int, lang: str) -> str:
    """A single month on a chart axis: `3月`, or `1-2月` for a combined January–February."""
    month = int(period[5:7])
    if lang == "zh":
        return f"{month - months + 1}-{month}月" if months > 1 else f"{month}月"
    return (f"{_MONTHS[month - months + 1]}–{_MONTHS[month]}" if months > 1
            else _MONTHS[month])


_MONTHS = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec"]


def num(value: float | None, digits: int = 2) -> str:
    """A number for a sentence: no thousands separators (the claim checker reads them as
    printed), trailing zeros dropped; None as —.

    >>> num(45048.2412), num(7.0), num(None), num(0.35871, 2)
    ('45048.24', '7', '—', '0.36')
    """
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
