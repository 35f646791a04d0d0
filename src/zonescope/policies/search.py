"""`get_search`: ranked policies for a query, with filters and highlighted snippets.

The query is validated first (empty, stop words only, too long, nothing
searchable are each refused with their own message); special characters are
only ever matched literally, never compiled as a pattern.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from zonescope.errors import ZoneScopeError
from zonescope.ingest.kinds import vocabulary
from zonescope.policies.index import PolicyIndex, date_number
from zonescope.policies.text import (
    DOC_NO,
    QueryTerms,
    canonical_doc_no,
    normalise,
    query_terms,
    settings,
)
from zonescope.regions import registry
from zonescope.regions.resolve import resolve

_BOUND = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
SNIPPET_FIELDS = ("full_text", "summary", "title", "doc_no")


@dataclass(frozen=True)
class SearchFilters:
    """Filters of a search; empty means no filter. Lists match any of their values."""

    region: str | None = None
    start: str | None = None
    end: str | None = None
    categories: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    issuer: str | None = None


def check_query(query: str) -> QueryTerms:
    """The query's terms, or a clear refusal of an unusable query."""
    text = (query or "").strip()
    if not text:
        raise ZoneScopeError("policies.query_empty")
    limit = settings().max_query_chars
    if len(text) > limit:
        raise ZoneScopeError("policies.query_too_long", length=len(text), max=limit)
    terms = query_terms(text)
    if not terms.words and not terms.doc_nos:
        if terms.dropped:
            raise ZoneScopeError("policies.query_stop_words", words=terms.dropped)
        raise ZoneScopeError("policies.query_no_terms", query=text)
    return terms


def date_bound(text: str | None, upper: bool) -> str | None:
    """`2022`, `2022-06` or `2022-06-30` as the first (or last) day it covers.

    >>> date_bound("2022-6", upper=True), date_bound("2022", upper=False)
    ('2022-06-31', '2022-01-01')
    """
    if not text:
        return None
    match = _BOUND.match(text.strip())
    if not match:
        raise ZoneScopeError("policies.bad_date", value=text)
    year, month, day = match[1], match[2], match[3]
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
        raise ZoneScopeError("policies.bad_date", value=text)
    month = f"{int(month):02d}" if month else ("12" if upper else "01")
    day = f"{int(day):02d}" if day else ("31" if upper else "01")
    return f"{year}-{month}-{day}"


def check_codes(values: tuple[str, ...], vocab: str) -> tuple[str, ...]:
    """Vocabulary codes for category/target names as typed (— or - both accepted)."""
    known = vocabulary(vocab)
    aliases = {"cbec": "跨境电商企业", "traditional": "传统外贸企业"} if vocab == "policy_targets" \
        else {}
    codes = []
    for value in values:
        code = aliases.get(value.strip().lower(), value.strip().replace("—", "-"))
        if code not in known:
            key = ("policies.unknown_category" if vocab == "policy_categories"
                   else "policies.unknown_target")
            raise ZoneScopeError(key, value=value, known=list(known))
        codes.append(code)
    return tuple(codes)


def filter_mask(index: PolicyIndex, filters: SearchFilters) -> np.ndarray | None:
    """Which documents pass the filters (None: no filter given)."""
    mask = np.ones(index.size, dtype=bool)
    used = False
    if filters.region:
        mask &= _region_mask(index, filters.region)
        used = True
    lo, hi = date_bound(filters.start, False), date_bound(filters.end, True)
    if lo or hi:
        pub = index.published
        mask &= (pub >= (date_number(lo) if lo else 0)) & \
            (pub <= (date_number(hi) if hi else 99_999_999))
        used = True
    for column, values, vocab in (("categories", filters.categories, "policy_categories"),
                                  ("targets", filters.targets, "policy_targets")):
        if values:
            anyof = np.zeros(index.size, dtype=bool)
            for code in check_codes(values, vocab):
                anyof |= index.has(column, code)
            mask &= anyof
            used = True
    if filters.issuer:
        needle = normalise(filters.issuer.strip())
        issuers = index.values("issuer")
        hits = [i for i in set(issuers.tolist()) if needle in normalise(i)]
        mask &= np.isin(issuers, hits)
        used = True
    return mask if used else None


