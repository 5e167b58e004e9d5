package statemachine

import (
	"github.com/stepform/stepform/compiler/asl"
	"github.com/stepform/stepform/schema"
)

// validateDefinition checks a machine's definition as the Amazon States
// Language. With stepFunctions.validate: true whatever asl-validator
// rejects is an error (the plugin throws); otherwise only what Step
// Functions would reject at deploy time is reported, as an error in the
// default mode and a warning in plugin mode.
func (c *emitter) validateDefinition(m *schema.StateMachine, def *schema.Node) {
	c.Diags.Append(asl.Validate(def, asl.Options{
		Strict: c.Service.StepFunctions.Validate, Plugin: c.Quirks.ASLValidatorOnly, BuildsRole: m.Settings.Role == nil,
	}))
}
