package logging

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/vault"
)

func TestNothingPersonalReachesTheLog(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, slog.LevelDebug)
	log.Info("registered", "email", "aigerim.test@mektep.kz", "phone", "+77011234567", "ip", "10.1.2.3")
	log.Error("send failed", "err", errors.New("rcpt aigerim.test@mektep.kz refused"))
	log.Info("secret", "value", vault.NewSecret("Айгерім Тестова"), "group", slog.GroupValue(slog.String("email", "x@y.kz")))
	log.Warn("wrapped", "err", fmt.Errorf("op: %v", vault.NewSecret("Айгерім Тестова")))
	out := buf.String()
	for _, leak := range []string{"aigerim.test", "7011234567", "10.1.2.3", "Айгерім", "x@y.kz"} {
		if strings.Contains(out, leak) {
			t.Errorf("log contains a personal value (%d bytes of log)", len(out))
		}
	}
	if !strings.Contains(out, "send failed") || !strings.Contains(out, "[redacted]") {
		t.Errorf("log lost its messages: %d bytes", len(out))
	}
}
