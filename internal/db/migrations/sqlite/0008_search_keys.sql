-- PostgreSQL's 0008 rebuilds its GIN index over a function that declares
-- its cost to the planner, and adds material_search.published_at, which
-- its search newest first reads. SQLite's FTS5 plans (0003) need neither:
-- the column exists so both engines have the same tables and columns
-- (internal/db TestSchemasMatch), and stays empty here.
ALTER TABLE material_search ADD COLUMN published_at INTEGER;

-- FTS5's vocabulary of the search index: how many materials hold each
-- term or facet token (doc). internal/search/index reads it, a term at a
-- time and kept for minutes, to tell a common query from a rare one
-- before it picks a plan, as PostgreSQL's plans read ANALYZE's
-- statistics. It stores nothing: it reads material_fts.
CREATE VIRTUAL TABLE material_fts_vocab USING fts5vocab('material_fts', 'row');
