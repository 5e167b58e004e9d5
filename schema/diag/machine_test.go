package diag

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestEnd(t *testing.T) {
	src := []byte("key: plain value # comment\n" +
		"list: [a, 'b c', \"d\\\"e\"]\n" +
		"map: {k: v}\n" +
		"url: arn:aws:sns:x:1:t\n" +
		"block: |\n" +
		"quoted: 'it''s'\n" +
		"ünï: x\n")
	sources := func(string) []byte { return src }
	for _, tc := range []struct {
		line, col, end int // end 0: unknown
	}{
		{1, 1, 4},   // key up to its colon
		{1, 6, 17},  // plain scalar up to the comment
		{2, 7, 0},   // a flow list
		{2, 8, 9},   // a in a flow list
		{2, 11, 16}, // 'b c'
		{2, 18, 24}, // "d\"e"
		{3, 7, 8},   // a key in a flow map
		{3, 10, 11}, // v before }
		{4, 6, 23},  // colons inside a scalar
		{5, 8, 0},   // a block scalar
		{6, 9, 16},  // '' inside single quotes
		{7, 1, 4},   // characters, not bytes
		{9, 1, 0},   // past the end of the file
	} {
		end, ok := End(sources, Pos{File: "f", Line: tc.line, Col: tc.col})
		if got := map[bool]int{true: end.Col, false: 0}[ok]; got != tc.end || ok && end.Line != tc.line {
			t.Errorf("End(%d:%d) = %v %v, want column %d", tc.line, tc.col, end, ok, tc.end)
		}
	}
}

func TestWriteJSONOmitsUnknownParts(t *testing.T) {
	var l List
	l.Errorf(Pos{}, "internal error", "boom")
	l.Warnf(Pos{File: "serverless.yml", Line: 3}, "YAML syntax error", "")
	var b bytes.Buffer
	if err := WriteJSON(&b, l, nil); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0]) != 4 || got[0]["code"] != "SF9999" || got[1]["line"] != 3.0 || got[1]["column"] != nil || got[1]["end"] != nil {
		t.Errorf("got %s", b.String())
	}
}
