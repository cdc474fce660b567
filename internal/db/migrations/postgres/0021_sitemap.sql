-- The sitemap walks published materials in id order (keyset): this index
-- makes each step a range scan, however many materials there are
-- (issue 13 §5).
CREATE INDEX IF NOT EXISTS materials_sitemap ON materials (status, id);
