package compiler_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema"
)

// TestSyncAPIExample compiles examples/sync-api in the default mode: it
// must use the synchronous integration and warn about nothing but the
// Lambda function the framework packages.
func TestSyncAPIExample(t *testing.T) {
	dir := "../examples/sync-api"
	load := schema.LoadOptions{
		ConfigPath: "serverless.yml", Stage: "dev", Env: map[string]string{}, Params: map[string]string{},
		ReadFile: func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, p)) },
	}
	out, _, diags := compiler.Build(load, compiler.Options{Mode: compiler.Default}, compiler.JSON)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	for _, d := range diags {
		if !strings.Contains(d.Summary, "HelloLambdaFunction is not defined") {
			t.Errorf("unexpected diagnostic: %s", d.Summary)
		}
	}
	text := string(out)
	for _, want := range []string{`states:action/StartSyncExecution`, `"PassthroughBehavior": "NEVER"`, `"Action": "states:StartSyncExecution"`,
		`"Resource": {`, `'InvalidOrder': 422`, `"ResponseType": "INTEGRATION_TIMEOUT"`} {
		if !strings.Contains(text, want) {
			t.Errorf("the example's template lacks %s", want)
		}
	}
}
