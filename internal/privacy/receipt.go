// Package privacy is the privacy centre's self-contained parts (issue
// 12): consent receipts a user can download and anyone can verify (§5),
// deadlines counted in working days of Kazakhstan (§2), and who answers
// for personal data and where it lives — the operator's contacts and the
// register of processors (§3a). It implements clauses 2.3 and 3.2 and the
// requirements of Law 94-V listed in ../shared/agreement/LAW.md that are
// named at each declaration.
package privacy

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// SiteOwner is the owner id of the site's own data key in internal/vault:
// no account ever has id 0 (db.NewID starts above it), so the key that
// seals the receipt-signing key lives in user_keys beside the users'
// keys and is re-wrapped by a master-key rotation like theirs.
const SiteOwner int64 = 0

// ReceiptVersion is the Kantara Consent Receipt Specification version the
// receipts follow (v1.1, "KI-CR-v1.1.0").
const ReceiptVersion = "KI-CR-v1.1.0"

// ReceiptType is the JWS "typ" of a receipt, so a receipt is never taken
// for another signed object of the site.
const ReceiptType = "kantara-cr+jws"

// MaxReceiptBytes bounds what /consent/verify reads: a receipt is a few
// kilobytes; anything far bigger is not one.
const MaxReceiptBytes = 64 << 10

// PIIController is the operator, as the receipt names it (law L2: the
// operator's name and BIN).
type PIIController struct {
	Name    string `json:"piiController"`
	Contact string `json:"contact,omitempty"`
	Address string `json:"address,omitempty"`
	Email   string `json:"email,omitempty"`
	URL     string `json:"piiControllerUrl,omitempty"`
	BIN     string `json:"bin,omitempty"` // extension: Kazakhstan's business identification number
}

// Purpose is one purpose of a service (Kantara §4.5).
type Purpose struct {
	Purpose              string   `json:"purpose"`
	PurposeCategory      []string `json:"purposeCategory"`
	ConsentType          string   `json:"consentType"`
	PIICategory          []string `json:"piiCategory"`
	PrimaryPurpose       bool     `json:"primaryPurpose"`
	Termination          string   `json:"termination"`
	ThirdPartyDisclosure bool     `json:"thirdPartyDisclosure"`
}

// Service is a service the consent covers (Kantara §4.5).
type Service struct {
	Service  string    `json:"service"`
	Purposes []Purpose `json:"purposes"`
}

// ReceiptDocument names the exact text accepted (an extension field: the
// Kantara form points at one policy URL, the site has two hashed,
// versioned documents).
type ReceiptDocument struct {
	Kind    string `json:"kind"`
	Version int    `json:"version"`
	Hash    string `json:"sha256"`
	URL     string `json:"url"`
}

// Receipt is a consent receipt in the Kantara Consent Receipt v1.1 JSON
// form. The subject is named by account id, never by email or name: the
// receipt is a file the user keeps and may show to anyone, and the id is
// enough for the site to find the acceptance, while an email in it would
// hand a third party a contact the user never chose to give (law L5:
// no more data than the purpose needs).
type Receipt struct {
	Version            string            `json:"version"`
	Jurisdiction       string            `json:"jurisdiction"`
	ConsentTimestamp   int64             `json:"consentTimestamp"`
	CollectionMethod   string            `json:"collectionMethod"`
	ConsentReceiptID   string            `json:"consentReceiptID"`
	PublicKey          string            `json:"publicKey,omitempty"`
	Language           string            `json:"language"`
	PIIPrincipalID     string            `json:"piiPrincipalId"`
	PIIControllers     []PIIController   `json:"piiControllers"`
	PolicyURL          string            `json:"policyUrl"`
	Services           []Service         `json:"services"`
	Sensitive          bool              `json:"sensitive"`
	SPICat             []string          `json:"spiCat"`
	Documents          []ReceiptDocument `json:"documents"`           // extension
	AcceptanceID       string            `json:"acceptanceId"`        // extension: the acceptance in the site's register
	CrossBorder        bool              `json:"crossBorderTransfer"` // extension: law L2, data sent abroad
	PublicationAllowed bool              `json:"publication"`         // extension: law L2, published in public sources
	// Withdrawn marks the receipt of a withdrawal of consent (law L4;
	// issue 12 §5): the documents named are no longer consented to from
	// consentTimestamp on. An extension: Kantara v1.1 has no withdrawal.
	Withdrawn bool `json:"consentWithdrawn,omitempty"`
}

