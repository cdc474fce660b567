// Package ui holds the site's templates and static assets, embedded in the
// binary so the site needs no CDN and no files beside it.
package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

// Templates holds layout.html, partials/ and pages/.
//
//go:embed templates
var Templates embed.FS

//go:embed static
var static embed.FS

var (
	hashOnce sync.Once
	hashes   map[string]string // file name → short content hash
)

func loadHashes() {
	hashes = map[string]string{}
	fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := static.ReadFile(p)
		sum := sha256.Sum256(b)
		hashes[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
}

// StaticPath returns the URL of a static file with its content hash in the
// path, so it can be cached for a year and still change on upgrade.
func StaticPath(name string) string {
	hashOnce.Do(loadHashes)
	return "/static/" + hashes[name] + "/" + name
}

// StaticHandler serves /static/{hash}/{name}.
func StaticHandler() http.Handler {
	hashOnce.Do(loadHashes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, "/static/")
		i := strings.Index(rest, "/")
		if i < 0 {
			http.NotFound(w, r)
			return
		}
		hash, name := rest[:i], path.Clean(rest[i+1:])
		want, ok := hashes[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := static.ReadFile("static/" + name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		if hash == want {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Write(b)
	})
}
