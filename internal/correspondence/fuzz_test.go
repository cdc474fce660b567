package correspondence

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseInbound: whatever arrives over SMTP, the parser returns a
// reply's valid UTF-8 text, a report, or ErrMalformed; it never panics.
func FuzzParseInbound(f *testing.F) {
	for _, s := range []string{
		"Subject: x\r\n\r\nСәлем!\r\n",
		"Content-Type: text/plain; charset=windows-1251\r\n\r\n\xcf\xf0\xe8\xe2\xe5\xf2\r\n",
		"Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>Рахмет</p>\r\n--b--\r\n",
		"Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; a@b.kz\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--B--\r\n",
		"Content-Transfer-Encoding: base64\r\n\r\n0KHRgdC70LXQvA==\r\n",
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n=D0=A1=D3=99=D0=BB=D0=B5=D0=BC\r\n",
		"Subject: x\r\nContent-Type: multipart/mixed\r\n\r\nno boundary\r\n",
		"Рахмет\r\n\r\nOn Mon, X wrote:\r\n> old\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := ParseInbound(raw)
		if err != nil {
			if !strings.HasPrefix(err.Error(), ErrMalformed.Error()) {
				t.Fatalf("an error other than ErrMalformed: %v", err)
			}
			return
		}
		if !in.DSN && (!utf8.ValidString(in.Text) || strings.TrimSpace(in.Text) == "") {
			t.Fatalf("a reply without valid text")
		}
	})
}
