package schema

import (
	"strings"
	"testing"
)

// TestYAMLErrorPositions pins, for each kind of YAML error, the line and
// column of the offending text: the library names no line for some and
// the enclosing block's first line for others.
func TestYAMLErrorPositions(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"undefined alias", "a: 1\nb:\n  c: *missing\n", "3:6"},
		{"undefined alias on line 1", "a: *x\n", "1:4"},
		{"undefined alias after a longer one", "a: &xy 1\nb: *xy\nc: [*x]\n", "3:5"},
		{"YAML 2.0", "%YAML 2.0\n---\na: 1\n", "1:9"},
		{"unknown directive", "a: 1\n...\n%FOO\n---\nb: 1\n", ""},
		{"NUL", "a: 1\nb: x\x00y\n", "2:5"},
		{"Latin-1", "a: 1\nb: caf\xe9\n", "2:7"},
		{"control character", "a: 1\n\nb: \x07\n", "3:4"},
		{"DEL", "a: 1\nb: x\x7f\n", "2:5"},
		{"UTF-16 without BOM", "a\x00:\x00 \x001\x00\n\x00", "1:2"},
		{"C1 control", "a: 1\nb: x\u0085y\u0090\n", "2:7"},
		{"entry in a mapping", "a:\n  b: 1\n  c: 2\n  d: 3\n  - x\n", "5:3"},
		{"bad indentation", "a:\n  b: 1\n  c: 2\n d: 3\n", "4:2"},
		{"key after block scalar", "a: |\n  x\n b\n", "3:2"},
		{"key in a list", "a:\n  - b\n  c: d\n", "3:3"},
		{"unclosed flow sequence", "a:\n  b: [1,\n  c: 2\n", "2:6"},
		{"unclosed flow sequence on line 1", "a: [1, 2\nb: 3", "1:4"},
		{"unclosed flow mapping", "a: 1\nb: {c: \"[\", d: [e]\nf: 2\n", "2:4"},
		{"unclosed quote", "a:\n  b: 'x\n  c: 2\n", "2:6"},
		{"nested mapping value", "a:\n  b: x: y\n", "2:7"},
		{"tab indentation", "a:\n\tb: 1\n", "2:1"},
		{"reserved indicator", "a: @x\n", "1:4"},
		{"unclosed verbatim tag", "a: !<tag 1\n", "1:6"},
		{"unknown escape", "a: 1\nb: \"\\q\"\n", "2:5"},
		{"extra bracket", "a: [1, 2]]\n", "1:10"},
		{"missing colon", "? a\n? b\nc\n", "3:1"},
		{"more indented key", "key: value\n  other: 1\n", "2:8"},
	} {
		_, d := ParseYAML("f.yml", []byte(tc.text))
		if len(d) != 1 || d[0].Summary != "YAML syntax error" {
			t.Errorf("%s: %v, want one YAML syntax error", tc.name, d)
			continue
		}
		if tc.want == "" {
			tc.want = "3:2"
		}
		if got := d[0].Pos.String(); got != "f.yml:"+tc.want {
			t.Errorf("%s: at %s, want f.yml:%s (%s)", tc.name, got, tc.want, d[0].Detail)
		}
	}
}

func TestYAMLByteErrorsSayWhy(t *testing.T) {
	for text, want := range map[string]string{
		"a: caf\xe9\n":     "Byte 0xE9 is not UTF-8 (Latin-1?); save the file as UTF-8.",
		"a\x00:\x00\n\x00": "The file looks like UTF-16 without a byte order mark; save it as UTF-8.",
		"a: \x01\n":        "Character U+0001 is a control character, which YAML does not allow; remove it.",
	} {
		_, d := ParseYAML("f.yml", []byte(text))
		if len(d) != 1 || !strings.HasSuffix(d[0].Detail, want) {
			t.Errorf("%q: %v, want detail ending %q", text, d, want)
		}
	}
}

// TestYAMLErrorPositionsInLargeFiles pins what a text too large to re-parse
// still gets: a line for an error on line 1, the alias, the bad byte.
func TestYAMLErrorPositionsInLargeFiles(t *testing.T) {
	long := strings.Repeat("x", maxRefineSize)
	for _, tc := range []struct{ name, text, want string }{
		{"first line", "a: " + long + " b: c\n", "f.yml:1"},
		{"undefined alias", "a: " + long + "\nb: *nope\n", "f.yml:2:4"},
		{"NUL", "a: " + long + "\nb: \x00\n", "f.yml:2:4"},
	} {
		_, d := ParseYAML("f.yml", []byte(tc.text))
		if len(d) != 1 || d[0].Pos.String() != tc.want {
			t.Errorf("%s: %v, want one error at %s", tc.name, d, tc.want)
		}
	}
}
