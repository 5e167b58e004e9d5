package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// noDocsTag is the build tag that README's install line and make build
// give, to leave urfave/cli's unused man-page generator out of the binary.
const noDocsTag = "urfave_cli_no_docs"

// TestNoDocsTagLeavesOutTheMarkdownParser: with the tag, the binary links
// no Markdown parser (whose package initialisation every run would pay
// for); without it, it does, so the tag is what makes the difference. A
// new urfave/cli that renamed or dropped the tag fails here.
func TestNoDocsTagLeavesOutTheMarkdownParser(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	deps := func(tags ...string) string {
		args := append([]string{"list", "-deps"}, tags...)
		out, err := exec.Command(goTool, append(args, ".")...).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		return string(out)
	}
	const parser = "github.com/russross/blackfriday"
	if !strings.Contains(deps(), parser) {
		t.Skipf("urfave/cli no longer links %s at all", parser)
	}
	if with := deps("-tags", noDocsTag); strings.Contains(with, parser) {
		t.Errorf("with -tags %s the binary still links %s", noDocsTag, parser)
	}
	for _, file := range []string{"../../Makefile", "../../README.md"} {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(text), "-tags "+noDocsTag) {
			t.Errorf("%s does not build with -tags %s", file, noDocsTag)
		}
	}
}
