"""Recommendations for governments, associations and the four enterprise types.

The article's advice (igdt-2022-04, 三) is kept as rules in `data/advice/rules.yaml`,
each with an audience, a condition over the diagnosis, stage and data (a small
safe language, `conditions`), text in Chinese and English, its rationale, the
article section it comes from and the evidence to show. `advise` returns the
rules that apply to a region, ranked, each with why it applies.
"""

from zonescope.advice.engine import Advice, Applied, advise
from zonescope.advice.rules import AUDIENCES, Rule, RuleBook, get_rules

__all__ = ["AUDIENCES", "Advice", "Applied", "Rule", "RuleBook", "advise", "get_rules"]
