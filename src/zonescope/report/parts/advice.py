"""二、相同点 and 三、建议: the four commonalities (`zonescope.mindset.get_common`), the
recommendations for governments and the four enterprise types (`zonescope.advice`), and
the market evidence the article gives enterprises (Figure 11, Figures 13–16, Table 7).
"""

from __future__ import annotations

from typing import Any

from zonescope.advice import advise
from zonescope.ingest.kinds import vocabulary
from zonescope.mindset import Common, Diagnosis
from zonescope.mindset.facts import get_indicator
from zonescope.regions.registry import NATION_ID
from zonescope.report.context import Builder, num
from zonescope.report.model import Bullets, Chart, Figure, Note, Section, Series, SourceUse, Table

GOVERNMENT = ("government", "association")
MARKET = ("factory", "trade", "platform", "service")
UNSOLD = ("none", "upto10", "11_20", "21_30", "31_40", "over41")
ANKER = ("amazon", "other_marketplaces", "independent_site", "online", "offline", "total")


def build_common(b: Builder, commons: list[Common]) -> Section:
    section = Section("common", b.t("report.part.common"))
    if not commons:
        section.blocks.append(Note(b.missing("report.common.none")))
        return section
    for common in commons:
        a, c = common.regions
        section.blocks.append(b.say("report.common.intro", a=a, b=c))
        items = []
        for point in common.commonalities:
            here, zh = point.to_dict(b.lang), point.to_dict("zh")
            b.sentences_zh.append(zh["text"])
            items.append(f"【{here['status_text']}】{here['text']}")
        section.blocks.append(Bullets(items))
        shared = [p for p in common.points if p.status == "shared"]
        differs = [p for p in common.points if p.status == "differs"]
        section.blocks.append(b.say("report.common.tally", a=a, b=c, shared=len(shared),
                                    differs=len(differs),
                                    unknown=len(common.points) - len(shared) - len(differs)))
    return section


def build_advice(b: Builder, diagnoses: dict[str, Diagnosis]) -> Section:
    section = Section("advice", b.t("report.part.advice"))
    advice = {rid: advise(b.con, d.region, diagnosis=d) for rid, d in diagnoses.items()}
    for region in b.regions:
        if region.id not in advice:
            section.blocks.append(Note(b.missing("report.advice.not_city", region=region)))
    section.blocks.append(b.say("report.advice.intro", regions=b.names(),
                                count=sum(len(a.items) for a in advice.values())))
    government = Section("advice-government", b.t("report.sec.advice_government"))
    market = Section("advice-market", b.t("report.sec.advice_market"))
    for audience in GOVERNMENT:
        _audience(b, government, audience, advice)
    for number, audience in enumerate(MARKET, start=1):
        sub = Section(f"advice-{audience}", f"{number}. {b.t(f'audience.{audience}')}")
        _audience(b, sub, audience, advice)
        if audience == "trade":
            _market_evidence(b, sub)
        market.children.append(sub)
    section.children = [government, market]
    return section


def _audience(b: Builder, section: Section, audience: str, advice: dict[str, Any]) -> None:
    """One bullet per rule, with the regions it applies to and why (the conditions that held)."""
    rules: dict[str, dict[str, Any]] = {}
    for region in b.regions:
        found = advice.get(region.id)
        if found is None:
            continue
        for applied in found.items:
            if applied.rule.audience != audience:
                continue
            data = applied.to_dict(b.lang, found.diagnosis)
            entry = rules.setdefault(data["id"], {"data": data, "regions": [], "why": []})
            entry["regions"].append(region)
            entry["why"].extend(w for w in data["why"] if w not in entry["why"])
    if not rules:
        section.blocks.append(Note(b.missing("report.advice.none", audience=b.t(
            f"audience.{audience}"))))
        return
    items = []
    for entry in sorted(rules.values(), key=lambda e: -e["data"]["priority"]):
        data = entry["data"]
        items.append(b.t("report.advice.item", text=data["text"],
                         regions=b.names(entry["regions"]), why="；".join(entry["why"]),
                         article=data["article"]))
    section.blocks.append(Bullets(items))


def _market_evidence(b: Builder, section: Section) -> None:
    """Figure 11 (unsold stock), Figures 13–16 (financing), Table 7 (Anker's channels)."""
    _unsold(b, section)
    _financing(b, section)
    _anker(b, section)


