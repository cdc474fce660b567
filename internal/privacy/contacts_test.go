package privacy_test

import (
	"context"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// Issue 12 §3a (law L2, L16): the operator's details are saved for every
// node, validated, and each change audited.
func TestContactsSaveValidateAudit(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		in := privacy.ContactInfo{OperatorName: "  ТОО «Смарт\nҰстаз» ", OperatorBIN: "1234 5678 9012", OperatorAddress: "Астана",
			ResponsibleName: "Data Officer", ContactEmail: "privacy@smartustaz.example"}
		if _, err := e.contacts.Save(ctx, in, 7, 8); err != nil {
			t.Fatal(err)
		}
		got, err := privacy.NewContacts(d, nil).Get(ctx) // another node reads the same
		if err != nil {
			t.Fatal(err)
		}
		if got.OperatorName != "ТОО «Смарт Ұстаз»" || got.OperatorBIN != "123456789012" || !got.Complete() {
			t.Errorf("saved details not normalised or incomplete")
		}
		for _, bad := range []struct {
			in    privacy.ContactInfo
			field string
		}{
			{privacy.ContactInfo{OperatorBIN: "12345"}, "operator_bin"},
			{privacy.ContactInfo{OperatorBIN: "12345678901a"}, "operator_bin"},
			{privacy.ContactInfo{ContactEmail: "not an address"}, "contact_email"},
			{privacy.ContactInfo{OperatorName: strings.Repeat("ә", privacy.MaxNameLen+1)}, "operator_name"},
		} {
			_, err := e.contacts.Save(ctx, bad.in, 7, 8)
			var fields apperr.Fields
			if !asFields(err, &fields) || fields[0].Field != bad.field {
				t.Errorf("want a field error on %s, got %v", bad.field, err)
			}
		}
		again, _ := e.contacts.Get(ctx)
		if again != got {
			t.Errorf("a refused save changed the details")
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND actor_user_id = 7`, audit.ActionSettingsChange).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d audit entries, want 1", n)
		}
	})
}

func asFields(err error, f *apperr.Fields) bool {
	x, ok := err.(apperr.Fields)
	*f = x
	return ok && len(x) > 0
}

// The register lists what the configuration names, never a credential,
// and flags every processor not known to be in Kazakhstan.
func TestProcessorsFromConfig(t *testing.T) {
	ps := privacy.ProcessorsFromConfig("postgres://app:s3cret@db.internal.kz:5432/smart?sslmode=require",
		"s3://files?endpoint=storage.example.de:9000&region=eu", "smtp://mailer:pa55@smtp.example.com:587")
	var hosts []string
	for _, p := range ps {
		hosts = append(hosts, string(p.Kind)+"="+p.Host)
		if strings.Contains(p.Host, "s3cret") || strings.Contains(p.Host, "pa55") || strings.Contains(p.Host, "mailer") {
			t.Errorf("a credential is in the register")
		}
		if !p.NeedsReview() {
			t.Errorf("%s has no country yet and does not need review", p.ID)
		}
	}
	want := "server=,database=db.internal.kz:5432,storage=storage.example.de:9000,smtp=smtp.example.com:587"
	if strings.Join(hosts, ",") != want {
		t.Errorf("register %s, want %s", strings.Join(hosts, ","), want)
	}
	if ps := privacy.ProcessorsFromConfig("", "", ""); len(ps) != 1 || ps[0].Kind != privacy.ProcessorServer {
		t.Errorf("a plain install lists %d processors, want the server alone", len(ps))
	}
	if ps := privacy.ProcessorsFromConfig("sqlite:/data/x.db", "s3://b", ""); len(ps) != 2 || ps[1].Host != "s3.amazonaws.com" {
		t.Errorf("S3 without endpoint: %+v", ps)
	}
}

func TestProcessorCountries(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		_ = e
		r := privacy.NewRegistry(d, audit.New(d, e.v), privacy.ProcessorsFromConfig("postgres://127.0.0.1:5432/x", "s3://b?endpoint=minio.example.kz", ""))
		if err := r.SetCountry(ctx, "server", "kz", 1, 1); err != nil {
			t.Fatal(err)
		}
		if err := r.SetCountry(ctx, "storage", "DE", 1, 1); err != nil {
			t.Fatal(err)
		}
		ps, err := r.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, p := range ps {
			got[p.ID] = p.NeedsReview()
		}
		// The database on the loopback address shares the server's country.
		if got["server"] || got["database"] || !got["storage"] {
			t.Errorf("review flags %v, want only storage", got)
		}
		if err := r.SetCountry(ctx, "storage", "Germany", 1, 1); err == nil {
			t.Errorf("a country name instead of a code was accepted")
		}
		if err := r.SetCountry(ctx, "nonesuch", "KZ", 1, 1); err == nil {
			t.Errorf("a processor that is not configured got a country")
		}
		if err := r.SetCountry(ctx, "storage", "", 1, 1); err != nil {
			t.Fatal(err)
		}
		ps, _ = r.List(ctx)
		for _, p := range ps {
			if p.ID == "storage" && p.Country != "" {
				t.Errorf("clearing the country left %q", p.Country)
			}
		}
	})
}
