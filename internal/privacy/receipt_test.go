package privacy_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Made-up values from documentation ranges, never printed by the tests.
var meta = consent.Meta{IP: "203.0.113.77", UserAgent: "Mozilla/5.0 (TestBrowser)", SessionID: 42}

type env struct {
	d        *db.DB
	v        *vault.Vault
	c        *consent.Service
	contacts *privacy.Contacts
	r        *privacy.Receipts
}

func setup(t *testing.T, d *db.DB) env {
	t.Helper()
	v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	c := consent.New(d, v)
	if err := c.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	contacts := privacy.NewContacts(d, audit.New(d, v))
	return env{d: d, v: v, c: c, contacts: contacts,
		r: privacy.NewReceipts(d, v, c, contacts, func() string { return "https://smartustaz.example" })}
}

// register makes a user who accepted the documents in force at registration.
func (e env) register(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	agreement, policy, err := e.c.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := db.NewID()
	err = e.d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)`, id, db.Now(), db.Now()); err != nil {
			return err
		}
		key, err := e.v.NewUserKey(ctx, tx, id)
		if err != nil {
			return err
		}
		return e.c.RecordAcceptance(ctx, tx, key, id, []*consent.Document{agreement, policy}, consent.MethodRegistration, meta)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func receiptOf(t *testing.T, e env, user int64) (string, consent.Acceptance) {
	t.Helper()
	list, err := e.r.List(context.Background(), user)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %d acceptances, err %v; want 2", len(list), err)
	}
	jws, err := e.r.Receipt(context.Background(), user, list[0].Acceptance.ID)
	if err != nil {
		t.Fatal(err)
	}
	return jws, list[0].Acceptance
}

func verifyKey(t *testing.T, err error) string {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("verify: want an apperr, got %v", err)
	}
	return e.Key
}

// Issue 12 §5 (law L1, L2; clause 2.3): an acceptance gives a signed
// Kantara receipt that the site verifies and that says what was accepted.
func TestReceiptSignVerify(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		if _, err := e.contacts.Save(ctx, privacy.ContactInfo{OperatorName: "ТОО «Смарт Ұстаз»", OperatorBIN: "123456789012",
			OperatorAddress: "Астана, Мәңгілік Ел 1", ResponsibleName: "Data Officer", ContactEmail: "privacy@smartustaz.example"}, 1, 1); err != nil {
			t.Fatal(err)
		}
		user := e.register(t)
		jws, acc := receiptOf(t, e, user)
		again, err := e.r.Receipt(ctx, user, acc.ID)
		if err != nil || again != jws {
			t.Fatalf("second download differs from the first (err %v)", err)
		}
		rc, err := e.r.Verify(ctx, "  \n"+jws+"\n")
		if err != nil {
			t.Fatalf("verify own receipt: %v", err)
		}
		if rc.Version != "KI-CR-v1.1.0" || rc.Jurisdiction != "KZ" {
			t.Errorf("version %q jurisdiction %q", rc.Version, rc.Jurisdiction)
		}
		if rc.ConsentTimestamp != acc.At.Unix() || rc.At().Unix() != acc.At.Unix() {
			t.Errorf("timestamp %d, acceptance at %d", rc.ConsentTimestamp, acc.At.Unix())
		}
		if len(rc.Documents) != 1 || rc.Documents[0].Hash != acc.DocumentHash || rc.Documents[0].Version != acc.Version || rc.Documents[0].Kind != string(acc.Kind) {
			t.Errorf("documents %+v do not name the accepted text", rc.Documents)
		}
		if !strings.Contains(rc.CollectionMethod, "registration") {
			t.Errorf("method %q", rc.CollectionMethod)
		}
		if len(rc.PIIControllers) != 1 || rc.PIIControllers[0].BIN != "123456789012" || rc.PIIControllers[0].Name != "ТОО «Смарт Ұстаз»" {
			t.Errorf("controller does not carry the operator's name and BIN")
		}
		if len(rc.Services) == 0 || len(rc.Services[0].Purposes) == 0 || len(rc.Services[0].Purposes[0].PIICategory) == 0 {
			t.Errorf("no purposes or data categories")
		}
		// The public key set verifies it with an ordinary JOSE library.
		set, err := e.r.PublicJWKS(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var jwks jose.JSONWebKeySet
		if err := json.Unmarshal(set, &jwks); err != nil || len(jwks.Keys) != 1 {
			t.Fatalf("jwks: %d keys, %v", len(jwks.Keys), err)
		}
		obj, err := jose.ParseSignedCompact(jws, []jose.SignatureAlgorithm{jose.EdDSA})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := obj.Verify(jwks.Keys[0]); err != nil {
			t.Errorf("published key does not verify the receipt: %v", err)
		}
	})
}

// A receipt says data goes abroad when a processor's country is set to
// another than KZ (law L2, L18); unknown is not claimed as abroad.
func TestReceiptCrossBorder(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		reg := privacy.NewRegistry(d, audit.New(d, e.v), privacy.ProcessorsFromConfig("", "s3://b?endpoint=files.example.de", ""))
		e.r.Processors = reg
		user := e.register(t)
		list, _ := e.r.List(ctx, user)
		flag := func(acc int64) bool {
			jws, err := e.r.Receipt(ctx, user, acc)
			if err != nil {
				t.Fatal(err)
			}
			rc, err := e.r.Verify(ctx, jws)
			if err != nil {
				t.Fatal(err)
			}
			return rc.CrossBorder
		}
		if flag(list[0].Acceptance.ID) {
			t.Errorf("unknown countries claimed as a transfer abroad")
		}
		if err := reg.SetCountry(ctx, "storage", "DE", 1, 1); err != nil {
			t.Fatal(err)
		}
		if !flag(list[1].Acceptance.ID) {
			t.Errorf("storage in Germany, receipt says no transfer abroad")
		}
	})
}

// The receipt names its subject by account id and holds none of the
// personal values the acceptance stores (address, browser) nor any of
// the user's profile (law L5).
func TestReceiptHoldsNoPersonalData(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d)
		user := e.register(t)
		jws, _ := receiptOf(t, e, user)
		payload, err := base64.RawURLEncoding.DecodeString(strings.Split(jws, ".")[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{meta.IP, meta.UserAgent, "@"} {
			if strings.Contains(string(payload), bad) {
				t.Errorf("the receipt holds a personal value (check %d)", len(bad))
			}
		}
		var m map[string]any
		if err := json.Unmarshal(payload, &m); err != nil {
			t.Fatal(err)
		}
		if m["piiPrincipalId"] != "account:"+itoa(user) {
			t.Errorf("subject is not named by account id")
		}
	})
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// A receipt changed after signing, or signed by another key, or not a
// receipt at all, is refused with its own message.
func TestReceiptTamperedForeignMalformed(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		user := e.register(t)
		jws, _ := receiptOf(t, e, user)
		parts := strings.Split(jws, ".")

		// Tampered: the consent moved one day earlier, signature kept.
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var m map[string]any
		if err := json.Unmarshal(payload, &m); err != nil {
			t.Fatal(err)
		}
		m["consentTimestamp"] = m["consentTimestamp"].(float64) - 86400
		changed, _ := json.Marshal(m)
		tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(changed) + "." + parts[2]
		_, err := e.r.Verify(ctx, tampered)
		if k := verifyKey(t, err); k != "privacy.verify.tampered" || !errors.Is(err, privacy.ErrBadSignature) {
			t.Errorf("tampered receipt: %s", k)
		}

		// Foreign: the same content signed by a key the site never had,
		// under the site's own key id.
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		var hdr map[string]any
		h, _ := base64.RawURLEncoding.DecodeString(parts[0])
		_ = json.Unmarshal(h, &hdr)
		s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: other},
			(&jose.SignerOptions{}).WithType(privacy.ReceiptType).WithHeader("kid", hdr["kid"]))
		obj, _ := s.Sign(payload)
		forged, _ := obj.CompactSerialize()
		if _, err := e.r.Verify(ctx, forged); verifyKey(t, err) != "privacy.verify.tampered" {
			t.Errorf("a receipt signed by another key under our key id is not refused as not matching")
		}
		s2, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: other},
			(&jose.SignerOptions{}).WithType(privacy.ReceiptType).WithHeader("kid", "someone-else"))
		obj2, _ := s2.Sign(payload)
		foreign, _ := obj2.CompactSerialize()
		_, err = e.r.Verify(ctx, foreign)
		if k := verifyKey(t, err); k != "privacy.verify.foreign" || !errors.Is(err, privacy.ErrForeignKey) {
			t.Errorf("foreign receipt: %s", k)
		}

		// Another site (another database and vault) does not accept ours.
		e2 := setup(t, dbtest.Open(t, d.Engine()))
		if _, err := e2.r.PublicJWKS(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e2.r.Verify(ctx, jws); verifyKey(t, err) != "privacy.verify.foreign" {
			t.Errorf("another site verified our receipt")
		}

		for _, bad := range []string{"", "hello", "a.b.c", parts[0] + "." + parts[1], jws + ".x",
			strings.Repeat("A", privacy.MaxReceiptBytes+1), "{\"version\":\"KI-CR-v1.1.0\"}"} {
			if _, err := e.r.Verify(ctx, bad); verifyKey(t, err) != "privacy.verify.malformed" {
				t.Errorf("malformed input of %d bytes not refused as malformed", len(bad))
			}
		}
	})
}

// Every node signs with the same key: it lives in the database, sealed,
// and a second vault over the same database and key file uses it.
func TestReceiptKeySharedAndSealed(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		first, err := e.r.PublicJWKS(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var raw []byte
		if err := d.QueryRow(ctx, `SELECT private_enc FROM receipt_keys`).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var pub []byte
		_ = d.QueryRow(ctx, `SELECT public_key FROM receipt_keys`).Scan(&pub)
		if len(raw) < 40 || strings.Contains(string(raw), base64.StdEncoding.EncodeToString(pub)) {
			t.Errorf("private key not sealed")
		}
		c2 := consent.New(d, e.v)
		r2 := privacy.NewReceipts(d, e.v, c2, e.contacts, func() string { return "" })
		second, err := r2.PublicJWKS(ctx)
		if err != nil || string(first) != string(second) {
			t.Errorf("a second node made another key (err %v)", err)
		}
		var n int
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM receipt_keys`).Scan(&n)
		if n != 1 {
			t.Errorf("%d keys, want 1", n)
		}
	})
}

// Another user's acceptance has no receipt for this user.
func TestReceiptOtherUsersAcceptance(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d)
		a, b := e.register(t), e.register(t)
		_, acc := receiptOf(t, e, a)
		_, err := e.r.Receipt(context.Background(), b, acc.ID)
		if k := verifyKey(t, err); k != "privacy.receipt.not_found" {
			t.Errorf("other user's receipt: %s", k)
		}
	})
}
