package schema_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stepform/stepform/schema"
)

// predictedResources are the logical IDs (with their types) that the
// plugin creates for a machine's alarms, notifications, schedules and
// event rules, as the typed parts say.
func predictedResources(svc *schema.Service) map[string]string {
	out := map[string]string{}
	for _, m := range svc.StepFunctions.StateMachines {
		key, smID := schema.NormalizeName(m.Key), m.LogicalID()
		if a, _ := schema.DecodeAlarms(m, schema.CompatPlugin); a != nil {
			for _, s := range a.Metrics {
				id := smID + schema.AlarmMetrics[s.Metric].CloudWatch + "Alarm"
				if s.LogicalID != nil {
					id = s.LogicalID.Value
				}
				out[id] = "AWS::CloudWatch::Alarm"
			}
		}
		if n, _ := schema.DecodeNotifications(m, schema.CompatPlugin); n != nil {
			for _, st := range n.Statuses {
				if len(st.Targets) > 0 {
					out[smID+"Notifications"+strings.Replace(st.Status, "_", "", 1)+"EventRule"] = "AWS::Events::Rule"
				}
			}
		}
		ev, _ := schema.DecodeMachineEvents(svc, m, schema.CompatPlugin)
		for i, s := range ev.Schedules {
			switch {
			case s.Broken:
			case s.Scheduler():
				out[fmt.Sprintf("%sStepFunctionsSchedulerSchedule%d", key, i+1)] = "AWS::Scheduler::Schedule"
			default:
				out[fmt.Sprintf("%sStepFunctionsEventsRuleSchedule%d", key, i+1)] = "AWS::Events::Rule"
			}
		}
		for i, r := range ev.Rules {
			if !r.Broken {
				out[fmt.Sprintf("%sEventsRuleCloudWatchEvent%d", key, i+1)] = "AWS::Events::Rule"
			}
		}
	}
	return out
}

// generatedID matches the logical IDs predictedResources names.
var generatedID = regexp.MustCompile(`(StepFunctions(EventsRule|Scheduler)Schedule\d+|EventsRuleCloudWatchEvent\d+|Notifications[A-Z]+EventRule|Alarm)$`)

// TestTypedPartsPredictPluginResources holds the typed alarms,
// notifications, schedules and event rules (plugin mode) to the real
// plugin's output: each resource they imply is in the fixture's
// plugin.json, and each such resource of plugin.json is implied. This
// pins the decoders' counting (empty events skipped, broken ones counted)
// and dropping (malformed blocks, unknown metrics, EXPRESS notifications).
func TestTypedPartsPredictPluginResources(t *testing.T) {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range entries {
		dir := filepath.Join(fixturesDir, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, "plugin.json"))
		if err != nil {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			svc, _, diags := schema.Load(fixtureLoad(t, dir))
			if svc == nil || diags.HasErrors() || svc.StepFunctions == nil || decodeParts(svc, schema.CompatPlugin).HasErrors() {
				return
			}
			var tpl struct {
				Resources map[string]struct{ Type string }
			}
			if err := json.Unmarshal(data, &tpl); err != nil {
				t.Fatal(err)
			}
			// A user resource may take a generated ID (or end like one).
			user := map[string]bool{}
			if r := svc.Resources.Get("Resources"); r != nil {
				for _, p := range r.Pairs {
					user[p.Key] = true
				}
			}
			predicted := predictedResources(svc)
			var ids []string
			for id := range predicted {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			for _, id := range ids {
				if got := tpl.Resources[id].Type; got != predicted[id] && !user[id] {
					t.Errorf("the typed parts imply %s (%s); plugin.json has %q", id, predicted[id], got)
				}
			}
			for id, r := range tpl.Resources {
				if user[id] || predicted[id] != "" || !generatedID.MatchString(id) {
					continue
				}
				if r.Type == "AWS::CloudWatch::Alarm" || r.Type == "AWS::Scheduler::Schedule" || r.Type == "AWS::Events::Rule" {
					t.Errorf("plugin.json has %s (%s), which the typed parts do not imply", id, r.Type)
				}
			}
			checked++
		})
	}
	if checked < 50 {
		t.Errorf("only %d fixtures checked", checked)
	}
}
