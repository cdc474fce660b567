// Package previewtest is for tests that run the real page-image tools.
package previewtest

import (
	"os"
	"os/exec"
	"testing"
)

// NeedTools skips a test that needs LibreOffice (soffice) and poppler
// (pdftoppm) when they are not installed — except in CI, where a skip
// would hide a failure, so it fails there instead. what names the test
// in the skip message.
func NeedTools(t testing.TB, what string) {
	t.Helper()
	for _, name := range []string{"soffice", "pdftoppm"} {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required in CI (.ci/run installs poppler-utils and LibreOffice) but not on PATH", name)
			}
			t.Skipf("%s not installed: skipping %s (apt-get install poppler-utils libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui fonts-dejavu-core)", name, what)
		}
	}
}
