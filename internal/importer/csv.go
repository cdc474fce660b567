package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Encodings a CSV file may be in.
const (
	EncodingUTF8        = "utf-8"
	EncodingWindows1251 = "windows-1251"
)

// sniffBytes is how much of a file the encoding and delimiter are
// guessed from.
const sniffBytes = 64 << 10

// CSVOptions tune NewCSV.
type CSVOptions struct {
	// Encoding is EncodingUTF8, EncodingWindows1251 or "" to detect:
	// UTF-8 when the start of the file is valid UTF-8, Windows-1251 (the
	// usual export of Russian-language Excel and 1C) otherwise.
	Encoding string
	// Mapping renames columns (nil: the default names).
	Mapping *Mapping
	// Size is the file's length in bytes, for Progress (0 unknown).
	Size int64
}

type csvSource struct {
	cr    *csv.Reader
	idx   []int
	count *countReader
	size  int64
	// Encoding is what the file was read as.
	encoding string
}

// countReader counts the bytes read through it (for progress) and
// refuses a line longer than maxPhysicalLine.
type countReader struct {
	r       io.Reader
	n       int64
	lineLen int
}

var errLineTooLong = fmt.Errorf("importer: a line is longer than %d bytes: not a user list, or a quote is never closed", maxPhysicalLine)

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	for _, b := range p[:n] {
		if b == '\n' {
			c.lineLen = 0
			continue
		}
		c.lineLen++
		if c.lineLen > maxPhysicalLine {
			return 0, errLineTooLong
		}
	}
	return n, err
}

// NewCSV reads users from a CSV file with a header row. The delimiter
// (comma, semicolon or tab) is the one the header line uses most.
func NewCSV(r io.Reader, o CSVOptions) (Source, error) {
	count := &countReader{r: r}
	br := bufio.NewReaderSize(count, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("importer: read csv: %w", err)
	}
	enc := o.Encoding
	switch enc {
	case "":
		enc = detectEncoding(head)
	case EncodingUTF8, EncodingWindows1251:
	default:
		return nil, fmt.Errorf("importer: unknown encoding %q (utf-8 or windows-1251)", enc)
	}
	var text io.Reader = br
	if enc == EncodingWindows1251 {
		text = charmap.Windows1251.NewDecoder().Reader(br)
		head, _ = charmap.Windows1251.NewDecoder().Bytes(head)
	} else if bytes.HasPrefix(head, []byte("\ufeff")) {
		br.Discard(3)
		head = head[3:]
	}
	cr := csv.NewReader(text)
	cr.Comma = sniffDelimiter(head)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, errLineTooLong) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("importer: csv header: %w", err)
	}
	idx, err := columnMap(header, o.Mapping)
	if err != nil {
		return nil, err
	}
	return &csvSource{cr: cr, idx: idx, count: count, size: o.Size, encoding: enc}, nil
}

// detectEncoding says UTF-8 when head is valid UTF-8 (a rune cut at the
// end of the sample is allowed), Windows-1251 otherwise.
func detectEncoding(head []byte) string {
	for len(head) > 0 {
		r, n := utf8.DecodeRune(head)
		if r == utf8.RuneError && n <= 1 {
			if len(head) < utf8.UTFMax && !utf8.FullRune(head) {
				break // cut off by the sample's end
			}
			return EncodingWindows1251
		}
		head = head[n:]
	}
	return EncodingUTF8
}

// sniffDelimiter picks the delimiter the first line uses most, outside
// quotes; a comma when it uses none.
func sniffDelimiter(head []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, b := range head {
		if b == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if b == '\n' {
			break
		}
		if b == ',' || b == ';' || b == '\t' {
			counts[b]++
		}
	}
	best, n := byte(','), 0
	for _, d := range []byte{',', ';', '\t'} {
		if counts[d] > n {
			best, n = d, counts[d]
		}
	}
	return rune(best)
}

func (s *csvSource) Next() (Row, error) {
	for {
		rec, err := s.cr.Read()
		line, _ := s.cr.FieldPos(0)
		if errors.Is(err, io.EOF) {
			return Row{}, io.EOF
		}
		if errors.Is(err, errLineTooLong) {
			return Row{}, err
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Row{Where: lineWhere(pe.StartLine), Problem: ReasonMalformed}, nil
		}
		if err != nil {
			return Row{}, fmt.Errorf("importer: read csv: %w", err)
		}
		if len(rec) == 1 && rec[0] == "" {
			continue // an empty line
		}
		r := Row{Where: lineWhere(line)}
		fill(&r, s.idx, rec)
		if r.Problem == "" {
			for _, v := range rec {
				if !utf8.ValidString(v) {
					r.Problem, r.Values = ReasonCharset, [len(Fields)]string{}
					break
				}
			}
		}
		return r, nil
	}
}

func (s *csvSource) Progress() (int64, int64) { return s.count.n, s.size }
func (s *csvSource) Close() error             { return nil }
