package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// msgFile is a message file of one plain message, for the tests below.
func msgFile(key, body string) string {
	return `{"about": "test", "messages": {"` + key + `": ` + body + `}}`
}

const plain = `{"kk": "Сәлем", "ru": "Привет", "en": "Hello"}`

// A translator's mistake stops the site at start (and every test) with
// the file, the line and the key, so it never reaches a reader.
func TestLoadRefusesBrokenFiles(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []string // all in the error
	}{
		{"the same key in two files",
			map[string]string{"messages/a.json": msgFile("x.hello", plain), "messages/b.json": msgFile("x.hello", plain)},
			[]string{"messages/b.json:1: x.hello: already defined at messages/a.json:1"}},
		{"the same key twice in one file",
			map[string]string{"messages/a.json": "{\"messages\": {\n\"x.hello\": " + plain + ",\n\"x.hello\": " + plain + "}}"},
			[]string{"messages/a.json:3: x.hello: given twice in this file"}},
		{"a language given twice",
			map[string]string{"messages/a.json": msgFile("x.hello", `{"kk": "Сәлем", "ru": "Привет", "en": "Hello", "ru": "Здравствуйте"}`)},
			[]string{"messages/a.json:1: x.hello: \"ru\" given twice"}},
		{"an unknown plural category",
			map[string]string{"messages/a.json": msgFile("x.views", `{"kk": {"other": "%d қаралым"}, "ru": {"one": "%d просмотр", "fw": "%d просмотра", "other": "%d просмотра"}, "en": {"other": "%d views"}}`)},
			[]string{"messages/a.json:1: x.views: ru: unknown plural category \"fw\" (ru uses one, few, many, other)"}},
		{"a category the language does not have",
			map[string]string{"messages/a.json": msgFile("x.views", `{"kk": {"other": "%d қаралым"}, "ru": {"other": "%d просмотра"}, "en": {"one": "%d view", "few": "%d views", "other": "%d views"}}`)},
			[]string{"x.views: en: unknown plural category \"few\" (en uses one, other)"}},
		{"no other form",
			map[string]string{"messages/a.json": msgFile("x.views", `{"kk": {"other": "%d қаралым"}, "ru": {"one": "%d просмотр", "few": "%d просмотра", "many": "%d просмотров"}, "en": {"other": "%d views"}}`)},
			[]string{"x.views: ru: no \"other\" plural form"}},
		{"plain and plural mixed",
			map[string]string{"messages/a.json": msgFile("x.views", `{"kk": "%d қаралым", "ru": {"other": "%d просмотра"}, "en": {"other": "%d views"}}`)},
			[]string{"x.views: either every language has plural forms or none"}},
		{"a language missing",
			map[string]string{"messages/a.json": msgFile("x.hello", `{"kk": "Сәлем", "en": "Hello"}`)},
			[]string{"messages/a.json:1: x.hello: no ru text"}},
		{"an unknown language",
			map[string]string{"messages/a.json": msgFile("x.hello", `{"kk": "Сәлем", "kz": "Сәлем", "ru": "Привет", "en": "Hello"}`)},
			[]string{"x.hello: unknown field \"kz\""}},
		{"a translation that drops an argument",
			map[string]string{"messages/a.json": msgFile("x.hello", `{"kk": "Сәлем, %s!", "ru": "Привет!", "en": "Hello, %s!"}`)},
			[]string{"x.hello: ru takes no arguments but kk takes %[1]s"}},
		{"a missing comma",
			map[string]string{"messages/a.json": "{\"messages\": {\n\"x.hello\": {\"kk\": \"Сәлем\"\n\"ru\": \"Привет\", \"en\": \"Hello\"}}}"},
			[]string{"messages/a.json:3: x.hello: invalid character"}},
		{"a file cut short",
			map[string]string{"messages/a.json": "{\"messages\": {\"x.hello\": {\"kk\": \"Сәлем\""},
			[]string{"messages/a.json:1: x.hello: the file ends too early (a { or a quote is not closed)"}},
		{"a number instead of a text",
			map[string]string{"messages/a.json": msgFile("x.hello", `{"kk": 1, "ru": "Привет", "en": "Hello"}`)},
			[]string{"x.hello: kk: want a text or an object of plural forms"}},
		{"saved in Windows-1251",
			map[string]string{"messages/a.json": msgFile("x.hello", "{\"kk\": \"\xcf\xf0\xe8\", \"ru\": \"\xcf\xf0\xe8\", \"en\": \"Hi\"}")},
			[]string{"messages/a.json: not UTF-8"}},
		{"an unknown top-level field",
			map[string]string{"messages/a.json": `{"mesages": {}}`},
			[]string{"messages/a.json:1: unknown field \"mesages\""}},
		{"two problems, both reported",
			map[string]string{"messages/a.json": "{\"messages\": {\n\"x.a\": {\"kk\": \"Сәлем\", \"en\": \"Hello\"},\n\"x.b\": {\"kk\": \"Сәлем\", \"ru\": \"Привет\"}}}"},
			[]string{"messages/a.json:2: x.a: no ru text", "messages/a.json:3: x.b: no en text"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range c.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := load(fsys)
			if err == nil {
				t.Fatal("loaded without an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not say %q", err, w)
				}
			}
		})
	}
}

