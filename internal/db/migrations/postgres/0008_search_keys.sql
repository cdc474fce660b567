-- PostgreSQL's search index, second form (internal/search/index).
--
-- 1. The GIN index of material_search is over a function of its own,
--    material_keys, which declares what it costs. Testing one material's
--    keys outside the index means reading its terms, decompressing them
--    (about 2 KB of text, 150 terms) and splitting them: 20–30 µs at a
--    million materials. The expression 0007 indexed was costed by the
--    planner as a few operators, so it chose plans that test every row: a
--    sequential scan for "the first 1,000 materials holding a common
--    word" (280 ms), or "which of these 3,000 materials hold the word"
--    tested row by row (65 ms) where ANDing the index's bitmap with the
--    keys' bitmap takes 15 ms. With the cost declared, the planner keeps
--    to the index. SET search_path keeps the function from being inlined
--    (an inlined function loses its declared cost) and pins what
--    string_to_array means. A query must spell
--    material_keys(s.terms, s.facets) to use the index.
--
-- 2. material_search.published_at is the material's publication time
--    while it is published, NULL otherwise, kept by the triggers from
--    materials like the facets; with the index material_search_new it
--    lets a search newest first take the materials of a range of
--    publication times as one bitmap, ANDed with the GIN index's, instead
--    of naming each material.

CREATE FUNCTION material_keys(terms TEXT, facets TEXT) RETURNS TEXT[]
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
	SET search_path = pg_catalog AS $$
	SELECT string_to_array(terms, ' ') || string_to_array(facets, ' ')
$$;

-- The old index first: otherwise the UPDATE below would add every row's
-- keys to it again.
DROP INDEX material_search_keys;

ALTER TABLE material_search ADD COLUMN published_at BIGINT;

CREATE OR REPLACE FUNCTION material_search_set_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT material_facet_tokens(m.subject, m.grade, m.type, m.language),
		CASE WHEN m.status = 'published' THEN m.published_at END
	INTO NEW.facets, NEW.published_at
	FROM materials m WHERE m.id = NEW.material_id;
	NEW.facets := coalesce(NEW.facets, '');
	RETURN NEW;
END $$;

-- Every row once, here, rather than by the trigger (a lookup each).
ALTER TABLE material_search DISABLE TRIGGER material_search_facets;
UPDATE material_search s SET published_at = m.published_at
FROM materials m WHERE m.id = s.material_id AND m.status = 'published';
ALTER TABLE material_search ENABLE TRIGGER material_search_facets;

-- An edit that changes what the filters see, a publication, a withdrawal
-- or a take-down rewrites the material's row, and the trigger above fills
-- it from materials. Views and downloads do not fire this.
DROP TRIGGER materials_search_facets ON materials;
CREATE OR REPLACE FUNCTION materials_search_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE material_search SET facets = '' WHERE material_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER materials_search_facets AFTER UPDATE OF subject, grade, type, language, status, published_at ON materials
	FOR EACH ROW
	WHEN ((OLD.subject, OLD.grade, OLD.type, OLD.language, OLD.status, OLD.published_at)
		IS DISTINCT FROM (NEW.subject, NEW.grade, NEW.type, NEW.language, NEW.status, NEW.published_at))
	EXECUTE FUNCTION materials_search_facets();

-- Building the indexes at a million materials takes minutes; more memory
-- for this transaction makes it several times faster.
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX material_search_keys ON material_search USING GIN (material_keys(terms, facets));
CREATE INDEX material_search_new ON material_search (published_at, material_id) WHERE published_at IS NOT NULL;

-- The plans are chosen from the statistics of the index's keys (pg_stats
-- of material_search_keys), which only ANALYZE gathers.
ANALYZE material_search;
