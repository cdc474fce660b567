package i18n

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	xcatalog "golang.org/x/text/message/catalog"
)

// The messages live in one JSON file per feature, the three languages
// side by side, so translators edit text files and parallel features add
// files rather than edit one table (messages/README.md).
//
//go:embed messages/*.json
var messageFiles embed.FS

// entry is one message as a file gives it.
type entry struct {
	key  string
	file string
	line int
	// text is the plain message; for a counted one, its "other" forms
	// (what T falls back to without a count, what Lookup shows).
	text Message
	// forms are a counted message's CLDR categories per language, nil
	// for a plain one.
	forms map[Lang]map[string]string
}

// texts are every text of the entry in l: the message, or each plural form.
func (e *entry) texts(l Lang) []string {
	if e.forms == nil {
		return []string{e.text.get(l)}
	}
	var ts []string
	for _, c := range categoryOrder {
		if s, ok := e.forms[l][c]; ok {
			ts = append(ts, s)
		}
	}
	return ts
}

func (m Message) get(l Lang) string {
	switch l {
	case RU:
		return m.RU
	case EN:
		return m.EN
	}
	return m.KK
}

// messages is everything loaded: plain texts by key, counted ones also in
// an x/text catalog with a printer per language.
type messages struct {
	entries  map[string]*entry
	printers map[Lang]*message.Printer
}

// loaded holds the site's messages, read once at start; a broken file
// stops the program (and every test) with the file, line and key.
var loaded = mustLoad(messageFiles)

func mustLoad(fsys fs.FS) *messages {
	m, err := load(fsys)
	if err != nil {
		panic("i18n: the message files are broken:\n" + err.Error())
	}
	return m
}

