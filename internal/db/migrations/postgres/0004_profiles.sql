-- Public author profiles (issue 3 §4, clause 1.4) and what certificates
-- of publication need beyond 0002 (issue 3 §6).

-- The fields a user chose to show on their public page, one row per
-- field. Nothing is here until the person ticks a field; unticking it
-- deletes the row, so the page stops showing it at once. The values are
-- plain text because the person published them (clause 1.4).
CREATE TABLE public_profiles (
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	field      TEXT   NOT NULL,
	value      TEXT   NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, field)
);
-- The catalog looks up display names of the authors on a page.
CREATE INDEX public_profiles_field ON public_profiles (field, user_id);

-- Every choice of what to publish, append-only (like acceptances, but a
-- consent of its own, separate from the agreement): which fields were
-- public after the choice (comma-separated names, '' when none), when,
-- and from which session. Values are not copied here, so a withdrawn
-- field leaves no trace of its text.
CREATE TABLE publication_consents (
	id         BIGINT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	fields     TEXT   NOT NULL,
	at         BIGINT NOT NULL,
	session_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX publication_consents_user ON publication_consents (user_id, at);

-- Certificates: the material address that was signed (the site's
-- address may change; an old signature must still check), and whether
-- the author chose to show the printed name on the public verify page
-- (default no: clause 1.4).
ALTER TABLE certificates ADD COLUMN material_url TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN show_name INTEGER NOT NULL DEFAULT 0;
-- One valid certificate per material and author: a reissue revokes the
-- old one in the same transaction.
CREATE UNIQUE INDEX certificates_valid ON certificates (material_id, author_id) WHERE revoked_at = 0;
