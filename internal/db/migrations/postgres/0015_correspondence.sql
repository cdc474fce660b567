-- Correspondence between the administration and users (clause 1.2 (a)):
-- threads, their messages, the reply tokens of their emails, and the
-- addresses that bounced. Every *_enc column is vault ciphertext: a user's
-- thread under the user's data key; a visitor's thread (contact form)
-- under a data key of its own, kept in user_keys under the owner number
-- -thread_id (key_owner). Tokens are stored as SHA-256; addresses only as
-- blind indexes (with the account the address belonged to, so a deletion
-- erases it). Owned by internal/correspondence.

CREATE TABLE corr_threads (
	id          BIGINT PRIMARY KEY,
	user_id     BIGINT NOT NULL DEFAULT 0,
	key_owner   BIGINT NOT NULL,
	subject_enc BYTEA,
	email_enc   BYTEA,
	lang        TEXT   NOT NULL DEFAULT 'kk',
	status      TEXT   NOT NULL DEFAULT 'open',
	messages    INTEGER NOT NULL DEFAULT 0,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX corr_threads_user ON corr_threads (user_id, updated_at);
CREATE INDEX corr_threads_updated ON corr_threads (updated_at);

CREATE TABLE corr_messages (
	id           BIGINT PRIMARY KEY,
	thread_id    BIGINT NOT NULL REFERENCES corr_threads (id) ON DELETE CASCADE,
	author       TEXT   NOT NULL,
	via          TEXT   NOT NULL,
	author_id    BIGINT NOT NULL DEFAULT 0,
	body_enc     BYTEA,
	att_name_enc BYTEA,
	att_kind     TEXT   NOT NULL DEFAULT '',
	att_enc      BYTEA,
	created_at   BIGINT NOT NULL
);
CREATE INDEX corr_messages_thread ON corr_messages (thread_id, created_at);

CREATE TABLE corr_tokens (
	token_hash BYTEA   PRIMARY KEY,
	thread_id  BIGINT NOT NULL REFERENCES corr_threads (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL
);
CREATE INDEX corr_tokens_thread ON corr_tokens (thread_id);

CREATE TABLE mail_undeliverable (
	email_bidx BYTEA   PRIMARY KEY,
	user_id    BIGINT NOT NULL DEFAULT 0,
	status     TEXT   NOT NULL DEFAULT '',
	at         BIGINT NOT NULL
);
CREATE INDEX mail_undeliverable_user ON mail_undeliverable (user_id);
