package importer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver
)

// OpenSourceDB opens another site's database read-only where the engine
// allows: mysql://user:pass@host:3306/db (MySQL, MariaDB),
// postgres://… (PostgreSQL), sqlite:PATH (SQLite).
func OpenSourceDB(dsn string) (*sql.DB, error) {
	switch {
	case strings.HasPrefix(dsn, "mysql://") || strings.HasPrefix(dsn, "mariadb://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, fmt.Errorf("importer: source address: %w", err)
		}
		c := mysql.NewConfig()
		c.User = u.User.Username()
		c.Passwd, _ = u.User.Password()
		c.Net, c.Addr = "tcp", u.Host
		if u.Port() == "" {
			c.Addr = u.Host + ":3306"
		}
		c.DBName = strings.TrimPrefix(u.Path, "/")
		// Text as UTF-8 whatever the tables' charset; dates as text,
		// parsed below like a CSV's.
		c.Params = map[string]string{"charset": "utf8mb4"}
		for k, v := range u.Query() {
			c.Params[k] = v[0]
		}
		return sql.Open("mysql", c.FormatDSN())
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		return sql.Open("pgx", dsn)
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		return sql.Open("sqlite", "file:"+path+"?mode=ro")
	}
	return nil, fmt.Errorf("importer: source address must start with mysql://, postgres:// or sqlite (sqlite:PATH)")
}

type sqlSource struct {
	rows  *sql.Rows
	db    *sql.DB
	idx   []int
	key   int // column index of the mapping's key, -1 none
	vals  []sql.NullString
	ptrs  []any
	n     int64
	total int64
}

// NewSQL reads users from an open database through m (its Table or
// Query). Rows are streamed, never all held at once. The source is
// closed with the returned Source.
func NewSQL(ctx context.Context, d *sql.DB, m *Mapping) (Source, error) {
	if m == nil || (m.Table == "" && m.Query == "") {
		return nil, fmt.Errorf("importer: a database source needs a mapping with a table or a query")
	}
	q := m.Query
	if q == "" {
		q = "SELECT * FROM " + m.Table
	}
	var total int64
	// The count gives the progress bar its end; a query that cannot be
	// counted this way just has no ETA.
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+q+") c").Scan(&total); err != nil {
		total = 0
	}
	rows, err := d.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("importer: source query: %w", err)
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return nil, fmt.Errorf("importer: source query: %w", err)
	}
	idx, err := columnMap(cols, m)
	if err != nil {
		rows.Close()
		return nil, err
	}
	s := &sqlSource{rows: rows, db: d, idx: idx, key: -1, total: total,
		vals: make([]sql.NullString, len(cols)), ptrs: make([]any, len(cols))}
	for i := range cols {
		s.ptrs[i] = &anyText{v: &s.vals[i]}
		if m.Key != "" && normColumn(cols[i]) == normColumn(m.Key) {
			s.key = i
		}
	}
	if s.key >= 0 && idx[s.key] >= 0 {
		// The key names rows in reports and logs: it must not be a
		// personal value.
		rows.Close()
		return nil, fmt.Errorf("importer: the key column %q is one of the imported fields; name the old site's user id instead", m.Key)
	}
	if m.Key != "" && s.key < 0 {
		rows.Close()
		return nil, fmt.Errorf("importer: the key column %q is not in the source", m.Key)
	}
	return s, nil
}

// anyText scans any column value as text: dates as RFC 3339, bytes as
// they are (MySQL gives text as bytes).
type anyText struct{ v *sql.NullString }

func (a *anyText) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		*a.v = sql.NullString{}
	case string:
		*a.v = sql.NullString{String: x, Valid: true}
	case []byte:
		*a.v = sql.NullString{String: string(x), Valid: true}
	case time.Time:
		*a.v = sql.NullString{String: x.UTC().Format(time.RFC3339), Valid: true}
	case int64:
		*a.v = sql.NullString{String: strconv.FormatInt(x, 10), Valid: true}
	default:
		*a.v = sql.NullString{String: fmt.Sprint(x), Valid: true}
	}
	return nil
}

func (s *sqlSource) Next() (Row, error) {
	if !s.rows.Next() {
		if err := s.rows.Err(); err != nil {
			return Row{}, fmt.Errorf("importer: read source: %w", err)
		}
		return Row{}, io.EOF
	}
	if err := s.rows.Scan(s.ptrs...); err != nil {
		return Row{}, fmt.Errorf("importer: read source: %w", err)
	}
	s.n++
	r := Row{Where: "row " + strconv.FormatInt(s.n, 10)}
	if s.key >= 0 {
		k := s.vals[s.key].String
		if len(k) > 64 || !utf8.ValidString(k) {
			k = "?"
		}
		r.Where = "key " + k
	}
	vals := make([]string, len(s.vals))
	for i, v := range s.vals {
		vals[i] = v.String
	}
	fill(&r, s.idx, vals)
	if r.Problem == "" {
		for _, v := range r.Values {
			if !utf8.ValidString(v) {
				r.Problem, r.Values = ReasonCharset, [len(Fields)]string{}
				break
			}
		}
	}
	return r, nil
}

func (s *sqlSource) Progress() (int64, int64) { return s.n, s.total }

func (s *sqlSource) Close() error {
	return errors.Join(s.rows.Close(), s.db.Close())
}
