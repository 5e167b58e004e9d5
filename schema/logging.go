package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// LogRetentionDays are the retention periods CloudWatch Logs accepts
// (AWS::Logs::LogGroup RetentionInDays).
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// DefaultLogRetentionDays is the retention of the log group stepform
// creates for a loggingConfig without destinations.
const DefaultLogRetentionDays = 30

// retentionInDays checks loggingConfig.retentionInDays, stepform's own key:
// one of the periods CloudWatch Logs accepts.
func (d *decoder) retentionInDays(v *Node) {
	allowed := retentionText()
	if v.Kind == Number && contains(allowed, v.Value) {
		return
	}
	d.diags.Errorf(v.Pos, "loggingConfig.retentionInDays is not a CloudWatch Logs retention period",
		"Got %s. CloudWatch Logs keeps log events for %s days; CloudFormation rejects other values.",
		describeValue(v), strings.Join(allowed, ", "))
}

// LogRetention is a machine's loggingConfig.retentionInDays, or the default.
func (m *StateMachine) LogRetention() int {
	if l := m.Settings.Logging; l != nil && l.RetentionInDays != nil && l.RetentionInDays.Kind == Number {
		v := l.RetentionInDays
		if n, err := strconv.Atoi(v.Value); err == nil {
			return n
		}
	}
	return DefaultLogRetentionDays
}

// DefaultLogGroupName is the name of the log group stepform creates for the
// machine: AWS's convention for vended logs, /aws/vendedlogs/states/, and
// the machine's name, or <service>-<stage>-<key> for a machine whose name
// CloudFormation generates (unique per stage, like the framework's
// function names).
func (s *Service) DefaultLogGroupName(m *StateMachine) string {
	name := fmt.Sprintf("%s-%s-%s", s.Name, s.Stage, m.Key)
	if m.Settings.Name != "" {
		name = m.Settings.Name
	}
	return "/aws/vendedlogs/states/" + name
}
