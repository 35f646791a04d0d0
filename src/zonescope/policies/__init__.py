"""The policy library: full-text search, classification and comparison of policy documents.

Data flows from the store's `policies` table (kind `policies`) into an in-memory
BM25 index (`index`), a keyword-and-learned-terms classifier (`classify`) and
per-region counts (`compare`). Nothing here prints; the CLI and web render.
"""

from zonescope.policies.index import PolicyIndex, build_index, get_index
from zonescope.policies.search import SearchFilters, get_search

__all__ = ["PolicyIndex", "SearchFilters", "build_index", "get_index", "get_search"]
