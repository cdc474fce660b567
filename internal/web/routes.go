package web

import "github.com/smartustaz/smartustaz/ui"

// routes is the whole HTTP surface of the site, in one place. Routes
// wrapped in s.public are served from the page cache to readers who are
// not signed in (pagecache.go); those in s.shared to signed-in teachers
// as well, with their own parts added (pagecache_signedin.go).
func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /static/", ui.StaticHandler())
	m.HandleFunc("GET /healthz", s.healthz)
	if s.MetricsOnSite {
		m.Handle("GET /metrics", s.requireRole(adminOnly, s.metrics.handler.ServeHTTP))
	}
	m.HandleFunc("GET /{$}", s.shared(s.home))
	m.HandleFunc("GET /lang/{lang}", s.setLang)

	// For search engines and feed readers (issue 13 §5).
	m.HandleFunc("GET /robots.txt", s.robots)
	m.HandleFunc("GET /favicon.ico", s.favicon)
	m.HandleFunc("GET /sitemap.xml", s.public(s.sitemap))
	m.HandleFunc("GET /sitemaps/{file}", s.public(s.sitemapPart))
	m.HandleFunc("GET /feed.atom", s.public(s.feed))

	// The documents (preamble P.2, P.3, clause 3.4).
	m.HandleFunc("GET /agreement", s.agreement)
	m.HandleFunc("GET /agreement/{kind}/{version}", s.agreementVersion)
	m.HandleFunc("GET /agreement/{kind}/diff", s.agreementDiff)
	// What is recorded about visits, drawn from telemetry.Defs (issue 9 §4).
	m.HandleFunc("GET /agreement/collected", s.public(s.dataCollected))
	// The data map, generated from internal/datamap (clause P.1).
	m.HandleFunc("GET /privacy/data-map", s.public(s.privacyDataMap))

	// Accounts (clause 2.2).
	m.HandleFunc("GET /register", s.registerForm)
	m.HandleFunc("POST /register", s.register)
	m.HandleFunc("GET /verify", s.verifyForm)
	m.HandleFunc("POST /verify", s.verify)
	m.HandleFunc("GET /login", s.loginForm)
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("POST /logout", s.logout)
	m.HandleFunc("GET /reset", s.resetRequestForm)
	m.HandleFunc("POST /reset", s.resetRequest)
	m.HandleFunc("GET /reset/confirm", s.resetForm)
	m.HandleFunc("POST /reset/confirm", s.reset)

	// The signed-in user's own pages (clauses 2.2, 2.3).
	m.HandleFunc("GET /account", s.accountHome)
	m.HandleFunc("POST /account/verify/resend", s.resendVerification)
	m.HandleFunc("GET /account/profile", s.profileForm)
	m.HandleFunc("POST /account/profile", s.profileSave)
	m.HandleFunc("GET /account/password", s.passwordForm)
	m.HandleFunc("POST /account/password", s.passwordSave)
	m.HandleFunc("GET /account/email", s.emailForm)
	m.HandleFunc("POST /account/email", s.emailSave)
	m.HandleFunc("GET /account/email/confirm", s.emailConfirmForm)
	m.HandleFunc("POST /account/email/confirm", s.emailConfirm)
	m.HandleFunc("GET /account/sessions", s.sessions)
	m.HandleFunc("POST /account/sessions/{id}/end", s.sessionEnd)
	m.HandleFunc("POST /account/sessions/end-others", s.sessionEndOthers)
	m.HandleFunc("GET /account/consent", s.consentForm)
	m.HandleFunc("POST /account/consent", s.consentAccept)
	m.HandleFunc("GET /account/delete", s.deleteForm)
	m.HandleFunc("POST /account/delete", s.deleteAccount)
	m.HandleFunc("GET /account/export.json", s.export)
	// Everything the site keeps about the user, in sections (issue 9:
	// technical records and preferences; clause 1.1).
	m.HandleFunc("GET /account/data", s.accountData)
	m.HandleFunc("GET /account/data.zip", s.accountDataZip)
	// A large account's ZIP, built in the background (issue 12 §1).
	m.HandleFunc("POST /account/data/exports", s.zipStart)
	m.HandleFunc("GET /account/data/exports/status", s.zipStatus)
	m.HandleFunc("GET /account/data/exports/{id}", s.zipDownload)

	// The materials library (issue 3; clauses 1.2 (c), 1.4).
	m.HandleFunc("GET /materials", s.shared(s.catalog))
	m.HandleFunc("GET /materials/new", s.materialNewForm)
	m.HandleFunc("POST /materials/new", s.materialCreate)
	m.HandleFunc("POST /materials/preview", s.descriptionPreview)
	m.HandleFunc("GET /materials/{ref}", s.shared(s.material))
	m.HandleFunc("GET /materials/{id}/files/{file}", s.download)
	m.HandleFunc("GET /materials/{id}/files/{file}/pages/{page}", s.previewImage)
	m.HandleFunc("GET /materials/{id}/files/{file}/thumb.png", s.thumbnail)
	m.HandleFunc("POST /materials/{id}/report", s.report)
	m.HandleFunc("GET /materials/{id}/edit", s.materialEditForm)
	m.HandleFunc("POST /materials/{id}/edit", s.materialEdit)
	m.HandleFunc("POST /materials/{id}/withdraw", s.materialWithdraw)
	m.HandleFunc("GET /account/materials", s.myMaterials)

	// First administrator on a fresh install.
	m.HandleFunc("GET /setup", s.setupForm)
	m.HandleFunc("POST /setup", s.setup)

	// Administration (clause 1.3: confidential data viewable only by the
	// administration, every view audited).
	m.Handle("GET /admin", s.requireRole(staff, s.adminHome))
	m.Handle("GET /admin/status", s.requireRole(staff, s.adminStatus))
	m.Handle("POST /admin/status/previews/retry", s.requireRole(adminOnly, s.adminPreviewRetry))
	m.Handle("POST /admin/status/jobs/retry", s.requireRole(adminOnly, s.adminJobsRetry))
	m.Handle("GET /admin/mail", s.requireRole(adminOnly, s.adminMail))
	m.Handle("GET /admin/data-map", s.requireRole(adminOnly, s.adminDataMap))
	m.Handle("POST /admin/mail/retry", s.requireRole(adminOnly, s.adminMailRetry))
	m.Handle("GET /admin/users", s.requireRole(adminOnly, s.adminUsers))
	m.Handle("POST /admin/users/find", s.requireRole(adminOnly, s.adminUsersFind))
	m.Handle("GET /admin/users/{id}", s.requireRole(adminOnly, s.adminUser))
	m.Handle("POST /admin/users/{id}/reveal", s.requireRole(adminOnly, s.adminReveal))
	m.Handle("POST /admin/users/{id}/role", s.requireRole(adminOnly, s.adminSetRole))
	m.Handle("GET /admin/audit", s.requireRole(adminOnly, s.adminAudit))
	// Statistics of visits from the daily aggregates only (issue 9 §3).
	m.Handle("GET /admin/stats", s.requireRole(adminOnly, s.adminStats))
	m.Handle("GET /admin/stats.csv", s.requireRole(adminOnly, s.adminStatsCSV))
	m.Handle("GET /admin/agreement", s.requireRole(adminOnly, s.adminAgreementForm))
	m.Handle("POST /admin/agreement", s.requireRole(adminOnly, s.adminAgreementPublish))

	// Users brought over from another site (issue 11, clause 1.2 (b)).
	m.Handle("GET /admin/import", s.requireRole(adminOnly, s.adminImport))
	m.Handle("POST /admin/import", s.requireRole(adminOnly, s.adminImportUpload))
	m.Handle("GET /admin/import/{id}", s.requireRole(adminOnly, s.adminImportShow))
	m.Handle("GET /admin/import/{id}/status", s.requireRole(adminOnly, s.adminImportStatus))
	m.Handle("POST /admin/import/{id}/run", s.requireRole(adminOnly, s.adminImportRun))
	m.Handle("POST /admin/import/{id}/invite", s.requireRole(adminOnly, s.adminImportInvite))

	// Moderation of the public sections and the register of complaints
	// (clause 3.2); the taxonomy editor.
	m.Handle("GET /admin/moderation", s.requireRole(staff, s.moderationQueue))
	m.Handle("POST /admin/moderation/{id}/approve", s.requireRole(staff, s.moderate("approve")))
	m.Handle("POST /admin/moderation/{id}/reject", s.requireRole(staff, s.moderate("reject")))
	m.Handle("POST /admin/moderation/{id}/takedown", s.requireRole(staff, s.moderate("takedown")))
	m.Handle("POST /admin/reports/{id}/dismiss", s.requireRole(staff, s.moderate("dismiss")))
	m.Handle("GET /admin/reports", s.requireRole(staff, s.reportsRegister))
	m.Handle("POST /admin/reports/{id}/reveal", s.requireRole(adminOnly, s.adminReportReveal))
	m.Handle("GET /admin/taxonomy", s.requireRole(adminOnly, s.taxonomyEditor))
	m.Handle("POST /admin/taxonomy", s.requireRole(adminOnly, s.taxonomySave))

	// Certificates of publication (issue 3 §6): the author issues and
	// downloads; anyone verifies. GET /verify is the email confirmation
	// form, so the number form is /verify/.
	m.HandleFunc("GET /materials/{id}/certificate", s.certificateForm)
	m.HandleFunc("POST /materials/{id}/certificate", s.certificateIssue)
	m.HandleFunc("GET /materials/{id}/certificate.pdf", s.certificatePDF)
	m.HandleFunc("GET /verify/{$}", s.certLookup)
	m.HandleFunc("GET /verify/{number}", s.certVerify)
	m.HandleFunc("POST /verify/{number}", s.certNameMatch)

	// The privacy centre (issue 12; clauses 2.3, 3.2; Law 94-V): consent
	// receipts anyone can verify, who answers for personal data, the
	// holiday calendar legal deadlines are counted in, the operator's
	// details and the register of processors.
	m.HandleFunc("GET /account/consent/receipts", s.receiptsPage)
	m.HandleFunc("GET /account/consent/receipts/{id}", s.receiptDownload)
	m.HandleFunc("GET /consent/public-key", s.receiptPublicKey)
	m.HandleFunc("GET /consent/verify", s.receiptVerifyForm)
	m.HandleFunc("POST /consent/verify", s.receiptVerify)
	m.HandleFunc("GET /contacts", s.contacts)
	m.Handle("GET /admin/privacy", s.requireRole(adminOnly, s.adminPrivacy))
	m.Handle("POST /admin/privacy/contacts", s.requireRole(adminOnly, s.adminPrivacyContacts))
	m.Handle("POST /admin/privacy/processors/{id}", s.requireRole(adminOnly, s.adminProcessorCountry))
	// The Privacy Policy with its generated sections brought up to date
	// (issue 12 §6), published as a new version.
	m.Handle("POST /admin/privacy/policy", s.requireRole(adminOnly, s.adminPolicyPublish))
	m.Handle("GET /admin/holidays", s.requireRole(adminOnly, s.adminHolidays))
	m.Handle("POST /admin/holidays", s.requireRole(adminOnly, s.adminHolidaySet))
	m.Handle("POST /admin/holidays/{day}/delete", s.requireRole(adminOnly, s.adminHolidayRemove))
	m.HandleFunc("GET /account/requests", s.myRequests)
	m.HandleFunc("POST /account/requests", s.fileRequest)
	m.Handle("GET /admin/requests", s.requireRole(adminOnly, s.adminRequests))
	m.Handle("GET /admin/requests/{id}", s.requireRole(adminOnly, s.adminRequest))
	m.Handle("POST /admin/requests/{id}/answer", s.requireRole(adminOnly, s.adminRequestAnswer))
	m.Handle("POST /admin/requests/{id}/delete", s.requireRole(adminOnly, s.adminRequestDelete))
	// Blocking, withdrawal of consent and its term (issue 12 §2; law L3,
	// L4, L12): the page a blocked account sees, the withdrawal, the
	// term's setting and an administrator's block.
	m.HandleFunc("GET /account/blocked", s.blockedPage)
	m.HandleFunc("POST /account/consent/withdraw", s.consentWithdraw)
	m.Handle("POST /admin/privacy/term", s.requireRole(adminOnly, s.adminPrivacyTerm))
	m.Handle("POST /admin/users/{id}/block", s.requireRole(adminOnly, s.adminUserBlock))
	// The register of complaints, disputes and official requests (clause
	// 3.2): the public form, the user's own list, the administrators'
	// register (content only through the audited reveal).
	m.HandleFunc("GET /complaint", s.complaintForm)
	m.HandleFunc("POST /complaint", s.complaint)
	m.HandleFunc("GET /account/complaints", s.myComplaints)
	m.HandleFunc("GET /account/complaints/{id}/files/{file}", s.myComplaintFile)
	m.Handle("GET /admin/complaints", s.requireRole(adminOnly, s.adminComplaints))
	m.Handle("POST /admin/complaints", s.requireRole(adminOnly, s.adminComplaintEnter))
	m.Handle("GET /admin/complaints/{id}", s.requireRole(adminOnly, s.adminComplaint))
	m.Handle("POST /admin/complaints/{id}/reveal", s.requireRole(adminOnly, s.adminComplaintReveal))
	m.Handle("POST /admin/complaints/{id}/status", s.requireRole(adminOnly, s.adminComplaintStatus))
	m.Handle("POST /admin/complaints/{id}/answer", s.requireRole(adminOnly, s.adminComplaintAnswer))
	m.Handle("POST /admin/complaints/{id}/files/{file}", s.requireRole(adminOnly, s.adminComplaintFile))
	// Personal-data incidents (issue 12 §4, law L15).
	m.Handle("GET /admin/incidents", s.requireRole(adminOnly, s.adminIncidents))
	m.Handle("GET /admin/incidents/new", s.requireRole(adminOnly, s.adminIncidentNew))
	m.Handle("POST /admin/incidents", s.requireRole(adminOnly, s.adminIncidentCreate))
	m.Handle("GET /admin/incidents/{id}", s.requireRole(adminOnly, s.adminIncident))
	m.Handle("POST /admin/incidents/{id}/reveal", s.requireRole(adminOnly, s.adminIncidentReveal))
	m.Handle("POST /admin/incidents/{id}/notified", s.requireRole(adminOnly, s.adminIncidentBodyNotified))
	m.Handle("POST /admin/incidents/{id}/notify", s.requireRole(adminOnly, s.adminIncidentNotify))
	m.Handle("GET /admin/incidents/{id}/notice/{lang}", s.requireRole(adminOnly, s.adminIncidentNotice))

	// Public author profiles (issue 3 §4, clause 1.4).
	m.HandleFunc("GET /account/public", s.publicProfileForm)
	m.HandleFunc("POST /account/public", s.publicProfileSave)
	m.HandleFunc("GET /authors/{id}", s.public(s.author))

	// The habits of the big portals (issue 13 §3): save, collect, rate
	// and comment, follow, the inbox, download history, the digest.
	m.HandleFunc("POST /materials/{id}/save", s.favouriteToggle)
	m.HandleFunc("POST /materials/{id}/rate", s.rate)
	m.HandleFunc("POST /materials/{id}/collect", s.collect)
	m.HandleFunc("POST /collections", s.collectionCreate)
	m.HandleFunc("GET /collections/{id}", s.collection)
	m.HandleFunc("POST /collections/{id}", s.collectionUpdate)
	m.HandleFunc("POST /collections/{id}/delete", s.collectionDelete)
	m.HandleFunc("POST /authors/{id}/follow", s.followToggle)
	m.HandleFunc("GET /account/saved", s.saved)
	m.HandleFunc("GET /account/notifications", s.notifications)
	m.HandleFunc("POST /account/digest", s.digestSave)
	m.HandleFunc("GET /account/downloads", s.downloads)
	m.HandleFunc("GET /digest/unsubscribe", s.unsubscribeForm)
	m.HandleFunc("POST /digest/unsubscribe", s.unsubscribe)
	m.Handle("POST /admin/comments/{id}/{action}", s.requireRole(staff, s.moderateComment))
	// Correspondence with the administration (clause 1.2 (a)): the
	// user's threads, visitors' contact form, administrators' answers
	// (content only through the audited reveal).
	m.HandleFunc("GET /account/messages", s.messages)
	m.HandleFunc("POST /account/messages", s.messageStart)
	m.HandleFunc("GET /account/messages/{id}", s.messageThread)
	m.HandleFunc("POST /account/messages/{id}", s.messageReply)
	m.HandleFunc("GET /account/messages/{id}/files/{msg}", s.messageFile)
	m.HandleFunc("POST /account/email/reconfirm", s.emailReconfirm)
	m.HandleFunc("GET /contact", s.contactForm)
	m.HandleFunc("POST /contact", s.contact)
	m.Handle("GET /admin/messages", s.requireRole(adminOnly, s.adminMessages))
	m.Handle("GET /admin/messages/{id}", s.requireRole(adminOnly, s.adminMessage))
	m.Handle("POST /admin/messages/{id}/reveal", s.requireRole(adminOnly, s.adminMessageReveal))
	m.Handle("POST /admin/messages/{id}/answer", s.requireRole(adminOnly, s.adminMessageAnswer))
	m.Handle("POST /admin/messages/{id}/files/{msg}", s.requireRole(adminOnly, s.adminMessageFile))

	// Any other address: the site's own page in the reader's language,
	// not Go's plain-text "404 page not found".
	m.HandleFunc("/", s.notFound)
}
