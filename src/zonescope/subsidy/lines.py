"""YAML that remembers where each value was written, so messages can point at the line.

A mapping loads as `LineDict` (a dict with `.line` and `.lines[key]`), a sequence
as `LineList` (a list with `.line` and `.lines[i]`). Duplicate keys, which plain
PyYAML silently keeps the last of, are refused.
"""

from __future__ import annotations

from typing import Any

import yaml

from zonescope.errors import ZoneScopeError


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping with the 1-based line of itself and of each key."""

    line: int = 0
    lines: dict[str, int]

    def at(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LineList(list):  # type: ignore[type-arg]
    """A sequence with the 1-based line of itself and of each item."""

    line: int = 0
    lines: list[int]

    def at(self, i: int) -> int:
        return self.lines[i] if i < len(self.lines) else self.line


class _Loader(yaml.SafeLoader):
    file_name = ""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            raise ZoneScopeError("subsidy.yaml_duplicate", file=loader.file_name, line=line,
                                 name=str(key))
        result[str(key)] = loader.construct_object(value_node, deep=True)
        result.lines[str(key)] = line
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(n, deep=True) for n in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [n.start_mark.line + 1 for n in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(text: str, file_name: str) -> Any:
    """Parse `text`; a syntax error becomes a message with the file and line."""
    loader = _Loader(text)
    loader.file_name = file_name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ZoneScopeError("subsidy.yaml_syntax", file=file_name,
                             line=(mark.line + 1) if mark else 0,
                             detail=str(exc.problem or exc)) from None
    finally:
        loader.dispose()
