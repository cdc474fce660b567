package library

// The habits of the big portals (issue 13 §3): favourites, collections,
// ratings and comments, following authors, and the notifications inbox.
// Everything here is the signed-in user's own choice; every row names its
// user, is in their data export and goes with the account (EraseUser).
// Who wrote a comment is shown only through the name the person chose to
// publish (clause 1.4): otherwise a comment reads as "a teacher".

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Comment statuses.
const (
	CommentPending   = "pending"
	CommentPublished = "published"
	CommentRejected  = "rejected"
	CommentTakenDown = "taken_down"
)

// Bounds of what users type.
const (
	MaxComment         = 2000
	MaxCollectionTitle = 120
	MaxCollections     = 100
)

// ratingScore is the catalog's "rating" order: a Bayesian average with
// two phantom votes of 3 stars, × 1000 (an integer, so the keyset cursor
// stays exact); 0 for a material nobody rated, which puts it last.
func ratingScore(sum, count int64) int64 {
	if count == 0 {
		return 0
	}
	return (sum + 6) * 1000 / (count + 2)
}

// publishedMaterial returns the author of a published material, or not
// found.
func publishedMaterial(ctx context.Context, q db.Querier, id int64) (author int64, err error) {
	var status string
	if err := q.QueryRow(ctx, `SELECT author_id, status FROM materials WHERE id = ?`, id).Scan(&author, &status); err != nil {
		return 0, err
	}
	if Status(status) != StatusPublished {
		return 0, errNotFound()
	}
	return author, nil
}

// Rate records userID's stars (1–5) for a published material — a second
// rating replaces the first — and, when comment is not blank, adds a
// comment, which waits for a moderator unless the site publishes
// immediately. An author does not rate their own material. It returns
// the comment's status ("" when none was written).
func (s *Service) Rate(ctx context.Context, userID, materialID int64, stars int, comment string) (string, error) {
	comment = strings.TrimSpace(text(comment))
	var errs apperr.Fields
	if stars < 1 || stars > 5 {
		errs = append(errs, apperr.Field("stars", "social.rate.stars"))
	}
	if utf8.RuneCountInString(comment) > MaxComment {
		errs = append(errs, apperr.Field("comment", "social.comment.length", MaxComment))
	}
	if err := errs.Err(); err != nil {
		return "", err
	}
	status := ""
	var commentID int64
	var author int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var sum, count int64
		var st string
		if err := tx.QueryRow(ctx, `SELECT author_id, status, rating_sum, rating_count FROM materials WHERE id = ?`+db.ForUpdate(tx.Engine()),
			materialID).Scan(&author, &st, &sum, &count); err != nil {
			return err
		}
		if Status(st) != StatusPublished {
			return errNotFound()
		}
		if author == userID {
			return apperr.New(apperr.Forbidden, "social.rate.own")
		}
		now := s.nowMS()
		var old int64
		err := tx.QueryRow(ctx, `SELECT stars FROM ratings WHERE material_id = ? AND user_id = ?`, materialID, userID).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			count++
			_, err = tx.Exec(ctx, `INSERT INTO ratings (material_id, user_id, stars, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
				materialID, userID, stars, now, now)
		case err == nil:
			sum -= old
			_, err = tx.Exec(ctx, `UPDATE ratings SET stars = ?, updated_at = ? WHERE material_id = ? AND user_id = ?`, stars, now, materialID, userID)
		}
		if err != nil {
			return err
		}
		sum += int64(stars)
		if _, err := tx.Exec(ctx, `UPDATE materials SET rating_sum = ?, rating_count = ?, rating_score = ? WHERE id = ?`,
			sum, count, ratingScore(sum, count), materialID); err != nil {
			return err
		}
		if comment == "" {
			return nil
		}
		status = CommentPending
		if s.o.PublishImmediately {
			status = CommentPublished
		}
		commentID = db.NewID()
		if _, err := tx.Exec(ctx, `INSERT INTO comments (id, material_id, user_id, body, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			commentID, materialID, userID, comment, status, now); err != nil {
			return err
		}
		if status == CommentPublished {
			return s.inboxTx(ctx, tx, author, "comment", materialID, commentID, "", "")
		}
		return nil
	})
	if err != nil {
		return "", wrap("rate", err)
	}
	if status == CommentPublished {
		s.notifyComment(ctx, materialID)
	}
	return status, nil
}

