"""Prose as sentences, with every character traceable to its offset in the input.

Text extracted from PDFs breaks lines (and words: 进出\\n\\n口) anywhere, and mixes prose
with tables, chart labels, captions and running headers. The checker reads a *clean view*:
prose lines only, line breaks and spaces between Chinese characters removed (a space is
kept only between two ASCII letters or digits, so 7892.32 and 11447.8 stay apart), and
full-width digits folded to ASCII. Each clean character remembers its input offset, so
a verdict can point at the exact span of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from zonescope.claims.vocab import Vocab

TERMINATORS = "。！？；!?;"
CLAUSE_BREAKS = "，,：:"
BREAK = "\n"  # a hard boundary inside the clean view (headings, end of text)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the clean view; `offsets[i]` is the input offset of `text[i]`."""

    index: int
    text: str
    offsets: tuple[int, ...]
    section: int
    heading: bool = False

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Input offsets [start, end) of the clean slice [start, end)."""
        end = max(end, start + 1)
        return self.offsets[start], self.offsets[min(end, len(self.text)) - 1] + 1

    def clauses(self) -> list[tuple[int, int]]:
        """Clause boundaries (split at commas and colons), as clean-text index ranges."""
        bounds, start = [], 0
        for i, char in enumerate(self.text):
            if char in CLAUSE_BREAKS:
                bounds.append((start, i))
                start = i + 1
        bounds.append((start, len(self.text)))
        return [b for b in bounds if b[1] > b[0]]

    def clause_at(self, pos: int) -> tuple[int, int]:
        for start, end in self.clauses():
            if start <= pos < end or (pos == end and pos == len(self.text)):
                return start, end
        return 0, len(self.text)


@dataclass(frozen=True)
class Document:
    """The input split into sentences, and which input lines were skipped as non-prose."""

    sentences: tuple[Sentence, ...]
    skipped_lines: tuple[tuple[int, str], ...]  # (1-based line number, why)


def split(text: str, vocab: Vocab) -> Document:
    """Sentences of the prose in `text` (tables, captions and headers left out)."""
    chars: list[str] = []
    offsets: list[int] = []
    headings: set[int] = set()  # clean positions where a heading starts
    skipped: list[tuple[int, str]] = []
    pending: int | None = None  # offset of whitespace seen since the last kept character
    position = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        why = _skip_reason(line, vocab)
        heading = _is_heading(line, vocab)
        if why is not None and line.strip():
            skipped.append((number, why))
        if why is None:
            if heading:
                chars.append(BREAK)
                offsets.append(position)
                headings.add(len(chars))
                pending = None
            for i, char in enumerate(line):
                if char.isspace():
                    pending = position + i if pending is None else pending
                    continue
                folded = _fold(char)
                if pending is not None and chars and _ascii_word(chars[-1]) \
                        and _ascii_word(folded):
                    chars.append(" ")
                    offsets.append(pending)
                pending = None
                chars.append(folded)
                offsets.append(position + i)
            if heading:
                chars.append(BREAK)
                offsets.append(position + len(line.rstrip("\r\n")))
        position += len(line)
    return Document(tuple(_sentences("".join(chars), offsets, headings)), tuple(skipped))


def _sentences(clean: str, offsets: list[int], headings: set[int]) -> list[Sentence]:
    out: list[Sentence] = []
    start, section = 0, 0
    for i, char in enumerate(clean + BREAK):
        if char not in TERMINATORS and char != BREAK:
            continue
        end = i + 1 if char != BREAK else i
        is_heading = start in headings
        if is_heading:
            section += 1
        piece = clean[start:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip() and any(not c.isspace() and c not in TERMINATORS for c in piece):
            out.append(Sentence(len(out), piece[lead:], tuple(offsets[start + lead:end]),
                                section, is_heading))
        start = i + 1
    return out


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _skip_reason(line: str, vocab: Vocab) -> str | None:
    body = line.rstrip("\r\n")
    if not body.strip():
        return None
    patterns = _compiled(tuple(s.pattern for s in vocab.skip_lines))
    for pattern, rule in zip(patterns, vocab.skip_lines, strict=True):
        if pattern.search(body) and not (rule.unless_prose and _is_prose(body)):
            return rule.why
    return None


def _is_prose(line: str) -> bool:
    """A line ending a sentence mid-text (with 。，；) is prose even if it starts like a row."""
    stripped = line.strip()
    return len(stripped) > 30 and any(p in stripped for p in "，。；")


def _is_heading(line: str, vocab: Vocab) -> bool:
    return any(p.search(line) for p in _compiled(vocab.heading_lines))


def _fold(char: str) -> str:
    """Full-width digits, letters, ％ ． － ＋ to ASCII; Chinese punctuation is kept as is."""
    if "\uff01" <= char <= "\uff5e":
        folded = unicodedata.normalize("NFKC", char)
        if folded.isalnum() or folded in "%.-+":
            return folded
    return char


def _ascii_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".%")
