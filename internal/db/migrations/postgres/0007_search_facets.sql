-- Facet tokens in PostgreSQL's search index, as SQLite's FTS5 rows have
-- held them since 0003: '§s', '§g', '§t', '§l' and the lower-case hex of
-- the material's subject, grade, type and language. A filtered search
-- whose words are common but rare together with the filter (at 100,000
-- materials, «сабақ жоспары» among Russian tests: 5.9 s) asked the GIN
-- index for every material holding the words, then looked each one up
-- to test the filters; with the facets in the index the filters are
-- posting lists intersected inside it. '§' is no letter, so no search
-- term is ever a facet token (internal/search/index).
--
-- material_search.facets holds the tokens, kept by the triggers below
-- from the materials row (the library never writes it). The index is
-- over the terms and the facets together; a query must spell the
-- expression exactly so to use it.

-- The old index first: otherwise the UPDATE below would add every row's
-- terms to it again.
DROP INDEX material_search_terms;

ALTER TABLE material_search ADD COLUMN facets TEXT NOT NULL DEFAULT '';

CREATE FUNCTION material_facet_tokens(subject TEXT, grade TEXT, type TEXT, language TEXT) RETURNS TEXT
	LANGUAGE sql IMMUTABLE AS $$
	SELECT '§s' || encode(convert_to(subject, 'UTF8'), 'hex') || ' §g' || encode(convert_to(grade, 'UTF8'), 'hex') ||
		' §t' || encode(convert_to(type, 'UTF8'), 'hex') || ' §l' || encode(convert_to(language, 'UTF8'), 'hex')
$$;

UPDATE material_search s SET facets = material_facet_tokens(m.subject, m.grade, m.type, m.language)
FROM materials m WHERE m.id = s.material_id;

CREATE FUNCTION material_search_set_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	SELECT material_facet_tokens(m.subject, m.grade, m.type, m.language) INTO NEW.facets
	FROM materials m WHERE m.id = NEW.material_id;
	NEW.facets := coalesce(NEW.facets, '');
	RETURN NEW;
END $$;

CREATE TRIGGER material_search_facets BEFORE INSERT OR UPDATE ON material_search
	FOR EACH ROW EXECUTE FUNCTION material_search_set_facets();

-- An edit that changes what the filters see re-indexes the facets. Views,
-- downloads and status do not fire this.
CREATE FUNCTION materials_search_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE material_search SET facets = material_facet_tokens(NEW.subject, NEW.grade, NEW.type, NEW.language)
	WHERE material_id = NEW.id;
	RETURN NULL;
END $$;

CREATE TRIGGER materials_search_facets AFTER UPDATE OF subject, grade, type, language ON materials
	FOR EACH ROW EXECUTE FUNCTION materials_search_facets();

-- Building the index at a million materials takes minutes; more memory
-- for this transaction makes it several times faster.
SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX material_search_keys ON material_search USING GIN ((string_to_array(terms, ' ') || string_to_array(facets, ' ')));
