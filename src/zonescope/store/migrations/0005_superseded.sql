-- Taking back an import (`zonescope db undo`, zonescope.store.writer.undo_latest).
--
-- Each table a user import writes has a typed shadow `<table>_superseded` with the same
-- columns plus `superseded_by`: the rows an import replaced (an upsert's updated rows,
-- an older import's customs-detail partition, the trade aggregates it updated), copied
-- in that import's transaction just before they are deleted, with their own import_id.
-- Undoing import N deletes every row whose import_id is N, puts back the shadow rows
-- with superseded_by = N, and deletes those from the shadow. Writes are by column name,
-- so a later migration that adds a column to a table adds it to its shadow too.
-- Reference tables (regions, pilot_zones, sources) are replaced only by bundled loads,
-- which are not undoable, so they have no shadow.

CREATE TABLE trade_superseded AS
    SELECT *, NULL::INTEGER AS superseded_by FROM trade LIMIT 0;
CREATE TABLE indicators_superseded AS
    SELECT *, NULL::INTEGER AS superseded_by FROM indicators LIMIT 0;
CREATE TABLE policies_superseded AS
    SELECT *, NULL::INTEGER AS superseded_by FROM policies LIMIT 0;
CREATE TABLE innovations_superseded AS
    SELECT *, NULL::INTEGER AS superseded_by FROM innovations LIMIT 0;
CREATE TABLE associations_superseded AS
    SELECT *, NULL::INTEGER AS superseded_by FROM associations LIMIT 0;
CREATE TABLE clusters_superseded AS
    SELECT *, NULL::INTEGER AS superseded_by FROM clusters LIMIT 0;
CREATE TABLE customs_detail_superseded AS
    SELECT *, NULL::INTEGER AS superseded_by FROM customs_detail LIMIT 0;

-- Imports taken back: the undone import and the `undo` entry in `imports` that did it.
CREATE TABLE undone (
    import_id INTEGER NOT NULL,
    undo_id   INTEGER NOT NULL
);
