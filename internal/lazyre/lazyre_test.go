package lazyre

import "testing"

func TestRegexpCompilesOnFirstUse(t *testing.T) {
	r := New(`^a(b+)$`)
	if r.re != nil {
		t.Fatal("compiled before first use")
	}
	if got := r.FindStringSubmatch("abb"); len(got) != 2 || got[1] != "bb" {
		t.Fatalf("FindStringSubmatch = %q", got)
	}
	if r.MatchString("ac") {
		t.Fatal("matched ac")
	}
}
