package compiler

import (
	"slices"
	"testing"
)

// TestEachSubReferenceMatchesTheExpression checks the scanner against
// subReference, whose matches it stands in for.
func TestEachSubReferenceMatchesTheExpression(t *testing.T) {
	for _, s := range []string{
		"", "plain", "${A}", "${A.Arn}-${B}", "${!Literal}${C}", "${}${D}", "$${E}", "${F", "${G${H}", "a${\n}b",
		"${!}", "${x}}${", "${${I}}", "${", "${}", "}${J}",
		"arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${Name}",
	} {
		var want, got []string
		for _, m := range subReference.FindAllStringSubmatch(s, -1) {
			want = append(want, m[1])
		}
		eachSubReference(s, func(ref string) { got = append(got, ref) })
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	}
}
