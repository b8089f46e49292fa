package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
)

// testUsers runs the users, sessions and uploads of rmf serve (engine.Users,
// engine.Site) over a store that keeps users; a store that does not is
// skipped (rmf serve refuses it).
func testUsers(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore, true)
	if _, ok := f.s.(engine.Users); !ok {
		t.Skip("the store keeps no users (engine.Users)")
	}
	ctx := f.ctx
	site, err := f.e.Site()
	if err != nil {
		t.Fatal(err)
	}

	// Adding: a partner's responsible must be one the framework names
	// (1.1.1's "Amani Trust", compared without case); roles are known ones.
	if err := f.e.AddUser(ctx, engine.User{Name: "olivia", Role: engine.RoleOfficer}, "hash-o"); err != nil {
		t.Fatal(err)
	}
	if err := f.e.AddUser(ctx, engine.User{Name: "amani", Role: engine.RolePartner, Responsible: " amani trust "}, "hash-a"); err != nil {
		t.Fatal(err)
	}
	if err := f.e.AddUser(ctx, engine.User{Name: "zed", Role: engine.RolePartner, Responsible: "Nobody"}, "h"); err == nil || !strings.Contains(err.Error(), "Amani Trust") {
		t.Errorf("a partner of a responsible no indicator names: %v, want an error listing Amani Trust", err)
	}
	var ae *engine.ArgError
	if err := f.e.AddUser(ctx, engine.User{Name: "zed", Role: "admin"}, "h"); !errors.As(err, &ae) || ae.Arg != "role" {
		t.Errorf("an unknown role: %v, want an ArgError on role", err)
	}
	if err := f.e.AddUser(ctx, engine.User{Name: "olivia", Role: engine.RoleViewer}, "h"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("the same name twice: %v, want %q", err, "already exists")
	}
	us, err := f.e.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || us[0].Name != "amani" || us[1].Name != "olivia" || us[0].Responsible != "amani trust" || !us[0].Created.Equal(f.now) {
		t.Errorf("users = %+v, want amani (responsible trimmed, created now) then olivia", us)
	}
	if u, hash, err := site.UserPassword(ctx, "amani"); err != nil || hash != "hash-a" || u.Role != engine.RolePartner {
		t.Errorf("UserPassword(amani) = %+v, %q, %v", u, hash, err)
	}
	if _, _, err := site.UserPassword(ctx, "nobody"); !errors.Is(err, engine.ErrNoUser) {
		t.Errorf("UserPassword(nobody): %v, want ErrNoUser", err)
	}

	// Sessions: saved, read back, ended; an expired one goes at the next save.
	exp := f.now.Add(time.Hour)
	if err := site.SaveSession(ctx, "tok-a", "amani", "csrf-a", exp); err != nil {
		t.Fatal(err)
	}
	u, csrf, got, err := site.Session(ctx, "tok-a")
	if err != nil || u.Name != "amani" || u.Responsible != "amani trust" || csrf != "csrf-a" || !got.Equal(exp) {
		t.Errorf("Session(tok-a) = %+v, %q, %v, %v", u, csrf, got, err)
	}
	f.now = f.now.Add(2 * time.Hour)
	if err := site.SaveSession(ctx, "tok-o", "olivia", "csrf-o", f.now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := site.Session(ctx, "tok-a"); !errors.Is(err, engine.ErrNoUser) {
		t.Errorf("an expired session after the next save: %v, want ErrNoUser (deleted)", err)
	}
	if err := site.SaveSession(ctx, "tok-a2", "amani", "c", f.now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := site.DeleteSession(ctx, "tok-a2"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := site.Session(ctx, "tok-a2"); !errors.Is(err, engine.ErrNoUser) {
		t.Errorf("a deleted session: %v, want ErrNoUser", err)
	}

	// Uploads: the dry run lists old -> new and writes nothing; the import
	// records the uploader and the cached report follows the new figure.
	f.mustImport(f.csv("q1.csv", "1.1.1,2021Q1,10"), engine.ImportOptions{})
	if r := reportActual(t, site, "2021Q1", "1.1.1"); r != 10 {
		t.Errorf("2021Q1 actual = %v, want 10", r)
	}
	file := f.csv("q1b.csv", "1.1.1,2021Q1,12", "1.1.1,2021Q2,5")
	before, _ := f.e.Imports(ctx)
	pv, err := site.DryRun(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	// Row 2 changes 10 -> 12, row 3 adds 5 (rows counted with the header).
	if len(pv.Problems) != 0 || pv.Added != 1 || pv.Changed != 1 || len(pv.Changes) != 2 ||
		pv.Changes[0] != (engine.Change{Indicator: "1.1.1", Period: "2021Q1", Old: "10", New: "12", Row: 2}) ||
		pv.Changes[1].Old != "" || pv.Changes[1].New != "5" || pv.Changes[1].Row != 3 {
		t.Errorf("dry run = %+v", pv)
	}
	if after, _ := f.e.Imports(ctx); len(after) != len(before) {
		t.Errorf("the dry run wrote an import: %d -> %d", len(before), len(after))
	}
	f.tick()
	b, err := site.Import(ctx, file, "amani")
	if err != nil || b.ID == 0 {
		t.Fatalf("Import = %+v, %v", b, err)
	}
	if r := reportActual(t, site, "2021Q1", "1.1.1"); r != 12 {
		t.Errorf("2021Q1 actual after the upload = %v, want 12 (the cache dropped)", r)
	}
	revs, err := site.History(ctx, "1.1.1")
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]int{}
	for _, r := range revs {
		by[r.ImportedBy]++
	}
	// 2021Q1: 10 from the engine (no uploader), 12 and 2021Q2's 5 from amani.
	if by[""] != 1 || by["amani"] != 2 {
		t.Errorf("revisions by uploader = %v, want 1 without one and 2 by amani", by)
	}

	// Removing a user ends their sessions.
	if err := f.e.RemoveUser(ctx, "olivia"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := site.Session(ctx, "tok-o"); !errors.Is(err, engine.ErrNoUser) {
		t.Errorf("the session of a removed user: %v, want ErrNoUser", err)
	}
	if err := f.e.RemoveUser(ctx, "olivia"); !errors.Is(err, engine.ErrNoUser) {
		t.Errorf("removing a removed user: %v, want ErrNoUser", err)
	}
}

func reportActual(t *testing.T, site *engine.Site, period, code string) float64 {
	t.Helper()
	r, err := site.Report(context.Background(), period)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range r.Results {
		for _, ind := range res.Indicators {
			if ind.Code == code && ind.Actual != nil {
				return *ind.Actual
			}
		}
	}
	t.Fatalf("report %s: no actual of %s", period, code)
	return 0
}
