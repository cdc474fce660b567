package account_test

import (
	"context"
	"errors"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// TestDeleteWithChoice: DeleteWith runs the caller's step with the user's
// data still readable, inside the deletion's transaction (its failure
// deletes nothing); withdraws the materials only when asked, with the
// step after the commit; and writes the administrator's purpose and the
// choice to the audit entry.
func TestDeleteWithChoice(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "choice@mail.kz")
		admin := int64(42)

		if err := e.s.DeleteWith(e.ctx, u.ID, account.Meta{ActorID: admin}, account.DeleteChoice{WithdrawMaterials: true}); err == nil {
			t.Fatal("a withdrawal without a Withdrawer was accepted")
		}
		boom := errors.New("mail queue down")
		var seen string
		err := e.s.DeleteWith(e.ctx, u.ID, account.Meta{ActorID: admin}, account.DeleteChoice{Purpose: "request",
			Before: func(_ context.Context, _ *db.Tx, got *account.User) error {
				seen = got.Email.Reveal()
				return boom
			}})
		if !errors.Is(err, boom) {
			t.Fatalf("the step's failure is not returned: %v", err)
		}
		if seen != "choice@mail.kz" {
			t.Errorf("the step did not see the user's address opened")
		}
		if got, err := e.s.Get(e.ctx, u.ID); err != nil || got.Status != account.StatusActive || got.Email.Reveal() != "choice@mail.kz" {
			t.Fatalf("a failed step left the account %v (%v)", got.Status, err)
		}

		var inTx, after bool
		e.s.Withdraw = func(ctx context.Context, tx *db.Tx, id int64) (func(context.Context), error) {
			inTx = tx != nil && id == u.ID
			return func(context.Context) { after = true }, nil
		}
		if err := e.s.DeleteWith(e.ctx, u.ID, account.Meta{ActorID: admin}, account.DeleteChoice{WithdrawMaterials: true, Purpose: "the user's request"}); err != nil {
			t.Fatal(err)
		}
		if !inTx || !after {
			t.Errorf("the withdrawal ran in the transaction %v, after the commit %v", inTx, after)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'user_delete' AND target_user_id = ? AND actor_user_id = ?
			AND purpose = 'the user''s request' AND detail = 'by an administrator; materials withdrawn'`, u.ID, admin); n != 1 {
			t.Errorf("%d audit entries of the administrator's deletion with its purpose and choice, want 1", n)
		}
	})
}
