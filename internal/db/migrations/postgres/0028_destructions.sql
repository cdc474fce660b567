-- The destruction register (internal/retention; law L8, issue 12 §6):
-- one row per purge of the retention job, what it destroyed and by which
-- declared rule, never whose. Kept for the life of the site as proof.
CREATE TABLE destructions (
	id         BIGINT PRIMARY KEY,
	at         BIGINT NOT NULL,
	table_name TEXT   NOT NULL,
	categories TEXT   NOT NULL,
	rule       TEXT   NOT NULL,
	count      BIGINT NOT NULL
);
CREATE INDEX destructions_at ON destructions (at);
