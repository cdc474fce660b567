package privacy

// The legal deadlines of a data subject's requests, in one table (issue
// 12 §2): when Law 94-V changes, this one file follows it. The numbers and
// articles come from ../shared/agreement/LAW.md; those marked "to confirm"
// there were not read in the law's own text, and Confirmed says so here.

// RequestType is a kind of request a data subject can make.
type RequestType string

const (
	RequestAccess     RequestType = "access"   // learn what is held, get a copy
	RequestCorrect    RequestType = "correct"  // correct or supplement data
	RequestBlock      RequestType = "block"    // block processing
	RequestUnblock    RequestType = "unblock"  // lift a block not confirmed
	RequestTakedown   RequestType = "takedown" // remove unlawfully published data from public sources
	RequestWithdraw   RequestType = "withdraw" // withdraw consent
	RequestDelete     RequestType = "delete"   // delete the account and data
	RequestBreachNote RequestType = "breach"   // notify the authorised body of a leak (incidents)

	// The register of complaints, disputes and official requests
	// (clause 3.2, internal/complaints).
	RequestComplaint RequestType = "complaint" // a complaint from a user or a visitor
	RequestDispute   RequestType = "dispute"   // a dispute between parties the site is asked to settle
	RequestOfficial  RequestType = "official"  // an official request from a state body
)

// Rule is the deadline of one request type.
type Rule struct {
	Type RequestType
	// WorkingDays is the deadline in working days of Kazakhstan, counted
	// from the day after the request is received.
	WorkingDays int
	// Article is where the number comes from.
	Article string
	// LawItem is the requirement in LAW.md.
	LawItem string
	// Confirmed is false where LAW.md marks the number "to confirm".
	Confirmed bool
}

// Rules is the table. Deletion follows the configured policy: the law's
// 1 working day applies to destruction once unlawful processing is
// confirmed (Art. 25, L13); deleting one's own account is done at once by
// the site, and a request an administrator handles takes the same day.
var Rules = []Rule{
	{Type: RequestAccess, WorkingDays: 3, Article: "Law 94-V, Art. 24, 25", LawItem: "L10", Confirmed: false},
	{Type: RequestCorrect, WorkingDays: 1, Article: "Law 94-V, Art. 25", LawItem: "L11", Confirmed: false},
	{Type: RequestBlock, WorkingDays: 1, Article: "Law 94-V, Art. 25", LawItem: "L12", Confirmed: true},
	{Type: RequestUnblock, WorkingDays: 1, Article: "Law 94-V, Art. 25", LawItem: "L12", Confirmed: false},
	{Type: RequestTakedown, WorkingDays: 1, Article: "Law 94-V, Art. 6", LawItem: "L9", Confirmed: true},
	{Type: RequestWithdraw, WorkingDays: 1, Article: "Law 94-V, Art. 8(2), 24 (site policy: as blocking)", LawItem: "L4", Confirmed: false},
	{Type: RequestDelete, WorkingDays: 1, Article: "Law 94-V, Art. 25; Digital Code (site policy)", LawItem: "L13", Confirmed: false},
	{Type: RequestBreachNote, WorkingDays: 1, Article: "Law 94-V as amended by 44-VIII; ministry rules", LawItem: "L15", Confirmed: true},
	// LAW.md has no row for complaints: the site adopts the period the
	// Administrative Procedural Code of the RK gives an appeal (Art. 76(2):
	// 15 working days), which binds state bodies, not read in its text.
	{Type: RequestComplaint, WorkingDays: 15, Article: "Administrative Procedural Code of the RK, Art. 76 (site policy)", LawItem: "3.2", Confirmed: false},
	{Type: RequestDispute, WorkingDays: 15, Article: "Administrative Procedural Code of the RK, Art. 76 (site policy)", LawItem: "3.2", Confirmed: false},
	// A state body's letter usually names its own date, which the
	// administrator enters instead; without one, the same 15 working days.
	{Type: RequestOfficial, WorkingDays: 15, Article: "the requesting body's letter; else Administrative Procedural Code of the RK, Art. 76", LawItem: "3.2", Confirmed: false},
}

// RuleFor returns the rule of t.
func RuleFor(t RequestType) (Rule, bool) {
	for _, r := range Rules {
		if r.Type == t {
			return r, true
		}
	}
	return Rule{}, false
}
