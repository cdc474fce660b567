package telemetry

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// TopicFunc gives the subject, grade and type of a published material
// (false for none); the library supplies it.
type TopicFunc func(ctx context.Context, materialID int64) (Topic, bool, error)

// WriterOptions configure a Writer.
type WriterOptions struct {
	// Proxies are the trusted proxies (--trusted-proxy): only from them
	// is X-Forwarded-For believed.
	Proxies []netip.Prefix
	// IPDB finds country and provider; nil records neither.
	IPDB   *IPDB
	Topics TopicFunc
	// Now is the clock (tests); time.Now by default.
	Now func() time.Time
}

// Writer turns batches of events into records and aggregates. Its
// caches are its own; everything shared between nodes (salts, counts,
// closed days) is in the database.
type Writer struct {
	db *db.DB
	v  *vault.Vault
	o  WriterOptions

	mu     sync.Mutex // one batch at a time per process
	salts  map[string][]byte
	closed map[string]bool
	agents map[string]agentLabels
	topics map[int64]topicEntry
	// seen holds the (dimension, value, visitor) triples this process has
	// written for the open day, so a returning visitor costs no write.
	seen    map[seenKey]struct{}
	seenDay string
	// refs caches referrer domains, days the day of each UTC day number;
	// buf is the hash input.
	refs map[[2]string]string
	days map[int64]string
	buf  []byte
	// The working memory of a batch, kept from one batch to the next and
	// emptied after each, so a batch allocates (and the collector scans)
	// little beyond what it writes.
	visits   []visit
	recArgs  []any // writeRecords' arguments
	views    map[aggKey]int64
	fresh    []seenKey
	freshDay []string
	prefs    map[prefKey]int64
}

// agentLabels are a user agent's values as counted: the browser with its
// version, made once per user agent rather than once per page.
type agentLabels struct{ browser, os, device string }

type topicEntry struct {
	t       Topic
	ok      bool
	expires int64
}

type seenKey struct {
	dim, value string
	hash       [16]byte
}

// NewWriter returns a writer into d, sealing with v.
func NewWriter(d *db.DB, v *vault.Vault, o WriterOptions) *Writer {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Writer{db: d, v: v, o: o, salts: map[string][]byte{}, closed: map[string]bool{},
		agents: map[string]agentLabels{}, topics: map[int64]topicEntry{}, seen: map[seenKey]struct{}{},
		refs: map[[2]string]string{}, days: map[int64]string{},
		views: map[aggKey]int64{}, prefs: map[prefKey]int64{}}
}

// Day is the day (UTC) of a Unix-millisecond time, as the tables key it.
func Day(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.DateOnly) }

// visit is an event parsed: the values of Defs.
type visit struct {
	e    *Event
	day  string
	vals [nDefs]string
	hash [16]byte
}

type aggKey struct{ day, dim, value string }

type prefKey struct {
	user               int64
	month, kind, value string
}

