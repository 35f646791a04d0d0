-- Detail rows of the customs statistics online query platform (trade-formats.md §3),
-- imported with `zonescope import FILE --kind customs-detail`.
--
-- One row per line of the export, in the file's own currency (never converted: RMB and
-- USD are separate series). A dimension the query did not include is NULL in every row
-- of that import, and `dims` lists the ones it did include (e.g. 'hs,partner,mode,region').
--
-- Partitions: the rows of one import for one (flow, currency, period_start, period_end,
-- period, region_id, dims) form a partition. Re-importing the same query replaces that
-- partition (zonescope.store.writer.write_detail_chunks, in the import's transaction);
-- queries with other dimensions or other months live beside it. Analytics
-- (zonescope.trade.detail) read, for each region, flow and period, the newest import
-- that carries the dimension they need, so two differently-shaped exports of the same
-- months are never added together.

CREATE TABLE customs_detail (
    period       TEXT,                  -- YYYY-MM of a monthly row (数据年月); NULL for a total
    period_start TEXT,                  -- a total's queried months, YYYY-MM … YYYY-MM (--period);
    period_end   TEXT,                  --   NULL for a monthly row, which covers `period`
    flow         TEXT NOT NULL,         -- export, import or total (part of the query, not a column)
    hs_code      TEXT,                  -- 商品编码: text, leading zeros kept (e.g. '03019110')
    hs_name      TEXT,                  -- 商品名称
    partner_code TEXT,                  -- 贸易伙伴编码: customs' 3-digit code (141 越南), not ISO
    partner_name TEXT,                  -- 贸易伙伴名称
    mode         TEXT,                  -- 贸易方式编码 / supervision mode, 4 digits (9610, 0110…)
    mode_name    TEXT,                  -- 贸易方式名称 as exported
    region_id    TEXT NOT NULL,         -- 注册地: a province id; 000000 when not a dimension
    qty1         DOUBLE,                -- 第一数量
    unit1        TEXT,                  -- 第一计量单位
    qty2         DOUBLE,                -- 第二数量
    unit2        TEXT,                  -- 第二计量单位
    value        DOUBLE NOT NULL,       -- in value_unit
    currency     TEXT NOT NULL,         -- CNY or USD
    value_unit   TEXT NOT NULL,         -- 元 or 美元
    dims         TEXT NOT NULL,         -- the query's dimensions, comma-separated
    import_id    INTEGER NOT NULL
);
