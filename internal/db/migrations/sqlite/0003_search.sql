-- The full-text index of the materials library (issue 3, section 3) over
-- material_search, whose terms internal/search has already analysed
-- (stemmed, folded): the index must store and compare them as whole
-- strings, never through an engine's own analysis.
--
-- SQLite: an FTS5 table whose content is material_search (external
-- content: the terms are stored once), keyed by material_id, kept in step
-- by triggers on every insert, update (an upsert's update too) and delete
-- (a material's deletion cascades here and fires the delete trigger).
--   - tokenize 'ascii': every non-ASCII character is part of a token, so a
--     Kazakh or Russian term is one token, unchanged; unicode61 would fold
--     й to и with its diacritics removal and knows letters only up to
--     Unicode 6.1. Terms hold no ASCII upper case, which ascii would fold.
--   - detail 'none': the index answers "which materials hold this term"
--     and nothing else (no phrases, no ranking), so it keeps no positions
--     and is several times smaller; columnsize 0 drops the per-row
--     sizes, which only ranking (bm25) reads.
-- internal/db's TestSchemasMatch lists material_fts and its shadow tables
-- as SQLite-only objects; PostgreSQL indexes the same rows with a GIN
-- index (its 0003_search.sql).
CREATE VIRTUAL TABLE material_fts USING fts5(
	terms,
	content = 'material_search',
	content_rowid = 'material_id',
	tokenize = 'ascii',
	detail = 'none',
	columnsize = 0
);

CREATE TRIGGER material_search_fts_insert AFTER INSERT ON material_search BEGIN
	INSERT INTO material_fts (rowid, terms) VALUES (new.material_id, new.terms);
END;

CREATE TRIGGER material_search_fts_delete AFTER DELETE ON material_search BEGIN
	INSERT INTO material_fts (material_fts, rowid, terms) VALUES ('delete', old.material_id, old.terms);
END;

CREATE TRIGGER material_search_fts_update AFTER UPDATE ON material_search BEGIN
	INSERT INTO material_fts (material_fts, rowid, terms) VALUES ('delete', old.material_id, old.terms);
	INSERT INTO material_fts (rowid, terms) VALUES (new.material_id, new.terms);
END;

-- Materials indexed before this migration.
INSERT INTO material_fts (material_fts) VALUES ('rebuild');
