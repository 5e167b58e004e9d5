package packaging

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestSelectionAgainstOracle compares selectFiles with the framework's own
// globby + micromatch selection (tools/oracle/select-files.js) on random
// trees and pattern lists. It needs Node and the oracle's node_modules, so
// it runs only with STEPFORM_ORACLE_CASES=<number of cases> (CI never sets
// it). 600 cases passed when it was written.
func TestSelectionAgainstOracle(t *testing.T) {
	cases, _ := strconv.Atoi(os.Getenv("STEPFORM_ORACLE_CASES"))
	if cases <= 0 {
		t.Skip("set STEPFORM_ORACLE_CASES to run against the oracle (needs Node)")
	}
	script, err := filepath.Abs("../tools/oracle/select-files.js")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(cases), 99))
	names := []string{"a", "b", ".h", "node_modules", "src", "x.js", "y.txt", "A.js", "_u.js", "lib-x.js", "lib.x.js", "lib_x.js", "test", ".env", "z.md"}
	pats := []string{"**", "*", "*.js", "**/*.js", "src/**", "!src/**", "!**/*.txt", "a/*", "!a/*", "!a", "a", "*/b", "!*/b", "**/b", "!**/test/**", "node_modules/**", "!node_modules/**", "node_modules/a/**", "{a,b}/**", "!{a,src}/*.js", "**/.h/**", ".env*", "!.env*", "*.{js,md}", "a/**/x.js", "!b/**/*", "src/*/x.js", "[ab]/*", "x.js", "!x.js", "src", "!src"}
	for i := 0; i < cases; i++ {
		dir := t.TempDir()
		for f := 0; f < 25; f++ {
			p := names[rng.IntN(len(names))]
			for d := rng.IntN(4); d > 0; d-- {
				p += "/" + names[rng.IntN(len(names))]
			}
			full := filepath.Join(dir, p)
			if os.MkdirAll(filepath.Dir(full), 0o755) == nil {
				os.WriteFile(full, []byte(p), 0o644)
			}
		}
		var ps patternSet
		for n := rng.IntN(3); n > 0; n-- {
			ps.exclude = append(ps.exclude, pats[rng.IntN(len(pats))])
		}
		for n := rng.IntN(5); n > 0; n-- {
			ps.include = append(ps.include, pats[rng.IntN(len(pats))])
		}
		ps.exclude, ps.include = union(ps.exclude), union(ps.include)
		arg, _ := json.Marshal(map[string][]string{"exclude": ps.exclude, "include": ps.include})
		out, err := exec.Command("node", script, dir, string(arg)).Output()
		if err != nil {
			continue // fast-glob throws where a pattern walks into a file; so does the framework
		}
		var want []string
		if err := json.Unmarshal(out, &want); err != nil {
			t.Fatal(err)
		}
		got, err := selectFiles(os.DirFS(dir), "", ps)
		if err != nil && len(want) == 0 {
			continue
		}
		var gotNames []string
		for _, f := range got {
			gotNames = append(gotNames, f.path)
		}
		if !slices.Equal(gotNames, want) {
			t.Fatalf("patterns %s\nframework %v\n stepform %v (%v)", arg, want, gotNames, err)
		}
	}
}
