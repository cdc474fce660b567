package library_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
)

type upload struct {
	name string
	body []byte
}

// validInput is a form that passes.
func validInput() library.Input {
	return library.Input{
		Title: "Алгебра: сабақ жоспары", Description: "**Мақсаты**: теңдеулерді шешу.",
		Subject: "algebra", Grade: "7", Type: "short-term-plan", Language: "kk",
		Tags: "теңдеу, 7-сынып", AuthorDeclaration: true,
	}
}

// publish does what the upload handler does: stream each file into an
// upload, then publish; the first refusal stops it.
func (e *env) publish(author int64, in library.Input, files ...upload) (*library.Material, error) {
	ctx := context.Background()
	up := e.lib.NewUpload()
	defer up.Discard(ctx)
	for _, f := range files {
		if err := up.Add(ctx, f.name, bytes.NewReader(f.body)); err != nil {
			return nil, err
		}
	}
	return e.lib.Publish(ctx, author, in, up, library.Meta{IP: "10.1.2.3", UserAgent: "Firefox"})
}

// fieldKey is the field and message key of a refusal ("" when err is not one).
func fieldKey(err error) (string, string) {
	var fs apperr.Fields
	if errors.As(err, &fs) && len(fs) > 0 {
		return fs[0].Field, fs[0].Key
	}
	if e, ok := apperr.As(err); ok {
		return e.Field, e.Key
	}
	return "", ""
}

// Every refused input gets a field and a translated message, and writes
// nothing: no row in any library table, no file in storage (issue 3 §8).
func TestPublishRefusals(t *testing.T) {
	t.Parallel()
	good := upload{"жоспар.pdf", pdf(t, "Algebra lesson plan")}
	with := func(f func(*library.Input)) library.Input { in := validInput(); f(&in); return in }
	cases := []struct {
		name       string
		in         library.Input
		files      []upload
		field, key string
	}{
		{"shell script named .pdf", validInput(), []upload{{"plan.pdf", []byte("#!/bin/sh\nrm -rf /\n")}}, "files", "library.files.type"},
		{"Windows program named .docx", validInput(), []upload{{"plan.docx", append([]byte("MZ\x90\x00"), make([]byte, 4096)...)}}, "files", "library.files.type"},
		{"web page", validInput(), []upload{{"plan.txt", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")}}, "files", "library.files.type"},
		{"empty file", validInput(), []upload{{"plan.pdf", nil}}, "files", "library.files.empty"},
		{"oversized", validInput(), []upload{{"big.pdf", append(pdf(t, "big"), bytes.Repeat([]byte("%"), 300<<10)...)}}, "files", "library.files.too_large"},
		{"zip bomb", validInput(), []upload{{"bomb.docx", bombDocx(t)}}, "files", "library.files.bomb"},
		{"path-like name", validInput(), []upload{{"../../etc/passwd.pdf", good.body}}, "files", "library.files.name"},
		{"Windows path", validInput(), []upload{{`C:\Users\Асель\plan.pdf`, good.body}}, "files", "library.files.name"},
		{"hidden name", validInput(), []upload{{".htaccess", good.body}}, "files", "library.files.name"},
		{"control character in name", validInput(), []upload{{"plan\x00.pdf", good.body}}, "files", "library.files.name"},
		{"good file then a bad one", validInput(), []upload{good, {"x.pdf", []byte("MZ")}}, "files", "library.files.type"},
		{"no files", validInput(), nil, "files", "library.files.required"},
		{"missing title", with(func(in *library.Input) { in.Title = "  " }), []upload{good}, "title", "library.title.length"},
		{"title too long", with(func(in *library.Input) { in.Title = strings.Repeat("ә", 201) }), []upload{good}, "title", "library.title.length"},
		{"description too long", with(func(in *library.Input) { in.Description = strings.Repeat("a", 20001) }), []upload{good}, "description", "library.description.length"},
		{"missing subject", with(func(in *library.Input) { in.Subject = "" }), []upload{good}, "subject", "library.subject.invalid"},
		{"bad grade", with(func(in *library.Input) { in.Grade = "12" }), []upload{good}, "grade", "library.grade.invalid"},
		{"bad type", with(func(in *library.Input) { in.Type = "../admin" }), []upload{good}, "type", "library.type.invalid"},
		{"bad language", with(func(in *library.Input) { in.Language = "de" }), []upload{good}, "language", "library.language.invalid"},
		{"eleven tags", with(func(in *library.Input) { in.Tags = "a,b,c,d,e,f,g,h,i,j,k" }), []upload{good}, "tags", "library.tags.too_many"},
		{"long tag", with(func(in *library.Input) { in.Tags = strings.Repeat("т", 41) }), []upload{good}, "tags", "library.tags.too_long"},
		{"declaration not ticked", with(func(in *library.Input) { in.AuthorDeclaration = false }), []upload{good}, "author_declaration", "library.declaration.required"},
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, library.Options{MaxFileSize: 256 << 10})
		author := e.user("user")
		for _, c := range cases {
			_, err := e.publish(author, c.in, c.files...)
			field, key := fieldKey(err)
			if field != c.field || key != c.key {
				t.Errorf("%s: got %q %q (%v), want %q %q", c.name, field, key, err, c.field, c.key)
				continue
			}
			if !i18n.Has(key) || i18n.T(i18n.RU, key) == key {
				t.Errorf("%s: message %s is not translated", c.name, key)
			}
			for _, tbl := range []string{"materials", "material_files", "material_search", "file_events"} {
				if n := e.rows(tbl); n != 0 {
					t.Errorf("%s: %d rows left in %s", c.name, n, tbl)
				}
			}
			if n := e.blobs(); n != 0 {
				t.Errorf("%s: %d files left in storage", c.name, n)
			}
		}
	})
}

// A verified author's material waits for a moderator; an unverified one
// cannot publish at all.
func TestPublishNeedsVerifiedAuthor(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, library.Options{})
		author := e.user("user")
		if _, err := d.Exec(context.Background(), `UPDATE users SET email_verified_at = 0 WHERE id = ?`, author); err != nil {
			t.Fatal(err)
		}
		_, err := e.publish(author, validInput(), upload{"a.pdf", pdf(t, "x")})
		if _, key := fieldKey(err); key != "library.author.unverified" || apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("unverified author: %v", err)
		}
		if e.rows("materials") != 0 || e.blobs() != 0 {
			t.Fatalf("an unverified author's upload left %d rows, %d files", e.rows("materials"), e.blobs())
		}
	})
}