// MyRating is userID's stars for a material, 0 when not rated.
func (s *Service) MyRating(ctx context.Context, userID, materialID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT stars FROM ratings WHERE material_id = ? AND user_id = ?`, materialID, userID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, wrap("my rating", err)
}

// Rating is a material's average and number of ratings.
type Rating struct {
	Sum, Count int64
}

// Average is the mean of the stars, 0 when nobody rated.
func (r Rating) Average() float64 {
	if r.Count == 0 {
		return 0
	}
	return float64(r.Sum) / float64(r.Count)
}

// MaterialRating reads a material's rating.
func (s *Service) MaterialRating(ctx context.Context, materialID int64) (Rating, error) {
	var r Rating
	err := s.db.QueryRow(ctx, `SELECT rating_sum, rating_count FROM materials WHERE id = ?`, materialID).Scan(&r.Sum, &r.Count)
	return r, wrap("rating", err)
}

// Comment is one comment as pages show it.
type Comment struct {
	ID, MaterialID, UserID int64
	Body, Status           string
	At                     time.Time
	// AuthorName is the commenter's public name, "" unless they chose
	// to show one.
	AuthorName string
	// Stars is the commenter's rating of the material (0: none).
	Stars int
	// MaterialTitle and MaterialSlug are filled for the moderation queue
	// and the export.
	MaterialTitle, MaterialSlug string
}

const commentColumns = `c.id, c.material_id, c.user_id, c.body, c.status, c.created_at, COALESCE(r.stars, 0), m.title, m.slug
	FROM comments c JOIN materials m ON m.id = c.material_id LEFT JOIN ratings r ON r.material_id = c.material_id AND r.user_id = c.user_id `

func (s *Service) queryComments(ctx context.Context, q string, args ...any) ([]Comment, error) {
	rows, err := s.db.Query(ctx, `SELECT `+commentColumns+q, args...)
	if err != nil {
		return nil, wrap("comments", err)
	}
	var out []Comment
	for rows.Next() {
		var c Comment
		var at int64
		if err := rows.Scan(&c.ID, &c.MaterialID, &c.UserID, &c.Body, &c.Status, &at, &c.Stars, &c.MaterialTitle, &c.MaterialSlug); err != nil {
			rows.Close()
			return nil, wrap("comments", err)
		}
		c.At = db.Time(at)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("comments", err)
	}
	ids := make([]int64, len(out))
	for i, c := range out {
		ids[i] = c.UserID
	}
	names, err := s.DisplayNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].AuthorName = names[out[i].UserID]
	}
	return out, nil
}

// Comments lists a material's published comments, oldest first.
func (s *Service) Comments(ctx context.Context, materialID int64) ([]Comment, error) {
	return s.queryComments(ctx, `WHERE c.material_id = ? AND c.status = ? ORDER BY c.created_at, c.id LIMIT 500`, materialID, CommentPublished)
}

// PendingComments lists comments waiting for a moderator, oldest first.
func (s *Service) PendingComments(ctx context.Context, limit int) ([]Comment, error) {
	return s.queryComments(ctx, `WHERE c.status = ? ORDER BY c.created_at, c.id LIMIT ?`, CommentPending, clampLimit(limit))
}

// ModerateComment approves ("approve"), rejects ("reject") or takes down
// ("takedown") a comment. A published comment tells the material's
// author (inbox and email); a take-down decides the comment's open
// reports.
func (s *Service) ModerateComment(ctx context.Context, moderatorID, commentID int64, action, reason string) (materialID int64, err error) {
	var to string
	var from []string
	switch action {
	case "approve":
		to, from = CommentPublished, []string{CommentPending}
	case "reject":
		to, from = CommentRejected, []string{CommentPending}
	case "takedown":
		to, from = CommentTakenDown, []string{CommentPending, CommentPublished}
	default:
		return 0, errNotFound()
	}
	if reason != "" && !validReason(reason) {
		return 0, apperr.Field("reason", "library.reason.invalid")
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var status string
		if err := tx.QueryRow(ctx, `SELECT material_id, status FROM comments WHERE id = ?`+db.ForUpdate(tx.Engine()), commentID).Scan(&materialID, &status); err != nil {
			return err
		}
		ok := false
		for _, f := range from {
			ok = ok || status == f
		}
		if !ok {
			return apperr.New(apperr.Conflict, "library.moderation.stale")
		}
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `UPDATE comments SET status = ?, moderated_by = ?, moderated_at = ?, reason = ? WHERE id = ?`,
			to, moderatorID, now, reason, commentID); err != nil {
			return err
		}
		if to == CommentTakenDown {
			if _, err := tx.Exec(ctx, `UPDATE reports SET decision = ?, decided_by = ?, decided_at = ? WHERE comment_id = ? AND decided_at = 0`,
				DecisionTakenDown, moderatorID, now, commentID); err != nil {
				return err
			}
		}
		if to == CommentPublished {
			author, err := publishedMaterial(ctx, tx, materialID)
			if err != nil {
				return nil // the material left the catalog meanwhile: nobody to tell
			}
			return s.inboxTx(ctx, tx, author, "comment", materialID, commentID, "", "")
		}
		return nil
	})
	if err != nil {
		return 0, wrap("moderate comment", err)
	}
	if to == CommentPublished {
		s.notifyComment(ctx, materialID)
	}
	return materialID, nil
}

// ToggleFavourite saves a published material for userID, or forgets it
// when saved already; it returns whether it is saved now.
func (s *Service) ToggleFavourite(ctx context.Context, userID, materialID int64) (bool, error) {
	saved := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM favourites WHERE user_id = ? AND material_id = ?`, userID, materialID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		if _, err := publishedMaterial(ctx, tx, materialID); err != nil {
			return err
		}
		saved = true
		_, err = tx.Exec(ctx, `INSERT INTO favourites (user_id, material_id, created_at) VALUES (?, ?, ?)`, userID, materialID, s.nowMS())
		return err
	})
	return saved, wrap("favourite", err)
}

