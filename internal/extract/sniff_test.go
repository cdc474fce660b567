package extract

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"
)

// Every accepted kind is recognised from its content alone: the samples are
// read without their names.
func TestSniffFileAccepted(t *testing.T) {
	cases := []struct {
		sample string
		want   Kind
	}{
		{"sample.pdf", PDF},
		{"sample.doc", DOC},
		{"sample.docx", DOCX},
		{"sample.pptx", PPTX},
		{"sample.xlsx", XLSX},
		{"sample.odt", ODT},
		{"sample.odp", ODP},
		{"sample.rtf", RTF},
		{"sample-utf8.txt", TXT},
		{"sample-utf16le.txt", TXT},
		{"sample-cp1251.txt", TXT},
		{"sample.jpg", JPG},
		{"sample.png", PNG},
		{"sample.zip", ZIP},
	}
	extra := []struct {
		name string
		data []byte
		want Kind
	}{
		{"ppt (OLE with a PowerPoint Document stream)", cfb("Current User", "PowerPoint Document"), PPT},
		{"xls (OLE with a Workbook stream)", cfb("Workbook"), XLS},
		// A docx is a zip; a zip whose entries merely look like Word's is
		// not a docx without [Content_Types].xml: it is accepted as a zip.
		{"zip of random files named like a docx", makeZip(
			zipEntry{name: "word/document.xml", data: randomBytes(1, 3000)},
			zipEntry{name: "word/media/image1.bin", data: randomBytes(2, 3000)}), ZIP},
		// A docx whose [Content_Types].xml is not the first entry: the
		// head does not show it, the central directory does.
		{"docx with the content types last", makeZip(
			zipEntry{name: "word/document.xml", data: documentXML(kkSentence)},
			zipEntry{name: "word/media/image1.png", data: randomBytes(3, 8000)},
			zipEntry{name: "[Content_Types].xml", data: []byte(contentTypesXML("/word/document.xml", docxMain))}), DOCX},
		{"csv", []byte("Сынып;Пән;Сағат\n5;Қазақ тілі;3\n6;Математика;5\n"), TXT},
	}
	for _, c := range cases {
		b := readSample(t, c.sample)
		extra = append(extra, struct {
			name string
			data []byte
			want Kind
		}{c.sample, b, c.want})
	}
	for _, c := range extra {
		t.Run(c.name, func(t *testing.T) {
			got, err := SniffFile(context.Background(), bytes.NewReader(c.data), int64(len(c.data)))
			if err != nil || got != c.want {
				t.Fatalf("SniffFile = %q, %v; want %q", got, err, c.want)
			}
			// Sniff on the head never refuses what SniffFile accepts.
			if _, err := Sniff(c.data[:min(len(c.data), HeadSize)]); err != nil {
				t.Fatalf("Sniff(head) refused an accepted file: %v", err)
			}
			if got.MIME() == "" || got.Ext() != "."+string(got) {
				t.Fatalf("kind %q has no MIME type or a wrong extension", got)
			}
		})
	}
}

func TestSniffFileRefused(t *testing.T) {
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 0x30)...)
	pe = append(pe, []byte("This program cannot be run in DOS mode.\r\n")...)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 200)...)
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"windows executable renamed .docx", pe},
		{"ELF executable", elf},
		{"HTML page", []byte("<!DOCTYPE html><html><head><title>Сабақ</title></head><body><script>alert(1)</script></body></html>")},
		{"SVG image", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>`)},
		{"shell script", []byte("#!/bin/sh\nrm -rf ~\n")},
		{"python script", []byte("#!/usr/bin/env python3\nprint('сәлем')\n")},
		{"XML", []byte(`<?xml version="1.0"?><lesson><title>Сабақ</title></lesson>`)},
		{"random bytes", randomBytes(4, 4096)},
		{"gzip", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + string(randomBytes(5, 100)))},
		{"installer (OLE without a document stream)", cfb("\x05SummaryInformation", "Property")},
		{"Word 97 file with macros", cfb("WordDocument", "Macros")},
		{"encrypted Office package", cfb("EncryptionInfo", "EncryptedPackage")},
		{"macro-enabled docm", makeZip(
			zipEntry{name: "[Content_Types].xml", data: []byte(contentTypesXML("/word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"))},
			zipEntry{name: "word/document.xml", data: documentXML(kkSentence)},
			zipEntry{name: "word/vbaProject.bin", data: randomBytes(6, 100)})},
		{"word template dotx", makeZip(
			zipEntry{name: "[Content_Types].xml", data: []byte(contentTypesXML("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"))},
			zipEntry{name: "word/document.xml", data: documentXML(kkSentence)})},
		{"OpenDocument spreadsheet", odfWith("application/vnd.oasis.opendocument.spreadsheet", "<x/>")},
		{"e-book", odfWith("application/epub+zip", "<x/>")},
		{"java archive", makeZip(zipEntry{name: "META-INF/MANIFEST.MF", data: []byte("Main-Class: A\n")}, zipEntry{name: "A.class", data: []byte{0xCA, 0xFE, 0xBA, 0xBE}})},
		{"android package", makeZip(zipEntry{name: "AndroidManifest.xml", data: randomBytes(7, 100)}, zipEntry{name: "classes.dex", data: []byte("dex\n035\x00")})},
		{"zip with a broken directory", append([]byte("PK\x03\x04"), randomBytes(8, 500)...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k, err := SniffFile(context.Background(), bytes.NewReader(c.data), int64(len(c.data)))
			if err == nil {
				t.Fatalf("SniffFile accepted it as %q", k)
			}
			if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("SniffFile error %v is neither ErrUnsupported nor ErrCorrupt", err)
			}
		})
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds() {
		if got, err := ParseKind(string(k)); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	for _, s := range []string{"", "exe", "html", "DOCX", "docm"} {
		if _, err := ParseKind(s); !errors.Is(err, ErrUnsupported) {
			t.Errorf("ParseKind(%q) = %v, want ErrUnsupported", s, err)
		}
	}
	if len(Kinds()) != 14 {
		t.Errorf("%d kinds, issue 3 lists 14", len(Kinds()))
	}
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
