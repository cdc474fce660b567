package vault

import (
	"fmt"
	"log/slog"
)

// Redacted is what a Secret prints as, wherever it is printed by accident.
const Redacted = "[redacted]"

// Secret is a decrypted confidential value. It cannot be printed, logged
// or marshalled by accident: every formatting path prints Redacted. Code
// that must show the value to its owner, or to an administrator on the
// audited reveal page, calls Reveal, which is easy to find in review.
type Secret struct{ s string }

// NewSecret wraps a plaintext value that is already confidential (for
// instance a form field before it is sealed), so it is handled like one.
func NewSecret(s string) Secret { return Secret{s: s} }

// Reveal returns the plaintext.
func (s Secret) Reveal() string { return s.s }

// IsZero reports whether the value is empty.
func (s Secret) IsZero() bool { return s.s == "" }

// String implements fmt.Stringer.
func (s Secret) String() string { return Redacted }

// GoString implements fmt.GoStringer (%#v).
func (s Secret) GoString() string { return Redacted }

// Format makes every verb, %s %v %q %x included, print Redacted.
func (s Secret) Format(f fmt.State, _ rune) { f.Write([]byte(Redacted)) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalJSON prints Redacted; an export that must contain the value
// builds its document from Reveal explicitly.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText prints Redacted.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }
