// Package consent publishes the two documents a user agrees to — the
// Confidentiality Agreement and the Privacy Policy (preamble P.2) — as
// numbered, hashed versions in kk / ru / en, and records every acceptance
// of them (preamble P.3, clauses 2.3, 3.1; law L1, L2).
//
// Old versions are never changed or removed, so an acceptance can always be
// matched to the exact text the user saw: each acceptance stores both the
// document id and the document's hash. Acceptances are append-only; a new
// version (clause 3.4) is accepted with a new row, never by updating one.
package consent

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Kind names one of the two published documents.
type Kind string

const (
	// KindAgreement is the Confidentiality Agreement (the project's specification).
	KindAgreement Kind = "agreement"
	// KindPrivacy is the Privacy Policy the agreement refers to (preamble P.2).
	KindPrivacy Kind = "privacy"
)

// Kinds lists the documents a user must accept, in display order.
var Kinds = []Kind{KindAgreement, KindPrivacy}

// Valid reports whether k is a known document kind.
func (k Kind) Valid() bool { return k == KindAgreement || k == KindPrivacy }

// Limits on a published text; far above any real policy, they only stop a
// mistaken paste of something else.
const (
	MaxTitleLen = 300     // characters
	MaxBodyLen  = 200_000 // characters
)

// Document is one published version of a document, in every language.
type Document struct {
	ID          int64
	Kind        Kind
	Version     int
	Hash        string // hex SHA-256 of the canonical text, see DocumentHash
	Title       map[i18n.Lang]string
	Body        map[i18n.Lang]string
	PublishedAt time.Time
	PublishedBy int64 // user id of the administrator; 0 for the first-start seed
}

// TitleIn returns the title in l, or in the default language when l is missing.
func (d *Document) TitleIn(l i18n.Lang) string {
	if s := d.Title[l]; s != "" {
		return s
	}
	return d.Title[i18n.Default]
}

// BodyIn returns the text in l, or in the default language when l is missing.
func (d *Document) BodyIn(l i18n.Lang) string {
	if s := d.Body[l]; s != "" {
		return s
	}
	return d.Body[i18n.Default]
}

// Service publishes documents and records acceptances.
type Service struct {
	db    *db.DB
	v     *vault.Vault
	audit *audit.Log // publications are audited in their transaction
	// OnPublished, when set, runs inside the transaction that publishes a
	// new version: serve enqueues the announcement to every user there,
	// so it exists exactly when the version does and no crash loses it.
	// Set it before serving.
	OnPublished func(ctx context.Context, tx *db.Tx, doc *Document) error
	// MethodFor, when set, names the method of an acceptance made through
	// Accept, inside its transaction ("" keeps MethodReacceptance): the
	// importer answers MethodImportFirstLogin for an imported user's first
	// acceptance and marks their consent status. Set it before serving.
	MethodFor func(ctx context.Context, q db.Querier, userID int64) (string, error)
	// OnAccepted, when set, runs inside the transaction of every Accept
	// after the rows are written: internal/privacy lifts a block that
	// the missing consent caused. Set it before serving.
	OnAccepted func(ctx context.Context, tx *db.Tx, userID int64) error
}

// New returns a Service over d; v seals the address and browser of each
// acceptance with the user's own key.
func New(d *db.DB, v *vault.Vault) *Service { return &Service{db: d, v: v, audit: audit.New(d, v)} }

