package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// Only a connection gone is a reason to run a read again: a statement
// refused by a live server, or a request given up by its client, is not.
func TestLostConnectionClassifies(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"terminated backend", &pgconn.PgError{Severity: "FATAL", Code: "57P01"}, true},
		{"crash shutdown", fmt.Errorf("x: %w", &pgconn.PgError{Code: "57P02"}), true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"unexpected EOF", fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF), true},
		{"broken pipe", fmt.Errorf("write: %w", syscall.EPIPE), true},
		{"reset by peer", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"conn closed", fmt.Errorf("x: %w", pgconn.ErrConnClosed), true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"syntax error", &pgconn.PgError{Code: "42601"}, false},
		{"statement timeout", &pgconn.PgError{Code: "57014"}, false},
		{"client gone", fmt.Errorf("x: %w", context.Canceled), false},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), false},
		{"other", errors.New("no rows"), false},
		{"none", nil, false},
	} {
		if got := lostConnection(c.err); got != c.want {
			t.Errorf("%s: lostConnection = %v, want %v", c.name, got, c.want)
		}
	}
}
