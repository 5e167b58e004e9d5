package apigateway

import (
	"regexp"
	"testing"
)

func TestDropNonAlnumEqualsRegexp(t *testing.T) {
	re := regexp.MustCompile(`[^0-9A-Za-z]`)
	for _, s := range []string{"", "abc", "a-b_c", "ünï{x}", "a\xffb", "日本a1", "--", "A.B.C9"} {
		if got, want := dropNonAlnum(s), re.ReplaceAllString(s, ""); got != want {
			t.Errorf("%q: %q != %q", s, got, want)
		}
	}
}