def _national(b: Builder, code: str, year: int | None = None) -> dict[str, Any] | None:
    return get_indicator(b.con, NATION_ID, code, year)


def _indicator_name(code: str, lang: str) -> str:
    entry = vocabulary("indicators").get(code, {})
    return entry.get("name_zh" if lang == "zh" else "name_en", code)


def _unsold(b: Builder, section: Section) -> None:
    rows = {k: _national(b, f"sellers_unsold_stock_{k}_pct") for k in UNSOLD}
    if not any(rows.values()):
        section.blocks.append(Note(b.missing("report.market.no_unsold")))
        return
    names = [_indicator_name(f"sellers_unsold_stock_{k}_pct", b.lang).split("：")[-1]
             for k in UNSOLD]
    chart = Chart("hbar", names, [Series(b.t("report.series.sellers_share"),
                                         [r and r["value"] for r in rows.values()], "bar", "y",
                                         "%")], y_title=b.t("report.axis.percent"))
    none = rows["none"]
    if none:
        section.blocks.append(b.say("report.market.unsold", value=num(none["value"], 1)))
    section.blocks.append(b.figure(Figure(
        b.t("report.market.unsold_caption"), chart,
        list(dict.fromkeys(SourceUse(r["source"], r["source_ref"]) for r in rows.values() if r)))))


def _financing(b: Builder, section: Section) -> None:
    found = []
    for year in (2021, 2022):
        amount = _national(b, "cbec_financing_service_amount_share_pct", year)
        events = _national(b, "cbec_financing_service_events_share_pct", year)
        for kind, row in (("amount", amount), ("events", events)):
            if row:
                found.append((b.t(f"report.market.financing_{kind}",
                                  period=_when(b, row)), row))
    if not found:
        section.blocks.append(Note(b.missing("report.market.no_financing")))
        return
    service = [row["value"] for _, row in found]
    chart = Chart("bar", [label for label, _ in found], [
        Series(b.t("report.series.service_providers"), service, "bar", "y", "%"),
        Series(b.t("report.series.other_firms"), [round(100 - v, 2) for v in service],
               "bar", "y", "%")], y_title=b.t("report.axis.percent"), stacked=True)
    for label, row in found:
        section.blocks.append(b.say("report.market.financing", what=label,
                                    value=num(row["value"], 2)))
    section.blocks.append(b.figure(Figure(
        b.t("report.market.financing_caption"), chart,
        list(dict.fromkeys(SourceUse(r["source"], r["source_ref"]) for _, r in found)),
        note=b.t("report.note.complement"))))


def _when(b: Builder, row: dict[str, Any]) -> str:
    from zonescope.report.context import period_label

    if row.get("period"):
        return period_label(row["period"], "ytd", b.lang)
    return period_label(f"{row['year']}-12", "year", b.lang)


def _anker(b: Builder, section: Section) -> None:
    rows, uses = [], []
    for channel in ANKER:
        cells = []
        for code in (f"anker_revenue_{channel}", f"anker_revenue_share_{channel}_pct"):
            for year in (2021, 2020):
                row = _national(b, code, year)
                cells.append(row and row["value"])
                if row:
                    uses.append(SourceUse(row["source"], row["source_ref"]))
        yoy = _national(b, f"anker_revenue_yoy_{channel}_pct", 2021)
        if yoy:
            uses.append(SourceUse(yoy["source"], yoy["source_ref"]))
        amount21, amount20, share21, share20 = cells
        rows.append([b.t(f"report.anker.{channel}"), amount21, share21, amount20, share20,
                     yoy and yoy["value"]])
    if not any(any(v is not None for v in r[1:]) for r in rows):
        section.blocks.append(Note(b.missing("report.market.no_anker")))
        return
    offline = rows[ANKER.index("offline")]
    if offline[2] is not None:
        section.blocks.append(b.say("report.market.anker", share=num(offline[2], 2)))
    section.blocks.append(b.table(Table(
        b.t("report.market.anker_caption"),
        [b.t("report.col.channel"), b.t("report.col.revenue_2021"), b.t("report.col.share_2021"),
         b.t("report.col.revenue_2020"), b.t("report.col.share_2020"), b.t("report.col.yoy")],
        rows, list(dict.fromkeys(uses)))))
