package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress shows how far a long command has come. On a terminal it is one
// line redrawn in place, at most five times a second. In a log or a pipe
// (serve --demo under a service manager, a cron job) carriage returns
// would make one endless line, so there it writes a plain line every ten
// seconds, and the last state when the work ends.
type progress struct {
	mu      sync.Mutex // the import reports from several goroutines
	w       io.Writer
	tty     bool
	every   time.Duration
	last    time.Time
	pending string // the newest state not written yet
	drawn   bool   // a frame is on the terminal's line
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	p := &progress{w: w, tty: ok && term.IsTerminal(int(f.Fd())), every: 10 * time.Second}
	if p.tty {
		p.every = 200 * time.Millisecond
	}
	// The first state is shown at once: a log says the work has begun.
	p.last = time.Now().Add(-p.every)
	return p
}

// show records the current state and writes it when it is time to.
func (p *progress) show(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending = fmt.Sprintf(format, args...)
	if time.Since(p.last) >= p.every {
		p.write()
	}
}

func (p *progress) write() {
	if p.tty {
		fmt.Fprint(p.w, "\r"+p.pending)
		p.drawn = true
	} else {
		fmt.Fprintln(p.w, p.pending)
	}
	p.pending, p.last = "", time.Now()
}

// done writes the last state if it is not written yet and ends the line.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending != "" {
		p.write()
	}
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
