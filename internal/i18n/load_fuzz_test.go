package i18n

import (
	"io/fs"
	"testing"
	"testing/fstest"
)

// FuzzParseFile: the message file reader never panics on any bytes; what
// it accepts has matching arguments in every language, and loads.
func FuzzParseFile(f *testing.F) {
	names, _ := fs.Glob(messageFiles, "messages/*.json")
	for _, name := range names[:3] {
		data, _ := fs.ReadFile(messageFiles, name)
		f.Add(data)
	}
	for _, s := range []string{
		"", "{}", "[]", "null", `{"messages": {}}`, `{"messages": {"k": {}}}`,
		msgFile("x.a", plain), msgFile("x.a", plain) + "x",
		msgFile("x.v", `{"kk": {"other": "%d"}, "ru": {"one": "%d", "other": "%d"}, "en": {"other": "%d"}}`),
		msgFile("x.v", `{"kk": {"other": 1}, "ru": {"one": "%d"}, "en": {"other": "%[2]d"}}`),
		`{"messages": {"k": {"kk": "a", "kk": "b"}}`, "\uFEFF{", "{\"messages\": {\"\xff\": 1}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := parseFile("messages/f.json", data)
		if err != nil {
			return
		}
		for _, e := range es {
			if msg := sameVerbs(e); msg != "" {
				t.Fatalf("%s: accepted although %s", e.key, msg)
			}
			for _, l := range Langs {
				if e.forms != nil && e.forms[l]["other"] != e.text.get(l) {
					t.Fatalf("%s: %s fallback is not the other form", e.key, l)
				}
			}
		}
		if _, err := load(fstest.MapFS{"messages/f.json": {Data: data}}); err != nil {
			t.Fatalf("parsed but does not load: %v", err)
		}
	})
}
