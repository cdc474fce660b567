package passhash

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"strings"
)

// This file is crypt(3)'s MD5-crypt (Poul-Henning Kamp's, FreeBSD 1994)
// and SHA-crypt (Ulrich Drepper's specification, "Unix crypt using
// SHA-256 and SHA-512", 2007), written from their reference descriptions
// rather than taken from a library: each is a few dozen lines, the Go
// libraries for them are unmaintained, and here the rounds can be capped
// before any work is done. TestMD5Crypt and TestSHACrypt check them
// against the vectors published with the specification and in PHP's
// crypt() documentation.

func newMD5() hash.Hash { return md5.New() }

func md5Sum(parts ...[]byte) [md5.Size]byte {
	d := md5.New()
	for _, p := range parts {
		d.Write(p)
	}
	var out [md5.Size]byte
	d.Sum(out[:0])
	return out
}

// b64From24 appends n characters of crypt's base64 of the 24-bit group
// (b2 b1 b0), least significant six bits first.
func b64From24(out []byte, b2, b1, b0 byte, n int) []byte {
	w := uint(b2)<<16 | uint(b1)<<8 | uint(b0)
	for ; n > 0; n-- {
		out = append(out, itoa64[w&0x3f])
		w >>= 6
	}
	return out
}

// ---- MD5-crypt -------------------------------------------------------------

type md5CryptHash struct {
	salt   string
	stored string // the 22 characters after the salt
}

// parseMD5Crypt claims $1$<salt up to 8>$<22 characters>.
func parseMD5Crypt(s string) (Format, verifier, bool, error) {
	rest, ok := strings.CutPrefix(s, "$1$")
	if !ok {
		return Unknown, nil, false, nil
	}
	salt, sum, ok := strings.Cut(rest, "$")
	if !ok || len(salt) > 8 || len(sum) != 22 || !isCrypt64(sum) || strings.ContainsAny(salt, "$:\n\x00") {
		return MD5Crypt, nil, true, errShape
	}
	return MD5Crypt, md5CryptHash{salt: salt, stored: sum}, true, nil
}

func (h md5CryptHash) verify(pw []byte) bool {
	return equal(md5Crypt(pw, []byte(h.salt)), []byte(h.stored))
}

// md5Crypt returns the 22 encoded characters of MD5-crypt.
func md5Crypt(pw, salt []byte) []byte {
	alt := md5Sum(pw, salt, pw)
	d := md5.New()
	d.Write(pw)
	d.Write([]byte("$1$"))
	d.Write(salt)
	for n := len(pw); n > 0; n -= 16 {
		d.Write(alt[:min(n, 16)])
	}
	for i := len(pw); i > 0; i >>= 1 {
		if i&1 != 0 {
			d.Write([]byte{0})
		} else {
			d.Write(pw[:1])
		}
	}
	var final [md5.Size]byte
	d.Sum(final[:0])
	// A thousand rounds "to slow things down" (1994's words).
	for i := 0; i < 1000; i++ {
		d.Reset()
		if i&1 != 0 {
			d.Write(pw)
		} else {
			d.Write(final[:])
		}
		if i%3 != 0 {
			d.Write(salt)
		}
		if i%7 != 0 {
			d.Write(pw)
		}
		if i&1 != 0 {
			d.Write(final[:])
		} else {
			d.Write(pw)
		}
		d.Sum(final[:0])
	}
	out := make([]byte, 0, 22)
	f := final
	out = b64From24(out, f[0], f[6], f[12], 4)
	out = b64From24(out, f[1], f[7], f[13], 4)
	out = b64From24(out, f[2], f[8], f[14], 4)
	out = b64From24(out, f[3], f[9], f[15], 4)
	out = b64From24(out, f[4], f[10], f[5], 4)
	return b64From24(out, 0, 0, f[11], 2)
}

// ---- SHA-256-crypt and SHA-512-crypt ----------------------------------------

type shaCryptHash struct {
	sha512 bool
	rounds int
	salt   string
	stored string
}

// Drepper's rounds: 5000 unless given; values below 1000 count as 1000.
const (
	shaCryptDefaultRounds = 5000
	shaCryptMinRounds     = 1000
)