// At is the time of the consent.
func (r *Receipt) At() time.Time { return time.Unix(r.ConsentTimestamp, 0).UTC() }

// principal is how a receipt names its subject.
func principal(userID int64) string { return "account:" + strconv.FormatInt(userID, 10) }

// The purposes and data categories of the two documents (the Privacy
// Policy's sections). Purpose categories are Kantara's vocabulary.
var sitePurposes = []Purpose{
	{Purpose: "Account and sign-in (clause 2.2)", PurposeCategory: []string{"Core Function"}, ConsentType: "EXPLICIT",
		PIICategory: []string{"Email address", "Password (hash)", "Sessions: address and browser"}, PrimaryPurpose: true,
		Termination: "Until the account is deleted or consent is withdrawn", ThirdPartyDisclosure: false},
	{Purpose: "Teacher profile and publication of materials (clauses 1.2, 1.4)", PurposeCategory: []string{"Core Function"}, ConsentType: "EXPLICIT",
		PIICategory: []string{"Full name", "Organisation", "Position", "Region", "Phone (optional)", "Uploaded materials"}, PrimaryPurpose: true,
		Termination: "Until the account is deleted or consent is withdrawn", ThirdPartyDisclosure: false},
	{Purpose: "Security and the audit of administrative access (clause 1.3; law L14)", PurposeCategory: []string{"Legally Required Data Retention"}, ConsentType: "EXPLICIT",
		PIICategory: []string{"IP address", "Browser", "Acceptance records"}, PrimaryPurpose: false,
		Termination: "As the retention rules of the Privacy Policy say", ThirdPartyDisclosure: false},
}

// AcceptanceSource is the consent records the receipts are made from;
// *consent.Service is one.
type AcceptanceSource interface {
	Acceptances(ctx context.Context, userID int64) ([]consent.Acceptance, error)
}

// Receipts issues, keeps and verifies consent receipts.
type Receipts struct {
	db       *db.DB
	v        *vault.Vault
	consent  AcceptanceSource
	contacts *Contacts
	baseURL  func() string
	// Processors, when set, tells whether data goes abroad: the receipt's
	// crossBorderTransfer is true when any processor's country is set and
	// is not KZ (law L2, L18).
	Processors *Registry
}

// NewReceipts returns the receipts service. baseURL gives the site's
// public address (known only once serve listens), written into the
// receipts' policy and document links.
func NewReceipts(d *db.DB, v *vault.Vault, c AcceptanceSource, contacts *Contacts, baseURL func() string) *Receipts {
	return &Receipts{db: d, v: v, consent: c, contacts: contacts, baseURL: baseURL}
}

// signingKey is one receipt key.
type signingKey struct {
	id   int64
	kid  string
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey // nil when only verifying
}

func keyField(id int64) vault.Field {
	return vault.Field{Table: "receipt_keys", Column: "private", Row: id}
}

// kidOf names a public key: the first 16 bytes of its SHA-256, base64url.
func kidOf(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return base64.RawURLEncoding.EncodeToString(h[:16])
}

// siteKey returns the site's data key, making it on first use. Two nodes
// making it at once: one insert loses on the primary key and reads the
// winner's on retry (the caller retries the transaction).
func (r *Receipts) siteKey(ctx context.Context, tx *db.Tx) (*vault.UserKey, error) {
	k, err := r.v.UserKey(ctx, tx, SiteOwner)
	if errors.Is(err, vault.ErrNoKey) {
		return r.v.NewUserKey(ctx, tx, SiteOwner)
	}
	return k, err
}

