"""The policy index kept on disk between processes, so a CLI search does not re-segment.

Segmenting 100,000 documents with jieba takes 75–180 s (docs/benchmarks.md), and
every `zonescope policies search` is a new process. The postings of a built index
are saved as plain NumPy arrays (no pickle: nothing executable is ever loaded) in
the user cache directory (`$ZONESCOPE_CACHE_DIR`, else the platform's cache dir),
under a name derived from everything the postings depend on: the store file, the
library's signature (its import ids and row count), the search settings, the
domain dictionary, jieba's and this package's versions. The documents themselves
are read from the store again; a count and a digest of their titles in the file
must match them, or the file is ignored and the index rebuilt. A cache that cannot
be written (read-only home, full disk) only costs the rebuild.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from zonescope.cachefiles import cache_dir, load_arrays, package_version, save_arrays
from zonescope.policies.text import _data

FORMAT = 1


def cache_file(store_key: str, signature: tuple[Any, ...]) -> Path:
    """Where the postings of this store's library, as it is now, are kept.

    `policy-index-<store>-<content>.npz`: the first part names the store file, the
    second everything else the postings depend on.
    """
    store = Path(store_key).expanduser().resolve()
    parts = [str(FORMAT), repr(signature), package_version("zonescope"),
             package_version("jieba"), hashlib.sha256(_data("policy_search.yaml")).hexdigest(),
             hashlib.sha256(_data("policy_userdict.txt")).hexdigest()]
    return cache_dir() / f"policy-index-{_digest(str(store))}-{_digest(*parts)}.npz"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def prune(path: Path) -> None:
    """Delete the store's other index files (older libraries): one file per store is kept."""
    store_prefix = path.name.rsplit("-", 1)[0] + "-"
    with contextlib.suppress(OSError):
        for old in path.parent.glob(f"{store_prefix}*.npz"):
            if old != path:
                old.unlink(missing_ok=True)


def titles_digest(docs: list[dict[str, Any]]) -> str:
    return hashlib.sha256("\x1f".join(str(d.get("title")) for d in docs).encode()).hexdigest()


def save(path: Path, docs: list[dict[str, Any]],
         postings: dict[str, tuple[np.ndarray, np.ndarray]], lengths: np.ndarray) -> None:
    """Write the postings atomically; any OS error leaves no file and is not raised."""
    terms = list(postings)
    sizes = np.fromiter((len(postings[t][0]) for t in terms), dtype=np.int64, count=len(terms))
    arrays = {
        "terms": np.array(terms, dtype=str), "offsets": np.concatenate(([0], np.cumsum(sizes))),
        "ids": np.concatenate([postings[t][0] for t in terms]) if terms
        else np.array([], dtype=np.int32),
        "weights": np.concatenate([postings[t][1] for t in terms]) if terms
        else np.array([], dtype=np.float64),
        "lengths": lengths, "count": np.array([len(docs)]),
        "titles": np.array([titles_digest(docs)])}
    save_arrays(path, arrays)


def load(path: Path, docs: list[dict[str, Any]]
         ) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], np.ndarray] | None:
    """(postings, lengths) saved for exactly these documents, else None."""
    saved = load_arrays(path, ("count", "titles", "terms", "offsets", "ids", "weights",
                               "lengths"))
    if saved is None or saved["count"].shape != (1,) or saved["titles"].shape != (1,) or (
            int(saved["count"][0]) != len(docs) or str(saved["titles"][0]) != titles_digest(docs)):
        return None
    terms, offsets = saved["terms"].tolist(), saved["offsets"]
    ids, weights, lengths = saved["ids"], saved["weights"], saved["lengths"]
    postings = {term: (ids[offsets[i]:offsets[i + 1]], weights[offsets[i]:offsets[i + 1]])
                for i, term in enumerate(terms)}
    return postings, lengths
