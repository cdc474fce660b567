package account

import "context"

// Limiter slows down repeated failures of one kind of attempt outside
// this package (checking the name printed on a certificate, for one),
// with the same throttle as logins: the same table, blind-indexed keys
// (no address stored), doubling blocks capped at 15 minutes, no
// permanent lockout, counters forgotten by Purge after a day idle.
type Limiter struct {
	t     *throttle
	scope string
	free  int
}

// Limiter returns the limiter of scope: the first free failures of a
// value cost nothing, each further one blocks it for 2, 4, 8… seconds.
// The scope must not be one of this package's own (login, registration,
// reset), so that its counters never mix with theirs.
func (s *Service) Limiter(scope string, free int) *Limiter {
	return &Limiter{t: s.thr, scope: "limit_" + scope, free: max(free, 0)}
}

// Check returns apperr TooMany "account.throttled" when value is blocked
// now. An empty value (no client address known) is never blocked.
func (l *Limiter) Check(ctx context.Context, value string) error {
	return l.t.check(ctx, l.t.key(l.scope, value))
}

// Fail records one failed attempt by value.
func (l *Limiter) Fail(ctx context.Context, value string) error {
	return l.t.failFree(ctx, l.free, l.t.key(l.scope, value))
}
