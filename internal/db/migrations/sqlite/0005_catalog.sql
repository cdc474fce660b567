-- Catalog plans that cost the same for any combination of filters (issue 3,
-- section 3). 0002 gave each sort an index (status, sort column, id): a
-- filtered page walked it, reading each row to test the filters, until a
-- page had matched — the whole table for a combination nothing matches
-- (7.5 s at a million materials). internal/library/catalog.go now takes one
-- of two plans, both answered from an index without reading rows:
--
--  * the sort's index, which now also holds the four filter columns, so a
--    bounded window of it is tested from the index alone (dense filters);
--  * materials_facets, led by the filter columns, so the materials of a
--    sparse combination are found directly and only they are sorted.
DROP INDEX materials_new;
DROP INDEX materials_popular;
DROP INDEX materials_downloads;
CREATE INDEX materials_new ON materials (status, published_at, id, subject, grade, type, language);
CREATE INDEX materials_popular ON materials (status, views, id, subject, grade, type, language);
CREATE INDEX materials_downloads ON materials (status, downloads, id, subject, grade, type, language);
CREATE INDEX materials_facets ON materials (status, subject, grade, type, language, published_at, id, views, downloads);
