"""Policy classification: keywords longest-first, learned words, target fallback, leave-one-out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zonescope
import zonescope.cli.policies  # noqa: F401 - registers `zonescope policies`
from zonescope.errors import ZoneScopeError
from zonescope.policies.classify import Example, classify, evaluate_loo, example, train
from zonescope.policies.index import load_docs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "policies.md"


@pytest.fixture
def library(zs: zonescope.ZoneScope) -> list[Example]:
    return [example(d) for d in load_docs(zs.store.con)]


def _codes(result: dict[str, Any], kind: str) -> list[str]:
    return sorted(label["code"] for label in result[kind])


def test_new_text_gets_categories_targets_and_the_deciding_terms(library: list[Example]) -> None:
    got = classify("关于支持跨境电商企业建设公共海外仓和自建独立站的若干措施", train(library))
    assert _codes(got, "categories") == ["市场开拓-海外仓", "市场开拓-独立站"]
    assert _codes(got, "targets") == ["跨境电商企业"]
    assert got["target_group"] == "cbec"
    site = next(c for c in got["categories"] if c["code"] == "市场开拓-独立站")
    assert "自建独立站" in site["keywords"] and site["by"] == "keyword"


def test_longer_keyword_overrules_a_shorter_one_of_another_label(library: list[Example]) -> None:
    got = classify("实行跨境电商出口海外仓模式备案等各类业务的在线办理", train(library))
    assert _codes(got, "categories") == ["通关监管"]
    assert {"term": "海外仓", "label": "市场开拓-海外仓", "by": "海外仓模式备案",
            "by_label": "通关监管"} in got["overruled"]


def test_both_targets_when_both_kinds_of_firm_are_named(library: list[Example]) -> None:
    got = classify("支持外贸企业和跨境电商企业参加境外展会", train(library))
    assert got["target_group"] == "both"


def test_target_inferred_from_categories_when_no_target_term(library: list[Example]) -> None:
    got = classify("对组展单位实际发生的展位费给予支持", train(library))
    assert _codes(got, "categories") == ["展会参展"]
    assert got["targets"][0]["by"] == "categories"
    assert got["targets"][0]["code"] == "传统外贸企业"


def test_learned_words_are_shown_with_their_weights(library: list[Example]) -> None:
    model = train(library)
    got = classify("对独立站年交易额给予支持", model, use_learned=True)
    site = next(c for c in got["categories"] if c["code"] == "市场开拓-独立站")
    assert site["learned"] and all(weight >= 1.5 for weight in site["learned"].values())
    assert got["use_learned"] is True


def test_empty_text_is_refused(library: list[Example]) -> None:
    with pytest.raises(ZoneScopeError) as err:
        classify("  \n ", train(library))
    assert err.value.key == "policies.classify_empty"


def test_leave_one_out_really_leaves_one_out(library: list[Example]) -> None:
    # a policy whose only category evidence is learned from itself must fail when held out
    lonely = Example("甲乙丙丁戊", frozenset({"人才"}), frozenset({"传统外贸企业"}), "x")
    result = evaluate_loo([*library, lonely], use_learned=True)
    assert result["rows"][-1]["predicted_categories"] == []


def test_leave_one_out_accuracy_is_the_one_the_docs_report(library: list[Example]) -> None:
    text = DOCS.read_text(encoding="utf-8")
    for learned in (False, True):
        result = evaluate_loo(library, use_learned=learned)
        for kind in ("categories", "targets"):
            s = result[kind]
            row = (f"| {'learned' if learned else 'keywords'} | {kind} | {s['exact']}/"
                   f"{result['n']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |")
            assert row in text, row


def test_cli_classify_from_stdin_and_file(cli: Callable[..., Any],
                                          write_file: Callable[..., Path]) -> None:
    result = cli("policies", "classify", "-", "--json",
                 input="支持企业开展远期结售汇业务，防范汇率风险")
    assert result.exit_code == 0, result.output
    assert [c["code"] for c in json.loads(result.stdout)["categories"]] == ["金融外汇"]
    path = write_file("p.txt", "宁波市关于培育外贸转型升级基地的通知", encoding="gbk")
    shown = cli("policies", "classify", str(path))
    assert shown.exit_code == 0 and "产业集聚与基地" in shown.stdout
    missing = cli("policies", "classify", "no-such-file.txt")
    assert missing.exit_code == 2


def test_cli_evaluate(cli_json: Callable[..., Any]) -> None:
    result = cli_json("policies", "evaluate")
    assert result["n"] == 23 and result["use_learned"] is False
