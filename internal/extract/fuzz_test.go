package extract

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"unicode/utf8"
)

// fuzzLimits are small so that a fuzzer's input reaches them.
var fuzzLimits = Limits{
	MaxEntries:      200,
	MaxUncompressed: 8 << 20,
	MaxPart:         4 << 20,
	MaxRatio:        100,
	MaxDepth:        64,
	MaxTokens:       200000,
	MaxPages:        20,
	MaxText:         4096,
}

func FuzzSniff(f *testing.F) {
	for name := range sampleFiles {
		f.Add(readSample(f, name))
	}
	f.Add([]byte("MZ"))
	f.Add([]byte("<html>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		head := data[:min(len(data), HeadSize)]
		k1, err1 := Sniff(head)
		k2, err2 := SniffFile(context.Background(), bytes.NewReader(data), int64(len(data)))
		if err1 == nil {
			if _, err := ParseKind(string(k1)); err != nil {
				t.Fatalf("Sniff returned unknown kind %q", k1)
			}
		}
		if err2 == nil {
			if _, err := ParseKind(string(k2)); err != nil {
				t.Fatalf("SniffFile returned unknown kind %q", k2)
			}
			if err1 != nil {
				t.Fatalf("Sniff refused (%v) what SniffFile accepted as %q", err1, k2)
			}
		}
	})
}

// fuzzText checks Check and Text on inputs of one kind: no panic, no error
// other than the package's own, valid UTF-8 within MaxText.
func fuzzText(f *testing.F, k Kind, samples ...string) {
	for _, s := range samples {
		f.Add(readSample(f, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		if err := Check(context.Background(), r, int64(len(data)), k, fuzzLimits); err != nil && !ownError(err) {
			t.Fatalf("Check: unexpected error %v", err)
		}
		s, err := Text(context.Background(), r, int64(len(data)), k, fuzzLimits)
		if err != nil && !ownError(err) {
			t.Fatalf("Text: unexpected error %v", err)
		}
		if !utf8.ValidString(s) || len(s) > fuzzLimits.MaxText {
			t.Fatalf("Text returned %d bytes, valid UTF-8: %v", len(s), utf8.ValidString(s))
		}
	})
}

func ownError(err error) bool {
	return errors.Is(err, ErrBomb) || errors.Is(err, ErrCorrupt) || errors.Is(err, ErrNoText) || errors.Is(err, ErrUnsupported)
}

func FuzzTextDOCX(f *testing.F) { fuzzText(f, DOCX, "sample.docx") }
func FuzzTextXLSX(f *testing.F) { fuzzText(f, XLSX, "sample.xlsx") }
func FuzzTextODT(f *testing.F)  { fuzzText(f, ODT, "sample.odt", "sample.odp") }
func FuzzTextRTF(f *testing.F)  { fuzzText(f, RTF, "sample.rtf") }
func FuzzTextTXT(f *testing.F) {
	fuzzText(f, TXT, "sample-utf8.txt", "sample-utf16le.txt", "sample-cp1251.txt")
}
func FuzzTextPDF(f *testing.F) { fuzzText(f, PDF, "sample.pdf") }
