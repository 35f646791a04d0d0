"""Development mindset (发展思维): diagnosis, stage and what two cities share.

Turns the reasoning of igdt-2022-04 — Shenzhen develops with e-commerce thinking,
Ningbo with foreign-trade thinking (摘要) — into an explainable engine for any
region: `diagnose` (signals → score → label, with evidence), `get_stage`
(起步 / 成长 / 成熟 and the article's stage advice) and `get_common` (the four
commonalities and the five dimensions, computed from data). The signals, weights,
thresholds and their rationale live in `data/mindset/signals.yaml`.
"""

from zonescope.mindset.common import Common, get_common
from zonescope.mindset.diagnose import LABELS, Diagnosis, diagnose, label_text
from zonescope.mindset.spec import Spec, get_spec
from zonescope.mindset.stage import STAGE_CODES, Stage, get_stage

__all__ = ["LABELS", "STAGE_CODES", "Common", "Diagnosis", "Spec", "Stage", "diagnose",
           "get_common", "get_spec", "get_stage", "label_text"]
