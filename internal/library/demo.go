package library

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
)

// Demo materials (issue 3, section 7): a catalog that looks alive for a
// new visitor and holds enough rows for the benchmarks. Each material is
// by a demo teacher, published, with Kazakh or Russian (or, for English
// lessons, English) titles and descriptions built from real teaching
// vocabulary, and one or two real small files whose text is searched.

// demoBatch is how many materials one transaction writes (as demo users).
const demoBatch = 1000

// demoRowsPerInsert bounds one multi-row INSERT, well under SQLite's
// 32,766 and PostgreSQL's 65,535 parameters.
const demoRowsPerInsert = 200

// DemoFile is one file of a demo material: its kind and the name it is
// listed under.
type DemoFile struct {
	Kind, Name string
	key        demoFileKey
}

// demoFileKey names one distinct file content: the lesson of a topic in
// a language, as a kind of file (a PDF is a worksheet per language).
type demoFileKey struct {
	subject    string
	topic      int
	lang, kind string
}

// DemoSpec is one synthetic material, as CreateDemoMaterials stores it.
type DemoSpec struct {
	Title, Description             string
	Subject, Grade, Type, Language string
	Tags                           []string
	Files                          []DemoFile
	Views, Downloads               int64
	// Age is how long before the fill the material was published.
	Age time.Duration
	// Topic is the lesson topic in the material's language (a word of it
	// is in the title and inside its files).
	Topic string
}

// demoSpan is how far back demo materials are published: three school years.
const demoSpan = 3 * 365 * 24 * time.Hour

// DemoMaterial returns the n-th synthetic material (n from 1). It depends
// only on n, so tests and load scripts know what demo material n looks
// like without reading the database.
func DemoMaterial(n int) DemoSpec {
	r := rand.New(rand.NewPCG(uint64(n), 0x6d6174657269616c)) // "material"
	typ := pickType(r)
	subj := pickSubject(r, typ)
	grades := demoGrades(subj, typ)
	grade := grades[r.IntN(len(grades))]
	ti := r.IntN(len(subj.topics))
	tp := subj.topics[ti]
	lang := pickLanguage(r, subj)

	sp := DemoSpec{Subject: subj.code, Grade: grade, Type: typ.code, Language: lang}
	sp.Title, sp.Topic = demoTitle(r, subj, typ, tp, grade, lang)
	sp.Description = demoDescription(r, typ, tp, grade, lang)
	sp.Tags = demoTags(r, subj, typ, tp, grade, lang)

	// Files: the type's main kind, sometimes an extra one.
	kinds := []string{typ.files[r.IntN(len(typ.files))]}
	if typ.extra != "" && typ.extra != kinds[0] && r.IntN(100) < typ.extraPct {
		kinds = append(kinds, typ.extra)
	}
	for _, k := range kinds {
		key := demoFileKey{subject: subj.code, topic: ti, lang: lang, kind: k}
		if k == "pdf" {
			key = demoFileKey{topic: -1, lang: lang, kind: k}
		}
		sp.Files = append(sp.Files, DemoFile{Kind: k, Name: demoFileName(sp.Title, k), key: key})
	}

	// Popularity: a long tail (most materials are seen a few times, a few
	// thousands of times), older materials seen more.
	sp.Age = time.Duration(math.Pow(r.Float64(), 1.6) * float64(demoSpan))
	age := 1 + sp.Age.Hours()/24/60
	sp.Views = int64(4 * age / math.Pow(1-r.Float64(), 0.85))
	sp.Downloads = int64(float64(sp.Views) * (0.05 + 0.4*r.Float64()))
	return sp
}

func pickType(r *rand.Rand) demoType {
	total := 0
	for _, t := range demoTypes {
		total += t.weight
	}
	n := r.IntN(total)
	for _, t := range demoTypes {
		if n < t.weight {
			return t
		}
		n -= t.weight
	}
	return demoTypes[0]
}

// demoAllowed says which types a subject's teachers publish: class hours
// and events belong to upbringing; the school psychologist and preschool
// teachers write no summative assessments.
func demoAllowed(s demoSubject, t demoType) bool {
	switch t.code {
	case "class-hour", "extracurricular":
		return s.code == demoUpbringing
	}
	switch s.code {
	case demoUpbringing:
		return strings.Contains(" methodological-guide report article programme presentation ", " "+t.code+" ")
	case "psychology":
		return strings.Contains(" methodological-guide report article presentation test programme ", " "+t.code+" ")
	case "preschool-education":
		return strings.Contains(" short-term-plan presentation worksheet methodological-guide open-lesson report article ", " "+t.code+" ")
	}
	return len(demoGrades(s, t)) > 0
}

