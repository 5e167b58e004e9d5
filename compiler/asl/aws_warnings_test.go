package asl

import "testing"

func TestLooksLikePath(t *testing.T) {
	for s, want := range map[string]bool{
		"$": true, "$$": true, "$.a": true, "$$.Execution.Id": true, "$[0]": true,
		"States.Format('{}', $.a)": true, "States.UUID()": true,
		"$USD": false, "$total": false, "$.a[": false, "States.Nope($.a)": false,
		"States.Format": false, "text $.a": false, "": false,
	} {
		if got := looksLikePath(s); got != want {
			t.Errorf("looksLikePath(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestJSONataLimitsIgnoreStringsAndComments(t *testing.T) {
	for expr, want := range map[string]bool{
		"$eval(x)":                true,
		"$eval (x)":               true,
		"'$eval(x)'":              false,
		`"a \" $eval(x)"`:         false,
		"/* $eval(x) */ 1":        false,
		"$evaluate(x)":            false,
		"$myeval(x)":              false,
		"$eval":                   false,
		"$string($eval(x)) & 'a'": true,
	} {
		if got := containsCall(jsonataCode(expr), "$eval"); got != want {
			t.Errorf("containsCall(%q) = %v, want %v", expr, got, want)
		}
	}
}
