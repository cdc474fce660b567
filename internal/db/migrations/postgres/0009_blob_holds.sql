-- Who still needs a stored file, across every node (internal/library
-- blobs.go). A file (blob) is deleted only when no material_files or
-- material_previews row and no live hold refers to it.
--
-- blob_holds: an upload in progress holds each file it stored, from the
-- moment its hash is known until its material's rows are written (in the
-- same transaction) or it is discarded. A node that dies leaves its holds
-- to expire; expires_at is past the longest an upload may take.
CREATE TABLE blob_holds (
	id         BIGINT PRIMARY KEY,
	upload_id  BIGINT NOT NULL,
	sha256     TEXT   NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX blob_holds_sha ON blob_holds (sha256);
CREATE INDEX blob_holds_upload ON blob_holds (upload_id);
CREATE INDEX blob_holds_expires ON blob_holds (expires_at);

-- blob_deletions: a node is deleting this file from storage right now.
-- An upload of the same content waits until the row is gone (or expired)
-- and then stores the file again.
CREATE TABLE blob_deletions (
	sha256     TEXT   PRIMARY KEY,
	expires_at BIGINT NOT NULL
);
