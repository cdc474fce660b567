-- The terms of a material's title and of its description and tags, apart
-- from material_search.terms (which holds them together with the file
-- text): internal/library ranks a query's matches by where each query
-- word was found (title above description above file text), the same way
-- on both engines. Written by the library with the terms; materials
-- indexed before this migration have them empty until `smartustaz
-- reindex`, and the ranking analyses their title and description on the
-- fly meanwhile.
ALTER TABLE material_search ADD COLUMN title_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE material_search ADD COLUMN desc_terms TEXT NOT NULL DEFAULT '';
