package account

import (
	"context"
	"fmt"
	"strings"
)

// lookupChunk bounds the values of one IN (...) list.
const lookupChunk = 500

// IDsByEmail returns the ids of the accounts registered with emails,
// found through the blind index only (the addresses are never compared
// in plaintext), and the positions in emails that matched no account.
// A deleted account has no index and matches nothing.
func (s *Service) IDsByEmail(ctx context.Context, emails []string) (ids []int64, unmatched []int, err error) {
	seen := map[int64]bool{}
	for start := 0; start < len(emails); start += lookupChunk {
		part := emails[start:min(start+lookupChunk, len(emails))]
		bidx := make([][]byte, len(part))
		for i, e := range part {
			bidx[i] = s.emailIndex(e)
		}
		found, err := s.idsByIndex(ctx, s.db, bidx)
		if err != nil {
			return nil, nil, fmt.Errorf("account: ids by email: %w", err)
		}
		for i, x := range bidx {
			id, ok := found[string(x)]
			if !ok {
				unmatched = append(unmatched, start+i)
				continue
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids, unmatched, nil
}

// ActiveIDs returns those of ids that are accounts not deleted (active,
// or blocked where that state exists), and the ids that are not (unknown
// or deleted), each in the order given.
func (s *Service) ActiveIDs(ctx context.Context, ids []int64) (active, other []int64, err error) {
	ok := map[int64]bool{}
	for start := 0; start < len(ids); start += lookupChunk {
		part := ids[start:min(start+lookupChunk, len(ids))]
		args := make([]any, 0, len(part)+1)
		args = append(args, StatusDeleted)
		for _, id := range part {
			args = append(args, id)
		}
		q := `SELECT id FROM users WHERE status <> ? AND id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(part)), ",") + `)`
		rows, err := s.db.Query(ctx, q, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("account: active ids: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("account: active ids: %w", err)
			}
			ok[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("account: active ids: %w", err)
		}
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if ok[id] {
			active = append(active, id)
		} else {
			other = append(other, id)
		}
	}
	return active, other, nil
}

// AllActiveIDs returns the id of every account not deleted, in id order.
func (s *Service) AllActiveIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT id FROM users WHERE status <> ? ORDER BY id`, StatusDeleted)
	if err != nil {
		return nil, fmt.Errorf("account: all active ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("account: all active ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
