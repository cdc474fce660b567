// Command smartustaz runs the teachers' portal and its maintenance tasks.
//
//	smartustaz serve    [--addr HOST:PORT] [--data DIR] [--db DSN] [--smtp URL]
//	smartustaz migrate  [--data DIR] [--db DSN]
//	smartustaz admin create --email ADDRESS [--name NAME]
//	smartustaz keys add | keys rotate | keys status
//	smartustaz audit verify | audit reanchor --reason TEXT
//	smartustaz demo --users N
//	smartustaz import users FILE | --dsn DSN --mapping FILE
//
// Every subcommand takes --data and --db, and SMARTUSTAZ_DATA,
// SMARTUSTAZ_DB, SMARTUSTAZ_ADDR from the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "smartustaz:", err)
		os.Exit(1)
	}
}

const usage = `smartustaz — a teachers' portal that keeps personal data confidential

Commands:
  serve          run the site
  migrate        apply database migrations and exit
  admin create   create an administrator (--email; password from the terminal or stdin)
  keys add       add a master key to the key file, not active yet (first step on several nodes)
  keys rotate    make the added (or a new) master key active and re-wrap every data key (the site may keep serving)
  keys status    show the key file, the master keys in use and which keys each live node holds
  audit verify   check the audit log's hash chain and its checkpoints; exit 1 on the first problem
  audit reanchor after restoring an older database backup: record it and start new checkpoints (--reason)
  demo           fill the database with synthetic teachers and materials (--users N --materials M)
  import users   bring users over from another site: a CSV or JSON Lines file, or a database (--dsn, --mapping)
  reindex        recompute every material's search terms after an upgrade (--check: only say whether due)
  digest         send the digests of followed authors due now (--at TIME: for that moment)

Run "smartustaz COMMAND -h" for a command's flags.
`

// run is the whole program, with its environment passed in, so tests can
// run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	err := runCommand(ctx, args, getenv, stdin, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil // "COMMAND -h" printed the flags, as asked: not a failure
	}
	return err
}

func runCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	cmd, rest := args[1], args[2:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, getenv, stdout, stderr)
	case "admin":
		if len(rest) == 0 || rest[0] != "create" {
			return fmt.Errorf(`usage: smartustaz admin create --email ADDRESS`)
		}
		return cmdAdminCreate(ctx, rest[1:], getenv, stdin, stdout, stderr)
	case "keys":
		if len(rest) == 0 {
			return fmt.Errorf(`usage: smartustaz keys add|rotate|status`)
		}
		switch rest[0] {
		case "add":
			return cmdKeysAdd(ctx, rest[1:], getenv, stdout, stderr)
		case "rotate":
			return cmdKeysRotate(ctx, rest[1:], getenv, stdout, stderr)
		case "status":
			return cmdKeysStatus(ctx, rest[1:], getenv, stdout, stderr)
		}
		return fmt.Errorf(`usage: smartustaz keys add|rotate|status`)
	case "audit":
		if len(rest) > 0 && rest[0] == "verify" {
			return cmdAuditVerify(ctx, rest[1:], getenv, stdout, stderr)
		}
		if len(rest) > 0 && rest[0] == "reanchor" {
			return cmdAuditReanchor(ctx, rest[1:], getenv, stdout, stderr)
		}
		return fmt.Errorf(`usage: smartustaz audit verify | audit reanchor --reason TEXT`)
	case "import":
		if len(rest) == 0 || rest[0] != "users" {
			return fmt.Errorf(`usage: smartustaz import users FILE | --dsn DSN --mapping FILE`)
		}
		return cmdImportUsers(ctx, rest[1:], getenv, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, getenv, stdout, stderr)
	case "reindex":
		return cmdReindex(ctx, rest, getenv, stdout, stderr)
	case "digest":
		return cmdDigest(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
