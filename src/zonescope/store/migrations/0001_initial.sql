-- The first schema: reference tables, the six importable kinds, and the import log.
-- Keys are enforced by zonescope.store.writer (one write path), not by constraints,
-- so that an update is a delete plus an insert inside one transaction.

CREATE TABLE imports (
    id             INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    origin         TEXT NOT NULL,          -- 'user' or 'bundled'
    imported_at    TIMESTAMP NOT NULL,
    rows_added     INTEGER NOT NULL,
    rows_updated   INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    options        TEXT                    -- e.g. the exchange rate given with --fx
);

CREATE TABLE regions (
    id        TEXT NOT NULL,
    level     TEXT NOT NULL,               -- nation, province, prefecture, county, zone
    parent_id TEXT,
    name_zh   TEXT NOT NULL,
    short_zh  TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    kind      TEXT                         -- for zones: development_zone, new_area, …
);

CREATE TABLE pilot_zones (
    region_id     TEXT NOT NULL,
    batch         INTEGER NOT NULL,
    approval_doc  TEXT NOT NULL,
    approval_date TEXT NOT NULL,
    name          TEXT NOT NULL,
    place_kind    TEXT NOT NULL,
    status        TEXT NOT NULL,
    revoked_by    TEXT,
    source        TEXT
);

CREATE TABLE trade (
    region_id    TEXT NOT NULL,
    period       TEXT NOT NULL,            -- YYYY-MM
    span         TEXT NOT NULL,            -- month, ytd, year
    flow         TEXT NOT NULL,            -- total, export, import
    mode         TEXT NOT NULL,            -- all or a customs supervision-mode code
    value        DOUBLE,                   -- in unit, NULL for a published nil
    unit         TEXT NOT NULL,            -- canonical: 亿元
    value_raw    DOUBLE,
    unit_raw     TEXT,
    fx_rate      DOUBLE,
    yoy_pct      DOUBLE,
    source       TEXT NOT NULL,
    source_ref   TEXT,
    cited_source TEXT,
    note         TEXT,
    import_id    INTEGER NOT NULL
);

CREATE TABLE indicators (
    region_id    TEXT NOT NULL,
    year         INTEGER NOT NULL,
    indicator    TEXT NOT NULL,
    period       TEXT NOT NULL DEFAULT '',
    value        DOUBLE,
    unit         TEXT NOT NULL,
    value_raw    DOUBLE,
    unit_raw     TEXT,
    fx_rate      DOUBLE,
    source       TEXT NOT NULL,
    source_ref   TEXT,
    cited_source TEXT,
    note         TEXT,
    import_id    INTEGER NOT NULL
);

CREATE TABLE policies (
    region_id  TEXT NOT NULL,
    published  TEXT,
    title      TEXT NOT NULL,
    doc_no     TEXT,
    issuer     TEXT,
    summary    TEXT NOT NULL,
    targets    TEXT[] NOT NULL,
    categories TEXT[] NOT NULL,
    source     TEXT NOT NULL,
    source_ref TEXT,
    full_text  TEXT,
    url        TEXT,
    note       TEXT,
    import_id  INTEGER NOT NULL
);

CREATE TABLE innovations (
    region_id  TEXT NOT NULL,
    year       INTEGER,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    source     TEXT NOT NULL,
    source_ref TEXT,
    note       TEXT,
    import_id  INTEGER NOT NULL
);

CREATE TABLE associations (
    name       TEXT NOT NULL,
    region_id  TEXT NOT NULL,
    founded    TEXT,
    members    DOUBLE,
    focus      TEXT NOT NULL,
    source     TEXT NOT NULL,
    source_ref TEXT,
    note       TEXT,
    import_id  INTEGER NOT NULL
);

CREATE TABLE clusters (
    province_id  TEXT NOT NULL,
    number       INTEGER NOT NULL,
    name         TEXT NOT NULL,
    place        TEXT NOT NULL,
    industry     TEXT NOT NULL,
    region_id    TEXT,
    sector       TEXT,
    duplicate_of INTEGER,
    source       TEXT NOT NULL,
    source_ref   TEXT,
    note         TEXT,
    import_id    INTEGER NOT NULL
);
