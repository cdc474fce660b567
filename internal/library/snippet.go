package library

import (
	"context"
	"strings"
	"unicode"
)

// Segment is a piece of a snippet; Mark is a word that matched the query.
// The text is plain: the page escapes it (and wraps a mark in <mark>).
type Segment struct {
	Text string
	Mark bool
}

// snippetWords is how many words a snippet shows, and snippetBefore how
// many of them come before the first matched word.
const (
	snippetWords  = 28
	snippetBefore = 8
	// snippetScan bounds the words of one text looked at for a match: an
	// excerpt holds up to 3,000 characters (about 400 words).
	snippetScan = 500
)

// snippets returns, for each of ids, the snippet around the first matched
// word of its files' text (the excerpts kept for the material page), or
// of its description when no file text matches; none when neither does
// (the words matched the title or the taxonomy's names).
func (s *Service) snippets(ctx context.Context, ids []int64, groups [][]string) (map[int64][]Segment, error) {
	out := map[int64][]Segment{}
	if len(ids) == 0 {
		return out, nil
	}
	want := map[string]bool{}
	for _, g := range groups {
		for _, t := range g {
			want[t] = true
		}
	}
	texts := map[int64][]string{}
	rows, err := s.db.Query(ctx, `SELECT material_id, excerpt FROM material_files WHERE material_id IN (`+marks(len(ids))+`) ORDER BY material_id, position`, anys(ids)...)
	if err != nil {
		return nil, wrap("snippets", err)
	}
	for rows.Next() {
		var id int64
		var e string
		if err := rows.Scan(&id, &e); err != nil {
			rows.Close()
			return nil, wrap("snippets", err)
		}
		texts[id] = append(texts[id], e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("snippets", err)
	}
	rows, err = s.db.Query(ctx, `SELECT id, description FROM materials WHERE id IN (`+marks(len(ids))+`)`, anys(ids)...)
	if err != nil {
		return nil, wrap("snippets", err)
	}
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			rows.Close()
			return nil, wrap("snippets", err)
		}
		texts[id] = append(texts[id], d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("snippets", err)
	}
	memo := map[string]bool{} // words repeat across texts: analyse each once
	match := func(w string) bool {
		if m, ok := memo[w]; ok {
			return m
		}
		m := false
		for _, t := range terms(w) {
			if want[t] {
				m = true
				break
			}
		}
		memo[w] = m
		return m
	}
	for id, ts := range texts {
		for _, t := range ts {
			if sn := Snippet(t, match); sn != nil {
				out[id] = sn
				break
			}
		}
	}
	return out, nil
}

// word is a run of letters (with their marks) or of digits in a text.
type word struct{ from, to int }

// words splits text as search.Tokens does (letters and digits apart),
// keeping where each word is, at most snippetScan of them.
func words(text string) []word {
	var out []word
	start, kind := -1, 0 // kind: 1 letters, 2 digits
	for i, r := range text {
		k := 0
		switch {
		case unicode.IsLetter(r) || (kind == 1 && (unicode.Is(unicode.Mn, r) || r == '\u00ad')):
			k = 1
		case unicode.IsDigit(r):
			k = 2
		}
		if k != kind {
			if kind != 0 {
				out = append(out, word{start, i})
				if len(out) >= snippetScan {
					return out
				}
			}
			start, kind = i, k
		}
	}
	if kind != 0 {
		out = append(out, word{start, len(text)})
	}
	return out
}

// Snippet cuts from text the words around the first word match accepts,
// about snippetWords of them, with every accepted word marked; nil when
// no word of the first snippetScan is accepted. Runs of white space
// become one space, and "…" shows where text was cut.
func Snippet(text string, match func(string) bool) []Segment {
	ws := words(text)
	first := -1
	for i, w := range ws {
		if match(text[w.from:w.to]) {
			first = i
			break
		}
	}
	if first < 0 {
		return nil
	}
	from := max(0, first-snippetBefore)
	to := min(len(ws), from+snippetWords)
	var out []Segment
	add := func(s string, mark bool) {
		if !mark {
			s = collapseSpace(s)
		}
		if s == "" {
			return
		}
		if n := len(out); n > 0 && !mark && !out[n-1].Mark {
			out[n-1].Text += s
			return
		}
		out = append(out, Segment{s, mark})
	}
	if from > 0 {
		add("…", false)
	}
	pos := ws[from].from
	for _, w := range ws[from:to] {
		if w.from > pos {
			add(text[pos:w.from], false)
		}
		add(text[w.from:w.to], match(text[w.from:w.to]))
		pos = w.to
	}
	if to < len(ws) {
		add("…", false)
	} else if pos < len(text) {
		add(text[pos:], false)
	}
	return out
}

// collapseSpace turns every run of white space (line breaks of the
// extracted text) into one space.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
