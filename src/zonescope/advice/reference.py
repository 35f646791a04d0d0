"""The reference tables of docs/mindset.md, generated from the knowledge files.

Signals, stage criteria, fields and rules are declared once (signals.yaml,
rules.yaml, advice.facts.FIELDS); the doc's tables are rendered from them by
`python scripts/render_docs.py`, and a test fails when they drift apart.
"""

from __future__ import annotations

from zonescope.advice.conditions import TYPE_OPS, describe
from zonescope.advice.facts import FIELDS
from zonescope.advice.rules import get_rules
from zonescope.i18n import translate
from zonescope.mindset import get_spec


def render_markdown() -> str:
    """Markdown tables: signals, stage criteria, condition fields and the rule book."""
    spec = get_spec()
    lines = ["### Signals (signals.yaml)\n",
             "| id | 名称 | weight | method | curve (value → position) | role | article |",
             "|---|---|---|---|---|---|---|"]
    for s in spec.signals:
        curve = ", ".join(f"{x:g} → {p:+g}" for x, p in s.curve.points)
        scale = " (log)" if s.curve.log else ""
        lines.append(f"| `{s.id}` | {s.name_zh} | {s.weight:g} | `{s.method}` | "
                     f"{curve}{scale} | {s.role} | {s.article} |")
    labels = spec.labels
    lines += ["", f"Labels: score ≥ {labels.threshold:g} → 电商思维主导, ≤ −{labels.threshold:g} "
              f"→ 外贸思维主导, otherwise 兼顾型; 数据不足 when confidence < "
              f"{labels.min_confidence:g} or fewer than {labels.min_signals} signals have data.",
              "", "### Stage criteria (signals.yaml, `stage`)\n",
              "| id | 名称 | thresholds (1 point, 2 points) | unit |", "|---|---|---|---|"]
    for c in spec.stage.criteria:
        lines.append(f"| `{c.id}` | {c.name_zh} | {c.thresholds[0]:g}, {c.thresholds[1]:g} | "
                     f"{c.unit} |")
    lines += ["", f"Stage: mean points < {spec.stage.growth_from:g} → 起步 (early), < "
              f"{spec.stage.mature_from:g} → 成长 (growth), otherwise 成熟 (mature).", "",
              "### Fields for conditions\n", "| field | 含义 | type | operators |",
              "|---|---|---|---|"]
    for name, ftype in FIELDS.items():
        kind = ftype.kind + (f" ({' / '.join(ftype.choices)})" if ftype.choices else "")
        lines.append(f"| `{name}` | {translate(f'advice.field.{name}', 'zh')} | {kind} | "
                     f"{' '.join(f'`{o}`' for o in TYPE_OPS[ftype.kind])} |")
    lines += ["", "### Rules (rules.yaml)\n", "| id | audience | priority | when | article |",
              "|---|---|---|---|---|"]
    for r in get_rules().rules:
        when = describe(r.when).replace("|", "\\|")
        lines.append(f"| `{r.id}` | {r.audience} | {r.priority:g} | `{when}` | {r.article} |")
    return "\n".join(lines) + "\n"
