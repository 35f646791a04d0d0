"""Every message key the mindset and advice code builds, also dynamically, exists."""

from __future__ import annotations

import re
from pathlib import Path

import zonescope
from zonescope.advice.conditions import OPS
from zonescope.advice.facts import FIELDS
from zonescope.advice.rules import AUDIENCES
from zonescope.i18n import catalogue
from zonescope.mindset import LABELS, STAGE_CODES
from zonescope.mindset.common import COMMONALITIES
from zonescope.mindset.signals import METHODS
from zonescope.mindset.spec import STAGE_METHODS

SRC = Path(zonescope.__file__).parent
FILES = [*(SRC / "mindset").glob("*.py"), *(SRC / "advice").glob("*.py"),
         SRC / "cli" / "mindset.py", SRC / "cli" / "advice.py"]
LITERAL = re.compile(r"""["']((?:knowledge|mindset|diagnose|common|advice|audience|opt)"""
                     r"""\.[a-z_.]+[a-z_])["']""")


def test_literal_keys_exist() -> None:
    used = {key for path in FILES for key in LITERAL.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 40
    assert sorted(k for k in used if k not in catalogue()) == []


def test_dynamic_keys_exist() -> None:
    missing_reasons = {"no_indicator", "not_city", "no_directory", "too_few_policies",
                       "no_targets", "no_association", "no_keywords", "no_modes", "no_detail",
                       "no_export_share"}
    keys = {f"mindset.ev.{m}" for m in METHODS}
    keys |= {f"mindset.missing.{r}" for r in missing_reasons}
    keys |= {f"mindset.label.{c}" for c in LABELS} | {f"mindset.stage.{c}" for c in STAGE_CODES}
    keys |= {f"mindset.stage.{k}.{m}" for k in ("ev", "missing") for m in STAGE_METHODS}
    keys |= {f"common.point.{k}" for k in COMMONALITIES}
    keys |= {f"common.status.{s}" for s in ("shared", "differs", "unknown", "shared_absent")}
    keys |= {f"advice.field.{f}" for f in FIELDS} | {f"audience.{a}" for a in AUDIENCES}
    keys |= {f"advice.op.{o}" for o in OPS if o in ("in", "not_in", "contains")}
    keys |= {f"advice.check.{o}" for o in ("missing", "present")}
    assert sorted(k for k in keys if k not in catalogue()) == []
    # every reason a reader can return is one of the documented ones
    text = (SRC / "mindset" / "signals.py").read_text(encoding="utf-8")
    assert set(re.findall(r'missing="([a-z_]+)"', text)) == missing_reasons
