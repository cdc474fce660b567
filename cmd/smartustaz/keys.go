package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// rotateWait is how long `keys rotate` waits for every live node to
// report the new key: nodes look at their key file every few seconds.
const rotateWait = 15 * time.Second

// cmdKeysAdd adds a master key to the key file without making it active:
// the first step of a rotation on several nodes (docs/operations.md).
func cmdKeysAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	a, err := openCommand(ctx, "keys add", args, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	id, added, err := a.vault.AddMasterKey(ctx)
	if err != nil {
		return err
	}
	file := a.vault.KeyFile()
	if added {
		if _, err := a.audit.Append(ctx, audit.Entry{Action: audit.ActionKeyAdd, Detail: fmt.Sprintf("master key %s added, not active", id)}); err != nil {
			return err
		}
		a.checkpoint(ctx, stderr)
		fmt.Fprintf(stdout, "smartustaz: master key %s added to %s (not active yet)\n", id, file)
	} else {
		fmt.Fprintf(stdout, "smartustaz: master key %s was already added to %s and is not active yet; no other key added\n", id, file)
	}
	fmt.Fprintf(stdout, `Next:
  1. Copy %s to the data folder of every node (mode 0600). A running node
     re-reads it within seconds. A node given %s needs the file's
     content in that secret and a restart.
  2. Check with: smartustaz keys status   (every live node must hold key %s)
  3. Then run here: smartustaz keys rotate
Back up %s now.
`, file, vault.KeyringEnv, id, file)
	return nil
}

// printKeysStatus prints the key file, the active master key, the data
// keys under each master key and the live nodes with the keys they hold,
// with a warning when the nodes disagree.
func printKeysStatus(ctx context.Context, a *app, stdout io.Writer) error {
	file := a.vault.KeyFile()
	if file == "" {
		file = "(from the SMARTUSTAZ_KEYRING environment variable)"
	}
	active, inDB, err := a.vault.ActiveMaster(ctx)
	if err != nil {
		return err
	}
	where := "decided by the database"
	if !inDB {
		where = "the key file's: no rotation has written it to the database yet"
	}
	fmt.Fprintf(stdout, "key file: %s\nmaster keys: %s\nactive: %s\nactive key: %s\n", file, a.vault.MasterKeyIDs(), active, where)
	used, err := a.vault.DataKeysByMaster(ctx)
	if err != nil {
		return err
	}
	var parts []string
	for _, id := range used {
		parts = append(parts, fmt.Sprintf("%s: %d", id.ID, id.Count))
	}
	fmt.Fprintf(stdout, "data keys by master key: %s\n", strings.Join(parts, ", "))
	nodes, err := a.vault.LiveNodes(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "live nodes (reported within %v): %d\n", vault.NodeGoneAfter, len(nodes))
	for _, n := range nodes {
		fmt.Fprintf(stdout, "  %s: master keys %s, seen %s ago\n", n, strings.Join(n.KeyIDs(), ","), time.Since(n.SeenAt).Round(time.Second))
	}
	warnings, err := a.vault.KeyWarnings(ctx, nodes, used)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(stdout, "WARNING: %s\n", w)
	}
	return nil
}

// liveNodesHolding says which serving nodes hold a key rotation made
// active, for its report.
func liveNodesHolding(n int) string {
	if n == 0 {
		return "no serving node is live"
	}
	return fmt.Sprintf("held by all %d live nodes", n)
}