def _region_mask(index: PolicyIndex, name: str) -> np.ndarray:
    """Documents of the region or of any region under it."""
    wanted = resolve(name).region.id
    reg = registry()
    ids = index.values("region_id")
    inside = []
    for rid in set(ids.tolist()):
        region = reg.get(rid)
        chain = {rid} | ({a.id for a in reg.ancestors(region)} if region else set())
        if wanted in chain:
            inside.append(rid)
    return np.isin(ids, inside)


def resolve_doc_terms(index: PolicyIndex, terms: QueryTerms) -> list[str]:
    """For each document number in the query, the longest-prefix form the index knows."""
    chosen = []
    for candidates in terms.doc_nos:
        known = [c for c in candidates if c in index.postings]
        chosen.append(known[0] if known else candidates[0])
    return chosen


def get_search(index: PolicyIndex, query: str, filters: SearchFilters | None = None,
               limit: int | None = None) -> dict[str, Any]:
    """Ranked policies for `query` (BM25F), filtered, each with a highlighted snippet."""
    filters = filters or SearchFilters()
    limit = settings().default_limit if limit is None else limit
    if limit < 1:
        raise ZoneScopeError("policies.bad_limit", value=limit)
    terms = check_query(query)
    doc_terms = resolve_doc_terms(index, terms)
    scores = index.scores(terms.words + doc_terms)
    mask = filter_mask(index, filters)
    if mask is not None:
        scores = np.where(mask, scores, 0.0)
    hits = np.flatnonzero(scores > 0)
    if len(hits) > limit:
        hits_top = hits[np.argpartition(-scores[hits], limit - 1)[:limit]]
    else:
        hits_top = hits
    top = hits_top[np.lexsort((hits_top, -scores[hits_top]))]
    results = [_result(index, int(i), rank, float(scores[i]), terms.words, doc_terms)
               for rank, i in enumerate(top, start=1)]
    return {"query": query.strip(), "terms": terms.words, "doc_numbers": doc_terms,
            "dropped": terms.dropped, "filters": asdict(filters), "total": int(len(hits)),
            "results": results}


def _result(index: PolicyIndex, i: int, rank: int, score: float, words: list[str],
            doc_terms: list[str]) -> dict[str, Any]:
    doc = index.docs[i]
    region = registry().get(doc["region_id"])
    keys = ("region_id", "published", "title", "doc_no", "issuer", "categories", "targets",
            "source", "source_ref", "url")
    found = {k: doc[k] for k in keys}
    found["categories"] = list(found["categories"] or [])
    found["targets"] = list(found["targets"] or [])
    return {"rank": rank, "score": round(score, 4),
            "region": region.name_zh if region else doc["region_id"], **found,
            "snippet": snippet(doc, words, doc_terms)}


def highlights(text: str, words: list[str], doc_terms: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of the query's words and document numbers in `text`."""
    norm = normalise(text)
    spans = []
    for word in words:
        start = norm.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = norm.find(word, start + len(word))
    wanted = set(doc_terms)
    for match in DOC_NO.finditer(norm):
        for i in range(len(match[1])):
            if canonical_doc_no(match[1][i:], match[2], match[3]) in wanted:
                spans.append((match.start(1) + i, match.end()))
                break
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(doc: dict[str, Any], words: list[str], doc_terms: list[str]) -> dict[str, Any]:
    """The window of the best field that holds the most hits, with spans relative to it."""
    width = settings().snippet_chars
    best: tuple[int, str, list[tuple[int, int]]] = (-1, "title", [])
    for name in SNIPPET_FIELDS:
        spans = highlights(doc.get(name) or "", words, doc_terms)
        if len(spans) > best[0]:
            best = (len(spans), name, spans)
    _count, name, spans = best
    text = doc.get(name) or ""
    start = 0
    if spans and len(text) > width:
        start = max(0, min(spans[0][0] - width // 4, len(text) - width))
    end = min(len(text), start + width)
    prefix = "…" if start > 0 else ""
    shown = prefix + text[start:end] + ("…" if end < len(text) else "")
    shift = len(prefix) - start
    inside = [[max(s, start) + shift, min(e, end) + shift] for s, e in spans
              if s < end and e > start]
    return {"field": name, "text": shown, "highlights": inside}
