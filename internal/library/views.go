package library

import (
	"context"
	"github.com/smartustaz/smartustaz/internal/db"
	"maps"
	"sync"
	"time"
)

// viewCounts gathers page views in memory between flushes. Counting each
// view as it happens made every material page a write: on SQLite, every
// page waited for the one writer connection, and a popular page's row was
// rewritten hundreds of times a second. Gathered, a second of views is one
// transaction of one UPDATE per material viewed. What a crash loses is at
// most the last interval's views of a counter that is only ever shown.
type viewCounts struct {
	mu      sync.Mutex
	pending map[int64]int64
}

// View counts one view of a published material: at once, or at the next
// flush once StartViewCounter runs. It is a plain counter: nothing about
// the visitor is stored.
func (s *Service) View(ctx context.Context, id int64) error {
	s.views.mu.Lock()
	if s.views.pending != nil {
		s.views.pending[id]++
		s.views.mu.Unlock()
		return nil
	}
	s.views.mu.Unlock()
	_, err := s.db.Exec(ctx, `UPDATE materials SET views = views + 1 WHERE id = ? AND status = ?`, id, string(StatusPublished))
	return wrap("view", err)
}

// StartViewCounter gathers views and writes them every interval until
// the returned stop is called, which writes what is left.
func (s *Service) StartViewCounter(ctx context.Context, every time.Duration) (stop func()) {
	s.views.mu.Lock()
	s.views.pending = map[int64]int64{}
	s.views.mu.Unlock()
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := s.FlushViews(ctx); err != nil && ctx.Err() == nil {
					s.o.Log.Warn("library: count views", "err", err)
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done
		// The last views, and from now on each one at once.
		s.views.mu.Lock()
		left := s.views.pending
		s.views.pending = nil
		s.views.mu.Unlock()
		if err := s.writeViews(context.Background(), left); err != nil {
			s.o.Log.Warn("library: count views", "err", err)
		}
	}
}

// FlushViews writes the views gathered so far.
func (s *Service) FlushViews(ctx context.Context) error {
	s.views.mu.Lock()
	if len(s.views.pending) == 0 {
		s.views.mu.Unlock()
		return nil
	}
	batch := s.views.pending
	s.views.pending = map[int64]int64{}
	s.views.mu.Unlock()
	if err := s.writeViews(ctx, batch); err != nil {
		// Put them back for the next flush rather than lose them.
		s.views.mu.Lock()
		if s.views.pending != nil {
			for id, n := range batch {
				s.views.pending[id] += n
			}
		}
		s.views.mu.Unlock()
		return err
	}
	return nil
}

func (s *Service) writeViews(ctx context.Context, batch map[int64]int64) error {
	if len(batch) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(batch))
	for id := range maps.Keys(batch) {
		ids = append(ids, id)
	}
	return wrap("view", s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, id := range ids {
			if _, err := tx.Exec(ctx, `UPDATE materials SET views = views + ? WHERE id = ? AND status = ?`, batch[id], id, string(StatusPublished)); err != nil {
				return err
			}
		}
		return nil
	}))
}
