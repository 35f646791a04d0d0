"""Errors that reach users: a message key plus parameters, rendered in zh or en.

Analytics and storage raise these; only the presentation layer (CLI, web)
renders them, so the same failure reads correctly in either language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zonescope.i18n import translate


class ZoneScopeError(Exception):
    """A failure with a translatable message; `exit_code` 2 means bad input."""

    exit_code = 2

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.render("zh"))

    def render(self, lang: str = "zh") -> str:
        return translate(self.key, lang, **self.params)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"error": self.key, "message": self.render(lang), "params": _plain(self.params)}


class StoreError(ZoneScopeError):
    """The store cannot be opened, migrated or written as asked."""


class RegionNotFound(ZoneScopeError):
    """No region matches a name; `params['candidates']` holds near misses."""


class RegionAmbiguous(ZoneScopeError):
    """Several regions match a name equally well; the user must choose."""


class SqlRefused(ZoneScopeError):
    """A statement given to the read-only SQL console would write or reach outside."""


@dataclass(frozen=True)
class CellProblem:
    """One bad cell of an input file, located as the user sees the file."""

    row: int
    column: str
    value: str
    reason_key: str
    params: dict[str, Any] = field(default_factory=dict)

    def reason(self, lang: str = "zh") -> str:
        return translate(self.reason_key, lang, **self.params)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason(lang),
            "code": self.reason_key,
        }


class ImportRejected(ZoneScopeError):
    """A file failed validation; nothing was written. Carries every problem found."""

    def __init__(self, file_name: str, problems: list[CellProblem]) -> None:
        self.problems = problems
        super().__init__("import.rejected", file=file_name, count=len(problems))

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        data = super().to_dict(lang)
        data["problems"] = [p.to_dict(lang) for p in self.problems]
        return data


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, str | int | float | bool | None | list) else str(v)
            for k, v in params.items()}
