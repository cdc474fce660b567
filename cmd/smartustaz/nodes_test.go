package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	nettextproto "net/textproto"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/smartustaz/smartustaz/internal/blob/blobtest"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// TestMultiNode is issue 14's whole-site test: three serve processes (the
// real binary, started as deploy/systemd/smartustaz@.service says) on one
// PostgreSQL database and one S3 bucket (versitygw), behind nginx with
// deploy/nginx's configuration. A teacher registers through one node,
// publishes through another and is approved through the third; then, under
// 30 seconds of mixed load through nginx (readers, downloads, uploads and
// approvals), one node is killed with SIGKILL and started again. Nothing may
// be lost: no 5xx but requests that were in flight on the killed node,
// every material's files download with their SHA-256, every file's page
// images are drawn exactly once, and the audit chain verifies.
func TestMultiNode(t *testing.T) {
	if testing.Short() {
		t.Skip("the three-node test takes about a minute")
	}
	nginx := needProgram(t, "nginx", "apt-get install nginx")
	needProgram(t, "pdftoppm", "apt-get install poppler-utils")
	s3 := blobtest.Start(t)
	bucket := s3.NewBucket(t)
	dsn := dbtest.DSN(t, db.Postgres)
	bin := buildBinary(t)
	mailDir := t.TempDir()
	smtpAddr := startMailCatcher(t, filepath.Join(mailDir, "outbox"))

	// One settings file for every node, as /etc/smartustaz/smartustaz.env.
	lbPort := freePort(t)
	lbURL := fmt.Sprintf("http://127.0.0.1:%d", lbPort)
	shared := map[string]string{
		"SMARTUSTAZ_DB":          dsn,
		"SMARTUSTAZ_STORAGE":     s3.Spec(bucket),
		"SMARTUSTAZ_SMTP":        "smtp://" + smtpAddr,
		"SMARTUSTAZ_BASE_URL":    lbURL,
		"SMARTUSTAZ_MAIL_FROM":   "noreply@smartustaz.test",
		"SMARTUSTAZ_PAGE_IMAGES": "true",
	}
	unit := readUnit(t)
	root := t.TempDir()
	nodes := make([]*node, 3)
	for i := range nodes {
		nodes[i] = newNode(t, bin, unit, shared, root, i+1)
	}
	// The key file is made once and copied to every node's data folder
	// (docs/operations.md): every node must hold the same keys.
	if out, err := exec.Command(bin, "keys", "status", "--data", nodes[0].dataDir, "--db", dsn).CombinedOutput(); err != nil {
		t.Fatalf("make the key file: %v\n%s", err, out)
	}
	kr, err := os.ReadFile(filepath.Join(nodes[0].dataDir, "keyring.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes[1:] {
		os.MkdirAll(n.dataDir, 0o700)
		if err := os.WriteFile(filepath.Join(n.dataDir, "keyring.json"), kr, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// All three start at once on the empty database: one migrates, the
	// others wait for it (issue 14 §3).
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Add(1)
		go func() { defer wg.Done(); n.start(t) }()
	}
	wg.Wait()
	startNginx(t, nginx, lbPort, nodes)
	lb := &testServer{URL: lbURL, DataDir: mailDir, DSN: dsn, Engine: db.Postgres}
	on := func(n *node) *testServer {
		return &testServer{URL: n.url, DataDir: mailDir, DSN: dsn, Engine: db.Postgres, SetupURL: n.setupURL()}
	}

	// The first administrator, through the third node's setup link.
	admin, _ := setupAdmin(t, on(nodes[2]))
	// A teacher registers through node 1, publishes through node 2 and is
	// approved through node 3.
	teacher := signup(t, on(nodes[0]), newPerson("nodes"))
	teacher.base = nodes[1].url
	r := teacher.postMultipart("/materials/new", materialForm("Үш түйін: Абай жолы"), upload{"абай.pdf", sample(t, "sample.pdf")})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("publish through node 2: status %d, errors %s", r.Status, pageErrors(r))
	}
	m := materialPathRe.FindStringSubmatch(r.Location())
	if m == nil {
		t.Fatalf("publish redirects to %q", r.Location())
	}
	wantStatus(t, "approve through node 3", admin.post("/admin/moderation/"+m[1]+"/approve", nil), http.StatusSeeOther)
	published := []publishedFile{{material: m[1], sha: sha256Hex(sample(t, "sample.pdf"))}}

	// The load, through nginx.
	admin.base, teacher.base = lbURL, lbURL
	load := &nodeLoad{lb: lbURL, material: "/materials/" + m[1] + "-" + m[2]}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var lwg sync.WaitGroup
	for range 6 {
		lwg.Add(1)
		go func() { defer lwg.Done(); load.read(ctx) }()
	}
	var pmu sync.Mutex
	for w := range 2 {
		lwg.Add(1)
		go func() {
			defer lwg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				body := uniquePDF(t, fmt.Sprintf("w%d-%d", w, i))
				if id, ok := load.publish(ctx, teacher, admin, fmt.Sprintf("Жүктеме %d-%d: Абай", w, i), body); ok {
					pmu.Lock()
					published = append(published, publishedFile{material: id, sha: sha256Hex(body)})
					pmu.Unlock()
				}
			}
		}()
	}
	time.Sleep(10 * time.Second)
	victim := nodes[1]
	load.kill(victim)
	time.Sleep(5 * time.Second)
	victim.start(t)
	lwg.Wait()

	// No 5xx but what was in flight on the killed node.
	if bad := load.unexplained(); len(bad) > 0 {
		t.Errorf("%d answers were 5xx or failed without being in flight at the kill (of %d requests); first: %s",
			len(bad), load.total.Load(), strings.Join(bad[:min(len(bad), 10)], "; "))
	}
	t.Logf("load: %d requests, %d published materials, %d in flight at the kill", load.total.Load(), len(published), load.inFlightAtKill)
	if len(published) < 5 {
		t.Fatalf("only %d materials were published under load", len(published))
	}

	// Every file downloads with its SHA-256, through any node.
	reader := newClient(t, lb)
	for _, p := range published {
		page := reader.get("/materials/" + p.material)
		if page.Status == http.StatusMovedPermanently || page.Status == http.StatusFound || page.Status == http.StatusSeeOther {
			page = reader.get(page.Location())
		}
		links := fileLinkRe.FindAllString(page.Body, -1)
		if page.Status != http.StatusOK || len(links) == 0 {
			t.Errorf("material %s: page status %d, %d file links", p.material, page.Status, len(links))
			continue
		}
		got := reader.get(links[0])
		if got.Status != http.StatusOK || sha256Hex([]byte(got.Body)) != p.sha {
			t.Errorf("material %s: download %s status %d, SHA-256 matches %v", p.material, links[0], got.Status, sha256Hex([]byte(got.Body)) == p.sha)
		}
	}

	// Page images: every published file gets one outcome, drawn once.
	d := openDB(t, lb)
	deadline := time.Now().Add(3 * time.Minute)
	for {
		missing := count(t, d, `SELECT COUNT(*) FROM material_files f JOIN materials m ON m.id = f.material_id
			WHERE m.status = 'published' AND NOT EXISTS (SELECT 1 FROM material_previews p WHERE p.file_id = f.id AND p.page = 0)`)
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d published files still have no page images 3 minutes after the load", missing)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM material_previews WHERE page = 0 AND status <> 'done'`); n != 0 {
		t.Errorf("%d files' page images failed", n)
	}
	// The queue: every drawing asked for was done, none dropped or failed
	// with the killed node, and no file's drawing was taken by two jobs at
	// once. A second job for a file may come after the first is done (a
	// restarted node's catch-up read "no outcome yet" just before the first
	// recorded it; uniqueness holds only while a job waits or runs): it
	// finds the outcome and draws nothing (preview.Make), so only jobs
	// whose runs overlap could draw a file twice.
	if n := count(t, d, `SELECT COUNT(*) FROM river_job WHERE kind = 'preview.draw' AND state IN ('discarded', 'cancelled')`); n != 0 {
		t.Errorf("%d drawing jobs were dropped", n)
	}
	if n := count(t, d, `SELECT COUNT(DISTINCT a.args->>'file_id') FROM river_job a JOIN river_job b
		ON b.kind = a.kind AND b.args->>'file_id' = a.args->>'file_id' AND b.id > a.id
		WHERE a.kind = 'preview.draw' AND a.state = 'completed' AND b.state = 'completed'
		AND a.attempted_at < b.finalized_at AND b.attempted_at < a.finalized_at`); n != 0 {
		t.Errorf("%d files were drawn by two jobs at once", n)
	}
	if n := count(t, d, `SELECT COUNT(DISTINCT f.id) FROM material_files f JOIN materials m ON m.id = f.material_id WHERE m.status = 'published'
		AND NOT EXISTS (SELECT 1 FROM river_job j WHERE j.kind = 'preview.draw' AND j.state = 'completed' AND j.args->>'file_id' = f.id::text)
		AND NOT EXISTS (SELECT 1 FROM material_previews p JOIN material_files g ON g.id = p.file_id WHERE g.sha256 = f.sha256 AND p.page = 0 AND g.id <> f.id)`); n != 0 {
		t.Errorf("%d published files never had a completed drawing job", n)
	}

	// The audit chain, checked as an operator would.
	out, err := exec.Command(bin, "audit", "verify", "--data", nodes[0].dataDir, "--db", dsn).CombinedOutput()
	if err != nil {
		t.Errorf("audit verify after the kill: %v\n%s", err, out)
	}
}

