// Command load measures the site under concurrent use: it fills a fresh
// data folder with demo data (`smartustaz demo`), starts `smartustaz
// serve` on 127.0.0.1, and lets a number of clients use it for a bounded
// time and a bounded number of requests. It prints throughput and latency
// percentiles per kind of request. It talks to 127.0.0.1 and nothing else;
// the HTTP scenarios use the standard library only.
//
// Scenarios (-scenario):
//
//   - accounts: clients sign in as random demo teachers and load their
//     account page.
//
//   - catalog: visitors who are not signed in load catalog pages (random
//     filters and sorts, half of them deep keyset pages at a random
//     position), search with realistic Kazakh and Russian words, and open
//     material pages.
//
//   - searcher: the catalog scenario's searches, one at a time, through
//     internal/search/index in this process (no server, no HTTP, no page
//     cache): what the search costs, and which queries make its tail
//     (-slow N). Needs -data; -max-requests searches (or -duration).
//
//     go run ./scripts/load                      # accounts: 1,000 users, 32 clients, 20 s, SQLite
//     go run ./scripts/load -users 100000 -db postgres://postgres@127.0.0.1:5432/loadtest?sslmode=disable
//     go run ./scripts/load -data /var/tmp/demo1m -users 1000000   # reuse a folder filled by `smartustaz demo`
//     go run ./scripts/load -scenario catalog -users 1000 -materials 100000
//     go run ./scripts/load -scenario catalog -data /var/tmp/demo1m    # a folder filled with --materials
//     go run ./scripts/load -scenario searcher -data /var/tmp/demo1m -max-requests 1000 -slow 10
//
// The PostgreSQL database named in -db must exist and be empty (demo fills
// it), unless -data names a folder already filled for that database.
// See docs/benchmarks.md for figures.
package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type options struct {
	scenario      string
	materials     int
	kinds         string
	bin           string
	users         int
	clients       int
	duration      time.Duration
	maxRequests   int
	pagesPerLogin int
	dsn           string
	data          string
	password      string
	rate          float64
	slow          int
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.scenario, "scenario", "accounts", "accounts (sign in, account pages), catalog (catalog pages, search, material pages) or searcher (the searches alone, in this process)")
	fs.StringVar(&o.kinds, "kinds", "", "catalog scenario: the kinds of request to send, comma-separated (catalog,deep,search,material); empty = all, mixed 30/20/30/20")
	fs.IntVar(&o.materials, "materials", 10000, "catalog scenario: demo materials to create before the run (with a fresh folder)")
	fs.StringVar(&o.bin, "bin", "", "smartustaz binary; empty = go build ./cmd/smartustaz into a temporary folder")
	fs.IntVar(&o.users, "users", 1000, "demo teachers to create before the run")
	fs.IntVar(&o.clients, "clients", 32, "concurrent clients")
	fs.Float64Var(&o.rate, "rate", 0, "catalog scenario: requests per second offered by all clients together, each client sending on a fixed schedule (latency counts from the scheduled time, so a late server is not hidden); 0 = each client sends its next request as soon as the last is answered (saturation)")
	fs.IntVar(&o.slow, "slow", 0, "catalog scenario: also list the N slowest requests with their addresses, to find the pages that make the tail")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "how long to send requests")
	fs.IntVar(&o.maxRequests, "max-requests", 50000, "stop after this many requests even if time is left")
	fs.IntVar(&o.pagesPerLogin, "pages-per-login", 5, "account page loads by each signed-in client before it signs in as another teacher")
	fs.StringVar(&o.dsn, "db", "", "database for the server (postgres://…); empty = SQLite in the temporary data folder")
	fs.StringVar(&o.data, "data", "", "existing data folder holding at least -users demo teachers (made by `smartustaz demo`); empty = a new temporary one, filled first")
	fs.StringVar(&o.password, "password", "demo-password-2026", "password of the demo teachers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.users < 1 || o.clients < 1 || o.duration <= 0 || o.maxRequests < 1 || o.pagesPerLogin < 0 || o.materials < 0 {
		return errors.New("users, clients, duration and max-requests must be positive")
	}
	if !slices.Contains([]string{"accounts", "catalog", "searcher"}, o.scenario) {
		return fmt.Errorf("unknown scenario %q (accounts, catalog or searcher)", o.scenario)
	}
	if o.scenario == "searcher" {
		return runSearcher(ctx, o, stdout, stderr)
	}
	if o.kinds != "" {
		for _, k := range strings.Split(o.kinds, ",") {
			if !slices.Contains([]string{"catalog", "deep", "search", "material"}, k) {
				return fmt.Errorf("unknown kind of request %q (catalog, deep, search, material)", k)
			}
		}
	}
	tmp, err := os.MkdirTemp("", "smartustaz-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if o.bin == "" {
		o.bin = filepath.Join(tmp, "smartustaz")
		fmt.Fprintln(stderr, "building smartustaz…")
		build := exec.CommandContext(ctx, "go", "build", "-o", o.bin, "./cmd/smartustaz")
		build.Stdout, build.Stderr = stderr, stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build (run from the repository root): %w", err)
		}
	}
	data := o.data
	if data == "" {
		data = filepath.Join(tmp, "data")
	}
	env := append(os.Environ(), "SMARTUSTAZ_DATA="+data, "SMARTUSTAZ_DB="+o.dsn)
	if o.data == "" {
		args := []string{"demo", "--users", fmt.Sprint(o.users), "--password", o.password}
		if o.scenario == "catalog" {
			args = append(args, "--materials", fmt.Sprint(o.materials))
		}
		demo := exec.CommandContext(ctx, o.bin, args...)
		demo.Env, demo.Stdout, demo.Stderr = env, stderr, stderr
		if err := demo.Run(); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	// The server's metrics (a listener of their own) say how many pages
	// the page cache answered: the figures mean little without it.
	metricsAddr := os.Getenv("SMARTUSTAZ_METRICS_ADDR")
	if metricsAddr == "" {
		if metricsAddr, err = freeAddr(); err != nil {
			return err
		}
		env = append(env, "SMARTUSTAZ_METRICS_ADDR="+metricsAddr)
	}
	base, stopServer, err := startServer(ctx, o.bin, env, stderr)
	if err != nil {
		return err
	}
	defer stopServer()

	if o.scenario == "catalog" {
		cat, err := prepareCatalog(ctx, base, stderr)
		if err != nil {
			return err
		}
		cat.size = fmt.Sprintf("%d demo materials", o.materials)
		if o.data != "" {
			cat.size = "the folder " + o.data
		}
		fmt.Fprintf(stderr, "load: %d clients for %s (at most %d requests) against %s\n", o.clients, o.duration, o.maxRequests, base)
		before := cacheCounts(metricsAddr)
		res := driveCatalog(ctx, base, o, cat)
		after := cacheCounts(metricsAddr)
		offered := "as fast as answered"
		if o.rate > 0 {
			offered = fmt.Sprintf("offering %g requests/s", o.rate)
		}
		reportKinds(stdout, fmt.Sprintf("load: %s, catalog of %s, %d clients %s, ran %s", engineOf(o), cat.size, o.clients, offered, res.elapsed.Round(time.Millisecond)),
			res, []string{"catalog", "deep", "search", "material"})
		if o.slow > 0 {
			res.mu.Lock()
			slices.SortFunc(res.slowest, func(a, b slowReq) int { return cmp.Compare(b.d, a.d) })
			for _, x := range res.slowest[:min(o.slow, len(res.slowest))] {
				fmt.Fprintf(stdout, "slow: %10s %-8s %s\n", x.d.Round(10*time.Microsecond), x.kind, x.url)
			}
			res.mu.Unlock()
		}
		hit, miss, bypass := after[0]-before[0], after[1]-before[1], after[2]-before[2]
		if total := hit + miss + bypass; total > 0 {
			fmt.Fprintf(stdout, "page cache: %d hits, %d misses, %d bypassed (%.0f%% of pages from the cache)\n", hit, miss, bypass, 100*float64(hit)/float64(total))
		} else {
			fmt.Fprintln(stdout, "page cache: off (no pages asked of it)")
		}
		return nil
	}
	fmt.Fprintf(stderr, "load: %d clients for %s (at most %d requests) against %s\n", o.clients, o.duration, o.maxRequests, base)
	res := drive(ctx, base, o)
	report(stdout, o, res)
	return nil
}

