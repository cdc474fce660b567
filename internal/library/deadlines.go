package library

import (
	"context"
	"fmt"
	"time"

	"github.com/smartustaz/smartustaz/internal/privacy"
)

// DeadlineRule is how long the site has to decide a report of one kind,
// and where that comes from. A deadline the law sets comes from the one
// rules table of the privacy package (privacy.Rules), so a correction of
// the law's reading is one edit there (LAW.md asks for exactly this); the
// site's own targets, which no law sets, are here.
type DeadlineRule struct {
	// WorkingDays after the day the report arrives, to the end of the day
	// in Kazakhstan.
	WorkingDays int
	// Source names the article of the law, or says the deadline is the
	// site's own target.
	Source string
	// Statutory is true when the law sets the deadline.
	Statutory bool
}

// statutory turns the privacy rule of t into a report's rule. The rules
// table is a package variable known at start, so a missing row is a
// programming error caught by the first test.
func statutory(t privacy.RequestType) DeadlineRule {
	r, ok := privacy.RuleFor(t)
	if !ok {
		panic(fmt.Sprintf("library: privacy.Rules has no %q row", t))
	}
	return DeadlineRule{WorkingDays: r.WorkingDays, Statutory: true,
		Source: r.Article + " (Law of the RK «On personal data and their protection») — LAW.md " + r.LawItem}
}

// ReportDeadlines maps a report reason to its deadline.
var ReportDeadlines = map[string]DeadlineRule{
	// LAW.md L9: personal data published unlawfully in public sources is
	// removed within one working day of the subject's demand — the
	// privacy table's take-down row.
	ReasonPersonalData: statutory(privacy.RequestTakedown),
	ReasonCopyright:    {WorkingDays: 3, Source: "site's own target (no statutory deadline)"},
	ReasonWrongContent: {WorkingDays: 3, Source: "site's own target (no statutory deadline)"},
	ReasonOther:        {WorkingDays: 5, Source: "site's own target (no statutory deadline)"},
}

// Kazakhstan is the time zone deadlines are counted in: the privacy
// package's, so a report and a data subject's request received at the
// same moment count from the same day.
var Kazakhstan = privacy.Almaty

// Deadline is the end (23:59:59 in Kazakhstan) of the n-th working day
// after the day of from, by cal: a period counted in days begins the day
// after the event (Civil Code of the RK, Art. 173). cal is the working-day
// calendar administrators keep on /admin/holidays; there is no second,
// built-in one.
func Deadline(cal *privacy.Calendar, from time.Time, workingDays int) time.Time {
	return cal.AddWorkingDays(from, workingDays)
}

// calendar reads the holiday calendar as it is now in the database, so
// every node counts a report's deadline from the same table.
func (s *Service) calendar(ctx context.Context) (*privacy.Calendar, error) {
	// Reading needs no audit log: only edits are audited.
	return privacy.NewHolidays(s.db, nil).Calendar(ctx)
}