// demoGrades are the grades of s that fit t: the national exam is for
// the last two grades, olympiads from grade 4, summative assessment from
// grade 1.
func demoGrades(s demoSubject, t demoType) []string {
	var out []string
	for _, g := range s.grades {
		n, err := strconv.Atoi(g)
		numeric := err == nil && n >= 1
		ok := true
		switch t.code {
		case "exam-preparation":
			ok = g == "10" || g == "11"
		case "olympiad":
			ok = numeric && n >= 4
		case "unit-summative", "term-summative", "formative", "test":
			ok = numeric || g == "college"
		}
		if ok {
			out = append(out, g)
		}
	}
	return out
}

func pickSubject(r *rand.Rand, t demoType) demoSubject {
	var fit []demoSubject
	for _, s := range demoSubjects {
		if demoAllowed(s, t) {
			fit = append(fit, s)
		}
	}
	return fit[r.IntN(len(fit))]
}

// pickLanguage: about three materials in five are in Kazakh, the rest in
// Russian; language lessons lean to their own language; a third of
// English lessons are written in English.
func pickLanguage(r *rand.Rand, s demoSubject) string {
	p := r.IntN(100)
	switch s.code {
	case "english":
		switch {
		case p < 30:
			return "en"
		case p < 70:
			return "kk"
		}
		return "ru"
	case "russian-language", "russian-literature":
		if p < 80 {
			return "ru"
		}
		return "kk"
	case "kazakh-language", "kazakh-literature":
		if p < 85 {
			return "kk"
		}
		return "ru"
	}
	if p < 60 {
		return "kk"
	}
	return "ru"
}

