"""Turning policy text into search terms: jieba segmentation, stop words, document numbers.

Chinese has no spaces, so words come from jieba's dictionary segmentation plus a
user dictionary of domain terms (`data/vocab/policy_userdict.txt`: 独立站, 海外仓,
综试区, 9710 …) that the stock dictionary would split (独立|站). Documents are cut
in jieba's search mode (a long word also yields its dictionary sub-words, so 跨境
finds 跨境电商); queries are cut precisely. HMM new-word guessing is off: it is
slower and makes the terms depend on the neighbouring text.

Document numbers (文号) are written with any brackets — 深商务规〔2021〕3号,
深商务规[2021]3号, 深商务规(2021)3号 — and become one canonical term
`深商务规〔2021〕3号`, so every spelling finds every other.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from zonescope import yamlio
from zonescope.cachefiles import cache_dir, load_arrays, package_version, save_arrays

# After per-character NFKC, full-width （）［］ are already ASCII.
DOC_NO = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[(【{〖]\s*(\d{4})\s*"
                    r"[〕\])】}〗]\s*(\d{1,5})\s*号?")
_WORDY = re.compile(r"[0-9a-z\u4e00-\u9fff]")


@dataclass(frozen=True)
class SearchSettings:
    """The parameters of `data/vocab/policy_search.yaml`."""

    k1: float
    b: float
    fields: dict[str, float]
    max_query_chars: int
    snippet_chars: int
    default_limit: int
    stop_words: frozenset[str]


def _data(name: str) -> bytes:
    return (resources.files("zonescope") / "data" / "vocab" / name).read_bytes()


@cache
def settings() -> SearchSettings:
    raw: dict[str, Any] = yamlio.load(_data("policy_search.yaml"))
    return SearchSettings(
        k1=float(raw["k1"]), b=float(raw["b"]),
        fields={str(k): float(v) for k, v in raw["fields"].items()},
        max_query_chars=int(raw["max_query_chars"]), snippet_chars=int(raw["snippet_chars"]),
        default_limit=int(raw["default_limit"]),
        stop_words=frozenset(str(w).lower() for w in raw["stop_words"]))


@cache
def tokenizer() -> Any:
    """A private jieba tokenizer with the domain dictionary; jieba's logging silenced.

    A private instance (not `jieba.dt`) so that other parts of the program that use
    jieba are not affected by our user dictionary.
    """
    import jieba

    logging.getLogger("jieba").setLevel(logging.ERROR)
    tok = jieba.Tokenizer()
    path = _dictionary_file()
    saved = _load_dictionary(path)
    if saved is not None:  # the merged dictionary a previous process saved
        tok.FREQ, tok.total = saved
        tok.initialized = True
        return tok
    tok.initialize()
    tok.load_userdict(io.BytesIO(_data("policy_userdict.txt")))
    words = "\n".join(tok.FREQ).encode("utf-8")
    save_arrays(path, {"words": np.frombuffer(words, dtype=np.uint8),
                       "freqs": np.fromiter(tok.FREQ.values(), dtype=np.int64,
                                            count=len(tok.FREQ)),
                       "total": np.array([tok.total], dtype=np.int64)})
    return tok


def _dictionary_file() -> Path:
    """jieba's dictionary merged with ours costs ≈ 2 s to build and 0.1 s to read back:
    kept in the user cache, named by jieba's version and our dictionary."""
    key = hashlib.sha256(package_version("jieba").encode() + b"\x1f"
                         + _data("policy_userdict.txt")).hexdigest()[:32]
    return cache_dir() / f"jieba-dictionary-{key}.npz"


def _load_dictionary(path: Path) -> tuple[dict[str, int], int] | None:
    saved = load_arrays(path, ("words", "freqs", "total"))
    if saved is None or saved["total"].shape != (1,):
        return None
    try:
        words = saved["words"].tobytes().decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    freqs, total = saved["freqs"].tolist(), int(saved["total"][0])
    if len(words) != len(freqs) or total <= 0:
        return None
    return dict(zip(words, freqs, strict=True)), total


def user_words() -> list[str]:
    """The words of the user dictionary (for docs and tests)."""
    lines = _data("policy_userdict.txt").decode("utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip()]


def normalise(text: str) -> str:
    """Full-width to ASCII and lower case, character by character (offsets stay valid).

    >>> normalise("（SaaS）９７１０")
    '(saas)9710'
    """
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char).lower()
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def canonical_doc_no(prefix: str, year: str, number: str) -> str:
    return f"{prefix}〔{year}〕{int(number)}号"


def doc_numbers(text: str) -> list[tuple[str, str, str, int, int]]:
    """(prefix, year, number, start, end) of each document number in normalised text.

    >>> [d[:3] for d in doc_numbers(normalise("见深商务规［2021］3号"))]
    [('见深商务规', '2021', '3')]
    """
    return [(m[1], m[2], m[3], m.start(), m.end()) for m in DOC_NO.finditer(text)]


def doc_terms(text: str) -> list[str]:
    """Canonical terms for the document numbers in `text`, one per plausible prefix.

    The prefix regex is greedy (通知深商务规〔2021〕3号), so every suffix of at least
    two characters is indexed; a query then picks the longest one that exists.
    """
    terms = []
    for prefix, year, number, _start, _end in doc_numbers(text):
        for i in range(0, max(len(prefix) - 1, 1)):
            terms.append(canonical_doc_no(prefix[i:], year, number))
    return terms


def keep(token: str, stop_words: frozenset[str]) -> bool:
    token = token.strip()
    return bool(token) and bool(_WORDY.search(token)) and token not in stop_words


def index_terms(text: str) -> list[str]:
    """Terms of a document field (search-mode segmentation plus document numbers)."""
    if not text:
        return []
    norm = normalise(text)
    stops = settings().stop_words
    words = [w.strip() for w in tokenizer().cut_for_search(norm, HMM=False)]
    return [w for w in words if keep(w, stops)] + doc_terms(norm)


@dataclass(frozen=True)
class QueryTerms:
    """What a query was turned into: words, document-number candidates, and what was dropped."""

    words: list[str]
    doc_nos: list[list[str]]      # per document number: candidate terms, longest prefix first
    dropped: list[str]            # stop words removed


def query_terms(query: str) -> QueryTerms:
    """Precise segmentation of a query; document numbers cut out as canonical candidates."""
    norm = normalise(query)
    stops = settings().stop_words
    doc_nos: list[list[str]] = []
    rest = norm
    for prefix, year, number, start, end in reversed(doc_numbers(norm)):
        doc_nos.insert(0, [canonical_doc_no(prefix[i:], year, number)
                           for i in range(0, max(len(prefix) - 1, 1))])
        rest = rest[:start] + " " + rest[end:]
    words: list[str] = []
    dropped: list[str] = []
    for word in (w.strip() for w in tokenizer().lcut(rest, HMM=False)):
        if not word or not _WORDY.search(word):
            continue
        if word in stops:
            dropped.append(word)
        elif word not in words:
            words.append(word)
    return QueryTerms(words, doc_nos, dropped)


def words(text: str) -> set[str]:
    """The distinct words (two characters or more, no stop words) of a text, precise cut."""
    stops = settings().stop_words
    cut = tokenizer().lcut(normalise(text), HMM=False)
    return {w.strip() for w in cut if len(w.strip()) >= 2 and keep(w, stops)}
