package correspondence

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// ErrMalformed means an inbound message is not a MIME message this
// parser can read; the listener refuses it (554). The error says what is
// wrong, never what the message holds.
var ErrMalformed = errors.New("correspondence: malformed message")

// Inbound is what the listener keeps of a received message.
type Inbound struct {
	// Text is the new text of a reply, quoted history cut off.
	Text string
	// Bounces are the failed recipients of a delivery-status
	// notification (RFC 3464); DSN is true for such a report.
	DSN     bool
	Bounces []Bounce
	// File is the reply's first attached file, as received (the listener
	// keeps it only if it passes the library's file rules).
	File *Attachment
}

// Bounce is one failed recipient of a delivery-status notification.
type Bounce struct {
	Recipient string // the address (personal: never logged)
	Status    string // e.g. 5.1.1
}

// maxParts bounds the MIME parts walked, and maxDepth their nesting.
const (
	maxParts = 50
	maxDepth = 5
)

func malformed(what string) error { return fmt.Errorf("%w: %s", ErrMalformed, what) }

// ParseInbound reads a received message: the text of a reply, or the
// failed recipients of a delivery-status notification.
func ParseInbound(raw []byte) (*Inbound, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, malformed("the header does not parse")
	}
	in := &Inbound{}
	w := &walker{in: in}
	if err := w.walk(textproto.MIMEHeader(msg.Header), msg.Body, 0); err != nil {
		return nil, err
	}
	if in.DSN {
		return in, nil
	}
	text := w.plain
	if text == "" {
		text = stripTags(w.html)
	}
	in.Text = StripQuoted(text)
	if strings.TrimSpace(in.Text) == "" {
		return nil, malformed("no text")
	}
	return in, nil
}

type walker struct {
	in          *Inbound
	parts       int
	plain, html string
}

func (w *walker) walk(h textproto.MIMEHeader, body io.Reader, depth int) error {
	w.parts++
	if w.parts > maxParts || depth > maxDepth {
		return malformed("too many parts")
	}
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return malformed("bad Content-Type")
	}
	if strings.HasPrefix(mt, "multipart/") {
		if mt == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
			w.in.DSN = true
		}
		b := params["boundary"]
		if b == "" {
			return malformed("multipart without boundary")
		}
		mr := multipart.NewReader(body, b)
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return malformed("multipart does not parse")
			}
			if err := w.walk(p.Header, p, depth+1); err != nil {
				return err
			}
		}
	}
	data, err := decode(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	switch {
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		if !w.in.DSN {
			return nil // a status part outside a report is not a report
		}
		bs, err := parseStatus(data)
		if err != nil {
			return err
		}
		w.in.Bounces = append(w.in.Bounces, bs...)
	case mt == "text/plain" && w.plain == "" && !isAttachment(h) && fileName(h, params) == "":
		s, err := toUTF8(params["charset"], data)
		if err != nil {
			return err
		}
		w.plain = s
	case mt == "text/html" && w.html == "" && !isAttachment(h):
		s, err := toUTF8(params["charset"], data)
		if err != nil {
			return err
		}
		w.html = s
	default:
		if name := fileName(h, params); name != "" && w.in.File == nil && len(data) > 0 {
			w.in.File = &Attachment{Name: name, Data: data}
		}
	}
	return nil
}

// fileName is an attached part's file name (RFC 2183, or the older
// Content-Type name parameter), decoded from RFC 2047; "" for none.
func fileName(h textproto.MIMEHeader, ctParams map[string]string) string {
	_, dp, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := dp["filename"]
	if name == "" {
		name = ctParams["name"]
	}
	if dec, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
		name = dec
	}
	return strings.TrimSpace(name)
}

func isAttachment(h textproto.MIMEHeader) bool {
	d, _, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	return d == "attachment"
}

func decode(cte string, r io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit", "8bit", "binary":
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &unspace{r: r})
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	default:
		return nil, malformed("unknown Content-Transfer-Encoding")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, malformed("the body does not decode")
	}
	return b, nil
}

// unspace drops the line breaks and spaces base64 bodies carry.
type unspace struct{ r io.Reader }

func (u *unspace) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
			p[j] = c
			j++
		}
	}
	return j, err
}

// toUTF8 converts a text part to UTF-8 (Kazakh and Russian mail may come
// in windows-1251 or KOI8-R as well as UTF-8).
func toUTF8(charset string, b []byte) (string, error) {
	cs := strings.ToLower(strings.TrimSpace(charset))
	if cs == "" || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" {
		if !utf8.Valid(b) {
			return "", malformed("the text is not valid UTF-8")
		}
		return string(b), nil
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		return "", malformed("unknown charset")
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(out) {
		return "", malformed("the text does not decode")
	}
	return string(out), nil
}

// parseStatus reads the fields of a message/delivery-status part: a
// per-message block, then one block per recipient (RFC 3464 §2.1).
func parseStatus(b []byte) ([]Bounce, error) {
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(b)))
	if _, err := r.ReadMIMEHeader(); err != nil && !errors.Is(err, io.EOF) {
		return nil, malformed("the delivery status does not parse")
	}
	var out []Bounce
	for i := 0; i < maxParts; i++ {
		h, err := r.ReadMIMEHeader()
		if len(h) > 0 {
			action := strings.ToLower(strings.TrimSpace(h.Get("Action")))
			status := strings.TrimSpace(h.Get("Status"))
			typ, addr, _ := strings.Cut(h.Get("Final-Recipient"), ";")
			addr = strings.Trim(strings.TrimSpace(addr), "<>")
			if action == "failed" && strings.HasPrefix(status, "5.") && strings.EqualFold(strings.TrimSpace(typ), "rfc822") && addr != "" {
				out = append(out, Bounce{Recipient: addr, Status: status})
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, malformed("the delivery status does not parse")
		}
	}
	return out, nil
}

var (
	tagRe   = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)
	wroteRe = regexp.MustCompile(`(?i)^(on .+wrote:|.+ (wrote|пишет|писал\(а\)|жазды):|-+ ?original message ?-+|-+ ?исходное сообщение ?-+)\s*$`)
)

func stripTags(s string) string {
	s = strings.NewReplacer("<br>", "\n", "<br/>", "\n", "<br />", "\n", "</p>", "\n\n", "</div>", "\n").Replace(s)
	return htmlUnescape(tagRe.ReplaceAllString(s, ""))
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ").Replace(s)
}

// StripQuoted cuts a reply's quoted history: from the first "On … wrote:"
// line (in English, Russian or Kazakh) or "Original Message" marker, and
// every line quoted with ">".
func StripQuoted(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if wroteRe.MatchString(t) {
			break
		}
		if strings.HasPrefix(t, ">") {
			continue
		}
		keep = append(keep, strings.TrimRight(line, " \t"))
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}