// Write records a batch of events: parsed here, written in one
// transaction. Events of a day already closed are not counted (a node
// whose clock is far behind): the day's salt is gone.
func (w *Writer) Write(ctx context.Context, events []Event) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.agents) > 50000 {
		clear(w.agents)
	}
	if len(w.topics) > 100000 {
		clear(w.topics)
	}
	if len(w.refs) > 50000 {
		clear(w.refs)
	}
	if len(w.days) > 1000 {
		clear(w.days)
	}
	visits := w.visits[:0]
	defer func() {
		// Nothing of this batch's requests stays reachable from the writer.
		clear(visits)
		w.visits = visits[:0]
		clear(w.views)
		clear(w.fresh)
		w.fresh = w.fresh[:0]
		w.freshDay = w.freshDay[:0]
		clear(w.prefs)
	}()
	batchSalts := map[string][]byte{} // nil for a closed day
	for i := range events {
		e := &events[i]
		dn := e.At / 86_400_000
		day, ok := w.days[dn]
		if !ok {
			day = Day(e.At)
			w.days[dn] = day
		}
		salt, ok := batchSalts[day]
		if !ok {
			var err error
			if salt, err = w.salt(ctx, day); err != nil {
				return err
			}
			batchSalts[day] = salt
		}
		if salt == nil {
			continue // closed
		}
		v := visit{e: e, day: day}
		if err := w.parse(ctx, &v, salt); err != nil {
			return err
		}
		visits = append(visits, v)
	}
	views, fresh, freshDay, prefs := w.views, w.fresh, w.freshDay, w.prefs
	for i := range visits {
		v := &visits[i]
		if v.day != w.seenDay && v.day > w.seenDay {
			clear(w.seen)
			w.seenDay = v.day
		}
		count := func(dim, value string) {
			views[aggKey{v.day, dim, value}]++
			k := seenKey{dim, value, v.hash}
			if v.day == w.seenDay {
				if _, ok := w.seen[k]; ok {
					return
				}
				if len(w.seen) < 2_000_000 {
					w.seen[k] = struct{}{}
				}
			}
			fresh = append(fresh, k)
			freshDay = append(freshDay, v.day)
		}
		if v.e.Download {
			count(DimDownloads, "")
			if v.vals[FDownload] != "" {
				count(Defs[FDownload].Name, v.vals[FDownload])
			}
			continue
		}
		count(DimTotal, "")
		for f := range Defs {
			if Defs[f].Aggregate && f != FDownload && v.vals[f] != "" {
				count(Defs[f].Name, v.vals[f])
			}
		}
		if v.e.UserID != 0 {
			month := v.day[:7]
			for _, kind := range []struct {
				name string
				f    int
			}{{"subject", FSubject}, {"grade", FGrade}, {"type", FType}} {
				if val := v.vals[kind.f]; val != "" {
					prefs[prefKey{v.e.UserID, month, kind.name, val}]++
				}
			}
		}
	}
	w.fresh, w.freshDay = fresh, freshDay // their grown arrays, for the next batch
	keys := map[int64]*vault.UserKey{}
	err := w.db.InTx(ctx, func(tx *db.Tx) error {
		if err := w.writeViews(ctx, tx, views); err != nil {
			return err
		}
		if err := w.writeVisitors(ctx, tx, fresh, freshDay); err != nil {
			return err
		}
		if err := w.writeRecords(ctx, tx, visits, keys); err != nil {
			return err
		}
		return w.writePrefs(ctx, tx, prefs, keys)
	})
	if err != nil {
		clear(w.seen) // what was marked seen in this batch was not written
	}
	return err
}

