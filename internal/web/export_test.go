package web

// For the tests of package web_test, which drive the real routes.
var (
	BrowserOrigin  = browserOrigin
	RedirectTricks = redirectTricks
)

// SiteOrigin is where the tests' browser believes the site is.
const SiteOrigin = siteOrigin

// SessionTTL is how long a node trusts what a session cookie resolved to.
const SessionTTL = sessionTTL