// load reads every messages/*.json of fsys. It reports every problem,
// each as "messages/file.json:line: key: what", so a translator sees
// them all at once.
func load(fsys fs.FS) (*messages, error) {
	names, err := fs.Glob(fsys, "messages/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	m := &messages{entries: map[string]*entry{}, printers: map[Lang]*message.Printer{}}
	cat := xcatalog.NewBuilder(xcatalog.Fallback(language.Kazakh))
	var errs []error
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		es, err := parseFile(name, data)
		if err != nil {
			errs = append(errs, err)
		}
		for _, e := range es {
			if prev, dup := m.entries[e.key]; dup {
				errs = append(errs, fmt.Errorf("%s:%d: %s: already defined at %s:%d", e.file, e.line, e.key, prev.file, prev.line))
				continue
			}
			m.entries[e.key] = e
			if e.forms == nil {
				continue
			}
			for _, l := range Langs {
				if err := cat.Set(tags[l], e.key, plural.Selectf(1, "%d", cases(e.forms[l])...)); err != nil {
					errs = append(errs, fmt.Errorf("%s:%d: %s: %s: %w", e.file, e.line, e.key, l, err))
				}
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, l := range Langs {
		m.printers[l] = message.NewPrinter(tags[l], message.Catalog(cat))
	}
	return m, nil
}

// cases are the plural.Selectf arguments of one language's forms, "other"
// last (the first matching case wins).
func cases(forms map[string]string) []any {
	var cs []any
	for _, c := range categoryOrder {
		if s, ok := forms[c]; ok {
			cs = append(cs, c, s)
		}
	}
	return cs
}

// categoryOrder are the CLDR plural categories.
var categoryOrder = []string{"zero", "one", "two", "few", "many", "other"}

// langCategories are the plural categories each language may give.
var langCategories = map[Lang][]string{KK: categoriesOf(KK), RU: categoriesOf(RU), EN: categoriesOf(EN)}

// categoriesOf are the categories the CLDR rules of l use for counts:
// Kazakh and English one/other, Russian one/few/many/other.
func categoriesOf(l Lang) []string {
	used := map[plural.Form]bool{plural.Other: true}
	for n := 0; n < 200; n++ {
		used[plural.Cardinal.MatchPlural(tags[l], n, 0, 0, 0, 0)] = true
	}
	forms := map[string]plural.Form{"zero": plural.Zero, "one": plural.One, "two": plural.Two, "few": plural.Few, "many": plural.Many, "other": plural.Other}
	var cs []string
	for _, c := range categoryOrder {
		if used[forms[c]] {
			cs = append(cs, c)
		}
	}
	return cs
}

// fileParser reads one message file token by token, so that a key given
// twice in a file (which encoding/json would silently overwrite) is
// caught and every problem names its line and key.
type fileParser struct {
	name string
	data []byte
	dec  *json.Decoder
	key  string // the message being read, for errors
	errs []error
}

// parseFile reads one message file:
//
//	{"about": "…", "messages": {"key": {"note": "…", "kk": "…", "ru": "…", "en": "…"}, …}}
//
// where a counted message gives, per language, an object of CLDR plural
// categories instead of a string. It returns the messages it could read
// and every problem it found.
func parseFile(name string, data []byte) ([]*entry, error) {
	p := &fileParser{name: name, data: bytes.TrimPrefix(data, []byte("\uFEFF"))}
	if !utf8.Valid(p.data) {
		return nil, fmt.Errorf("%s: not UTF-8 (save the file as UTF-8)", name)
	}
	p.dec = json.NewDecoder(bytes.NewReader(p.data))
	var es []*entry
	err := p.object(func(field string, line int) error {
		switch field {
		case "about":
			_, err := p.str()
			return err
		case "messages":
			return p.object(func(key string, line int) error {
				p.key = key
				defer func() { p.key = "" }()
				e, err := p.message(key, line)
				if e != nil {
					es = append(es, e)
				}
				return err
			})
		}
		return p.errorf(line, "unknown field %q (want \"about\" and \"messages\")", field)
	})
	if err == nil {
		if _, err2 := p.dec.Token(); err2 != io.EOF {
			err = p.errorf(p.line(), "text after the end of the file's object")
		}
	}
	if err != nil {
		p.errs = append(p.errs, err)
	}
	return es, errors.Join(p.errs...)
}

// message reads one message's object.
func (p *fileParser) message(key string, line int) (*entry, error) {
	if key == "" || strings.ContainsFunc(key, unicode.IsSpace) {
		p.errs = append(p.errs, p.errorf(line, "a key must be non-empty and have no spaces"))
	}
	e := &entry{key: key, file: p.name, line: line}
	texts := map[Lang]string{}
	forms := map[Lang]map[string]string{}
	err := p.object(func(field string, fline int) error {
		if field == "note" {
			_, err := p.str()
			return err
		}
		l, ok := Parse(field)
		if !ok || string(l) != field {
			return p.errorf(fline, "unknown field %q (want kk, ru, en and an optional note)", field)
		}
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch v := tok.(type) {
		case string:
			texts[l] = v
			return nil
		case json.Delim:
			if v != '{' {
				break
			}
			got := map[string]string{}
			forms[l] = got
			return p.fields(func(cat string, cline int) error {
				s, err := p.str()
				if err != nil {
					return err
				}
				if !slices.Contains(langCategories[l], cat) {
					p.errs = append(p.errs, p.errorf(cline, "%s: unknown plural category %q (%s uses %s)", l, cat, l, strings.Join(langCategories[l], ", ")))
				}
				got[cat] = s
				return nil
			})
		}
		return p.errorf(fline, "%s: want a text or an object of plural forms", l)
	})
	if err != nil {
		return nil, err
	}
	switch {
	case len(forms) == 0:
		for _, l := range Langs {
			if _, ok := texts[l]; !ok {
				p.errs = append(p.errs, p.errorf(line, "no %s text", l))
			}
		}
		e.text = Message{KK: texts[KK], RU: texts[RU], EN: texts[EN]}
	case len(texts) > 0:
		p.errs = append(p.errs, p.errorf(line, "either every language has plural forms or none"))
	default:
		e.forms = forms
		for _, l := range Langs {
			if _, ok := forms[l]["other"]; !ok {
				p.errs = append(p.errs, p.errorf(line, "%s: no \"other\" plural form (every language needs one)", l))
			}
		}
		e.text = Message{KK: forms[KK]["other"], RU: forms[RU]["other"], EN: forms[EN]["other"]}
	}
	if err := sameVerbs(e); err != "" {
		p.errs = append(p.errs, p.errorf(line, "%s", err))
	}
	return e, nil
}

// object reads {"field": value, …}: fn reads each value; a field given
// twice is an error.
func (p *fileParser) object(fn func(field string, line int) error) error {
	tok, err := p.token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return p.errorf(p.line(), "want an object {…}")
	}
	return p.fields(fn)
}

// fields reads the rest of an object whose '{' has been read.
func (p *fileParser) fields(fn func(field string, line int) error) error {
	seen := map[string]bool{}
	for p.dec.More() {
		tok, err := p.token()
		if err != nil {
			return err
		}
		field, _ := tok.(string)
		line := p.line()
		if seen[field] {
			if p.key != "" {
				p.errs = append(p.errs, p.errorf(line, "%q given twice", field))
			} else {
				p.errs = append(p.errs, fmt.Errorf("%s:%d: %s: given twice in this file", p.name, line, field))
			}
		}
		seen[field] = true
		if err := fn(field, line); err != nil {
			return err
		}
	}
	_, err := p.token() // '}'
	return err
}

func (p *fileParser) str() (string, error) {
	tok, err := p.token()
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", p.errorf(p.line(), "want a text in quotes")
	}
	return s, nil
}

func (p *fileParser) token() (json.Token, error) {
	tok, err := p.dec.Token()
	if err != nil {
		// Every token is read inside the file's object, so the end of
		// the input here means the file is cut short. Said in our words:
		// encoding/json names it differently from one Go version to the
		// next ("EOF", "unexpected end of JSON input").
		if err == io.EOF || int(p.dec.InputOffset()) >= len(p.data) {
			return nil, p.errorf(p.line(), "the file ends too early (a { or a quote is not closed)")
		}
		return nil, p.errorf(p.line(), "%v", err)
	}
	return tok, nil
}

// line is the line the decoder has read up to.
func (p *fileParser) line() int {
	off := min(int(p.dec.InputOffset()), len(p.data))
	return 1 + bytes.Count(p.data[:off], []byte("\n"))
}

func (p *fileParser) errorf(line int, format string, args ...any) error {
	where := fmt.Sprintf("%s:%d", p.name, line)
	if p.key != "" {
		where += ": " + p.key
	}
	return fmt.Errorf("%s: %s", where, fmt.Sprintf(format, args...))
}

// sameVerbs checks that every language takes the same arguments (the
// %d, %s … of fmt, by position), so a translation never prints
// "%!s(MISSING)"; for a counted message it compares the "other" forms.
func sameVerbs(e *entry) string {
	want := verbs(e.text.KK)
	for _, l := range Langs[1:] {
		if got := verbs(e.text.get(l)); got != want {
			return fmt.Sprintf("%s takes %s but kk takes %s", l, orNone(got), orNone(want))
		}
	}
	return ""
}

func orNone(v string) string {
	if v == "" {
		return "no arguments"
	}
	return v
}

// verbs lists a format's arguments as "1:d 2:s", by argument number
// (explicit %[n]d or in order).
func verbs(format string) string {
	args := map[int]byte{}
	n := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == '[' {
			j := strings.IndexByte(format[i:], ']')
			if j < 0 {
				break
			}
			fmt.Sscanf(format[i+1:i+j], "%d", &n)
			i += j + 1
		}
		if i >= len(format) || format[i] == '%' {
			continue
		}
		args[n] = format[i]
		n++
	}
	keys := make([]int, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var b strings.Builder
	for _, k := range keys {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%%[%d]%c", k, args[k])
	}
	return b.String()
}
