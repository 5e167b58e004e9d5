package asl

import (
	"strings"
	"testing"
)

// A pathologically nested expression is reported, not handed to the
// recursive parser (which would overflow the stack and kill the process).
func TestJSONataNestingIsBounded(t *testing.T) {
	deep := strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000)
	if msg := jsonataError(deep); !strings.Contains(msg, "nests brackets") {
		t.Errorf("got %q", msg)
	}
	if msg := jsonataError("$sum([1, (2 + 3)])"); msg != "" {
		t.Errorf("a valid expression was rejected: %q", msg)
	}
}
