-- The habits of the big portals (issue 13 §3): favourites, collections,
-- ratings and comments, following authors with an email digest, and the
-- notifications inbox. Every row names its user; all of them go with the
-- account (library.EraseUser) and are in the data export.

-- Ratings: one per teacher and material (changed, never repeated). The
-- material keeps the sum and count, so a card shows the average without
-- reading ratings, and rating_score orders the catalog: a Bayesian
-- average (two phantom votes of 3 stars) × 1000, so one 5-star vote does
-- not outrank fifty 4.8s; 0 for a material nobody rated.
ALTER TABLE materials ADD COLUMN rating_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE materials ADD COLUMN rating_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE materials ADD COLUMN rating_score BIGINT NOT NULL DEFAULT 0;
-- The "rating" sort's index, shaped like the other sorts' (0005).
CREATE INDEX materials_rating ON materials (status, rating_score, id, subject, grade, type, language);

CREATE TABLE ratings (
	material_id BIGINT  NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
	user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	stars       INTEGER NOT NULL,
	created_at  BIGINT  NOT NULL,
	updated_at  BIGINT  NOT NULL,
	PRIMARY KEY (material_id, user_id)
);
CREATE INDEX ratings_user ON ratings (user_id);

-- Comments are public once a moderator publishes them (like materials);
-- status: pending, published, rejected, taken_down. The text is the
-- commenter's user content; who wrote it is shown only by the name they
-- chose to publish (clause 1.4).
CREATE TABLE comments (
	id           BIGINT PRIMARY KEY,
	material_id  BIGINT NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	body         TEXT   NOT NULL,
	status       TEXT   NOT NULL,
	created_at   BIGINT NOT NULL,
	moderated_by BIGINT NOT NULL DEFAULT 0,
	moderated_at BIGINT NOT NULL DEFAULT 0,
	reason       TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX comments_material ON comments (material_id, status, created_at);
CREATE INDEX comments_queue ON comments (status, created_at);
CREATE INDEX comments_user ON comments (user_id);

-- A report may be about one comment of the material (0: the material).
ALTER TABLE reports ADD COLUMN comment_id BIGINT NOT NULL DEFAULT 0;

-- Favourites (saved materials).
CREATE TABLE favourites (
	user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	material_id BIGINT NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
	created_at  BIGINT NOT NULL,
	PRIMARY KEY (user_id, material_id)
);
CREATE INDEX favourites_user ON favourites (user_id, created_at);

-- Named collections, public (anyone with the link or on the owner's
-- author page) or private (the owner only).
CREATE TABLE collections (
	id         BIGINT  PRIMARY KEY,
	owner_id   BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	title      TEXT    NOT NULL,
	public     INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT  NOT NULL,
	updated_at BIGINT  NOT NULL
);
CREATE INDEX collections_owner ON collections (owner_id, created_at);
CREATE TABLE collection_items (
	collection_id BIGINT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
	material_id   BIGINT NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
	added_at      BIGINT NOT NULL,
	PRIMARY KEY (collection_id, material_id)
);

-- Following authors.
CREATE TABLE follows (
	follower_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	author_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at  BIGINT NOT NULL,
	PRIMARY KEY (follower_id, author_id)
);
CREATE INDEX follows_author ON follows (author_id);

-- The digest: how often (daily, weekly, off) and the last period sent
-- (the start of the day or week, Unix ms), claimed before the email is
-- sent so that no period is sent twice, whichever node runs the job.
CREATE TABLE digest_prefs (
	user_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	frequency   TEXT   NOT NULL,
	last_period BIGINT NOT NULL DEFAULT 0,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX digest_prefs_due ON digest_prefs (frequency, last_period);

-- The inbox: kind is approved, rejected, taken_down, comment, followed.
CREATE TABLE notifications (
	id          BIGINT PRIMARY KEY,
	user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind        TEXT   NOT NULL,
	material_id BIGINT NOT NULL DEFAULT 0,
	comment_id  BIGINT NOT NULL DEFAULT 0,
	reason      TEXT   NOT NULL DEFAULT '',
	note        TEXT   NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL,
	read_at     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