// signer returns the newest receipt key with its private half, generating
// the first one when there is none. It is stored in the database, so
// every node signs with the same key.
func (r *Receipts) signer(ctx context.Context) (*signingKey, error) {
	var out *signingKey
	attempt := func() error {
		return r.db.InTx(ctx, func(tx *db.Tx) error {
			var k signingKey
			var enc []byte
			err := tx.QueryRow(ctx, `SELECT id, kid, public_key, private_enc FROM receipt_keys ORDER BY created_at DESC, id DESC LIMIT 1`).
				Scan(&k.id, &k.kid, &k.pub, &enc)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			sk, kerr := r.siteKey(ctx, tx)
			if kerr != nil {
				return kerr
			}
			if err == nil {
				seed, err := sk.Open(keyField(k.id), enc)
				if err != nil {
					return fmt.Errorf("open receipt key: %w", err)
				}
				raw, err := base64.StdEncoding.DecodeString(seed.Reveal())
				if err != nil || len(raw) != ed25519.SeedSize {
					return fmt.Errorf("receipt key %d is malformed", k.id)
				}
				k.priv = ed25519.NewKeyFromSeed(raw)
				out = &k
				return nil
			}
			pub, priv, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				return err
			}
			k = signingKey{id: db.NewID(), kid: kidOf(pub), pub: pub, priv: priv}
			enc = sk.Seal(keyField(k.id), base64.StdEncoding.EncodeToString(priv.Seed()))
			if _, err := tx.Exec(ctx, `INSERT INTO receipt_keys (id, kid, public_key, private_enc, created_at) VALUES (?, ?, ?, ?, ?)`,
				k.id, k.kid, []byte(pub), enc, db.Now()); err != nil {
				return err
			}
			out = &k
			return nil
		})
	}
	err := attempt()
	if err != nil && db.IsUniqueViolation(err) {
		err = attempt() // another node made the site key or the first receipt key at the same moment
	}
	if err != nil {
		return nil, fmt.Errorf("privacy: receipt key: %w", err)
	}
	return out, nil
}

