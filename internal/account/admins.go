package account

import (
	"context"
	"fmt"
)

// AdminIDs lists the active administrators, for mail that goes to all of
// them (the escalation of overdue complaints).
func (s *Service) AdminIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT id FROM users WHERE role = ? AND status = ? ORDER BY id`, string(RoleAdmin), StatusActive)
	if err != nil {
		return nil, fmt.Errorf("account: admin ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("account: admin ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
