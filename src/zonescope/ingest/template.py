"""Blank XLSX templates: headers, one example row, and a notes sheet explaining each column."""

from __future__ import annotations

from pathlib import Path

from zonescope.errors import ZoneScopeError
from zonescope.i18n import translate
from zonescope.ingest.export import write_xlsx
from zonescope.ingest.kinds import get_kind


def write_template(kind_name: str, target: Path, lang: str = "zh") -> None:
    """Write the import template of `kind_name` to `target` (.xlsx)."""
    kind = get_kind(kind_name)
    if target.suffix.lower() != ".xlsx":
        raise ZoneScopeError("template.bad_format", suffix=target.suffix or "?")
    headers = [c.name for c in kind.columns]
    example = [kind.example.get(c.name) for c in kind.columns]
    notes = [[translate(f"template.{h}", lang) for h in
              ("column", "alias", "required", "type", "meaning")]]
    for column in kind.columns:
        notes.append([
            column.name, "、".join(column.aliases[:3]),
            translate("template.yes" if column.required else "template.no", lang),
            column.type + (f" ({' | '.join(column.choices)})" if column.choices else ""),
            column.help_zh if lang == "zh" else column.help_en,
        ])
    notes.append([])
    notes.append([translate("template.units_note", lang)])
    target.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(target, {kind.name: [headers, example], translate("template.notes", lang): notes})