// A well-formed file loads: a byte-order mark (Windows Notepad) is fine,
// indexed arguments may come in another order, and a counted message takes
// the CLDR form of its count in each language.
func TestLoadCountedMessages(t *testing.T) {
	fsys := fstest.MapFS{
		"messages/a.json": {Data: []byte("\uFEFF" + `{"about": "test", "messages": {
			"x.found": {"note": "n, query", "kk": "«%[2]s» бойынша %[1]d", "ru": "Найдено по «%[2]s»: %[1]d", "en": "%[1]d for «%[2]s»"},
			"x.views": {"kk": {"other": "%d қаралым"}, "ru": {"one": "%d просмотр", "few": "%d просмотра", "many": "%d просмотров", "other": "%d просмотра"}, "en": {"one": "%d view", "other": "%d views"}}
		}}`)},
	}
	m, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Lang]map[int]string{
		RU: {0: "0 просмотров", 1: "1 просмотр", 2: "2 просмотра", 5: "5 просмотров", 11: "11 просмотров", 21: "21 просмотр", 22: "22 просмотра"},
		EN: {0: "0 views", 1: "1 view", 2: "2 views"},
		KK: {1: "1 қаралым", 5: "5 қаралым"},
	}
	for l, byN := range want {
		for n, w := range byN {
			if got := m.printers[l].Sprintf("x.views", n); got != w {
				t.Errorf("%s %d: got %q, want %q", l, n, got, w)
			}
		}
	}
	if e := m.entries["x.found"]; e == nil || e.text.RU != "Найдено по «%[2]s»: %[1]d" || e.line != 2 {
		t.Errorf("x.found: %+v", e)
	}
}

// The site's own counts, as a reader sees them.
func TestPluralsOfTheSite(t *testing.T) {
	for _, c := range []struct {
		l    Lang
		n    any
		want string
	}{
		{RU, 0, "0 просмотров"}, {RU, 1, "1 просмотр"}, {RU, int64(2), "2 просмотра"}, {RU, uint(21), "21 просмотр"},
		{EN, 1, "1 view"}, {EN, 7, "7 views"}, {KK, 3, "3 қаралым"},
	} {
		if got := T(c.l, "library.views", c.n); got != c.want {
			t.Errorf("T(%s, library.views, %v) = %q, want %q", c.l, c.n, got, c.want)
		}
	}
}

// Every message file of the package loads, and each holds messages.
func TestMessageFiles(t *testing.T) {
	if _, err := load(messageFiles); err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(messageFiles, "messages/*.json")
	for _, name := range names {
		data, _ := fs.ReadFile(messageFiles, name)
		if es, err := parseFile(name, data); err != nil || len(es) == 0 {
			t.Errorf("%s: %d messages, %v", name, len(es), err)
		}
	}
}

// Messages live only in the message files: no Go file of the package
// builds a Message or a map of them (as add(map[string]Message{…}) did
// before), so nobody adds a Go table again by accident.
func TestNoMessagesInGo(t *testing.T) {
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || lit.Type == nil {
				return true
			}
			// A Message literal with a text in it, or a map of them.
			text := false
			for _, el := range lit.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					el = kv.Value
				}
				b, ok := el.(*ast.BasicLit)
				text = text || ok && b.Kind == token.STRING
			}
			held := false
			switch ty := lit.Type.(type) {
			case *ast.Ident:
				held = ty.Name == "Message" && text
			case *ast.MapType:
				id, ok := ty.Value.(*ast.Ident)
				held = ok && (id.Name == "Message" || id.Name == "Plural") && len(lit.Elts) > 0
			}
			if held {
				t.Errorf("%s: messages in Go; put them in messages/<feature>.json (messages/README.md)", fset.Position(lit.Pos()))
			}
			return true
		})
	}
}

// A broken file stops the program at start, naming the file and key.
func TestBrokenFileStopsStart(t *testing.T) {
	defer func() {
		r := recover()
		if s, _ := r.(string); !strings.Contains(s, "messages/a.json:1: x.hello: no en text") {
			t.Errorf("panic %v", r)
		}
	}()
	mustLoad(fstest.MapFS{"messages/a.json": {Data: []byte(msgFile("x.hello", `{"kk": "Сәлем", "ru": "Привет"}`))}})
	t.Error("no panic")
}