var fileLinkRe = regexp.MustCompile(`/materials/\d+/files/\d+`)

type publishedFile struct{ material, sha string }

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// uniquePDF is the sample PDF with a comment after its end, so every
// upload is a file of its own (the store is content-addressed).
func uniquePDF(t *testing.T, tag string) []byte {
	return append(sample(t, "sample.pdf"), []byte("\n% "+tag+"\n")...)
}

func needProgram(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/" + name); err == nil {
		return "/usr/sbin/" + name
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required in CI (%s)", name, install)
	}
	t.Skipf("%s not installed (%s)", name, install)
	return ""
}

// buildBinary builds the smartustaz command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "smartustaz")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// unit is what the test takes from deploy/systemd/smartustaz@.service.
type unit struct {
	env  []string // Environment= lines, NAME=value with %i
	exec []string // ExecStart=, split on spaces
}

func readUnit(t *testing.T) unit {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "systemd", "smartustaz@.service"))
	if err != nil {
		t.Fatal(err)
	}
	var u unit
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if v, ok := strings.CutPrefix(line, "Environment="); ok {
			u.env = append(u.env, v)
		}
		if v, ok := strings.CutPrefix(line, "ExecStart="); ok {
			u.exec = strings.Fields(v)
		}
	}
	if len(u.exec) == 0 || len(u.env) == 0 {
		t.Fatalf("the unit has no ExecStart= or Environment= lines")
	}
	return u
}

