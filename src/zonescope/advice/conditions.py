"""A small, safe condition language for recommendation rules — parsed here, never `eval`-ed.

A condition is `always`, or a group, or a clause:

    {all: [ … ]}   every item holds        {any: [ … ]}   at least one holds
    {not: item}    the item does not hold
    {signal: ID, op: OP, value: V}             a diagnosis signal (part: value | position)
    {field: NAME, op: OP, value: V}            a fact about the region (see FIELDS)

Operators: == != < <= > >= in not_in contains missing present. A clause over
missing data holds only for `missing`: no data never satisfies a comparison, so a
rule never fires on a guess. Parsing checks every name against the signals file
and the field list, and every value against its operator and type, naming the line.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from zonescope.mindset.knowledge import Node, Source

COMPARE = ("==", "!=", "<", "<=", ">", ">=")
OPS = (*COMPARE, "in", "not_in", "contains", "missing", "present")
# field type -> operators it accepts
TYPE_OPS = {
    "number": (*COMPARE, "in", "not_in", "missing", "present"),
    "choice": ("==", "!=", "in", "not_in", "missing", "present"),
    "bool": ("==", "!=", "missing", "present"),
    "list": ("contains", "missing", "present"),
}


@dataclass(frozen=True)
class FieldType:
    kind: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    ref_kind: str  # signal | field
    ref: str
    op: str
    value: Any = None
    part: str = "value"

    @property
    def name(self) -> str:
        suffix = ".position" if self.ref_kind == "signal" and self.part == "position" else ""
        return f"{self.ref_kind}:{self.ref}{suffix}"


@dataclass(frozen=True)
class Group:
    kind: str  # all | any | not | always
    items: tuple[Clause | Group, ...] = ()


@dataclass(frozen=True)
class Check:
    """One clause as evaluated: what was compared with what, and whether it held."""

    clause: Clause
    actual: Any
    held: bool

    def to_dict(self) -> dict[str, Any]:
        c = self.clause
        return {"ref": c.name, "op": c.op, "expected": c.value, "actual": self.actual,
                "held": self.held}


class Facts:
    """What conditions may ask about: named fields and each signal's value and position."""

    def __init__(self, fields: dict[str, Any], signals: dict[str, tuple[Any, Any]]) -> None:
        self.fields = fields
        self.signals = signals

    def get(self, clause: Clause) -> Any:
        if clause.ref_kind == "field":
            return self.fields.get(clause.ref)
        value, position = self.signals.get(clause.ref, (None, None))
        return position if clause.part == "position" else value


def parse(source: Source, raw: Any, parent: Node, signals: set[str],
          fields: dict[str, FieldType]) -> Group:
    """Parse and validate the `when` of a rule."""
    if raw == "always":
        return Group("always")
    item = _item(source, raw, parent, signals, fields)
    return item if isinstance(item, Group) else Group("all", (item,))


def _item(source: Source, raw: Any, parent: Node, signals: set[str],
          fields: dict[str, FieldType]) -> Clause | Group:
    if not isinstance(raw, Node):
        raise source.fail("advice.bad_condition", parent, "when", value=raw)
    groups = [k for k in ("all", "any", "not") if k in raw]
    if groups:
        if len(raw) != 1:
            extra = sorted(set(raw) - {groups[0]})
            raise source.fail("knowledge.unknown_field", raw, extra[0], allowed=[groups[0]])
        kind = groups[0]
        body = raw[kind]
        if kind == "not":
            return Group("not", (_item(source, body, raw, signals, fields),))
        if not isinstance(body, list) or not body:
            raise source.fail("advice.bad_condition", raw, kind, value=body)
        return Group(kind, tuple(_item(source, b, raw, signals, fields) for b in body))
    return _clause(source, raw, signals, fields)


