package blob

import (
	"net/url"
	"strings"
	"testing"
)

// marker starts every secret in the fuzz test. No fixed error text holds
// Cyrillic, so finding it in an error means the error echoed input.
const marker = "ЖАСЫРЫН"

// FuzzParseSpec: parsing a storage spec never panics, and its errors never
// contain the secret key, whether it came in the URL or the environment,
// however malformed the rest of the spec is.
func FuzzParseSpec(f *testing.F) {
	f.Add("", "smartustaz-files", "endpoint=127.0.0.1:7070&region=us-east-1&secure=false", "abc", false)
	f.Add("s3://bucket", "bucket", "endpoint=minio:9000", "x/y+z=", true)
	f.Add("file:///srv/files", "b", "secure=maybe", "", false)
	f.Add("s3://a:b@bucket:99?endpoint=[::1]:9000", "Bad_Bucket", "endpoint=http://host/", "%zz", false)
	f.Add("s3://ak:"+marker+"@bu cket", "bucket", "region=eu%20west", "@:/?#", false)
	f.Add("s3://%zz", "x..y", "endpoint=h&endpoint=g", "\x00", true)
	f.Add("S3://ak:"+marker+"@b?unknown=1", "bucket", "secret="+marker, "ф", false)
	f.Fuzz(func(t *testing.T, raw, bucket, query, suffix string, useEnv bool) {
		secret := marker + suffix
		env := func(k string) string {
			switch k {
			case "AWS_ACCESS_KEY_ID":
				return "AKID"
			case "AWS_SECRET_ACCESS_KEY":
				return secret
			}
			return ""
		}
		leaks := func(msg string) bool {
			return strings.Contains(msg, marker) ||
				strings.Contains(strings.ToLower(msg), strings.ToLower(url.QueryEscape(marker)))
		}

		// Any string at all.
		if _, err := parseSpec(raw, env); err != nil && leaks(err.Error()) {
			t.Fatalf("error echoes input: %q", err)
		}

		// An S3 spec with a secret in it, the rest fuzzed.
		spec := "s3://"
		if !useEnv {
			spec += url.UserPassword("AKID", secret).String() + "@"
		}
		spec += bucket + "?" + query
		sp, err := parseSpec(spec, env)
		if err != nil {
			if leaks(err.Error()) {
				t.Fatalf("error contains the secret: %q", err)
			}
			return
		}
		// A bucket holding URL delimiters moves the parts around (an "@"
		// in it ends the user info later); otherwise the credentials must
		// be exactly the ones given.
		intact := !strings.ContainsAny(bucket, "@/?#")
		if sp.kind != "s3" || intact && (sp.s3.secretKey != secret || sp.s3.AccessKey != "AKID") {
			t.Fatalf("parsed %q into kind %q with other credentials", spec, sp.kind)
		}
		if !validBucket(sp.s3.Bucket) || !validEndpoint(sp.s3.Endpoint) {
			t.Fatalf("accepted bucket %q at %q", sp.s3.Bucket, sp.s3.Endpoint)
		}
		if leaks(sp.s3.String()) {
			t.Fatalf("String() shows the secret: %q", sp.s3.String())
		}
	})
}
