package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/pgtest"
)

const testFramework = `project:
  code: PG
  title: PostgreSQL test project
  start: 2021-01-01
  end: 2022-12-31
  reporting: quarterly
results:
  - code: G
    level: goal
    statement: Better lives
  - code: O1
    level: outcome
    parent: G
    statement: Better services
  - code: "1.1"
    level: output
    parent: O1
    statement: People trained
indicators:
  - code: 1.1.1
    result: "1.1"
    name: People trained
    unit: number
    direction: increase
    aggregation: sum
    baseline: 0
    target: 100
`

func testClock() func() time.Time {
	t := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

// create creates the project of url with the test framework saved.
func create(t *testing.T, url string) *DB {
	t.Helper()
	ctx := context.Background()
	db, created, err := CreateAt(ctx, url, testClock())
	if err != nil {
		t.Fatal(err)
	}
	if !created {
		t.Fatalf("CreateAt(%s): created false for a new project", url)
	}
	t.Cleanup(func() { db.Close() })
	fw, err := importers.ReadFrameworkYAML(strings.NewReader(testFramework), "fw.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveFramework(ctx, fw); err != nil {
		t.Fatal(err)
	}
	return db
}

func figure(period string, v float64, row int) indicators.Measurement {
	p, err := indicators.ParsePeriod(period)
	if err != nil {
		panic(err)
	}
	return indicators.Measurement{Indicator: "1.1.1", Period: p, Value: &v, Loc: indicators.Loc{File: "q.csv", Row: row}}
}

func importFigures(t *testing.T, db *DB, file string, figs ...indicators.Measurement) indicators.Batch {
	t.Helper()
	im, err := db.BeginImport(context.Background(), indicators.Batch{File: file, SHA256: "sha-" + file})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, m := range figs {
		if err := im.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	b, err := im.Finish(false)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOpenBadInput: each bad URL or missing project is one line naming
// what to fix, and creates nothing.
func TestOpenBadInput(t *testing.T) {
	server := pgtest.Server(t)
	ctx := context.Background()
	missing := pgtest.Project(t)
	for _, tt := range []struct {
		name, url string
		want      []string
		sentinel  error
	}{
		{"no project", server, []string{"no project", "?project=CODE"}, indicators.ErrRequired},
		{"empty project", server + "&project=", []string{"no project"}, indicators.ErrRequired},
		{"bad project code", withQuery(server, "project=a%3Bb"), []string{`project "a;b"`, "letters, digits"}, indicators.ErrInvalid},
		{"project code too long", withQuery(server, "project="+strings.Repeat("x", 41)), []string{"at most 40"}, indicators.ErrInvalid},
		{"semicolon", withQuery(server, "project=a;b"), []string{"its parameters", "percent-encode"}, indicators.ErrInvalid},
		{"project twice", withQuery(server, "project=A&project=B"), []string{"project= is given 2 times"}, indicators.ErrInvalid},
		{"not postgres", "mysql://u@h/db?project=A", []string{"expected postgres://"}, indicators.ErrInvalid},
		{"no database", "postgres://rmf@127.0.0.1:55432?project=A", []string{"no database name"}, indicators.ErrRequired},
		{"unreachable", "postgres://rmf@127.0.0.1:1/rmftest?project=A&connect_timeout=5", []string{"cannot reach the PostgreSQL server", "check the host and port"}, nil},
		{"no such project", withQuery(server, "project="+missing), []string{"project " + missing, "does not exist", "rmf init --db"}, indicators.ErrUnknownCode},
		{"password hidden", "postgres://rmf:secret@127.0.0.1:1/rmftest?project=A&connect_timeout=5", []string{"xxxxx"}, nil},
		{"password= hidden", "postgres://rmf@127.0.0.1:1/rmftest?project=A&password=secret&connect_timeout=5", []string{"password=xxxxx"}, nil},
		{"password= hidden, no project", "postgres://rmf@127.0.0.1:1/rmftest?password=secret", []string{"password=xxxxx", "no project"}, indicators.ErrRequired},
		{"password= hidden, missing project", withQuery(server, "password=secret&project="+missing), []string{"password=xxxxx", "does not exist"}, indicators.ErrUnknownCode},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := OpenAt(ctx, tt.url, nil)
			if err == nil {
				db.Close()
				t.Fatalf("OpenAt(%s): no error", tt.url)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("OpenAt(%s): %q, want it to say %q", tt.url, msg, w)
				}
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "secret") {
				t.Errorf("OpenAt(%s): %q, want one line without the password", tt.url, msg)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("OpenAt(%s): %v, want %v", tt.url, err, tt.sentinel)
			}
		})
	}
	ps, err := Projects(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Code == missing || p.Code == "A" {
			t.Errorf("a failed open created project %s", p.Code)
		}
	}
}

