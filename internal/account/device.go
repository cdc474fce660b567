package account

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
)

// Device cookies, after OWASP's "Slow down online guessing attacks with
// device cookies": a browser that has signed in to an account keeps a
// value bound to that account by a MAC (vault.DeviceTag). Its password
// checks count against its own counter only, so failures sent from
// anywhere else never slow the owner down; every other browser is
// counted per account and per address. The value holds no personal
// data, and nothing of it is stored but the blind index of its counter.
//
// The cookie is up to maxDevices entries "nonce.tag" (base64url) joined
// by "~": one browser may be trusted for a few accounts (a shared
// computer in a staff room).
const (
	maxDevices  = 5
	nonceChars  = 22 // 16 random bytes, base64url
	tagChars    = 43 // 32-byte HMAC, base64url
	entryChars  = nonceChars + 1 + tagChars
	maxCookieLn = maxDevices * (entryChars + 1)
)

// deviceEntries splits a device cookie into its well-formed entries.
func deviceEntries(cookie string) []string {
	if cookie == "" || len(cookie) > maxCookieLn {
		return nil
	}
	var out []string
	for _, e := range strings.Split(cookie, "~") {
		if len(e) == entryChars && e[nonceChars] == '.' && len(out) < maxDevices {
			out = append(out, e)
		}
	}
	return out
}

// deviceNonce is the nonce of the entry of cookie made for userID, or ""
// when the browser has no such entry (or a forged one, or one made for
// another account).
func (s *Service) deviceNonce(userID int64, cookie string) string {
	if userID == 0 {
		return ""
	}
	for _, e := range deviceEntries(cookie) {
		tag, err := base64.RawURLEncoding.DecodeString(e[nonceChars+1:])
		if err == nil && s.v.ValidDeviceTag(userID, e[:nonceChars], tag) {
			return e[:nonceChars]
		}
	}
	return ""
}

// TrustDevice returns the device cookie for a browser that has just
// signed in to userID with the right password: a new entry for this
// account first, then the browser's entries for other accounts, at most
// maxDevices in all.
func (s *Service) TrustDevice(userID int64, cookie string) string {
	b := make([]byte, 16)
	rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	out := []string{nonce + "." + base64.RawURLEncoding.EncodeToString(s.v.DeviceTag(userID, nonce))}
	mine := s.deviceNonce(userID, cookie)
	for _, e := range deviceEntries(cookie) {
		if len(out) < maxDevices && (mine == "" || e[:nonceChars] != mine) {
			out = append(out, e)
		}
	}
	return strings.Join(out, "~")
}

// loginKeys are the throttle counters a password check for the account
// userID (0 when unknown), typed as the address norm, is checked against
// and charged to: a browser with a device cookie of this account counts
// against that cookie only; any other against the account and the
// client address.
func (s *Service) loginKeys(userID int64, norm string, m Meta) [][]byte {
	if n := s.deviceNonce(userID, m.Device); n != "" {
		return [][]byte{s.thr.key(scopeLoginDevice, n)}
	}
	return [][]byte{s.thr.key(scopeLoginAccount, norm), s.thr.key(scopeLoginIP, m.IP)}
}
