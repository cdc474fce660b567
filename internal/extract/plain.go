package extract

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// plainText decodes a txt file: UTF-8 (with or without a byte order mark),
// UTF-16 (with a byte order mark, or without one when every other byte is
// zero), and otherwise Windows-1251, the single-byte code page Russian and
// Kazakh texts were saved in by Windows Notepad before UTF-8.
func plainText(r io.Reader, lim Limits, out *textOut) error {
	// Enough input for MaxText bytes of output in any of the encodings.
	b, err := io.ReadAll(io.LimitReader(r, int64(lim.MaxText)*2+4))
	if err != nil {
		return err
	}
	return out.WriteString(decodePlain(b))
}

func decodePlain(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return string(b[3:])
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return utf16String(b[2:], unicode.LittleEndian)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return utf16String(b[2:], unicode.BigEndian)
	case utf8.Valid(trimPartialRune(b)):
		return string(b)
	case looksUTF16LE(b):
		return utf16String(b, unicode.LittleEndian)
	}
	d, _ := charmap.Windows1251.NewDecoder().Bytes(b)
	return string(d)
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end, left there
// by reading only a prefix of the file.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// looksUTF16LE: text in Latin or Cyrillic script saved as UTF-16LE without a
// byte order mark has a zero or a 0x04 (Cyrillic block) in most odd bytes.
func looksUTF16LE(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	hits, n := 0, 0
	for i := 1; i < len(b) && n < 4096; i += 2 {
		n++
		if b[i] == 0 || b[i] == 0x04 {
			hits++
		}
	}
	return hits*10 >= n*9
}

func utf16String(b []byte, e unicode.Endianness) string {
	b = b[:len(b)&^1]
	d, err := unicode.UTF16(e, unicode.IgnoreBOM).NewDecoder().Bytes(b)
	if err != nil {
		return ""
	}
	return string(d)
}

// rtfState is what an RTF group inherits and may change.
type rtfState struct {
	skip    bool // an ignored destination (font table, picture, header, …)
	uc      int  // characters of fallback to skip after \uN
	decoder *charmap.Charmap
	fonttbl bool
}

// rtfSkipped are destinations whose content is not document text.
var rtfSkipped = map[string]bool{
	"colortbl": true, "stylesheet": true, "info": true, "pict": true, "object": true,
	"header": true, "headerl": true, "headerr": true, "headerf": true,
	"footer": true, "footerl": true, "footerr": true, "footerf": true,
	"fldinst": true, "xmlnsdecl": true, "listtable": true, "listoverridetable": true,
	"rsidtbl": true, "generator": true, "themedata": true, "colorschememapping": true,
	"datastore": true, "latentstyles": true, "pgdsctbl": true, "revtbl": true, "filetbl": true,
	"nonshppict": true, "shpinst": true, "bkmkstart": true, "bkmkend": true, "pnseclvl": true,
	"private": true, "mmathPict": true, "fchars": true, "lchars": true, "defchp": true, "defpap": true,
}

// rtfCharsets maps \fcharsetN to a single-byte code page; charsets of
// multi-byte code pages are missing on purpose (their bytes are dropped).
var rtfCharsets = map[int]*charmap.Charmap{
	0: charmap.Windows1252, 161: charmap.Windows1253, 162: charmap.Windows1254,
	163: charmap.Windows1258, 177: charmap.Windows1255, 178: charmap.Windows1256,
	186: charmap.Windows1257, 204: charmap.Windows1251, 222: charmap.Windows874,
	238: charmap.Windows1250,
}

var rtfCodepages = map[int]*charmap.Charmap{
	1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252,
	1253: charmap.Windows1253, 1254: charmap.Windows1254, 1255: charmap.Windows1255,
	1256: charmap.Windows1256, 1257: charmap.Windows1257, 1258: charmap.Windows1258,
	874: charmap.Windows874, 866: charmap.CodePage866, 437: charmap.CodePage437,
	10000: charmap.Macintosh, 10007: charmap.MacintoshCyrillic,
}

