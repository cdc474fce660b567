-- PostgreSQL's 0007 adds material_search.facets, the facet tokens its GIN
-- index needs. On SQLite the FTS5 rows have carried the same tokens since
-- 0003 (its triggers read them from materials), so the column stays
-- empty here; it exists so both engines have the same tables and columns
-- (internal/db TestSchemasMatch).
ALTER TABLE material_search ADD COLUMN facets TEXT NOT NULL DEFAULT '';
