package main

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEGraphAndDiffExamples keeps the README's graph and diff
// examples equal to what the commands print for examples/sync-api.
func TestREADMEGraphAndDiffExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		section, lead string
		args          []string
	}{
		{"## Drawing a machine: `stepform graph`", "For `examples/sync-api`:\n\n```\n",
			[]string{"graph", "--config", "examples/sync-api/serverless.yml", "--stage", "dev"}},
		{"## Reviewing a change: `stepform diff`", "`name` is `myStepfn-${opt:stage}`):\n\n```\n",
			[]string{"diff", "--config", "examples/sync-api/serverless.yml", "--stage", "dev", "--stage", "prod"}},
	} {
		text := string(readme)
		start := strings.Index(text, tc.section)
		if start < 0 {
			t.Fatalf("README has no section %q", tc.section)
		}
		text = text[start:]
		lead := strings.Index(text, tc.lead)
		if lead < 0 {
			t.Fatalf("%s: no example after %q", tc.section, tc.lead)
		}
		text = text[lead+len(tc.lead):]
		want := text[:strings.Index(text, "```\n")]
		code, out, errOut := runCLI(t, "../..", tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr:\n%s", tc.args, code, errOut)
		}
		if out != want {
			t.Errorf("README's example of stepform %s is out of date; the command prints:\n%s", strings.Join(tc.args, " "), out)
		}
	}
}
