"""signals.yaml is validated: unknown fields, types, curves and methods are refused with a line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zonescope.errors import ZoneScopeError
from zonescope.mindset import get_spec
from zonescope.mindset.signals import METHODS
from zonescope.mindset.spec import Curve, default_path

BUNDLED = default_path().read_text(encoding="utf-8")


@pytest.fixture
def broken(broken_copy: Callable[..., Any]) -> Callable[[str, str], ZoneScopeError]:
    """Load a copy of the bundled file with one replacement; return the error raised."""
    return broken_copy(BUNDLED, "signals.yaml", get_spec)


def test_bundled_spec_is_valid_and_documented() -> None:
    spec = get_spec()
    assert spec.total_weight == pytest.approx(1.0)
    assert {s.method for s in spec.signals} == set(METHODS)
    for signal in spec.signals:
        assert signal.article and signal.quote and signal.rationale_en and signal.needs_zh
    assert [c.id for c in spec.stage.criteria] == ["pilot_years", "cbec_scale", "trade_scale"]


def test_unknown_field_names_the_line(broken: Callable[[str, str], ZoneScopeError],
        line_of: Callable[[str, str], int]) -> None:
    error = broken("    weight: 0.25\n", "    weight: 0.25\n    wieght: 0.3\n")
    assert error.key == "knowledge.unknown_field"
    assert error.params["field"] == "wieght"
    assert error.params["line"] == line_of(BUNDLED, "    weight: 0.25") + 1
    assert "wieght" in error.render("en") and "line" in error.render("en")


def test_unknown_method(broken: Callable[[str, str], ZoneScopeError],
        line_of: Callable[[str, str], int]) -> None:
    error = broken("method: clusters_city", "method: clusters_town")
    assert error.key == "knowledge.bad_choice" and error.params["value"] == "clusters_town"
    assert error.params["line"] == line_of(BUNDLED, "method: clusters_city")


def test_unknown_indicator(broken: Callable[[str, str], ZoneScopeError]) -> None:
    error = broken("{indicator: cbec_enterprises}", "{indicator: cbec_firms}")
    assert error.key == "knowledge.unknown_indicator" and error.params["value"] == "cbec_firms"


def test_decreasing_curve(broken: Callable[[str, str], ZoneScopeError]) -> None:
    error = broken("curve: [[100, -1], [3000, 1]]", "curve: [[3000, -1], [100, 1]]")
    assert error.key == "knowledge.bad_curve"


def test_weight_out_of_range_and_wrong_type(
        broken: Callable[[str, str], ZoneScopeError]) -> None:
    assert broken("weight: 0.25", "weight: 2").key == "knowledge.out_of_range"
    assert broken("weight: 0.25", "weight: heavy").key == "knowledge.bad_type"


def test_duplicate_signal_id(broken: Callable[[str, str], ZoneScopeError]) -> None:
    error = broken("id: cbec_share_of_traders", "id: cbec_enterprises")
    assert error.key == "knowledge.duplicate"


def test_missing_field_and_bad_yaml(broken: Callable[[str, str], ZoneScopeError]) -> None:
    assert broken("    role: base\n", "").key == "knowledge.missing_field"
    error = broken("signals:\n", "signals: [\n")
    assert error.key == "knowledge.yaml" and error.params["line"] > 0


def test_curve_positions() -> None:
    curve = Curve(((15.0, 0.0), (40.0, -1.0)))
    assert curve.position(10) == 0.0 and curve.position(40) == -1.0
    assert curve.position(27.5) == pytest.approx(-0.5)
    log = Curve(((100.0, -1.0), (3000.0, 1.0)), log=True)
    assert log.position(0) == -1.0 and abs(log.position(547.7)) < 0.01
