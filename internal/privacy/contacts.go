package privacy

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
)

// Who answers for personal data (issue 12 §3a; law L2: the operator's
// name and BIN in every consent; law L16: the person responsible for
// organising the processing). They live in the settings table, so every
// node shows the same, and an administrator edits them on
// /admin/privacy. They are the operator's public, official details —
// published on /contacts — so they are stored as plain text.

// ContactInfo is the operator's published details.
type ContactInfo struct {
	OperatorName    string // the legal entity operating the site
	OperatorBIN     string // business identification number, 12 digits
	OperatorAddress string // legal address
	ResponsibleName string // the person responsible for organising personal-data processing (law L16)
	ContactEmail    string // where requests and complaints are sent
}

// Complete reports whether everything the law asks to publish is set.
func (c ContactInfo) Complete() bool {
	return c.OperatorName != "" && c.OperatorBIN != "" && c.OperatorAddress != "" && c.ResponsibleName != "" && c.ContactEmail != ""
}

// The settings rows.
const (
	setOperatorName    = "privacy.operator_name"
	setOperatorBIN     = "privacy.operator_bin"
	setOperatorAddress = "privacy.operator_address"
	setResponsibleName = "privacy.responsible_name"
	setContactEmail    = "privacy.contact_email"
)

// Limits of the fields, in characters.
const (
	MaxNameLen    = 300
	MaxAddressLen = 500
	MaxEmailLen   = 254
)

// Contacts reads and writes the operator's details.
type Contacts struct {
	db    *db.DB
	audit *audit.Log
}

// NewContacts returns the contacts over d; changes are audited in a.
func NewContacts(d *db.DB, a *audit.Log) *Contacts { return &Contacts{db: d, audit: a} }

// Get returns the details; unset ones are "".
func (c *Contacts) Get(ctx context.Context) (ContactInfo, error) {
	vals, err := readSettings(ctx, c.db, "privacy.")
	if err != nil {
		return ContactInfo{}, fmt.Errorf("privacy: contacts: %w", err)
	}
	return ContactInfo{
		OperatorName: vals[setOperatorName], OperatorBIN: vals[setOperatorBIN], OperatorAddress: vals[setOperatorAddress],
		ResponsibleName: vals[setResponsibleName], ContactEmail: vals[setContactEmail],
	}, nil
}

// readSettings returns the settings rows whose key starts with prefix.
func readSettings(ctx context.Context, q db.Querier, prefix string) (map[string]string, error) {
	rows, err := q.Query(ctx, `SELECT key, value FROM settings WHERE key LIKE ?`, prefix+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

func putSetting(ctx context.Context, q db.Querier, key, value string) error {
	if value == "" {
		_, err := q.Exec(ctx, `DELETE FROM settings WHERE key = ?`, key)
		return err
	}
	_, err := q.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// clean trims a one-line field and folds inner line breaks to spaces.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// validate normalises in and reports each bad field.
func (in ContactInfo) validate() (ContactInfo, error) {
	out := ContactInfo{
		OperatorName: clean(in.OperatorName), OperatorBIN: strings.ReplaceAll(clean(in.OperatorBIN), " ", ""),
		OperatorAddress: clean(in.OperatorAddress), ResponsibleName: clean(in.ResponsibleName), ContactEmail: clean(in.ContactEmail),
	}
	var errs apperr.Fields
	if utf8.RuneCountInString(out.OperatorName) > MaxNameLen {
		errs = append(errs, apperr.Field("operator_name", "privacy.contacts.too_long", MaxNameLen))
	}
	if out.OperatorBIN != "" && !isBIN(out.OperatorBIN) {
		errs = append(errs, apperr.Field("operator_bin", "privacy.contacts.bin_bad"))
	}
	if utf8.RuneCountInString(out.OperatorAddress) > MaxAddressLen {
		errs = append(errs, apperr.Field("operator_address", "privacy.contacts.too_long", MaxAddressLen))
	}
	if utf8.RuneCountInString(out.ResponsibleName) > MaxNameLen {
		errs = append(errs, apperr.Field("responsible_name", "privacy.contacts.too_long", MaxNameLen))
	}
	if out.ContactEmail != "" {
		if a, err := mail.ParseAddress(out.ContactEmail); err != nil || a.Address != out.ContactEmail || len(out.ContactEmail) > MaxEmailLen {
			errs = append(errs, apperr.Field("contact_email", "privacy.contacts.email_bad"))
		}
	}
	return out, errs.Err()
}

// isBIN reports whether s is 12 digits (the form of a BIN; its check
// digit is not verified, since the registry's algorithm is not the
// site's business and a typo is caught by the people who read it).
func isBIN(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Save stores the details, as done by administrator by from session,
// audited in the same transaction. Empty fields are cleared.
func (c *Contacts) Save(ctx context.Context, in ContactInfo, by, session int64) (ContactInfo, error) {
	in, err := in.validate()
	if err != nil {
		return in, err
	}
	err = c.db.InTx(ctx, func(tx *db.Tx) error {
		for k, v := range map[string]string{setOperatorName: in.OperatorName, setOperatorBIN: in.OperatorBIN,
			setOperatorAddress: in.OperatorAddress, setResponsibleName: in.ResponsibleName, setContactEmail: in.ContactEmail} {
			if err := putSetting(ctx, tx, k, v); err != nil {
				return err
			}
		}
		_, err := c.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionSettingsChange,
			Detail: "privacy contacts"})
		return err
	})
	if err != nil {
		return in, fmt.Errorf("privacy: save contacts: %w", err)
	}
	return in, nil
}