// IsFavourite reports whether userID saved the material.
func (s *Service) IsFavourite(ctx context.Context, userID, materialID int64) (bool, error) {
	return s.exists(ctx, `SELECT 1 FROM favourites WHERE user_id = ? AND material_id = ?`, userID, materialID)
}

func (s *Service) exists(ctx context.Context, q string, args ...any) (bool, error) {
	var one int
	err := s.db.QueryRow(ctx, q, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, wrap("exists", err)
}

// Favourites lists the published materials userID saved, last saved
// first.
func (s *Service) Favourites(ctx context.Context, userID int64) ([]Card, error) {
	// "|| ''" (here, on collections and on an author's certificates):
	// from the user's rows to each material by its key; on status's
	// indexes SQLite walked every published material.
	cards, err := s.queryCards(ctx, `SELECT `+cardColumns+` FROM favourites f JOIN materials m ON m.id = f.material_id
		WHERE f.user_id = ? AND m.status || '' = ? ORDER BY f.created_at DESC, m.id DESC LIMIT 500`, userID, string(StatusPublished))
	if err != nil {
		return nil, err
	}
	return s.withAuthorNames(ctx, cards)
}

// Collection is a named list of materials.
type Collection struct {
	ID, OwnerID int64
	Title       string
	Public      bool
	CreatedAt   time.Time
	Items       []Card
	// OwnerName is the owner's public name ("" unless chosen).
	OwnerName string
}

// Path is the collection's address.
func (c Collection) Path() string { return "/collections/" + strconv.FormatInt(c.ID, 10) }

// CreateCollection makes a collection for ownerID.
func (s *Service) CreateCollection(ctx context.Context, ownerID int64, title string, public bool) (int64, error) {
	title, err := collectionTitle(title)
	if err != nil {
		return 0, err
	}
	id := db.NewID()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM collections WHERE owner_id = ?`, ownerID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxCollections {
			return apperr.Field("title", "social.collection.too_many", MaxCollections)
		}
		key, err := s.v.UserKey(ctx, tx, ownerID)
		if err != nil {
			return err
		}
		now := s.nowMS()
		_, err = tx.Exec(ctx, `INSERT INTO collections (id, owner_id, title, title_enc, public, created_at, updated_at) VALUES (?, ?, '', ?, ?, ?, ?)`,
			id, ownerID, key.Seal(collectionField(id), title), boolInt(public), now, now)
		return err
	})
	if err != nil {
		return 0, wrap("create collection", err)
	}
	return id, nil
}

// CollectionItem adds (remove false) or removes a material in one of
// ownerID's collections. Only a published material is added; anyone's.
func (s *Service) CollectionItem(ctx context.Context, ownerID, collectionID, materialID int64, remove bool) error {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := ownCollection(ctx, tx, ownerID, collectionID); err != nil {
			return err
		}
		if remove {
			_, err := tx.Exec(ctx, `DELETE FROM collection_items WHERE collection_id = ? AND material_id = ?`, collectionID, materialID)
			return err
		}
		if _, err := publishedMaterial(ctx, tx, materialID); err != nil {
			return err
		}
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `INSERT INTO collection_items (collection_id, material_id, added_at) VALUES (?, ?, ?)
			ON CONFLICT (collection_id, material_id) DO NOTHING`, collectionID, materialID, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE collections SET updated_at = ? WHERE id = ?`, now, collectionID)
		return err
	})
	return wrap("collection item", err)
}