func withQuery(u, q string) string {
	if strings.Contains(u, "?") {
		return u + "&" + q
	}
	return u + "?" + q
}

// TestConnectErrors: a wrong password and a missing database are named
// with what to do (the test cluster trusts every user, so the server's
// answers are made up here).
func TestConnectErrors(t *testing.T) {
	tg := target{shown: "postgres://rmf:xxxxx@db.example.org/m", project: "A"}
	for _, tt := range []struct {
		code string
		want string
	}{
		{"28P01", "password authentication failed"},
		{"3D000", "create the database first"},
	} {
		err := connectError(tg, &pgconn.PgError{Code: tt.code, Message: "the server's message"})
		if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tg.shown) {
			t.Errorf("SQLSTATE %s: %q, want it to name the URL and say %q", tt.code, err, tt.want)
		}
	}
	// A server without TLS asked for it (sslmode=require) is reachable: the
	// message says what to change, not to check the host and port.
	err := connectError(tg, fmt.Errorf("failed to connect to `user=rmf database=m`: 127.0.0.1:5432 (127.0.0.1): tls error: server refused TLS connection"))
	if msg := err.Error(); !strings.Contains(msg, "TLS") || !strings.Contains(msg, "sslmode=") || strings.Contains(msg, "cannot reach") {
		t.Errorf("TLS refused: %q, want it to name TLS and sslmode=", msg)
	}
}

