package machineevents

import (
	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/schema"
)

// ReportIgnored warns about every event entry the plugin ignores: one with
// none of the keys it compiles (schema.IgnoredEvents).
func ReportIgnored(ctx *emit.Context) {
	for _, m := range ctx.Service.StepFunctions.StateMachines {
		ctx.Diags.Append(schema.IgnoredEvents(m, ctx.Compat()))
	}
}
