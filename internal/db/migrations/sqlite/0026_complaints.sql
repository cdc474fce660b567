-- The register of complaints, disputes and official requests
-- (internal/complaints; clause 3.2, issue 12 §3). Every personal value is
-- sealed by internal/vault: a signed-in complainant's under their own
-- data key (deleting the account shreds it), a visitor's or a letter's
-- under a data key of the complaint's own, kept in user_keys under the
-- owner number -id (key_owner), as visitors' threads are.
CREATE TABLE complaints (
	id          BIGINT PRIMARY KEY,
	kind        TEXT   NOT NULL, -- complaint, dispute, official
	channel     TEXT   NOT NULL, -- form, letter
	user_id     BIGINT NOT NULL DEFAULT 0, -- the signed-in complainant, 0 otherwise
	key_owner   BIGINT NOT NULL, -- user_id, or -id for a key of its own
	lang        TEXT   NOT NULL,
	sender_enc  BLOB,            -- who wrote: a name, an organisation, a state body
	contact_enc BLOB,            -- where the answer goes (an email address)
	parties_enc BLOB,            -- the other parties of a dispute
	subject_enc BLOB   NOT NULL,
	body_enc    BLOB   NOT NULL,
	letter_date TEXT   NOT NULL DEFAULT '', -- YYYY-MM-DD of a letter entered by an administrator
	status      TEXT   NOT NULL, -- received, in_progress, answered, closed
	received_at BIGINT NOT NULL,
	due_at      BIGINT NOT NULL,
	entered_by  BIGINT NOT NULL DEFAULT 0,
	answered_at BIGINT NOT NULL DEFAULT 0,
	answered_by BIGINT NOT NULL DEFAULT 0,
	answer_enc  BLOB,
	closed_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX complaints_queue ON complaints (status, due_at);
CREATE INDEX complaints_user ON complaints (user_id);

-- Documents attached to a complaint, sealed whole like correspondence
-- attachments (small files, checked by the library's file rules).
CREATE TABLE complaint_files (
	id           BIGINT PRIMARY KEY,
	complaint_id BIGINT NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
	name_enc     BLOB   NOT NULL,
	kind         TEXT   NOT NULL,
	data_enc     BLOB   NOT NULL,
	created_at   BIGINT NOT NULL
);
CREATE INDEX complaint_files_complaint ON complaint_files (complaint_id);

-- One row per overdue item (a complaint or a report of a material) and
-- day on which the administrators were told: the primary key is what
-- makes the escalation once a day, whichever node runs the job.
CREATE TABLE complaint_escalations (
	item_id BIGINT NOT NULL,
	day     TEXT   NOT NULL, -- YYYY-MM-DD in Kazakhstan
	kind    TEXT   NOT NULL, -- complaint, report
	sent_at BIGINT NOT NULL,
	PRIMARY KEY (item_id, day)
);

-- A report of a material joins the register: a visitor may leave words
-- and an address for the decision, sealed under a data key of the
-- report's own (owner -id, key_owner); a signed-in reporter's are sealed
-- under theirs (key_owner = reporter_id), the decision going to the
-- account's address.
ALTER TABLE reports ADD COLUMN contact_enc BLOB;
ALTER TABLE reports ADD COLUMN key_owner BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN lang TEXT NOT NULL DEFAULT ''; -- a visitor's language, for the decision
UPDATE reports SET key_owner = reporter_id;