// GetCollection returns a collection with its published materials. A
// private one is found only by its owner (viewerID).
func (s *Service) GetCollection(ctx context.Context, id, viewerID int64) (*Collection, error) {
	var c Collection
	var public int
	var created int64
	var status string
	var plain string
	var sealed []byte
	err := s.db.QueryRow(ctx, `SELECT c.id, c.owner_id, c.title, c.title_enc, c.public, c.created_at, u.status FROM collections c JOIN users u ON u.id = c.owner_id WHERE c.id = ?`, id).
		Scan(&c.ID, &c.OwnerID, &plain, &sealed, &public, &created, &status)
	if err != nil {
		return nil, wrap("collection", err)
	}
	c.Public, c.CreatedAt = public == 1, db.Time(created)
	if status != "active" || (!c.Public && c.OwnerID != viewerID) {
		return nil, errNotFound()
	}
	if c.Title, err = s.openLeftover(ctx, c.OwnerID, collectionField(c.ID), plain, sealed); err != nil {
		return nil, wrap("collection", err)
	}
	cards, err := s.queryCards(ctx, `SELECT `+cardColumns+` FROM collection_items i JOIN materials m ON m.id = i.material_id
		WHERE i.collection_id = ? AND m.status || '' = ? ORDER BY i.added_at DESC, m.id DESC LIMIT 500`, id, string(StatusPublished))
	if err != nil {
		return nil, err
	}
	if c.Items, err = s.withAuthorNames(ctx, cards); err != nil {
		return nil, err
	}
	names, err := s.DisplayNames(ctx, []int64{c.OwnerID})
	if err != nil {
		return nil, err
	}
	c.OwnerName = names[c.OwnerID]
	return &c, nil
}

