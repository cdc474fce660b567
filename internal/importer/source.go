// Package importer brings users over from another site's database
// (issue 11, clause 1.2 (b)): it reads CSV, JSON Lines or a live SQL
// database (MySQL / MariaDB, PostgreSQL, SQLite) through a mapping, checks
// every row as registration would, and writes the users through
// account.ImportUsersTx in batches, each a transaction, recording the
// import batch, each user's source and consent status (import_batches,
// import_users) and an audit entry. A bad row is reported by its line or
// source key and a reason key, never by a value from it.
package importer

import (
	"errors"
	"fmt"
	"strings"
)

// The fields an import fills, by their default column names.
const (
	FieldEmail        = "email"
	FieldFullName     = "full_name"
	FieldPhone        = "phone"
	FieldOrganization = "organization"
	FieldPosition     = "position"
	FieldRegion       = "region"
	FieldPasswordHash = "password_hash"
	FieldRegisteredAt = "registered_at"
)

// Fields lists every field, in the order of Row.Values.
var Fields = [...]string{FieldEmail, FieldFullName, FieldPhone, FieldOrganization, FieldPosition,
	FieldRegion, FieldPasswordHash, FieldRegisteredAt}

// fieldIndex is the position of a field name in Fields, or -1.
func fieldIndex(name string) int {
	for i, f := range Fields {
		if f == name {
			return i
		}
	}
	return -1
}

// MaxRowBytes bounds one row (all its values together). A longer row is
// reported as too long and skipped; far above any real user's record, it
// keeps one broken line from holding the whole file in memory.
const MaxRowBytes = 16 << 10

// maxPhysicalLine bounds one line of a CSV file read from disk: past it
// the file is not a user list (or a quote was never closed), and the
// import stops with an error rather than read it all into memory.
const maxPhysicalLine = 1 << 20

// Reasons a row is refused, as i18n message keys.
const (
	ReasonNoEmail      = "import.reason.no_email"
	ReasonEmailInvalid = "import.reason.email_invalid"
	ReasonHashUnknown  = "import.reason.hash_unknown"
	ReasonCharset      = "import.reason.charset"
	ReasonTooLong      = "import.reason.too_long"
	ReasonMalformed    = "import.reason.malformed"
	ReasonFieldInvalid = "import.reason.field_invalid"
	ReasonDateInvalid  = "import.reason.date_invalid"
	ReasonDatabase     = "import.reason.database"
)

// Row is one record read from a source.
type Row struct {
	// Where names the row in a report: "line 12" or "key 4711", never a
	// value of it.
	Where string
	// Values are the row's values in the order of Fields.
	Values [len(Fields)]string
	// Problem, when not "", is a reason the row cannot be imported found
	// while reading it (ReasonCharset, ReasonTooLong, ReasonMalformed).
	Problem string
}

// Source yields rows until io.EOF.
type Source interface {
	// Next returns the next row, or io.EOF after the last. Any other
	// error ends the import.
	Next() (Row, error)
	// Progress is how far the reading is, in units of Total (bytes of a
	// file); total 0 means unknown.
	Progress() (done, total int64)
	Close() error
}

// ErrNoEmailColumn means the source has no column for the address.
var ErrNoEmailColumn = errors.New("importer: the source has no email column (name one in the mapping)")

// columnMap maps a source's column names to fields: the mapping's names
// where it gives them, the default names otherwise (matched without
// regard to case, spaces or a UTF-8 byte-order mark).
func columnMap(header []string, m *Mapping) ([]int, error) {
	idx := make([]int, len(header))
	want := map[string]int{}
	for i, f := range Fields {
		name := f
		if m != nil {
			if c, ok := m.Columns[f]; ok {
				name = c
			}
		}
		want[normColumn(name)] = i
	}
	found := false
	for i, h := range header {
		f, ok := want[normColumn(h)]
		if !ok {
			idx[i] = -1
			continue
		}
		idx[i] = f
		if f == 0 {
			found = true
		}
	}
	if !found {
		return nil, ErrNoEmailColumn
	}
	return idx, nil
}

func normColumn(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
}

// fill puts vals into r by idx, noting a row over MaxRowBytes.
func fill(r *Row, idx []int, vals []string) {
	n := 0
	for i, v := range vals {
		n += len(v)
		if i < len(idx) && idx[i] >= 0 {
			r.Values[idx[i]] = v
		}
	}
	if n > MaxRowBytes {
		r.Problem = ReasonTooLong
		r.Values = [len(Fields)]string{}
	}
}

func lineWhere(n int) string { return fmt.Sprintf("line %d", n) }
