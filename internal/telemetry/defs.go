// Package telemetry records what the agreement says the site collects
// about visits, and no more (clauses 1.1, 1.2 (c), 1.2 (d)): for every
// page view a small Event is put into a bounded buffer by the web
// middleware (never blocking a request), and one writer per process turns
// batches of events into
//
//   - personalised records of signed-in users, every field sealed with the
//     user's data key (internal/vault), and their monthly preference
//     counts (subject, grade, type of the materials viewed);
//   - non-personalised daily aggregates per dimension (path, topic,
//     referrer domain, browser, OS, device, country, provider), with
//     unique visitors counted as hashes under a random salt of the day
//     kept in the database and deleted when the day is closed.
//
// The public page that says what is collected is drawn from Defs, the
// same list the writer seals and counts, so it cannot drift from what is
// recorded.
package telemetry

// Def is one piece of information recorded about a page view.
type Def struct {
	// Name is the key: the dimension of the aggregates, the column
	// (Name + "_enc") of the personalised record, the i18n keys
	// "telemetry.def.<Name>" and "telemetry.def.<Name>.why".
	Name string
	// Personal: kept, sealed, in a signed-in user's record.
	Personal bool
	// Aggregate: counted in the daily aggregates, which name no one.
	Aggregate bool
	// Clause is the clause of the agreement that allows it.
	Clause string
}

// The indexes of Defs, for the values of a Visit.
const (
	FPath = iota
	FReferrer
	FIP
	FProvider
	FCountry
	FUA
	FBrowser
	FOS
	FDevice
	FTopic
	FSubject
	FGrade
	FType
	FSection
	FDownload
	nDefs
)

// Defs is everything recorded about a page view. The time of the view is
// recorded too (the day for the aggregates, the moment for a user's own
// records) and is not listed: it is not information about the person.
var Defs = [nDefs]Def{
	FPath:     {Name: "path", Personal: true, Aggregate: true, Clause: "1.2 (d)"},
	FReferrer: {Name: "referrer", Personal: true, Aggregate: true, Clause: "1.2 (c)"},
	FIP:       {Name: "ip", Personal: true, Clause: "1.2 (c)"},
	FProvider: {Name: "provider", Personal: true, Aggregate: true, Clause: "1.2 (c)"},
	FCountry:  {Name: "country", Personal: true, Aggregate: true, Clause: "1.2 (c)"},
	FUA:       {Name: "ua", Personal: true, Clause: "1.2 (c)"},
	FBrowser:  {Name: "browser", Personal: true, Aggregate: true, Clause: "1.2 (c)"},
	FOS:       {Name: "os", Personal: true, Aggregate: true, Clause: "1.2 (c)"},
	FDevice:   {Name: "device", Personal: true, Aggregate: true, Clause: "1.2 (c)"},
	FTopic:    {Name: "topic", Personal: true, Clause: "1.2 (d)"},
	FSubject:  {Name: "subject", Aggregate: true, Clause: "1.2 (d)"},
	FGrade:    {Name: "grade", Aggregate: true, Clause: "1.2 (d)"},
	FType:     {Name: "type", Aggregate: true, Clause: "1.2 (d)"},
	FSection:  {Name: "section", Aggregate: true, Clause: "1.2 (d)"},
	FDownload: {Name: "download", Aggregate: true, Clause: "1.2 (d)"},
}

// DimTotal is the aggregate of every view of the day (value ""): the
// day's visits and unique visitors. It is never merged into "other".
const DimTotal = "total"

// DimDownloads is the aggregate of every download of the day (value ""),
// so a period's total is read from one row a day. Never merged either.
const DimDownloads = "downloads"

// Other is the value that groups seen by fewer than K visitors in a day
// are merged into.
const Other = "other"

// K is the smallest number of visitors a value of the daily aggregates
// must have to be shown by name (k-anonymity).
const K = 5

// PreferenceKinds are the per-user monthly counts (clause 1.2 (d)).
var PreferenceKinds = []string{"subject", "grade", "type"}
