"""An in-memory BM25F inverted index over the policy library, rebuilt when the library changes.

Why in memory and not a table: the library is small (a city publishes tens of
policies a year; 100,000 synthetic documents still fit in ~100 MB), scoring with
NumPy over postings arrays is far faster than SQL joins over a term table, and a
derived index kept in the store could go stale. The index is keyed by the
store file and a *signature* of the `policies` table (its import ids and row
count): every import of kind `policies` that adds or changes a row gives the rows
a new import id, so the next search sees a new signature and rebuilds. See
docs/policies.md for the measured costs.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np

from zonescope.policies import index_cache
from zonescope.policies.text import index_terms, settings

COLUMNS = ("region_id", "published", "title", "doc_no", "issuer", "summary", "targets",
           "categories", "source", "source_ref", "full_text", "url", "note", "import_id")


@dataclass
class PolicyIndex:
    """Postings per term (document numbers and BM25F-weighted term frequencies)."""

    docs: list[dict[str, Any]]
    postings: dict[str, tuple[np.ndarray, np.ndarray]]   # doc ids, BM25 term weight w/o idf
    norm: np.ndarray            # k1 * (1 - b + b * dl / avgdl), per document
    signature: tuple[Any, ...] = ()
    published: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    lengths: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.float64))

    masks: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.docs)

    def values(self, column: str) -> np.ndarray:
        """A column of every document as an array (cached), for vectorised filters."""
        key = ("@", column)
        if key not in self.masks:
            self.masks[key] = np.array([d.get(column) or "" for d in self.docs], dtype=object)
        return self.masks[key]

    def has(self, column: str, code: str) -> np.ndarray:
        """Which documents carry `code` in the list column `column` (cached)."""
        key = (column, code)
        if key not in self.masks:
            self.masks[key] = np.array([code in (d.get(column) or ()) for d in self.docs],
                                       dtype=bool)
        return self.masks[key]

    def df(self, term: str) -> int:
        found = self.postings.get(term)
        return 0 if found is None else len(found[0])

    def idf(self, term: str) -> float:
        """Robertson–Spärck Jones idf with the +1 that keeps it positive (Lucene's BM25)."""
        n, df = self.size, self.df(term)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25 score of every document for `terms` (OR semantics); zeros where none match."""
        total = np.zeros(self.size, dtype=np.float64)
        for term in dict.fromkeys(terms):
            found = self.postings.get(term)
            if found is None:
                continue
            ids, weight = found
            total[ids] += self.idf(term) * weight
        return total


def build_index(docs: list[dict[str, Any]], signature: tuple[Any, ...] = ()) -> PolicyIndex:
    """Tokenise each document's fields and build postings with field-weighted frequencies."""
    conf = settings()
    lists: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    lengths = np.zeros(len(docs), dtype=np.float64)
    for i, doc in enumerate(docs):
        weighted: Counter[str] = Counter()
        for name, weight in conf.fields.items():
            terms = index_terms(doc.get(name) or "")
            lengths[i] += weight * len(terms)
            for term, count in Counter(terms).items():
                weighted[term] += weight * count
        for term, tf in weighted.items():
            ids, tfs = lists[term]
            ids.append(i)
            tfs.append(tf)
    return _freeze(docs, lists, lengths, signature)


def _freeze(docs: list[dict[str, Any]], lists: dict[str, tuple[list[int], list[float]]],
            lengths: np.ndarray, signature: tuple[Any, ...]) -> PolicyIndex:
    conf = settings()
    norm = _norm(lengths)
    postings = {}
    for term, (ids, tfs) in lists.items():
        doc_ids, tf = np.asarray(ids, dtype=np.int32), np.asarray(tfs, dtype=np.float64)
        # tf(k1+1)/(tf+norm) does not depend on the query: computed once here
        postings[term] = (doc_ids, tf * (conf.k1 + 1.0) / (tf + norm[doc_ids]))
    return _assemble(docs, postings, lengths, signature, norm)


def _norm(lengths: np.ndarray) -> np.ndarray:
    conf = settings()
    avgdl = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
    return conf.k1 * (1.0 - conf.b + conf.b * lengths / avgdl)


def _assemble(docs: list[dict[str, Any]], postings: dict[str, tuple[np.ndarray, np.ndarray]],
              lengths: np.ndarray, signature: tuple[Any, ...],
              norm: np.ndarray | None = None) -> PolicyIndex:
    published = np.array([date_number(d.get("published")) for d in docs], dtype=np.int64)
    norm = _norm(lengths) if norm is None else norm
    return PolicyIndex(docs, postings, norm, signature, published, lengths)


def date_number(text: str | None) -> int:
    """`2021-03-19` -> 20210319, `2021-03` -> 20210300, `2021` -> 20210000, none -> -1.

    >>> date_number("2021-03"), date_number(None)
    (20210300, -1)
    """
    if not text:
        return -1
    parts = [int(p) for p in str(text).split("-")[:3]] + [0, 0]
    return parts[0] * 10_000 + parts[1] * 100 + parts[2]


def signature(con: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """What identifies the library's current content: its import ids and row count."""
    row = con.execute("SELECT list(DISTINCT import_id ORDER BY import_id), count(*) "
                      "FROM policies").fetchone()
    return (tuple(row[0] or ()), int(row[1])) if row else ((), 0)


def load_docs(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every policy row, in a stable order (region, date, title)."""
    cols = ", ".join(COLUMNS)
    cursor = con.execute(f"SELECT {cols} FROM policies "
                         "ORDER BY region_id, published NULLS LAST, title")
    return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]


_CACHE: dict[str, PolicyIndex] = {}


def get_index(con: duckdb.DuckDBPyConnection, store_key: str) -> PolicyIndex:
    """The index of the store `store_key`, rebuilt when the policies table has changed.

    Kept in this process, and on disk for the next one (`index_cache`).
    """
    current = signature(con)
    cached = _CACHE.get(store_key)
    if cached is not None and cached.signature == current:
        return cached
    docs = load_docs(con)
    path = index_cache.cache_file(store_key, current)
    saved = index_cache.load(path, docs)
    if saved is not None:
        index = _assemble(docs, *saved, current)
    else:
        index = build_index(docs, current)
        index_cache.save(path, docs, index.postings, index.lengths)
        index_cache.prune(path)
    _CACHE[store_key] = index
    return index


def clear_cache() -> None:
    _CACHE.clear()
