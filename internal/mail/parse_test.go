package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"
)

// recipient is the address every test sends to. Tests compare with it and
// never print it.
const recipient = "aigerim.test@example.kz"

// parsed is an email as a mail client would show it.
type parsed struct {
	Header  netmail.Header
	Subject string // decoded
	Parts   map[string]part
}

// part is one body part, decoded.
type part struct {
	Charset string
	Body    string
}

// parseEML parses raw the way a mail client does: RFC 5322 headers,
// RFC 2047 subject, multipart/alternative with base64 or quoted-printable
// bodies. Every failure message leaves the content out (it holds the
// recipient address).
func parseEML(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail cannot parse the message: %v", redact(err))
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("Subject does not decode: %v", redact(err))
	}
	p := parsed{Header: msg.Header, Subject: subj, Parts: map[string]part{}}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", redact(err))
	}
	if mt != "multipart/alternative" {
		t.Fatalf("Content-Type is %s, want multipart/alternative", mt)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		mp, err := mr.NextPart() // decodes quoted-printable itself
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", redact(err))
		}
		var r io.Reader = mp
		if strings.EqualFold(mp.Header.Get("Content-Transfer-Encoding"), "base64") {
			r = base64.NewDecoder(base64.StdEncoding, mp)
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("part body: %v", redact(err))
		}
		ct, cp, err := mime.ParseMediaType(mp.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part Content-Type: %v", redact(err))
		}
		p.Parts[ct] = part{Charset: cp["charset"], Body: string(body)}
	}
	return p
}

// checkEML checks what every message from this package must carry.
func checkEML(t *testing.T, p parsed, want Message, wantFrom string) {
	t.Helper()
	if p.Subject != want.Subject {
		t.Errorf("decoded Subject = %q, want %q", p.Subject, want.Subject)
	}
	to, err := p.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != want.To {
		t.Errorf("To header is not exactly the recipient (err %v, %d addresses)", err, len(to))
	}
	from, err := p.Header.AddressList("From")
	wf, _ := netmail.ParseAddress(wantFrom)
	if err != nil || len(from) != 1 || from[0].Name != wf.Name || from[0].Address != wf.Address {
		t.Errorf("From = %v (err %v), want %s", from, err, wantFrom)
	}
	if _, err := p.Header.Date(); err != nil {
		t.Errorf("Date: %v", redact(err))
	}
	if id := p.Header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@"+domainOf(wantFrom)+">") {
		t.Errorf("Message-ID = %q, want <random@%s>", id, domainOf(wantFrom))
	}
	if got := p.Header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got)
	}
	if got := p.Header.Get("Content-Language"); got != string(want.Lang) {
		t.Errorf("Content-Language = %q, want %q", got, want.Lang)
	}
	for _, ct := range []string{"text/plain", "text/html"} {
		pt, ok := p.Parts[ct]
		if !ok {
			t.Errorf("no %s part", ct)
			continue
		}
		if !strings.EqualFold(pt.Charset, "utf-8") {
			t.Errorf("%s charset = %q", ct, pt.Charset)
		}
	}
	if p.Parts["text/plain"].Body != crlf(want.Text) {
		t.Errorf("text part differs from Message.Text after decoding")
	}
	if p.Parts["text/html"].Body != crlf(want.HTML) {
		t.Errorf("html part differs from Message.HTML after decoding")
	}
}

func domainOf(addr string) string {
	a, err := netmail.ParseAddress(addr)
	if err != nil {
		return ""
	}
	return a.Address[strings.LastIndexByte(a.Address, '@')+1:]
}

// redact is err's text for a failure message, with the recipient and the
// test password cut out, so even a failing test prints no personal value.
func redact(err error) string {
	if err == nil {
		return "<nil>"
	}
	s := strings.ReplaceAll(err.Error(), recipient, "[recipient]")
	return strings.ReplaceAll(s, "s3cret", "[password]")
}