// DocumentHash is the SHA-256, in hex, of a canonical encoding of kind and
// the titles and bodies in every language (kk, ru, en, in that order), each
// part prefixed with its length so no two different texts encode alike.
// The version number is left out on purpose: the hash names the text, so
// publishing the same text again is recognisable.
func DocumentHash(kind Kind, title, body map[i18n.Lang]string) string {
	h := sha256.New()
	part := func(s string) {
		var l [8]byte
		binary.BigEndian.PutUint64(l[:], uint64(len(s)))
		h.Write(l[:])
		h.Write([]byte(s))
	}
	part("smartustaz/document/v1")
	part(string(kind))
	for _, l := range i18n.Langs {
		part(string(l))
		part(title[l])
		part(body[l])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// normalizeText makes text from a browser form, a file or an editor hash
// alike: Unix line endings, no surrounding blank space.
func normalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}

const docColumns = `id, kind, version, hash, title_kk, title_ru, title_en, body_kk, body_ru, body_en, published_at, published_by`

type rowScanner interface{ Scan(dest ...any) error }

func scanDocument(r rowScanner) (*Document, error) {
	var d Document
	var kk, ru, en, bkk, bru, ben string
	var at int64
	if err := r.Scan(&d.ID, &d.Kind, &d.Version, &d.Hash, &kk, &ru, &en, &bkk, &bru, &ben, &at, &d.PublishedBy); err != nil {
		return nil, err
	}
	d.Title = map[i18n.Lang]string{i18n.KK: kk, i18n.RU: ru, i18n.EN: en}
	d.Body = map[i18n.Lang]string{i18n.KK: bkk, i18n.RU: bru, i18n.EN: ben}
	d.PublishedAt = db.Time(at)
	return &d, nil
}

func notFound(err error) error {
	return &apperr.Error{Code: apperr.NotFound, Key: "consent.document.not_found", Err: err}
}

// current returns the newest version of kind, read through q (so a
// transaction sees its own writes).
func current(ctx context.Context, q db.Querier, kind Kind) (*Document, error) {
	d, err := scanDocument(q.QueryRow(ctx, `SELECT `+docColumns+` FROM documents WHERE kind = ? ORDER BY version DESC LIMIT 1`, string(kind)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	return d, err
}

// Current returns the versions in force of both documents. Before Seed has
// run it fails with an error wrapping db.ErrNotFound.
func (s *Service) Current(ctx context.Context) (agreement, privacy *Document, err error) {
	agreement, err = current(ctx, s.db, KindAgreement)
	if err != nil {
		return nil, nil, fmt.Errorf("consent: current agreement: %w", err)
	}
	privacy, err = current(ctx, s.db, KindPrivacy)
	if err != nil {
		return nil, nil, fmt.Errorf("consent: current privacy policy: %w", err)
	}
	return agreement, privacy, nil
}

// Version returns one version of a document, old ones included (clause
// 3.4: every old version stays readable). A missing one is an apperr
// NotFound wrapping db.ErrNotFound.
func (s *Service) Version(ctx context.Context, kind Kind, version int) (*Document, error) {
	d, err := scanDocument(s.db.QueryRow(ctx, `SELECT `+docColumns+` FROM documents WHERE kind = ? AND version = ?`, string(kind), version))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(db.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("consent: version: %w", err)
	}
	return d, nil
}

// Versions lists every version of kind, newest first.
func (s *Service) Versions(ctx context.Context, kind Kind) ([]Document, error) {
	rows, err := s.db.Query(ctx, `SELECT `+docColumns+` FROM documents WHERE kind = ? ORDER BY version DESC`, string(kind))
	if err != nil {
		return nil, fmt.Errorf("consent: versions: %w", err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, fmt.Errorf("consent: versions: %w", err)
		}
		out = append(out, *d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consent: versions: %w", err)
	}
	return out, nil
}

// validateTexts normalises the texts and reports every missing or
// oversized one as a field error named title_kk, body_ru, and so on.
func validateTexts(title, body map[i18n.Lang]string) (t, b map[i18n.Lang]string, err error) {
	t, b = map[i18n.Lang]string{}, map[i18n.Lang]string{}
	var errs apperr.Fields
	for _, l := range i18n.Langs {
		t[l], b[l] = normalizeText(title[l]), normalizeText(body[l])
		switch {
		case t[l] == "":
			errs = append(errs, apperr.Field("title_"+string(l), "consent.publish.title_required"))
		case utf8.RuneCountInString(t[l]) > MaxTitleLen:
			errs = append(errs, apperr.Field("title_"+string(l), "consent.publish.title_too_long", MaxTitleLen))
		}
		switch {
		case b[l] == "":
			errs = append(errs, apperr.Field("body_"+string(l), "consent.publish.body_required"))
		case utf8.RuneCountInString(b[l]) > MaxBodyLen:
			errs = append(errs, apperr.Field("body_"+string(l), "consent.publish.body_too_long", MaxBodyLen))
		}
	}
	return t, b, errs.Err()
}

// Publish makes a new version of kind the one in force (clause 3.4). All
// three languages are required, so no reader is left with an older text
// than another; a text identical to the current one is refused, since it
// would only make every user accept the same thing again. Users are asked
// to accept the new version by Pending. The publication is written to the
// audit log, as done by user by from session, in the same transaction.
func (s *Service) Publish(ctx context.Context, kind Kind, title, body map[i18n.Lang]string, by, session int64) (*Document, error) {
	if !kind.Valid() {
		return nil, apperr.Field("kind", "consent.kind.invalid")
	}
	title, body, err := validateTexts(title, body)
	if err != nil {
		return nil, err
	}
	doc := &Document{ID: db.NewID(), Kind: kind, Title: title, Body: body, PublishedBy: by,
		Hash: DocumentHash(kind, title, body)}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		cur, err := current(ctx, tx, kind)
		switch {
		case errors.Is(err, db.ErrNotFound):
			doc.Version = 1
		case err != nil:
			return err
		case cur.Hash == doc.Hash:
			return apperr.New(apperr.Invalid, "consent.publish.unchanged")
		default:
			doc.Version = cur.Version + 1
		}
		if err := insertDocument(ctx, tx, doc); err != nil {
			return err
		}
		if _, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionPublishDocument,
			Detail: fmt.Sprintf("%s v%d %s", doc.Kind, doc.Version, doc.Hash)}); err != nil {
			return err
		}
		if s.OnPublished != nil {
			return s.OnPublished(ctx, tx, doc)
		}
		return nil
	})
	if db.IsUniqueViolation(err) {
		// Another administrator published the same kind at the same moment.
		return nil, &apperr.Error{Code: apperr.Conflict, Key: "consent.publish.conflict", Err: err}
	}
	if err != nil {
		if _, ok := apperr.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("consent: publish: %w", err)
	}
	return doc, nil
}

func insertDocument(ctx context.Context, q db.Querier, d *Document) error {
	now := db.Now()
	_, err := q.Exec(ctx, `INSERT INTO documents (`+docColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, string(d.Kind), d.Version, d.Hash,
		d.Title[i18n.KK], d.Title[i18n.RU], d.Title[i18n.EN],
		d.Body[i18n.KK], d.Body[i18n.RU], d.Body[i18n.EN], now, d.PublishedBy)
	if err != nil {
		return err
	}
	d.PublishedAt = db.Time(now)
	return nil
}
