package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// Mapping says where a source's users are and which of its columns fills
// which field. It is a small JSON file (examples/import/*.json): JSON
// because the standard library reads it, so no parser is added for a
// file of a dozen lines, and because an error in it is reported with its
// byte offset.
type Mapping struct {
	// Source names where the users come from, recorded with each of them
	// ("wordpress: old.portal.kz"); no personal data.
	Source string `json:"source"`
	// Table (a database source) is read whole: SELECT * FROM table.
	Table string `json:"table"`
	// Query (a database source), instead of Table, selects the users, for
	// joins such as WordPress's wp_usermeta.
	Query string `json:"query"`
	// Key is the column that names a row in the report (the old site's
	// user id); without it rows are named by their position.
	Key string `json:"key"`
	// Columns maps a field (email, full_name, phone, organization,
	// position, region, password_hash, registered_at) to the source's
	// column or JSON key of that field. Fields not named keep their
	// default column name.
	Columns map[string]string `json:"columns"`
	// Encoding of a CSV file ("" detects).
	Encoding string `json:"encoding"`
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// ReadMapping reads and checks a mapping file.
func ReadMapping(path string) (*Mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("importer: mapping: %w", err)
	}
	defer f.Close()
	return ParseMapping(f)
}

// ParseMapping reads and checks a mapping from r. Unknown keys are an
// error, so a misspelt field is not silently left out.
func ParseMapping(r io.Reader) (*Mapping, error) {
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("importer: mapping: %w", err)
	}
	return &m, m.check()
}

func (m *Mapping) check() error {
	for f, c := range m.Columns {
		if fieldIndex(f) < 0 {
			return fmt.Errorf("importer: mapping: unknown field %q (known: %s)", f, strings.Join(Fields[:], ", "))
		}
		if strings.TrimSpace(c) == "" {
			return fmt.Errorf("importer: mapping: field %q names no column", f)
		}
	}
	if m.Table != "" && m.Query != "" {
		return fmt.Errorf("importer: mapping: give table or query, not both")
	}
	if m.Table != "" && !identRE.MatchString(m.Table) {
		return fmt.Errorf("importer: mapping: table %q is not a plain table name", m.Table)
	}
	return nil
}
