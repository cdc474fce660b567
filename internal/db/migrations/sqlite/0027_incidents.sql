-- Personal-data incidents (internal/incident; issue 12 §4, law L15): a
-- leak, a lost backup, an unauthorised access, recorded by an
-- administrator with the deadline to notify the authorised body, the
-- users it concerns and whether each was told.

-- One incident. The description and the measures may name people, so
-- they are sealed with the site's own data key (owner 0). categories is a
-- comma-separated list of the data map's categories.
CREATE TABLE incidents (
	id               BIGINT PRIMARY KEY,
	kind             TEXT   NOT NULL,
	categories       TEXT   NOT NULL,
	detected_at      BIGINT NOT NULL,
	occurred_at      BIGINT NOT NULL DEFAULT 0,
	due_at           BIGINT NOT NULL,
	all_users        INTEGER NOT NULL DEFAULT 0,
	description_enc  BLOB,
	measures_enc     BLOB,
	created_by       BIGINT NOT NULL,
	created_at       BIGINT NOT NULL,
	body_notified_at BIGINT NOT NULL DEFAULT 0,
	body_notified_by BIGINT NOT NULL DEFAULT 0,
	users_notify_at  BIGINT NOT NULL DEFAULT 0,
	users_notify_by  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX incidents_detected ON incidents (detected_at);

-- The users an incident concerns, and when each was sent the notice
-- (0: not yet); ids only.
CREATE TABLE incident_users (
	incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
	user_id     BIGINT NOT NULL,
	notified_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (incident_id, user_id)
);
CREATE INDEX incident_users_user ON incident_users (user_id);
