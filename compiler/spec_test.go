package compiler_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/cfn/spec"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// TestGoldenSpec checks every default-mode golden template against the
// CloudFormation resource specification: property names, types and
// required properties, Ref/Fn::GetAtt/DependsOn targets and Fn::GetAtt
// attributes. Without --base, the framework's Lambda functions are not in
// the template, and neither is whatever stepform warned is undefined.
func TestGoldenSpec(t *testing.T) {
	names, _ := fixtureNames(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, name)
			data, err := os.ReadFile(filepath.Join(f.dir, "stepform.json"))
			if os.IsNotExist(err) {
				t.Skip("no default-mode template (the default mode rejects the input)")
			}
			if err != nil {
				t.Fatal(err)
			}
			v, err := cfn.Unmarshal(data)
			if err != nil {
				t.Fatal(err)
			}
			external := map[string]bool{}
			if f.base == nil {
				svc, _, _ := schema.Load(f.load)
				for _, fn := range svc.Functions {
					external[fn.LogicalID()] = true
				}
				_, _, diags := compiler.Build(f.load, compiler.Options{Mode: compiler.Default}, compiler.JSON)
				for _, d := range diags {
					if id, ok := strings.CutSuffix(d.Summary, " is not defined in the template"); ok && d.Severity == diag.Warning {
						external[id] = true
					}
				}
			}
			for _, p := range spec.Check(v.(map[string]any), spec.Options{External: external}) {
				t.Error(p)
			}
		})
	}
}
