"""The policy index on disk: a new process reuses it, and anything doubtful is rebuilt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import zonescope
from zonescope.policies import SearchFilters, get_search, index, text
from zonescope.policies.index_cache import cache_file

POLICY = ("地区,标题,发布日期,文号,发文机关,摘要,适用对象,类别,来源,出处\n"
          "深圳,跨境电商海外仓专项扶持办法,2031-01-05,深商务规〔2031〕1号,深圳市商务局,"
          "支持企业建设海外仓,跨境电商企业,市场开拓-海外仓,测试,第1条\n")


def _search(zs: zonescope.ZoneScope, query: str = "海外仓") -> list[tuple[str, float]]:
    found = get_search(index.get_index(zs.store.con, str(zs.path)), query, SearchFilters())
    return [(r["title"], r["score"]) for r in found["results"]]


def _no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the index was segmented again")

    monkeypatch.setattr(index, "build_index", refuse)


def test_a_new_process_reads_the_saved_index(zs: zonescope.ZoneScope,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    first = _search(zs)
    assert first
    index.clear_cache()  # as a new process starts
    _no_rebuild(monkeypatch)
    assert _search(zs) == first


def test_a_changed_library_is_segmented_again(zs: zonescope.ZoneScope,
                                              write_file: Callable[..., Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    before = _search(zs)
    zs.import_file(write_file("p.csv", POLICY), "policies")
    index.clear_cache()
    built: list[int] = []
    real = index.build_index
    monkeypatch.setattr(index, "build_index", lambda docs, sig=(): built.append(1) or real(
        docs, sig))
    after = _search(zs)
    assert built == [1]
    assert "跨境电商海外仓专项扶持办法" in [t for t, _ in after] and len(after) > len(before)
    # the file of the library as it was is pruned: one file per store
    current = cache_file(str(zs.path), index.signature(zs.store.con))
    mine = current.name.rsplit("-", 1)[0]
    assert [p.name for p in current.parent.glob(f"{mine}-*.npz")] == [current.name]


@pytest.mark.parametrize("damage", ["garbage", "other documents", "truncated"])
def test_a_doubtful_file_is_ignored_and_rebuilt(zs: zonescope.ZoneScope, damage: str) -> None:
    expected = _search(zs)
    path = cache_file(str(zs.path), index.signature(zs.store.con))
    assert path.is_file()
    if damage == "garbage":
        path.write_bytes(b"not an npz file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    else:
        with np.load(path) as saved:
            arrays = dict(saved)
        arrays["titles"] = np.array(["a digest of other titles"])
        with path.open("wb") as handle:
            np.savez(handle, **arrays)
    index.clear_cache()
    assert _search(zs) == expected


def test_an_unwritable_cache_only_costs_the_rebuild(zs: zonescope.ZoneScope, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("ZONESCOPE_CACHE_DIR", str(blocker / "cache"))
    index.clear_cache()
    assert _search(zs)
    assert not (blocker / "cache").exists()


def test_the_saved_dictionary_segments_exactly_as_a_fresh_one(
        zs: zonescope.ZoneScope, monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba

    texts = [" ".join(str(d.get(c) or "") for c in ("title", "summary", "full_text"))
             for d in index.load_docs(zs.store.con)]
    text.tokenizer.cache_clear()
    path = text._dictionary_file()
    path.unlink(missing_ok=True)
    fresh = text.tokenizer()
    assert path.is_file()
    expected = [list(fresh.cut_for_search(t, HMM=False)) for t in texts]
    text.tokenizer.cache_clear()
    with monkeypatch.context() as patch:  # read back, not built: jieba's loader must not run
        patch.setattr(jieba.Tokenizer, "initialize", lambda *a, **k: 1 / 0)
        reread = text.tokenizer()
    assert reread is not fresh and reread.FREQ == fresh.FREQ and reread.total == fresh.total
    assert [list(reread.cut_for_search(t, HMM=False)) for t in texts] == expected
    path.write_bytes(b"damaged")  # a damaged file is rebuilt
    text.tokenizer.cache_clear()
    assert [list(text.tokenizer().cut_for_search(t, HMM=False)) for t in texts] == expected
    assert path.stat().st_size > 1000
