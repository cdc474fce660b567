// Package incident is the register of personal-data incidents (issue 12
// §4; law L15): a leak, a lost backup, an unauthorised access, recorded
// by an administrator with the deadline to notify the authorised body
// (from privacy.Rules, counted on the holiday calendar), the users it
// concerns, the notification document and the notice to those users,
// sent through the mail queue as one paced bulk send. Every change is
// written to the audit log in its own transaction.
package incident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/datamap"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Kind is what happened.
type Kind string

// The kinds of incident.
const (
	KindLeak         Kind = "leak"                // data disclosed to people who should not have it
	KindLostBackup   Kind = "lost_backup"         // a backup or a device with data lost or stolen
	KindUnauthorised Kind = "unauthorised_access" // someone got into the site or its database
	KindOther        Kind = "other"
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{KindLeak, KindLostBackup, KindUnauthorised, KindOther}

// Who the incident concerns.
const (
	SelectIDs    = "ids"    // account numbers
	SelectEmails = "emails" // addresses, matched through the email blind index
	SelectAll    = "all"    // every account not deleted when the incident is recorded
)

// Limits, in characters.
const (
	MaxText  = 8000   // description, measures
	MaxUsers = 100000 // ids or addresses typed or pasted in one form
)

// TimeLayout is how a moment is typed in the form (datetime-local, in
// Kazakhstan's time).
const TimeLayout = "2006-01-02T15:04"

// Input is the form that records an incident.
type Input struct {
	Kind        string
	Categories  []string
	DetectedAt  string // TimeLayout, Kazakhstan time
	OccurredAt  string // TimeLayout, or "" when not known
	Select      string // SelectIDs, SelectEmails or SelectAll
	Users       string // ids or addresses, separated by spaces, commas, semicolons or lines
	Description string
	Measures    string
}

// Incident is one recorded incident.
type Incident struct {
	ID          int64
	Kind        Kind
	Categories  []datamap.Category
	DetectedAt  time.Time
	OccurredAt  time.Time // zero when not known
	Due         time.Time // the authorised body is to be notified by then
	AllUsers    bool
	Description vault.Secret
	Measures    vault.Secret
	CreatedBy   int64
	CreatedAt   time.Time
	// BodyNotifiedAt is when the authorised body was notified (zero: not yet).
	BodyNotifiedAt time.Time
	BodyNotifiedBy int64
	// UsersNotifyAt is when the notice to the users was started (zero: not yet).
	UsersNotifyAt time.Time
	UsersNotifyBy int64
	Subjects      int // users concerned
	Notified      int // of them, sent the notice
}

// DueDay is the last day of the deadline, YYYY-MM-DD in Kazakhstan.
func (x *Incident) DueDay() string { return x.Due.In(privacy.Almaty).Format(privacy.DayLayout) }

// Overdue reports whether the body is still not notified past the deadline.
func (x *Incident) Overdue(now time.Time) bool { return x.BodyNotifiedAt.IsZero() && now.After(x.Due) }

// Late reports whether the body was notified after the deadline.
func (x *Incident) Late() bool { return !x.BodyNotifiedAt.IsZero() && x.BodyNotifiedAt.After(x.Due) }

// Service is the register.
type Service struct {
	db       *db.DB
	v        *vault.Vault
	audit    *audit.Log
	accounts *account.Service
	holidays *privacy.Holidays
	contacts *privacy.Contacts
	jobs     *Jobs
	now      func() time.Time
	log      *slog.Logger
}

// New returns the register.
func New(d *db.DB, v *vault.Vault, a *audit.Log, accounts *account.Service, h *privacy.Holidays, c *privacy.Contacts) *Service {
	return &Service{db: d, v: v, audit: a, accounts: accounts, holidays: h, contacts: c, now: time.Now, log: slog.New(slog.DiscardHandler)}
}

// SetClock replaces the clock (tests of deadlines).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// KeyOwner is the owner of the data key the texts are sealed with: the
// site's own (privacy.SiteOwner), since an incident is the operator's
// record, not one user's.
const KeyOwner = privacy.SiteOwner

func descField(id int64) vault.Field {
	return vault.Field{Table: "incidents", Column: "description", Row: id}
}
func measuresField(id int64) vault.Field {
	return vault.Field{Table: "incidents", Column: "measures", Row: id}
}

// siteKey returns the site's data key, making it on first use.
func (s *Service) siteKey(ctx context.Context, tx *db.Tx) (*vault.UserKey, error) {
	k, err := s.v.UserKey(ctx, tx, KeyOwner)
	if errors.Is(err, vault.ErrNoKey) {
		return s.v.NewUserKey(ctx, tx, KeyOwner)
	}
	return k, err
}

// cleanText normalises a multi-line text from a form.
func cleanText(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

// ParseTime reads a moment typed in the form, in Kazakhstan's time.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	t, err := time.ParseInLocation(TimeLayout, s, privacy.Almaty)
	if err != nil {
		// Browsers may send seconds.
		if t, err = time.ParseInLocation(TimeLayout+":05", s, privacy.Almaty); err != nil {
			return time.Time{}, false
		}
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

// SplitUsers splits a typed or pasted list into its items: separated by
// spaces, commas, semicolons or line breaks, empty items dropped,
// duplicates kept once, in order.
func SplitUsers(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	seen := map[string]bool{}
	out := f[:0]
	for _, x := range f {
		k := strings.ToLower(x)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, x)
	}
	return out
}

// ParseIDs reads account numbers; the first item that is not one is
// returned as bad.
func ParseIDs(items []string) (ids []int64, bad string) {
	for _, x := range items {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil || id <= 0 {
			return nil, x
		}
		ids = append(ids, id)
	}
	return ids, ""
}

// checked is a validated Input.
type checked struct {
	kind                 Kind
	cats                 []datamap.Category
	detected, occurred   time.Time
	sel                  string
	items                []string
	description, measure string
}

func (s *Service) validate(in Input) (checked, error) {
	var c checked
	var errs apperr.Fields
	c.kind = Kind(in.Kind)
	if !slices.Contains(Kinds, c.kind) {
		errs = append(errs, apperr.Field("kind", "incident.kind_bad"))
	}
	for _, x := range in.Categories {
		cat := datamap.Category(x)
		if !slices.Contains(datamap.Categories, cat) {
			errs = append(errs, apperr.Field("categories", "incident.categories_bad"))
			break
		}
		if !slices.Contains(c.cats, cat) {
			c.cats = append(c.cats, cat)
		}
	}
	if len(c.cats) == 0 && len(errs) == 0 {
		errs = append(errs, apperr.Field("categories", "incident.categories_required"))
	}
	// Kept in the order of the data map, whatever the form sent.
	slices.SortFunc(c.cats, func(a, b datamap.Category) int {
		return slices.Index(datamap.Categories, a) - slices.Index(datamap.Categories, b)
	})
	now := s.now()
	var ok bool
	if c.detected, ok = ParseTime(in.DetectedAt); !ok {
		errs = append(errs, apperr.Field("detected_at", "incident.time_bad"))
	} else if c.detected.After(now.Add(5 * time.Minute)) {
		errs = append(errs, apperr.Field("detected_at", "incident.time_future"))
	}
	if strings.TrimSpace(in.OccurredAt) != "" {
		if c.occurred, ok = ParseTime(in.OccurredAt); !ok {
			errs = append(errs, apperr.Field("occurred_at", "incident.time_bad"))
		} else if !c.detected.IsZero() && c.occurred.After(c.detected) {
			errs = append(errs, apperr.Field("occurred_at", "incident.occurred_after"))
		}
	}
	c.sel = in.Select
	switch c.sel {
	case SelectIDs, SelectEmails:
		c.items = SplitUsers(in.Users)
		switch {
		case len(c.items) == 0:
			errs = append(errs, apperr.Field("users", "incident.users_required"))
		case len(c.items) > MaxUsers:
			errs = append(errs, apperr.Field("users", "incident.users_too_many", MaxUsers))
		}
	case SelectAll:
	default:
		errs = append(errs, apperr.Field("select", "incident.select_bad"))
	}
	c.description, c.measure = cleanText(in.Description), cleanText(in.Measures)
	switch {
	case c.description == "":
		errs = append(errs, apperr.Field("description", "incident.description_required"))
	case utf8.RuneCountInString(c.description) > MaxText:
		errs = append(errs, apperr.Field("description", "incident.too_long", MaxText))
	}
	if utf8.RuneCountInString(c.measure) > MaxText {
		errs = append(errs, apperr.Field("measures", "incident.too_long", MaxText))
	}
	return c, errs.Err()
}

// resolve turns the selection into account ids. A list with an item
// that names no account is refused whole, naming how many did not
// match (never which address: the form is shown again, and the page
// must not tell who is registered beyond what the administrator typed).
func (s *Service) resolve(ctx context.Context, c checked) ([]int64, error) {
	switch c.sel {
	case SelectAll:
		return s.accounts.AllActiveIDs(ctx)
	case SelectIDs:
		ids, bad := ParseIDs(c.items)
		if bad != "" {
			return nil, apperr.Field("users", "incident.id_bad")
		}
		active, other, err := s.accounts.ActiveIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		if len(other) > 0 {
			return nil, apperr.Field("users", "incident.ids_unknown", len(other), strconv.FormatInt(other[0], 10))
		}
		return active, nil
	default:
		ids, unmatched, err := s.accounts.IDsByEmail(ctx, c.items)
		if err != nil {
			return nil, err
		}
		if len(unmatched) > 0 {
			return nil, apperr.Field("users", "incident.emails_unknown", len(unmatched), unmatched[0]+1)
		}
		return ids, nil
	}
}

// Record registers an incident, as done by administrator by from
// session: the incident, the users it concerns and the audit entry in
// one transaction. The deadline to notify the authorised body is
// computed from the detection by privacy.Rules (law L15).
func (s *Service) Record(ctx context.Context, in Input, by, session int64) (*Incident, error) {
	c, err := s.validate(in)
	if err != nil {
		return nil, err
	}
	ids, err := s.resolve(ctx, c)
	if err != nil {
		return nil, err
	}
	cal, err := s.holidays.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	due, err := cal.Deadline(privacy.RequestBreachNote, c.detected)
	if err != nil {
		return nil, err
	}
	now := s.now()
	x := &Incident{ID: db.NewID(), Kind: c.kind, Categories: c.cats, DetectedAt: c.detected, OccurredAt: c.occurred, Due: due,
		AllUsers: c.sel == SelectAll, Description: vault.NewSecret(c.description), Measures: vault.NewSecret(c.measure),
		CreatedBy: by, CreatedAt: time.UnixMilli(now.UnixMilli()), Subjects: len(ids)}
	cats := make([]string, len(c.cats))
	for i, cat := range c.cats {
		cats[i] = string(cat)
	}
	all := 0
	if x.AllUsers {
		all = 1
	}
	var occurred int64
	if !c.occurred.IsZero() {
		occurred = c.occurred.UnixMilli()
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		k, err := s.siteKey(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO incidents (id, kind, categories, detected_at, occurred_at, due_at, all_users,
			description_enc, measures_enc, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			x.ID, string(x.Kind), strings.Join(cats, ","), c.detected.UnixMilli(), occurred, due.UnixMilli(), all,
			k.Seal(descField(x.ID), c.description), k.Seal(measuresField(x.ID), c.measure), by, now.UnixMilli()); err != nil {
			return err
		}
		if err := insertUsers(ctx, tx, x.ID, ids); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionIncident,
			Detail: fmt.Sprintf("incident %d recorded: %s, %d users, due %s", x.ID, x.Kind, len(ids), x.DueDay())})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("incident: record: %w", err)
	}
	return x, nil
}

// insertUsers adds the rows of ids, a few hundred a statement.
func insertUsers(ctx context.Context, tx *db.Tx, incident int64, ids []int64) error {
	const per = 400
	for start := 0; start < len(ids); start += per {
		part := ids[start:min(start+per, len(ids))]
		var b strings.Builder
		b.WriteString(`INSERT INTO incident_users (incident_id, user_id) VALUES `)
		args := make([]any, 0, 2*len(part))
		for i, id := range part {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?)")
			args = append(args, incident, id)
		}
		b.WriteString(` ON CONFLICT (incident_id, user_id) DO NOTHING`)
		if _, err := tx.Exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

const columns = `i.id, i.kind, i.categories, i.detected_at, i.occurred_at, i.due_at, i.all_users, i.description_enc, i.measures_enc,
	i.created_by, i.created_at, i.body_notified_at, i.body_notified_by, i.users_notify_at, i.users_notify_by,
	(SELECT COUNT(*) FROM incident_users u WHERE u.incident_id = i.id),
	(SELECT COUNT(*) FROM incident_users u WHERE u.incident_id = i.id AND u.notified_at > 0)`

type row struct {
	x                 Incident
	desc, measures    []byte
	categories        string
	detected, occured int64
}

func scan(sc interface{ Scan(...any) error }) (*row, error) {
	var r row
	var kind string
	var due, created, body, users int64
	var all int
	if err := sc.Scan(&r.x.ID, &kind, &r.categories, &r.detected, &r.occured, &due, &all, &r.desc, &r.measures,
		&r.x.CreatedBy, &created, &body, &r.x.BodyNotifiedBy, &users, &r.x.UsersNotifyBy, &r.x.Subjects, &r.x.Notified); err != nil {
		return nil, err
	}
	r.x.Kind, r.x.AllUsers = Kind(kind), all != 0
	r.x.DetectedAt, r.x.OccurredAt, r.x.Due = db.Time(r.detected), db.Time(r.occured), db.Time(due)
	r.x.CreatedAt, r.x.BodyNotifiedAt, r.x.UsersNotifyAt = db.Time(created), db.Time(body), db.Time(users)
	for _, c := range strings.Split(r.categories, ",") {
		if c != "" {
			r.x.Categories = append(r.x.Categories, datamap.Category(c))
		}
	}
	return &r, nil
}

// open fills the sealed texts of r.
func (s *Service) open(ctx context.Context, r *row) (*Incident, error) {
	k, err := s.v.ReadKey(ctx, s.db, KeyOwner)
	if err != nil {
		return nil, err
	}
	if r.x.Description, err = k.Open(descField(r.x.ID), r.desc); err != nil {
		return nil, err
	}
	if r.x.Measures, err = k.Open(measuresField(r.x.ID), r.measures); err != nil {
		return nil, err
	}
	return &r.x, nil
}

// List returns every incident, the newest detection first, texts sealed.
func (s *Service) List(ctx context.Context) ([]Incident, error) {
	rows, err := s.db.Query(ctx, `SELECT `+columns+` FROM incidents i ORDER BY i.detected_at DESC, i.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("incident: list: %w", err)
	}
	defer rows.Close()
	var out []Incident
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("incident: list: %w", err)
		}
		out = append(out, r.x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("incident: list: %w", err)
	}
	return out, nil
}

func errNotFound() error { return apperr.New(apperr.NotFound, "incident.not_found") }

// Get returns one incident with its texts.
func (s *Service) Get(ctx context.Context, id int64) (*Incident, error) {
	r, err := scan(s.db.QueryRow(ctx, `SELECT `+columns+` FROM incidents i WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("incident: get: %w", err)
	}
	x, err := s.open(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("incident: get: %w", err)
	}
	return x, nil
}

// BodyNotified records that the authorised body was notified at when
// (TimeLayout; "" is now), as done by administrator by; audited.
func (s *Service) BodyNotified(ctx context.Context, id int64, when string, by, session int64) error {
	at := s.now()
	if strings.TrimSpace(when) != "" {
		t, ok := ParseTime(when)
		if !ok {
			return apperr.Field("notified_at", "incident.time_bad")
		}
		if t.After(at.Add(5 * time.Minute)) {
			return apperr.Field("notified_at", "incident.time_future")
		}
		at = t
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var detected, due int64
		err := tx.QueryRow(ctx, `SELECT detected_at, due_at FROM incidents WHERE id = ?`+db.ForUpdate(s.db.Engine()), id).Scan(&detected, &due)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		}
		if err != nil {
			return err
		}
		if at.UnixMilli() < detected {
			return apperr.Field("notified_at", "incident.notified_before")
		}
		if _, err := tx.Exec(ctx, `UPDATE incidents SET body_notified_at = ?, body_notified_by = ? WHERE id = ?`, at.UnixMilli(), by, id); err != nil {
			return err
		}
		late := ""
		if at.UnixMilli() > due {
			late = " late"
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionIncident,
			Detail: fmt.Sprintf("incident %d: authorised body notified %s%s", id, at.In(privacy.Almaty).Format(TimeLayout), late)})
		return err
	})
	if err != nil {
		if _, ok := apperr.As(err); ok {
			return err
		}
		return fmt.Errorf("incident: body notified: %w", err)
	}
	return nil
}

