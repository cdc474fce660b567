// Package logging builds the site's structured logger with a last line of
// defence for personal data (clause 2.1): vault.Secret values already
// print as [redacted]; on top of that, any attribute whose key names a
// personal field is redacted whatever its type, and any string value that
// looks like an email address is masked. A developer who writes
// log.Info("x", "email", addr) by mistake logs nothing personal.
package logging

import (
	"io"
	"log/slog"
	"regexp"
	"strings"
)

// personalKeys are attribute keys whose values are always redacted.
var personalKeys = map[string]bool{
	"email": true, "to": true, "recipient": true, "full_name": true, "name": true, "phone": true,
	"organization": true, "position": true, "region": true, "ip": true, "remote_addr": true,
	"user_agent": true, "ua": true, "password": true, "token": true, "cookie": true, "address": true,
}

var emailLike = regexp.MustCompile(`[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+`)

// Redact is the slog ReplaceAttr function that enforces the rules above.
func Redact(_ []string, a slog.Attr) slog.Attr {
	if personalKeys[strings.ToLower(a.Key)] {
		return slog.String(a.Key, "[redacted]")
	}
	var s string
	switch a.Value.Kind() {
	case slog.KindString:
		s = a.Value.String()
	case slog.KindAny:
		// Errors are printed through Error(): mask what they may quote.
		if err, ok := a.Value.Any().(error); ok {
			s = err.Error()
			if !strings.Contains(s, "@") {
				return slog.String(a.Key, s)
			}
		}
	}
	if strings.Contains(s, "@") {
		return slog.String(a.Key, emailLike.ReplaceAllString(s, "[email]"))
	}
	return a
}

// New returns a JSON logger writing to w at level, with Redact applied.
func New(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: Redact}))
}