// startServer runs `smartustaz serve` on a free loopback port and waits for
// /healthz. stop ends it (SIGINT, then kill after 20 s).
func startServer(ctx context.Context, bin string, env []string, stderr io.Writer) (string, func(), error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = env
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("serve: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); pw.Close() }()
	stop := func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	listening := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr) // keep draining the server's log
	}()
	var base string
	select {
	case base = <-found:
	case err := <-exited:
		return "", nil, fmt.Errorf("serve stopped before listening: %v", err)
	case <-time.After(60 * time.Second):
		stop()
		return "", nil, errors.New("serve did not start listening within 60 s")
	case <-ctx.Done():
		stop()
		return "", nil, ctx.Err()
	}
	for range 200 {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, stop, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return "", nil, errors.New("/healthz never answered 200")
}

// results are the latencies of successful requests per kind, and failures.
type results struct {
	mu      sync.Mutex
	lat     map[string][]time.Duration
	fails   map[string]int
	elapsed time.Duration
	slowest []slowReq // with -slow: every request, to list the slowest
}

// slowReq is one request of the catalog scenario, for -slow.
type slowReq struct {
	d         time.Duration
	kind, url string
}

func (r *results) add(kind string, d time.Duration, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ok {
		r.lat[kind] = append(r.lat[kind], d)
	} else {
		r.fails[kind]++
	}
}