// publicKeys returns every receipt key's public half, newest first.
func (r *Receipts) publicKeys(ctx context.Context) ([]signingKey, error) {
	rows, err := r.db.Query(ctx, `SELECT id, kid, public_key FROM receipt_keys ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("privacy: receipt keys: %w", err)
	}
	defer rows.Close()
	var out []signingKey
	for rows.Next() {
		var k signingKey
		var pub []byte
		if err := rows.Scan(&k.id, &k.kid, &pub); err != nil {
			return nil, fmt.Errorf("privacy: receipt keys: %w", err)
		}
		k.pub = ed25519.PublicKey(pub)
		out = append(out, k)
	}
	return out, rows.Err()
}

// PublicJWKS is the site's receipt keys as a JSON Web Key Set (RFC 7517),
// published at /consent/public-key so anyone can verify a receipt with
// any JOSE library. It makes the first key if none exists yet.
func (r *Receipts) PublicJWKS(ctx context.Context) ([]byte, error) {
	if _, err := r.signer(ctx); err != nil {
		return nil, err
	}
	keys, err := r.publicKeys(ctx)
	if err != nil {
		return nil, err
	}
	set := jose.JSONWebKeySet{}
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.pub, KeyID: k.kid, Algorithm: string(jose.EdDSA), Use: "sig"})
	}
	b, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("privacy: jwks: %w", err)
	}
	return b, nil
}

// Issued is one acceptance with its receipt, for the user's list.
type Issued struct {
	Acceptance consent.Acceptance
	ReceiptID  string // "" until first downloaded
}

// List returns the user's acceptances, newest first, each with the id of
// its receipt when one was issued already.
func (r *Receipts) List(ctx context.Context, userID int64) ([]Issued, error) {
	acc, err := r.consent.Acceptances(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("privacy: receipts: %w", err)
	}
	ids := map[int64]string{}
	rows, err := r.db.Query(ctx, `SELECT acceptance_id, receipt_id FROM consent_receipts WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("privacy: receipts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a int64
		var id string
		if err := rows.Scan(&a, &id); err != nil {
			return nil, fmt.Errorf("privacy: receipts: %w", err)
		}
		ids[a] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("privacy: receipts: %w", err)
	}
	out := make([]Issued, 0, len(acc))
	for _, a := range acc {
		out = append(out, Issued{Acceptance: a, ReceiptID: ids[a.ID]})
	}
	return out, nil
}

var methodNames = map[string]string{
	consent.MethodRegistration: "Web form: a ticked box on the registration form",
	consent.MethodReacceptance: "Web form: acceptance of a new version after sign-in",
	consent.MethodRenewal:      "Web form: renewal of the consent before its term ended",
	consent.MethodWithdrawal:   "Web form: withdrawal of consent",
}

// collectionMethod describes how the consent was given (law L1).
func collectionMethod(m string) string {
	if s, ok := methodNames[m]; ok {
		return s
	}
	return "Web form: " + m
}

// Receipt returns the signed receipt (a compact JWS) of the user's
// acceptance acceptanceID, issuing it on first request and returning the
// same bytes ever after. Another user's acceptance is NotFound.
func (r *Receipts) Receipt(ctx context.Context, userID, acceptanceID int64) (string, error) {
	var jws string
	err := r.db.QueryRow(ctx, `SELECT jws FROM consent_receipts WHERE acceptance_id = ? AND user_id = ?`, acceptanceID, userID).Scan(&jws)
	if err == nil {
		return jws, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("privacy: receipt: %w", err)
	}
	acc, err := r.consent.Acceptances(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("privacy: receipt: %w", err)
	}
	var a *consent.Acceptance
	for i := range acc {
		if acc[i].ID == acceptanceID {
			a = &acc[i]
		}
	}
	if a == nil {
		return "", apperr.New(apperr.NotFound, "privacy.receipt.not_found")
	}
	rc, err := r.build(ctx, userID, a)
	if err != nil {
		return "", err
	}
	k, err := r.signer(ctx)
	if err != nil {
		return "", err
	}
	jws, err = sign(k, rc)
	if err != nil {
		return "", err
	}
	_, err = r.db.Exec(ctx, `INSERT INTO consent_receipts (acceptance_id, user_id, receipt_id, jws, issued_at) VALUES (?, ?, ?, ?, ?)`,
		acceptanceID, userID, rc.ConsentReceiptID, jws, db.Now())
	if db.IsUniqueViolation(err) {
		// Issued at the same moment by another request: keep the first.
		err = r.db.QueryRow(ctx, `SELECT jws FROM consent_receipts WHERE acceptance_id = ?`, acceptanceID).Scan(&jws)
	}
	if err != nil {
		return "", fmt.Errorf("privacy: receipt: %w", err)
	}
	return jws, nil
}

// build fills the receipt of acceptance a.
func (r *Receipts) build(ctx context.Context, userID int64, a *consent.Acceptance) (*Receipt, error) {
	c, err := r.contacts.Get(ctx)
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(r.baseURL(), "/")
	abroad := false
	if r.Processors != nil {
		ps, err := r.Processors.List(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			abroad = abroad || (p.Country != "" && !p.Domestic())
		}
	}
	ctrl := PIIController{Name: c.OperatorName, Address: c.OperatorAddress, Email: c.ContactEmail, Contact: c.ResponsibleName,
		BIN: c.OperatorBIN, URL: base + "/contacts"}
	if ctrl.Name == "" {
		ctrl.Name = "smartustaz"
	}
	return &Receipt{
		Version:          ReceiptVersion,
		Jurisdiction:     "KZ",
		ConsentTimestamp: a.At.Unix(),
		CollectionMethod: collectionMethod(a.Method),
		ConsentReceiptID: uuid.NewString(),
		Language:         "en", // the purposes and method are written in English, the receipt standard's common language
		PIIPrincipalID:   principal(userID),
		PIIControllers:   []PIIController{ctrl},
		PolicyURL:        base + "/agreement",
		Services:         []Service{{Service: "smartustaz", Purposes: sitePurposes}},
		Sensitive:        false,
		SPICat:           []string{},
		Documents: []ReceiptDocument{{Kind: string(a.Kind), Version: a.Version, Hash: a.DocumentHash,
			URL: fmt.Sprintf("%s/agreement/%s/%d", base, a.Kind, a.Version)}},
		AcceptanceID: strconv.FormatInt(a.ID, 10),
		CrossBorder:  abroad,
		Withdrawn:    a.Method == consent.MethodWithdrawal,
	}, nil
}

// sign makes the compact JWS of rc with k (EdDSA, RFC 8037).
func sign(k *signingKey, rc *Receipt) (string, error) {
	payload, err := json.Marshal(rc)
	if err != nil {
		return "", fmt.Errorf("privacy: sign receipt: %w", err)
	}
	opts := (&jose.SignerOptions{}).WithType(ReceiptType).WithHeader("kid", k.kid)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: k.priv}, opts)
	if err != nil {
		return "", fmt.Errorf("privacy: sign receipt: %w", err)
	}
	obj, err := s.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("privacy: sign receipt: %w", err)
	}
	return obj.CompactSerialize()
}

