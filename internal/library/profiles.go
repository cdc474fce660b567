package library

// Public author profiles (issue 3 §4, clause 1.4): each user chooses,
// field by field, what their public page at /authors/{id} shows. Nothing
// is public until chosen; every choice is recorded as a consent to
// publication, apart from the agreement's acceptance. The chosen values
// are sealed with the person's data key: public while the account lives,
// unreadable in any copy of the database once a deletion destroys the
// key. A withdrawn field is deleted, so it leaves the page at once. A
// photo is not offered (no image pipeline yet).

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Public profile fields.
const (
	ProfileDisplayName = "display_name"
	ProfileSchool      = "school"
	ProfileRegion      = "region"
	ProfilePosition    = "position"
	ProfileAbout       = "about"
)

// ProfileFields are the fields a public profile may show, in the order
// pages show them.
var ProfileFields = []string{ProfileDisplayName, ProfileSchool, ProfileRegion, ProfilePosition, ProfileAbout}

// ProfileMax bounds each field, in characters.
var ProfileMax = map[string]int{
	ProfileDisplayName: 100, ProfileSchool: 200, ProfileRegion: 100, ProfilePosition: 100, ProfileAbout: 2000,
}

// PublicProfile is what a user chose to show. Fields holds the chosen
// fields only.
type PublicProfile struct {
	UserID int64
	Fields map[string]string
}

// DisplayName is the public name, "" when the user did not choose one.
func (p *PublicProfile) DisplayName() string { return p.Fields[ProfileDisplayName] }

// Empty reports whether nothing is public.
func (p *PublicProfile) Empty() bool { return len(p.Fields) == 0 }

// Has reports whether field is public.
func (p *PublicProfile) Has(field string) bool { _, ok := p.Fields[field]; return ok }

// PublicationConsent is one recorded choice of what to publish.
type PublicationConsent struct {
	// Fields were public after the choice (none when all withdrawn).
	Fields    []string
	At        time.Time
	SessionID int64
}

// cleanProfileValue normalises a field's value: the about text keeps its
// line breaks, the others are one line.
func cleanProfileValue(field, v string) string {
	v = text(v)
	if field == ProfileAbout {
		return strings.TrimSpace(v)
	}
	return strings.Join(strings.Fields(v), " ")
}

// profileField is where a public field's sealed value lives: bound to the
// user and to the field, so one field's ciphertext does not open as another.
func profileField(userID int64, field string) vault.Field {
	return vault.Field{Table: "public_profiles", Column: "value_enc/" + field, Row: userID}
}

// PublicProfile returns what userID shows publicly (an empty profile when
// nothing, or when the account is deleted).
func (s *Service) PublicProfile(ctx context.Context, userID int64) (*PublicProfile, error) {
	p := &PublicProfile{UserID: userID, Fields: map[string]string{}}
	rows, err := s.db.Query(ctx, `SELECT p.field, p.value, p.value_enc FROM public_profiles p JOIN users u ON u.id = p.user_id
		WHERE p.user_id = ? AND u.status = 'active'`, userID)
	if err != nil {
		return nil, wrap("public profile", err)
	}
	type stored struct {
		field, plain string
		sealed       []byte
	}
	var got []stored
	for rows.Next() {
		var r stored
		if err := rows.Scan(&r.field, &r.plain, &r.sealed); err != nil {
			rows.Close()
			return nil, wrap("public profile", err)
		}
		got = append(got, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("public profile", err)
	}
	// Opened after the rows are closed: the key may need a query of its own.
	for _, r := range got {
		v, err := s.openLeftover(ctx, userID, profileField(userID, r.field), r.plain, r.sealed)
		if err != nil {
			return nil, wrap("public profile", err)
		}
		if v != "" {
			p.Fields[r.field] = v
		}
	}
	return p, nil
}

// SavePublicProfile makes exactly the fields in chosen (field → value)
// public and withdraws every other, and records the choice as a consent
// to publication from sessionID. An empty chosen withdraws everything.
func (s *Service) SavePublicProfile(ctx context.Context, userID, sessionID int64, chosen map[string]string) error {
	clean := map[string]string{}
	var errs apperr.Fields
	for _, f := range ProfileFields {
		v, ok := chosen[f]
		if !ok {
			continue
		}
		v = cleanProfileValue(f, v)
		switch n := utf8.RuneCountInString(v); {
		case n == 0:
			errs = append(errs, apperr.Field(f, "library.profile.empty"))
		case n > ProfileMax[f]:
			errs = append(errs, apperr.Field(f, "library.profile.length", ProfileMax[f]))
		}
		clean[f] = v
	}
	for f := range chosen {
		if _, known := ProfileMax[f]; !known {
			errs = append(errs, apperr.Field(f, "library.profile.unknown"))
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	names := make([]string, 0, len(clean))
	for f := range clean {
		names = append(names, f)
	}
	sort.Strings(names)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM users WHERE id = ?`, userID).Scan(&status); err != nil {
			return err
		}
		if status != "active" {
			return errNotFound()
		}
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `DELETE FROM public_profiles WHERE user_id = ?`, userID); err != nil {
			return err
		}
		var key *vault.UserKey
		if len(names) > 0 {
			k, err := s.v.UserKey(ctx, tx, userID)
			if err != nil {
				return err
			}
			key = k
		}
		for _, f := range names {
			if _, err := tx.Exec(ctx, `INSERT INTO public_profiles (user_id, field, value, value_enc, updated_at) VALUES (?, ?, '', ?, ?)`,
				userID, f, key.Seal(profileField(userID, f), clean[f]), now); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO publication_consents (id, user_id, fields, at, session_id) VALUES (?, ?, ?, ?, ?)`,
			db.NewID(), userID, strings.Join(names, ","), now, sessionID)
		return err
	})
	return wrap("save public profile", err)
}