// rtfText is a small RTF reader: it follows groups, skips destinations that
// are not text (\*, font and colour tables, pictures, headers), decodes \uN
// escapes, and decodes \'hh bytes and plain bytes in the code page of the
// current font (\fcharset) or of the document (\ansicpg).
func rtfText(ctx context.Context, r io.Reader, lim Limits, out *textOut) error {
	br := bufio.NewReaderSize(r, 64<<10)
	docPage := charmap.Windows1252
	fontPages := map[int]*charmap.Charmap{}
	curFont, tblFont := -1, -1
	st := rtfState{uc: 1, decoder: docPage}
	var stack []rtfState
	skipFallback := 0
	groupStart := false
	n := 0

	emitByte := func(c byte) error {
		if skipFallback > 0 {
			skipFallback--
			return nil
		}
		if st.skip || st.fonttbl || st.decoder == nil {
			return nil
		}
		return out.WriteString(string(st.decoder.DecodeByte(c)))
	}
	emit := func(s string) error {
		if st.skip || st.fonttbl {
			return nil
		}
		return out.WriteString(s)
	}

	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if n++; n%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		switch c {
		case '{':
			if len(stack) >= lim.MaxDepth {
				return fmt.Errorf("rtf: groups nested deeper than %d: %w", lim.MaxDepth, ErrBomb)
			}
			stack = append(stack, st)
			groupStart = true
			skipFallback = 0
			continue
		case '}':
			if len(stack) == 0 {
				return nil // the end of the document; anything after it is not RTF
			}
			if st.fonttbl && tblFont >= 0 {
				tblFont = -1
			}
			st = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			groupStart = false
			skipFallback = 0
			continue
		case '\r', '\n':
			continue
		case '\\':
		default:
			groupStart = false
			if st.fonttbl && c == ';' {
				tblFont = -1
			}
			if err := emitByte(c); err != nil {
				return err
			}
			continue
		}

		// A control word or symbol.
		c, err = br.ReadByte()
		if err != nil {
			return nil
		}
		if !isASCIILetter(c) {
			first := groupStart
			groupStart = false
			var err error
			switch c {
			case '\'':
				h := make([]byte, 2)
				if _, err := io.ReadFull(br, h); err != nil {
					return nil
				}
				v, ok := unhex(h[0], h[1])
				if ok {
					err = emitByte(v)
				}
			case '*':
				if first {
					st.skip = true
				}
			case '\\', '{', '}':
				err = emit(string(c))
			case '~':
				err = emit(" ")
			case '_':
				err = emit("-")
			case '\r', '\n':
				out.Break()
			case '\t':
				out.Space()
			}
			if err != nil {
				return err
			}
			continue
		}
		word := []byte{c}
		for len(word) < 32 {
			c, err = br.ReadByte()
			if err != nil || !isASCIILetter(c) {
				break
			}
			word = append(word, c)
		}
		param, hasParam := 0, false
		neg := false
		if err == nil && c == '-' {
			neg = true
			c, err = br.ReadByte()
		}
		for digits := 0; err == nil && c >= '0' && c <= '9' && digits < 10; digits++ {
			param = param*10 + int(c-'0')
			hasParam = true
			c, err = br.ReadByte()
		}
		if neg {
			param = -param
		}
		if err == nil && c != ' ' {
			_ = br.UnreadByte()
		}
		first := groupStart
		groupStart = false
		w := string(word)

		if first && (rtfSkipped[w] || st.skip) {
			st.skip = true
			continue
		}
		var werr error
		switch w {
		case "fonttbl":
			st.fonttbl = true
		case "ansicpg":
			if cp, ok := rtfCodepages[param]; ok {
				docPage = cp
				if curFont < 0 {
					st.decoder = cp
				}
			}
		case "f":
			if st.fonttbl {
				tblFont = param
				continue
			}
			curFont = param
			if cp, ok := fontPages[param]; ok {
				st.decoder = cp
			} else {
				st.decoder = docPage
			}
		case "fcharset":
			if st.fonttbl && tblFont >= 0 {
				fontPages[tblFont] = rtfCharsets[param] // nil: a multi-byte charset
			}
		case "uc":
			if hasParam && param >= 0 && param < 10 {
				st.uc = param
			}
		case "u":
			if param < 0 {
				param += 65536
			}
			skipFallback = 0
			werr = emit(string(rune(param)))
			skipFallback = st.uc
		case "par", "line", "sect", "page", "row":
			if !st.skip {
				out.Break()
			}
		case "tab", "cell":
			if !st.skip {
				out.Space()
			}
		case "emdash":
			werr = emit("—")
		case "endash":
			werr = emit("–")
		case "bullet":
			werr = emit("•")
		case "lquote":
			werr = emit("‘")
		case "rquote":
			werr = emit("’")
		case "ldblquote":
			werr = emit("“")
		case "rdblquote":
			werr = emit("”")
		case "bin":
			if hasParam && param > 0 {
				if _, err := br.Discard(param); err != nil {
					return nil
				}
			}
		}
		if werr != nil {
			return werr
		}
	}
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func unhex(a, b byte) (byte, bool) {
	x, ok1 := hexVal(a)
	y, ok2 := hexVal(b)
	return x<<4 | y, ok1 && ok2
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
