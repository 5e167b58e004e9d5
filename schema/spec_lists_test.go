package schema

import (
	"slices"
	"testing"
)

// TestKeyListsAreTheSpecTables: the key lists decoding checks against are
// written out (so that a run does not build the spec tables, which are
// built on first use), and must stay those of the tables that stepform
// schema writes.
func TestKeyListsAreTheSpecTables(t *testing.T) {
	for _, c := range []struct {
		name       string
		list, spec []string
	}{
		{"topLevelKeys", topLevelKeys, TopLevelSpec().KeyNames()},
		{"stepFunctionsKeys", stepFunctionsKeys, StepFunctionsSpec().KeyNames()},
		{"stateMachineKeys", stateMachineKeys, StateMachineSpec().KeyNames()},
		{"EventKinds", EventKinds, EventSpec().KeyNames()},
		{"httpKeys", httpKeys, HTTPEventSpec().PluginKeyNames()},
		{"StepformHTTPKeys", StepformHTTPKeys, HTTPEventSpec().StepformKeyNames()},
		{"corsKeys", corsKeys, CORSSpec().KeyNames()},
		{"authorizerKeys", authorizerKeys, AuthorizerSpec().KeyNames()},
		{"functionKeys", functionKeys, FunctionSpec().KeyNames()},
		{"FunctionHTTPEventKeys", FunctionHTTPEventKeys, FunctionHTTPEventSpec().KeyNames()},
		{"httpAPIEventKeys", httpAPIEventKeys, FunctionHTTPAPIEventSpec().KeyNames()},
		{"IAMRoleKeys", IAMRoleKeys, ProviderIAMRoleSpec().KeyNames()},
	} {
		if !slices.Equal(c.list, c.spec) {
			t.Errorf("%s = %q; the spec table has %q", c.name, c.list, c.spec)
		}
	}
}
