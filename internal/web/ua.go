package web

import "strings"

// userAgent is what a person recognises of a browser: "Chrome on
// Android, phone". Only for showing the user their own sessions.
type userAgent struct{ Browser, OS, Device string }

// parseUA reads the few well-known tokens; an unknown agent is shown as
// such rather than guessed.
func parseUA(s string) userAgent {
	ua := userAgent{Browser: "?", OS: "?", Device: "desktop"}
	has := func(t string) bool { return strings.Contains(s, t) }
	switch {
	case has("Edg/"):
		ua.Browser = "Edge"
	case has("OPR/"), has("Opera"):
		ua.Browser = "Opera"
	case has("YaBrowser/"):
		ua.Browser = "Yandex Browser"
	case has("Firefox/"):
		ua.Browser = "Firefox"
	case has("HeadlessChrome/"):
		ua.Browser = "Chrome (headless)"
	case has("Chrome/"), has("CriOS/"):
		ua.Browser = "Chrome"
	case has("Safari/") && has("Version/"):
		ua.Browser = "Safari"
	case has("curl/"), has("Go-http-client"):
		ua.Browser = "program"
	}
	switch {
	case has("Android"):
		ua.OS = "Android"
	case has("iPhone"), has("iPad"), has("iOS"):
		ua.OS = "iOS"
	case has("Windows"):
		ua.OS = "Windows"
	case has("Mac OS X"), has("Macintosh"):
		ua.OS = "macOS"
	case has("CrOS"):
		ua.OS = "ChromeOS"
	case has("Linux"):
		ua.OS = "Linux"
	}
	switch {
	case has("iPad"), has("Tablet"):
		ua.Device = "tablet"
	case has("Mobile"), has("iPhone"):
		ua.Device = "phone"
	}
	return ua
}
