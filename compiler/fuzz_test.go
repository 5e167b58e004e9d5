package compiler_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema"
)

// FuzzCompile loads and compiles arbitrary serverless.yml text in both
// modes. Nothing may panic, and whatever compiles must be valid JSON.
func FuzzCompile(f *testing.F) {
	ok, errs := fixtureNames(f)
	for _, name := range append(ok, errs...) {
		if data, err := os.ReadFile(filepath.Join(fixturesDir, name, "serverless.yml")); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		load := schema.LoadOptions{
			ConfigPath: "serverless.yml",
			Stage:      "dev",
			ReadFile: func(p string) ([]byte, error) {
				if p == "serverless.yml" {
					return data, nil
				}
				return nil, errors.New("no such file")
			},
		}
		for _, mode := range []compiler.Mode{compiler.Default, compiler.Plugin} {
			out, _, diags := compiler.Build(load, compiler.Options{Mode: mode}, compiler.JSON)
			if diags.HasErrors() != (out == nil) {
				t.Fatalf("errors=%v but output=%v", diags.HasErrors(), out != nil)
			}
			if out != nil && !json.Valid(out) {
				t.Fatalf("invalid JSON output:\n%s", out)
			}
		}
	})
}
