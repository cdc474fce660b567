package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/i18n"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// openCommand parses a subcommand that has only the common flags and opens
// the app for it; the caller closes it.
func openCommand(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer) (*app, error) {
	c, _, err := parse(name, args, getenv, stderr, nil)
	if err != nil {
		return nil, err
	}
	return open(ctx, c, getenv, stderr)
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, err := openCommand(ctx, "migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintf(stdout, "smartustaz: database (%s) is up to date\n", a.db.Engine())
	return nil
}

// readPassword reads the password from the terminal without echo, or the
// first line of stdin when stdin is not a terminal (scripts, tests).
func readPassword(stdin io.Reader, stderr io.Writer, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func cmdAdminCreate(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var email, name string
	c, _, err := parse("admin create", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the administrator's email address (required)")
		fs.StringVar(&name, "name", "Administrator", "the administrator's name")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return fmt.Errorf("admin create: --email is required")
	}
	pw, err := readPassword(stdin, stderr, "Password for the new administrator: ")
	if err != nil {
		return err
	}
	a, err := open(ctx, c, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	// The administrator and its audit entry are one transaction.
	u, err := a.accounts.CreateAdmin(ctx, email, pw, name)
	if err != nil {
		return fmt.Errorf("admin create: %s", describe(err))
	}
	fmt.Fprintf(stdout, "smartustaz: administrator #%d created; log in at /login\n", u.ID)
	a.checkpoint(ctx, stderr)
	return nil
}

// checkpoint anchors the audit log outside the database after a command
// appended to it, as a serving node does a few seconds after an append. A
// failure is reported, not fatal: the change is made and audited, and the
// next checkpoint of any node covers it.
func (a *app) checkpoint(ctx context.Context, stderr io.Writer) {
	if _, err := a.audit.Checkpoint(ctx); err != nil {
		fmt.Fprintf(stderr, "smartustaz: warning: audit checkpoint not written: %v\n", err)
	}
}

func cmdKeysRotate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var wait time.Duration
	c, _, err := parse("keys rotate", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.DurationVar(&wait, "wait", rotateWait, "how long to wait for every live node to hold the new master key before refusing")
	})
	if err != nil {
		return err
	}
	a, err := open(ctx, c, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	waited := false
	pr := newProgress(stderr)
	res, err := a.vault.Rotate(ctx, vault.RotateOptions{
		Wait: wait,
		Waiting: func(id string, lacking []vault.Node) {
			if !waited {
				fmt.Fprintf(stderr, "waiting up to %v for %d node(s) to hold master key %s\n", wait, len(lacking), id)
				waited = true
			}
		},
		Progress: func(done int) { pr.show("re-wrapped %d data keys", done) },
	})
	pr.done()
	if err != nil {
		return err
	}
	// Rotation re-wraps in many short transactions so the site keeps
	// serving; its entry follows them (a failed rotation is retried whole).
	if _, err := a.audit.Append(ctx, audit.Entry{Action: audit.ActionKeyRotation, Detail: fmt.Sprintf("new master key %s, %d data keys re-wrapped, retired %v", res.NewKeyID, res.Rewrapped, res.Retired)}); err != nil {
		return err
	}
	a.checkpoint(ctx, stderr)
	fmt.Fprintf(stdout, "smartustaz: master key %s is active (%s); %d data keys re-wrapped; retired keys: %v\nBack up %s again now, and copy it to every node again (nodes given %s: update the secret and restart them), so that they drop the retired keys.\n",
		res.NewKeyID, liveNodesHolding(res.Nodes), res.Rewrapped, res.Retired, a.vault.KeyFile(), vault.KeyringEnv)
	return nil
}

func cmdKeysStatus(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, err := openCommand(ctx, "keys status", args, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	return printKeysStatus(ctx, a, stdout)
}

func cmdAuditVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, err := openCommand(ctx, "audit verify", args, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.audit.Verify(ctx)
	if err != nil {
		return err
	}
	if !rep.OK {
		msg := i18n.T(i18n.EN, rep.MessageKey())
		if rep.FirstBad > 0 {
			msg = i18n.T(i18n.EN, rep.MessageKey(), rep.FirstBad)
		}
		fmt.Fprintf(stdout, "audit log: NOT intact: entry %d: %s (%d entries checked)\n%s\n", rep.FirstBad, rep.Problem, rep.Entries, msg)
		if rep.Detail != "" {
			fmt.Fprintf(stdout, "(%s)\n", rep.Detail)
		}
		if rep.Problem == audit.ProblemCheckpointInvalid {
			return fmt.Errorf("audit log checkpoint is not validly signed")
		}
		return fmt.Errorf("audit log altered at entry %d", rep.FirstBad)
	}
	fmt.Fprintf(stdout, "audit log: intact, %d entries\n", rep.Entries)
	if rep.Checkpoint > 0 {
		fmt.Fprintf(stdout, "anchored outside the database up to entry %d (checkpoints in %s)\n", rep.Checkpoint, strings.Join(rep.Anchors, ", "))
	} else {
		fmt.Fprintf(stdout, "no checkpoint outside the database yet (looked in %s)\n", strings.Join(rep.Anchors, ", "))
	}
	return nil
}

// cmdAuditReanchor is for after an older database backup was restored on
// purpose: the log is then behind its checkpoints for good. It records what
// they said and why, and anchors the log as it now is.
func cmdAuditReanchor(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var reason string
	c, _, err := parse("audit reanchor", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "why, e.g. \"restored the backup of 2 March after a disk failure\" (required; no personal data)")
	})
	if err != nil {
		return err
	}
	if reason == "" {
		return fmt.Errorf("audit reanchor: --reason is required")
	}
	a, err := open(ctx, c, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	cp, err := a.audit.Reanchor(ctx, reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit log: anchored anew at entry %d; the entry records the checkpoints it replaced\n", cp.Seq)
	return nil
}

// describe turns a domain error into an English sentence for the terminal.
func describe(err error) string {
	var fields apperr.Fields
	if errors.As(err, &fields) {
		var parts []string
		for _, f := range fields {
			parts = append(parts, f.Field+": "+i18n.T(i18n.EN, f.Key, f.Args...))
		}
		return strings.Join(parts, "; ")
	}
	if e, ok := apperr.As(err); ok {
		msg := i18n.T(i18n.EN, e.Key, e.Args...)
		if e.Field != "" {
			msg = e.Field + ": " + msg
		}
		return msg
	}
	return err.Error()
}
