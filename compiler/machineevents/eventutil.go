// Package machineevents compiles the events that start a state machine
// without API Gateway: schedule events (EventBridge rules, or EventBridge
// Scheduler schedules with method: scheduler) and cloudwatchEvent/
// eventBridge event rules, each with the role that may start the machine.
// Logical IDs are the plugin's, numbered per machine and named after its
// key. Plugin mode builds both from the plugin's JSON text templates
// (mode.Quirks.ScheduleAsJSONText, EventRuleAsJSONText).
package machineevents

import (
	"bytes"
	"fmt"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// This file holds what schedules and event rules share: the role that may
// start the machine, retry policies and the plugin's JSON text templates.

// eventItems returns the events of a machine in order.
func eventItems(m *schema.StateMachine) []*schema.Node {
	if m.Events == nil {
		return nil
	}
	return m.Events.Items
}

// eventRole is the role the plugin generates for schedules and event
// rules: principal service(s) may start the state machine.
func eventRole(principal *schema.Node, policyName, smID string, boundary, path *schema.Node) *schema.Node {
	props := jsvalue.Obj(
		"AssumeRolePolicyDocument", jsvalue.Obj("Version", "2012-10-17", "Statement", jsvalue.Arr(jsvalue.Obj(
			"Effect", "Allow", "Principal", jsvalue.Obj("Service", principal), "Action", "sts:AssumeRole"))),
		"Policies", jsvalue.Arr(jsvalue.Obj("PolicyName", policyName, "PolicyDocument", jsvalue.Obj("Version", "2012-10-17",
			"Statement", jsvalue.Arr(jsvalue.Obj("Effect", "Allow", "Action", jsvalue.Arr("states:StartExecution"), "Resource", jsvalue.Ref(smID)))))),
	)
	if boundary.Truthy() {
		props.Pairs = append(props.Pairs, schema.Pair{Key: "PermissionsBoundary", Value: boundary})
	}
	if path.Truthy() {
		props.Pairs = append(props.Pairs, schema.Pair{Key: "Path", Value: path})
	}
	return jsvalue.Obj("Type", "AWS::IAM::Role", "Properties", props)
}

// retryPolicyNode is {MaximumEventAgeInSeconds, MaximumRetryAttempts} from
// a retryPolicy setting, undefined fields dropped.
func retryPolicyNode(n *schema.Node) *schema.Node {
	rp := schema.DecodeTargetRetryPolicy(n)
	return jsvalue.Obj("MaximumEventAgeInSeconds", rp.MaximumEventAgeInSeconds,
		"MaximumRetryAttempts", rp.MaximumRetryAttempts)
}

// writeText appends to a JSON text template.
type textTemplate struct{ bytes.Buffer }

func (t *textTemplate) add(format string, args ...any) { fmt.Fprintf(&t.Buffer, format, args...) }

// emitter is the compilation's context as this concern uses it.
type emitter struct{ *emit.Context }
