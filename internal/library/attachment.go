package library

import (
	"bytes"
	"context"
	"errors"

	"github.com/smartustaz/smartustaz/internal/apperr"
)

// CheckAttachment applies the library's file rules to a file attached to
// a message (internal/correspondence): a plain name, a kind told by
// content among the library's kinds, no zip or XML bomb, at most max
// bytes. It returns the name (with the kind's ending) and the kind; a
// refusal is a field error on field.
func CheckAttachment(ctx context.Context, field, name string, data []byte, max int64) (string, string, error) {
	clean, err := CleanFileName(name)
	if err != nil {
		return "", "", apperr.Field(field, "library.files.name", maxNameRunes)
	}
	if len(data) == 0 {
		return "", "", apperr.Field(field, "library.files.empty", clean)
	}
	if int64(len(data)) > max {
		return "", "", apperr.Field(field, "library.files.too_large", clean, max>>20)
	}
	r := bytes.NewReader(data)
	kind, err := sniffFile(ctx, r, int64(len(data)))
	if err != nil {
		if ctx.Err() != nil {
			return "", "", ctx.Err()
		}
		if errors.Is(err, errUnsupported) {
			return "", "", apperr.Field(field, "library.files.type", clean)
		}
		return "", "", apperr.Field(field, "library.files.damaged", clean)
	}
	if err := checkFile(ctx, r, int64(len(data)), kind); err != nil {
		if ctx.Err() != nil {
			return "", "", ctx.Err()
		}
		if errors.Is(err, errBomb) {
			return "", "", apperr.Field(field, "library.files.bomb", clean)
		}
		return "", "", apperr.Field(field, "library.files.damaged", clean)
	}
	return nameForKind(clean, kind), kind, nil
}
