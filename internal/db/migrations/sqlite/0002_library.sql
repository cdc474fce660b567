-- The materials library (issue 3): taxonomy, materials and their files,
-- moderation, reports, file events and publication certificates.
-- Timestamps are Unix milliseconds UTC; 0 means "not yet". Booleans are
-- INTEGER 0/1 on both engines. *_enc columns are vault ciphertext sealed
-- with the user's own key (clause 1.3).

-- Subjects, grades and material types, in kk/ru/en (seeded by
-- internal/library at start; administrators edit them). Terms are never deleted, only
-- made inactive, so a material's code always resolves to a name.
CREATE TABLE taxonomy (
	id         BIGINT  PRIMARY KEY,
	kind       TEXT    NOT NULL,
	code       TEXT    NOT NULL,
	name_kk    TEXT    NOT NULL,
	name_ru    TEXT    NOT NULL,
	name_en    TEXT    NOT NULL,
	abbr_kk    TEXT    NOT NULL DEFAULT '',
	abbr_ru    TEXT    NOT NULL DEFAULT '',
	abbr_en    TEXT    NOT NULL DEFAULT '',
	sort_order INTEGER NOT NULL DEFAULT 0,
	active     INTEGER NOT NULL DEFAULT 1,
	updated_at BIGINT  NOT NULL,
	UNIQUE (kind, code)
);

-- A material is public once published (clause 1.4): its title,
-- description and tags are what the author chose to show everyone.
CREATE TABLE materials (
	id            BIGINT  PRIMARY KEY,
	author_id     BIGINT  NOT NULL REFERENCES users (id),
	title         TEXT    NOT NULL,
	description   TEXT    NOT NULL DEFAULT '',
	subject       TEXT    NOT NULL,
	grade         TEXT    NOT NULL,
	type          TEXT    NOT NULL,
	language      TEXT    NOT NULL,
	tags          TEXT    NOT NULL DEFAULT '',
	status        TEXT    NOT NULL,
	slug          TEXT    NOT NULL DEFAULT '',
	views         BIGINT  NOT NULL DEFAULT 0,
	downloads     BIGINT  NOT NULL DEFAULT 0,
	duplicate_of  BIGINT  NOT NULL DEFAULT 0,
	created_at    BIGINT  NOT NULL,
	updated_at    BIGINT  NOT NULL,
	published_at  BIGINT  NOT NULL DEFAULT 0,
	moderated_by  BIGINT  NOT NULL DEFAULT 0,
	moderated_at  BIGINT  NOT NULL DEFAULT 0,
	reject_reason TEXT    NOT NULL DEFAULT '',
	reject_note   TEXT    NOT NULL DEFAULT ''
);
-- One index per catalog sort, so a keyset page is an index range scan
-- however deep it is.
CREATE INDEX materials_new ON materials (status, published_at, id);
CREATE INDEX materials_popular ON materials (status, views, id);
CREATE INDEX materials_downloads ON materials (status, downloads, id);
CREATE INDEX materials_subject_new ON materials (status, subject, grade, published_at, id);
CREATE INDEX materials_author ON materials (author_id, created_at);
CREATE INDEX materials_queue ON materials (status, updated_at);

-- Analysed text of a material (title, description, tags, the text inside
-- its files) as space-separated index terms; a full-text index is built
-- over this table, one row per material.
CREATE TABLE material_search (
	material_id BIGINT PRIMARY KEY REFERENCES materials (id) ON DELETE CASCADE,
	terms       TEXT   NOT NULL
);

-- Files are stored once per content (blob store, by SHA-256); name is the
-- sanitised original file name, shown to users (not personal data).
CREATE TABLE material_files (
	id          BIGINT  PRIMARY KEY,
	material_id BIGINT  NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
	sha256      TEXT    NOT NULL,
	size        BIGINT  NOT NULL,
	kind        TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	position    INTEGER NOT NULL,
	excerpt     TEXT    NOT NULL DEFAULT '',
	downloads   BIGINT  NOT NULL DEFAULT 0,
	created_at  BIGINT  NOT NULL
);
CREATE INDEX material_files_material ON material_files (material_id, position);
CREATE INDEX material_files_sha ON material_files (sha256);

-- Every moderation decision, append-only.
CREATE TABLE moderation_decisions (
	id           BIGINT PRIMARY KEY,
	material_id  BIGINT NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
	moderator_id BIGINT NOT NULL,
	action       TEXT   NOT NULL,
	reason       TEXT   NOT NULL DEFAULT '',
	note         TEXT   NOT NULL DEFAULT '',
	at           BIGINT NOT NULL
);
CREATE INDEX moderation_decisions_material ON moderation_decisions (material_id, at);

-- The register of complaints about materials (clause 3.2): who reported
-- (0 for a visitor who was not signed in), why, when, the deadline the
-- law sets, what was decided and when. A signed-in reporter's text is
-- sealed with their key; a visitor's report carries no text.
CREATE TABLE reports (
	id          BIGINT PRIMARY KEY,
	material_id BIGINT NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
	reporter_id BIGINT NOT NULL DEFAULT 0,
	reason      TEXT   NOT NULL,
	text_enc    BLOB,
	created_at  BIGINT NOT NULL,
	deadline_at BIGINT NOT NULL,
	decision    TEXT   NOT NULL DEFAULT '',
	decided_by  BIGINT NOT NULL DEFAULT 0,
	decided_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX reports_open ON reports (decided_at, deadline_at);
CREATE INDEX reports_material ON reports (material_id);

-- Uploads and downloads by signed-in users (clause 1.2 (c)): the client
-- address and browser are sealed with the user's key. Visitors who are
-- not signed in leave only the counters on materials and material_files.
CREATE TABLE file_events (
	id          BIGINT PRIMARY KEY,
	user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	material_id BIGINT NOT NULL,
	file_id     BIGINT NOT NULL,
	action      TEXT   NOT NULL,
	at          BIGINT NOT NULL,
	ip_enc      BLOB,
	ua_enc      BLOB
);
CREATE INDEX file_events_user ON file_events (user_id, at);

-- Publication certificates. The author's name as they confirmed it is
-- sealed with their key (it is shown on the public verify page because
-- they chose to have it printed); the signature is Ed25519 over the
-- certificate's fields.
CREATE TABLE certificates (
	id            BIGINT PRIMARY KEY,
	number        TEXT   NOT NULL UNIQUE,
	material_id   BIGINT NOT NULL REFERENCES materials (id),
	author_id     BIGINT NOT NULL,
	name_enc      BLOB,
	title         TEXT   NOT NULL,
	lang          TEXT   NOT NULL,
	issued_at     BIGINT NOT NULL,
	signature     BLOB   NOT NULL,
	revoked_at    BIGINT NOT NULL DEFAULT 0,
	revoke_reason TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX certificates_material ON certificates (material_id);
CREATE INDEX certificates_author ON certificates (author_id);
