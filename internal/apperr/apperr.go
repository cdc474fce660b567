// Package apperr is the small vocabulary of failures that domain packages
// return and the web layer turns into an HTTP status and a translated
// sentence, in one place. An Error carries an i18n message key (never a
// personal value) and, optionally, the form field it is about.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies a failure.
type Code string

const (
	Invalid      Code = "invalid"      // bad input: 422 and the form again
	NotFound     Code = "not_found"    // 404
	Conflict     Code = "conflict"     // 409, e.g. an address already registered
	Unauthorized Code = "unauthorized" // 401: wrong credentials or not signed in
	Forbidden    Code = "forbidden"    // 403
	TooMany      Code = "too_many"     // 429: throttled
	Gone         Code = "gone"         // 410: expired or used link
	Malformed    Code = "malformed"    // 400: a body no page of ours sends (a broken multipart form)
)

// Error is a failure a user can be told about.
type Error struct {
	Code  Code
	Field string // form field name, "" for the whole form
	Key   string // i18n message key
	Args  []any  // values for the message (never personal data)
	Err   error  // cause, for the log
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	if e.Field != "" {
		s = string(e.Code) + ": " + e.Field + ": " + e.Key
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an Error with code and message key.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Field returns an Invalid error about one form field.
func Field(field, key string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Key: key, Args: args}
}

// Fields collects several field errors from one validation pass.
type Fields []*Error

func (f Fields) Error() string {
	if len(f) == 0 {
		return "no errors"
	}
	return fmt.Sprintf("%d invalid fields, first: %v", len(f), f[0])
}

// Err returns f as an error, or nil when there is nothing in it.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

// As finds an *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns the code of err, or "" for an unexpected error.
func CodeOf(err error) Code {
	var fs Fields
	if errors.As(err, &fs) {
		return Invalid
	}
	if e, ok := As(err); ok {
		return e.Code
	}
	return ""
}