// parseSHACrypt claims $5$[rounds=N$]<salt up to 16>$<43 characters> and
// $6$[rounds=N$]<salt up to 16>$<86 characters>.
func parseSHACrypt(s string) (Format, verifier, bool, error) {
	var f Format
	var sumLen int
	switch {
	case strings.HasPrefix(s, "$5$"):
		f, sumLen = SHA256Crypt, 43
	case strings.HasPrefix(s, "$6$"):
		f, sumLen = SHA512Crypt, 86
	default:
		return Unknown, nil, false, nil
	}
	rest := s[3:]
	h := shaCryptHash{sha512: f == SHA512Crypt, rounds: shaCryptDefaultRounds}
	if r, ok := strings.CutPrefix(rest, "rounds="); ok {
		num, after, ok := strings.Cut(r, "$")
		n, okN := number(num)
		if !ok || !okN {
			return f, nil, true, errShape
		}
		if n > MaxSHACryptRounds {
			return f, nil, true, errCost
		}
		h.rounds, rest = max(int(n), shaCryptMinRounds), after
	}
	salt, sum, ok := strings.Cut(rest, "$")
	if !ok || len(salt) > 16 || len(sum) != sumLen || !isCrypt64(sum) || strings.ContainsAny(salt, "$:\n\x00") {
		return f, nil, true, errShape
	}
	h.salt, h.stored = salt, sum
	return f, h, true, nil
}

func (h shaCryptHash) verify(pw []byte) bool {
	return equal(shaCrypt(h.sha512, h.rounds, pw, []byte(h.salt)), []byte(h.stored))
}

// Byte order of the final encoding: groups of three bytes of the last
// digest, as the specification lists them.
var (
	sha256Order = [][3]int{{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
		{15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}}
	sha512Order = [][3]int{{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
		{47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10},
		{53, 11, 32}, {12, 33, 54}, {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16},
		{59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41}}
)

// shaCrypt returns the encoded digest of SHA-crypt (steps 1–22 of the
// specification).
func shaCrypt(use512 bool, rounds int, pw, salt []byte) []byte {
	newH := sha256.New
	if use512 {
		newH = sha512.New
	}
	d := newH()
	size := d.Size()
	// B = H(P S P)
	d.Write(pw)
	d.Write(salt)
	d.Write(pw)
	b := d.Sum(nil)
	// A = H(P S B… bits-of-len(P))
	d.Reset()
	d.Write(pw)
	d.Write(salt)
	n := len(pw)
	for ; n > size; n -= size {
		d.Write(b)
	}
	d.Write(b[:n])
	for i := len(pw); i > 0; i >>= 1 {
		if i&1 != 0 {
			d.Write(b)
		} else {
			d.Write(pw)
		}
	}
	a := d.Sum(nil)
	// P' from DP = H(P repeated len(P) times).
	d.Reset()
	for range len(pw) {
		d.Write(pw)
	}
	p := repeatTo(d.Sum(nil), len(pw))
	// S' from DS = H(S repeated 16+A[0] times).
	d.Reset()
	for range 16 + int(a[0]) {
		d.Write(salt)
	}
	s := repeatTo(d.Sum(nil), len(salt))
	c := a
	for i := 0; i < rounds; i++ {
		d.Reset()
		if i&1 != 0 {
			d.Write(p)
		} else {
			d.Write(c)
		}
		if i%3 != 0 {
			d.Write(s)
		}
		if i%7 != 0 {
			d.Write(p)
		}
		if i&1 != 0 {
			d.Write(c)
		} else {
			d.Write(p)
		}
		c = d.Sum(c[:0])
	}
	out := make([]byte, 0, 86)
	if use512 {
		for _, g := range sha512Order {
			out = b64From24(out, c[g[0]], c[g[1]], c[g[2]], 4)
		}
		return b64From24(out, 0, 0, c[63], 2)
	}
	for _, g := range sha256Order {
		out = b64From24(out, c[g[0]], c[g[1]], c[g[2]], 4)
	}
	return b64From24(out, 0, c[31], c[30], 3)
}

// repeatTo is d repeated (and cut) to n bytes.
func repeatTo(d []byte, n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		out = append(out, d[:min(len(d), n-len(out))]...)
	}
	return out
}
