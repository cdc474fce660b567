package web

import (
	"context"
	"sort"
	"sync"
)

// jobs is the work started by requests that outlives them. Each runs on
// a context of its own that shutdown cancels at its deadline, so a job
// stuck in a network call (an SMTP server that does not answer) cannot
// keep the process past --shutdown-timeout.
type jobs struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	names  map[string]int // running jobs by name, for the log at shutdown
}

func (j *jobs) init() {
	j.ctx, j.cancel = context.WithCancel(context.Background())
	j.names = map[string]int{}
}

// start runs fn in the background under name (never personal data).
func (j *jobs) start(name string, fn func(ctx context.Context)) {
	j.mu.Lock()
	j.names[name]++
	j.mu.Unlock()
	j.wg.Go(func() {
		defer func() {
			j.mu.Lock()
			if j.names[name]--; j.names[name] == 0 {
				delete(j.names, name)
			}
			j.mu.Unlock()
		}()
		fn(j.ctx)
	})
}

// Wait waits for the background work started by requests until it has
// finished or ctx ends. At ctx's end it cancels what is left and returns
// the names of those jobs without waiting for them: the process is
// exiting, and a job that does not heed its context must not hold it.
func (s *Server) Wait(ctx context.Context) (left []string) {
	done := make(chan struct{})
	go func() {
		s.jobs.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	s.jobs.cancel()
	s.jobs.mu.Lock()
	defer s.jobs.mu.Unlock()
	for name := range s.jobs.names {
		left = append(left, name)
	}
	sort.Strings(left)
	return left
}
