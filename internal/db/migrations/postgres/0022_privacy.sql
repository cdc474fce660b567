-- Privacy centre (internal/privacy): the consent-receipt signing key,
-- the receipts issued, and the holiday calendar of Kazakhstan that legal
-- deadlines are counted in (issue 12 §2, §5).

-- The Ed25519 key that signs consent receipts. One row per key ever made;
-- the newest signs, older ones still verify. The private half is sealed by
-- internal/vault with the site's own data key (owner 0), so a copy of the
-- database alone cannot sign.
CREATE TABLE receipt_keys (
	id          BIGINT PRIMARY KEY,
	kid         TEXT   NOT NULL UNIQUE,
	public_key  BYTEA  NOT NULL,
	private_enc BYTEA  NOT NULL,
	created_at  BIGINT NOT NULL
);

-- One signed receipt per acceptance, made the first time it is asked for
-- and then kept, so the user always downloads the same bytes.
CREATE TABLE consent_receipts (
	acceptance_id BIGINT PRIMARY KEY REFERENCES acceptances (id) ON DELETE CASCADE,
	user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	receipt_id    TEXT   NOT NULL UNIQUE,
	jws           TEXT   NOT NULL,
	issued_at     BIGINT NOT NULL
);
CREATE INDEX consent_receipts_user ON consent_receipts (user_id);

-- Days that differ from the Monday-to-Friday week: public holidays and
-- moved days off (off = 1), and Saturdays or Sundays the government makes
-- working days (off = 0). Edited by administrators on /admin/holidays.
CREATE TABLE holidays (
	day        TEXT   PRIMARY KEY, -- YYYY-MM-DD, Asia/Almaty calendar day
	off        INTEGER NOT NULL,
	name       TEXT   NOT NULL,
	updated_by BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL DEFAULT 0
);

-- Seed: the public holidays of the Labour Code of the Republic of
-- Kazakhstan (art. 84) for 2026 and 2027, with the days off moved to the
-- next working day when a holiday falls on a weekend (art. 85; not for
-- the religious holidays, 7 January and Kurban ait). Transfers made by a
-- government decree are not seeded: the administrator adds them.
INSERT INTO holidays (day, off, name) VALUES
	('2026-01-01', 1, 'Жаңа жыл / Новый год'),
	('2026-01-02', 1, 'Жаңа жыл / Новый год'),
	('2026-01-07', 1, 'Православиелік Рождество / Рождество Христово'),
	('2026-03-08', 1, 'Халықаралық әйелдер күні / Международный женский день'),
	('2026-03-09', 1, 'Ауыстырылған демалыс (8 наурыз) / Перенос выходного (8 марта)'),
	('2026-03-21', 1, 'Наурыз мейрамы'),
	('2026-03-22', 1, 'Наурыз мейрамы'),
	('2026-03-23', 1, 'Наурыз мейрамы'),
	('2026-03-24', 1, 'Ауыстырылған демалыс (Наурыз) / Перенос выходного (Наурыз)'),
	('2026-03-25', 1, 'Ауыстырылған демалыс (Наурыз) / Перенос выходного (Наурыз)'),
	('2026-05-01', 1, 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'),
	('2026-05-07', 1, 'Отан қорғаушы күні / День защитника Отечества'),
	('2026-05-09', 1, 'Жеңіс күні / День Победы'),
	('2026-05-11', 1, 'Ауыстырылған демалыс (9 мамыр) / Перенос выходного (9 мая)'),
	('2026-05-27', 1, 'Құрбан айт, бірінші күні / Курбан айт, первый день'),
	('2026-07-06', 1, 'Астана күні / День Столицы'),
	('2026-08-30', 1, 'Конституция күні / День Конституции'),
	('2026-08-31', 1, 'Ауыстырылған демалыс (30 тамыз) / Перенос выходного (30 августа)'),
	('2026-10-25', 1, 'Республика күні / День Республики'),
	('2026-10-26', 1, 'Ауыстырылған демалыс (25 қазан) / Перенос выходного (25 октября)'),
	('2026-12-16', 1, 'Тәуелсіздік күні / День Независимости'),
	('2027-01-01', 1, 'Жаңа жыл / Новый год'),
	('2027-01-02', 1, 'Жаңа жыл / Новый год'),
	('2027-01-04', 1, 'Ауыстырылған демалыс (2 қаңтар) / Перенос выходного (2 января)'),
	('2027-01-07', 1, 'Православиелік Рождество / Рождество Христово'),
	('2027-03-08', 1, 'Халықаралық әйелдер күні / Международный женский день'),
	('2027-03-21', 1, 'Наурыз мейрамы'),
	('2027-03-22', 1, 'Наурыз мейрамы'),
	('2027-03-23', 1, 'Наурыз мейрамы'),
	('2027-03-24', 1, 'Ауыстырылған демалыс (Наурыз) / Перенос выходного (Наурыз)'),
	('2027-05-01', 1, 'Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана'),
	('2027-05-03', 1, 'Ауыстырылған демалыс (1 мамыр) / Перенос выходного (1 мая)'),
	('2027-05-07', 1, 'Отан қорғаушы күні / День защитника Отечества'),
	('2027-05-09', 1, 'Жеңіс күні / День Победы'),
	('2027-05-10', 1, 'Ауыстырылған демалыс (9 мамыр) / Перенос выходного (9 мая)'),
	('2027-05-16', 1, 'Құрбан айт, бірінші күні / Курбан айт, первый день'),
	('2027-07-06', 1, 'Астана күні / День Столицы'),
	('2027-08-30', 1, 'Конституция күні / День Конституции'),
	('2027-10-25', 1, 'Республика күні / День Республики'),
	('2027-12-16', 1, 'Тәуелсіздік күні / День Независимости');

-- The register of data subjects' requests (issue 12 §2): what was asked,
-- when, the legal deadline counted on the calendar above, and the answer.
-- The user's words and the answer are sealed with the user's key.
CREATE TABLE privacy_requests (
	id          BIGINT PRIMARY KEY,
	user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	type        TEXT   NOT NULL,
	status      TEXT   NOT NULL, -- open, answered
	detail_enc  BYTEA,
	received_at BIGINT NOT NULL,
	due_at      BIGINT NOT NULL,
	answered_at BIGINT NOT NULL DEFAULT 0,
	answered_by BIGINT NOT NULL DEFAULT 0,
	answer_enc  BYTEA
);
CREATE INDEX privacy_requests_queue ON privacy_requests (status, due_at);
CREATE INDEX privacy_requests_user ON privacy_requests (user_id);
