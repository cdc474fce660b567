package mail

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Outbox is a Sender that writes each message as an RFC 5322 .eml file
// into a directory, for development and for sites without an SMTP server:
// an operator (or a test) reads the files. The bytes are the ones go-mail
// would have sent over SMTP.
type Outbox struct {
	dir  string
	from string
	now  func() time.Time
}

// NewOutbox returns an outbox writing into dir (created on first send,
// mode 0700) with the given From address (DefaultFrom when empty).
func NewOutbox(dir, from string) *Outbox {
	return &Outbox{dir: dir, from: from, now: time.Now}
}

// Dir is the directory the outbox writes to.
func (o *Outbox) Dir() string { return o.dir }

// Send writes m to a new file <time>-<random>.eml, mode 0600. It writes a
// hidden temporary file first and renames it, so a reader listing *.eml
// never sees half a message.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	from, err := parseFrom(o.from)
	if err != nil {
		return err
	}
	now := o.now().UTC()
	msg, err := build(m, from, now)
	if err != nil {
		return err
	}
	// The files hold addresses and one-time links: only the owner reads them.
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	tmp, err := os.CreateTemp(o.dir, ".tmp-*") // CreateTemp makes files 0600
	if err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	tmpName := tmp.Name()
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmpName)
		}
	}()
	if _, err := msg.WriteTo(tmp); err != nil {
		return fmt.Errorf("mail: outbox: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("mail: outbox: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mail: outbox: close: %w", err)
	}
	// Time first so a directory listing is in sending order; random so two
	// messages in the same nanosecond (or from two processes) never collide.
	name := now.Format("20060102T150405.000000000Z") + "-" + randomHex(8) + ".eml"
	if err := os.Rename(tmpName, filepath.Join(o.dir, name)); err != nil {
		return fmt.Errorf("mail: outbox: rename: %w", err)
	}
	done = true
	return nil
}

// OutboxRetention is how long a written .eml file is kept (law L8): long
// enough for an operator without SMTP to read and pass it on.
const OutboxRetention = 30 * 24 * time.Hour

// Purge deletes the outbox's messages written before before, by the time
// in their names, and returns how many went.
func (o *Outbox) Purge(before time.Time) (int, error) {
	entries, err := os.ReadDir(o.dir)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("mail: outbox: purge: %w", err)
	}
	n := 0
	const stamp = "20060102T150405.000000000Z"
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || filepath.Ext(name) != ".eml" || len(name) < len(stamp) {
			continue
		}
		at, err := time.Parse(stamp, name[:len(stamp)])
		if err != nil || !at.Before(before) {
			continue
		}
		if err := os.Remove(filepath.Join(o.dir, name)); err != nil && !os.IsNotExist(err) {
			return n, fmt.Errorf("mail: outbox: purge: %w", err)
		}
		n++
	}
	return n, nil
}
