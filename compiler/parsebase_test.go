package compiler_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema"
)

// TestParseBaseReadsJSONAsJSON pins that a JSON --base template is read
// by the JSON reader: JSON's escapes work and an error has line and column.
func TestParseBaseReadsJSONAsJSON(t *testing.T) {
	tpl, d := compiler.ParseBase("base.json", []byte(`{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "a\/b \ud834\udd1e"}}}}`))
	if d.HasErrors() {
		t.Fatal(d)
	}
	props := tpl["Resources"].(map[string]any)["T"].(map[string]any)["Properties"].(map[string]any)
	if got := props["TopicName"]; got != "a/b \U0001D11E" {
		t.Errorf("TopicName = %q", got)
	}
	_, d = compiler.ParseBase("base.json", []byte("{\n  \"Resources\": {\n    \"T\": {\"Type\": \"AWS::SNS::Topic\"}\n    \"U\": {}\n  }\n}\n"))
	if len(d) != 1 || d[0].Pos.String() != "base.json:4:5" || d[0].Summary != "JSON syntax error" {
		t.Errorf("want one JSON syntax error at base.json:4:5, got %v", d)
	}
	// A template without a name that tells is recognised by its text.
	if _, d := compiler.ParseBase("template", []byte(`{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "a\/b"}}}}`)); d.HasErrors() {
		t.Errorf("unnamed JSON template: %v", d)
	}
}

// TestStringDefinitionIsJSON pins that a definition given as a JSON string
// is read as JSON.
func TestStringDefinitionIsJSON(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "serverless.yml")
	os.WriteFile(config, []byte(`service: s
provider: {name: aws}
stepFunctions:
  stateMachines:
    m:
      definition: '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "a\/b \ud834\udd1e", "End": true}}}'
`), 0o644)
	out, _, d := compiler.Build(schema.LoadOptions{ConfigPath: config}, compiler.Options{}, compiler.JSON)
	if d.HasErrors() {
		t.Fatal(d)
	}
	if !strings.Contains(string(out), `a/b \ud834\udd1e`) && !strings.Contains(string(out), "a/b \U0001D11E") {
		t.Errorf("comment lost:\n%s", out)
	}
}
