package passhash

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

var (
	errShape = errors.New("malformed")
	errCost  = errors.New("cost above the limit")
)

// itoa64 is the alphabet of crypt(3)'s own base64 (md5-crypt, sha-crypt,
// phpass, bcrypt's salt).
const itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// isCrypt64 reports whether s is made only of itoa64 characters.
func isCrypt64(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(itoa64, s[i]) < 0 {
			return false
		}
	}
	return true
}

// number parses a decimal of at most 10 digits with no sign, spaces or
// leading zeros (so one value has one spelling).
func number(s string) (uint64, bool) {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// ---- bcrypt ----------------------------------------------------------------

type bcryptHash struct {
	stored []byte
	// sha256 is Django's bcrypt_sha256: bcrypt of the hex SHA-256 of the
	// password (which lifts bcrypt's 72-byte limit).
	sha256 bool
}

// parseBcrypt claims $2a$/$2b$/$2y$ and Django's bcrypt$ and bcrypt_sha256$
// wrappers. $2x$ (the buggy pre-2011 crypt_blowfish) and $2$ are not
// accepted: x/crypto/bcrypt would compute them as $2a$, which gives a
// wrong answer for 8-bit passwords.
func parseBcrypt(s string) (Format, verifier, bool, error) {
	h := bcryptHash{}
	switch {
	case strings.HasPrefix(s, "bcrypt_sha256$$2"):
		s, h.sha256 = s[len("bcrypt_sha256$"):], true
	case strings.HasPrefix(s, "bcrypt$$2"):
		s = s[len("bcrypt$"):]
	case strings.HasPrefix(s, "$2"):
	default:
		return Unknown, nil, false, nil
	}
	// $2b$10$ + 22 characters of salt + 31 of hash.
	if len(s) != 60 || s[3] != '$' || s[6] != '$' || !strings.ContainsRune("aby", rune(s[2])) || !isCrypt64(s[7:]) {
		return Bcrypt, nil, true, errShape
	}
	cost, ok := number(strings.TrimPrefix(s[4:6], "0"))
	if !ok || cost < uint64(bcrypt.MinCost) {
		return Bcrypt, nil, true, errShape
	}
	if cost > MaxBcryptCost {
		return Bcrypt, nil, true, errCost
	}
	h.stored = []byte(s)
	return Bcrypt, h, true, nil
}

func (h bcryptHash) verify(pw []byte) bool {
	if h.sha256 {
		sum := sha256.Sum256(pw)
		pw = []byte(hex.EncodeToString(sum[:]))
	}
	// bcrypt reads at most 72 bytes of the password, as PHP's and
	// OpenBSD's did when the hash was made.
	if len(pw) > 72 {
		pw = pw[:72]
	}
	// CompareHashAndPassword compares in constant time.
	return bcrypt.CompareHashAndPassword(h.stored, pw) == nil
}

// ---- argon2 ----------------------------------------------------------------

type argon2Hash struct {
	id           bool
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parseArgon2 claims PHC strings $argon2id$ and $argon2i$ (and Django's
// argon2$ wrapper of them). Only version 19 is computed by x/crypto;
// argon2d is not meant for passwords and not accepted.
func parseArgon2(s string) (Format, verifier, bool, error) {
	if strings.HasPrefix(s, "argon2$argon2") { // Django's wrapper
		s = s[len("argon2"):]
	}
	var f Format
	switch {
	case strings.HasPrefix(s, "$argon2id$"):
		f = Argon2id
	case strings.HasPrefix(s, "$argon2i$"):
		f = Argon2i
	default:
		return Unknown, nil, false, nil
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[2] != "v=19" {
		return f, nil, true, errShape
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 || !strings.HasPrefix(params[0], "m=") || !strings.HasPrefix(params[1], "t=") || !strings.HasPrefix(params[2], "p=") {
		return f, nil, true, errShape
	}
	m, ok1 := number(params[0][2:])
	t, ok2 := number(params[1][2:])
	p, ok3 := number(params[2][2:])
	if !ok1 || !ok2 || !ok3 || t < 1 || p < 1 || p > 255 || m < 8*p {
		return f, nil, true, errShape
	}
	if m > MaxArgon2Memory || t > MaxArgon2Time || m*t > MaxArgon2Work {
		return f, nil, true, errCost
	}
	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > 64 {
		return f, nil, true, errShape
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return f, nil, true, errShape
	}
	return f, argon2Hash{id: f == Argon2id, memory: uint32(m), time: uint32(t), threads: uint8(p), salt: salt, key: key}, true, nil
}

func (h argon2Hash) verify(pw []byte) bool {
	var got []byte
	if h.id {
		got = argon2.IDKey(pw, h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	} else {
		got = argon2.Key(pw, h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	}
	return equal(got, h.key)
}

// ---- PBKDF2 (Django) -------------------------------------------------------

type pbkdf2Hash struct {
	h    func() hash.Hash
	iter int
	salt []byte
	key  []byte
}

// parsePBKDF2 claims Django's pbkdf2_sha256$<iterations>$<salt>$<base64>
// and pbkdf2_sha1$…
func parsePBKDF2(s string) (Format, verifier, bool, error) {
	var f Format
	var h func() hash.Hash
	switch {
	case strings.HasPrefix(s, "pbkdf2_sha256$"):
		f, h = PBKDF2SHA256, sha256.New
	case strings.HasPrefix(s, "pbkdf2_sha1$"):
		f, h = PBKDF2SHA1, sha1.New
	default:
		return Unknown, nil, false, nil
	}
	parts := strings.Split(s, "$")
	if len(parts) != 4 || parts[2] == "" {
		return f, nil, true, errShape
	}
	iter, ok := number(parts[1])
	if !ok || iter < 1 {
		return f, nil, true, errShape
	}
	if iter > MaxPBKDF2Iterations {
		return f, nil, true, errCost
	}
	key, err := base64.StdEncoding.Strict().DecodeString(parts[3])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return f, nil, true, errShape
	}
	return f, pbkdf2Hash{h: h, iter: int(iter), salt: []byte(parts[2]), key: key}, true, nil
}

func (h pbkdf2Hash) verify(pw []byte) bool {
	got, err := pbkdf2.Key(h.h, string(pw), h.salt, h.iter, len(h.key))
	return err == nil && equal(got, h.key)
}

// ---- phpass ----------------------------------------------------------------

type phpassHash struct {
	log2   uint
	salt   string
	stored string // the 22 characters after the salt
}

// parsePhpass claims phpass's portable hashes: $P$ (WordPress) and $H$
// (phpBB 3), $P$<log2 rounds><8 salt><22 hash>.
func parsePhpass(s string) (Format, verifier, bool, error) {
	if !strings.HasPrefix(s, "$P$") && !strings.HasPrefix(s, "$H$") {
		return Unknown, nil, false, nil
	}
	if len(s) != 34 || !isCrypt64(s[3:]) {
		return Phpass, nil, true, errShape
	}
	log2 := strings.IndexByte(itoa64, s[3])
	if log2 < 7 || log2 > 30 {
		return Phpass, nil, true, errShape
	}
	if log2 > MaxPhpassLog2 {
		return Phpass, nil, true, errCost
	}
	return Phpass, phpassHash{log2: uint(log2), salt: s[4:12], stored: s[12:]}, true, nil
}

func (h phpassHash) verify(pw []byte) bool {
	sum := md5Sum([]byte(h.salt), pw)
	buf := make([]byte, 0, len(sum)+len(pw))
	for n := 1 << h.log2; n > 0; n-- {
		buf = append(append(buf[:0], sum[:]...), pw...)
		sum = md5Sum(buf)
	}
	return equal(phpassEncode(sum[:]), []byte(h.stored))
}

// phpassEncode is phpass's encode64: little-endian groups of three bytes.
func phpassEncode(in []byte) []byte {
	var out []byte
	for i := 0; i < len(in); {
		v := uint(in[i])
		i++
		out = append(out, itoa64[v&0x3f])
		if i < len(in) {
			v |= uint(in[i]) << 8
		}
		out = append(out, itoa64[(v>>6)&0x3f])
		if i >= len(in) {
			break
		}
		i++
		if i < len(in) {
			v |= uint(in[i]) << 16
		}
		out = append(out, itoa64[(v>>12)&0x3f])
		if i >= len(in) {
			break
		}
		i++
		out = append(out, itoa64[(v>>18)&0x3f])
	}
	return out
}

// ---- hex digests -----------------------------------------------------------

type hexHash struct {
	h    func() hash.Hash
	salt []byte
	want []byte
	// order: saltFirst, passwordFirst, or both (the raw <hex>:<salt> form).
	saltFirst, passwordFirst bool
}

// maxSalt bounds the salt of a hex digest.
const maxSalt = 255

// hexAlgo is the digest whose hex form is n characters long.
func hexAlgo(n int) (Format, func() hash.Hash) {
	switch n {
	case 32:
		return MD5, newMD5
	case 40:
		return SHA1, sha1.New
	case 64:
		return SHA256, sha256.New
	}
	return Unknown, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // lower case for letters
		if !(s[i] >= '0' && s[i] <= '9') && !(c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// parseHex claims the hex forms listed in the package documentation.
func parseHex(s string) (Format, verifier, bool, error) {
	// The explicit form: md5:<hex>, md5:sp:<salt>:<hex>, md5:ps:<salt>:<hex>.
	for _, name := range []Format{MD5, SHA1, SHA256} {
		rest, ok := strings.CutPrefix(s, string(name)+":")
		if !ok {
			continue
		}
		h := hexHash{}
		if order, salted, ok := strings.Cut(rest, ":"); ok {
			i := strings.LastIndexByte(salted, ':')
			if i < 1 || i > maxSalt || (order != "sp" && order != "ps") {
				return name, nil, true, errShape
			}
			h.salt, rest = []byte(salted[:i]), salted[i+1:]
			h.saltFirst, h.passwordFirst = order == "sp", order == "ps"
		} else {
			h.passwordFirst = true // unsalted: the password alone
		}
		f, fn := hexAlgo(len(rest))
		if f != name || !isHex(rest) {
			return name, nil, true, errShape
		}
		h.h = fn
		h.want, _ = hex.DecodeString(rest)
		return f, h, true, nil
	}
	// The raw forms: <hex> and <hex>:<salt>.
	digest, salt, salted := strings.Cut(s, ":")
	f, fn := hexAlgo(len(digest))
	if f == Unknown || !isHex(digest) {
		return Unknown, nil, false, nil
	}
	h := hexHash{h: fn, passwordFirst: true}
	if salted {
		if salt == "" || len(salt) > maxSalt {
			return f, nil, true, errShape
		}
		h.salt, h.saltFirst = []byte(salt), true
	}
	h.want, _ = hex.DecodeString(digest)
	return f, h, true, nil
}

func (h hexHash) verify(pw []byte) bool {
	sum := func(a, b []byte) []byte {
		d := h.h()
		d.Write(a)
		d.Write(b)
		return d.Sum(nil)
	}
	// Both orders are computed when both are allowed, so the time does not
	// say which one matched.
	ok := false
	if h.saltFirst {
		ok = equal(sum(h.salt, pw), h.want) || ok
	}
	if h.passwordFirst {
		ok = equal(sum(pw, h.salt), h.want) || ok
	}
	return ok
}

// String names the format, for logs and reports.
func (f Format) String() string {
	if f == Unknown {
		return "unknown"
	}
	return string(f)
}