// node is one serve process started from the unit.
type node struct {
	t       *testing.T
	n       int
	bin     string
	args    []string
	env     []string
	dataDir string
	url     string
	addr    string

	mu   sync.Mutex
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

func newNode(t *testing.T, bin string, u unit, shared map[string]string, root string, n int) *node {
	nd := &node{t: t, n: n, bin: bin, args: u.exec[1:]}
	port := freePort(t)
	nd.addr = fmt.Sprintf("127.0.0.1:%d", port)
	nd.url = "http://" + nd.addr
	for _, kv := range u.env {
		kv = strings.ReplaceAll(kv, "%i", fmt.Sprint(n))
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "SMARTUSTAZ_ADDR":
			v = nd.addr
		case "SMARTUSTAZ_DATA":
			v = filepath.Join(root, strings.TrimPrefix(v, "/var/lib/smartustaz/"))
			nd.dataDir = v
		}
		nd.env = append(nd.env, k+"="+v)
	}
	for k, v := range shared {
		nd.env = append(nd.env, k+"="+v)
	}
	sort.Strings(nd.env)
	nd.env = append(nd.env, "PATH="+os.Getenv("PATH"), "HOME="+root, "TMPDIR="+os.TempDir())
	if nd.dataDir == "" {
		t.Fatalf("the unit sets no SMARTUSTAZ_DATA")
	}
	t.Cleanup(nd.stop)
	return nd
}

var setupLinkRe = regexp.MustCompile(`(http://\S+/setup\?token=\S+)`)

func (nd *node) setupURL() string {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	if m := setupLinkRe.FindStringSubmatch(nd.out.String()); m != nil {
		return m[1]
	}
	return ""
}

