-- Page images of material files (issue 3 §3: "a preview: the text of the
-- first pages, and page images where LibreOffice and poppler are
-- installed"). internal/preview makes them in the background after a
-- material is published and owns this table's SQL.
--
-- Each file that was tried has an outcome row (page 0): status 'done' or
-- 'failed' (note says why: 'timeout', 'convert', 'render', 'image'), so a
-- file that cannot be converted is not tried again at every start. A done
-- file has one row per page image (page 1..3): sha256 names the PNG in the
-- blob store (for a jpg or png file, the file itself), width and height are
-- in pixels. source_sha256 is the content the images were made from: a file
-- with the same content in another material (or kept by an edit) reuses
-- them instead of converting again. A file whose tools are not installed
-- has no row, so installing the tools later makes its images.
--
-- No foreign key to material_files: an edit that replaces a material's
-- files must leave these rows behind, so that internal/preview can find
-- the images nobody shows any more and delete them from the blob store.
CREATE TABLE material_previews (
	file_id       BIGINT  NOT NULL,
	page          INTEGER NOT NULL,
	source_sha256 TEXT    NOT NULL,
	sha256        TEXT    NOT NULL DEFAULT '',
	width         INTEGER NOT NULL DEFAULT 0,
	height        INTEGER NOT NULL DEFAULT 0,
	status        TEXT    NOT NULL,
	note          TEXT    NOT NULL DEFAULT '',
	created_at    BIGINT  NOT NULL,
	PRIMARY KEY (file_id, page)
);
-- Reuse by content, and "is this image still shown anywhere" before a
-- blob is deleted.
CREATE INDEX material_previews_source ON material_previews (source_sha256, page);
CREATE INDEX material_previews_sha ON material_previews (sha256);
-- The status page counts outcomes from this index alone.
CREATE INDEX material_previews_outcome ON material_previews (page, status);
