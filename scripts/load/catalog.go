package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The catalog scenario: what visitors who are not signed in do most —
// browse the catalog, search, open a material.

// searchWords are what teachers type into the search box: topics, types
// and their abbreviations, in Kazakh and Russian and in several word
// forms, a few rare words and a few that match nothing.
var searchWords = []string{
	"бөлшектер", "бөлшектерді", "жай бөлшек", "дроби", "десятичные дроби", "пайыздар", "проценты",
	"ҚМЖ", "КСП", "СОР", "СОЧ", "БЖБ", "ТЖБ", "ҰБТ", "ЕНТ", "ФО",
	"презентация", "презентации", "презентацияға", "тест", "тесты", "жұмыс парағы", "рабочий лист",
	"сабақ жоспары", "сабақтың жоспары", "план урока", "қысқа мерзімді жоспар", "краткосрочный план",
	"Абай", "Абайдың", "Абай жолы", "Мағжан", "Алтынсарин", "Пушкин", "Капитанская дочка",
	"квадрат теңдеулер", "квадратные уравнения", "дискриминант", "Пифагор теоремасы", "теорема Пифагора",
	"Ньютон заңдары", "закон Ома", "фотосинтез", "жасуша", "строение клетки", "периодтық жүйе",
	"Қазақ хандығы", "Жібек жолы", "Великий Шёлковый путь", "Алаш", "Тәуелсіздік", "независимость",
	"тәрбие сағаты", "классный час", "Наурыз", "салауатты өмір салты", "здоровый образ жизни",
	"Present Perfect", "Past Simple", "алгоритм", "Python", "ертегілер", "мақал-мәтелдер", "пословицы",
	"домбыра", "асық ату", "волейбол", "олимпиада", "функционалдық сауаттылық", "функциональной грамотности",
	"дескрипторлар", "критерии оценивания", "бағалау критерийлері", "экожүйелер", "Конституция",
	"Тайбурыл", "Хлестаков", "жетіген", "киіз", "оригами", "робототехника",
	"космонавтика", "шахматтар", "квантовая механика",
}

// catalogInfo is what the scenario learns from the site before the run:
// the filter values offered, material addresses to open, and the range of
// the sort keys for deep pages at random positions.
type catalogInfo struct {
	subjects, grades, types []string
	paths                   []string
	newest                  int64 // published_at of the newest material, Unix ms
	maxViews, maxDownloads  int64
	size                    string
}

var (
	selectRE = regexp.MustCompile(`(?s)<select id="f-(subject|grade|type)" name="[a-z]+">(.*?)</select>`)
	optionRE = regexp.MustCompile(`<option value="([^"]+)"`)
	titleRE  = regexp.MustCompile(`class="mat-title" href="(/materials/\d+-[^"]*)"`)
	nextRE   = regexp.MustCompile(`rel="next" href="([^"]+)"`)
)

// prepareCatalog reads the filters from the catalog and collects material
// addresses from pages at many depths.
func prepareCatalog(ctx context.Context, base string, stderr io.Writer) (*catalogInfo, error) {
	hc := &http.Client{Timeout: 60 * time.Second}
	get := func(path string) (string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return "", err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return string(b), err
	}
	c := &catalogInfo{}
	first, err := get("/materials")
	if err != nil {
		return nil, err
	}
	for _, m := range selectRE.FindAllStringSubmatch(first, -1) {
		var vals []string
		for _, o := range optionRE.FindAllStringSubmatch(m[2], -1) {
			vals = append(vals, o[1])
		}
		switch m[1] {
		case "subject":
			c.subjects = vals
		case "grade":
			c.grades = vals
		case "type":
			c.types = vals
		}
	}
	if len(c.subjects) == 0 || len(c.grades) == 0 || len(c.types) == 0 {
		return nil, errors.New("the catalog page offers no filters")
	}
	cursorOf := func(page string) (int64, bool) {
		m := nextRE.FindStringSubmatch(page)
		if m == nil {
			return 0, false
		}
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			return 0, false
		}
		v, _, _ := strings.Cut(u.Query().Get("after"), ".")
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	var ok bool
	if c.newest, ok = cursorOf(first); !ok {
		return nil, errors.New("the catalog has a single page: fill it with `smartustaz demo --materials N`")
	}
	for _, s := range []struct {
		sort string
		max  *int64
	}{{"popular", &c.maxViews}, {"downloads", &c.maxDownloads}} {
		p, err := get("/materials?sort=" + s.sort)
		if err != nil {
			return nil, err
		}
		if *s.max, ok = cursorOf(p); !ok {
			return nil, errors.New("no second page of the catalog by " + s.sort)
		}
	}
	// Material addresses from pages spread over the whole catalog.
	r := rand.New(rand.NewPCG(7, 7))
	seen := map[string]bool{}
	for i := 0; i < 100 && len(c.paths) < 2000; i++ {
		p, err := get(c.deepURL(r, false))
		if err != nil {
			return nil, err
		}
		for _, m := range titleRE.FindAllStringSubmatch(p, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				c.paths = append(c.paths, m[1])
			}
		}
	}
	if len(c.paths) == 0 {
		return nil, errors.New("no material addresses found in the catalog")
	}
	fmt.Fprintf(stderr, "load: catalog filters %d subjects, %d grades, %d types; %d material addresses collected\n",
		len(c.subjects), len(c.grades), len(c.types), len(c.paths))
	return c, nil
}

