package consent_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Made-up values from documentation ranges; never printed by the tests.
var meta = consent.Meta{IP: "203.0.113.77", UserAgent: "Mozilla/5.0 (TestBrowser) Gecko/20100101", SessionID: 42}

type env struct {
	d *db.DB
	v *vault.Vault
	s *consent.Service
}

func setup(t *testing.T, d *db.DB) env {
	t.Helper()
	v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	s := consent.New(d, v)
	if err := s.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	return env{d: d, v: v, s: s}
}

// register does what the registration transaction does: a user row, a
// data key and the acceptance of the documents in force.
func (e env) register(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	agreement, privacy, err := e.s.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := db.NewID()
	err = e.d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)`, id, db.Now(), db.Now()); err != nil {
			return err
		}
		key, err := e.v.NewUserKey(ctx, tx, id)
		if err != nil {
			return err
		}
		return e.s.RecordAcceptance(ctx, tx, key, id, []*consent.Document{agreement, privacy}, consent.MethodRegistration, meta)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func texts(suffix string) (title, body map[i18n.Lang]string) {
	title = map[i18n.Lang]string{i18n.KK: "Құпиялылық саясаты" + suffix, i18n.RU: "Политика" + suffix, i18n.EN: "Policy" + suffix}
	body = map[i18n.Lang]string{
		i18n.KK: "1. Жалпы ереже\n\nМәтін" + suffix,
		i18n.RU: "1. Общие положения\n\nТекст" + suffix,
		i18n.EN: "1. General\n\nText" + suffix,
	}
	return title, body
}

func countDocs(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM documents`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countAcceptances(t *testing.T, d *db.DB, userID int64) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM acceptances WHERE user_id = ?`, userID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Preamble P.2: both documents exist from the first start, version 1, with
// the embedded texts; seeding again changes nothing.
func TestSeedIdempotent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		a1, p1, err := e.s.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			if err := e.s.Seed(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := countDocs(t, d); n != 2 {
			t.Fatalf("after three seeds: %d documents, want 2", n)
		}
		a2, p2, err := e.s.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a1, a2) || !reflect.DeepEqual(p1, p2) {
			t.Fatal("seeding again changed the documents")
		}
		for _, doc := range []*consent.Document{a2, p2} {
			if doc.Version != 1 || doc.PublishedBy != 0 {
				t.Errorf("%s: version %d by %d, want 1 by 0", doc.Kind, doc.Version, doc.PublishedBy)
			}
			if want := consent.DocumentHash(doc.Kind, doc.Title, doc.Body); doc.Hash != want {
				t.Errorf("%s: stored hash is not the hash of the text", doc.Kind)
			}
			for _, l := range i18n.Langs {
				raw, err := consent.SeedText(doc.Kind, l)
				if err != nil {
					t.Fatal(err)
				}
				if doc.BodyIn(l) != strings.TrimSpace(raw) {
					t.Errorf("%s/%s: body is not the embedded text", doc.Kind, l)
				}
				if doc.TitleIn(l) == "" {
					t.Errorf("%s/%s: no title", doc.Kind, l)
				}
			}
		}
		if !strings.Contains(a2.BodyIn(i18n.KK), "3.4. Әкімшілік келісім шарттарын біржақты тәртіппен өзгерте алады.") {
			t.Error("the Kazakh agreement does not carry the original clause 3.4")
		}
	})
}

// Clause 3.4: a new version becomes the one in force; the old one stays
// readable with its own hash.
func TestPublishKeepsOldVersion(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		_, v1, _ := e.s.Current(ctx)
		title, body := texts(" v2")
		admin := db.NewID()
		v2, err := e.s.Publish(ctx, consent.KindPrivacy, title, body, admin, 0)
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || v2.PublishedBy != admin || v2.Hash == v1.Hash {
			t.Fatalf("published: version %d by %d, hash changed %v", v2.Version, v2.PublishedBy, v2.Hash != v1.Hash)
		}
		_, cur, err := e.s.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cur.ID != v2.ID || cur.BodyIn(i18n.RU) != body[i18n.RU] {
			t.Fatalf("current privacy policy is version %d, want the new one", cur.Version)
		}
		old, err := e.s.Version(ctx, consent.KindPrivacy, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(old, v1) {
			t.Fatal("version 1 changed after publishing version 2")
		}
		if old.Hash != consent.DocumentHash(old.Kind, old.Title, old.Body) {
			t.Fatal("version 1 no longer matches its own hash")
		}
		vs, err := e.s.Versions(ctx, consent.KindPrivacy)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 {
			t.Fatalf("versions: got %d, want 2 then 1", len(vs))
		}
		if _, a, _ := e.s.Current(ctx); a == nil {
			t.Fatal("no current documents")
		}
		if agr, _, _ := e.s.Current(ctx); agr.Version != 1 {
			t.Fatalf("publishing the policy changed the agreement to version %d", agr.Version)
		}

		_, err = e.s.Version(ctx, consent.KindPrivacy, 3)
		if apperr.CodeOf(err) != apperr.NotFound || !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("missing version: %v", err)
		}
	})
}

// Publishing the text in force again (even with Windows line endings or
// extra spaces around it) would only make everyone re-accept the same text.
func TestPublishRefusesUnchangedText(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		title, body := texts(" v2")
		if _, err := e.s.Publish(ctx, consent.KindAgreement, title, body, 1, 0); err != nil {
			t.Fatal(err)
		}
		same := map[i18n.Lang]string{}
		for l, b := range body {
			same[l] = "  " + strings.ReplaceAll(b, "\n", "\r\n") + "\r\n"
		}
		before := countDocs(t, d)
		_, err := e.s.Publish(ctx, consent.KindAgreement, title, same, 1, 0)
		if ae, ok := apperr.As(err); !ok || ae.Key != "consent.publish.unchanged" {
			t.Fatalf("same text again: got %v", err)
		}
		if countDocs(t, d) != before {
			t.Fatal("a refused publication wrote a document")
		}
		// The same text is fine for the other kind, which has its own history.
		if _, err := e.s.Publish(ctx, consent.KindPrivacy, title, body, 1, 0); err != nil {
			t.Fatal(err)
		}
	})
}

// Preamble P.2: every version exists in all three languages.
func TestPublishMissingLanguage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		cases := []struct {
			name       string
			edit       func(title, body map[i18n.Lang]string)
			wantFields []string
		}{
			{"no Russian title", func(ti, _ map[i18n.Lang]string) { delete(ti, i18n.RU) }, []string{"title_ru"}},
			{"blank English body", func(_, b map[i18n.Lang]string) { b[i18n.EN] = " \r\n\t" }, []string{"body_en"}},
			{"no Kazakh at all", func(ti, b map[i18n.Lang]string) { delete(ti, i18n.KK); delete(b, i18n.KK) }, []string{"title_kk", "body_kk"}},
			{"title too long", func(ti, _ map[i18n.Lang]string) { ti[i18n.EN] = strings.Repeat("x", consent.MaxTitleLen+1) }, []string{"title_en"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				title, body := texts(" " + c.name)
				c.edit(title, body)
				before := countDocs(t, d)
				_, err := e.s.Publish(ctx, consent.KindPrivacy, title, body, 1, 0)
				var fs apperr.Fields
				if !errors.As(err, &fs) {
					t.Fatalf("want field errors, got %v", err)
				}
				var got []string
				for _, f := range fs {
					got = append(got, f.Field)
					if !i18n.Has(f.Key) {
						t.Errorf("field %s: message %q is not translated", f.Field, f.Key)
					}
				}
				if !slices.Equal(got, c.wantFields) {
					t.Errorf("fields %v, want %v", got, c.wantFields)
				}
				if countDocs(t, d) != before {
					t.Error("an invalid publication wrote a document")
				}
			})
		}
		title, body := texts(" kind")
		if _, err := e.s.Publish(ctx, consent.Kind("terms"), title, body, 1, 0); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("unknown kind: %v", err)
		}
	})
}

// Clause 3.4 and preamble P.4: after a new version the user is asked to
// accept it, and is no longer asked once they have.
func TestPendingAfterPublish(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		user := e.register(t)
		p, err := e.s.Pending(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 0 || !allAccepted(t, e.s, user) {
			t.Fatalf("just registered, %d documents pending, all accepted %v", len(p), allAccepted(t, e.s, user))
		}
		title, body := texts(" v2")
		v2, err := e.s.Publish(ctx, consent.KindPrivacy, title, body, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		p, err = e.s.Pending(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 1 || p[0].ID != v2.ID || allAccepted(t, e.s, user) {
			t.Fatalf("after publishing: %d pending, want only the new privacy policy; all accepted %v", len(p), allAccepted(t, e.s, user))
		}
		if err := e.s.Accept(ctx, user, []int64{v2.ID}, meta); err != nil {
			t.Fatal(err)
		}
		p, err = e.s.Pending(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 0 || !allAccepted(t, e.s, user) {
			t.Fatalf("after accepting: %d pending, all accepted %v", len(p), allAccepted(t, e.s, user))
		}
	})
}

// allAccepted is the agreement gate's one-query answer.
func allAccepted(t *testing.T, s *consent.Service, user int64) bool {
	t.Helper()
	ok, err := s.AllAccepted(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// A user brought over by the importer never accepted anything: both
// documents are pending (clause 1.2 b, LAW.md).
func TestPendingForUserWithoutAcceptance(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		id := db.NewID()
		if _, err := d.Exec(ctx, `INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)`, id, db.Now(), db.Now()); err != nil {
			t.Fatal(err)
		}
		p, err := e.s.Pending(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 2 || p[0].Kind != consent.KindAgreement || p[1].Kind != consent.KindPrivacy || allAccepted(t, e.s, id) {
			t.Fatalf("imported user: %d pending, want both documents; all accepted %v", len(p), allAccepted(t, e.s, id))
		}
	})
}

type rawRow map[string][]byte

func rawAcceptances(t *testing.T, d *db.DB, userID int64) map[int64]rawRow {
	t.Helper()
	cols := []string{"id", "user_id", "document_id", "document_hash", "at", "method", "session_id", "ip_enc", "ua_enc"}
	rows, err := d.Query(context.Background(), `SELECT `+strings.Join(cols, ", ")+` FROM acceptances WHERE user_id = ?`, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]rawRow{}
	for rows.Next() {
		var id int64
		vals := make([][]byte, len(cols))
		ptrs := []any{&id}
		for i := 1; i < len(cols); i++ {
			ptrs = append(ptrs, &vals[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := rawRow{}
		for i := 1; i < len(cols); i++ {
			r[cols[i]] = vals[i]
		}
		out[id] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Law L1: consents are append-only, so each one can be confirmed later
// exactly as it was given.
func TestAcceptancesAppendOnly(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		user := e.register(t)
		first := rawAcceptances(t, d, user)
		if len(first) != 2 {
			t.Fatalf("registration wrote %d acceptances, want 2", len(first))
		}
		title, body := texts(" v2")
		v2, err := e.s.Publish(ctx, consent.KindAgreement, title, body, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		later := consent.Meta{IP: "198.51.100.9", UserAgent: "OtherBrowser/2", SessionID: 43}
		if err := e.s.Accept(ctx, user, []int64{v2.ID, v2.ID}, later); err != nil {
			t.Fatal(err)
		}
		// Accepting the same version again is a new row too: a renewal
		// (the consent's term starts again).
		if err := e.s.Accept(ctx, user, []int64{v2.ID}, later); err != nil {
			t.Fatal(err)
		}
		after := rawAcceptances(t, d, user)
		if len(after) != 4 {
			t.Fatalf("after two re-acceptances: %d rows, want 4", len(after))
		}
		for id, r := range first {
			if !reflect.DeepEqual(after[id], r) {
				t.Fatalf("acceptance %d was changed by a later acceptance", id)
			}
		}

		list, err := e.s.Acceptances(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 4 {
			t.Fatalf("Acceptances: %d, want 4", len(list))
		}
		methods := map[string]int{}
		for _, a := range list {
			methods[a.Method]++
			want := meta
			if a.Method == consent.MethodReacceptance || a.Method == consent.MethodRenewal {
				want = later
				if a.DocumentID != v2.ID || a.Version != 2 || a.Kind != consent.KindAgreement || a.DocumentHash != v2.Hash {
					t.Errorf("re-acceptance %d names the wrong document", a.ID)
				}
			}
			if a.IP.Reveal() != want.IP || a.UserAgent.Reveal() != want.UserAgent || a.SessionID != want.SessionID {
				t.Errorf("acceptance %d (%s): address, browser or session does not open to what was recorded", a.ID, a.Method)
			}
			if a.At.IsZero() {
				t.Errorf("acceptance %d has no time", a.ID)
			}
		}
		if methods[consent.MethodRegistration] != 2 || methods[consent.MethodReacceptance] != 1 || methods[consent.MethodRenewal] != 1 {
			t.Fatalf("methods: %v", methods)
		}
	})
}

// Clause 1.3: the address and browser of an acceptance are never stored
// in plaintext.
func TestAcceptanceMetaEncrypted(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d)
		user := e.register(t)
		rows := rawAcceptances(t, d, user)
		if len(rows) == 0 {
			t.Fatal("no acceptances")
		}
		for id, r := range rows {
			if len(r["ip_enc"]) == 0 || len(r["ua_enc"]) == 0 {
				t.Errorf("acceptance %d: address or browser not stored", id)
			}
			for col, b := range r {
				for _, secret := range []string{meta.IP, meta.UserAgent, "203.0.113", "TestBrowser"} {
					if bytes.Contains(b, []byte(secret)) {
						t.Errorf("acceptance %d: column %s holds a personal value in plaintext", id, col)
					}
				}
			}
		}
		// A sealed value moved to another row no longer opens.
		var ids []int64
		for id := range rows {
			ids = append(ids, id)
		}
		ctx := context.Background()
		if _, err := d.Exec(ctx, `UPDATE acceptances SET ip_enc = ? WHERE id = ?`, rows[ids[0]]["ip_enc"], ids[1]); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Acceptances(ctx, user); !errors.Is(err, vault.ErrDecrypt) {
			t.Fatalf("moved ciphertext: got %v, want ErrDecrypt", err)
		}
	})
}

// Only the versions in force can be accepted.
func TestAcceptRefusesNonCurrent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		user := e.register(t)
		agreementV1, _, _ := e.s.Current(ctx)
		title, body := texts(" v2")
		if _, err := e.s.Publish(ctx, consent.KindAgreement, title, body, 1, 0); err != nil {
			t.Fatal(err)
		}
		before := countAcceptances(t, d, user)
		cases := []struct {
			name string
			ids  []int64
			code apperr.Code
			key  string
		}{
			{"replaced version", []int64{agreementV1.ID}, apperr.Conflict, "consent.accept.not_current"},
			{"unknown document", []int64{db.NewID()}, apperr.NotFound, "consent.document.not_found"},
			{"nothing", nil, apperr.Invalid, "consent.accept.empty"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := e.s.Accept(ctx, user, c.ids, meta)
				ae, ok := apperr.As(err)
				if !ok || ae.Code != c.code || ae.Key != c.key {
					t.Fatalf("got %v, want %s %s", err, c.code, c.key)
				}
				if !i18n.Has(c.key) {
					t.Errorf("message %q is not translated", c.key)
				}
				if n := countAcceptances(t, d, user); n != before {
					t.Fatalf("a refused acceptance wrote rows: %d, want %d", n, before)
				}
			})
		}
		// A mix of a current and a replaced document writes nothing at all.
		_, privacy, _ := e.s.Current(ctx)
		if err := e.s.Accept(ctx, user, []int64{privacy.ID, agreementV1.ID}, meta); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("mixed: %v", err)
		}
		if n := countAcceptances(t, d, user); n != before {
			t.Fatalf("a refused mixed acceptance wrote rows: %d, want %d", n, before)
		}
	})
}

// The registration transaction cannot record an acceptance of a text that
// was not published, nor seal with someone else's key.
func TestRecordAcceptanceChecks(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		agreement, _, _ := e.s.Current(ctx)
		forged := *agreement
		forged.Hash = strings.Repeat("0", 64)
		id, other := db.NewID(), db.NewID()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for _, u := range []int64{id, other} {
				if _, err := tx.Exec(ctx, `INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)`, u, db.Now(), db.Now()); err != nil {
					return err
				}
			}
			key, err := e.v.NewUserKey(ctx, tx, id)
			if err != nil {
				return err
			}
			otherKey, err := e.v.NewUserKey(ctx, tx, other)
			if err != nil {
				return err
			}
			if err := e.s.RecordAcceptance(ctx, tx, key, id, []*consent.Document{&forged}, consent.MethodRegistration, meta); err == nil {
				t.Error("an acceptance of a text with a wrong hash was recorded")
			}
			if err := e.s.RecordAcceptance(ctx, tx, otherKey, id, []*consent.Document{agreement}, consent.MethodRegistration, meta); !errors.Is(err, consent.ErrWrongKey) {
				t.Errorf("another user's key: got %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := countAcceptances(t, d, id); n != 0 {
			t.Fatalf("%d acceptances written", n)
		}
	})
}

func TestDiff(t *testing.T) {
	cases := []struct {
		name     string
		old, new string
		want     []consent.DiffLine
	}{
		{
			name: "changed paragraph",
			old:  "1. Title\n\n1.1. Old rule,\nsecond line.\n\n1.2. Kept.",
			new:  "1. Title\n\n1.1. New rule,\nsecond line.\n\n1.2. Kept.",
			want: []consent.DiffLine{
				{'=', "1. Title"},
				{'-', "1.1. Old rule,\nsecond line."},
				{'+', "1.1. New rule,\nsecond line."},
				{'=', "1.2. Kept."},
			},
		},
		{
			name: "added and removed",
			old:  "A\n\nB\n\nC",
			new:  "A\n\nC\n\nD",
			want: []consent.DiffLine{{'=', "A"}, {'-', "B"}, {'=', "C"}, {'+', "D"}},
		},
		{
			name: "line endings and blank lines do not count",
			old:  "A\r\n\r\n\r\nB\r\n",
			new:  "A\n\nB",
			want: []consent.DiffLine{{'=', "A"}, {'=', "B"}},
		},
		{
			name: "repeated paragraph",
			old:  "X\n\nY\n\nX",
			new:  "X\n\nX",
			want: []consent.DiffLine{{'=', "X"}, {'-', "Y"}, {'=', "X"}},
		},
		{
			name: "from nothing",
			old:  "",
			new:  "Жаңа мәтін",
			want: []consent.DiffLine{{'+', "Жаңа мәтін"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := consent.Diff(c.old, c.new); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %q\nwant %q", got, c.want)
			}
		})
	}
}

// The Kazakh texts must use Kazakh letters: no Latin look-alikes (i, ə, o,
// a, e, ...) typed inside Cyrillic words by a keyboard without them.
func TestKazakhTextsUseKazakhLetters(t *testing.T) {
	word := regexp.MustCompile(`\p{L}+`)
	check := func(name, text string) {
		for _, w := range word.FindAllString(text, -1) {
			var cyr, lat bool
			for _, r := range w {
				cyr = cyr || unicode.Is(unicode.Cyrillic, r)
				lat = lat || unicode.Is(unicode.Latin, r)
			}
			if cyr && lat {
				t.Errorf("%s: word %q mixes Latin and Cyrillic letters", name, w)
			}
		}
		for _, bad := range []string{"ə", "Ə", "ɵ", "Ɵ"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s: look-alike %q", name, bad)
			}
		}
	}
	for _, kind := range consent.Kinds {
		text, err := consent.SeedText(kind, i18n.KK)
		if err != nil {
			t.Fatal(err)
		}
		check(string(kind)+".kk.txt", text)
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		agreement, privacy, err := setup(t, d).s.Current(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		check("agreement title", agreement.TitleIn(i18n.KK))
		check("privacy title", privacy.TitleIn(i18n.KK))
	})
}

// The translations carry every clause of the original, with the same
// numbers (clause 1.1 … 3.4), and the policy has the same sections in
// every language.
func TestTranslationsKeepNumbering(t *testing.T) {
	num := regexp.MustCompile(`(?m)^(\d+\.(?:\d+\.)?) `)
	for _, kind := range consent.Kinds {
		var want []string
		for _, l := range i18n.Langs {
			text, err := consent.SeedText(kind, l)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range num.FindAllStringSubmatch(text, -1) {
				got = append(got, m[1])
			}
			if l == i18n.KK {
				want = got
				if kind == consent.KindAgreement && (len(got) == 0 || got[len(got)-1] != "3.4.") {
					t.Fatalf("the original agreement should end with clause 3.4, numbering found: %v", got)
				}
				continue
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s.%s.txt numbering %v, want %v", kind, l, got, want)
			}
		}
	}
}

// A publication and its audit entry commit together (issue 8 §2): when the
// entry cannot be written, no new version is in force.
func TestPublishIsAudited(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		log := audit.New(d, e.v)
		if _, err := log.Append(ctx, audit.Entry{Action: audit.ActionAdminCreate}); err != nil {
			t.Fatal(err)
		}
		// A head whose MAC does not match makes every append fail.
		if _, err := d.Exec(ctx, `UPDATE audit_head SET mac = ?`, []byte("broken")); err != nil {
			t.Fatal(err)
		}
		before := countDocs(t, d)
		title, body := texts(" v2")
		if _, err := e.s.Publish(ctx, consent.KindAgreement, title, body, 5, 6); !errors.Is(err, audit.ErrHeadTampered) {
			t.Fatalf("publication without its audit entry: %v", err)
		}
		if countDocs(t, d) != before {
			t.Fatal("a version was published without an audit entry")
		}

		// With a working log the version and its entry are there together.
		d2 := dbtest.Open(t, d.Engine())
		e2 := setup(t, d2)
		doc, err := e2.s.Publish(ctx, consent.KindAgreement, title, body, 5, 6)
		if err != nil {
			t.Fatal(err)
		}
		list, err := audit.New(d2, e2.v).List(ctx, 0, 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("audit entries: %+v %v", list, err)
		}
		got := list[0]
		if got.Action != audit.ActionPublishDocument || got.ActorID != 5 || got.ActorSessionID != 6 || !strings.Contains(got.Detail, doc.Hash) {
			t.Errorf("audit entry %+v for %s v%d", got, doc.Kind, doc.Version)
		}
	})
}
