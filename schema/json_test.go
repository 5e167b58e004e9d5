package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseJSONValues(t *testing.T) {
	text := "{\n  \"path\": \"a\\/b\",\n  \"clef\": \"\\ud834\\udd1e\",\n  \"n\": [1, -2.5e3, 12345678901234567890, 1e400, true, null],\n  \"k\": 1,\n  \"z\": {},\n  \"k\": \"last\"\n}\n"
	n, d := ParseJSON("t.json", []byte(text))
	if d.HasErrors() {
		t.Fatal(d)
	}
	var keys []string
	for _, p := range n.Pairs {
		keys = append(keys, p.Key)
	}
	if got := strings.Join(keys, ","); got != "path,clef,n,k,z" {
		t.Errorf("keys = %s (a repeated key keeps its first place)", got)
	}
	if v := n.Get("path"); v.Value != "a/b" || v.Pos.Line != 2 || v.Pos.Col != 11 {
		t.Errorf("path = %q at %v", v.Value, v.Pos)
	}
	if v := n.Get("clef").Value; v != "\U0001D11E" {
		t.Errorf("surrogate pair = %q", v)
	}
	if p := n.Pair("k"); p.Value.Value != "last" || p.KeyPos.Line != 5 || p.KeyPos.Col != 3 {
		t.Errorf("k = %q at %v: JSON.parse keeps the last value", p.Value.Value, p.KeyPos)
	}
	var got []string
	for _, it := range n.Get("n").Items {
		got = append(got, it.Kind.String()+":"+it.Value)
	}
	if s := strings.Join(got, " "); s != "number:1 number:-2500 number:12345678901234567000 null: boolean:true null:" {
		t.Errorf("items = %s", s)
	}
	if v := n.Get("n").Items[2]; v.Pos.Line != 4 || v.Pos.Col != 20 {
		t.Errorf("number at %v", v.Pos)
	}
}

func TestParseJSONSyntaxErrorPositions(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"{\n  \"a\": 1,\n  \"b\": 2,\n}\n", "t.json:4:1: JSON syntax error"},
		{"{\n  \"a\": [1, 2\n  \"b\": 2\n}", "t.json:3:3: JSON syntax error"},
		{"{\"a\": tru}", "t.json:1:10: JSON syntax error"},
		{"{\"a\": 1}\n{\"b\": 2}", "t.json:2:1: unexpected text after the JSON value"},
		{"{\n  \"a\": [1,\n", "t.json:2:11: JSON syntax error"},
		{"", "t.json:1:1: JSON syntax error"},
		{"{\"a\": \"\\x\"}", "t.json:1:9: JSON syntax error"},
		{strings.Repeat("[", maxDepth+2) + strings.Repeat("]", maxDepth+2), "t.json:1:402: document nested too deeply"},
	} {
		_, d := ParseJSON("t.json", []byte(tc.text))
		if len(d) != 1 {
			t.Errorf("%q: %v, want one error", tc.text, d)
			continue
		}
		if got := d[0].Pos.String() + ": " + d[0].Summary; got != tc.want {
			t.Errorf("%q: %s (%s), want %s", tc.text, got, d[0].Detail, tc.want)
		}
	}
}

func TestParseJSONBoundsValues(t *testing.T) {
	_, d := ParseJSON("t.json", []byte("["+strings.Repeat("0,", MaxNodes)+"0]"))
	if len(d) != 1 || d[0].Summary != "too many values" {
		t.Errorf("got %v", d)
	}
}

// TestFileVariableReadsJSONAsJSON pins that ${file(x.json)} goes through
// the JSON reader: escapes YAML lacks work, and an error has a column.
func TestFileVariableReadsJSONAsJSON(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "serverless.yml")
	os.WriteFile(config, []byte("service: s\nprovider: {name: aws}\ncustom:\n  ok: ${file(./ok.json):v}\n  bad: ${file(./bad.json)}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "ok.json"), []byte(`{"v": "a\/b \ud834\udd1e"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{\n  \"a\": [1,\n    2,,\n  ]\n}\n"), 0o644)
	root, _ := ParseYAML(config, mustRead(t, config))
	_, d := ResolveVariables(root, config, Variables{ServiceDir: dir}, map[string][]byte{})
	if len(d) != 1 || d[0].Pos.String() != filepath.Join(dir, "bad.json")+":3:7" || d[0].Summary != "JSON syntax error" {
		t.Fatalf("want one JSON syntax error at bad.json:3:7, got %v", d)
	}
	root, _ = ParseYAML(config, []byte("ok: ${file(./ok.json):v}\n"))
	resolved, d := ResolveVariables(root, config, Variables{ServiceDir: dir}, map[string][]byte{})
	if d.HasErrors() || resolved.Get("ok").Value != "a/b \U0001D11E" {
		t.Fatalf("ok = %q, %v", resolved.Get("ok").Value, d)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestServerlessJSONIsJSON pins that a serverless.json configuration is
// read as JSON.
func TestServerlessJSONIsJSON(t *testing.T) {
	config := filepath.Join(t.TempDir(), "serverless.json")
	os.WriteFile(config, []byte("{\n  \"service\": \"s\",\n  \"provider\": {\"name\": \"aws\"},\n}\n"), 0o644)
	_, _, d := Load(LoadOptions{ConfigPath: config})
	if len(d) != 1 || d[0].Pos.String() != config+":4:1" || d[0].Summary != "JSON syntax error" {
		t.Errorf("want one JSON syntax error at line 4, got %v", d)
	}
}
