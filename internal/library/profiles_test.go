package library_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
)

// Public profiles (clause 1.4): nothing is public until chosen; what is
// chosen shows on the author page and the catalog cards; a withdrawn
// field is gone at once; every choice is an appended consent record
// naming the fields, not their values; refusals change nothing.
func TestPublicProfile(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author, quiet := e.user("user"), e.user("user")
		m := e.published(author, "Физика: зертханалық жұмыс")

		// Nothing is public by default.
		p, err := e.lib.PublicProfile(ctx, author)
		if err != nil || !p.Empty() || p.DisplayName() != "" {
			t.Fatalf("fresh profile: empty=%v err=%v", p.Empty(), err)
		}
		page, err := e.lib.Author(ctx, author)
		if err != nil || len(page.Materials) != 1 || page.Materials[0].ID != m.ID || page.Materials[0].AuthorName != "" {
			t.Fatalf("author page of a fresh author: %v", err)
		}
		if _, err := e.lib.Author(ctx, quiet); codeOf(err) != apperr.NotFound {
			t.Errorf("a user with nothing public has a page: %v", err)
		}
		if cards := catalogCards(t, e); cards[m.ID] != "" {
			t.Errorf("the catalog shows a name nobody chose to publish")
		}

		// Choose a name and a school.
		const name, school = "Әсел Тестқызы", "№12 мектеп-гимназия"
		if err := e.lib.SavePublicProfile(ctx, author, 77, map[string]string{
			library.ProfileDisplayName: "  Әсел   Тестқызы ", library.ProfileSchool: school}); err != nil {
			t.Fatal(err)
		}
		p, _ = e.lib.PublicProfile(ctx, author)
		if p.DisplayName() != name || p.Fields[library.ProfileSchool] != school || p.Has(library.ProfileRegion) || len(p.Fields) != 2 {
			t.Errorf("after choosing name and school: %d fields, name ok %v", len(p.Fields), p.DisplayName() == name)
		}
		if cards := catalogCards(t, e); cards[m.ID] != name {
			t.Errorf("the catalog card does not show the chosen name")
		}
		if page, _ := e.lib.Author(ctx, author); page.Profile.DisplayName() != name {
			t.Errorf("the author page does not show the chosen name")
		}

		// Withdraw the school: gone at once.
		if err := e.lib.SavePublicProfile(ctx, author, 78, map[string]string{library.ProfileDisplayName: name}); err != nil {
			t.Fatal(err)
		}
		if p, _ = e.lib.PublicProfile(ctx, author); p.Has(library.ProfileSchool) {
			t.Errorf("the withdrawn school is still public")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_profiles WHERE user_id = ? AND field = ?`, author, library.ProfileSchool); n != 0 {
			t.Errorf("the withdrawn school's text is still stored")
		}

		// Refusals change nothing and record no consent.
		for _, bad := range []map[string]string{
			{library.ProfileDisplayName: "   "},
			{library.ProfileAbout: repeat("ә", library.ProfileMax[library.ProfileAbout]+1)},
			{"email": "x@y.test"},
		} {
			if err := e.lib.SavePublicProfile(ctx, author, 79, bad); err == nil {
				t.Errorf("a bad choice was saved")
			}
		}
		if p, _ = e.lib.PublicProfile(ctx, author); p.DisplayName() != name || len(p.Fields) != 1 {
			t.Errorf("a refused save changed the profile")
		}

		// Hide everything.
		if err := e.lib.SavePublicProfile(ctx, author, 80, nil); err != nil {
			t.Fatal(err)
		}
		if p, _ = e.lib.PublicProfile(ctx, author); !p.Empty() {
			t.Errorf("hiding everything left %d fields", len(p.Fields))
		}

		cs, err := e.lib.PublicationConsents(ctx, author)
		if err != nil {
			t.Fatal(err)
		}
		var got [][]string
		var sessions []int64
		for _, c := range cs {
			got = append(got, c.Fields)
			sessions = append(sessions, c.SessionID)
		}
		want := [][]string{{"display_name", "school"}, {"display_name"}, {}}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(sessions, []int64{77, 78, 80}) {
			t.Errorf("consents: %v from sessions %v, want %v from 77 78 80", got, sessions, want)
		}

		// A deleted account shows nothing, even before its rows are erased.
		if err := e.lib.SavePublicProfile(ctx, author, 81, map[string]string{library.ProfileDisplayName: name}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE users SET status = 'deleted' WHERE id = ?`, author); err != nil {
			t.Fatal(err)
		}
		if p, _ = e.lib.PublicProfile(ctx, author); !p.Empty() {
			t.Errorf("a deleted account's profile is public")
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return library.EraseUser(ctx, tx, author) }); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_profiles WHERE user_id = ?`, author); n != 0 {
			t.Errorf("erase left %d rows", n)
		}
	})
}

// catalogCards maps each material in the first catalog page to the
// author name its card shows.
func catalogCards(t *testing.T, e *env) map[int64]string {
	t.Helper()
	page, err := e.lib.List(context.Background(), library.Filter{}, library.Cursor{}, 20)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for _, c := range page.Items {
		out[c.ID] = c.AuthorName
	}
	return out
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

// What a teacher chose to show is public on the pages and sealed where it
// is kept (clause 1.4, clause 2.1): the stored row holds no plain text, the
// ciphertext is bound to its field, and rows kept in plain text before
// migration 0029 are sealed by SealLeftovers (once: a second run
// finds none); a deleted user's old plain row is emptied, not sealed.
func TestPublicProfileSealed(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author := e.user("user")
		const name, school = "Мөрленген Есім Сейітқызы", "Мөрленген мектеп №5"
		if err := e.lib.SavePublicProfile(ctx, author, 1, map[string]string{library.ProfileDisplayName: name, library.ProfileSchool: school}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_profiles WHERE user_id = ? AND value = '' AND value_enc IS NOT NULL`, author); n != 2 {
			t.Fatalf("%d of the 2 chosen fields are stored sealed with no plain text", n)
		}
		var sealedName []byte
		if err := d.QueryRow(ctx, `SELECT value_enc FROM public_profiles WHERE user_id = ? AND field = ?`, author, library.ProfileDisplayName).Scan(&sealedName); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(sealedName), "Мөрленген") {
			t.Fatal("the sealed name holds its plain text")
		}
		// The name's ciphertext put in the school's place does not open.
		if _, err := d.Exec(ctx, `UPDATE public_profiles SET value_enc = ? WHERE user_id = ? AND field = ?`, sealedName, author, library.ProfileSchool); err != nil {
			t.Fatal(err)
		}
		if _, err := e.lib.PublicProfile(ctx, author); err == nil {
			t.Error("a ciphertext moved to another field opened")
		}

		// Rows from before migration 0029: plain text, no ciphertext.
		legacy, gone := e.user("user"), e.user("user")
		for _, r := range []struct {
			user         int64
			field, value string
		}{{legacy, library.ProfileDisplayName, "Ескі Жазба Әміржанқызы"}, {legacy, library.ProfileRegion, "Ескі облыс"}, {gone, library.ProfileDisplayName, "Жойылған Ескі Есім"}} {
			if _, err := d.Exec(ctx, `INSERT INTO public_profiles (user_id, field, value, updated_at) VALUES (?, ?, ?, 1)`, r.user, r.field, r.value); err != nil {
				t.Fatal(err)
			}
		}
		if names, err := e.lib.DisplayNames(ctx, []int64{legacy}); err != nil || names[legacy] != "Ескі Жазба Әміржанқызы" {
			t.Fatalf("an unsealed old row does not read before the upgrade: %v", err)
		}
		if err := e.v.Shred(ctx, d, gone); err != nil {
			t.Fatal(err)
		}
		n, err := library.SealLeftovers(ctx, d, e.v)
		if err != nil || n != 3 {
			t.Fatalf("sealed %d old values (%v), want 3", n, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_profiles WHERE value <> ''`); n != 0 {
			t.Errorf("%d values left in plain text", n)
		}
		p, err := e.lib.PublicProfile(ctx, legacy)
		if err != nil || p.DisplayName() != "Ескі Жазба Әміржанқызы" || p.Fields[library.ProfileRegion] != "Ескі облыс" {
			t.Errorf("the sealed old profile does not read as before: %v", err)
		}
		if names, err := e.lib.DisplayNames(ctx, []int64{legacy, gone}); err != nil || names[legacy] != "Ескі Жазба Әміржанқызы" || names[gone] != "" {
			t.Errorf("display names after sealing: %d, %v", len(names), err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_profiles WHERE user_id = ? AND value_enc IS NOT NULL`, gone); n != 0 {
			t.Errorf("a keyless user's old value was sealed (%d)", n)
		}
		if n, err := library.SealLeftovers(ctx, d, e.v); err != nil || n != 0 {
			t.Errorf("a second run sealed %d (%v), want none", n, err)
		}
	})
}
