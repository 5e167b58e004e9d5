package compiler_test

import (
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema/diag"
)

// In plugin mode the collisions the plugin merges silently are warnings,
// and the output is the plugin's (TestGolden compares it).
func TestCollisionsWarnInPluginMode(t *testing.T) {
	for name, want := range map[string][]string{
		"logical_id_collisions": {
			`logical ID "ShipDashitStepFunctionsActivity" is generated twice`,
			`event resource IDs ADashb… are generated twice`,
			`logical ID "ADashbStepFunctionsStateMachine" is generated twice`,
			`logical ID "OrdersAlarm" is generated twice`,
			`resource "OrdersStepFunctionsStateMachineRole" collides with a generated one`,
		},
		"logical_id_base_collision": {`logical ID "HelloLambdaFunction" is taken in the --base template`},
	} {
		f := loadFixture(t, name)
		out, _, diags := compiler.Build(f.load, compiler.Options{Mode: compiler.Plugin, Base: f.base}, compiler.JSON)
		if out == nil || diags.HasErrors() {
			t.Fatalf("%s: plugin mode failed: %v", name, diags.Err())
		}
		var warnings []string
		for _, d := range diags {
			if d.Severity == diag.Warning {
				warnings = append(warnings, d.Summary)
			}
		}
		for _, w := range want {
			if !strings.Contains(strings.Join(warnings, "\n"), w) {
				t.Errorf("%s: no warning %q in %q", name, w, warnings)
			}
		}
	}
}
