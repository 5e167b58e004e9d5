package compiler_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/compiler/artifact"
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

// TestSyncAPIExampleWithoutBase compiles examples/sync-api with its code
// artifact, as stepform package does: the framework's half is compiled
// too, so nothing is left dangling and there is nothing to warn about.
func TestSyncAPIExampleWithoutBase(t *testing.T) {
	dir := "../examples/sync-api"
	load := schema.LoadOptions{
		ConfigPath: "serverless.yml", Stage: "dev", Env: map[string]string{}, Params: map[string]string{},
		ReadFile: func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, p)) },
	}
	arts := &artifact.Set{Functions: map[string]artifact.Artifact{
		"hello": {Dir: "serverless/orders/dev/0123abcd", Name: "orders.zip", CodeSha256: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
	}}
	out, _, diags := compiler.Build(load, compiler.Options{Mode: compiler.Default, Artifacts: arts}, compiler.JSON)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %s: %s", d.Pos, d.Summary)
	}
	text := string(out)
	for _, want := range []string{`"HelloLambdaFunction": {`, `"S3Key": "serverless/orders/dev/0123abcd/orders.zip"`,
		`"IamRoleLambdaExecution": {`, `"ServerlessDeploymentBucket": {`, `"HelloLambdaFunctionQualifiedArn": {`} {
		if !strings.Contains(text, want) {
			t.Errorf("the example's template lacks %s", want)
		}
	}
}