// Subject is one user an incident concerns.
type Subject struct {
	UserID     int64
	NotifiedAt time.Time
	// Revealed: the fields the notification to the body must carry, filled
	// only through RevealSubjects (audited).
	Revealed               bool
	Deleted                bool // the account was deleted since: nothing left to show
	FullName, Email, Phone vault.Secret
}

// SubjectsPage is how many users one page of the list shows.
const SubjectsPage = 100

// Subjects returns up to SubjectsPage users of incident id with ids above
// after, without personal data.
func (s *Service) Subjects(ctx context.Context, id, after int64) ([]Subject, error) {
	rows, err := s.db.Query(ctx, `SELECT user_id, notified_at FROM incident_users WHERE incident_id = ? AND user_id > ?
		ORDER BY user_id LIMIT ?`, id, after, SubjectsPage)
	if err != nil {
		return nil, fmt.Errorf("incident: subjects: %w", err)
	}
	defer rows.Close()
	var out []Subject
	for rows.Next() {
		var x Subject
		var n int64
		if err := rows.Scan(&x.UserID, &n); err != nil {
			return nil, fmt.Errorf("incident: subjects: %w", err)
		}
		x.NotifiedAt = db.Time(n)
		out = append(out, x)
	}
	return out, rows.Err()
}

// RevealSubjects returns the same page as Subjects with each user's
// name, address and phone — what the notification to the body names
// (law L15) — through account.Reveal: each user's view is in the audit
// log with the purpose before a value is read.
func (s *Service) RevealSubjects(ctx context.Context, id, after int64, purpose string, m account.Meta) ([]Subject, error) {
	purpose = strings.Join(strings.Fields(purpose), " ")
	if purpose == "" {
		return nil, apperr.Field("purpose", "incident.purpose_required")
	}
	if len(purpose) > 500 {
		return nil, apperr.Field("purpose", "incident.too_long", 500)
	}
	list, err := s.Subjects(ctx, id, after)
	if err != nil {
		return nil, err
	}
	purpose = fmt.Sprintf("incident %d: %s", id, purpose)
	for i := range list {
		u, err := s.accounts.Reveal(ctx, list[i].UserID, purpose, m)
		if err != nil {
			return nil, fmt.Errorf("incident: reveal: %w", err)
		}
		x := &list[i]
		x.Revealed, x.Deleted = true, u.Status == account.StatusDeleted
		x.FullName, x.Email, x.Phone = u.FullName, u.Email, u.Phone
	}
	return list, nil
}