// filters adds random filters to q: each one in three requests.
func (c *catalogInfo) filters(r *rand.Rand, q url.Values) {
	if r.IntN(3) == 0 {
		q.Set("subject", c.subjects[r.IntN(len(c.subjects))])
	}
	if r.IntN(3) == 0 {
		q.Set("grade", c.grades[r.IntN(len(c.grades))])
	}
	if r.IntN(3) == 0 {
		q.Set("type", c.types[r.IntN(len(c.types))])
	}
	if r.IntN(4) == 0 {
		q.Set("language", []string{"kk", "ru", "en"}[r.IntN(3)])
	}
}

func randomSort(r *rand.Rand) string {
	return []string{"new", "new", "popular", "downloads"}[r.IntN(4)]
}

// firstURL is the first page of the catalog with random filters and sort.
func (c *catalogInfo) firstURL(r *rand.Rand) string {
	q := url.Values{}
	c.filters(r, q)
	if s := randomSort(r); s != "new" {
		q.Set("sort", s)
	}
	return "/materials?" + q.Encode()
}

// deepURL is a keyset page at a random position of the sort order: the
// cursor is any key value and the largest id, which the catalog answers
// like the page a reader reaches by following "next" many times.
func (c *catalogInfo) deepURL(r *rand.Rand, filters bool) string {
	q := url.Values{}
	if filters {
		c.filters(r, q)
	}
	var v int64
	switch s := randomSort(r); s {
	case "popular", "downloads":
		q.Set("sort", s)
		top := c.maxViews
		if s == "downloads" {
			top = c.maxDownloads
		}
		v = int64(math.Exp(r.Float64() * math.Log(float64(max(top, 2)))))
	default:
		v = c.newest - r.Int64N(int64(3*365*24*time.Hour/time.Millisecond))
	}
	q.Set("after", fmt.Sprintf("%d.%d", v, int64(math.MaxInt64)))
	return "/materials?" + q.Encode()
}

// searchURL searches a random word, with filters one time in three.
func (c *catalogInfo) searchURL(r *rand.Rand) string {
	q := url.Values{"q": {searchWords[r.IntN(len(searchWords))]}}
	if r.IntN(3) == 0 {
		c.filters(r, q)
	}
	if r.IntN(4) == 0 {
		q.Set("sort", randomSort(r))
	}
	return "/materials?" + q.Encode()
}

// catalogMix is the share of each kind of request: first catalog pages,
// deep pages, searches, material pages.
var catalogMix = []struct {
	kind   string
	weight int
}{{"catalog", 30}, {"deep", 20}, {"search", 30}, {"material", 20}}

// driveCatalog runs visitors until the time or the request budget is
// spent, each request of a kind drawn by catalogMix among the kinds
// asked for.
func driveCatalog(ctx context.Context, base string, o options, c *catalogInfo) *results {
	var mix []string
	for _, m := range catalogMix {
		if o.kinds == "" || strings.Contains(","+o.kinds+",", ","+m.kind+",") {
			for range m.weight {
				mix = append(mix, m.kind)
			}
		}
	}
	res := &results{lat: map[string][]time.Duration{}, fails: map[string]int{}}
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	var mu sync.Mutex
	left := o.maxRequests
	take := func() bool {
		mu.Lock()
		defer mu.Unlock()
		if left == 0 || ctx.Err() != nil {
			return false
		}
		left--
		return true
	}
	tr := &http.Transport{MaxIdleConns: o.clients * 2, MaxIdleConnsPerHost: o.clients * 2}
	defer tr.CloseIdleConnections()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range o.clients {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 99))
			hc := &http.Client{Transport: tr, Timeout: 60 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			// With a rate, client i sends on its own schedule, offset so
			// the clients do not fire together.
			var every time.Duration
			next := start
			if o.rate > 0 {
				every = time.Duration(float64(o.clients) / o.rate * float64(time.Second))
				next = start.Add(every * time.Duration(i) / time.Duration(o.clients))
			}
			for take() {
				var u string
				kind := mix[r.IntN(len(mix))]
				switch kind {
				case "catalog":
					u = c.firstURL(r)
				case "deep":
					u = c.deepURL(r, true)
				case "search":
					u = c.searchURL(r)
				default:
					u = c.paths[r.IntN(len(c.paths))]
				}
				t0 := time.Now()
				if every > 0 {
					if d := time.Until(next); d > 0 {
						select {
						case <-time.After(d):
						case <-ctx.Done():
							return
						}
					}
					t0 = next // a late send counts against the server
					next = next.Add(every)
				}
				status, err := do(ctx, hc, http.MethodGet, base+u, nil)
				ok := err == nil && status == http.StatusOK
				if ctx.Err() != nil && !ok {
					return // cut off by the deadline: not a failure of the site
				}
				d := time.Since(t0)
				res.add(kind, d, ok)
				if o.slow > 0 {
					res.mu.Lock()
					res.slowest = append(res.slowest, slowReq{d, kind, u})
					res.mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}
