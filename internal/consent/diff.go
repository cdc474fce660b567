package consent

import (
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// DiffLine is one paragraph of a comparison between two versions.
type DiffLine struct {
	Op   byte   // '=' unchanged, '-' only in the old text, '+' only in the new text
	Text string // the paragraph, its inner line breaks kept
}

// Diff compares two texts paragraph by paragraph (paragraphs are separated
// by blank lines), so a user asked to accept a new version (clause 3.4)
// sees which paragraphs changed rather than a scatter of letters. A changed
// paragraph appears as its old form ('-') followed by its new form ('+').
func Diff(old, new string) []DiffLine {
	byKey := map[string]string{}
	keyOf := map[string]string{}
	// Each paragraph becomes one line holding a short key, so the
	// library's line mode can diff paragraphs that span several lines.
	keys := func(text string) string {
		var b strings.Builder
		for _, p := range paragraphs(text) {
			k, ok := keyOf[p]
			if !ok {
				k = strconv.Itoa(len(keyOf))
				keyOf[p], byKey[k] = k, p
			}
			b.WriteString(k)
			b.WriteByte('\n')
		}
		return b.String()
	}
	a, b := keys(old), keys(new)

	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // an exact diff every time, however long it takes
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)

	var out []DiffLine
	for _, d := range diffs {
		op := byte('=')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = '-'
		case diffmatchpatch.DiffInsert:
			op = '+'
		}
		for _, k := range strings.Split(strings.TrimSuffix(d.Text, "\n"), "\n") {
			if k == "" {
				continue
			}
			out = append(out, DiffLine{Op: op, Text: byKey[k]})
		}
	}
	return out
}

// paragraphs splits text at blank lines, trimming each paragraph and
// dropping empty ones, with Windows line endings made Unix ones.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = cur[:0]
		}
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return out
}