// TestCreateAtTwice: creating an existing project opens it.
func TestCreateAtTwice(t *testing.T) {
	url := pgtest.URL(t)
	db := create(t, url)
	db.Close()
	db2, created, err := CreateAt(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if created {
		t.Error("CreateAt of an existing project: created true")
	}
	if ok, err := db2.HasFramework(context.Background()); err != nil || !ok {
		t.Errorf("reopened project: framework %v, %v", ok, err)
	}
}

// TestSchemaClash: two codes that map to one schema cannot both exist.
func TestSchemaClash(t *testing.T) {
	server := pgtest.Server(t)
	code := pgtest.Project(t)
	create(t, pgtest.WithProject(t, server, code))
	other := strings.ToLower(strings.ReplaceAll(code, "-", "."))
	_, _, err := CreateAt(context.Background(), pgtest.WithProject(t, server, other), nil)
	if !errors.Is(err, indicators.ErrDuplicate) || !strings.Contains(err.Error(), "choose another code") {
		t.Errorf("CreateAt(%s) beside %s: %v, want a duplicate schema error", other, code, err)
	}
}

// TestProjectsIsolated: two projects in one database see only their own
// figures, and both are listed.
func TestProjectsIsolated(t *testing.T) {
	ctx := context.Background()
	server := pgtest.Server(t)
	codeA, codeB := pgtest.Project(t), pgtest.Project(t)
	a := create(t, pgtest.WithProject(t, server, codeA))
	b := create(t, pgtest.WithProject(t, server, codeB))
	importFigures(t, a, "a.csv", figure("2021Q1", 10, 2), figure("2021Q2", 20, 3))
	importFigures(t, b, "b.csv", figure("2021Q1", 99, 2))
	for _, tt := range []struct {
		db   *DB
		want []float64
	}{{a, []float64{10, 20}}, {b, []float64{99}}} {
		figs, err := tt.db.Measurements(ctx, engine.MeasurementFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []float64
		for _, m := range figs {
			got = append(got, *m.Value)
		}
		if len(got) != len(tt.want) || got[0] != tt.want[0] {
			t.Errorf("%s: figures %v, want %v", tt.db.Path(), got, tt.want)
		}
		imps, err := tt.db.Imports(ctx)
		if err != nil || len(imps) != 1 {
			t.Errorf("%s: imports %+v, %v, want its one", tt.db.Path(), imps, err)
		}
	}
	ps, err := Projects(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, p := range ps {
		seen[p.Code] = p.Schema
	}
	if seen[codeA] != SchemaName(codeA) || seen[codeB] != SchemaName(codeB) {
		t.Errorf("Projects: %+v, want %s and %s with their schemas", ps, codeA, codeB)
	}
}

// TestAppendOnly: the database itself refuses to change or delete the
// logs' entries.
func TestAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := create(t, pgtest.URL(t))
	importFigures(t, db, "a.csv", figure("2021Q1", 10, 2))
	p, _ := indicators.ParsePeriod("2021Q1")
	if _, err := db.Review(ctx, engine.ActApprove, engine.FigureSelection{Period: p}, "", "ana"); err != nil {
		t.Fatal(err)
	}
	ev := &indicators.Evaluation{Title: "Mid-term", Source: "m.xlsx", Recommendations: []indicators.Recommendation{{
		Number: "1", Text: "Train more", Response: indicators.Accepted,
		Actions: []indicators.KeyAction{{Number: "1.1", Text: "Hire trainers",
			Log: []indicators.LogEntry{{Text: "started", Status: indicators.Ongoing}}}}}}}
	if _, err := db.SaveEvaluation(ctx, ev, false); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE action_log SET text = 'rewritten'`, `DELETE FROM action_log`, `TRUNCATE action_log CASCADE`,
		`UPDATE review_log SET reason = 'nothing happened'`, `DELETE FROM review_log`,
		`DELETE FROM review_figures`, `UPDATE framework_versions SET body = '{}'`, `DELETE FROM framework_versions`, `TRUNCATE framework_revisions`,
	} {
		_, err := db.SQL().ExecContext(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the database to refuse (append-only)", q, err)
		}
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM action_log WHERE text = 'started'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("action_log after the refused changes: %d, %v", n, err)
	}
}

// TestMigrationsNewer: a project migrated by a newer rmf is refused with
// one line saying to upgrade.
func TestMigrationsNewer(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db := create(t, url)
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES ('999_future.sql', '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := OpenAt(ctx, url, nil)
	if err == nil || !strings.Contains(err.Error(), "upgrade rmf") || !strings.Contains(err.Error(), "999_future.sql") || strings.Contains(err.Error(), "\n") {
		t.Errorf("OpenAt of a newer project: %v, want one line saying to upgrade rmf", err)
	}
}

// TestMigrationsRecorded: every migration is recorded once, and reopening
// applies none again.
func TestMigrationsRecorded(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db := create(t, url)
	names, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	read := func(db *DB) map[string]string {
		out := map[string]string{}
		rows, err := db.SQL().QueryContext(ctx, `SELECT name, applied_at FROM migrations`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n, at string
			if err := rows.Scan(&n, &at); err != nil {
				t.Fatal(err)
			}
			out[n] = at
		}
		return out
	}
	first := read(db)
	if len(first) != len(names) {
		t.Fatalf("recorded %v, want %v", first, names)
	}
	db.Close()
	db2, err := OpenAt(ctx, url, func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	for n, at := range read(db2) {
		if first[n] != at {
			t.Errorf("migration %s recorded again at %s (first %s)", n, at, first[n])
		}
	}
}

// TestWriterWaits: a write waits for an import in progress, saying so
// once (Waiting), and goes through when the import is done.
func TestWriterWaits(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db := create(t, url)
	other, err := OpenAt(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	waiting := make(chan struct{}, 2)
	other.Waiting = func() { waiting <- struct{}{} }

	im, err := db.BeginImport(ctx, indicators.Batch{File: "a.csv", SHA256: "sha-a"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := im.Add(figure("2021Q1", 10, 2)); err != nil {
		t.Fatal(err)
	}
	done := make(chan indicators.Batch)
	go func() {
		im2, err := other.BeginImport(ctx, indicators.Batch{File: "b.csv", SHA256: "sha-b"})
		if err != nil {
			t.Error(err)
			close(done)
			return
		}
		defer im2.Rollback()
		if err := im2.Add(figure("2021Q1", 11, 2)); err != nil {
			t.Error(err)
		}
		b, err := im2.Finish(false)
		if err != nil {
			t.Error(err)
		}
		done <- b
	}()
	<-waiting // the second import waits for the first
	b1, err := im.Finish(false)
	if err != nil {
		t.Fatal(err)
	}
	b2 := <-done
	if b1.Added != 1 || b2.Changed != 1 {
		t.Errorf("first %+v, second %+v: want the second to see the first's figure and change it", b1, b2)
	}
	if len(waiting) != 0 {
		t.Errorf("Waiting called %d more times, want once", len(waiting))
	}
}

// TestReadsDoNotWait: a read runs while an import holds the write lock,
// and does not see the import's figures before it commits.
func TestReadsDoNotWait(t *testing.T) {
	ctx := context.Background()
	db := create(t, pgtest.URL(t))
	im, err := db.BeginImport(ctx, indicators.Batch{File: "a.csv", SHA256: "sha-a"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := im.Add(figure("2021Q1", 10, 2)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.CountMeasurements(ctx, engine.MeasurementFilter{}); err != nil || n != 0 {
		t.Errorf("during the import: %d figures, %v; want 0", n, err)
	}
	if _, err := im.Finish(false); err != nil {
		t.Fatal(err)
	}
	if n, err := db.CountMeasurements(ctx, engine.MeasurementFilter{}); err != nil || n != 1 {
		t.Errorf("after the import: %d figures, %v; want 1", n, err)
	}
}

// TestCopyStaging: an import larger than one COPY batch stages every
// figure, and a rolled back one leaves nothing (not even its staging table).
func TestCopyStaging(t *testing.T) {
	ctx := context.Background()
	db := create(t, pgtest.URL(t))
	var figs []indicators.Measurement
	n := 0
	for y := 2021; y <= 2022; y++ {
		for d := 0; d < 365 && n < 3*copyChunk*copyAhead+500; d++ {
			day := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
			if day.Year() != y {
				break
			}
			v := float64(n)
			p := indicators.Day(day)
			for i := 0; i < 10 && n < 3*copyChunk*copyAhead+500; i++ {
				figs = append(figs, indicators.Measurement{Indicator: "1.1.1", Period: p, Value: &v,
					Dims: indicators.Disagg{"site": string(rune('a' + i))}, Loc: indicators.Loc{File: "big.csv", Row: n + 2}})
				n++
			}
		}
	}
	im, err := db.BeginImport(ctx, indicators.Batch{File: "big.csv", SHA256: "x"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range figs {
		if err := im.Add(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Rollback(); err != nil {
		t.Fatal(err)
	}
	if c, err := db.CountMeasurements(ctx, engine.MeasurementFilter{}); err != nil || c != 0 {
		t.Fatalf("after a rollback: %d figures, %v", c, err)
	}
	b := importFigures(t, db, "big.csv", figs...)
	if b.Added != len(figs) {
		t.Errorf("added %d of %d figures", b.Added, len(figs))
	}
	if c, err := db.CountMeasurements(ctx, engine.MeasurementFilter{}); err != nil || c != len(figs) {
		t.Errorf("stored %d of %d figures, %v", c, len(figs), err)
	}
}

// TestPath: the database is named by its URL with the project and other
// parameters, without the password.
func TestPath(t *testing.T) {
	server := pgtest.Server(t)
	code := pgtest.Project(t)
	url := pgtest.WithProject(t, withQuery(server, "application_name=rmf-test"), code)
	db := create(t, url)
	if p := db.Path(); !strings.Contains(p, "project="+code) || !strings.Contains(p, "application_name=rmf-test") || strings.Count(p, "?") != 1 {
		t.Errorf("Path() = %q, want the URL with application_name and project", p)
	}
}

// TestWaitHonoursContext: a writer waiting for the write lock stops when
// its context ends.
func TestWaitHonoursContext(t *testing.T) {
	url := pgtest.URL(t)
	db := create(t, url)
	im, err := db.BeginImport(context.Background(), indicators.Batch{File: "a.csv", SHA256: "sha-a"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db.Waiting = cancel // stop as soon as it has to wait
	p, _ := indicators.ParsePeriod("2021Q1")
	if _, err := db.Lock(ctx, p, "", "ana", false); !errors.Is(err, context.Canceled) {
		t.Errorf("a write waiting for an import, its context cancelled: %v, want context.Canceled", err)
	}
	db.Waiting = nil
	if _, err := im.Finish(false); err != nil {
		t.Errorf("the import after the cancelled writer: %v", err)
	}
}

// TestSyncIdentities: after rows were inserted with their ids (as a copy
// does), new rows get ids past them.
func TestSyncIdentities(t *testing.T) {
	ctx := context.Background()
	db := create(t, pgtest.URL(t))
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO imports (id, file, sha256, kind, imported_at) VALUES (41, 'old.csv', 'x', 'measurements', '2021-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if err := SyncIdentities(ctx, db); err != nil {
		t.Fatal(err)
	}
	b := importFigures(t, db, "a.csv", figure("2021Q1", 10, 2))
	if b.ID != 42 {
		t.Errorf("import after a copied id 41: id %d, want 42", b.ID)
	}
}

// TestTextPostgresCannotStore: a figure whose text is not UTF-8 or holds a
// NUL byte is refused naming where it was read, and nothing is stored.
func TestTextPostgresCannotStore(t *testing.T) {
	ctx := context.Background()
	db := create(t, pgtest.URL(t))
	for _, text := range []string{"caf\xe9", "a\x00b"} {
		m := figure("2021Q1", 1, 7)
		m.Comment = text
		im, err := db.BeginImport(ctx, indicators.Batch{File: "q.csv", SHA256: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if err := im.Add(figure("2021Q2", 2, 8)); err != nil {
			t.Fatal(err)
		}
		err = im.Add(m)
		if !errors.Is(err, indicators.ErrInvalid) || !strings.Contains(err.Error(), "row 7") || !strings.Contains(err.Error(), "comment") {
			t.Errorf("comment %q: %v, want an invalid-value error naming row 7 and the comment", text, err)
		}
		// An importer that went on: Finish refuses the whole file.
		if _, err := im.Finish(false); err == nil {
			t.Errorf("comment %q: Finish after the refused figure: no error", text)
		}
		im.Rollback()
	}
	if n, err := db.CountMeasurements(ctx, engine.MeasurementFilter{}); err != nil || n != 0 {
		t.Errorf("%d figures stored, %v", n, err)
	}
}

// TestCreateAtConcurrently: two processes creating the same project at
// once: one creates it, the other opens it.
func TestCreateAtConcurrently(t *testing.T) {
	url := pgtest.URL(t)
	type result struct {
		db      *DB
		created bool
		err     error
	}
	results := make(chan result, 2)
	for range 2 {
		go func() {
			db, created, err := CreateAt(context.Background(), url, nil)
			results <- result{db, created, err}
		}()
	}
	created := 0
	for range 2 {
		r := <-results
		if r.err != nil {
			t.Error(r.err)
			continue
		}
		defer r.db.Close()
		if r.created {
			created++
		}
	}
	if created != 1 {
		t.Errorf("%d of 2 concurrent CreateAt created the project, want 1", created)
	}
}

// Drop removes a project's schema and its registry row together: the
// listing no longer has it, opening it says it does not exist, the other
// project keeps its figures, and dropping it again is not an error.
func TestDrop(t *testing.T) {
	ctx := context.Background()
	server := pgtest.Server(t)
	codeA, codeB := pgtest.Project(t), pgtest.Project(t)
	urlA, urlB := pgtest.WithProject(t, server, codeA), pgtest.WithProject(t, server, codeB)
	a := create(t, urlA)
	b := create(t, urlB)
	importFigures(t, a, "a.csv", figure("2021Q1", 10, 2))
	importFigures(t, b, "b.csv", figure("2021Q1", 99, 2))
	a.Close()
	if err := Drop(ctx, urlA); err != nil {
		t.Fatalf("Drop: %v", err)
	}
	ps, err := Projects(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Code == codeA {
			t.Errorf("Projects still lists %s after Drop", codeA)
		}
	}
	var n int
	if err := b.SQL().QueryRowContext(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname = $1`, SchemaName(codeA)).Scan(&n); err != nil || n != 0 {
		t.Errorf("schema %s: %d left, %v; want it dropped", SchemaName(codeA), n, err)
	}
	if _, err := OpenAt(ctx, urlA, nil); !errors.Is(err, indicators.ErrUnknownCode) {
		t.Errorf("OpenAt after Drop: %v, want it to say the project does not exist", err)
	}
	if figs, err := b.Measurements(ctx, engine.MeasurementFilter{}); err != nil || len(figs) != 1 || *figs[0].Value != 99 {
		t.Errorf("the other project after Drop: %v, %v; want its one figure 99", figs, err)
	}
	if err := Drop(ctx, urlA); err != nil {
		t.Errorf("Drop of a project that is gone: %v, want nil", err)
	}
}

// Redact hides every password of a database URL, in both places libpq
// reads one, and in URLs that do not parse.
func TestRedact(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"postgres://rmf@h/db?project=A", "postgres://rmf@h/db?project=A"},
		{"postgres://rmf:secret@h/db?project=A", "postgres://rmf:xxxxx@h/db?project=A"},
		{"postgres://rmf@h/db?project=A&password=secret", "postgres://rmf@h/db?password=xxxxx&project=A"},
		{"postgres://rmf@h/db?PASSWORD=secret", "postgres://rmf@h/db?PASSWORD=xxxxx"},
		{"postgres://rmf:secret@h/db?a=%zz&password=secret", "postgres://rmf:xxxxx@h/db?a=%zz&password=xxxxx"},
		{"postgres://rmf:sec ret@h:bad/db?password=secret&x=1", "postgres://rmf:xxxxx@h:bad/db?password=xxxxx&x=1"},
	} {
		got := Redact(tt.in)
		if got != tt.want || strings.Contains(got, "secret") {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// DropIfEmpty drops a project that holds nothing and leaves one that
// holds a framework and a figure (what someone wrote into it is never lost).
func TestDropIfEmpty(t *testing.T) {
	ctx := context.Background()
	server := pgtest.Server(t)
	urlEmpty, urlFull := pgtest.WithProject(t, server, pgtest.Project(t)), pgtest.WithProject(t, server, pgtest.Project(t))
	empty, _, err := CreateAt(ctx, urlEmpty, testClock()) // no framework: nothing but its migrations
	if err != nil {
		t.Fatal(err)
	}
	empty.Close()
	full := create(t, urlFull) // with a framework
	importFigures(t, full, "a.csv", figure("2021Q1", 10, 2))
	full.Close()
	if dropped, err := DropIfEmpty(ctx, urlFull); err != nil || dropped {
		t.Errorf("DropIfEmpty of a project with a figure: %v, %v; want it left", dropped, err)
	}
	if db, err := OpenAt(ctx, urlFull, nil); err != nil {
		t.Errorf("the project with a figure after DropIfEmpty: %v", err)
	} else {
		db.Close()
	}
	if dropped, err := DropIfEmpty(ctx, urlEmpty); err != nil || !dropped {
		t.Errorf("DropIfEmpty of an empty project: %v, %v; want it dropped", dropped, err)
	}
	if _, err := OpenAt(ctx, urlEmpty, nil); !errors.Is(err, indicators.ErrUnknownCode) {
		t.Errorf("OpenAt after DropIfEmpty: %v, want it to say the project does not exist", err)
	}
}

// Projects reads each project's title and current figures as its tables
// stand and never migrates one: a project whose schema is behind this
// rmf (here: its last migration's record removed) stays behind.
func TestProjectsDoNotMigrate(t *testing.T) {
	ctx := context.Background()
	server := pgtest.Server(t)
	code := pgtest.Project(t)
	db := create(t, pgtest.WithProject(t, server, code))
	importFigures(t, db, "a.csv", figure("2021Q1", 10, 2), figure("2021Q2", 20, 3))
	count := func() (n int) {
		t.Helper()
		if err := db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if _, err := db.SQL().ExecContext(ctx, `DELETE FROM migrations WHERE name = (SELECT max(name) FROM migrations)`); err != nil {
		t.Fatal(err)
	}
	ps, err := Projects(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	var got *Project
	for i := range ps {
		if ps[i].Code == code {
			got = &ps[i]
		}
	}
	if got == nil || got.Err != nil || !got.HasFramework || got.Title == "" || got.Figures != 2 {
		t.Errorf("Projects: %+v, want %s with its title and 2 current figures", got, code)
	}
	if n := count(); n != before-1 {
		t.Errorf("migrations recorded after Projects: %d, want %d (the listing migrated the project)", n, before-1)
	}
}

// A code that differs from an existing project's only in case names that
// project's schema: opening it says which code to write, rather than
// sending the officer to rmf init (which would refuse it).
func TestOpenCodeDifferingInCase(t *testing.T) {
	ctx := context.Background()
	server := pgtest.Server(t)
	code := pgtest.Project(t) // T-XXXX: upper case
	create(t, pgtest.WithProject(t, server, code))
	other := strings.ToLower(code)
	_, err := OpenAt(ctx, pgtest.WithProject(t, server, other), nil)
	if err == nil || !errors.Is(err, indicators.ErrUnknownCode) || !strings.Contains(err.Error(), "but project "+code+" does") || !strings.Contains(err.Error(), "write project="+code) {
		t.Errorf("OpenAt(project=%s) beside %s: %v, want it to name %s", other, code, err, code)
	}
}
