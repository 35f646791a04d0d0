-- Composite-index builds and their analyses (zonescope index build | uncertainty), stored so
-- that `explain` and `whatif` work on exactly the build that was published.
--
-- A build row keeps what is needed to replay it — the framework YAML as loaded, the raw
-- data (units × indicators with per-cell sources) and the log of steps with every
-- parameter — beside its results. An uncertainty row points at its build (build_id).
-- Written only by zonescope.store.writer.write_index_run, one row per transaction.

CREATE TABLE index_runs (
    id             INTEGER NOT NULL,
    kind           TEXT NOT NULL,           -- 'build' or 'uncertainty'
    framework_id   TEXT NOT NULL,
    year           INTEGER,
    created_at     TIMESTAMP NOT NULL,
    build_id       INTEGER,                 -- for an analysis: the build it analysed
    framework      TEXT NOT NULL,           -- the framework YAML text
    framework_file TEXT NOT NULL,
    raw            TEXT NOT NULL,           -- JSON: units, codes, values, sources, notes, origin
    log            TEXT NOT NULL,           -- JSON: [{step, params}]
    results        TEXT NOT NULL            -- JSON: scores, ranks, tiers (or the analysis)
);