// key is the user's data key, nil for a deleted user (whose visits are
// then not recorded as theirs).
func (w *Writer) key(ctx context.Context, tx *db.Tx, keys map[int64]*vault.UserKey, uid int64) (*vault.UserKey, error) {
	if k, ok := keys[uid]; ok {
		return k, nil
	}
	k, err := w.v.UserKey(ctx, tx, uid)
	if errors.Is(err, vault.ErrNoKey) {
		k, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	keys[uid] = k
	return k, nil
}

func (w *Writer) parse(ctx context.Context, v *visit, salt []byte) error {
	e := v.e
	addr := ClientAddr(e.Remote, e.XFF, w.o.Proxies)
	ua := e.UA
	if len(ua) > maxUA {
		ua = ua[:maxUA]
	}
	buf := append(w.buf[:0], salt...)
	buf = append(buf, addr.AsSlice()...)
	buf = append(buf, 0)
	buf = append(buf, ua...)
	w.buf = buf
	sum := sha256.Sum256(buf)
	copy(v.hash[:], sum[:])

	id := MaterialID(e.Path)
	if e.Download {
		if id != 0 {
			v.vals[FDownload] = strconv.FormatInt(id, 10)
		}
		return nil
	}
	if addr.IsValid() && e.UserID != 0 {
		v.vals[FIP] = addr.String() // only a signed-in user's record keeps it
	}
	v.vals[FProvider] = ""
	v.vals[FCountry], v.vals[FProvider] = w.o.IPDB.Lookup(addr)
	a, ok := w.agents[ua]
	if !ok {
		p := ParseUA(ua)
		a = agentLabels{browser: p.Browser, os: p.OS, device: p.Device}
		if p.Browser != "" && p.Version != "" {
			a.browser += " " + p.Version
		}
		w.agents[strings.Clone(ua)] = a
	}
	v.vals[FUA] = ua
	v.vals[FBrowser], v.vals[FOS], v.vals[FDevice] = a.browser, a.os, a.device
	if e.Referrer != "" {
		rk := [2]string{e.Referrer, e.Host}
		ref, ok := w.refs[rk]
		if !ok {
			ref = ReferrerDomain(e.Referrer, e.Host)
			w.refs[[2]string{strings.Clone(e.Referrer), strings.Clone(e.Host)}] = ref
		}
		v.vals[FReferrer] = ref
	}
	v.vals[FSection] = Section(e.Path)
	v.vals[FPath] = clipPath(e.Path)
	var t Topic
	switch {
	case id != 0:
		v.vals[FPath] = "/materials/" + strconv.FormatInt(id, 10) // one row per material, whatever its slug
		var err error
		if t, err = w.topic(ctx, id); err != nil {
			return err
		}
	case e.Path == "/materials" && e.Query != "":
		t = CatalogTopic(e.Query)
	}
	v.vals[FSubject], v.vals[FGrade], v.vals[FType] = t.Subject, t.Grade, t.Type
	v.vals[FTopic] = t.String()
	if v.vals[FTopic] == "" {
		v.vals[FTopic] = v.vals[FSection]
	}
	return nil
}

func clipPath(p string) string {
	if len(p) > 200 {
		p = p[:200]
	}
	return strings.ToValidUTF8(p, "")
}

func (w *Writer) topic(ctx context.Context, id int64) (Topic, error) {
	now := w.o.Now().UnixMilli()
	if te, ok := w.topics[id]; ok && te.expires > now {
		return te.t, nil
	}
	if w.o.Topics == nil {
		return Topic{}, nil
	}
	t, ok, err := w.o.Topics(ctx, id)
	if err != nil {
		return Topic{}, fmt.Errorf("telemetry: topic of a material: %w", err)
	}
	// A material's subject changes rarely; a minute of staleness is fine.
	w.topics[id] = topicEntry{t: t, ok: ok, expires: now + 60_000}
	return t, nil
}

// salt returns the day's salt, made by the first node that needs it
// (INSERT … ON CONFLICT DO NOTHING, then read: every node gets the
// same), or nil when the day is closed.
func (w *Writer) salt(ctx context.Context, day string) ([]byte, error) {
	if s, ok := w.salts[day]; ok {
		return s, nil
	}
	if w.closed[day] {
		return nil, nil
	}
	var n int
	if err := w.db.QueryRow(ctx, `SELECT COUNT(*) FROM telemetry_days WHERE day = ?`, day).Scan(&n); err != nil {
		return nil, fmt.Errorf("telemetry: closed days: %w", err)
	}
	if n > 0 {
		w.closed[day] = true
		return nil, nil
	}
	s := make([]byte, 32)
	rand.Read(s)
	if _, err := w.db.Exec(ctx, `INSERT INTO telemetry_salts (day, salt) VALUES (?, ?) ON CONFLICT (day) DO NOTHING`, day, s); err != nil {
		return nil, fmt.Errorf("telemetry: the day's salt: %w", err)
	}
	if err := w.db.QueryRow(ctx, `SELECT salt FROM telemetry_salts WHERE day = ?`, day).Scan(&s); err != nil {
		return nil, fmt.Errorf("telemetry: the day's salt: %w", err)
	}
	// Only the newest day's salt is kept in memory: a later day's first
	// event drops the earlier one, and a late event of an earlier day
	// reads it from the database without keeping it, so no process holds
	// a salt after its day is closed and deleted.
	for d := range w.salts {
		if d > day {
			return s, nil
		}
		delete(w.salts, d)
	}
	w.salts[day] = s
	return s, nil
}

// forget drops a closed day's salt from this process.
func (w *Writer) forget(day string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.salts, day)
	w.closed[day] = true
}

const chunk = 1000

// insertMany runs prefix + "(?, …), (?, …)" + suffix over rows of n
// columns, chunk rows at a time.
func insertMany(ctx context.Context, tx *db.Tx, prefix, suffix string, n int, args []any) error {
	per := chunk * n
	for len(args) > 0 {
		part := args
		if len(part) > per {
			part = part[:per]
		}
		args = args[len(part):]
		var b strings.Builder
		b.WriteString(prefix)
		row := "(" + strings.Repeat("?, ", n-1) + "?)"
		for i := 0; i < len(part)/n; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
		}
		b.WriteString(suffix)
		if _, err := tx.Exec(ctx, b.String(), part...); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) writeViews(ctx context.Context, tx *db.Tx, views map[aggKey]int64) error {
	args := make([]any, 0, len(views)*4)
	for k, n := range views {
		args = append(args, k.day, k.dim, k.value, n)
	}
	err := insertMany(ctx, tx, `INSERT INTO telemetry_live (day, dim, value, views) VALUES `,
		` ON CONFLICT (day, dim, value) DO UPDATE SET views = telemetry_live.views + excluded.views`, 4, args)
	if err != nil {
		return fmt.Errorf("telemetry: write counts: %w", err)
	}
	return nil
}