// start starts the process and waits until /healthz answers.
func (nd *node) start(t *testing.T) {
	cmd := exec.Command(nd.bin, nd.args...)
	cmd.Env = nd.env
	out := &bytes.Buffer{}
	cmd.Stdout = nodeOutput{&nd.mu, out}
	cmd.Stderr = nodeOutput{&nd.mu, out}
	if err := cmd.Start(); err != nil {
		t.Errorf("start node %d: %v", nd.n, err)
		return
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	nd.mu.Lock()
	nd.cmd, nd.out, nd.done = cmd, out, done
	nd.mu.Unlock()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(nd.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-done:
			t.Errorf("node %d exited at start:\n%s", nd.n, nd.output())
			return
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Errorf("node %d did not answer /healthz within 60 s:\n%s", nd.n, nd.output())
			return
		}
	}
}

func (nd *node) output() string {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	return nd.out.String()
}

// stop ends the process as systemd does (SIGTERM), and reports a node
// that logged a panic or an internal error.
func (nd *node) stop() {
	nd.mu.Lock()
	cmd, done := nd.cmd, nd.done
	nd.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		nd.t.Errorf("node %d did not stop within 30 s of SIGTERM", nd.n)
	}
	if out := nd.output(); strings.Contains(out, "panic:") {
		nd.t.Errorf("node %d panicked:\n%s", nd.n, out)
	}
}

type nodeOutput struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w nodeOutput) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// startNginx runs nginx in the foreground with the upstream block of
// deploy/nginx/smartustaz.conf (the nodes' ports put in) and
// deploy/nginx/smartustaz-proxy.conf, on plain HTTP at port.
func startNginx(t *testing.T, bin string, port int, nodes []*node) {
	t.Helper()
	site, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nginx", "smartustaz.conf"))
	if err != nil {
		t.Fatal(err)
	}
	up := regexp.MustCompile(`(?s)upstream smartustaz \{.*?\n\}`).Find(site)
	if up == nil {
		t.Fatal("deploy/nginx/smartustaz.conf has no upstream smartustaz block")
	}
	for i, n := range nodes {
		up = bytes.ReplaceAll(up, fmt.Appendf(nil, "127.0.0.1:808%d", i+1), []byte(n.addr))
	}
	proxy, err := filepath.Abs(filepath.Join("..", "..", "deploy", "nginx", "smartustaz-proxy.conf"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := fmt.Sprintf(`daemon off;
worker_processes 2;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    %[2]s
    server {
        listen 127.0.0.1:%[3]d;
        include %[4]s;
    }
}
`, dir, up, port, proxy)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "-p", dir, "-c", path)
	if os.Geteuid() == 0 {
		// As root nginx's workers become "nobody", who cannot read the
		// test's temporary folder.
		cmd = exec.Command(bin, "-p", dir, "-c", path, "-g", "user root;")
	}
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT)
		cmd.Wait()
	})
	for range 100 {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	logs, _ := os.ReadFile(filepath.Join(dir, "error.log"))
	t.Fatalf("nginx did not listen: %s\n%s", out.String(), logs)
}

// startMailCatcher runs an SMTP server (emersion/go-smtp) on loopback that
// writes each message into dir as an .eml file, as the outbox does: every
// node sends its mail there (--smtp), and the test reads it.
func startMailCatcher(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s := smtp.NewServer(&mailCatcher{dir: dir})
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return l.Addr().String()
}

type mailCatcher struct {
	dir string
	seq atomic.Int64
}

func (c *mailCatcher) NewSession(*smtp.Conn) (smtp.Session, error) { return &catchSession{c: c}, nil }

type catchSession struct{ c *mailCatcher }

func (s *catchSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *catchSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *catchSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	name := filepath.Join(s.c.dir, fmt.Sprintf("%020d-%06d.eml", time.Now().UnixNano(), s.c.seq.Add(1)))
	// Written aside and renamed, so a reader never sees half a message.
	if err := os.WriteFile(name+".part", b, 0o600); err != nil {
		return err
	}
	return os.Rename(name+".part", name)
}
func (s *catchSession) Reset()        {}
func (s *catchSession) Logout() error { return nil }

// nodeLoad drives the load and records every answer.
type nodeLoad struct {
	lb       string
	material string
	total    atomic.Int64

	mu             sync.Mutex
	killedAt       time.Time
	deadSeen       time.Time // when nginx may first know the node is gone
	inFlightAtKill int
	flight         map[int64]time.Time // request id → start
	nextID         int64
	failures       []loadFailure
}

