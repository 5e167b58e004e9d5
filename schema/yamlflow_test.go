package schema

import (
	"strings"
	"testing"
)

// TestFlowQuestionMarksAsJSYAML reads "?" inside flow collections as
// js-yaml 4 (the framework's parser) does. Each want is what js-yaml
// 4.1's load returned for the text, rendered as render does; "error" where
// js-yaml throws. yaml.v3 alone rejects most of these or, for [x, ?y],
// reads a mapping.
func TestFlowQuestionMarksAsJSYAML(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"rate: [cron(0 8 * * ? *)]", "{rate:['cron(0 8 * * ? *)']}"},
		{"a: [cron(0 8 ? * MON *)]", "{a:['cron(0 8 ? * MON *)']}"},
		{"a: {k: cron(0 8 * * ? *)}", "{a:{k:'cron(0 8 * * ? *)'}}"},
		{"a: [x ? y]", "{a:['x ? y']}"},
		{"a: [a?b, ?c]", "{a:['a?b','?c']}"},
		{"a: [x, ?y]", "{a:['x','?y']}"},
		{"a: [x ?]", "{a:['x ?']}"},
		{"a: [x ?, y]", "{a:['x ?','y']}"},
		{"a: {k: a ? b}", "{a:{k:'a ? b'}}"},
		{"a: {k: ?x}", "{a:{k:'?x'}}"},
		{"a: [k: a?]", "{a:[{k:'a?'}]}"},
		{"a: [?x: 1]", "{a:[{?x:1}]}"},
		{"a: {a?b: c}", "{a:{a?b:'c'}}"},
		{"a: [1?2]", "{a:['1?2']}"}, // a string, not 12 (js-yaml reads 1_2 as 12)
		{"a: [x\n  ? y]", "{a:['x ? y']}"},
		{"a: [é ? b]", "{a:['é ? b']}"},
		{"a: [x #?\n  , y]", "{a:['x','y']}"},
		{"a: [\"?\", '? x']", "{a:['?','? x']}"},
		// An explicit key: "?" starting an entry, then a space.
		{"a: [? x]", "{a:[{x:null}]}"},
		{"a: [ ?\tx]", "{a:[{x:null}]}"},
		{"a: [x, ? y: z]", "{a:['x',{y:'z'}]}"},
		{"a: {? k: v}", "{a:{k:'v'}}"},
		{"a: [? x ? y]", "{a:[{x ? y:null}]}"},
		{"a: [!Sub x?y]", "{a:[{Fn::Sub:'x?y'}]}"},
		{"a: [&k x?y, *k]", "{a:['x?y','x?y']}"},
		// Block scalars and quoted text are left alone.
		{"a: |\n  [x ? y]\nb: [c?]", "{a:'[x ? y]\n',b:['c?']}"},
		{"a: 'it''s [?'\nb: [?z]", "{a:'it's [?',b:['?z']}"},
		{"a: [?]", "error"},
		{"a: [a, ?]", "error"},
		{"a: {k: ? x}", "error"},
		{"a: [?x ?y, ?]", "error"},
	} {
		n, diags := ParseYAML("f.yml", []byte(tc.text))
		got := "error"
		if !diags.HasErrors() {
			got = render(n)
		}
		if got != tc.want {
			t.Errorf("%q: got %s, want %s (%v)", tc.text, got, tc.want, diags)
		}
	}
}

// TestFlowQuestionMarkKeepsColumns: the masked text keeps every column, so
// a later finding on the line points where it did.
func TestFlowQuestionMarkKeepsColumns(t *testing.T) {
	n, diags := ParseYAML("f.yml", []byte("a: [x ? y, !Bogus z]\n"))
	if len(diags) != 1 || diags[0].Pos.Line != 1 || diags[0].Pos.Col != 12 || !strings.Contains(diags[0].Summary, "unknown tag") {
		t.Fatalf("diags %v", diags)
	}
	if got := render(n); got != "{a:['x ? y',null]}" {
		t.Errorf("got %s", got)
	}
}

// TestFlowQuestionMarkErrorSaysQuote: what cannot be read as js-yaml
// reads it says to quote the value.
func TestFlowQuestionMarkErrorSaysQuote(t *testing.T) {
	_, diags := ParseYAML("f.yml", []byte("a: [?x ?y, ?]\n"))
	if len(diags) != 1 || diags[0].Summary != "YAML syntax error" || diags[0].Pos.Line != 1 || !strings.Contains(diags[0].Detail, "quoted") {
		t.Fatalf("diags %v", diags)
	}
}
