package policy_test

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/datamap"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/policy"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/vault"
)

var update = flag.Bool("update", false, "rewrite the embedded Privacy Policy texts with the generated sections")

// TestSeededPolicyIsGenerated: the Privacy Policy published at first
// start (consent's embedded version 1) holds, in every language, exactly
// the sections the declarations and the processors register generate, so
// a change to a declaration that the text does not follow fails here.
// go test ./internal/policy -run TestSeededPolicyIsGenerated -update
// rewrites the texts.
func TestSeededPolicyIsGenerated(t *testing.T) {
	for _, l := range i18n.Langs {
		seed, err := consent.SeedText(consent.KindPrivacy, l)
		if err != nil {
			t.Fatal(err)
		}
		got, err := policy.Apply(seed, l, policy.SeedProcessors())
		if err != nil {
			t.Fatal(err)
		}
		if got == strings.TrimSpace(seed) {
			continue
		}
		if *update {
			if err := os.WriteFile("../consent/texts/privacy."+string(l)+".txt", []byte(got+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s: the embedded Privacy Policy differs from what the declarations generate; run go test ./internal/policy -run TestSeededPolicyIsGenerated -update and review the diff", l)
	}
}

// TestPolicyGeneratedInEveryLanguage: the generated sections name every
// personal category's data with its purpose and the very retention text
// the data map shows, and every processor with its country, in kk, ru
// and en.
func TestPolicyGeneratedInEveryLanguage(t *testing.T) {
	ps := []privacy.Processor{{ID: "server", Kind: privacy.ProcessorServer, Country: "KZ"},
		{ID: "storage", Kind: privacy.ProcessorStorage, Host: "s3.example.de", Country: "DE"}}
	for _, l := range i18n.Langs {
		secs := policy.Sections(l, ps)
		all := strings.Join(secs, "\n")
		for _, c := range datamap.All() {
			if !c.Personal {
				continue
			}
			if _, ok := datamap.EngineOnly[c.Table.Name]; ok {
				continue
			}
			for _, want := range []string{c.Table.What.In(l), c.Table.Why.In(l), c.Retention.Text(l)} {
				if !strings.Contains(all, want) {
					t.Errorf("%s: the Policy lacks %q (%s.%s)", l, want, c.Table.Name, c.Name)
				}
			}
		}
		if strings.Contains(all, "s3.example.de") {
			t.Errorf("%s: the Policy names a host", l)
		}
		for _, want := range map[i18n.Lang][]string{
			i18n.KK: {"Қазақстан Республикасы", "шетел: DE", "трансшекаралық"},
			i18n.RU: {"Республика Казахстан", "за рубежом: DE", "трансграничная"},
			i18n.EN: {"the Republic of Kazakhstan", "abroad: DE", "cross-border"},
		}[l] {
			if !strings.Contains(all, want) {
				t.Errorf("%s: the recipients section lacks %q:\n%s", l, want, secs[1])
			}
		}
		// All in Kazakhstan: the text says nothing goes abroad.
		home := policy.Sections(l, ps[:1])[1]
		if strings.Contains(home, "DE") || !strings.Contains(home, map[i18n.Lang]string{i18n.KK: "шетелге берілмейді", i18n.RU: "за рубеж не передаются", i18n.EN: "not transferred abroad"}[l]) {
			t.Errorf("%s: with every processor at home:\n%s", l, home)
		}
	}
	// Kazakh text uses its own letters, not look-alikes.
	kk := strings.Join(policy.Sections(i18n.KK, ps), "")
	if !strings.ContainsAny(kk, "әғқңөұүһі") {
		t.Error("kk: no Kazakh letters")
	}
}

// TestApplyKeepsTheRest: replacing the generated sections leaves the
// people-written text around them as it was, and a text without the
// headings is refused.
func TestApplyKeepsTheRest(t *testing.T) {
	ps := policy.SeedProcessors()
	body := "Intro.\n\n3. Purposes\n\n3.1. Ours.\n\n4. What data is collected, why and for how long\n\n4.1. STALE\n\n5. Legal basis\n\n5.1. Consent.\n\n7. Who receives the data and where it is kept\n\nSTALE\n\n8. Publication\n\n8.1. Own choice."
	got, err := policy.Apply(body, i18n.EN, ps)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Intro.\n\n3. Purposes\n\n3.1. Ours.\n\n4. What data", "\n\n5. Legal basis\n\n5.1. Consent.\n\n7. Who receives", "\n\n8. Publication\n\n8.1. Own choice."} {
		if !strings.Contains(got, want) {
			t.Errorf("lost %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "STALE") {
		t.Errorf("the old generated text stayed:\n%s", got)
	}
	again, _ := policy.Apply(got, i18n.EN, ps)
	if again != got {
		t.Error("applying twice changes the text")
	}
	if _, err := policy.Apply("1. Terms\n\nnothing", i18n.EN, ps); err == nil {
		t.Error("a text without the generated sections' headings was accepted")
	}
}

// TestPolicyDriftAndPublish, on both engines: the seeded Policy matches
// the code; once the register changes (the server's country is set) the
// check says it differs, and publishing makes a new version through
// consent's versioning that matches again.
func TestPolicyDriftAndPublish(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		c := consent.New(d, v)
		if err := c.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		reg := privacy.NewRegistry(d, audit.New(d, v), policy.SeedProcessors())
		st, err := policy.Check(ctx, c, reg)
		if err != nil || st.Differs || st.Current.Version != 1 {
			t.Fatalf("seeded: %+v, %v; want version 1 matching the code", st, err)
		}
		if err := reg.SetCountry(ctx, "server", "KZ", 0, 0); err != nil {
			t.Fatal(err)
		}
		if st, err = policy.Check(ctx, c, reg); err != nil || !st.Differs {
			t.Fatalf("after the country is set: %+v, %v; want differs", st, err)
		}
		doc, err := policy.Publish(ctx, c, reg, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Version != 2 {
			t.Fatalf("published version %d, want 2", doc.Version)
		}
		for _, l := range i18n.Langs {
			want := map[i18n.Lang]string{i18n.KK: "Сайттың өз сервері (дерекқор, файлдар, шығыс хаттар) — Қазақстан Республикасы;",
				i18n.RU: "собственный сервер Сайта (база данных, файлы, исходящие письма) — Республика Казахстан;",
				i18n.EN: "the Site's own server (database, files, outgoing mail) — the Republic of Kazakhstan;"}[l]
			if !strings.Contains(doc.BodyIn(l), want) {
				t.Errorf("%s: version 2 lacks %q", l, want)
			}
		}
		if st, err = policy.Check(ctx, c, reg); err != nil || st.Differs || st.Current.Version != 2 {
			t.Fatalf("after publishing: %+v, %v; want version 2 matching", st, err)
		}
		// Nothing new to say: publishing again is refused, no version 3.
		if _, err := policy.Publish(ctx, c, reg, 0, 0); err == nil {
			t.Fatal("publishing an unchanged Policy made a version")
		}
	})
}
