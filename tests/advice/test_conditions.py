"""The rule condition language: parsed and checked by our code, evaluated without eval."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonescope.advice.conditions import Facts, evaluate, parse
from zonescope.advice.facts import FIELDS
from zonescope.errors import ZoneScopeError
from zonescope.mindset.knowledge import Source, load

SIGNALS = {"cbec_enterprises", "industrial_clusters_city"}


def _when(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "when.yaml"
    path.write_text("when: " + text + "\n", encoding="utf-8")
    root, source = load(path)
    return parse(source, root["when"], root, SIGNALS, FIELDS)


FACTS = Facts({"label": "ecommerce", "stage": "mature", "policy_categories": ["内外贸一体化"],
               "is_pilot": True, "association_count": 0.0, "score": None},
              {"cbec_enterprises": (3300.0, 1.0), "industrial_clusters_city": (None, None)})


@pytest.mark.parametrize(("text", "held"), [
    ("always", True),
    ("{field: label, op: ==, value: ecommerce}", True),
    ("{field: stage, op: in, value: [growth, mature]}", True),
    ("{field: stage, op: not_in, value: [early]}", True),
    ("{signal: cbec_enterprises, op: '>=', value: 3000}", True),
    ("{signal: cbec_enterprises, part: position, op: <, value: 0}", False),
    ("{field: policy_categories, op: contains, value: 内外贸一体化}", True),
    ("{field: is_pilot, op: ==, value: true}", True),
    ("{field: association_count, op: ==, value: 0}", True),
    ("{not: {field: label, op: ==, value: balanced}}", True),
    ("{any: [{field: label, op: ==, value: balanced}, {field: stage, op: ==, value: mature}]}",
     True),
    ("{all: [{field: label, op: ==, value: balanced}, {field: stage, op: ==, value: mature}]}",
     False),
])
def test_evaluation(tmp_path: Path, text: str, held: bool) -> None:
    assert evaluate(_when(tmp_path, text), FACTS)[0] is held


@pytest.mark.parametrize("text", [
    "{signal: industrial_clusters_city, op: '>=', value: 0}",
    "{signal: industrial_clusters_city, op: <, value: 100}",
    "{field: score, op: '!=', value: 0.5}",
    "{field: score, op: not_in, value: [0.5]}",
])
def test_missing_data_never_satisfies_a_comparison(tmp_path: Path, text: str) -> None:
    held, checks = evaluate(_when(tmp_path, text), FACTS)
    assert held is False and checks[0].actual is None


def test_missing_and_present(tmp_path: Path) -> None:
    assert evaluate(_when(tmp_path, "{signal: industrial_clusters_city, op: missing}"),
                    FACTS)[0]
    assert evaluate(_when(tmp_path, "{signal: cbec_enterprises, op: present}"), FACTS)[0]


def test_checks_record_the_values_found(tmp_path: Path) -> None:
    _, checks = evaluate(_when(tmp_path, "{signal: cbec_enterprises, op: '>=', value: 300}"),
                         FACTS)
    assert checks[0].to_dict() == {"ref": "signal:cbec_enterprises", "op": ">=",
                                   "expected": 300, "actual": 3300.0, "held": True}


@pytest.mark.parametrize(("text", "key"), [
    ("{signal: cbec_firms, op: '>=', value: 1}", "advice.unknown_signal"),
    ("{field: colour, op: ==, value: red}", "advice.unknown_field_ref"),
    ("{field: label, op: ~=, value: ecommerce}", "knowledge.bad_choice"),
    ("{field: label, op: '>', value: ecommerce}", "advice.op_for_type"),
    ("{field: label, op: ==, value: e-commerce}", "advice.bad_value"),
    ("{field: score, op: '>', value: high}", "advice.bad_value"),
    ("{field: stage, op: in, value: mature}", "knowledge.bad_type"),
    ("{field: score, op: missing, value: 1}", "advice.no_value"),
    ("{field: score, op: '>'}", "knowledge.missing_field"),
    ("{signal: cbec_enterprises, field: label, op: present}", "advice.one_ref"),
    ("{signal: cbec_enterprises, op: present, part: tail}", "knowledge.bad_choice"),
    ("{field: score, op: present, part: value}", "knowledge.unknown_field"),
    ("{field: score, op: present, colour: red}", "knowledge.unknown_field"),
    ("{all: []}", "advice.bad_condition"),
    ("{all: [always], any: [always]}", "knowledge.unknown_field"),
    ("sometimes", "advice.bad_condition"),
])
def test_bad_conditions_are_refused_with_the_line(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ZoneScopeError) as caught:
        _when(tmp_path, text)
    assert caught.value.key == key
    assert caught.value.params["line"] == 1 and caught.value.params["file"] == "when.yaml"


def test_source_labels_messages() -> None:
    error = Source("rules.yaml").fail("knowledge.missing_field", None, None, missing="id")
    assert error.render("en").startswith("rules.yaml line 0")