// Collections lists ownerID's collections (publicOnly: the public ones),
// newest first, without their items.
func (s *Service) Collections(ctx context.Context, ownerID int64, publicOnly bool) ([]Collection, error) {
	q := `SELECT id, owner_id, title, title_enc, public, created_at FROM collections WHERE owner_id = ?`
	if publicOnly {
		q += ` AND public = 1`
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY created_at DESC, id DESC LIMIT ?`, ownerID, MaxCollections)
	if err != nil {
		return nil, wrap("collections", err)
	}
	var out []Collection
	var plain []string
	var sealed [][]byte
	for rows.Next() {
		var c Collection
		var public int
		var created int64
		var p string
		var b []byte
		if err := rows.Scan(&c.ID, &c.OwnerID, &p, &b, &public, &created); err != nil {
			rows.Close()
			return nil, wrap("collections", err)
		}
		c.Public, c.CreatedAt = public == 1, db.Time(created)
		out = append(out, c)
		plain, sealed = append(plain, p), append(sealed, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("collections", err)
	}
	// Opened once the rows are closed: the key may need a query of its own.
	for i := range out {
		if out[i].Title, err = s.openLeftover(ctx, ownerID, collectionField(out[i].ID), plain[i], sealed[i]); err != nil {
			return nil, wrap("collections", err)
		}
	}
	return out, nil
}

// collectionField is where a collection's sealed name lives.
func collectionField(id int64) vault.Field {
	return vault.Field{Table: "collections", Column: "title_enc", Row: id}
}

// ToggleFollow makes followerID follow authorID, or stop when following
// already; it returns whether they follow now. Only an author with a
// published material can be followed, and nobody follows themselves.
func (s *Service) ToggleFollow(ctx context.Context, followerID, authorID int64) (bool, error) {
	if followerID == authorID {
		return false, apperr.New(apperr.Forbidden, "social.follow.self")
	}
	following := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM follows WHERE follower_id = ? AND author_id = ?`, followerID, authorID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM materials m JOIN users u ON u.id = m.author_id
			WHERE m.author_id = ? AND m.status = ? AND u.status = 'active' LIMIT 1`, authorID, string(StatusPublished)).Scan(&one); err != nil {
			return err
		}
		following = true
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `INSERT INTO follows (follower_id, author_id, created_at) VALUES (?, ?, ?)`, followerID, authorID, now); err != nil {
			return err
		}
		// A first follow turns the digest on (daily) unless the user
		// chose otherwise before; the follow is the request for it.
		_, err = tx.Exec(ctx, `INSERT INTO digest_prefs (user_id, frequency, last_period, updated_at) VALUES (?, ?, 0, ?)
			ON CONFLICT (user_id) DO NOTHING`, followerID, DigestDaily, now)
		return err
	})
	return following, wrap("follow", err)
}

// IsFollowing reports whether followerID follows authorID.
func (s *Service) IsFollowing(ctx context.Context, followerID, authorID int64) (bool, error) {
	return s.exists(ctx, `SELECT 1 FROM follows WHERE follower_id = ? AND author_id = ?`, followerID, authorID)
}

// Followed is an author someone follows.
type Followed struct {
	AuthorID int64
	Name     string
	Since    time.Time
}

// Following lists the authors followerID follows.
func (s *Service) Following(ctx context.Context, followerID int64) ([]Followed, error) {
	rows, err := s.db.Query(ctx, `SELECT author_id, created_at FROM follows WHERE follower_id = ? ORDER BY created_at DESC LIMIT 1000`, followerID)
	if err != nil {
		return nil, wrap("following", err)
	}
	var out []Followed
	for rows.Next() {
		var f Followed
		var at int64
		if err := rows.Scan(&f.AuthorID, &at); err != nil {
			rows.Close()
			return nil, wrap("following", err)
		}
		f.Since = db.Time(at)
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("following", err)
	}
	ids := make([]int64, len(out))
	for i, f := range out {
		ids[i] = f.AuthorID
	}
	names, err := s.DisplayNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Name = names[out[i].AuthorID]
	}
	return out, nil
}

// Followers counts an author's followers.
func (s *Service) Followers(ctx context.Context, authorID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM follows WHERE author_id = ?`, authorID).Scan(&n)
	return n, wrap("followers", err)
}

// Notification is one entry of the inbox.
type Notification struct {
	ID                    int64
	Kind                  string // approved, rejected, taken_down, comment, followed
	MaterialID, CommentID int64
	Reason, Note          string
	At                    time.Time
	Unread                bool
	MaterialTitle, Path   string
}

// inboxTx adds an entry to userID's inbox inside tx.
func (s *Service) inboxTx(ctx context.Context, tx *db.Tx, userID int64, kind string, materialID, commentID int64, reason, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO notifications (id, user_id, kind, material_id, comment_id, reason, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		db.NewID(), userID, kind, materialID, commentID, reason, note, s.nowMS())
	return err
}

