"""Reading reviewed knowledge files (signals, thresholds, rules) with their line numbers.

Knowledge lives in YAML so analysts can review and change it; when a file is
wrong, the message must name the file, the line and the field, so the loader
keeps the line of every mapping and of every key in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from zonescope.errors import ZoneScopeError


class Node(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers where it and each of its keys stand in the file."""

    line: int = 0
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    loader.flatten_mapping(node)
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise KnowledgeError("knowledge.duplicate_key", "", key_node.start_mark.line + 1,
                                 field=str(key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


class KnowledgeError(ZoneScopeError):
    """A knowledge file is malformed; the message names file, line and field."""

    def __init__(self, key: str, file: str, line: int, **params: Any) -> None:
        super().__init__(key, file=file, line=line, **params)


@dataclass(frozen=True)
class Source:
    """Where a piece of knowledge is read from, for messages."""

    name: str

    def fail(self, key: str, node: Node | None, field: str | None = None,
             **params: Any) -> KnowledgeError:
        line = 0
        if node is not None:
            line = node.key_lines.get(field, node.line) if field else node.line
        return KnowledgeError(key, self.name, line, field=field or "", **params)


def load(path: Path, label: str | None = None) -> tuple[Node, Source]:
    """Parse `path` into Nodes; YAML syntax errors and duplicate keys become KnowledgeError."""
    source = Source(label or path.name)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except KnowledgeError as exc:
        raise KnowledgeError(exc.key, source.name, exc.params["line"],
                             field=exc.params["field"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise KnowledgeError("knowledge.yaml", source.name, (mark.line + 1) if mark else 0,
                             problem=str(getattr(exc, "problem", exc))) from None
    except OSError:
        raise ZoneScopeError("file.missing", path=str(path)) from None
    if not isinstance(data, Node):
        raise KnowledgeError("knowledge.not_mapping", source.name, 1, field="")
    return data, source


def check_fields(source: Source, node: Any, required: set[str], optional: set[str],
                 where: str, parent: Node | None = None) -> Node:
    """`node` must be a mapping with all of `required` and nothing outside both sets."""
    if not isinstance(node, Node):
        raise source.fail("knowledge.not_mapping", parent, where)
    unknown = sorted(set(node) - required - optional)
    if unknown:
        raise source.fail("knowledge.unknown_field", node, unknown[0],
                          allowed=sorted(required | optional))
    missing = sorted(required - set(node))
    if missing:
        raise source.fail("knowledge.missing_field", node, None, missing=missing[0])
    return node


def number(source: Source, node: Node, field: str, *, low: float | None = None,
           high: float | None = None) -> float:
    """A numeric field (bool refused), optionally within [low, high]."""
    value = node[field]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise source.fail("knowledge.bad_type", node, field, expected="number", value=value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise source.fail("knowledge.out_of_range", node, field, value=value,
                          low=low if low is not None else "−∞",
                          high=high if high is not None else "+∞")
    return float(value)


def text(source: Source, node: Node, field: str) -> str:
    value = node[field]
    if not isinstance(value, str) or not value.strip():
        raise source.fail("knowledge.bad_type", node, field, expected="text", value=value)
    return value


def choice(source: Source, node: Node, field: str, allowed: list[str] | tuple[str, ...],
           key: str = "knowledge.bad_choice") -> str:
    value = node[field]
    if value not in allowed:
        raise source.fail(key, node, field, value=value, allowed=list(allowed))
    return str(value)
