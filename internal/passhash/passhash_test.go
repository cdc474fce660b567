package passhash

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// vector is a published (password, hash) pair; source says where from.
type vector struct {
	format   Format
	password string
	hash     string
	source   string
}

const longText = "a very much longer text to encrypt.  This one even stretches over morethan one line."

// Clause 1.2 (b): users brought over from another database keep their
// password. Every accepted format verifies its published vectors, and
// refuses a wrong password.
var vectors = []vector{
	// bcrypt
	{Bcrypt, "rasmuslerdorf", "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a", "PHP manual, password_verify"},
	{Bcrypt, "rasmuslerdorf", "$2y$07$usesomesillystringfore2uDLvp1Ii2e./U9C8sBjqp8I90dH6hi", "PHP manual, crypt (CRYPT_BLOWFISH)"},
	{Bcrypt, "U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "OpenBSD / crypt_blowfish test vectors"},
	{Bcrypt, "U*U", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "the same with OpenBSD's $2b$ prefix"},
	{Bcrypt, "", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy", "crypt_blowfish test vectors (empty password)"},
	// argon2 (the reference implementation's test vectors)
	{Argon2i, "password", "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA", "phc-winner-argon2 src/test.c"},
	{Argon2i, "password", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8", "phc-winner-argon2 src/test.c"},
	{Argon2id, "password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", "phc-winner-argon2 src/test.c"},
	{Argon2id, "password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "phc-winner-argon2 src/test.c"},
	{Argon2id, "password", "argon2$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "the same in Django's argon2$ wrapper"},
	// PBKDF2
	{PBKDF2SHA256, "lètmein", "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "Django tests/auth_tests/test_hashers.py"},
	{PBKDF2SHA1, "lètmein", "pbkdf2_sha1$10000$seasalt$oAfF6vgs95ncksAhGXOWf4Okq7o=", "Django tests/auth_tests/test_hashers.py"},
	{PBKDF2SHA1, "password", "pbkdf2_sha1$4096$salt$SwB5AbdlSJq+rUnZJvch0GWkKcE=", "RFC 6070 test 3 (4b007901…) in Django's form"},
	// phpass
	{Phpass, "test12345", "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0", "phpass 0.3 test.php; passlib"},
	{Phpass, "test1", "$H$9aaaaaSXBjgypwqm.JsMssPLiS8YQ00", "passlib phpass_test"},
	{Phpass, "123456", "$H$9PE8jEklgZhgLmZl5.HYJAzfGCQtzi1", "passlib phpass_test"},
	{Phpass, "thisisalongertestPW", "$P$912345678LIjjb6PhecupozNBmDndU0", "passlib phpass_test"},
	{Phpass, "ąćęłóńśźż", "$P$ByXWbzDvVAJ0jxvNp5sv4xYPIRXJJ1.", "CraftCommons TestEncryption (UTF-8, WordPress cost)"},
	// MD5-crypt
	{MD5Crypt, "rasmuslerdorf", "$1$rasmusle$rISCgZzpwk3UhDidwXvin0", "PHP manual, crypt (CRYPT_MD5)"},
	{MD5Crypt, "password", "$1$3azHgidD$SrJPt7B.9rekpmwJwtON31", "passlib md5_crypt documentation"},
	{MD5Crypt, "Hello world!", "$1$$rpmA4u0GZbZzsddc1wzCB0", "openssl passwd -1 (empty salt)"},
	// SHA-256-crypt: Drepper's specification, then PHP's manual
	{SHA256Crypt, "Hello world!", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", "Drepper, sha-crypt.txt"},
	{SHA256Crypt, "Hello world!", "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA", "Drepper, sha-crypt.txt"},
	{SHA256Crypt, "This is just a test", "$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5", "Drepper, sha-crypt.txt"},
	{SHA256Crypt, longText, "$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1", "Drepper, sha-crypt.txt"},
	{SHA256Crypt, "we have a short salt string but not a short password", "$5$rounds=77777$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/", "Drepper, sha-crypt.txt"},
	{SHA256Crypt, "a short string", "$5$rounds=123456$asaltof16chars..$gP3VQ/6X7UUEW3HkBn2w1/Ptq2jxPyzV/cZKmF/wJvD", "Drepper, sha-crypt.txt"},
	{SHA256Crypt, "the minimum number is still observed", "$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC", "Drepper, sha-crypt.txt"},
	{SHA256Crypt, "the minimum number is still observed", "$5$rounds=10$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC", "the same, rounds=10 as asked (computed as 1000)"},
	{SHA256Crypt, "rasmuslerdorf", "$5$rounds=5000$usesomesillystri$KqJWpanXZHKq2BOB43TSaYhEWsQ1Lr5QNyPCDH/Tp.6", "PHP manual, crypt (CRYPT_SHA256)"},
	// SHA-512-crypt
	{SHA512Crypt, "Hello world!", "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", "Drepper, sha-crypt.txt"},
	{SHA512Crypt, "Hello world!", "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.", "Drepper, sha-crypt.txt"},
	{SHA512Crypt, "This is just a test", "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0", "Drepper, sha-crypt.txt"},
	{SHA512Crypt, longText, "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1", "Drepper, sha-crypt.txt"},
	{SHA512Crypt, "we have a short salt string but not a short password", "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0", "Drepper, sha-crypt.txt"},
	{SHA512Crypt, "a short string", "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1", "Drepper, sha-crypt.txt"},
	{SHA512Crypt, "the minimum number is still observed", "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.", "Drepper, sha-crypt.txt"},
	{SHA512Crypt, "rasmuslerdorf", "$6$rounds=5000$usesomesillystri$D4IrlXatmP7rx3P3InaxBeoomnAihCKRVQP22JZ6EY47Wc6BkroIuUUBOov1i.S5KPgErtP/EN5mcO.ChWQW21", "PHP manual, crypt (CRYPT_SHA512)"},
	{SHA512Crypt, "", "$6$$/chiBau24cE26QQVW3IfIe68Xu5.JQ4E8Ie7lcRLwqxO5cxGuBhqF2HmTL.zWJ9zjChg3yJYFXeGBQ2y3Ba1d1", "musl src/crypt tests (empty salt and password)"},
	{SHA512Crypt, "Xy01@#\x01\x02\x80\x7f\xff\r\n\x81\t !", "$6$rounds=1234$abc0123456789$BCpt8zLrc/RcyuXmCDOE1ALqMXB2MH6n1g891HhFj8.w7LxGv.FTkqq6Vxc/km3Y0jE0j24jY5PIv/oOu6reg1", "musl src/crypt tests (8-bit bytes)"},
	// hex digests (the unsalted ones are the well-known digests of
	// "password"; the salted ones were computed with Python's hashlib)
	{MD5, "password", "5f4dcc3b5aa765d61d8327deb882cf99", "md5('password')"},
	{MD5, "password", "5F4DCC3B5AA765D61D8327DEB882CF99", "the same in upper case"},
	{MD5, "password", "md5:5f4dcc3b5aa765d61d8327deb882cf99", "explicit form"},
	{SHA1, "password", "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8", "sha1('password')"},
	{SHA1, "password", "sha1:5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8", "explicit form"},
	{SHA256, "password", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", "sha256('password')"},
	{MD5, "Сәлем әлем", "md5:sp:Xq7:salt:5d787256f811a27b9eac72bb866728f8", "md5(salt‖password), salt with a colon"},
	{MD5, "Сәлем әлем", "md5:ps:Xq7:salt:66f90c7971426762e91ad930a9f72ac0", "md5(password‖salt)"},
	{SHA1, "Сәлем әлем", "sha1:sp:Xq7:salt:1451ea23a84f81ffd58cfeeb20343f05200ad18a", "sha1(salt‖password)"},
	{SHA1, "Сәлем әлем", "sha1:ps:Xq7:salt:b0ce7e724350a30268369db9975d03a1ac3b84dd", "sha1(password‖salt)"},
	{SHA256, "Сәлем әлем", "sha256:sp:Xq7:salt:537de56568837bcc6475e2b6f87e4f19afa23b27dab562d38561452675b7540d", "sha256(salt‖password)"},
	{SHA256, "Сәлем әлем", "sha256:ps:Xq7:salt:7a1cbea5526e6abcd0ea9fe7f4d60a094c1af757b973745f93f6c782fd6cb717", "sha256(password‖salt)"},
	{MD5, "Сәлем әлем", "5d787256f811a27b9eac72bb866728f8:Xq7:salt", "raw <hex>:<salt>, salt first (osCommerce)"},
	{MD5, "Сәлем әлем", "66f90c7971426762e91ad930a9f72ac0:Xq7:salt", "raw <hex>:<salt>, password first (Joomla 1.x)"},
	{SHA1, "Сәлем әлем", "b0ce7e724350a30268369db9975d03a1ac3b84dd:Xq7:salt", "raw <hex>:<salt>"},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(string(v.format)+"/"+v.source, func(t *testing.T) {
			if f := Identify(v.hash); f != v.format {
				t.Fatalf("Identify = %q, want %q", f, v.format)
			}
			if !Known(v.hash) || Check(v.hash) != nil {
				t.Fatalf("Known = false, Check = %v", Check(v.hash))
			}
			ok, err := Verify(v.password, v.hash)
			if err != nil || !ok {
				t.Fatalf("the right password: ok %v, err %v", ok, err)
			}
			for _, wrong := range []string{v.password + "x", strings.ToUpper(v.password) + "!", "", " " + v.password} {
				if wrong == v.password {
					continue
				}
				if ok, err := Verify(wrong, v.hash); ok || err != nil {
					t.Fatalf("a wrong password: ok %v, err %v", ok, err)
				}
			}
		})
	}
}

// Each format is covered by the vectors above.
func TestEveryFormatHasVectors(t *testing.T) {
	seen := map[Format]bool{}
	for _, v := range vectors {
		seen[v.format] = true
	}
	for _, f := range []Format{Bcrypt, Argon2id, Argon2i, PBKDF2SHA256, PBKDF2SHA1, Phpass, MD5Crypt, SHA256Crypt, SHA512Crypt, MD5, SHA1, SHA256} {
		if !seen[f] {
			t.Errorf("no vector for %s", f)
		}
	}
}

// Django's bcrypt wrappers, and bcrypt's 72-byte limit as PHP applied it.
// (Django publishes no fixed vector for these: the hashes are made here
// with x/crypto's bcrypt, the way Django makes them.)
func TestBcryptVariants(t *testing.T) {
	pw := "Қазақстан-2024 ұстаз"
	sum := sha256.Sum256([]byte(pw))
	h, err := bcrypt.GenerateFromPassword([]byte(hex.EncodeToString(sum[:])), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	long := strings.Repeat("0123456789", 8) // 80 bytes: PHP hashed the first 72
	trunc, _ := bcrypt.GenerateFromPassword([]byte(long[:72]), bcrypt.MinCost)
	for _, c := range []struct {
		hash, pw string
		want     bool
	}{
		{"bcrypt_sha256$" + string(h), pw, true},
		{"bcrypt_sha256$" + string(h), pw + " ", false},
		{"bcrypt$" + string(plain), pw, true},
		{"bcrypt$" + string(plain), "x", false},
		{string(trunc), long, true},
		{string(trunc), long[:72], true},
		{string(trunc), long[:71], false},
	} {
		if Identify(c.hash) != Bcrypt {
			t.Fatalf("not identified as bcrypt: %q", c.hash[:14])
		}
		if ok, err := Verify(c.pw, c.hash); ok != c.want || err != nil {
			t.Fatalf("%q: ok %v want %v, err %v", c.hash[:14], ok, c.want, err)
		}
	}
}

// An empty hash is a user without a password: known, matching nothing.
func TestEmptyHash(t *testing.T) {
	if Identify("") != None || !Known("") || Check("") != nil {
		t.Fatal("the empty hash must be known as None")
	}
	for _, pw := range []string{"", "anything", " "} {
		if ok, err := Verify(pw, ""); ok || err != nil {
			t.Fatalf("the empty hash matched a password: ok %v err %v", ok, err)
		}
	}
}

// Malformed strings, unsupported variants and costs above the caps are
// Unknown, with an error that does not quote the hash.
func TestUnknown(t *testing.T) {
	for _, s := range []string{
		"plain", "x", "$", "$$", "$1$", "$5$", "$6$", "$P$", "$2y$", "$argon2id$", "pbkdf2_sha256$",
		"rl.3StKT.4T8M", // DES crypt
		"$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", // crypt_blowfish's buggy variant
		"$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1",  // one short
		"$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1!", // not crypt base64
		"$2y$03$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a", // cost below bcrypt's minimum
		"$2y$15$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a", // cost above the cap
		"$2y$31$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a",
		"$argon2i$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA", // version 16
		"$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA",      // no version
		"$argon2d$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$Hl6uH5u2Bx9QA6LiWdqzkzCZD0dw6Y9V6nhuB1z0zgs",
		"$argon2id$v=19$m=2097152,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", // 2 GiB
		"$argon2id$v=19$m=1048576,t=8,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc", // 8 GiB·passes
		"$argon2id$v=19$m=65536,t=2,p=0$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",   // no lanes
		"$argon2id$v=19$m=65536,t=02,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",  // two spellings of 2
		"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ=$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",  // padded
		"$argon2id$v=19$m=65536,t=2,p=1,keyid=x$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"pbkdf2_sha256$3000001$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", // over the cap
		"pbkdf2_sha256$0$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=",
		"pbkdf2_sha256$-1$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=",
		"pbkdf2_sha256$10000$$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=",
		"pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY",
		"pbkdf2_sha512$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=",
		"$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L",  // short
		"$P$zIQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0", // 2^61 rounds
		"$P$LIQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0", // 2^23 rounds: over the cap
		"$P$1IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0", // 2^3 rounds: below phpass's floor
		"$1$rasmusle$rISCgZzpwk3UhDidwXvin",
		"$1$rasmuslerdorf$rISCgZzpwk3UhDidwXvin0",                             // salt over 8
		"$5$rounds=1000001$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/", // over the cap
		"$6$rounds=999999999$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0",
		"$5$rounds=$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/",
		"$5$rounds=+5000$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd/",
		"$5$short$JiO1O3ZpDAxGJeaDIuqCoEFysAe1mZNJRs3pw0KQRd",
		"$5$toolongsaltstring$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5",
		"5f4dcc3b5aa765d61d8327deb882cf9",   // 31 hex digits
		"5f4dcc3b5aa765d61d8327deb882cf9g",  // not hex
		"5f4dcc3b5aa765d61d8327deb882cf99:", // empty salt
		"5f4dcc3b5aa765d61d8327deb882cf99:" + strings.Repeat("s", 256),
		"md5:5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8", // SHA-1 length under md5:
		"md5:xx:salt:5f4dcc3b5aa765d61d8327deb882cf99",
		"md5:sp::5f4dcc3b5aa765d61d8327deb882cf99",
		"sha1:",
		strings.Repeat("$", MaxLen+1),
	} {
		if Identify(s) != Unknown || Known(s) {
			t.Errorf("accepted: %q", s)
			continue
		}
		err := Check(s)
		if !errors.Is(err, ErrUnknown) || (len(s) > 8 && strings.Contains(err.Error(), s)) {
			t.Errorf("Check(%q) = %v", s, err)
		}
		if ok, err := Verify("password", s); ok || !errors.Is(err, ErrUnknown) {
			t.Errorf("Verify(%q) = %v, %v", s, ok, err)
		}
	}
}

// BenchmarkVerify: one verification per format at the cost in its
// published vector, and at the caps (docs/benchmarks.md).
func BenchmarkVerify(b *testing.B) {
	seen := map[Format]bool{}
	for _, v := range vectors {
		if seen[v.format] || strings.Contains(v.hash, "rounds=") && !strings.Contains(v.hash, "rounds=5000$") {
			continue
		}
		seen[v.format] = true
		b.Run(string(v.format), func(b *testing.B) {
			for b.Loop() {
				Verify(v.password, v.hash)
			}
		})
	}
	for name, h := range map[string]string{
		"cap/bcrypt-14":              "$2y$14$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a",
		"cap/pbkdf2-sha256-3M":       "pbkdf2_sha256$3000000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=",
		"cap/sha512-crypt-1M":        "$6$rounds=1000000$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0",
		"cap/phpass-2^20":            "$P$IIQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0",
		"cap/argon2i-256MiB-4passes": "$argon2i$v=19$m=262144,t=4,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA",
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				Verify("password", h)
			}
		})
	}
}
