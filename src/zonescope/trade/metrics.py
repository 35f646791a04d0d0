"""Trade metrics as Ibis expressions: one definition that runs on DuckDB or Spark.

Every function takes Ibis tables shaped like the store's `trade` and `regions`
tables and returns an Ibis table; nothing here executes or prints. Methods:

- single months from cumulative (年初至今) releases: M(m) = C(m) − C(m−1); a
  first release for February with no January is a combined 1–2月 block, never
  split (trade-formats.md §4);
- revision-consistent prior-year base from published growth g:
  B(y−1, m) = C(y, m) / (1 + g/100) (§4), and single-month growth derived from
  those bases;
- shares of the parent region, ranks among siblings (zones never count as
  siblings: they are parts of their city), balance, export/import ratio, and a
  region's contribution to its parent's growth in percentage points.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

KEY = ("region_id", "period", "span", "flow", "mode")
SERIES = ("region_id", "span", "flow", "mode")
# Growth on a base below this (亿元, i.e. CNY 1 million) is noise: shown as —.
NEAR_ZERO_BASE = 0.01
# Published and derived growth further apart than this (percentage points) are flagged.
GROWTH_TOLERANCE_PP = 0.5
SIBLING_LEVELS = ("province", "prefecture", "county")


def _year(t: ir.Table) -> ir.IntegerColumn:
    return t.period.left(4).cast("int32")


def _month(t: ir.Table) -> ir.IntegerColumn:
    return t.period.right(2).cast("int32")


def single_months(trade: ir.Table) -> ir.Table:
    """Single months derived from the ytd series, with `months` covered (1, or 2 for 1–2月).

    Columns: region_id, period, span='month', flow, mode, value, months, derived=True.
    Rows are produced only where the previous cumulative figure is the month before
    (or the month is January); a gap yields nothing rather than a guess.
    """
    ytd = trade.filter(trade.span == "ytd").mutate(year=_year(trade), month=_month(trade))
    window = ibis.window(group_by=[ytd.region_id, ytd.flow, ytd.mode, ytd.year],
                         order_by=ytd.month)
    framed = ytd.mutate(prev_value=ytd.value.lag().over(window),
                        prev_month=ytd.month.lag().over(window))
    months = (ibis.cases((framed.month == 1, 1),
                         ((framed.month == 2) & framed.prev_month.isnull(), 2),
                         (framed.prev_month == framed.month - 1, 1),
                         else_=ibis.null("int32")))
    value = ibis.cases((framed.month == 1, framed.value),
                       ((framed.month == 2) & framed.prev_month.isnull(), framed.value),
                       (framed.prev_month == framed.month - 1,
                        framed.value - framed.prev_value),
                       else_=ibis.null("float64"))
    derived = framed.mutate(value=value, months=months).filter(lambda r: r.months.notnull())
    return derived.select("region_id", "period", span=ibis.literal("month"), flow="flow",
                          mode="mode", value="value", months="months",
                          derived=ibis.literal(True))


def cumulative_from_months(trade: ir.Table) -> ir.Table:
    """Year-to-date sums of published single months, only when every month so far is present."""
    months = trade.filter(trade.span == "month").mutate(year=_year(trade), month=_month(trade))
    window = ibis.window(group_by=[months.region_id, months.flow, months.mode, months.year],
                         order_by=months.month, rows=(None, 0))
    running = months.mutate(value=months.value.sum().over(window),
                            seen=months.month.count().over(window))
    complete = running.filter(running.seen == running.month)
    return complete.select("region_id", "period", span=ibis.literal("ytd"), flow="flow",
                           mode="mode", value="value", derived=ibis.literal(True))


def growth(trade: ir.Table) -> ir.Table:
    """Published growth beside growth derived from stored prior-year data.

    Columns added: prior_value (stored, same period a year earlier), prior_implied
    (revision-consistent base from the published rate), yoy_derived, yoy_gap_pp and
    yoy_flag (published and derived differ by more than 0.5 points). Growth on a base
    below 0.01 亿元 is null (shown as —).
    """
    prior = trade.select(*SERIES, period=(_year(trade) + 1).cast("string").concat(
        "-", trade.period.right(2)), prior_value=trade.value)
    joined = trade.left_join(prior, list(KEY)).select(trade, "prior_value")
    usable = joined.prior_value.notnull() & (joined.prior_value.abs() >= NEAR_ZERO_BASE)
    derived = ibis.ifelse(usable, (joined.value / joined.prior_value - 1) * 100,
                          ibis.null("float64"))
    implied = ibis.ifelse(joined.yoy_pct.notnull() & (joined.yoy_pct > -100),
                          joined.value / (1 + joined.yoy_pct / 100), ibis.null("float64"))
    out = joined.mutate(yoy_derived=derived, prior_implied=implied)
    gap = out.yoy_derived - out.yoy_pct
    return out.mutate(yoy_gap_pp=gap, yoy_flag=gap.abs() > GROWTH_TOLERANCE_PP)


def single_month_growth(trade: ir.Table) -> ir.Table:
    """Growth of derived single months against revision-consistent prior-year bases.

    For month m: (C(m) − C(m−1)) / (B(m) − B(m−1)) − 1 with B = C / (1 + g/100), both
    from the current year's releases, so revisions of last year are respected.
    """
    ytd = trade.filter((trade.span == "ytd") & trade.yoy_pct.notnull() & (trade.yoy_pct > -100))
    ytd = ytd.mutate(year=_year(ytd), month=_month(ytd),
                     base=ytd.value / (1 + ytd.yoy_pct / 100))
    window = ibis.window(group_by=[ytd.region_id, ytd.flow, ytd.mode, ytd.year],
                         order_by=ytd.month)
    framed = ytd.mutate(prev_value=ytd.value.lag().over(window),
                        prev_base=ytd.base.lag().over(window),
                        prev_month=ytd.month.lag().over(window))
    first = framed.month == 1
    consecutive = framed.prev_month == framed.month - 1
    month_value = ibis.cases((first, framed.value), (consecutive, framed.value - framed.prev_value),
                             else_=ibis.null("float64"))
    month_base = ibis.cases((first, framed.base), (consecutive, framed.base - framed.prev_base),
                            else_=ibis.null("float64"))
    result = framed.mutate(value=month_value, base=month_base).filter(
        lambda r: r.value.notnull())
    yoy = ibis.ifelse(result.base.abs() >= NEAR_ZERO_BASE,
                      (result.value / result.base - 1) * 100, ibis.null("float64"))
    return result.select("region_id", "period", span=ibis.literal("month"), flow="flow",
                         mode="mode", value="value", prior_implied="base", yoy_derived=yoy)


def parent_links(regions: ir.Table) -> ir.Table:
    """(region_id, level, parent_id) from the regions table: each region under its parent."""
    return regions.select(region_id="id", level="level", parent_id="parent_id")


def with_parent(trade: ir.Table, links: ir.Table, universe: ir.Table | None = None
                ) -> ir.Table:
    """Each row with its level and parent (from `links`), and the parent's value for the key.

    `links` is usually `parent_links(regions)`, but any (region_id, level, parent_id)
    table works — e.g. a city linked straight to the nation. Parent values come from
    `universe` (default: `trade` itself), so `trade` may be filtered to a few regions.
    """
    tagged = trade.join(links, "region_id")
    source = universe if universe is not None else trade
    parents = source.select(parent_id="region_id", period="period", span="span", flow="flow",
                            mode="mode", parent_value="value", parent_yoy_pct="yoy_pct")
    return tagged.left_join(parents, ["parent_id", "period", "span", "flow", "mode"]).select(
        tagged, "parent_value", "parent_yoy_pct")


def shares(trade: ir.Table, links: ir.Table, universe: ir.Table | None = None) -> ir.Table:
    """Share of the parent (%), and contribution to the parent's growth (percentage points).

    Contribution = (C − B) / B_parent × 100 with revision-consistent bases B from the
    published growth rates; it is null when either rate is missing.
    """
    t = with_parent(trade, links, universe)
    share = ibis.ifelse(t.parent_value.notnull() & (t.parent_value != 0),
                        t.value / t.parent_value * 100, ibis.null("float64"))
    base = t.value / (1 + t.yoy_pct / 100)
    parent_base = t.parent_value / (1 + t.parent_yoy_pct / 100)
    contribution = ibis.ifelse(
        t.yoy_pct.notnull() & t.parent_yoy_pct.notnull() & (parent_base.abs() >= NEAR_ZERO_BASE),
        (t.value - base) / parent_base * 100, ibis.null("float64"))
    return t.mutate(share_pct=share, contribution_pp=contribution)


def ranks(trade: ir.Table, regions: ir.Table, by: str = "value") -> ir.Table:
    """Rank among siblings (same parent and level; zones excluded) by value, growth or share.

    Columns added: rank (1 = largest), siblings, gap_to_above (how far behind the
    next-higher rank, in the ranked measure) and above_region_id.
    """
    t = shares(trade, parent_links(regions))
    t = t.filter(t.level.isin(SIBLING_LEVELS))
    measure = {"value": t.value, "growth": t.yoy_pct, "share": t.share_pct}[by]
    t = t.mutate(measure=measure).filter(lambda r: r.measure.notnull())
    group = [t.parent_id, t.level, t.period, t.span, t.flow, t.mode]
    ordered = ibis.window(group_by=group, order_by=ibis.desc(t.measure))
    # ties share a rank; the region "above" a tied one is the tie with the smaller id, so
    # every engine (and every run) names the same one
    stable = ibis.window(group_by=group, order_by=[ibis.desc(t.measure), t.region_id])
    everyone = ibis.window(group_by=group)
    return t.mutate(rank=ibis.rank().over(ordered) + 1,
                    siblings=t.measure.count().over(everyone),
                    gap_to_above=t.measure.lag().over(stable) - t.measure,
                    above_region_id=t.region_id.lag().over(stable))


def balance(trade: ir.Table) -> ir.Table:
    """Trade balance (export − import, 亿元) and export/import ratio per region and period."""
    wide = trade.filter(trade.flow.isin(("export", "import"))).pivot_wider(
        id_cols=["region_id", "period", "span", "mode"], names_from="flow",
        names=["export", "import"],
        values_from="value", values_agg="max")
    ratio = ibis.ifelse(wide["import"].notnull() & (wide["import"] != 0),
                        wide.export / wide["import"], ibis.null("float64"))
    return wide.mutate(balance=wide.export - wide["import"], export_import_ratio=ratio)
