package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

type jsonlSource struct {
	br    *bufio.Reader
	count *countReader
	size  int64
	line  int
	names map[string]int // a JSON key → the field it fills
}

// NewJSONL reads users from JSON Lines: one object per line, keyed by
// the field names (or the mapping's column names). Strings, numbers and
// null are taken; a line that is not an object is reported as malformed.
func NewJSONL(r io.Reader, m *Mapping, size int64) Source {
	count := &countReader{r: r}
	names := map[string]int{}
	for i, f := range Fields {
		name := f
		if m != nil {
			if c, ok := m.Columns[f]; ok {
				name = c
			}
		}
		names[name] = i
	}
	// countReader's own line limit does not apply: long lines are read
	// in pieces below and reported, not fatal.
	count.lineLen = -1 << 62
	return &jsonlSource{br: bufio.NewReaderSize(count, 64<<10), count: count, size: size, names: names}
}

// readLine returns the next line without its end, or tooLong (and the
// line skipped) when it is over MaxRowBytes.
func (s *jsonlSource) readLine() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		part, isPrefix, err := s.br.ReadLine()
		if err != nil {
			if errors.Is(err, io.EOF) && (len(buf) > 0 || tooLong) {
				return buf, tooLong, nil
			}
			return nil, false, err
		}
		if !tooLong {
			if len(buf)+len(part) > MaxRowBytes {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, part...)
			}
		}
		if !isPrefix {
			return buf, tooLong, nil
		}
	}
}

func (s *jsonlSource) Next() (Row, error) {
	for {
		line, tooLong, err := s.readLine()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return Row{}, io.EOF
			}
			return Row{}, fmt.Errorf("importer: read json lines: %w", err)
		}
		s.line++
		r := Row{Where: lineWhere(s.line)}
		if tooLong {
			r.Problem = ReasonTooLong
			return r, nil
		}
		line = bytes.TrimSpace(line)
		if s.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		if len(line) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			// encoding/json would quietly turn the bad bytes into U+FFFD.
			r.Problem = ReasonCharset
			return r, nil
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil || obj == nil {
			r.Problem = ReasonMalformed
			return r, nil
		}
		for k, raw := range obj {
			i, ok := s.names[k]
			if !ok {
				continue
			}
			v, ok := jsonScalar(raw)
			if !ok {
				r.Problem, r.Values = ReasonMalformed, [len(Fields)]string{}
				return r, nil
			}
			r.Values[i] = v
		}
		return r, nil
	}
}

// jsonScalar is a JSON string, number or null as text.
func jsonScalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", true
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		if _, err := strconv.ParseFloat(string(raw), 64); err != nil {
			return "", false
		}
		return string(raw), true
	}
	return "", false
}

func (s *jsonlSource) Progress() (int64, int64) { return s.count.n, s.size }
func (s *jsonlSource) Close() error             { return nil }