// followersInboxTx tells the followers of a material's author, inside the
// transaction that first publishes it, that it is new.
func (s *Service) followersInboxTx(ctx context.Context, tx *db.Tx, materialID int64) error {
	rows, err := tx.Query(ctx, `SELECT f.follower_id FROM follows f JOIN materials m ON m.author_id = f.author_id
		JOIN users u ON u.id = f.follower_id WHERE m.id = ? AND u.blocked = ''`, materialID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.inboxTx(ctx, tx, id, "followed", materialID, 0, "", ""); err != nil {
			return err
		}
	}
	return nil
}

// Notifications lists userID's inbox, newest first, and marks it read.
func (s *Service) Notifications(ctx context.Context, userID int64, limit int) ([]Notification, error) {
	rows, err := s.db.Query(ctx, `SELECT n.id, n.kind, n.material_id, n.comment_id, n.reason, n.note, n.created_at, n.read_at, COALESCE(m.title, ''), COALESCE(m.slug, '')
		FROM notifications n LEFT JOIN materials m ON m.id = n.material_id WHERE n.user_id = ? ORDER BY n.created_at DESC, n.id DESC LIMIT ?`, userID, clampLimit(limit))
	if err != nil {
		return nil, wrap("notifications", err)
	}
	var out []Notification
	for rows.Next() {
		var n Notification
		var at, read int64
		var slug string
		if err := rows.Scan(&n.ID, &n.Kind, &n.MaterialID, &n.CommentID, &n.Reason, &n.Note, &at, &read, &n.MaterialTitle, &slug); err != nil {
			rows.Close()
			return nil, wrap("notifications", err)
		}
		n.At, n.Unread = db.Time(at), read == 0
		if n.MaterialID != 0 {
			n.Path = MaterialPath(n.MaterialID, slug)
		}
		out = append(out, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("notifications", err)
	}
	if len(out) > 0 && out[0].Unread {
		if _, err := s.db.Exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at = 0`, s.nowMS(), userID); err != nil {
			return nil, wrap("notifications", err)
		}
	}
	return out, nil
}

// UnreadNotifications counts userID's unread inbox entries.
func (s *Service) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at = 0`, userID).Scan(&n)
	return n, wrap("unread", err)
}

// Download is one entry of a user's download history.
type Download struct {
	MaterialID  int64
	Title, Path string
	FileName    string
	At          time.Time
}

// Downloads lists userID's downloads from the file events already
// recorded (clause 1.2 (c)), newest first; a material no longer public
// keeps its entry without a link.
func (s *Service) Downloads(ctx context.Context, userID int64, limit int) ([]Download, error) {
	rows, err := s.db.Query(ctx, `SELECT e.material_id, e.at, COALESCE(m.title, ''), COALESCE(m.slug, ''), COALESCE(m.status, ''), COALESCE(f.name, '')
		FROM file_events e LEFT JOIN materials m ON m.id = e.material_id LEFT JOIN material_files f ON f.id = e.file_id
		WHERE e.user_id = ? AND e.action = 'download' ORDER BY e.at DESC, e.id DESC LIMIT ?`, userID, clampLimit(limit))
	if err != nil {
		return nil, wrap("downloads", err)
	}
	defer rows.Close()
	var out []Download
	for rows.Next() {
		var d Download
		var at int64
		var slug, status string
		if err := rows.Scan(&d.MaterialID, &at, &d.Title, &slug, &status, &d.FileName); err != nil {
			return nil, wrap("downloads", err)
		}
		d.At = db.Time(at)
		if Status(status) == StatusPublished {
			d.Path = MaterialPath(d.MaterialID, slug)
		}
		out = append(out, d)
	}
	return out, wrap("downloads", rows.Err())
}

// SocialExport is what the data export (/account/export.json) holds of
// issue 13's features for userID: ratings, comments (with their status),
// favourites, collections with their materials, the authors they follow,
// the digest choice and the inbox.
type SocialExport struct {
	Ratings       []ExportRating       `json:"ratings"`
	Comments      []ExportComment      `json:"comments"`
	Favourites    []int64              `json:"favourites"`
	Collections   []ExportCollection   `json:"collections"`
	Follows       []int64              `json:"follows"`
	Digest        string               `json:"digest"`
	Notifications []ExportNotification `json:"notifications"`
}

// ExportRating is one rating in the export.
type ExportRating struct {
	MaterialID int64     `json:"material_id"`
	Stars      int       `json:"stars"`
	At         time.Time `json:"at"`
}

// ExportComment is one comment in the export.
type ExportComment struct {
	ID         int64     `json:"id"`
	MaterialID int64     `json:"material_id"`
	Body       string    `json:"body"`
	Status     string    `json:"status"`
	At         time.Time `json:"at"`
}

// ExportCollection is one collection in the export.
type ExportCollection struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Public    bool      `json:"public"`
	CreatedAt time.Time `json:"created_at"`
	Materials []int64   `json:"materials"`
}

