package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/telemetry"
)

// techData is what the site recorded of one user's visits (issue 9):
// their technical records and preference counts, opened with their key.
// The user's data page, their export and the administrators' audited
// reveal show the same.
type techData struct {
	Lang        i18n.Lang
	Defs        []telemetry.Def
	Records     []telemetry.Record
	Truncated   bool
	Limit       int
	Preferences []telemetry.Preference
	Files       []library.FileEvent
}

// recordLimit is how many records a page shows (the export has all).
func (s *Server) recordLimit() int {
	if s.TelemetryLimit > 0 {
		return s.TelemetryLimit
	}
	return 500
}

func (s *Server) loadTech(ctx context.Context, userID int64, limit int) (*techData, error) {
	d := &techData{Lang: i18n.Default, Defs: telemetry.PersonalDefs(), Limit: limit}
	if ri, ok := ctx.Value(ctxKey{}).(*req); ok {
		d.Lang = ri.Lang
	}
	var err error
	n := limit
	if n > 0 {
		n++
	}
	if d.Records, err = telemetry.UserRecords(ctx, s.DB, s.Vault, userID, n); err != nil {
		return nil, err
	}
	if limit > 0 && len(d.Records) > limit {
		d.Records, d.Truncated = d.Records[:limit], true
	}
	if d.Preferences, err = telemetry.UserPreferences(ctx, s.DB, s.Vault, userID); err != nil {
		return nil, err
	}
	if s.Library != nil {
		if d.Files, err = s.Library.FileEvents(ctx, userID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// accountData is the signed-in user's page of everything the site keeps
// about them, in sections (clause 1.1: the personalised information).
func (s *Server) accountData(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.loadMyData(r.Context(), u, s.recordLimit())
	if err == nil {
		d.Zip, err = s.loadZipView(r.Context(), u.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "telemetry.data.title")
	pg.Data = d
	s.render(w, r, http.StatusOK, "account_data", pg)
}

func (s *Server) retentionDays() int {
	if s.TelemetryRetention > 0 {
		return int(s.TelemetryRetention / (24 * time.Hour))
	}
	return int(telemetry.DefaultRetention / (24 * time.Hour))
}

// techExport is the export's "technical" and "preferences".
func (s *Server) techExport(ctx context.Context, userID int64) (tech []map[string]any, prefs []telemetry.Preference, err error) {
	recs, err := telemetry.UserRecords(ctx, s.DB, s.Vault, userID, 0)
	if err != nil {
		return nil, nil, err
	}
	tech = []map[string]any{}
	for _, r := range recs {
		x := map[string]any{"at": r.At}
		for _, d := range telemetry.PersonalDefs() {
			x[d.Name] = r.Value(d.Name)
		}
		tech = append(tech, x)
	}
	prefs, err = telemetry.UserPreferences(ctx, s.DB, s.Vault, userID)
	if prefs == nil {
		prefs = []telemetry.Preference{}
	}
	return tech, prefs, err
}

// dataCollected is the public page of what is recorded about visits,
// drawn from telemetry.Defs (issue 9 §4).
func (s *Server) dataCollected(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "telemetry.about.title")
	pg.Data = struct {
		Defs          []telemetry.Def
		RetentionDays int
		K             int
	}{telemetry.Defs[:], s.retentionDays(), telemetry.K}
	s.render(w, r, http.StatusOK, "data_collected", pg)
}

// statsDims are the tables of the statistics page, in order.
var statsDims = []string{"path", "download", "subject", "grade", "type", "section", "referrer", "browser", "os", "device", "country", "provider"}

type statsTable struct {
	Dim  string
	Rows []telemetry.Count
}

type statsData struct {
	From, To  string
	Total     telemetry.Count
	Downloads telemetry.Count
	Series    []telemetry.DayCount
	Chart     chart
	Tables    []statsTable
	K         int
}

// statsPeriod reads ?from=&to= (default: the last 30 closed days).
func statsPeriod(r *http.Request) (from, to string, ok bool) {
	q := r.URL.Query()
	yesterday := time.Now().UTC().AddDate(0, 0, -1)
	from, to = q.Get("from"), q.Get("to")
	if to == "" {
		to = yesterday.Format(time.DateOnly)
	}
	if from == "" {
		f, err := time.Parse(time.DateOnly, to)
		if err != nil {
			return from, to, false
		}
		from = f.AddDate(0, 0, -29).Format(time.DateOnly)
	}
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || f.After(t) || t.Sub(f) > 366*24*time.Hour {
		return from, to, false
	}
	return from, to, true
}

func (s *Server) loadStats(ctx context.Context, from, to string, limit int) (*statsData, error) {
	d := &statsData{From: from, To: to, K: telemetry.K}
	var err error
	if d.Total, err = telemetry.Totals(ctx, s.DB, telemetry.DimTotal, from, to); err != nil {
		return nil, err
	}
	if d.Downloads, err = telemetry.Totals(ctx, s.DB, telemetry.DimDownloads, from, to); err != nil {
		return nil, err
	}
	if d.Series, err = telemetry.Series(ctx, s.DB, telemetry.DimTotal, "", from, to); err != nil {
		return nil, err
	}
	for _, dim := range statsDims {
		rows, err := telemetry.Top(ctx, s.DB, dim, from, to, limit)
		if err != nil {
			return nil, err
		}
		d.Tables = append(d.Tables, statsTable{Dim: dim, Rows: rows})
	}
	return d, nil
}

// adminStats shows the daily aggregates for a period: SVG chart and
// tables drawn on the server; only the aggregate table is read.
func (s *Server) adminStats(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "telemetry.stats.title")
	from, to, ok := statsPeriod(r)
	status := http.StatusOK
	if !ok {
		pg.Error = i18n.T(pg.Lang, "telemetry.stats.period")
		status = http.StatusUnprocessableEntity
		y := time.Now().UTC().AddDate(0, 0, -1)
		from, to = y.AddDate(0, 0, -29).Format(time.DateOnly), y.Format(time.DateOnly)
	}
	d, err := s.loadStats(r.Context(), from, to, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Chart = drawChart(d.Series, from, to)
	pg.Data = d
	s.render(w, r, status, "admin_stats", pg)
}

// adminStatsCSV is the same period as CSV: one row per table row.
func (s *Server) adminStatsCSV(w http.ResponseWriter, r *http.Request) {
	from, to, ok := statsPeriod(r)
	if !ok {
		s.renderError(w, r, http.StatusUnprocessableEntity, "telemetry.stats.period")
		return
	}
	d, err := s.loadStats(r.Context(), from, to, 1000)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="smartustaz-stats-%s-%s.csv"`, from, to))
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	cw.Write([]string{"dimension", "value", "views", "visitors", "from", "to"})
	for _, c := range d.Series {
		cw.Write([]string{"day", c.Day, strconv.FormatInt(c.Views, 10), strconv.FormatInt(c.Visitors, 10), from, to})
	}
	for _, t := range d.Tables {
		for _, c := range t.Rows {
			cw.Write([]string{t.Dim, csvSafe(c.Value), strconv.FormatInt(c.Views, 10), strconv.FormatInt(c.Visitors, 10), from, to})
		}
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from reading a value (a referrer domain, a
// path) as a formula.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r') {
		return "'" + v
	}
	return v
}
