package datamap

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// TestEveryColumnDeclared migrates a fresh database of each engine, lists
// every table and column and fails for a column no declaration covers and
// for a declaration naming a column that does not exist (clause P.1: the
// data map cannot drift from the schema).
func TestEveryColumnDeclared(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		live, err := Live(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		if len(live) < 100 {
			t.Fatalf("only %d columns listed: the schema query is broken", len(live))
		}
		declared := map[string]bool{}
		for _, c := range All() {
			if e, ok := EngineOnly[c.Table.Name]; ok && e != string(d.Engine()) {
				continue
			}
			declared[c.Table.Name+"."+c.Name] = true
		}
		seen := map[string]bool{}
		for _, c := range live {
			k := c.Table + "." + c.Column
			seen[k] = true
			if !declared[k] {
				t.Errorf("column %s (%s) exists in the %s schema but has no declaration: add a Column line for it to its table in internal/datamap/tables.go (category, personal, protection, retention, readers)", k, c.Type, d.Engine())
			}
		}
		for k := range declared {
			if !seen[k] {
				t.Errorf("internal/datamap declares %s, but the %s schema has no such column: remove or rename the declaration", k, d.Engine())
			}
		}
	})
}

// TestConfidentialColumnsSealed checks that every column declared
// confidential (Sealed) really holds vault ciphertexts (clause 1.3): its
// type is binary on both engines, and the code seals into its table
// through a vault.Field naming that table (the associated data binds each
// ciphertext to table, column and row). Conversely a column named *_enc
// must be declared Sealed, and a binary column must be Sealed or Hashed
// (or public, like a certificate's signature),
// so nothing encrypted is shown as plain and nothing plain as encrypted.
func TestConfidentialColumnsSealed(t *testing.T) {
	sealedTables := sealingTables(t)
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		live, err := Live(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		types := map[string]string{}
		for _, c := range live {
			types[c.Table+"."+c.Column] = strings.ToLower(c.Type)
		}
		binary := func(typ string) bool { return typ == "blob" || typ == "bytea" }
		for _, c := range All() {
			k := c.Table.Name + "." + c.Name
			typ, ok := types[k]
			if !ok {
				continue // TestEveryColumnDeclared reports it
			}
			switch {
			case c.Confidential() && !binary(typ):
				t.Errorf("%s is declared confidential (sealed) but its %s type is %s, not a binary ciphertext column", k, d.Engine(), typ)
			case c.Confidential() && !sealedTables[c.Table.Name]:
				t.Errorf("%s is declared confidential (sealed) but no code seals into table %s (no vault.Field{Table: %q ...} outside tests)", k, c.Table.Name, c.Table.Name)
			case strings.HasSuffix(c.Name, "_enc") && !c.Confidential():
				t.Errorf("%s is named like a vault column (*_enc) but declared %s", k, c.Protection)
			case binary(typ) && c.Protection == Plain && c.Readers&Public == 0:
				t.Errorf("%s is a binary column declared plain: declare it Sealed (vault) or Hashed", k)
			}
		}
	})
}

// sealingTables reads the repository's Go source (tests left out) and
// returns the tables named in a vault.Field literal: the tables the vault
// seals into.
func sealingTables(t *testing.T) map[string]bool {
	t.Helper()
	root := filepath.Join("..", "..")
	re := regexp.MustCompile(`vault\.Field\{Table:\s*"([a-z_0-9]+)"`)
	out := map[string]bool{}
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range re.FindAllSubmatch(b, -1) {
				out[string(m[1])] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 5 {
		t.Fatalf("found only %d sealing tables: the source scan is broken", len(out))
	}
	return out
}

// TestDeclarationsWellFormed: each column declared once, every table has
// its texts in the three languages, every column has a category of the
// list, a retention and at least one reader, and no hashed column is
// declared public.
func TestDeclarationsWellFormed(t *testing.T) {
	cats := map[Category]bool{}
	for _, c := range Categories {
		cats[c] = true
	}
	seen := map[string]bool{}
	for _, tb := range Tables {
		for _, s := range []T{tb.What, tb.Why} {
			if s.KK == "" || s.RU == "" || s.EN == "" {
				t.Errorf("table %s: a text is missing a language", tb.Name)
			}
		}
		for _, c := range tb.Columns {
			k := tb.Name + "." + c.Name
			if seen[k] {
				t.Errorf("%s declared twice", k)
			}
			seen[k] = true
			if !cats[c.Category] {
				t.Errorf("%s: unknown category %q", k, c.Category)
			}
			if c.Retention.Kind == "" || c.Readers == 0 || c.Protection == "" {
				t.Errorf("%s: retention, readers or protection missing", k)
			}
			if (c.Retention.Kind == DaysKind || c.Retention.Kind == LawKind) && c.Retention.N <= 0 {
				t.Errorf("%s: a retention in days or years needs N", k)
			}
			// Public and sealed go together (what a person chose to show is
			// opened with their key for the public pages, and unreadable
			// once the key is destroyed); public and hashed do not: a hash
			// shows nothing.
			if c.Readers&Public != 0 && c.Protection == Hashed {
				t.Errorf("%s: a hashed column cannot be public", k)
			}
		}
	}
}
