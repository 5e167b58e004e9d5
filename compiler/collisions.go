package compiler

import (
	"fmt"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// claimMachineIDs claims the logical IDs of machines and activities, and
// the prefix the event resources of a machine take from its key.
func (c *compiler) claimMachineIDs() {
	c.Collided = map[*schema.StateMachine]bool{}
	for _, m := range c.Service.StepFunctions.StateMachines {
		what := fmt.Sprintf("state machine %q", m.Key)
		if !c.ClaimID(m.LogicalID(), m.LogicalIDPos(), what, "Rename one of them, or give one an id: of its own.") {
			c.Collided[m] = true
		} else if m.Settings.Role == nil {
			c.ClaimID(m.LogicalID()+"Role", m.LogicalIDPos(), "the execution role of "+what, "Rename the state machine, or give it an id: of its own.")
		}
		if hasEventResources(m) {
			// Event rules and roles take their names from the key, not id:.
			prefix := schema.NormalizeName(m.Key)
			c.ClaimName("events:"+prefix, fmt.Sprintf("event resource IDs %s… are generated twice", prefix),
				fmt.Sprintf("the IDs of their event rules and roles (%s…)", prefix), m.KeyPos, what,
				"Event resources are named after the key even when id: is set; rename one of the keys.")
		}
	}
	for _, a := range c.Service.StepFunctions.Activities {
		c.ClaimID(schema.NormalizeName(a.Name)+"StepFunctionsActivity", a.Pos, fmt.Sprintf("activity %q", a.Name),
			"Rename one of them (- becomes Dash and _ Underscore in logical IDs), or list it once.")
	}
}

// hasEventResources reports a machine with schedule, cloudwatchEvent or
// eventBridge events, whose rules and roles are named after its key.
func hasEventResources(m *schema.StateMachine) bool {
	if m.Events == nil || m.Events.Kind != schema.List {
		return false
	}
	for _, e := range m.Events.Items {
		for _, kind := range []string{"schedule", "cloudwatchEvent", "eventBridge"} {
			if e.Get(kind) != nil {
				return true
			}
		}
	}
	return false
}

// checkOverwrites reports generated resources whose logical ID the
// resources block or the --base template already uses for a resource of
// another type: the merge would make one resource of the two.
func (c *compiler) checkOverwrites(generated map[string]any) {
	gen, _ := generated["Resources"].(map[string]any)
	own := c.Service.Resources.Get("Resources")
	var base map[string]any
	if c.Base != nil {
		base, _ = c.Base["Resources"].(map[string]any)
	}
	// Only an ID that the resources block or the base has too can
	// collide; a large template's own IDs need not all be looked at.
	candidates := map[string]any{}
	if own != nil {
		for _, p := range own.Pairs {
			if r, ok := gen[p.Key]; ok {
				candidates[p.Key] = r
			}
		}
	}
	for id := range base {
		if r, ok := gen[id]; ok {
			candidates[id] = r
		}
	}
	for _, id := range sortedKeys(candidates) {
		genType := resourceType(gen[id])
		if genType == "" {
			continue // an addition to a resource of the base, such as the deployment's DependsOn
		}
		by := "stepform"
		pos := diag.Pos{}
		if what, at, ok := c.Claimant(id); ok {
			by, pos = what, at
		}
		if p := own.Pair(id); p != nil && p.Value.Kind == schema.Map {
			if t := p.Value.Get("Type"); t != nil && t.Kind == schema.String && t.Value != genType {
				c.Collision(p.KeyPos, fmt.Sprintf("resource %q collides with a generated one", id),
					"%s%s generates %q as %s, but resources gives it type %s; the merge would make one broken resource of the two. Rename the resource.",
					emit.UpperFirst(by), at(pos), id, genType, t.Value)
			}
		}
		if t := resourceType(base[id]); t != "" && t != genType {
			c.Collision(pos, fmt.Sprintf("logical ID %q is taken in %s", id, c.baseName()),
				"%s generates %q as %s, but %s has a resource of type %s under that ID; the merge would make one broken resource of the two. Give the state machine another id:, or rename what generates it.",
				emit.UpperFirst(by), id, genType, c.baseName(), t)
		}
	}
}

func at(pos diag.Pos) string {
	if pos == (diag.Pos{}) {
		return ""
	}
	return " (" + pos.String() + ")"
}

func resourceType(r any) string {
	m, _ := r.(map[string]any)
	t, _ := m["Type"].(string)
	return t
}