func (w *Writer) writeVisitors(ctx context.Context, tx *db.Tx, fresh []seenKey, days []string) error {
	args := make([]any, 0, len(fresh)*4)
	// Triples of the open day are unique already (Writer.seen); those of
	// another day (a batch across midnight, a late event) are made so
	// here, as one statement must not name a row twice.
	var dedup map[aggKey]map[[16]byte]bool
	for i, k := range fresh {
		if days[i] != w.seenDay {
			ak := aggKey{days[i], k.dim, k.value}
			if dedup == nil {
				dedup = map[aggKey]map[[16]byte]bool{}
			}
			m := dedup[ak]
			if m == nil {
				m = map[[16]byte]bool{}
				dedup[ak] = m
			}
			if m[k.hash] {
				continue
			}
			m[k.hash] = true
		}
		h := k.hash
		args = append(args, days[i], k.dim, k.value, h[:])
	}
	err := insertMany(ctx, tx, `INSERT INTO telemetry_live_visitors (day, dim, value, hash) VALUES `,
		` ON CONFLICT (day, dim, value, hash) DO NOTHING`, 4, args)
	if err != nil {
		return fmt.Errorf("telemetry: write visitors: %w", err)
	}
	return nil
}

// recordColumns are the sealed columns of a personalised record, from Defs.
var recordColumns = func() (cols []int) {
	for f, d := range Defs {
		if d.Personal {
			cols = append(cols, f)
		}
	}
	return cols
}()

func (w *Writer) writeRecords(ctx context.Context, tx *db.Tx, visits []visit, keys map[int64]*vault.UserKey) error {
	n := 3 + len(recordColumns)
	// The arguments' slice is kept for the next batch (a second's
	// signed-in views make hundreds of thousands), emptied after use so
	// it holds no ciphertext.
	args := w.recArgs[:0]
	defer func() {
		clear(args)
		w.recArgs = args[:0]
	}()
	for i := range visits {
		v := &visits[i]
		if v.e.UserID == 0 || v.e.Download {
			continue
		}
		k, err := w.key(ctx, tx, keys, v.e.UserID)
		if err != nil {
			return fmt.Errorf("telemetry: a user's key: %w", err)
		}
		if k == nil {
			continue
		}
		id := db.NewID()
		args = append(args, id, v.e.UserID, v.e.At)
		for _, f := range recordColumns {
			args = append(args, k.Seal(vault.Field{Table: "telemetry_records", Column: Defs[f].Name, Row: id}, v.vals[f]))
		}
	}
	if len(args) == 0 {
		return nil
	}
	var cols strings.Builder
	cols.WriteString("INSERT INTO telemetry_records (id, user_id, at")
	for _, f := range recordColumns {
		cols.WriteString(", " + Defs[f].Name + "_enc")
	}
	cols.WriteString(") VALUES ")
	if err := insertMany(ctx, tx, cols.String(), "", n, args); err != nil {
		return fmt.Errorf("telemetry: write records: %w", err)
	}
	return nil
}

// prefPurpose is the blind index of a preference's value; it includes
// the user, so equal values of two users do not share an index.
const prefPurpose = "telemetry-preference"

func prefIndex(v *vault.Vault, user int64, kind, value string) []byte {
	return v.BlindIndex(prefPurpose, strconv.FormatInt(user, 10)+"|"+kind+"|"+value)
}

func (w *Writer) writePrefs(ctx context.Context, tx *db.Tx, prefs map[prefKey]int64, keys map[int64]*vault.UserKey) error {
	var args []any
	for p, n := range prefs {
		k, err := w.key(ctx, tx, keys, p.user)
		if err != nil {
			return fmt.Errorf("telemetry: a user's key: %w", err)
		}
		if k == nil {
			continue
		}
		args = append(args, p.user, p.month, p.kind, prefIndex(w.v, p.user, p.kind, p.value),
			k.Seal(vault.Field{Table: "telemetry_preferences", Column: p.kind}, p.value), n)
	}
	err := insertMany(ctx, tx, `INSERT INTO telemetry_preferences (user_id, month, kind, value_bidx, value_enc, views) VALUES `,
		` ON CONFLICT (user_id, month, kind, value_bidx) DO UPDATE SET views = telemetry_preferences.views + excluded.views`, 6, args)
	if err != nil {
		return fmt.Errorf("telemetry: write preferences: %w", err)
	}
	return nil
}
