package statemachine

import (
	"fmt"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/schema"
)

// LogGroupID is the logical ID of the log group stepform creates for a
// machine whose loggingConfig has no destinations.
func LogGroupID(m *schema.StateMachine) string { return m.LogicalID() + "LogGroup" }

// defaultLogGroup returns the log group ARN a machine's logs go to when its
// loggingConfig logs (a level other than OFF) but names no destinations,
// after adding that log group; nil otherwise. Step Functions rejects such a
// configuration (a level needs a destination) and the plugin passes it on,
// so the default mode creates /aws/vendedlogs/states/<name> with a
// retention. Plugin mode rejects retentionInDays, which the plugin's schema
// does not allow.
func (c *emitter) defaultLogGroup(m *schema.StateMachine) any {
	lc := m.Settings.Logging
	retention := lc.RetentionKey
	if retention != nil && c.Quirks.NoDefaultLogGroup {
		c.Diags.Errorf(retention.KeyPos, "loggingConfig.retentionInDays is stepform's own key",
			"serverless-step-functions rejects unknown loggingConfig keys. Remove it, or compile without --compat plugin, where a loggingConfig without destinations gets a log group with this retention.")
		return nil
	}
	if c.Quirks.NoDefaultLogGroup {
		return nil
	}
	hasDestinations := len(lc.Destinations) > 0
	if hasDestinations || lc.Level == "OFF" {
		if retention != nil {
			why := "the log groups in destinations are yours, so set their retention there"
			if !hasDestinations {
				why = "level is OFF, so no log group is created"
			}
			c.Diags.Warnf(retention.KeyPos, "retentionInDays has no effect",
				"It sets the retention of the log group stepform creates when loggingConfig logs without destinations; here %s.", why)
		}
		return nil
	}
	id := LogGroupID(m)
	group := &cfn.LogGroup{
		LogGroupName:    cfn.String(c.Service.DefaultLogGroupName(m)),
		RetentionInDays: cfn.Int(m.LogRetention()),
	}
	if m.Settings.Retain {
		group.AWSCloudFormationDeletionPolicy = cfn.Retain
		group.AWSCloudFormationUpdateReplacePolicy = cfn.RetainReplace
	}
	if !c.ClaimID(id, m.KeyPos, fmt.Sprintf("the log group of state machine %q", m.Key), "Rename the state machine.") {
		return nil
	}
	c.Add(id, group)
	return cfn.GetAtt(id, "Arn")
}