// PublicationConsents lists a user's choices of what to publish, oldest
// first.
func (s *Service) PublicationConsents(ctx context.Context, userID int64) ([]PublicationConsent, error) {
	rows, err := s.db.Query(ctx, `SELECT fields, at, session_id FROM publication_consents WHERE user_id = ? ORDER BY at, id`, userID)
	if err != nil {
		return nil, wrap("publication consents", err)
	}
	defer rows.Close()
	var out []PublicationConsent
	for rows.Next() {
		var fields string
		var at int64
		var c PublicationConsent
		if err := rows.Scan(&fields, &at, &c.SessionID); err != nil {
			return nil, wrap("publication consents", err)
		}
		c.At = db.Time(at)
		c.Fields = []string{}
		if fields != "" {
			c.Fields = strings.Split(fields, ",")
		}
		out = append(out, c)
	}
	return out, wrap("publication consents", rows.Err())
}

// AuthorPage is the public page of an author.
type AuthorPage struct {
	Profile   *PublicProfile
	Materials []Card
	// Views and Downloads add up the published materials' counters.
	Views, Downloads int64
	// Certificates are the valid certificates of published materials:
	// their numbers lead to the public verify page.
	Certificates []AuthorCertificate
	// Collections are the author's public collections.
	Collections []Collection
	Followers   int
}

// AuthorCertificate is a certificate as the author page lists it.
type AuthorCertificate struct {
	Number, Title string
	IssuedAt      time.Time
}

// SetPublishName is the choice on the publish form (issue 13 §2):
// publish under name (the name from the profile) or not. It changes only
// the display name of the public profile, through SavePublicProfile, so
// the choice is recorded as a publication consent (clause 1.4) like one
// made at /account/public, and only when it changes something.
func (s *Service) SetPublishName(ctx context.Context, userID, sessionID int64, show bool, name string) error {
	p, err := s.PublicProfile(ctx, userID)
	if err != nil {
		return err
	}
	name = cleanProfileValue(ProfileDisplayName, name)
	cur, shown := p.Fields[ProfileDisplayName]
	if show == shown && (!show || cur == name) {
		return nil
	}
	chosen := map[string]string{}
	for f, v := range p.Fields {
		chosen[f] = v
	}
	delete(chosen, ProfileDisplayName)
	if show {
		chosen[ProfileDisplayName] = name
	}
	return s.SavePublicProfile(ctx, userID, sessionID, chosen)
}

