package events

import (
	"reflect"
	"testing"

	"github.com/stepform/stepform/schema"
)

func TestCommonPrefix(t *testing.T) {
	for _, tc := range []struct {
		groups []string
		want   string
	}{
		{[]string{"/aws/lambda/a-log"}, "/aws/lambda/a-log"},
		{[]string{"/aws/lambda/a-log", "/aws/lambda/a-other"}, "/aws/lambda/a-*"},
		{[]string{"/aws/lambda/a", "/aws/lambda/a"}, "/aws/lambda/a*"},
		{[]string{"/x/*", "/x/*"}, "/x/*"}, // already ends in *
		{[]string{"/long/name", "/lo"}, "/lo*"},
	} {
		if got := commonPrefix(tc.groups); got != tc.want {
			t.Errorf("commonPrefix(%q) = %q, want %q", tc.groups, got, tc.want)
		}
	}
}

func TestRuleNames(t *testing.T) {
	if got := ruleNameFor("svc-dev-fn", 3); got != "svc-dev-fn-rule-3" {
		t.Errorf("short rule name: %q", got)
	}
	long := "fn-eb-a-deployed-name-that-makes-the-rule-name-over-sixty-four"
	// The framework's makeAndHashRuleName gives this for the oracle fixture
	// function_events_eventbridge.
	if got, want := ruleNameFor(long, 1), "fn-eb-a-deployed-name-tha8831129a7f8a045e887fa3e0ac95de6b-rule-1"; got != want {
		t.Errorf("hashed rule name: %q, want %q", got, want)
	}
	if got := targetID("r"); got != "r-target" {
		t.Errorf("targetID: %q", got)
	}
	if got := targetID(long); len(got) > 64 || got[len(got)-7:] != "-target" {
		t.Errorf("hashed target ID %q", got)
	}
}

func TestReadJSONText(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:         "plain",
		`a\nb`:          "a\nb",
		`{\"k\":\"v\"}`: `{"k":"v"}`,
	} {
		if got, ok := readJSONText(in); !ok || got != want {
			t.Errorf("readJSONText(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{`"`, `\`, `\q`} {
		if _, ok := readJSONText(bad); ok {
			t.Errorf("readJSONText(%q) succeeded; JSON.parse fails on it", bad)
		}
	}
}

func TestUnescapeOnce(t *testing.T) {
	if got := unescapeOnce(`{ $.m = \"hi\" } \\ \' \n`); got != `{ $.m = "hi" } \ ' \n` {
		t.Errorf("unescapeOnce: %q", got)
	}
}

// TestMergeValue pins lodash's merge: objects deeply, arrays index by
// index, the source winning for scalars.
func TestMergeValue(t *testing.T) {
	dst := map[string]any{"DependsOn": []any{"Role", "Alias"}, "Properties": map[string]any{"BatchSize": 10, "Enabled": true}}
	src := map[string]any{"DependsOn": []any{"Role"}, "Properties": map[string]any{"BatchSize": 7}}
	want := map[string]any{"DependsOn": []any{"Role", "Alias"}, "Properties": map[string]any{"BatchSize": 7, "Enabled": true}}
	if got := mergeValue(dst, src); !reflect.DeepEqual(got, want) {
		t.Errorf("mergeValue = %v, want %v", got, want)
	}
	longer := mergeValue([]any{"a"}, []any{"b", "c"})
	if !reflect.DeepEqual(longer, []any{"b", "c"}) {
		t.Errorf("array merge: %v", longer)
	}
}

func TestAlnum(t *testing.T) {
	if got := alnum("fn-s3.audit-log"); got != "Fns3auditlog" {
		t.Errorf("alnum: %q", got)
	}
}

// TestObjectKeyOrder: Object.keys lists integer-like keys first, in
// ascending order, then the others as written ("01" and 4294967295 are
// not array indices).
func TestObjectKeyOrder(t *testing.T) {
	var pairs []schema.Pair
	for _, k := range []string{"b", "10", "a", "2", "01", "4294967295"} {
		pairs = append(pairs, schema.Pair{Key: k})
	}
	var got []string
	for _, p := range objectKeyOrder(pairs) {
		got = append(got, p.Key)
	}
	if want := []string{"2", "10", "b", "a", "01", "4294967295"}; !reflect.DeepEqual(got, want) {
		t.Errorf("objectKeyOrder = %q, want %q", got, want)
	}
}

// TestMergeJSKeepsOrder: merging ordered objects keeps existing keys in
// place, appends new ones and merges arrays index by index, as lodash's
// _.merge does; stringifyJS writes them in that order.
func TestMergeJSKeepsOrder(t *testing.T) {
	dst := jsObject{{"b", "1"}, {"a", []any{"x", "y"}}}
	src := jsObject{{"c", true}, {"a", []any{"z"}}, {"b", jsObject{{"k", "v"}}}}
	got := stringifyJS(mergeJS(dst, src))
	if want := `{"b":{"k":"v"},"a":["z","y"],"c":true}`; got != want {
		t.Errorf("merged %s, want %s", got, want)
	}
}
