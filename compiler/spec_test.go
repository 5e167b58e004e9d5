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

// knownSpecFailures are goldens whose template CloudFormation rejects
// today, with the problem the check reports; input checks outside the
// template checks are to reject their input. The test fails when one of
// them is fixed, so that the entry is removed.
var knownSpecFailures = map[string]string{
	// ${Name} in a definition that becomes an Fn::Sub.
	"literal_dollar_with_pseudo": `Resources.TemplatedStepFunctionsStateMachine.Properties.DefinitionString.Fn::Sub: "Name" is not defined in the template`,
	// A Kinesis notification target without partitionKeyPath.
	"notifications_kinesis": `Resources.OrdersStepFunctionsStateMachineNotificationsSUCCEEDEDEventRule.Properties.Targets[0].KinesisParameters: required property PartitionKeyPath is missing`,
}

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
			problems := spec.Check(v.(map[string]any), spec.Options{External: external})
			if known, ok := knownSpecFailures[name]; ok {
				if len(problems) != 1 || problems[0] != known {
					t.Errorf("known failure changed (update knownSpecFailures): got %q", problems)
				}
				return
			}
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}
