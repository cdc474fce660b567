package vault

import (
	"crypto/hmac"
	"strconv"
)

// DeviceTag binds the random nonce of a device cookie to one account:
// HMAC-SHA-256 under the blind-index key, with a purpose of its own, so
// a tag cannot be made without the key and a cookie made for one account
// does not pass for another.
func (v *Vault) DeviceTag(owner int64, nonce string) []byte {
	return v.BlindIndex("device_cookie", strconv.FormatInt(owner, 10)+"|"+nonce)
}

// ValidDeviceTag reports, in constant time, whether tag is
// DeviceTag(owner, nonce).
func (v *Vault) ValidDeviceTag(owner int64, nonce string, tag []byte) bool {
	return hmac.Equal(tag, v.DeviceTag(owner, nonce))
}
