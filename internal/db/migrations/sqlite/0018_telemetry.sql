-- Technical information and preference statistics (issue 9; clauses 1.1,
-- 1.2 (c), 1.2 (d)). Owned by internal/telemetry.

-- The random salt of one day (UTC), shared by every node: unique
-- visitors of the day are counted as hashes of salt + address + browser.
-- The row is deleted when the day is closed, so the day's hashes can
-- never be computed again, by anyone.
CREATE TABLE telemetry_salts (
	day  TEXT PRIMARY KEY,
	salt BLOB NOT NULL
);

-- Counts of the day still open, per dimension and value.
CREATE TABLE telemetry_live (
	day   TEXT   NOT NULL,
	dim   TEXT   NOT NULL,
	value TEXT   NOT NULL,
	views BIGINT NOT NULL,
	PRIMARY KEY (day, dim, value)
) WITHOUT ROWID;

-- The visitor hashes of the day still open, per dimension and value;
-- deleted with the salt when the day is closed.
CREATE TABLE telemetry_live_visitors (
	day   TEXT NOT NULL,
	dim   TEXT NOT NULL,
	value TEXT NOT NULL,
	hash  BLOB NOT NULL,
	PRIMARY KEY (day, dim, value, hash)
) WITHOUT ROWID;

-- Closed days: what the statistics page reads. Values seen by fewer than
-- k visitors are merged into "other" when the day is closed.
CREATE TABLE telemetry_daily (
	dim      TEXT   NOT NULL,
	day      TEXT   NOT NULL,
	value    TEXT   NOT NULL,
	views    BIGINT NOT NULL,
	visitors BIGINT NOT NULL,
	-- the value's place among the day's values of its dimension by views
	-- (1 = most viewed): a period's top values are looked for among
	-- those near the top of some day, then summed exactly
	rank     BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (dim, day, value)
) WITHOUT ROWID;

CREATE INDEX telemetry_daily_rank ON telemetry_daily (dim, day, rank);
CREATE INDEX telemetry_daily_value ON telemetry_daily (dim, value, day, views, visitors);

CREATE TABLE telemetry_days (
	day       TEXT   PRIMARY KEY,
	closed_at BIGINT NOT NULL
);

-- Personalised technical records of signed-in users: every field but
-- the time sealed with the user's data key (internal/vault).
CREATE TABLE telemetry_records (
	id           BIGINT PRIMARY KEY,
	user_id      BIGINT NOT NULL,
	at           BIGINT NOT NULL,
	path_enc     BLOB,
	referrer_enc BLOB,
	ip_enc       BLOB,
	provider_enc BLOB,
	country_enc  BLOB,
	ua_enc       BLOB,
	browser_enc  BLOB,
	os_enc       BLOB,
	device_enc   BLOB,
	topic_enc    BLOB
);
CREATE INDEX telemetry_records_user ON telemetry_records (user_id, at);
CREATE INDEX telemetry_records_at ON telemetry_records (at);

-- Per-user preference counts by month (clause 1.2 (d)): the value sealed,
-- found again by a keyed hash so counts add up across nodes.
CREATE TABLE telemetry_preferences (
	user_id    BIGINT NOT NULL,
	month      TEXT   NOT NULL,
	kind       TEXT   NOT NULL,
	value_bidx BLOB   NOT NULL,
	value_enc  BLOB   NOT NULL,
	views      BIGINT NOT NULL,
	PRIMARY KEY (user_id, month, kind, value_bidx)
) WITHOUT ROWID;
