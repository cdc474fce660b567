-- Users brought over from another site's database (issue 11, clause 1.2 (b)).
--
-- import_batches: one run of an import (command line or /admin/import).
-- source is the operator's name for where the users came from (a file
-- name or --source), never personal data; the counts and the report
-- (line numbers or source keys with reason keys, JSON) are what the
-- administrator reads afterwards. status: uploaded (previewed, not started),
-- pending (waiting for its job), running, done, failed, cancelled. invite_* track the
-- invitation of the batch's users by email. done / total measure the
-- progress in the source's unit (bytes of a file, rows of a table).
CREATE TABLE import_batches (
	id            BIGINT  PRIMARY KEY,
	source        TEXT    NOT NULL,
	format        TEXT    NOT NULL DEFAULT '',
	encoding      TEXT    NOT NULL DEFAULT '',
	actor_user_id BIGINT  NOT NULL DEFAULT 0,
	on_conflict   TEXT    NOT NULL DEFAULT 'skip',
	dry_run       INTEGER NOT NULL DEFAULT 0,
	status        TEXT    NOT NULL DEFAULT 'pending',
	started_at    BIGINT  NOT NULL,
	finished_at   BIGINT  NOT NULL DEFAULT 0,
	total         BIGINT  NOT NULL DEFAULT 0,
	done          BIGINT  NOT NULL DEFAULT 0,
	rows_read     BIGINT  NOT NULL DEFAULT 0,
	created       BIGINT  NOT NULL DEFAULT 0,
	updated       BIGINT  NOT NULL DEFAULT 0,
	skipped       BIGINT  NOT NULL DEFAULT 0,
	failed        BIGINT  NOT NULL DEFAULT 0,
	report        TEXT    NOT NULL DEFAULT '',
	invite_status TEXT    NOT NULL DEFAULT '',
	invite_total  BIGINT  NOT NULL DEFAULT 0,
	invite_sent   BIGINT  NOT NULL DEFAULT 0
);

-- import_chunks: a file uploaded at /admin/import, waiting for its job,
-- sealed (vault) with the data key of the uploading administrator
-- (user_id) a chunk at a time; deleted when the job ends, or with that
-- administrator's account.
CREATE TABLE import_chunks (
	id       BIGINT PRIMARY KEY,
	batch_id BIGINT NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
	user_id  BIGINT NOT NULL,
	seq      INTEGER NOT NULL,
	data_enc BLOB   NOT NULL,
	UNIQUE (batch_id, seq)
);

-- import_users: where an imported user came from and whether they have
-- accepted this site's documents yet (consent 'none' until their first
-- sign-in, then 'accepted'); registered_at is their registration on the
-- other site, if it said (Unix ms, 0 unknown).
CREATE TABLE import_users (
	user_id       BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	batch_id      BIGINT NOT NULL,
	source        TEXT   NOT NULL,
	imported_at   BIGINT NOT NULL,
	registered_at BIGINT NOT NULL DEFAULT 0,
	consent       TEXT   NOT NULL DEFAULT 'none',
	consent_at    BIGINT NOT NULL DEFAULT 0,
	invited_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX import_users_batch ON import_users (batch_id, user_id);
CREATE INDEX import_chunks_user ON import_chunks (user_id);
