-- Core schema: accounts, vault keys, sessions, consent, audit.
-- Every *_enc column is vault ciphertext (clause 1.3); *_bidx columns are
-- keyed blind indexes for exact lookup. Timestamps are Unix milliseconds UTC.

CREATE TABLE users (
	id                BIGINT PRIMARY KEY,
	role              TEXT    NOT NULL DEFAULT 'user',
	status            TEXT    NOT NULL DEFAULT 'active',
	email_bidx        BYTEA    UNIQUE,
	email_enc         BYTEA,
	full_name_enc     BYTEA,
	organization_enc  BYTEA,
	position_enc      BYTEA,
	region_enc        BYTEA,
	phone_enc         BYTEA,
	password_hash     TEXT    NOT NULL DEFAULT '',
	locale            TEXT    NOT NULL DEFAULT 'kk',
	email_verified_at BIGINT  NOT NULL DEFAULT 0,
	created_at        BIGINT  NOT NULL,
	updated_at        BIGINT  NOT NULL,
	deleted_at        BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX users_role ON users (role);

CREATE TABLE user_keys (
	user_id     BIGINT PRIMARY KEY,
	kek_id      TEXT   NOT NULL,
	wrapped_key BYTEA   NOT NULL,
	created_at  BIGINT NOT NULL,
	rotated_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX user_keys_kek ON user_keys (kek_id);

CREATE TABLE sessions (
	id           BIGINT PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash   BYTEA   NOT NULL UNIQUE,
	created_at   BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at   BIGINT NOT NULL,
	revoked_at   BIGINT NOT NULL DEFAULT 0,
	ip_enc       BYTEA,
	ua_enc       BYTEA
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
	id          BIGINT PRIMARY KEY,
	user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose     TEXT   NOT NULL,
	token_hash  BYTEA   NOT NULL UNIQUE,
	created_at  BIGINT NOT NULL,
	expires_at  BIGINT NOT NULL,
	used_at     BIGINT NOT NULL DEFAULT 0,
	payload_enc BYTEA
);
CREATE INDEX tokens_user ON tokens (user_id, purpose);

CREATE TABLE profile_changes (
	id               BIGINT PRIMARY KEY,
	user_id          BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	at               BIGINT NOT NULL,
	actor_user_id    BIGINT NOT NULL,
	actor_session_id BIGINT NOT NULL DEFAULT 0,
	field            TEXT   NOT NULL,
	old_enc          BYTEA,
	new_enc          BYTEA
);
CREATE INDEX profile_changes_user ON profile_changes (user_id, at);

CREATE TABLE throttle (
	key           BYTEA   PRIMARY KEY,
	failures      INTEGER NOT NULL DEFAULT 0,
	last_failure  BIGINT NOT NULL DEFAULT 0,
	blocked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE documents (
	id           BIGINT PRIMARY KEY,
	kind         TEXT   NOT NULL,
	version      INTEGER NOT NULL,
	hash         TEXT   NOT NULL,
	title_kk     TEXT   NOT NULL,
	title_ru     TEXT   NOT NULL,
	title_en     TEXT   NOT NULL,
	body_kk      TEXT   NOT NULL,
	body_ru      TEXT   NOT NULL,
	body_en      TEXT   NOT NULL,
	published_at BIGINT NOT NULL,
	published_by BIGINT NOT NULL DEFAULT 0,
	UNIQUE (kind, version)
);

CREATE TABLE acceptances (
	id            BIGINT PRIMARY KEY,
	user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	document_id   BIGINT NOT NULL REFERENCES documents (id),
	document_hash TEXT   NOT NULL,
	at            BIGINT NOT NULL,
	method        TEXT   NOT NULL,
	session_id    BIGINT NOT NULL DEFAULT 0,
	ip_enc        BYTEA,
	ua_enc        BYTEA
);
CREATE INDEX acceptances_user ON acceptances (user_id, document_id);

CREATE TABLE audit_log (
	seq              BIGINT PRIMARY KEY,
	at               BIGINT NOT NULL,
	actor_user_id    BIGINT NOT NULL DEFAULT 0,
	actor_session_id BIGINT NOT NULL DEFAULT 0,
	action           TEXT   NOT NULL,
	target_user_id   BIGINT NOT NULL DEFAULT 0,
	purpose          TEXT   NOT NULL DEFAULT '',
	detail           TEXT   NOT NULL DEFAULT '',
	prev_hash        BYTEA   NOT NULL,
	hash             BYTEA   NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target_user_id);

CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY,
	seq  BIGINT NOT NULL,
	hash BYTEA   NOT NULL,
	mac  BYTEA   NOT NULL
);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
