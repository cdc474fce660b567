-- PostgreSQL's 0008 rebuilds its GIN index over a function that declares
-- its cost to the planner, and adds material_search.published_at, which
-- its search newest first reads. SQLite's FTS5 plans (0003) need neither:
-- the column exists so both engines have the same tables and columns
-- (internal/db TestSchemasMatch), and stays empty here.
ALTER TABLE material_search ADD COLUMN published_at INTEGER;