def _clause(source: Source, raw: Node, signals: set[str],
            fields: dict[str, FieldType]) -> Clause:
    allowed = {"signal", "field", "op", "value", "part"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise source.fail("knowledge.unknown_field", raw, unknown[0], allowed=sorted(allowed))
    refs = [k for k in ("signal", "field") if k in raw]
    if len(refs) != 1:
        raise source.fail("advice.one_ref", raw, None)
    if "op" not in raw:
        raise source.fail("knowledge.missing_field", raw, None, missing="op")
    op = raw["op"]
    if op not in OPS:
        raise source.fail("knowledge.bad_choice", raw, "op", value=op, allowed=list(OPS))
    kind, ref = refs[0], raw[refs[0]]
    if kind == "signal":
        if ref not in signals:
            raise source.fail("advice.unknown_signal", raw, "signal", value=ref,
                              allowed=sorted(signals))
        part = raw.get("part", "value")
        if part not in ("value", "position"):
            raise source.fail("knowledge.bad_choice", raw, "part", value=part,
                              allowed=["value", "position"])
        ftype = FieldType("number")
    else:
        if "part" in raw:
            raise source.fail("knowledge.unknown_field", raw, "part",
                              allowed=sorted(allowed - {"part"}))
        if ref not in fields:
            raise source.fail("advice.unknown_field_ref", raw, "field", value=ref,
                              allowed=sorted(fields))
        part, ftype = "value", fields[ref]
    value = _value(source, raw, op, ftype)
    return Clause(kind, str(ref), op, value, part)


def _value(source: Source, raw: Node, op: str, ftype: FieldType) -> Any:
    if op not in TYPE_OPS[ftype.kind]:
        raise source.fail("advice.op_for_type", raw, "op", value=op, kind=ftype.kind,
                          allowed=list(TYPE_OPS[ftype.kind]))
    if op in ("missing", "present"):
        if "value" in raw:
            raise source.fail("advice.no_value", raw, "value", value=op)
        return None
    if "value" not in raw:
        raise source.fail("knowledge.missing_field", raw, None, missing="value")
    value = raw["value"]
    items = value if op in ("in", "not_in") else [value]
    if op in ("in", "not_in") and (not isinstance(value, list) or not value):
        raise source.fail("knowledge.bad_type", raw, "value", expected="list", value=value)
    for item in items:
        if not _fits(item, ftype):
            raise source.fail("advice.bad_value", raw, "value", value=item, kind=ftype.kind,
                              allowed=list(ftype.choices) or ftype.kind)
    return value


def _fits(value: Any, ftype: FieldType) -> bool:
    if ftype.kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if ftype.kind == "bool":
        return isinstance(value, bool)
    if ftype.kind == "choice":
        return value in ftype.choices
    return isinstance(value, str)  # list: `contains` takes one text item


def describe(condition: Clause | Group) -> str:
    """The condition as one line of text, for docs and for showing the whole rule.

    >>> describe(Group("all", (Clause("field", "stage", "in", ["growth", "mature"]),
    ...                        Clause("signal", "cbec_enterprises", ">=", 300))))
    'stage in [growth, mature] AND cbec_enterprises >= 300'
    """
    if isinstance(condition, Clause):
        name = condition.ref + (".position" if condition.part == "position" else "")
        if condition.op in ("missing", "present"):
            return f"{name} {condition.op}"
        value = (f"[{', '.join(map(str, condition.value))}]"
                 if isinstance(condition.value, list) else condition.value)
        return f"{name} {condition.op} {value}"
    if condition.kind == "always":
        return "always"
    if condition.kind == "not":
        return f"NOT ({describe(condition.items[0])})"
    word = " AND " if condition.kind == "all" else " OR "
    return word.join(f"({describe(i)})" if isinstance(i, Group) and i.kind != "not"
                     else describe(i) for i in condition.items)


def evaluate(condition: Clause | Group, facts: Facts) -> tuple[bool, list[Check]]:
    """Whether the condition holds, with every clause that was evaluated."""
    if isinstance(condition, Clause):
        actual = facts.get(condition)
        return _test(condition, actual), [Check(condition, actual, _test(condition, actual))]
    if condition.kind == "always":
        return True, []
    results = [evaluate(item, facts) for item in condition.items]
    checks = [c for _, found in results for c in found]
    if condition.kind == "not":
        return not results[0][0], checks
    held = [h for h, _ in results]
    return (all(held) if condition.kind == "all" else any(held)), checks


def _test(clause: Clause, actual: Any) -> bool:
    op, value = clause.op, clause.value
    if op == "missing":
        return actual is None
    if op == "present" or actual is None:
        return actual is not None and op == "present"
    if op == "contains":
        return isinstance(actual, list | tuple) and value in actual
    if op in ("in", "not_in"):
        return (actual in value) == (op == "in")
    try:
        return bool(_COMPARE[op](actual, value))
    except TypeError:
        return False


_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}