// ExportNotification is one inbox entry in the export.
type ExportNotification struct {
	Kind       string    `json:"kind"`
	MaterialID int64     `json:"material_id"`
	Reason     string    `json:"reason,omitempty"`
	Note       string    `json:"note,omitempty"`
	At         time.Time `json:"at"`
}

// ExportSocial reads userID's SocialExport.
func (s *Service) ExportSocial(ctx context.Context, userID int64) (*SocialExport, error) {
	out := &SocialExport{Ratings: []ExportRating{}, Comments: []ExportComment{}, Favourites: []int64{}, Collections: []ExportCollection{},
		Follows: []int64{}, Notifications: []ExportNotification{}}
	each := func(q string, scan func(sc func(...any) error) error, args ...any) error {
		rows, err := s.db.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows.Scan); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := each(`SELECT material_id, stars, updated_at FROM ratings WHERE user_id = ? ORDER BY updated_at`, func(sc func(...any) error) error {
		var r ExportRating
		var at int64
		err := sc(&r.MaterialID, &r.Stars, &at)
		r.At = db.Time(at)
		out.Ratings = append(out.Ratings, r)
		return err
	}, userID)
	if err == nil {
		err = each(`SELECT id, material_id, body, status, created_at FROM comments WHERE user_id = ? ORDER BY created_at, id`, func(sc func(...any) error) error {
			var c ExportComment
			var at int64
			err := sc(&c.ID, &c.MaterialID, &c.Body, &c.Status, &at)
			c.At = db.Time(at)
			out.Comments = append(out.Comments, c)
			return err
		}, userID)
	}
	if err == nil {
		err = each(`SELECT material_id FROM favourites WHERE user_id = ? ORDER BY created_at`, func(sc func(...any) error) error {
			var id int64
			err := sc(&id)
			out.Favourites = append(out.Favourites, id)
			return err
		}, userID)
	}
	if err == nil {
		err = each(`SELECT author_id FROM follows WHERE follower_id = ? ORDER BY created_at`, func(sc func(...any) error) error {
			var id int64
			err := sc(&id)
			out.Follows = append(out.Follows, id)
			return err
		}, userID)
	}
	if err == nil {
		err = each(`SELECT kind, material_id, reason, note, created_at FROM notifications WHERE user_id = ? ORDER BY created_at, id`, func(sc func(...any) error) error {
			var n ExportNotification
			var at int64
			err := sc(&n.Kind, &n.MaterialID, &n.Reason, &n.Note, &at)
			n.At = db.Time(at)
			out.Notifications = append(out.Notifications, n)
			return err
		}, userID)
	}
	if err != nil {
		return nil, wrap("export", err)
	}
	cols, err := s.Collections(ctx, userID, false)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		ids, err := s.ids(ctx, `SELECT material_id FROM collection_items WHERE collection_id = ? ORDER BY added_at`, c.ID)
		if err != nil {
			return nil, wrap("export", err)
		}
		if ids == nil {
			ids = []int64{}
		}
		out.Collections = append(out.Collections, ExportCollection{ID: c.ID, Title: c.Title, Public: c.Public, CreatedAt: c.CreatedAt, Materials: ids})
	}
	if out.Digest, err = s.DigestFrequency(ctx, userID); err != nil {
		return nil, err
	}
	return out, nil
}
