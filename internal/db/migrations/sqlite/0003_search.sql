-- The full-text index of the materials library (issue 3, section 3) over
-- material_search, whose terms internal/search has already analysed
-- (stemmed, folded): the index must store and compare them as whole
-- strings, never through an engine's own analysis.
--
-- SQLite: a contentless FTS5 table, one row per material (rowid =
-- material_id), kept in step by the triggers below; contentless_delete
-- lets a row be deleted by rowid alone.
--   - tokenize 'ascii': every non-ASCII character is part of a token, so a
--     Kazakh or Russian term is one token, unchanged; unicode61 would fold
--     й to и with its diacritics removal and knows letters only up to
--     Unicode 6.1. Terms hold no ASCII capital, which ascii would fold.
--   - detail 'none': the index answers "which materials hold this term"
--     and nothing else (no phrases, no ranking), so it keeps no positions
--     and is several times smaller.
--   - Besides its terms, a row holds one facet token per catalog filter:
--     '§s', '§g', '§t', '§l' and the hex of the material's subject, grade,
--     type and language. A filtered search is then one intersection of
--     posting lists, and internal/search/index learns from the index how
--     many materials a query matches before it picks a plan (SQLite's
--     planner cannot know). '§' is no letter, so no search term is ever a
--     facet token; ascii keeps it inside the token.
-- internal/db's TestSchemasMatch lists material_fts and its shadow tables
-- as SQLite-only; PostgreSQL indexes the same rows with a GIN index (its
-- 0003_search.sql).
CREATE VIRTUAL TABLE material_fts USING fts5(
	terms,
	content = '',
	contentless_delete = 1,
	tokenize = 'ascii',
	detail = 'none'
);

CREATE TRIGGER material_search_fts_insert AFTER INSERT ON material_search BEGIN
	INSERT INTO material_fts (rowid, terms)
	SELECT new.material_id, new.terms || ' §s' || hex(m.subject) || ' §g' || hex(m.grade) || ' §t' || hex(m.type) || ' §l' || hex(m.language)
	FROM materials m WHERE m.id = new.material_id;
END;

CREATE TRIGGER material_search_fts_update AFTER UPDATE ON material_search BEGIN
	DELETE FROM material_fts WHERE rowid = old.material_id;
	INSERT INTO material_fts (rowid, terms)
	SELECT new.material_id, new.terms || ' §s' || hex(m.subject) || ' §g' || hex(m.grade) || ' §t' || hex(m.type) || ' §l' || hex(m.language)
	FROM materials m WHERE m.id = new.material_id;
END;

-- A material's deletion cascades to material_search and lands here.
CREATE TRIGGER material_search_fts_delete AFTER DELETE ON material_search BEGIN
	DELETE FROM material_fts WHERE rowid = old.material_id;
END;

-- An edit that changes what the filters see re-indexes the facets (the
-- library also rewrites the terms then, but the index must not depend on
-- it). Views, downloads and status do not fire this.
CREATE TRIGGER materials_fts_facets AFTER UPDATE OF subject, grade, type, language ON materials BEGIN
	DELETE FROM material_fts WHERE rowid = new.id;
	INSERT INTO material_fts (rowid, terms)
	SELECT s.material_id, s.terms || ' §s' || hex(new.subject) || ' §g' || hex(new.grade) || ' §t' || hex(new.type) || ' §l' || hex(new.language)
	FROM material_search s WHERE s.material_id = new.id;
END;

-- Materials indexed before this migration.
INSERT INTO material_fts (rowid, terms)
SELECT s.material_id, s.terms || ' §s' || hex(m.subject) || ' §g' || hex(m.grade) || ' §t' || hex(m.type) || ' §l' || hex(m.language)
FROM material_search s JOIN materials m ON m.id = s.material_id;