// gradeWords is a grade as a title says it (5-сынып, 5 класс, Grade 5)
// and the pupils it is for in a description.
func gradeWords(grade, lang string) (title, pupils string) {
	switch lang {
	case "ru":
		switch grade {
		case "preschool":
			return "дошкольная группа", "для воспитанников дошкольной группы"
		case "0":
			return "предшкольный класс", "для учащихся предшкольного класса"
		case "college":
			return "колледж", "для студентов колледжа"
		}
		return grade + " класс", "для учащихся " + grade + " класса"
	case "en":
		switch grade {
		case "preschool":
			return "preschool", "for preschool children"
		case "0":
			return "pre-school class", "for the pre-school class"
		case "college":
			return "college", "for college students"
		}
		return "Grade " + grade, "for learners of Grade " + grade
	}
	switch grade {
	case "preschool":
		return "мектепке дейінгі топ", "Мектепке дейінгі топ тәрбиеленушілеріне арналған."
	case "0":
		return "даярлық сынып", "Даярлық сынып оқушыларына арналған."
	case "college":
		return "колледж", "Колледж студенттеріне арналған."
	}
	return grade + "-сынып", grade + "-сынып оқушыларына арналған."
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func demoTitle(r *rand.Rand, s demoSubject, t demoType, tp demoTopic, grade, lang string) (title, topic string) {
	g, _ := gradeWords(grade, lang)
	var tmpl, sFrom, sIn, topicName string
	switch lang {
	case "ru":
		tmpl, sFrom, sIn, topicName = t.ruTitles[r.IntN(len(t.ruTitles))], s.ruPo, s.ruIn, tp.ru
	case "en":
		tmpl = []string{"{T}: {E}, {g}", "{G}. {T}. {E}", "{E}: {T} ({g})"}[r.IntN(3)]
		topicName = tp.en
	default:
		tmpl, sFrom, sIn, topicName = t.kkTitles[r.IntN(len(t.kkTitles))], s.kkFrom, s.kkIn, tp.kk
	}
	title = strings.NewReplacer(
		"{S}", sFrom, "{I}", sIn, "{Sname}", seedName(seedSubjects, s.code, lang),
		"{G}", upperFirst(g), "{g}", g, "{T}", topicName, "{E}", t.enName,
		"{Q}", strconv.Itoa(1+r.IntN(4)),
	).Replace(tmpl)
	return upperFirst(title), topicName
}

func demoDescription(r *rand.Rand, t demoType, tp demoTopic, grade, lang string) string {
	_, pupils := gradeWords(grade, lang)
	var first string
	var pool []string
	switch lang {
	case "ru":
		first = t.ruName + " по теме «" + tp.ru + "» " + pupils + ". Ключевые понятия: " + tp.ruD + "."
		pool = demoRUSentences
	case "en":
		first = t.enName + " on “" + tp.en + "” " + pupils + ". Key points: " + tp.enD + "."
		pool = demoENSentences
	default:
		first = "«" + tp.kk + "» тақырыбы бойынша " + t.kkName + ". " + pupils + " Негізгі ұғымдар: " + tp.kkD + "."
		pool = demoKKSentences
	}
	parts := []string{first}
	i := r.IntN(len(pool))
	parts = append(parts, pool[i])
	if r.IntN(2) == 0 {
		parts = append(parts, pool[(i+1+r.IntN(len(pool)-1))%len(pool)])
	}
	return strings.Join(parts, " ")
}

func demoTags(r *rand.Rand, s demoSubject, t demoType, tp demoTopic, grade, lang string) []string {
	g, _ := gradeWords(grade, lang)
	tags := []string{g}
	for _, st := range seedTypes {
		if st.code == t.code {
			if a := map[string]string{"kk": st.ak, "ru": st.ar}[lang]; a != "" {
				tags = append(tags, a)
			}
		}
	}
	name := map[string]string{"kk": tp.kk, "ru": tp.ru, "en": tp.en}[lang]
	if len([]rune(name)) <= MaxTag && r.IntN(3) != 0 {
		tags = append(tags, name)
	}
	if sn := seedName(seedSubjects, s.code, lang); len([]rune(sn)) <= MaxTag && r.IntN(3) == 0 {
		tags = append(tags, sn)
	}
	return tags
}

// demoFileName is the name a teacher gives the file: the title, without
// the characters file names cannot hold, and the kind's ending.
func demoFileName(title, kind string) string {
	name := strings.NewReplacer(":", "", "/", "-", "\\", "-", "«", "", "»", "", "„", "", "“", "", "\"", "", "?", "").Replace(title)
	if r := []rune(name); len(r) > 80 {
		name = string(r[:80])
		if i := strings.LastIndex(name, " "); i > 0 {
			name = name[:i] // a whole word last
		}
	}
	return strings.TrimSpace(strings.TrimRight(name, ". ")) + extensions[kind][0]
}

// DemoOptions tune CreateDemoMaterials.
type DemoOptions struct {
	// Authors are the demo teachers the materials are by (picked at
	// random for each); required.
	Authors []int64
	// Progress, when not nil, is called after each committed batch with
	// the number of materials created so far.
	Progress func(done int)
}

// demoStored is one distinct demo file in the store: its upload (held
// until the first rows that refer to it are committed), and its index terms.
type demoStored struct {
	up    *Upload
	f     stagedFile
	terms []string
}

// demoRows is one batch of rows, ready to insert, and the files first
// referred to by it.
type demoRows struct {
	mats, files, search [][]any
	fresh               []*demoStored
}

// CreateDemoMaterials adds n published demo materials (DemoMaterial),
// continuing the numbering after the materials already present, by
// authors picked from o.Authors. Every distinct file goes through the
// same checks as an upload (sniffed, bomb-checked, text extracted) and
// is stored once; materials are written in transactions of 1,000 with
// multi-row INSERTs, their index terms the ones Publish computes. The next
// batch is prepared while one is written. No upload events are recorded:
// nobody uploaded these from a browser. It returns how many were created,
// also when it stops early on an error or a cancelled ctx.
func (s *Service) CreateDemoMaterials(ctx context.Context, n int, o DemoOptions) (int, error) {
	if n <= 0 {
		return 0, nil
	}
	if len(o.Authors) == 0 {
		return 0, errors.New("library: demo materials: no demo teachers to be their authors")
	}
	if err := s.SeedTaxonomy(ctx); err != nil {
		return 0, err
	}
	tax, err := s.Taxonomy(ctx)
	if err != nil {
		return 0, err
	}
	var first int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM materials`).Scan(&first); err != nil {
		return 0, fmt.Errorf("library: demo materials: %w", err)
	}

	pctx, stop := context.WithCancel(ctx)
	batches := make(chan demoRows, 1)
	var prepErr error
	files := map[demoFileKey]*demoStored{}
	prepared := make(chan struct{})
	go func() {
		defer close(prepared)
		defer close(batches)
		p := &demoPrep{s: s, tax: tax, authors: o.Authors, files: files, memo: map[string][]string{},
			pick: rand.New(rand.NewPCG(uint64(first), uint64(len(o.Authors)))), now: s.now()}
		for start := 0; start < n; start += demoBatch {
			rows, err := p.batch(pctx, first+start+1, min(demoBatch, n-start))
			if err != nil {
				prepErr = err
				return
			}
			select {
			case batches <- rows:
			case <-pctx.Done():
				return
			}
		}
	}()
	defer func() {
		stop()
		for range batches { // let the preparation end
		}
		<-prepared
		for _, f := range files {
			f.up.Discard(ctx) // nothing after a commit; else removes the orphan
		}
	}()

	done := 0
	for rows := range batches {
		if err := ctx.Err(); err != nil {
			return done, fmt.Errorf("library: demo materials: %w", err)
		}
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			if err := insertRows(ctx, tx, `materials (id, author_id, title, description, subject, grade, type, language, tags,
				status, slug, views, downloads, created_at, updated_at, published_at, moderated_at)`, rows.mats); err != nil {
				return err
			}
			if err := insertRows(ctx, tx, `material_files (id, material_id, sha256, size, kind, name, position, excerpt, downloads, created_at)`, rows.files); err != nil {
				return err
			}
			for _, f := range rows.fresh {
				if err := s.takeHolds(ctx, tx, f.up); err != nil {
					return err
				}
			}
			return insertRows(ctx, tx, `material_search (material_id, terms, title_terms, desc_terms)`, rows.search)
		})
		if err != nil {
			return done, fmt.Errorf("library: demo materials: %w", err)
		}
		for _, f := range rows.fresh {
			f.up.commit()
		}
		done += len(rows.mats)
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	<-prepared
	if prepErr != nil {
		return done, fmt.Errorf("library: demo materials: %w", prepErr)
	}
	if err := ctx.Err(); err != nil && done < n {
		return done, fmt.Errorf("library: demo materials: %w", err)
	}
	return done, nil
}

// demoPrep turns demo specs into rows: it stores each distinct file once
// and remembers the index terms of the pieces materials share.
type demoPrep struct {
	s       *Service
	tax     *Taxonomy
	authors []int64
	files   map[demoFileKey]*demoStored
	// memo holds the terms of titles, sentences and tags: materials repeat
	// them, and analysing a word costs more than writing its row.
	memo map[string][]string
	pick *rand.Rand
	now  time.Time
}

// demoMemoMax bounds the memo (about a hundred megabytes at most).
const demoMemoMax = 200_000

func (p *demoPrep) terms(piece string) []string {
	if t, ok := p.memo[piece]; ok {
		return t
	}
	if len(p.memo) >= demoMemoMax {
		clear(p.memo)
	}
	t := terms(piece)
	p.memo[piece] = t
	return t
}

// batch prepares materials first…first+size-1.
func (p *demoPrep) batch(ctx context.Context, first, size int) (demoRows, error) {
	var rows demoRows
	for i := range size {
		sp := DemoMaterial(first + i)
		id := db.NewID()
		pub := p.now.Add(-sp.Age).UnixMilli()
		created := pub - int64(p.pick.IntN(3*24*3600))*1000 // waited up to three days for a moderator
		rows.mats = append(rows.mats, []any{id, p.authors[p.pick.IntN(len(p.authors))], sp.Title, sp.Description, sp.Subject,
			sp.Grade, sp.Type, sp.Language, strings.Join(sp.Tags, ", "), string(StatusPublished), slug(sp.Title),
			sp.Views, sp.Downloads, created, pub, pub, pub})

		// The terms Publish indexes (title, description, tags, the names
		// and abbreviations of subject and type, the text of the files),
		// analysed piece by piece: no word spans two pieces, so the union
		// is the same set.
		pieces := []string{sp.Title}
		pieces = append(pieces, strings.SplitAfter(sp.Description, ". ")...)
		pieces = append(pieces, sp.Tags...)
		pieces = append(pieces, "\x00"+sp.Subject+"\x00"+sp.Type)
		var ts []string
		seen := map[string]bool{}
		add := func(list []string) {
			for _, t := range list {
				if !seen[t] {
					seen[t] = true
					ts = append(ts, t)
				}
			}
		}
		for _, piece := range pieces {
			if strings.HasPrefix(piece, "\x00") {
				add(p.taxonomyTerms(piece, sp.Subject, sp.Type))
				continue
			}
			add(p.terms(piece))
		}
		left := sp.Downloads
		for pos, df := range sp.Files {
			st, ok := p.files[df.key]
			if !ok {
				var err error
				if st, err = p.s.storeDemoFile(ctx, df.key); err != nil {
					return rows, err
				}
				p.files[df.key] = st
				rows.fresh = append(rows.fresh, st)
			}
			dl := left
			if pos < len(sp.Files)-1 {
				dl = left * 3 / 4
			}
			left -= dl
			rows.files = append(rows.files, []any{db.NewID(), id, st.f.sha, st.f.size, st.f.kind, df.Name, pos, st.f.excerpt, dl, pub})
			add(st.terms)
		}
		desc := append([]string{}, p.terms(sp.Description)...)
		for _, tag := range sp.Tags {
			for _, t := range p.terms(tag) {
				if !slices.Contains(desc, t) {
					desc = append(desc, t)
				}
			}
		}
		tt := p.terms(sp.Title)
		ts = append(ts, TitleTokens(tt)...)
		rows.search = append(rows.search, []any{id, strings.Join(ts, " "), strings.Join(tt, " "), strings.Join(desc, " ")})
	}
	return rows, nil
}

// taxonomyTerms are the terms of a subject's and a type's names and
// abbreviations in every language, memoised under key.
func (p *demoPrep) taxonomyTerms(key, subject, typ string) []string {
	if t, ok := p.memo[key]; ok {
		return t
	}
	var parts []string
	for _, k := range []struct {
		kind TermKind
		code string
	}{{KindSubject, subject}, {KindType, typ}} {
		if t, ok := p.tax.Lookup(k.kind, k.code); ok {
			parts = append(parts, t.Name[0], t.Name[1], t.Abbr[0], t.Abbr[1])
		}
	}
	t := terms(strings.Join(parts, "\n"))
	p.memo[key] = t
	return t
}

// storeDemoFile makes the file of key and puts it through an upload.
func (s *Service) storeDemoFile(ctx context.Context, key demoFileKey) (*demoStored, error) {
	var doc demoDoc
	if key.kind != "pdf" {
		for _, subj := range demoSubjects {
			if subj.code == key.subject {
				doc = demoFileText(subj, subj.topics[key.topic], key.lang)
			}
		}
	}
	b, err := demoFileBytes(key.kind, key.lang, doc)
	if err != nil {
		return nil, err
	}
	up := s.NewUpload()
	name := "demo" + extensions[key.kind][0]
	sum := sha256.Sum256(b)
	// (The Exists error is deliberately dropped: on doubt the file is
	// simply written again, which content addressing makes harmless.)
	if ok, existsErr := s.store.Exists(ctx, hex.EncodeToString(sum[:])); existsErr == nil && ok {
		// Stored by an earlier run: checked and read from the store as an
		// upload is, without writing (and syncing) it again.
		err = up.addStored(ctx, name, hex.EncodeToString(sum[:]), int64(len(b)), b)
	} else {
		err = up.Add(ctx, name, bytes.NewReader(b))
	}
	if err != nil {
		up.Discard(ctx)
		return nil, fmt.Errorf("demo %s file refused: %w", key.kind, err)
	}
	f := up.files[0]
	if f.kind != key.kind {
		up.Discard(ctx)
		return nil, fmt.Errorf("demo %s file was taken for %s", key.kind, f.kind)
	}
	return &demoStored{up: up, f: f, terms: terms(f.text)}, nil
}

// addStored adds to the upload a file already in the store under sha,
// with the checks Add makes after storing one.
func (u *Upload) addStored(ctx context.Context, name, sha string, size int64, head []byte) error {
	kind, err := sniff(head[:min(len(head), sniffLen)])
	if err != nil {
		return apperr.Field("files", "library.files.type", name)
	}
	holdID, err := u.s.hold(ctx, u.id, sha)
	if err != nil {
		return err
	}
	f := stagedFile{sha: sha, size: size, kind: kind, name: name, hold: holdID}
	if err := u.inspect(ctx, &f); err != nil {
		u.s.unhold(context.WithoutCancel(ctx), holdID) // an earlier run's blob: not this upload's to delete
		return err
	}
	u.files = append(u.files, f)
	return nil
}

// insertRows writes rows into table (with its column list) in multi-row
// INSERTs of demoRowsPerInsert.
func insertRows(ctx context.Context, tx *db.Tx, table string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(rows[0])), ", ") + ")"
	for start := 0; start < len(rows); start += demoRowsPerInsert {
		chunk := rows[start:min(start+demoRowsPerInsert, len(rows))]
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " VALUES ")
		args := make([]any, 0, len(chunk)*len(rows[0]))
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(marks)
			args = append(args, r...)
		}
		if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
