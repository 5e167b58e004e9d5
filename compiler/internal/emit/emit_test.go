package emit

import (
	"testing"

	"github.com/stepform/stepform/compiler/mode"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

func TestClaimIDReportsTheSecondEntry(t *testing.T) {
	a, b := diag.Pos{File: "serverless.yml", Line: 3, Col: 5}, diag.Pos{File: "serverless.yml", Line: 9, Col: 5}
	for _, tc := range []struct {
		mode mode.Mode
		want diag.Severity
	}{{mode.Default, diag.Error}, {mode.Plugin, diag.Warning}} {
		c := New(&schema.Service{}, tc.mode.Quirks(), nil)
		if !c.ClaimID("OrdersStepFunctionsStateMachine", a, `state machine "orders"`, "Rename one.") {
			t.Fatal("the first claim collides")
		}
		if !c.ClaimID("OrdersStepFunctionsStateMachine", a, `state machine "orders"`, "Rename one.") {
			t.Error("the same entry claiming again collides")
		}
		if c.ClaimID("OrdersStepFunctionsStateMachine", b, `state machine "orders-"`, "Rename one.") {
			t.Error("a second entry does not collide")
		}
		if len(*c.Diags) != 1 || (*c.Diags)[0].Severity != tc.want || (*c.Diags)[0].Pos != b {
			t.Errorf("mode %d: diagnostics %v, want one of severity %v at %v", tc.mode, *c.Diags, tc.want, b)
		}
		if what, pos, ok := c.Claimant("OrdersStepFunctionsStateMachine"); !ok || pos != a || what != `state machine "orders"` {
			t.Errorf("claimant %q at %v", what, pos)
		}
	}
}