// drive runs the clients until the time or the request budget is spent.
func drive(ctx context.Context, base string, o options) *results {
	res := &results{lat: map[string][]time.Duration{}, fails: map[string]int{}}
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	budget := make(chan struct{}, o.maxRequests)
	for range o.maxRequests {
		budget <- struct{}{}
	}
	take := func() bool {
		select {
		case <-budget:
			return ctx.Err() == nil
		default:
			return false
		}
	}
	// One transport for all clients, as a pool of browsers behind one
	// address would look; enough idle connections that none is re-dialled.
	tr := &http.Transport{MaxIdleConns: o.clients * 2, MaxIdleConnsPerHost: o.clients * 2}
	defer tr.CloseIdleConnections()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range o.clients {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), 42))
			for {
				jar, _ := cookiejar.New(nil)
				hc := &http.Client{Transport: tr, Jar: jar, Timeout: 60 * time.Second,
					CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
				if !take() {
					return
				}
				email := fmt.Sprintf("demo-%d@demo.smartustaz.kz", 1+r.IntN(o.users))
				t0 := time.Now()
				status, err := do(ctx, hc, http.MethodPost, base+"/login", url.Values{"email": {email}, "password": {o.password}})
				ok := err == nil && status == http.StatusSeeOther
				if ctx.Err() != nil && !ok {
					return // cut off by the deadline: not a failure of the site
				}
				res.add("login", time.Since(t0), ok)
				if !ok {
					continue
				}
				for range o.pagesPerLogin {
					if !take() {
						return
					}
					t0 := time.Now()
					status, err := do(ctx, hc, http.MethodGet, base+"/account", nil)
					ok := err == nil && status == http.StatusOK
					if ctx.Err() != nil && !ok {
						return
					}
					res.add("account", time.Since(t0), ok)
				}
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func do(ctx context.Context, hc *http.Client, method, u string, form url.Values) (int, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body) // the whole page, as a browser reads it
	return resp.StatusCode, nil
}

func engineOf(o options) string {
	if o.dsn != "" {
		return "postgres"
	}
	return "sqlite"
}

func report(w io.Writer, o options, r *results) {
	reportKinds(w, fmt.Sprintf("load: %s, %d demo users, %d clients, %d page loads per login, ran %s",
		engineOf(o), o.users, o.clients, o.pagesPerLogin, r.elapsed.Round(time.Millisecond)), r, []string{"login", "account"})
}

// reportKinds prints a heading and a line of figures per kind of request.
func reportKinds(w io.Writer, heading string, r *results, kinds []string) {
	fmt.Fprintln(w, heading)
	fmt.Fprintf(w, "%-8s %8s %6s %10s %10s %10s %10s %10s\n", "kind", "ok", "failed", "req/s", "p50", "p95", "p99", "max")
	all, fails := 0, 0
	for _, kind := range kinds {
		lat := r.lat[kind]
		slices.Sort(lat)
		all += len(lat)
		fails += r.fails[kind]
		fmt.Fprintf(w, "%-8s %8d %6d %10.1f %10s %10s %10s %10s\n", kind, len(lat), r.fails[kind],
			float64(len(lat))/r.elapsed.Seconds(), pct(lat, 50), pct(lat, 95), pct(lat, 99), pct(lat, 100))
	}
	fmt.Fprintf(w, "%-8s %8d %6d %10.1f\n", "all", all, fails, float64(all)/r.elapsed.Seconds())
}

// pct is the p-th percentile of sorted (nearest rank).
func pct(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	i := (len(sorted)*p + 99) / 100
	i = min(max(i, 1), len(sorted)) - 1
	return sorted[i].Round(10 * time.Microsecond).String()
}

// freeAddr is a loopback address with a port nothing listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// cacheCounts reads the page cache's hits, misses and bypasses from the
// server's metrics (zeros when they cannot be read).
func cacheCounts(addr string) [3]int64 {
	var out [3]int64
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "smartustaz_page_cache_total{") {
			continue
		}
		fields := strings.Fields(line)
		v, err := strconv.ParseFloat(fields[len(fields)-1], 64)
		if err != nil {
			continue
		}
		for i, r := range []string{`"hit"`, `"miss"`, `"bypass"`} {
			if strings.Contains(line, r) {
				out[i] = int64(v)
			}
		}
	}
	return out
}