// Notice is an incident as a user it concerns sees it (on /account/data
// and in the export): what happened, which categories of data, what was
// done, from the moment the administration sent the users' notice.
type Notice struct {
	IncidentID int64
	Kind       Kind
	Categories []datamap.Category
	DetectedAt time.Time
	OccurredAt time.Time
	Measures   vault.Secret
	NotifiedAt time.Time // when the letter to this user was queued (zero: not yet)
}

// ForUser returns the notices of the incidents that concern userID and
// whose users' notice was started, newest first.
func (s *Service) ForUser(ctx context.Context, userID int64) ([]Notice, error) {
	rows, err := s.db.Query(ctx, `SELECT `+columns+`, u.notified_at FROM incidents i JOIN incident_users u ON u.incident_id = i.id
		WHERE u.user_id = ? AND i.users_notify_at > 0 ORDER BY i.detected_at DESC, i.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("incident: for user: %w", err)
	}
	var raw []*row
	var notified []int64
	for rows.Next() {
		var r row
		var n int64
		var kind string
		var due, created, body, users int64
		var all int
		if err := rows.Scan(&r.x.ID, &kind, &r.categories, &r.detected, &r.occured, &due, &all, &r.desc, &r.measures,
			&r.x.CreatedBy, &created, &body, &r.x.BodyNotifiedBy, &users, &r.x.UsersNotifyBy, &r.x.Subjects, &r.x.Notified, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("incident: for user: %w", err)
		}
		r.x.Kind = Kind(kind)
		r.x.DetectedAt, r.x.OccurredAt = db.Time(r.detected), db.Time(r.occured)
		for _, c := range strings.Split(r.categories, ",") {
			if c != "" {
				r.x.Categories = append(r.x.Categories, datamap.Category(c))
			}
		}
		raw, notified = append(raw, &r), append(notified, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("incident: for user: %w", err)
	}
	out := make([]Notice, 0, len(raw))
	for i, r := range raw {
		x, err := s.open(ctx, r)
		if err != nil {
			return nil, fmt.Errorf("incident: for user: %w", err)
		}
		out = append(out, Notice{IncidentID: x.ID, Kind: x.Kind, Categories: x.Categories, DetectedAt: x.DetectedAt,
			OccurredAt: x.OccurredAt, Measures: x.Measures, NotifiedAt: db.Time(notified[i])})
	}
	return out, nil
}

// Contacts returns the operator's details for the documents.
func (s *Service) Contacts(ctx context.Context) (privacy.ContactInfo, error) {
	return s.contacts.Get(ctx)
}

// DocumentIssued writes to the audit log that the notification document
// of incident id was produced in lang by administrator by.
func (s *Service) DocumentIssued(ctx context.Context, id int64, lang string, by, session int64) error {
	if _, err := s.audit.Append(ctx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionIncident,
		Detail: fmt.Sprintf("incident %d: notification document (%s)", id, lang)}); err != nil {
		return fmt.Errorf("incident: document: %w", err)
	}
	return nil
}
