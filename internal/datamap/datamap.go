// Package datamap declares every stored column once: its data category,
// whether it is personal, how it is protected (sealed by the vault,
// one-way hashed, or plain), its purpose, how long it is kept and who may
// read it (clause P.1: know, for every piece of stored data, whether it is
// personal, confidential or public; clause 1.3: confidential means
// encrypted and readable only by the administration). /privacy/data-map
// and /admin/data-map are generated from Tables, and TestEveryColumnDeclared
// fails on both engines when a column of a migrated database has no entry
// here, or an entry names a column that does not exist, so the map cannot
// drift from the schema.
//
// To declare a new column: find its table in tables.go (or add a Table
// with What and Why in kk/ru/en), and add one Column line.
package datamap

import "github.com/smartustaz/smartustaz/internal/i18n"

// Category is the kind of data a column holds.
type Category string

// The categories, in the order the public page shows them.
const (
	Identity    Category = "identity"    // who the person is: name, school, position
	Contact     Category = "contact"     // how to reach them: email, phone
	Technical   Category = "technical"   // IP address, browser, files uploaded and downloaded
	Content     Category = "content"     // what people write and publish
	Preferences Category = "preferences" // ratings, favourites, follows, digest choice
	Consent     Category = "consent"     // acceptances and publication choices
	Security    Category = "security"    // password hashes, tokens, keys, the audit log
	Operational Category = "operational" // ids, times, statuses, counters, settings
)

// Categories lists every category in display order.
var Categories = []Category{Identity, Contact, Technical, Content, Preferences, Consent, Security, Operational}

// Protection says how a column is stored.
type Protection string

const (
	// Sealed columns hold vault ciphertexts (AES-256-GCM under the owner's
	// data key, bound to table, column and row): confidential (clause 1.3).
	Sealed Protection = "sealed"
	// Hashed columns hold one-way values: argon2id password hashes,
	// SHA-256 of random tokens, HMAC blind indexes, wrapped keys, audit
	// chain hashes. Nothing can be read back from them.
	Hashed Protection = "hashed"
	// Plain columns hold their value as it is: public or operational data.
	Plain Protection = "plain"
)

// Reader is a set of who may read a column.
type Reader uint8

const (
	Owner     Reader = 1 << iota // the person the data is about (their account pages, their export)
	Admin                        // administrators; a sealed value only through the audited reveal
	Moderator                    // moderators, for the moderation of materials and comments
	Public                       // anyone, on the public pages
	System                       // only the software itself (hashes, keys, bookkeeping)
)

// Readers lists the readers in display order.
var Readers = []Reader{Owner, Admin, Moderator, Public, System}

// RetentionKind is how long a column's value is kept.
type RetentionKind string

const (
	WhileAccountKind RetentionKind = "account"   // until the account is deleted (then erased or crypto-shredded)
	UntilDeletedKind RetentionKind = "deleted"   // until its author or an administrator deletes it, or the account goes
	DaysKind         RetentionKind = "days"      // N days, then removed by a job
	UntilUsedKind    RetentionKind = "used"      // until used or expired, then removed by the janitor
	LawKind          RetentionKind = "law"       // kept by law for N years
	AfterAccountKind RetentionKind = "after"     // while the account exists and N days after its deletion, then removed by the retention job
	PermanentKind    RetentionKind = "permanent" // for the life of the site (documents, the audit chain, the rows an account deletion keeps without their sealed values)
)

// Retention is how long a value is kept.
type Retention struct {
	Kind RetentionKind
	N    int // days or years, for DaysKind, AfterAccountKind and LawKind
	// From is the time column (Unix milliseconds) a DaysKind period
	// counts from when the site-wide retention job enforces it (Rules);
	// for AfterAccountKind, the column naming the account. "" for a
	// period its owner's own job enforces (sessions, telemetry).
	From string
}

// Common retentions.
var (
	WhileAccount = Retention{Kind: WhileAccountKind}
	UntilDeleted = Retention{Kind: UntilDeletedKind}
	UntilUsed    = Retention{Kind: UntilUsedKind}
	Permanent    = Retention{Kind: PermanentKind}
)

// Days is a retention of n days.
func Days(n int) Retention { return Retention{Kind: DaysKind, N: n} }

// DaysFrom is a retention of n days counted from the time column from,
// enforced by the retention job (Rules).
func DaysFrom(n int, from string) Retention { return Retention{Kind: DaysKind, N: n, From: from} }

// AfterAccount keeps a value while the account named by the column
// userCol exists and n days after its deletion (proof that outlives the
// account, such as consents), enforced by the retention job.
func AfterAccount(n int, userCol string) Retention {
	return Retention{Kind: AfterAccountKind, N: n, From: userCol}
}

// Law is a retention of n years required by law.
func Law(years int) Retention { return Retention{Kind: LawKind, N: years} }

// T is a short text in the three languages of the site.
type T struct{ KK, RU, EN string }

// In returns the text in language l.
func (t T) In(l i18n.Lang) string {
	switch l {
	case i18n.RU:
		return t.RU
	case i18n.EN:
		return t.EN
	}
	return t.KK
}

// Table is one table's declarations.
type Table struct {
	Name    string
	Package string // the Go package that owns the table's SQL
	What    T      // what the table holds, for people
	Why     T      // why it is kept (the purpose)
	Columns []Column
}

// Column is one stored column's declaration.
type Column struct {
	Name       string
	Category   Category
	Personal   bool // about an identifiable person
	Protection Protection
	Retention  Retention
	Readers    Reader
}

// Confidential reports whether the column is confidential in the sense
// of clause 1.3: sealed by the vault.
func (c Column) Confidential() bool { return c.Protection == Sealed }

// Declared is one column with its table, as the tests and pages use it.
type Declared struct {
	Table *Table
	Column
}

// All lists every declared column, table by table.
func All() []Declared {
	var out []Declared
	for i := range Tables {
		t := &Tables[i]
		for _, c := range t.Columns {
			out = append(out, Declared{Table: t, Column: c})
		}
	}
	return out
}
