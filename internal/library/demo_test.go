package library_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
)

// Every demo material is one a teacher could have published through the
// form: it passes the same validation, its file names are accepted, and
// together the demo materials cover every subject, grade, type, teaching
// language and kind of file the demo makes.
func TestDemoMaterialSpecs(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, library.Options{})
		ctx := context.Background()
		tax, err := e.lib.Taxonomy(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for n := 1; n <= 3000; n++ {
			sp := library.DemoMaterial(n)
			in := library.Input{Title: sp.Title, Description: sp.Description, Subject: sp.Subject, Grade: sp.Grade,
				Type: sp.Type, Language: sp.Language, Tags: strings.Join(sp.Tags, ", "), AuthorDeclaration: true}
			if err := e.lib.Check(ctx, in, len(sp.Files)); err != nil {
				t.Fatalf("demo material %d (%q) does not pass the publishing form: %v", n, sp.Title, err)
			}
			if again := library.DemoMaterial(n); again.Title != sp.Title || again.Description != sp.Description || again.Views != sp.Views {
				t.Fatalf("demo material %d differs between two calls", n)
			}
			if len(sp.Files) < 1 || len(sp.Files) > 2 {
				t.Fatalf("demo material %d has %d files, want 1 or 2", n, len(sp.Files))
			}
			for _, f := range sp.Files {
				name, err := library.CleanFileName(f.Name)
				if err != nil || name != f.Name || !strings.HasSuffix(f.Name, "."+f.Kind) {
					t.Fatalf("demo material %d: file name %q is refused or lacks .%s (%v)", n, f.Name, f.Kind, err)
				}
				seen["kind:"+f.Kind] = true
			}
			if sp.Downloads > sp.Views || sp.Views < 0 || sp.Age < 0 {
				t.Fatalf("demo material %d: %d views, %d downloads, age %s", n, sp.Views, sp.Downloads, sp.Age)
			}
			if sp.Language == "kk" && !strings.ContainsAny(sp.Title+sp.Description, "әғқңөұүһі") {
				t.Fatalf("demo material %d is in Kazakh without a Kazakh letter: %q", n, sp.Title)
			}
			seen["subject:"+sp.Subject] = true
			seen["grade:"+sp.Grade] = true
			seen["type:"+sp.Type] = true
			seen["language:"+sp.Language] = true
		}
		var want []string
		for _, s := range tax.Subjects {
			want = append(want, "subject:"+s.Code)
		}
		for _, g := range tax.Grades {
			want = append(want, "grade:"+g.Code)
		}
		for _, ty := range tax.Types {
			want = append(want, "type:"+ty.Code)
		}
		for _, l := range library.Languages {
			want = append(want, "language:"+l)
		}
		for _, k := range []string{"docx", "pptx", "xlsx", "odt", "odp", "rtf", "txt", "pdf"} {
			want = append(want, "kind:"+k)
		}
		for _, w := range want {
			if !seen[w] {
				t.Errorf("3,000 demo materials have no %s", w)
			}
		}
	})
}

// kkGenitive inflects a Kazakh noun into the genitive case (-ның/-нің,
// -дың/-дің, -тың/-тің by vowel harmony and the last sound), a form the
// titles never use.
func kkGenitive(w string) string {
	w = strings.ToLower(w)
	r := []rune(w)
	back := true
	for i := len(r) - 1; i >= 0; i-- {
		if strings.ContainsRune("аоұыяу", r[i]) {
			break
		}
		if strings.ContainsRune("әөүіеиэ", r[i]) {
			back = false
			break
		}
	}
	last := r[len(r)-1]
	c := "т"
	switch {
	case strings.ContainsRune("аәеиоөұүыіэюя", last), strings.ContainsRune("мнң", last):
		c = "н"
	case strings.ContainsRune("жзлрйу", last):
		c = "д"
	}
	if back {
		return w + c + "ың"
	}
	return w + c + "ің"
}

// topicWord is the longest all-Cyrillic word of a topic.
func topicWord(topic string) string {
	best := ""
	for _, w := range strings.FieldsFunc(topic, func(r rune) bool { return !unicode.IsLetter(r) }) {
		cyr := true
		for _, r := range w {
			cyr = cyr && unicode.Is(unicode.Cyrillic, r)
		}
		if cyr && len([]rune(w)) > len([]rune(best)) {
			best = w
		}
	}
	return best
}

