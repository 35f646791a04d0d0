"""The importable kinds, read from `data/kinds.yaml` and the controlled vocabularies.

Importer, exporter, templates and docs all take the column tables from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from zonescope import yamlio

COLUMN_TYPES = frozenset({"region", "period", "choice", "mode", "number", "count", "year",
                          "date", "list", "text", "unit", "indicator", "flag"})
# Columns an export adds for readability; an import accepts and ignores them.
INFORMATIONAL = frozenset({"region_name", "province_name"})
# Conversion provenance of money columns: exported, and restored (after a check) on import.
PROVENANCE = ("value_raw", "unit_raw", "fx_rate")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    choice_aliases: tuple[tuple[str, str], ...] = ()
    money: bool = False
    money_only: bool = False
    minimum: float | None = None
    vocabulary: str | None = None
    level: str | None = None
    help_zh: str = ""
    help_en: str = ""

    @property
    def storage(self) -> str:
        """Column name in the store: region columns hold ids (`region` -> `region_id`)."""
        return f"{self.name}_id" if self.type == "region" else self.name


@dataclass(frozen=True)
class Kind:
    name: str
    name_zh: str
    description_zh: str
    description_en: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    example: dict[str, Any]

    @property
    def table(self) -> str:
        return self.name

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def money(self) -> Column | None:
        return next((c for c in self.columns if c.money), None)

    @property
    def storage_key(self) -> tuple[str, ...]:
        return tuple(self.column(k).storage for k in self.key)


def _data(*parts: str) -> str:
    return (resources.files("zonescope") / "data").joinpath(*parts).read_text(encoding="utf-8")


@cache
def kinds() -> dict[str, Kind]:
    raw = yamlio.load(_data("kinds.yaml"))
    result: dict[str, Kind] = {}
    for name, spec in raw.items():
        columns = tuple(
            Column(name=c["name"], type=c["type"], required=bool(c["required"]),
                   aliases=tuple(c.get("aliases", ())), choices=tuple(c.get("choices", ())),
                   choice_aliases=tuple((c.get("choice_aliases") or {}).items()),
                   money=bool(c.get("money", False)), minimum=c.get("min"),
                   money_only=bool(c.get("money_only", False)),
                   vocabulary=c.get("vocabulary"), level=c.get("level"),
                   help_zh=c.get("help_zh", ""), help_en=c.get("help_en", ""))
            for c in spec["columns"])
        for column in columns:
            if column.type not in COLUMN_TYPES:
                raise ValueError(f"kinds.yaml: {name}.{column.name}: unknown type {column.type}")
        result[name] = Kind(name=name, name_zh=spec["name_zh"],
                            description_zh=spec["description_zh"],
                            description_en=spec["description_en"], key=tuple(spec["key"]),
                            columns=columns, example=spec.get("example", {}))
    return result


def get_kind(name: str) -> Kind:
    from zonescope.errors import ZoneScopeError

    try:
        return kinds()[name]
    except KeyError:
        raise ZoneScopeError("kind.unknown", kind=name, known=", ".join(kinds())) from None


@cache
def vocabulary(name: str) -> dict[str, dict[str, Any]]:
    """A controlled vocabulary (`data/vocab/<name>.yaml`) by code; empty if not bundled."""
    try:
        entries = yamlio.load(_data("vocab", f"{name}.yaml")) or []
    except FileNotFoundError:
        return {}
    return {str(e["code"]): e for e in entries}


@cache
def customs_modes() -> dict[str, dict[str, str]]:
    """Customs supervision-mode codes (监管方式) by code, from `data/vocab/customs_modes.csv`."""
    import csv

    rows = csv.DictReader(_data("vocab", "customs_modes.csv").splitlines())
    return {row["code"]: row for row in rows}


def render_markdown() -> str:
    """The per-kind column tables of docs/data-formats.md, generated from kinds.yaml."""
    parts: list[str] = []
    for kind in kinds().values():
        parts.append(f"### `{kind.name}` — {kind.name_zh}\n")
        parts.append(f"{kind.description_zh} {kind.description_en}\n")
        parts.append(f"Key: {', '.join(f'`{k}`' for k in kind.key)}.\n")
        parts.append("| column | 中文表头 | required | type | meaning |")
        parts.append("|---|---|---|---|---|")
        for c in kind.columns:
            kind_text = c.type + (f" ({' / '.join(c.choices)})" if c.choices else "")
            if c.money:
                kind_text += ", money → 亿元"
            if c.vocabulary:
                kind_text += f", vocabulary `{c.vocabulary}`"
            parts.append(f"| `{c.name}` | {'、'.join(c.aliases) or '—'} | "
                         f"{'yes' if c.required else 'no'} | {kind_text} | "
                         f"{c.help_en} / {c.help_zh} |")
        example = ", ".join(f"{k}={v}" for k, v in kind.example.items())
        parts.append(f"\nExample row: {example}\n")
    return "\n".join(parts)
