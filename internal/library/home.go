package library

import (
	"context"
	"sync"
	"time"
)

// Home is what the home page shows: the newest and the most downloaded
// materials, and how many published materials each subject and grade
// holds, for browsing (issue 13, section 1).
type Home struct {
	Newest, Downloaded []Card
	Subjects, Grades   []Count
	// Total is the number of published materials.
	Total int64
}

// Count is a facet value and how many published materials have it.
type Count struct {
	Code string
	N    int64
}

// homeCards is how many cards each list on the home page shows.
const homeCards = 6

// homeTTL bounds how long a new material, or a changed count, takes to
// show on the home page. Counting every published material by subject
// and grade reads the whole facet index (a few hundred ms at a million
// materials), so each process does it at most once per homeTTL; the
// anonymous home page is served from the page cache anyway.
const homeTTL = time.Minute

type homeCache struct {
	mu sync.Mutex
	at time.Time
	h  *Home
}

// Home returns the home page's lists and counts, kept for homeTTL.
func (s *Service) Home(ctx context.Context) (*Home, error) {
	s.home.mu.Lock()
	defer s.home.mu.Unlock() // one reader computes, the others wait for it
	if s.home.h != nil && time.Since(s.home.at) < homeTTL {
		return s.home.h, nil
	}
	h := &Home{}
	var err error
	for _, l := range []struct {
		sort Sort
		to   *[]Card
	}{{SortNew, &h.Newest}, {SortDownloads, &h.Downloaded}} {
		ids, err := s.browse(ctx, Filter{Sort: l.sort}, Cursor{}, homeCards)
		if err != nil {
			return nil, wrap("home", err)
		}
		cards, err := s.cards(ctx, ids)
		if err != nil {
			return nil, err
		}
		if *l.to, err = s.withAuthorNames(ctx, cards); err != nil {
			return nil, err
		}
	}
	if h.Subjects, h.Grades, h.Total, err = s.facetCounts(ctx); err != nil {
		return nil, err
	}
	s.home.h, s.home.at = h, time.Now()
	return h, nil
}

// facetCounts counts published materials by subject and by grade in one
// pass over materials_facets (status, subject, grade, …), which covers the
// query: no table row is read. Codes come in taxonomy order.
func (s *Service) facetCounts(ctx context.Context) (subjects, grades []Count, total int64, err error) {
	rows, err := s.db.Query(ctx, `SELECT m.subject, m.grade, count(*) FROM materials m WHERE m.status = ? GROUP BY m.subject, m.grade`, string(StatusPublished))
	if err != nil {
		return nil, nil, 0, wrap("home counts", err)
	}
	defer rows.Close()
	bySubject, byGrade := map[string]int64{}, map[string]int64{}
	for rows.Next() {
		var subj, grade string
		var n int64
		if err := rows.Scan(&subj, &grade, &n); err != nil {
			return nil, nil, 0, wrap("home counts", err)
		}
		bySubject[subj] += n
		byGrade[grade] += n
		total += n
	}
	if err := rows.Err(); err != nil {
		return nil, nil, 0, wrap("home counts", err)
	}
	tax, err := s.Taxonomy(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	for _, t := range tax.Subjects {
		if n := bySubject[t.Code]; n > 0 {
			subjects = append(subjects, Count{t.Code, n})
		}
	}
	for _, t := range tax.Grades {
		if n := byGrade[t.Code]; n > 0 {
			grades = append(grades, Count{t.Code, n})
		}
	}
	return subjects, grades, total, nil
}

// FileRef is a material's first file, for the catalog card's picture.
type FileRef struct {
	ID   int64
	Kind string
}

// FirstFiles returns the first file (position 0) of each of ids that has
// one: one lookup per material by material_files_material.
func (s *Service) FirstFiles(ctx context.Context, ids []int64) (map[int64]FileRef, error) {
	out := make(map[int64]FileRef, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.Query(ctx, `SELECT material_id, id, kind FROM material_files WHERE material_id IN (`+marks(len(ids))+`) AND position = 0`, anys(ids)...)
	if err != nil {
		return nil, wrap("first files", err)
	}
	defer rows.Close()
	for rows.Next() {
		var mid int64
		var f FileRef
		if err := rows.Scan(&mid, &f.ID, &f.Kind); err != nil {
			return nil, wrap("first files", err)
		}
		out[mid] = f
	}
	return out, wrap("first files", rows.Err())
}