// Verification failures, each an apperr with its own message.
var (
	// ErrMalformed: the text is not a compact JWS receipt at all.
	ErrMalformed = errors.New("privacy: not a consent receipt")
	// ErrForeignKey: signed with a key this site never had.
	ErrForeignKey = errors.New("privacy: receipt signed by another key")
	// ErrBadSignature: the site's key, but the content was changed.
	ErrBadSignature = errors.New("privacy: receipt signature does not match")
)

// ParsedJWS is a receipt read but not yet verified.
type ParsedJWS struct {
	obj *jose.JSONWebSignature
	KID string
}

// ParseReceipt reads a compact JWS receipt as pasted or uploaded: blank
// space around it is ignored; only EdDSA with a key id and the receipt
// type is accepted. It never verifies; Verify does.
func ParseReceipt(text string) (*ParsedJWS, error) {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > MaxReceiptBytes || strings.Count(text, ".") != 2 {
		return nil, ErrMalformed
	}
	obj, err := jose.ParseSignedCompact(text, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil || len(obj.Signatures) != 1 {
		return nil, ErrMalformed
	}
	h := obj.Signatures[0].Header
	if h.KeyID == "" {
		return nil, ErrMalformed
	}
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); typ != ReceiptType {
		return nil, ErrMalformed
	}
	return &ParsedJWS{obj: obj, KID: h.KeyID}, nil
}

// verifyWith checks p against pub and decodes the receipt.
func verifyWith(p *ParsedJWS, pub ed25519.PublicKey) (*Receipt, error) {
	payload, err := p.obj.Verify(pub)
	if err != nil {
		return nil, ErrBadSignature
	}
	var rc Receipt
	dec := json.NewDecoder(strings.NewReader(string(payload)))
	if err := dec.Decode(&rc); err != nil || rc.Version != ReceiptVersion || rc.ConsentReceiptID == "" {
		return nil, ErrMalformed // signed by us, so this cannot happen short of a bug; still no panic
	}
	return &rc, nil
}

// Verify checks a receipt against the site's keys and returns what it
// says. Failures are apperr Invalid errors whose cause is ErrMalformed,
// ErrForeignKey or ErrBadSignature.
func (r *Receipts) Verify(ctx context.Context, text string) (*Receipt, error) {
	p, err := ParseReceipt(text)
	if err != nil {
		return nil, &apperr.Error{Code: apperr.Invalid, Field: "receipt", Key: "privacy.verify.malformed", Err: err}
	}
	keys, err := r.publicKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k.kid != p.KID {
			continue
		}
		rc, err := verifyWith(p, k.pub)
		switch {
		case errors.Is(err, ErrBadSignature):
			return nil, &apperr.Error{Code: apperr.Invalid, Field: "receipt", Key: "privacy.verify.tampered", Err: err}
		case err != nil:
			return nil, &apperr.Error{Code: apperr.Invalid, Field: "receipt", Key: "privacy.verify.malformed", Err: err}
		}
		return rc, nil
	}
	return nil, &apperr.Error{Code: apperr.Invalid, Field: "receipt", Key: "privacy.verify.foreign", Err: ErrForeignKey}
}

// VerifyWithKey checks p against pub alone (for tests and tools that hold
// the published key).
func VerifyWithKey(p *ParsedJWS, pub ed25519.PublicKey) (*Receipt, error) { return verifyWith(p, pub) }
