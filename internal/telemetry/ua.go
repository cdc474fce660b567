package telemetry

import (
	"strings"

	"github.com/medama-io/go-useragent"
)

// Agent is a user agent string as a person reads it.
type Agent struct {
	Browser, Version, OS, Device string
}

// uaParser is built once (a trie of the library's embedded definitions).
var uaParser = useragent.NewParser()

// maxUA bounds what is parsed and kept of a user agent string; real ones
// are a few hundred bytes.
const maxUA = 512

// ParseUA parses a user agent string (github.com/medama-io/go-useragent:
// a trie walked once over the string, no regular expressions). It runs in
// the writer, never in a request. Unknown parts are "".
func ParseUA(s string) Agent {
	if len(s) > maxUA {
		s = s[:maxUA]
	}
	a := uaParser.Parse(s)
	out := Agent{Browser: string(a.Browser()), Version: a.BrowserVersionMajor(), OS: string(a.OS()), Device: strings.ToLower(string(a.Device()))}
	if out.Browser == "" {
		out.Version = ""
	}
	return out
}
