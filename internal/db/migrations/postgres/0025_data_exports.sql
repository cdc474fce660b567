-- data_exports: the ZIP of all of a user's data, built in the background
-- for large accounts (internal/privacy exports.go). state: pending,
-- running, ready, failed; progress in percent; times in Unix ms. The ZIP
-- itself is in data_export_parts, sealed under the user's data key in
-- chunks, so deleting the account shreds it; both expire after 7 days.
CREATE TABLE data_exports (
  id BIGINT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  lang TEXT NOT NULL,
  state TEXT NOT NULL,
  progress INTEGER NOT NULL DEFAULT 0,
  size BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  ready_at BIGINT NOT NULL DEFAULT 0,
  expires_at BIGINT NOT NULL
);
CREATE INDEX data_exports_user ON data_exports (user_id, created_at);
CREATE INDEX data_exports_expires ON data_exports (expires_at);
CREATE TABLE data_export_parts (
  id BIGINT PRIMARY KEY,
  export_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  data_enc BYTEA NOT NULL,
  UNIQUE (export_id, seq)
);
