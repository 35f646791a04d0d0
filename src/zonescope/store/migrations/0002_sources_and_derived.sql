-- Sources registry as a table (for SQL joins and `zonescope sources`), and a flag
-- on trade rows that were derived (e.g. a single month as the difference of two
-- cumulative figures) rather than published.

CREATE TABLE sources (
    id        TEXT NOT NULL,
    title_zh  TEXT NOT NULL,
    title_en  TEXT,
    publisher TEXT,
    date      TEXT,
    url       TEXT,
    footnote  TEXT,
    licence   TEXT,
    notes     TEXT
);

ALTER TABLE trade ADD COLUMN derived BOOLEAN DEFAULT false;
