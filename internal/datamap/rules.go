package datamap

import (
	"fmt"
	"sort"
	"strings"
)

// PurgeKind is what the retention job does to a row past its period.
type PurgeKind string

const (
	// DeleteRows removes the rows.
	DeleteRows PurgeKind = "delete"
	// EmptySealed sets the rule's sealed columns to NULL and keeps the
	// row (who did what, when), without the personal values.
	EmptySealed PurgeKind = "empty"
)

// Rule is one retention the site-wide job enforces, derived from the
// columns that share one Retention with a From column: when that group
// holds every plain or hashed column of the table, its rows are deleted;
// otherwise (sealed columns only) those columns are emptied.
type Rule struct {
	Table     string
	Purge     PurgeKind
	Columns   []string // the emptied columns (EmptySealed)
	Retention Retention
	// Categories are the data categories destroyed, sorted.
	Categories []Category
}

// Name is the rule's stable name in the destruction register, such as
// "file_events.empty.ip_enc,ua_enc.365d.at".
func (r Rule) Name() string {
	what := string(r.Purge)
	if r.Purge == EmptySealed {
		what += "." + strings.Join(r.Columns, ",")
	}
	return fmt.Sprintf("%s.%s.%s.%dd.%s", r.Table, what, r.Retention.Kind, r.Retention.N, r.Retention.From)
}

// Rules lists the retentions the job enforces, table by table.
func Rules() ([]Rule, error) {
	var out []Rule
	for _, t := range Tables {
		groups := map[Retention][]Column{}
		var order []Retention
		for _, c := range t.Columns {
			r := c.Retention
			if r.From == "" || (r.Kind != DaysKind && r.Kind != AfterAccountKind) {
				continue
			}
			if _, ok := groups[r]; !ok {
				order = append(order, r)
			}
			groups[r] = append(groups[r], c)
		}
		for _, r := range order {
			rule, err := ruleOf(&t, r, groups[r])
			if err != nil {
				return nil, err
			}
			out = append(out, rule)
		}
	}
	return out, nil
}

func ruleOf(t *Table, r Retention, cols []Column) (Rule, error) {
	in := map[string]bool{}
	cats := map[Category]bool{}
	for _, c := range cols {
		in[c.Name] = true
		cats[c.Category] = true
	}
	rule := Rule{Table: t.Name, Retention: r, Purge: DeleteRows}
	hasID, hasFrom := false, false
	for _, c := range t.Columns {
		hasID = hasID || c.Name == "id"
		hasFrom = hasFrom || c.Name == r.From
		if c.Protection != Sealed && !in[c.Name] {
			rule.Purge = EmptySealed
		}
	}
	if !hasID || !hasFrom {
		return Rule{}, fmt.Errorf("datamap: %s: a retention rule needs an id column and its From column %q", t.Name, r.From)
	}
	if rule.Purge == EmptySealed {
		if r.Kind != DaysKind {
			return Rule{}, fmt.Errorf("datamap: %s: only a period in days can empty columns", t.Name)
		}
		for _, c := range cols {
			if c.Protection != Sealed {
				return Rule{}, fmt.Errorf("datamap: %s.%s: a period shorter than its row's can only empty a sealed column", t.Name, c.Name)
			}
			rule.Columns = append(rule.Columns, c.Name)
		}
	}
	if rule.Purge == DeleteRows {
		for _, c := range t.Columns {
			cats[c.Category] = true
		}
	}
	for c := range cats {
		rule.Categories = append(rule.Categories, c)
	}
	sort.Slice(rule.Categories, func(i, j int) bool { return rule.Categories[i] < rule.Categories[j] })
	return rule, nil
}

// ColumnList is the emptied columns, comma-separated.
func (r Rule) ColumnList() string { return strings.Join(r.Columns, ", ") }
