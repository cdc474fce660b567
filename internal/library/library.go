// Package library is the materials library (issue 3): teachers publish
// lesson materials with their files (clause 1.2 (c): uploads and
// downloads are recorded), moderators keep the public sections clean,
// anyone browses, reports and downloads. What an author publishes is
// public by their own act (clause 1.4); everything personal around it —
// who downloaded what, from where, what a reporter wrote — is sealed with
// the person's vault key (clause 1.3).
//
// Files live in a blob.Store under their SHA-256; extract sniffs their
// kind by content, guards against zip bombs and pulls out their text;
// search turns text into index terms. A full-text index plugs in through
// Searcher.
package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/preview"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Status is where a material is in its life.
type Status string

// Material statuses.
const (
	// StatusPending waits for a moderator (new or edited).
	StatusPending Status = "pending"
	// StatusPublished is in the public catalog.
	StatusPublished Status = "published"
	// StatusRejected was refused by a moderator; the author may edit it.
	StatusRejected Status = "rejected"
	// StatusWithdrawn was taken out of the catalog by its author.
	StatusWithdrawn Status = "withdrawn"
	// StatusTakenDown was removed by a moderator after a report or a
	// breach; its certificates are revoked.
	StatusTakenDown Status = "taken_down"
)

// Teaching languages a material may be in.
var Languages = []string{"kk", "ru", "en"}

// Defaults.
const (
	DefaultMaxFileSize = 50 << 20
	DefaultMaxFiles    = 10
)

// Material is one published (or waiting) material with its files.
type Material struct {
	ID, AuthorID                      int64
	Title, Description                string
	Subject, Grade, Type, Language    string
	Tags                              []string
	Status                            Status
	Slug                              string
	Views, Downloads                  int64
	DuplicateOf                       int64 // another author's published material with an identical file
	CreatedAt, UpdatedAt, PublishedAt time.Time
	ModeratedBy                       int64
	ModeratedAt                       time.Time
	RejectReason, RejectNote          string
	Files                             []File
}

// Path is the material's canonical address.
func (m *Material) Path() string { return MaterialPath(m.ID, m.Slug) }

// MaterialPath is the canonical address of material id with slug.
func MaterialPath(id int64, slug string) string {
	if slug == "" {
		return "/materials/" + strconv.FormatInt(id, 10)
	}
	return "/materials/" + strconv.FormatInt(id, 10) + "-" + slug
}

// File is one file of a material. Name is the sanitised original name,
// shown to everyone (it is part of what the author published).
type File struct {
	ID, MaterialID int64
	SHA256         string
	Size           int64
	Kind           string
	Name           string
	Position       int
	Excerpt        string
	Downloads      int64
}

// Contacts finds where and in which language to write to a user; the
// account package answers it. The address is used for one message and
// never stored or logged here.
type Contacts func(ctx context.Context, userID int64) (email string, lang i18n.Lang, err error)

// Options configure the service; zero values take the defaults.
type Options struct {
	// MaxFileSize bounds each uploaded file (default 50 MB).
	MaxFileSize int64
	// MaxFiles bounds the files of one material (default 10).
	MaxFiles int
	// PublishImmediately skips the moderation queue.
	PublishImmediately bool
	// Searcher answers full-text queries; nil uses a plain SQL match over
	// the stored index terms.
	Searcher Searcher
	// Mail and Contacts tell authors about moderation decisions; either
	// nil means no email.
	Mail     mail.Sender
	Contacts Contacts
	// BaseURL is the site's public address, for links in email.
	BaseURL string
	// Log receives failures that do not fail a request (an email not
	// sent); nil discards them.
	Log *slog.Logger
	// Now is the clock; tests move it instead of sleeping.
	Now func() time.Time
	// Published is told, inside the transaction, the files of a material
	// that enters the catalog (published at once, approved, or edited
	// while the site publishes immediately), so that the jobs drawing
	// their page images (internal/preview) commit with it; an error rolls
	// the change back.
	Published func(ctx context.Context, tx *db.Tx, files []preview.File) error
}

// Service is the library.
type Service struct {
	db    *db.DB
	v     *vault.Vault
	store Store
	o     Options
	tax   atomic.Pointer[Taxonomy]
	taxAt atomic.Int64
	// browseWindow overrides the catalog's walk window (tests make it
	// small so both plans run on a small library).
	browseWindow int
	views        viewCounts
	related      relatedCache
	home         homeCache
}

// taxonomyTTL bounds how long another node's taxonomy edit takes to show.
const taxonomyTTL = time.Minute

// New returns the library over d, sealing personal values with v and
// keeping file contents in store.
func New(d *db.DB, v *vault.Vault, store Store, o Options) *Service {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = DefaultMaxFiles
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	s := &Service{db: d, v: v, store: store, o: o}
	if o.Searcher == nil {
		s.o.Searcher = &SQLSearcher{DB: d}
	}
	return s
}

// MaxFileSize is the configured limit of one file, in bytes.
func (s *Service) MaxFileSize() int64 { return s.o.MaxFileSize }

// MaxFiles is the configured number of files one material may have.
func (s *Service) MaxFiles() int { return s.o.MaxFiles }

// PublishesImmediately reports whether new materials skip moderation.
func (s *Service) PublishesImmediately() bool { return s.o.PublishImmediately }

func (s *Service) now() time.Time { return s.o.Now() }
func (s *Service) nowMS() int64   { return s.o.Now().UnixMilli() }

// errNotFound is a missing material or file: a 404 page for the user,
// and errors.Is(err, db.ErrNotFound) for code.
func errNotFound() error {
	return &apperr.Error{Code: apperr.NotFound, Key: "library.notfound", Err: db.ErrNotFound}
}

// wrap adds the operation's prefix to an unexpected error and leaves the
// errors a user is told about as they are.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	var fs apperr.Fields
	if errors.As(err, &fs) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound()
	}
	return fmt.Errorf("library: %s: %w", op, err)
}

// SetBaseURL changes the site address used in email links (serve learns
// the real port only after it starts listening). Call it before serving.
func (s *Service) SetBaseURL(u string) { s.o.BaseURL = u }