// `demo --materials` as the library makes it: published materials by the
// demo teachers, 20 to a catalog page, found by a Kazakh word form and by a
// word that is only inside their files, each file stored once and
// readable; a second run continues the numbering.
func TestCreateDemoMaterials(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, library.Options{})
		ctx := context.Background()
		var authors []int64
		for range 20 {
			authors = append(authors, e.user("user"))
		}
		var progress []int
		n, err := e.lib.CreateDemoMaterials(ctx, 60, library.DemoOptions{Authors: authors, Progress: func(done int) { progress = append(progress, done) }})
		if err != nil || n != 60 {
			t.Fatalf("CreateDemoMaterials = %d, %v", n, err)
		}
		if !slices.Equal(progress, []int{60}) {
			t.Errorf("progress %v, want [60]", progress)
		}
		if got := e.rows("materials"); got != 60 {
			t.Fatalf("%d materials, want 60", got)
		}
		if got := e.rows("material_search"); got != 60 {
			t.Errorf("%d search rows, want 60", got)
		}

		// The catalog: three full pages of 20, newest first, then the end.
		var ids []int64
		var after library.Cursor
		for page := 1; page <= 3; page++ {
			p, err := e.lib.List(ctx, library.Filter{}, after, 20)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) != 20 {
				t.Fatalf("page %d lists %d materials, want 20", page, len(p.Items))
			}
			for i, c := range p.Items {
				ids = append(ids, c.ID)
				if !slices.Contains(authors, c.AuthorID) {
					t.Errorf("material %d is not by a demo teacher", c.ID)
				}
				if i > 0 && c.PublishedAt.After(p.Items[i-1].PublishedAt) {
					t.Errorf("page %d is not newest first", page)
				}
			}
			after = p.Next
		}
		if !after.IsZero() {
			// The catalog looks one item ahead: the full last page has no next.
			t.Errorf("the third and last page links to a fourth")
		}
		slices.Sort(ids)
		if len(slices.Compact(ids)) != 60 {
			t.Errorf("three pages list %d distinct materials, want 60", len(slices.Compact(ids)))
		}

		// A Kazakh word form of a topic finds the material on that topic.
		found := false
		for i := 1; i <= 60 && !found; i++ {
			sp := library.DemoMaterial(i)
			w := topicWord(sp.Topic)
			if sp.Language != "kk" || len([]rune(w)) < 5 || !strings.ContainsAny(w, "әғқңөұүһі") {
				continue
			}
			q := kkGenitive(w)
			var titles []string
			for after := (library.Cursor{}); ; {
				p, err := e.lib.List(ctx, library.Filter{Q: q}, after, 20)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range p.Items {
					titles = append(titles, c.Title)
				}
				if after = p.Next; after.IsZero() {
					break
				}
			}
			if !slices.Contains(titles, sp.Title) {
				t.Errorf("searching %q (a form of %q) does not find demo material %d %q", q, w, i, sp.Title)
			}
			found = true
		}
		if !found {
			t.Fatal("none of 60 demo materials is in Kazakh on a topic with a Kazakh word")
		}

		// A word only inside the Kazakh lesson plans (never in a title or a
		// description, nor in a worksheet or a criteria table) finds the
		// Kazakh materials that have a lesson plan.
		p, err := e.lib.List(ctx, library.Filter{Q: "ынтымақтастығы"}, library.Cursor{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for i := 1; i <= 60; i++ {
			sp := library.DemoMaterial(i)
			for _, f := range sp.Files {
				if sp.Language == "kk" && f.Kind != "pdf" && f.Kind != "xlsx" {
					want++
					break
				}
			}
		}
		if len(p.Items) != want || want == 0 {
			t.Errorf("a word inside the Kazakh lesson files finds %d materials, want %d", len(p.Items), want)
		}

		// Each distinct file is stored once, and every file opens.
		var distinct int
		if err := d.QueryRow(ctx, `SELECT COUNT(DISTINCT sha256) FROM material_files`).Scan(&distinct); err != nil {
			t.Fatal(err)
		}
		if got := e.blobs(); got != distinct || e.rows("material_files") <= distinct {
			t.Errorf("%d blobs for %d distinct files in %d file rows", got, distinct, e.rows("material_files"))
		}
		for _, id := range ids[:5] {
			m, err := e.lib.Get(ctx, id, library.Viewer{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range m.Files {
				rc, err := e.lib.OpenFile(ctx, &f)
				if err != nil {
					t.Fatalf("file %s of material %d does not open: %v", f.Name, id, err)
				}
				rc.Close()
			}
			if m.Preview() == "" && m.Files[0].Kind != "pdf" {
				t.Errorf("material %d has no preview text", id)
			}
		}

		// A second run continues: materials 61…65.
		if n, err := e.lib.CreateDemoMaterials(ctx, 5, library.DemoOptions{Authors: authors}); err != nil || n != 5 {
			t.Fatalf("second run = %d, %v", n, err)
		}
		var titles []string
		rows, err := d.Query(ctx, `SELECT title FROM materials`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			titles = append(titles, s)
		}
		rows.Close()
		for i := 61; i <= 65; i++ {
			if !slices.Contains(titles, library.DemoMaterial(i).Title) {
				t.Errorf("the second run did not add demo material %d", i)
			}
		}
		if _, err := e.lib.CreateDemoMaterials(ctx, 1, library.DemoOptions{}); err == nil {
			t.Error("demo materials without authors were accepted")
		}
	})
}
