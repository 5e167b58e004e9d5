package schema

import (
	"testing"
	"time"
)

func TestSlowVars(t *testing.T) {
	for _, f := range []string{
		"a: ${file(./a.yml)}\nb: ${file(./a.yml)}\n",
		"a: ${file(./a.yml)}\nb: ${file(./a.yml)}\nc: ${file(./a.yml)}\n",
	} {
		start := time.Now()
		run := resolveForTest(t, "serverless.yml", varsPrelude+"custom:\n  x: ${file(./a.yml)}\n", map[string]string{"a.yml": f}, Variables{})
		t.Log(time.Since(start), len(run.diags), diagLines(run.diags)[:1])
	}
}
