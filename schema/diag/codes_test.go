package diag

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/diagnostics.md")

const docsPath = "../../docs/diagnostics.md"

var codeID = regexp.MustCompile(`^SF[1-9][0-9]{3}$`)

// TestCodesTable checks the table itself: well-formed, ascending and
// unique IDs, each with a title, help and a concern, and no pattern that
// is listed twice or shadowed by a more specific pattern of another code.
func TestCodesTable(t *testing.T) {
	prev := ""
	owner := map[string]string{}
	for _, c := range Codes {
		if !codeID.MatchString(c.ID) {
			t.Errorf("%s: an ID is SF and four digits", c.ID)
		}
		if c.ID <= prev {
			t.Errorf("%s comes after %s: IDs must be unique and ascending", c.ID, prev)
		}
		prev = c.ID
		if c.Title == "" || c.Help == "" || len(c.Patterns) == 0 {
			t.Errorf("%s needs a title, help and at least one pattern", c.ID)
		}
		if ConcernOf(c.ID) == "" {
			t.Errorf("%s belongs to no concern of Concerns", c.ID)
		}
		for _, p := range c.Patterns {
			if other, dup := owner[p]; dup {
				t.Errorf("pattern %q is listed by %s and %s", p, other, c.ID)
			}
			owner[p] = c.ID
			sample := strings.ReplaceAll(p, "*", "X")
			if got, ok := CodeOf(sample); !ok || got.ID != c.ID {
				t.Errorf("%q, a sample of %s's pattern %q, gets %q", sample, c.ID, p, got.ID)
			}
		}
	}
}

func TestCodeOf(t *testing.T) {
	for summary, want := range map[string]string{
		"YAML syntax error":                                  "SF1003",
		`unknown key "defintion" in state machine "a"`:       "SF3001",
		`invalid InputPath "$.a["`:                           "SF4401",
		`invalid http method "POSTT"`:                        "SF6001",
		`invalid logical ID "A.b"`:                           "SF9004",
		"invalid eventBusName":                               "SF3013",
		"cannot resolve ${ssm:/a} offline":                   "SF2007",
		"cannot resolve ${self:x}":                           "SF2006",
		`Next names no state "Step-abc…" (10005 characters)`: "SF4003",
	} {
		if got, ok := CodeOf(summary); !ok || got.ID != want {
			t.Errorf("CodeOf(%q) = %q, want %s", summary, got.ID, want)
		}
	}
	if c, ok := CodeOf("a summary nobody writes"); ok {
		t.Errorf("an unknown summary got %s", c.ID)
	}
}

// TestDocsInSync checks that docs/diagnostics.md is the table's rendering
// (go test ./schema/diag -run TestDocsInSync -update rewrites it).
func TestDocsInSync(t *testing.T) {
	got := markdown()
	if *update {
		if err := os.WriteFile(docsPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with codes.go: go test ./schema/diag -run TestDocsInSync -update", docsPath)
	}
}

func markdown() []byte {
	var b bytes.Buffer
	b.WriteString(`# Diagnostic codes

<!-- Generated from schema/diag/codes.go by
     go test ./schema/diag -run TestDocsInSync -update; do not edit. -->

Every diagnostic stepform prints has a stable code. ` + "`stepform check --diagnostics json`" + ` and
` + "`--diagnostics sarif`" + ` carry it (as ` + "`code`" + ` and as the SARIF ` + "`ruleId`" + `); the text rendering
keeps to ` + "`file:line:col: severity: summary`" + `. A code never changes meaning and is never reused.
A code covers one kind of problem, and the summaries listed with it (` + "`*`" + ` stands for a name,
path or value); the diagnostic's own detail says what exactly is wrong and how to fix it.
Whether a code is an error or a warning depends on the mode (plugin mode warns about input the
plugin accepts) and on ` + "`validate: true`" + `.
`)
	concern := ""
	for _, c := range Codes {
		if name := ConcernOf(c.ID); name != concern {
			concern = name
			fmt.Fprintf(&b, "\n## %s\n\n| Code | Title | Summaries | Meaning and fix |\n|---|---|---|---|\n", name)
		}
		quoted := make([]string, len(c.Patterns))
		for i, p := range c.Patterns {
			quoted[i] = "`" + p + "`"
		}
		fmt.Fprintf(&b, "| <a id=\"%s\"></a>%s | %s | %s | %s |\n", strings.ToLower(c.ID), c.ID, escapeCell(c.Title), escapeCell(strings.Join(quoted, "<br>")), escapeCell(c.Help))
	}
	return b.Bytes()
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
