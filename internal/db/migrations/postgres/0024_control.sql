-- The data subject's control over processing (issue 12 §2; law L3, L4,
-- L12): a blocked state of an account and the consent-term reminders.

-- users.blocked: why processing of the account's data is blocked ('' =
-- not blocked): request (the user asked), withdrawn (consent withdrawn),
-- term (the consent's term ended), admin (an administrator). blocked_at:
-- since when (Unix ms). Kept on the users row so every page, query and
-- the mail path read it with the account, on every node.
ALTER TABLE users ADD COLUMN blocked TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN blocked_at BIGINT NOT NULL DEFAULT 0;

-- The reminders that a consent's term is ending, one row per consent
-- (its time) and threshold, inserted in the transaction that queues the
-- email: each reminder is sent once whichever node runs the job.
CREATE TABLE consent_reminders (
	user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	consent_at  BIGINT  NOT NULL,
	days_before INTEGER NOT NULL,
	sent_at     BIGINT  NOT NULL,
	PRIMARY KEY (user_id, consent_at, days_before)
);
