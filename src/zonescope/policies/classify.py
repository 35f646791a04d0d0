"""Classifying a policy text into the controlled categories and targets, with the deciding terms.

Evidence is of two kinds (see `data/vocab/policy_classify.yaml`): vocabulary
keywords, matched longest-first so that a keyword inside a longer keyword of
another label is overruled (and reported as such), and words learned from the
labelled policies of the library (smoothed log-odds). `evaluate_loo` measures the
whole procedure leave-one-out on the library: each policy is classified by a model
trained on all the others.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from zonescope import yamlio
from zonescope.errors import ZoneScopeError
from zonescope.ingest.kinds import vocabulary
from zonescope.policies.text import normalise, words

VOCABS = {"categories": "policy_categories", "targets": "policy_targets"}


@cache
def classify_settings() -> dict[str, Any]:
    path = resources.files("zonescope") / "data" / "vocab" / "policy_classify.yaml"
    return yamlio.load(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Example:
    """A labelled policy: its text and its categories and targets."""

    text: str
    categories: frozenset[str]
    targets: frozenset[str]
    title: str = ""

    def labels(self, kind: str) -> frozenset[str]:
        return self.categories if kind == "categories" else self.targets


@dataclass
class Model:
    """Learned word weights per label, and the targets the library gives each category."""

    weights: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    targets_of: dict[str, Counter[str]] = field(default_factory=dict)
    size: int = 0


def policy_text(doc: dict[str, Any]) -> str:
    """The text a policy is classified on: title, number, summary and full text."""
    parts = (doc.get("title"), doc.get("doc_no"), doc.get("summary"), doc.get("full_text"))
    return "\n".join(p for p in parts if p)


def example(doc: dict[str, Any]) -> Example:
    return Example(policy_text(doc), frozenset(doc.get("categories") or ()),
                   frozenset(doc.get("targets") or ()), doc.get("title") or "")


def train(examples: list[Example]) -> Model:
    """Log-odds weights of words for each label, from presence counts in `examples`."""
    conf = classify_settings()
    alpha, min_docs, min_weight = conf["smoothing"], conf["min_docs"], conf["min_weight"]
    bags = [words(e.text) for e in examples]
    model = Model(size=len(examples))
    for kind, vocab in VOCABS.items():
        model.weights[kind] = {}
        for label in vocabulary(vocab):
            pos = [b for b, e in zip(bags, examples, strict=True) if label in e.labels(kind)]
            neg = [b for b, e in zip(bags, examples, strict=True) if label not in e.labels(kind)]
            in_pos, in_neg = Counter(w for b in pos for w in b), Counter(w for b in neg for w in b)
            learned = {}
            for word, n_pos in in_pos.items():
                if n_pos < min_docs:
                    continue
                weight = (math.log((n_pos + alpha) / (len(pos) + 2 * alpha))
                          - math.log((in_neg[word] + alpha) / (len(neg) + 2 * alpha)))
                if weight >= min_weight:
                    learned[word] = round(weight, 3)
            model.weights[kind][label] = learned
    for e in examples:
        for category in e.categories:
            model.targets_of.setdefault(category, Counter()).update(e.targets)
    return model


def keyword_hits(text: str, vocab: str) -> tuple[dict[str, list[str]], list[dict[str, str]]]:
    """Keywords found per label, longest match first; and the overruled shorter ones."""
    norm = normalise(text)
    found = []
    for code, entry in vocabulary(vocab).items():
        for keyword in entry.get("keywords") or ():
            key = normalise(str(keyword))
            start = norm.find(key)
            while start >= 0:
                found.append((start, start + len(key), key, code))
                start = norm.find(key, start + 1)
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int, str, str]] = []
    hits: dict[str, list[str]] = {}
    overruled: list[dict[str, str]] = []
    for start, end, key, code in found:
        outer = next((t for t in taken if t[0] <= start and end <= t[1]), None)
        if outer is not None:
            if outer[3] != code and code not in hits:
                overruled.append({"term": key, "label": code, "by": outer[2],
                                  "by_label": outer[3]})
            continue
        taken.append((start, end, key, code))
        if key not in hits.setdefault(code, []):
            hits[code].append(key)
    return hits, [o for o in overruled if o["label"] not in hits]


def classify(text: str, model: Model, use_learned: bool | None = None) -> dict[str, Any]:
    """Categories and targets of `text`, each with the terms that decided it.

    `use_learned` overrides the setting of the same name (learned words as evidence).
    """
    if not text or not text.strip():
        raise ZoneScopeError("policies.classify_empty")
    conf = classify_settings()
    learn = conf["use_learned"] if use_learned is None else use_learned
    bag = words(text) if learn else set()
    out: dict[str, Any] = {}
    for kind, vocab in VOCABS.items():
        hits, overruled = keyword_hits(text, vocab)
        labels = []
        for label in vocabulary(vocab):
            learned = {w: wt for w, wt in model.weights.get(kind, {}).get(label, {}).items()
                       if w in bag}
            score = round(sum(learned.values()), 3)
            if hits.get(label) or score >= conf["threshold"]:
                labels.append({"code": label, "keywords": hits.get(label, []),
                               "learned": dict(sorted(learned.items(), key=lambda x: -x[1])),
                               "learned_score": score, "by": "keyword" if hits.get(label)
                               else "learned"})
        out[kind] = labels
        out[f"{kind}_overruled"] = overruled
    if not out["targets"]:
        out["targets"] = _targets_from_categories(out["categories"], model)
    return {"categories": out["categories"], "targets": out["targets"],
            "overruled": out["categories_overruled"] + out["targets_overruled"],
            "trained_on": model.size, "use_learned": learn,
            "target_group": _group([t["code"] for t in out["targets"]])}


def _targets_from_categories(categories: list[dict[str, Any]],
                             model: Model) -> list[dict[str, Any]]:
    """No target evidence: take the majority target of the decided categories in the library."""
    votes: Counter[str] = Counter()
    for category in categories:
        votes.update(model.targets_of.get(category["code"], Counter()))
    if not votes:
        return []
    top = max(votes.values())
    total = sum(votes.values())
    return [{"code": code, "keywords": [], "learned": {}, "learned_score": 0.0,
             "by": "categories", "votes": n, "of": total,
             "from": [c["code"] for c in categories]}
            for code, n in votes.items() if n == top]


def _group(codes: list[str]) -> str:
    """`cbec`, `traditional`, `both` or `none` — the three answers the brief asks for."""
    has_cbec, has_trad = "跨境电商企业" in codes, "传统外贸企业" in codes
    if has_cbec and has_trad:
        return "both"
    return "cbec" if has_cbec else "traditional" if has_trad else "none"


def evaluate_loo(examples: list[Example], use_learned: bool | None = None) -> dict[str, Any]:
    """Leave-one-out: classify each policy with a model trained on all the others."""
    rows = []
    for i, held in enumerate(examples):
        model = train(examples[:i] + examples[i + 1:])
        got = classify(held.text, model, use_learned)
        rows.append({"title": held.title,
                     "categories": sorted(held.categories),
                     "predicted_categories": sorted(c["code"] for c in got["categories"]),
                     "targets": sorted(held.targets),
                     "predicted_targets": sorted(t["code"] for t in got["targets"])})
    learn = classify_settings()["use_learned"] if use_learned is None else use_learned
    return {"n": len(rows), "use_learned": learn, "categories": _scores(rows, "categories"),
            "targets": _scores(rows, "targets"), "rows": rows}


def _scores(rows: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    tp = fp = fn = exact = 0
    for row in rows:
        truth, pred = set(row[kind]), set(row[f"predicted_{kind}"])
        tp, fp, fn = tp + len(truth & pred), fp + len(pred - truth), fn + len(truth - pred)
        exact += truth == pred
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"exact": exact, "exact_share": round(exact / len(rows), 4) if rows else 0.0,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