type loadFailure struct {
	what       string
	start, end time.Time
}

func (l *nodeLoad) begin() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.flight == nil {
		l.flight = map[int64]time.Time{}
	}
	l.nextID++
	l.flight[l.nextID] = time.Now()
	return l.nextID
}

func (l *nodeLoad) end(id int64, what string, status int, err error) {
	l.total.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	start := l.flight[id]
	delete(l.flight, id)
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		return // the load's end, not the site's
	}
	if err != nil || status >= 500 {
		f := loadFailure{what: fmt.Sprintf("%s: status %d, %v", what, status, err), start: start, end: time.Now()}
		l.failures = append(l.failures, f)
	}
}

func (l *nodeLoad) kill(nd *node) {
	l.mu.Lock()
	l.killedAt = time.Now()
	l.inFlightAtKill = len(l.flight)
	l.mu.Unlock()
	nd.mu.Lock()
	cmd, done := nd.cmd, nd.done
	nd.mu.Unlock()
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	nd.mu.Lock()
	nd.cmd = nil
	nd.mu.Unlock()
	// nginx keeps idle connections to every node (keepalive 32). Until
	// its worker has read the close of those to the dead node, it can
	// hand one to a request: the request is sent into a dead socket and,
	// being a POST, is rightly not sent again (it might have been
	// applied). Such a request met the kill as much as one that had
	// started before it; a second after the process is gone covers a
	// worker's next turn on a loaded machine.
	l.mu.Lock()
	l.deadSeen = time.Now().Add(time.Second)
	l.mu.Unlock()
}

// unexplained lists the failures that were not in flight when the node
// was killed: begun before the kill and ended after it, or begun before
// nginx could know the node was gone (kill).
func (l *nodeLoad) unexplained() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, f := range l.failures {
		if !l.killedAt.IsZero() && f.start.Before(l.deadSeen) && !f.end.Before(l.killedAt) {
			continue
		}
		when := "before the kill"
		if !l.killedAt.IsZero() && !f.start.Before(l.killedAt) {
			when = fmt.Sprintf("%s after the kill", f.start.Sub(l.killedAt).Round(time.Millisecond))
		}
		out = append(out, f.what+" (began "+when+")")
	}
	return out
}

var loadClient = &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (l *nodeLoad) get(ctx context.Context, path string) (int, []byte) {
	id := l.begin()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.lb+path, nil)
	resp, err := loadClient.Do(req)
	if err != nil {
		l.end(id, "GET "+path, 0, err)
		return 0, nil
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	l.end(id, "GET "+path, resp.StatusCode, err)
	return resp.StatusCode, b
}

// read is one anonymous reader: home, catalog, a search, the material's
// page and its file.
func (l *nodeLoad) read(ctx context.Context) {
	paths := []string{"/", "/materials", "/materials?q=" + url.QueryEscape("абай"), l.material}
	for i := 0; ctx.Err() == nil; i++ {
		status, body := l.get(ctx, paths[i%len(paths)])
		if status == http.StatusOK && i%len(paths) == len(paths)-1 {
			if f := fileLinkRe.Find(body); f != nil {
				l.get(ctx, string(f))
			}
		}
	}
}

// publish uploads a material as the teacher and approves it as the
// administrator, both through nginx; it returns the material's id when
// both succeeded.
func (l *nodeLoad) publish(ctx context.Context, teacher, admin *client, title string, pdf []byte) (string, bool) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range materialForm(title) {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	h := nettextproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="files"; filename="жүктеме.pdf"`)
	h.Set("Content-Type", "application/pdf")
	fw, _ := mw.CreatePart(h)
	fw.Write(pdf)
	mw.Close()
	id := l.begin()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.lb+"/materials/new", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := teacher.hc.Do(req)
	if err != nil {
		l.end(id, "POST /materials/new", 0, err)
		return "", false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	l.end(id, "POST /materials/new", resp.StatusCode, nil)
	m := materialPathRe.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		return "", false
	}
	id = l.begin()
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, l.lb+"/admin/moderation/"+m[1]+"/approve", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = admin.hc.Do(req)
	if err != nil {
		l.end(id, "POST approve", 0, err)
		return "", false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	l.end(id, "POST approve", resp.StatusCode, nil)
	return m[1], resp.StatusCode == http.StatusSeeOther
}
