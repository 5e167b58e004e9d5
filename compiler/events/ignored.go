package events

import (
	"fmt"
	"slices"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// eventKinds are the events the plugin compiles.
var eventKinds = schema.EventSpec.KeyNames()

// ReportIgnored warns about every event entry the plugin ignores: one with
// none of the keys it compiles (it tests each key, so any of them counts).
func ReportIgnored(ctx *emit.Context) {
	c := &emitter{ctx}
	for _, m := range c.Service.StepFunctions.StateMachines {
		if m.Events == nil {
			continue
		}
	entries:
		for _, ev := range m.Events.Items {
			name, pos := "", ev.Pos
			if ev.Kind == schema.Map {
				for _, p := range ev.Pairs {
					if slices.Contains(eventKinds, p.Key) {
						continue entries
					}
				}
				if len(ev.Pairs) > 0 {
					name, pos = ev.Pairs[0].Key, ev.Pairs[0].KeyPos
				}
				if p := ev.Pair("httpApi"); p != nil {
					if c.Quirks.MachineHTTPAPIIgnored {
						c.Diags.Warnf(p.KeyPos, "httpApi events of state machines are ignored",
							"serverless-step-functions has no httpApi event, so this route is not created. stepform's default mode compiles it (an HTTP API route with the Step Functions integration); in plugin mode, use an http event.")
					}
					continue
				}
			}
			summary := "event ignored"
			if name != "" {
				summary = fmt.Sprintf("%s events are ignored", name)
			}
			c.Diags.Warnf(pos, summary,
				"serverless-step-functions compiles only http, schedule, cloudwatchEvent and eventBridge events; this one has no effect.%s",
				diag.DidYouMean(name, eventKinds))
		}
	}
}
