package preview_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/smartustaz/smartustaz/internal/preview"
)

func pageImage(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	// A dark title block in the top half, the rest of the page white.
	for y := h / 10; y < h/5; y++ {
		for x := w / 10; x < w*9/10; x++ {
			img.SetGray(x, y, color.Gray{0})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A page image becomes a PNG thumbnail 128 pixels wide with the page's
// proportions, in which the page's dark title block is still dark and its
// margin still white; a JPEG page too; anything else is refused.
func TestThumbnail(t *testing.T) {
	out, err := preview.Thumbnail(bytes.NewReader(pageImage(t, 1240, 1754)))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the thumbnail is no PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 128 || b.Dy() != 181 {
		t.Errorf("thumbnail is %v, want 128×181", b)
	}
	if w, h := preview.ThumbSize(1240, 1754); w != 128 || h != 181 {
		t.Errorf("ThumbSize says %d×%d", w, h)
	}
	gray := func(x, y int) uint8 { return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y }
	if g := gray(64, 27); g > 60 {
		t.Errorf("the title block is not dark in the thumbnail (%d)", g)
	}
	if g := gray(64, 150); g < 240 {
		t.Errorf("the white page is not white in the thumbnail (%d)", g)
	}
	if len(out) > 8000 {
		t.Errorf("a thumbnail of a plain page takes %d bytes", len(out))
	}

	src, _ := png.Decode(bytes.NewReader(pageImage(t, 600, 800)))
	var j bytes.Buffer
	if err := jpeg.Encode(&j, src, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := preview.Thumbnail(&j); err != nil {
		t.Errorf("a JPEG page: %v", err)
	}
	if _, err := preview.Thumbnail(bytes.NewReader([]byte("GIF89a not an image"))); err == nil {
		t.Error("a non-image made a thumbnail")
	}
	if preview.Thumbable(10000, 10000) {
		t.Error("a 100-megapixel image would be decoded for a thumbnail")
	}
}

// FuzzThumbnail: any bytes either fail cleanly or make a PNG 128 wide.
func FuzzThumbnail(f *testing.F) {
	f.Add(pageImage(f, 40, 60))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := preview.Thumbnail(bytes.NewReader(b))
		if err != nil {
			return
		}
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil || img.Bounds().Dx() != preview.ThumbWidth {
			t.Fatalf("bad thumbnail: %v", err)
		}
	})
}
