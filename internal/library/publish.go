package library

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Limits of the publishing form.
const (
	MinTitle       = 3
	MaxTitle       = 200
	MaxDescription = 20000
	MaxTags        = 10
	MaxTag         = 40
)

// Input is the publishing (or editing) form.
type Input struct {
	Title, Description             string
	Subject, Grade, Type, Language string
	// Tags are separated by commas.
	Tags string
	// AuthorDeclaration is the author's tick that the work is their own
	// and that they publish it in the public sections (clause 1.4).
	AuthorDeclaration bool
}

// Meta is where a request came from, recorded sealed with an upload or a
// download by a signed-in user (clause 1.2 (c)).
type Meta struct{ IP, UserAgent string }

// clean is the input after normalisation.
type clean struct {
	title, description, subject, grade, typ, language string
	tags                                              []string
}

// text normalises free text: NFC, CRLF → LF, no control characters but
// tab and newline.
func text(s string) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, s)
}

// SplitTags splits a comma-separated tag list, trimming, dropping empty
// and repeated (case-insensitively) tags.
func SplitTags(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.FieldsFunc(text(s), func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		t = strings.Join(strings.Fields(t), " ")
		k := strings.ToLower(t)
		if t == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

// validate checks the form against the taxonomy; every problem is a field
// error with an i18n key, all reported at once.
func (s *Service) validate(ctx context.Context, in Input, files int) (*clean, error) {
	tax, err := s.Taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	c := &clean{
		title:       strings.Join(strings.Fields(text(in.Title)), " "),
		description: strings.TrimSpace(text(in.Description)),
		subject:     strings.TrimSpace(in.Subject), grade: strings.TrimSpace(in.Grade),
		typ: strings.TrimSpace(in.Type), language: strings.TrimSpace(in.Language),
		tags: SplitTags(in.Tags),
	}
	var errs apperr.Fields
	if n := utf8.RuneCountInString(c.title); n < MinTitle || n > MaxTitle {
		errs = append(errs, apperr.Field("title", "library.title.length", MinTitle, MaxTitle))
	}
	if utf8.RuneCountInString(c.description) > MaxDescription {
		errs = append(errs, apperr.Field("description", "library.description.length", MaxDescription))
	}
	for _, f := range []struct {
		field string
		kind  TermKind
		code  string
	}{{"subject", KindSubject, c.subject}, {"grade", KindGrade, c.grade}, {"type", KindType, c.typ}} {
		if t, ok := tax.Lookup(f.kind, f.code); !ok || !t.Active {
			errs = append(errs, apperr.Field(f.field, "library."+f.field+".invalid"))
		}
	}
	okLang := false
	for _, l := range Languages {
		okLang = okLang || c.language == l
	}
	if !okLang {
		errs = append(errs, apperr.Field("language", "library.language.invalid"))
	}
	if len(c.tags) > MaxTags {
		errs = append(errs, apperr.Field("tags", "library.tags.too_many", MaxTags))
	} else {
		for _, t := range c.tags {
			if utf8.RuneCountInString(t) > MaxTag {
				errs = append(errs, apperr.Field("tags", "library.tags.too_long", MaxTag))
				break
			}
		}
	}
	if files == 0 {
		errs = append(errs, apperr.Field("files", "library.files.required"))
	}
	if !in.AuthorDeclaration {
		errs = append(errs, apperr.Field("author_declaration", "library.declaration.required"))
	}
	return c, errs.Err()
}

// canPublish refuses authors who are not active with a confirmed address
// (issue 3: a signed-in, verified user publishes).
func canPublish(ctx context.Context, q db.Querier, authorID int64) error {
	var status string
	var verified int64
	err := q.QueryRow(ctx, `SELECT status, email_verified_at FROM users WHERE id = ?`, authorID).Scan(&status, &verified)
	if err != nil {
		return wrap("author", err)
	}
	if status != "active" || verified == 0 {
		return apperr.New(apperr.Forbidden, "library.author.unverified")
	}
	return nil
}

// Publish files a new material by authorID with the files of up. The
// material waits for moderation unless the site publishes immediately.
// On any refusal or failure nothing is written: no rows, and no blob that
// only this upload used. Refusals are apperr field errors.
func (s *Service) Publish(ctx context.Context, authorID int64, in Input, up *Upload, m Meta) (*Material, error) {
	defer up.Discard(ctx)
	c, err := s.validate(ctx, in, up.Len())
	if err != nil {
		return nil, err
	}
	id := db.NewID()
	now := s.nowMS()
	status, published := StatusPending, int64(0)
	if s.o.PublishImmediately {
		status, published = StatusPublished, now
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := canPublish(ctx, tx, authorID); err != nil {
			return err
		}
		dup, err := duplicateOf(ctx, tx, authorID, up)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO materials (id, author_id, title, description, subject, grade, type, language, tags,
			status, slug, duplicate_of, created_at, updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, authorID, c.title, c.description, c.subject, c.grade, c.typ, c.language, strings.Join(c.tags, ", "),
			string(status), slug(c.title), dup, now, now, published); err != nil {
			return err
		}
		if err := s.writeFiles(ctx, tx, id, authorID, c, up, m); err != nil {
			return err
		}
		if status == StatusPublished {
			// The author's followers learn of it in their inbox (issue 13).
			if err := s.followersInboxTx(ctx, tx, id); err != nil {
				return err
			}
			return s.publishedTx(ctx, tx, id)
		}
		return nil
	})
	if err != nil {
		return nil, wrap("publish", err)
	}
	up.commit()
	return s.get(ctx, id)
}

// writeFiles inserts the upload's file rows, the material's index terms
// and the author's upload events.
func (s *Service) writeFiles(ctx context.Context, tx *db.Tx, id, authorID int64, c *clean, up *Upload, m Meta) error {
	key, err := s.v.UserKey(ctx, tx, authorID)
	if err != nil {
		return err
	}
	now := s.nowMS()
	var texts []string
	for i, f := range up.files {
		fid := db.NewID()
		if _, err := tx.Exec(ctx, `INSERT INTO material_files (id, material_id, sha256, size, kind, name, position, excerpt, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, fid, id, f.sha, f.size, f.kind, f.name, i, f.excerpt, now); err != nil {
			return err
		}
		if err := s.insertEvent(ctx, tx, key, authorID, id, fid, "upload", m); err != nil {
			return err
		}
		texts = append(texts, f.text)
	}
	if err := s.takeHolds(ctx, tx, up); err != nil {
		return err
	}
	return s.index(ctx, tx, id, c, texts)
}

// index stores the material's analysed terms: title, description, tags,
// the names and abbreviations of its subject and type (teachers search
// by ҚМЖ and КСП), and the text inside its files.
func (s *Service) index(ctx context.Context, tx db.Querier, id int64, c *clean, fileTexts []string) error {
	parts := []string{c.title, c.description, strings.Join(c.tags, " ")}
	if tax, err := s.Taxonomy(ctx); err == nil {
		for _, k := range []struct {
			kind TermKind
			code string
		}{{KindSubject, c.subject}, {KindType, c.typ}} {
			if t, ok := tax.Lookup(k.kind, k.code); ok {
				parts = append(parts, t.Name[0], t.Name[1], t.Abbr[0], t.Abbr[1])
			}
		}
	}
	parts = append(parts, fileTexts...)
	tt := terms(c.title)
	// The title's terms also as title tokens: a search finds the
	// materials with every word in their title among any number of
	// matches (rank.go).
	ts := strings.Join(append(terms(strings.Join(parts, "\n")), TitleTokens(tt)...), " ")
	// The title's and the description's own terms rank a search (rank.go).
	title := strings.Join(tt, " ")
	desc := strings.Join(terms(c.description+"\n"+strings.Join(c.tags, " ")), " ")
	_, err := tx.Exec(ctx, `INSERT INTO material_search (material_id, terms, title_terms, desc_terms) VALUES (?, ?, ?, ?)
		ON CONFLICT (material_id) DO UPDATE SET terms = excluded.terms, title_terms = excluded.title_terms, desc_terms = excluded.desc_terms`, id, ts, title, desc)
	return err
}

// duplicateOf finds another author's published material with a file of
// identical content, for the moderator (0 when none).
func duplicateOf(ctx context.Context, q db.Querier, authorID int64, up *Upload) (int64, error) {
	if up == nil || len(up.files) == 0 {
		return 0, nil
	}
	args := []any{authorID, string(StatusPublished)}
	marks := make([]string, len(up.files))
	for i, f := range up.files {
		marks[i] = "?"
		args = append(args, f.sha)
	}
	var id int64
	// "|| ''": from the files by their hash to each material by its key;
	// on status's indexes SQLite walked every published material (a
	// second at 100,000, inside the publish transaction).
	err := q.QueryRow(ctx, `SELECT m.id FROM material_files f JOIN materials m ON m.id = f.material_id
		WHERE m.author_id <> ? AND m.status || '' = ? AND f.sha256 IN (`+strings.Join(marks, ",")+`)
		ORDER BY m.published_at, m.id LIMIT 1`, args...).Scan(&id)
	if err != nil && !isNoRows(err) {
		return 0, err
	}
	return id, nil
}

// Edit changes an author's own material and sends it back to moderation
// (or straight to the catalog when the site publishes immediately). When
// up holds files they replace the material's files; an empty or nil up
// keeps them. A taken-down material cannot be edited.
func (s *Service) Edit(ctx context.Context, authorID, id int64, in Input, up *Upload, m Meta) (*Material, error) {
	if up == nil {
		up = s.NewUpload()
	}
	defer up.Discard(ctx)
	cur, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if cur.AuthorID != authorID {
		return nil, errNotFound()
	}
	if cur.Status == StatusTakenDown {
		return nil, apperr.New(apperr.Forbidden, "library.edit.taken_down")
	}
	files := up.Len()
	if files == 0 {
		files = len(cur.Files)
	}
	c, err := s.validate(ctx, in, files)
	if err != nil {
		return nil, err
	}
	now := s.nowMS()
	status, published := StatusPending, int64(0)
	if !cur.PublishedAt.IsZero() {
		published = cur.PublishedAt.UnixMilli() // the catalog keeps its first date
	}
	if s.o.PublishImmediately {
		status = StatusPublished
		if published == 0 {
			published = now
		}
	}
	var keptTexts []string
	if up.Len() == 0 {
		// Same files: their text is read again from storage for the index
		// (edits are rare; storing it twice would not be).
		keptTexts = s.fileTexts(ctx, cur.Files)
	}
	var old []string
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := canPublish(ctx, tx, authorID); err != nil {
			return err
		}
		dup := cur.DuplicateOf
		if up.Len() > 0 {
			if dup, err = duplicateOf(ctx, tx, authorID, up); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE materials SET title = ?, description = ?, subject = ?, grade = ?, type = ?, language = ?,
			tags = ?, status = ?, slug = ?, duplicate_of = ?, updated_at = ?, published_at = ?, reject_reason = '', reject_note = ''
			WHERE id = ?`, c.title, c.description, c.subject, c.grade, c.typ, c.language, strings.Join(c.tags, ", "),
			string(status), slug(c.title), dup, now, published, id); err != nil {
			return err
		}
		if up.Len() == 0 {
			if err := s.index(ctx, tx, id, c, keptTexts); err != nil {
				return err
			}
		} else {
			for _, f := range cur.Files {
				old = append(old, f.SHA256)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM material_files WHERE material_id = ?`, id); err != nil {
				return err
			}
			if err := s.writeFiles(ctx, tx, id, authorID, c, up, m); err != nil {
				return err
			}
		}
		if status == StatusPublished {
			return s.publishedTx(ctx, tx, id)
		}
		return nil
	})
	if err != nil {
		return nil, wrap("edit", err)
	}
	up.commit()
	// The replaced files go unless another material, a page image or an
	// upload in progress still refers to them.
	s.release(ctx, old...)
	return s.get(ctx, id)
}

// fileTexts extracts again the text of stored files ("" for any that
// fails).
func (s *Service) fileTexts(ctx context.Context, files []File) []string {
	var out []string
	for _, f := range files {
		rc, _, err := s.store.Open(ctx, f.SHA256)
		if err != nil {
			continue
		}
		if t, err := extractText(ctx, readerAt(rc), f.Size, f.Kind); err == nil {
			if len(t) > maxIndexText {
				t = t[:maxIndexText]
			}
			out = append(out, t)
		}
		rc.Close()
	}
	return out
}

// Withdraw takes an author's own material out of the catalog.
func (s *Service) Withdraw(ctx context.Context, authorID, id int64) error {
	cur, err := s.get(ctx, id)
	if err != nil {
		return err
	}
	if cur.AuthorID != authorID {
		return errNotFound()
	}
	if cur.Status == StatusTakenDown {
		return apperr.New(apperr.Forbidden, "library.edit.taken_down")
	}
	_, err = s.db.Exec(ctx, `UPDATE materials SET status = ?, updated_at = ? WHERE id = ? AND status <> ?`,
		string(StatusWithdrawn), s.nowMS(), id, string(StatusTakenDown))
	return wrap("withdraw", err)
}

// insertEvent records an upload or download by a signed-in user, the
// client address and browser sealed with their key (clause 1.2 (c)).
func (s *Service) insertEvent(ctx context.Context, q db.Querier, key *vault.UserKey, userID, materialID, fileID int64, action string, m Meta) error {
	id := db.NewID()
	ip := key.Seal(vault.Field{Table: "file_events", Column: "ip_enc", Row: id}, m.IP)
	ua := key.Seal(vault.Field{Table: "file_events", Column: "ua_enc", Row: id}, cut(m.UserAgent, 512))
	_, err := q.Exec(ctx, `INSERT INTO file_events (id, user_id, material_id, file_id, action, at, ip_enc, ua_enc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, userID, materialID, fileID, action, s.nowMS(), ip, ua)
	return err
}

// Check validates a form without publishing, so a page can show every
// problem at once even when a file was refused.
func (s *Service) Check(ctx context.Context, in Input, files int) error {
	_, err := s.validate(ctx, in, files)
	return err
}
