package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema/diag"
)

var update = flag.Bool("update", false, "rewrite the expected.txt golden files")

// readCase reads testdata/CASE/old.* or new.*.
func readCase(t *testing.T, dir, name string) map[string]any {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, name+".*"))
	if len(files) != 1 {
		t.Fatalf("%s: want one %s.json or %s.yml, have %v", dir, name, name, files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	doc, diags := Parse(files[0], data)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", files[0], diags)
	}
	return doc
}

// TestGolden compares each testdata/CASE/old.* with new.* and checks the
// report against CASE/expected.txt; each case also runs the other way
// round to check that the report is complete in both directions.
func TestGolden(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/*")
	if len(dirs) == 0 {
		t.Fatal("no cases")
	}
	if *update && os.Getenv("CI") != "" {
		t.Fatal("-update must not run in CI: golden files are reviewed, not regenerated")
	}
	for _, dir := range dirs {
		if filepath.Base(dir) == "fuzz" { // the fuzzer's corpus
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			old, new := readCase(t, dir, "old"), readCase(t, dir, "new")
			got := Compare(old, new).String()
			for i := 0; i < 5; i++ {
				if again := Compare(readCase(t, dir, "old"), readCase(t, dir, "new")).String(); again != got {
					t.Fatalf("two runs differ:\n%s\n---\n%s", got, again)
				}
			}
			golden := filepath.Join(dir, "expected.txt")
			if *update {
				os.WriteFile(golden, []byte(got), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./compiler/diff -update)", err)
			}
			if got != string(want) {
				t.Errorf("report differs from %s:\n%s", golden, got)
			}
			if Compare(old, old).Changed() || Compare(new, new).Changed() {
				t.Error("a template differs from itself")
			}
			if back := Compare(new, old); back.Changed() != Compare(old, new).Changed() {
				t.Error("the reverse comparison disagrees on whether there are differences")
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, text, want string
	}{
		{"trailing comma", "t.json", "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"X\",}\n  }\n}\n",
			"t.json:3:23: error: JSON syntax error"},
		{"unclosed", "t.json", "{\n  \"Resources\": {\n", "t.json:2:17: error: JSON syntax error"},
		{"text after", "t.json", "{\"Resources\": {}}\n}\n", "t.json:2:1: error: unexpected text after the JSON value"},
		{"json by content", "template", "  {\"Resources\": [1,}", "template:1:20: error: JSON syntax error"},
		{"a list", "t.yml", "- a\n- b\n", "t.yml:1:1: error: not a template"},
		{"yaml syntax", "t.yml", "Resources:\n  A: [\n", "t.yml:2:6: error: YAML syntax error"},
		{"empty", "t.json", "", "t.json:1:1: error: JSON syntax error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, diags := Parse(tc.file, []byte(tc.text))
			var b bytes.Buffer
			diag.Render(&b, diags, func(string) []byte { return []byte(tc.text) })
			if doc != nil || !diags.HasErrors() || !strings.Contains(b.String(), tc.want) {
				t.Errorf("got %v and:\n%s\nwant %q", doc, b.String(), tc.want)
			}
		})
	}
}

func TestUndoPlaceholders(t *testing.T) {
	vars := map[string]any{
		"a": map[string]any{"Ref": "X"},
		"n": map[string]any{"Ref": "Seconds"},
		"s": "plain",
	}
	for text, want := range map[string]string{
		`{"R": "${a}"}`:                   `{"R": {"Ref":"X"}}`,
		`{"Seconds": ${n}}`:               `{"Seconds": {"Ref":"Seconds"}}`,
		`{"R": "arn:${a}:${s}"}`:          `{"R": "arn:${!Ref X}:plain"}`,
		`{"R": "${AWS::Region}"}`:         `{"R": "${AWS::Region}"}`,
		`{"R": "\"${a}\""}`:               `{"R": "\"${!Ref X}\""}`,
		`{"R": "${!a}", "S": "${other}"}`: `{"R": "${!a}", "S": "${other}"}`,
		`{"R": "${a`:                      `{"R": "${a`,
	} {
		if got := undoPlaceholders(text, vars); got != want {
			t.Errorf("undoPlaceholders(%s) = %s, want %s", text, got, want)
		}
	}
}
