"""YAML with line numbers: the parsed value plus the line of every mapping key and item.

Validation messages point at the line the user must fix, so the framework loader
keeps, for each path into the document (("dimensions", 0, "weight")), the 1-based
line where it starts. Duplicate keys — which PyYAML silently lets the last one
win — are reported too.

>>> value, lines, duplicates = load_with_lines("a: 1\\nb:\\n  - x\\n  - y\\n")
>>> value, lines[("b", 1)], duplicates
({'a': 1, 'b': ['x', 'y']}, 4, [])
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[Any, ...]


def load_with_lines(text: str) -> tuple[Any, dict[Path, int], list[tuple[Path, int]]]:
    """Parse `text`; return (value, {path: line}, [(duplicate key path, line)]).

    Raises `yaml.YAMLError` (with its own mark) when the text is not YAML.
    """
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[Path, int] = {}
    duplicates: list[tuple[Path, int]] = []
    if node is None:
        return None, lines, duplicates
    constructor = yaml.SafeLoader("")

    def walk(current: Node, path: Path) -> Any:
        lines.setdefault(path, current.start_mark.line + 1)
        if isinstance(current, MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in current.value:
                key = constructor.construct_object(key_node, deep=True)
                if key in out:
                    duplicates.append(((*path, key), key_node.start_mark.line + 1))
                lines[(*path, key)] = key_node.start_mark.line + 1
                out[key] = walk(value_node, (*path, key))
            return out
        if isinstance(current, SequenceNode):
            return [walk(item, (*path, i)) for i, item in enumerate(current.value)]
        assert isinstance(current, ScalarNode)
        return constructor.construct_object(current, deep=True)

    return walk(node, ()), lines, duplicates


def line_of(lines: dict[Path, int], path: Path) -> int:
    """The line of `path`, or of its nearest ancestor that has one (1 if none)."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1
