package preview

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"
)

// ThumbWidth is the width in pixels of a catalog card's thumbnail: twice
// the 64 CSS pixels it is shown at, for sharp screens.
const ThumbWidth = 128

// thumbMaxPixels bounds the page images Thumbnail decodes: a page drawn
// by pdftoppm is about 1,240 × 1,754; a JPEG file is its own page image
// and may be far larger, and decoding it would take memory and time a
// list page must not spend. Such a file gets the file-type icon instead.
const thumbMaxPixels = 24_000_000

// ErrTooLarge is a page image too large to make a thumbnail of.
var ErrTooLarge = errors.New("preview: image too large for a thumbnail")

// Thumbable reports whether a page image of these dimensions gets a
// thumbnail (the catalog shows an icon otherwise).
func Thumbable(width, height int) bool {
	return width > 0 && height > 0 && int64(width)*int64(height) <= thumbMaxPixels
}

// ThumbSize is the size of the thumbnail of a width × height page image.
func ThumbSize(width, height int) (int, int) {
	if width <= 0 || height <= 0 {
		return ThumbWidth, ThumbWidth * 4 / 3
	}
	h := (height*ThumbWidth + width/2) / width
	return ThumbWidth, min(max(h, 1), 4*ThumbWidth)
}

// Thumbnail reads a page image (PNG or JPEG) and returns it as a PNG
// ThumbWidth pixels wide, scaled with Catmull-Rom (a page of text stays
// legible as a shape; a box or bilinear filter at a tenth of the size
// shimmers). The header is checked before any pixel is decoded.
func Thumbnail(r io.Reader) ([]byte, error) {
	var head bytes.Buffer
	cfg, format, err := image.DecodeConfig(io.TeeReader(r, &head))
	if err != nil {
		return nil, fmt.Errorf("preview: thumbnail: %w", err)
	}
	if !Thumbable(cfg.Width, cfg.Height) {
		return nil, ErrTooLarge
	}
	full := io.MultiReader(&head, r)
	var src image.Image
	switch format {
	case "png":
		src, err = png.Decode(full)
	case "jpeg":
		src, err = jpeg.Decode(full)
	default:
		return nil, fmt.Errorf("preview: thumbnail: format %q", format)
	}
	if err != nil {
		return nil, fmt.Errorf("preview: thumbnail: %w", err)
	}
	w, h := ThumbSize(cfg.Width, cfg.Height)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	// A page taller than four widths is cropped at the top part, as the
	// page images themselves are.
	sr := src.Bounds()
	if want := sr.Dx() * h / w; want < sr.Dy() {
		sr.Max.Y = sr.Min.Y + want
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, sr, draw.Src, nil)
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, dst); err != nil {
		return nil, fmt.Errorf("preview: thumbnail: %w", err)
	}
	return out.Bytes(), nil
}
