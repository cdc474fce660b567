package mailq

import "context"

// Deliver runs the delivery job of message id, as a node that takes it
// (again) would.
func (q *Queue) Deliver(ctx context.Context, id int64) error { return q.deliver(ctx, id, false) }