// Author returns an author's public page: the fields they chose and their
// published materials, newest first. When nothing about the person is
// public (no field chosen, nothing published) it is not found, so the
// page does not even tell that the account exists.
func (s *Service) Author(ctx context.Context, userID int64) (*AuthorPage, error) {
	p, err := s.PublicProfile(ctx, userID)
	if err != nil {
		return nil, err
	}
	// A blocked account shows no profile (issue 12 §2): its published
	// materials stay, without the name.
	var blocked string
	if err := s.db.QueryRow(ctx, `SELECT blocked FROM users WHERE id = ?`, userID).Scan(&blocked); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, wrap("author", err)
	}
	if blocked != "" {
		p = &PublicProfile{UserID: userID, Fields: map[string]string{}}
	}
	cards, err := s.queryCards(ctx, `SELECT `+cardColumns+` FROM materials m WHERE m.author_id = ? AND m.status = ?
		ORDER BY m.published_at DESC, m.id DESC LIMIT ?`, userID, string(StatusPublished), MaxPage)
	if err != nil {
		return nil, err
	}
	if p.Empty() && len(cards) == 0 {
		return nil, errNotFound()
	}
	a := &AuthorPage{Profile: p, Materials: cards}
	for i := range cards {
		cards[i].AuthorName = p.DisplayName()
	}
	if err := s.db.QueryRow(ctx, `SELECT COALESCE(SUM(views), 0), COALESCE(SUM(downloads), 0) FROM materials WHERE author_id = ? AND status = ?`,
		userID, string(StatusPublished)).Scan(&a.Views, &a.Downloads); err != nil {
		return nil, wrap("author", err)
	}
	rows, err := s.db.Query(ctx, `SELECT c.number, c.title, c.issued_at FROM certificates c JOIN materials m ON m.id = c.material_id
		WHERE c.author_id = ? AND c.revoked_at = 0 AND m.status || '' = ? ORDER BY c.issued_at DESC LIMIT 500`, userID, string(StatusPublished))
	if err != nil {
		return nil, wrap("author", err)
	}
	for rows.Next() {
		var c AuthorCertificate
		var at int64
		if err := rows.Scan(&c.Number, &c.Title, &at); err != nil {
			rows.Close()
			return nil, wrap("author", err)
		}
		c.IssuedAt = db.Time(at)
		a.Certificates = append(a.Certificates, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("author", err)
	}
	if a.Collections, err = s.Collections(ctx, userID, true); err != nil {
		return nil, err
	}
	if a.Followers, err = s.Followers(ctx, userID); err != nil {
		return nil, err
	}
	return a, nil
}

// DisplayNames returns the public display names of the given authors
// (only those who chose to show one).
func (s *Service) DisplayNames(ctx context.Context, authorIDs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(authorIDs) == 0 {
		return out, nil
	}
	seen := map[int64]bool{}
	marks := []string{}
	args := []any{ProfileDisplayName}
	for _, id := range authorIDs {
		if !seen[id] {
			seen[id] = true
			marks = append(marks, "?")
			args = append(args, id)
		}
	}
	rows, err := s.db.Query(ctx, `SELECT p.user_id, p.value, p.value_enc FROM public_profiles p JOIN users u ON u.id = p.user_id
		WHERE p.field = ? AND u.status = 'active' AND u.blocked = '' AND p.user_id IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return nil, wrap("display names", err)
	}
	type stored struct {
		id     int64
		plain  string
		sealed []byte
	}
	var got []stored
	for rows.Next() {
		var r stored
		if err := rows.Scan(&r.id, &r.plain, &r.sealed); err != nil {
			rows.Close()
			return nil, wrap("display names", err)
		}
		got = append(got, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("display names", err)
	}
	// Each author's key comes from the vault's cache, or with a query of
	// its own once the rows are closed.
	for _, r := range got {
		name, err := s.openLeftover(ctx, r.id, profileField(r.id, ProfileDisplayName), r.plain, r.sealed)
		if err != nil {
			return nil, wrap("display names", err)
		}
		if name != "" {
			out[r.id] = name
		}
	}
	return out, nil
}

// withAuthorNames fills the cards' public author names.
func (s *Service) withAuthorNames(ctx context.Context, cards []Card) ([]Card, error) {
	ids := make([]int64, len(cards))
	for i, c := range cards {
		ids[i] = c.AuthorID
	}
	names, err := s.DisplayNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range cards {
		cards[i].AuthorName = names[cards[i].AuthorID]
	}
	return cards, nil
}
