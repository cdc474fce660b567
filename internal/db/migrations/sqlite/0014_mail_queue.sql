-- The outgoing mail queue (issue 10 §1, clause 1.2 (a)): every message the
-- site sends is a row here first, written in the transaction that causes
-- it, and handed to the mail server by a job of internal/jobs (kind
-- mail.send, or mail.bulk for announcements), whose arguments hold only
-- the row's id. internal/mailq owns these tables' SQL.
--
-- The recipient, subject, bodies and reply/unsubscribe addresses are
-- sealed by internal/vault with the queue's data key (user_keys row of the
-- reserved owner -1), bound to this table, column and row; they are wiped
-- once the message is sent. key_hash is a keyed hash (HMAC) of the
-- caller's idempotency key, or random: a second message with the same key
-- is the same message. message_id is the Message-ID header every attempt
-- carries. status: pending, sent, failed. reason is the mail server's last
-- answer without any address. retry_from starts the retry window (24
-- hours by default): the time of enqueueing, or of the administrator's
-- retry. bulk names the bulk send the message belongs to ('' for none).
CREATE TABLE mail_queue (
	id          BIGINT  PRIMARY KEY,
	key_hash    BLOB    NOT NULL UNIQUE,
	message_id  TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	lang        TEXT    NOT NULL,
	bulk        TEXT    NOT NULL DEFAULT '',
	status      TEXT    NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	reason      TEXT    NOT NULL DEFAULT '',
	rcpt        BLOB,
	subject     BLOB,
	body_text   BLOB,
	body_html   BLOB,
	reply_to    BLOB,
	unsubscribe BLOB,
	created_at  BIGINT  NOT NULL,
	retry_from  BIGINT  NOT NULL,
	updated_at  BIGINT  NOT NULL,
	sent_at     BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX mail_queue_status ON mail_queue (status, id);
CREATE INDEX mail_queue_bulk ON mail_queue (bulk, status) WHERE bulk <> '';

-- A bulk send (the notice of a new agreement version): its name, kind and
-- whether every message of it is in mail_queue yet (the pages that enqueue
-- them are jobs too, so a restart resumes where it stopped).
CREATE TABLE mail_bulk (
	name       TEXT    PRIMARY KEY,
	kind       TEXT    NOT NULL,
	created_at BIGINT  NOT NULL,
	complete   INTEGER NOT NULL DEFAULT 0
);

-- The bulk rate limit shared by every node: the earliest time (unix microseconds)
-- the next bulk message may go out.
CREATE TABLE mail_rate (
	name    TEXT   PRIMARY KEY,
	next_at BIGINT NOT NULL
);
