// Package emit is what each concern of the compiler receives: the typed
// service, the template to add its resources to, the mode's quirks and a
// diagnostics sink, together with the few lookups several concerns share
// (function logical IDs, the --base template, the logical IDs claimed so
// far).
//
// A concern imports emit; emit imports no concern, so the dependencies run
// one way: compiler (the orchestrator) → compiler/<concern> → emit → cfn.
package emit

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/compiler/mode"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Context is the state one compilation shares between its concerns.
type Context struct {
	Service  *schema.Service
	Template *cfn.Template
	Quirks   *mode.Quirks
	Diags    *diag.List
	// Base is the framework's template (plain values), nil without --base.
	Base map[string]any

	claims map[string]claim
	// Collided are the machines whose logical ID another entry took first.
	Collided map[*schema.StateMachine]bool
}

// New returns the context of a compilation of svc.
func New(svc *schema.Service, quirks *mode.Quirks, base map[string]any) *Context {
	// Every state machine makes at least itself and most a role: room for
	// those spares a large template's maps their regrowth.
	machines := 0
	if svc != nil && svc.StepFunctions != nil {
		machines = len(svc.StepFunctions.StateMachines)
	}
	return &Context{Service: svc, Template: cfn.NewSized(2 * machines), Quirks: quirks, Diags: &diag.List{}, Base: base,
		Collided: map[*schema.StateMachine]bool{}, claims: make(map[string]claim, 2*machines)}
}

// Add sets the resource with logical ID id.
func (c *Context) Add(id string, r cfn.Resource) { c.Template.SetResource(id, r) }

// FunctionLogicalID translates a local function key into its logical ID
// when id names a function and not a resource, as the plugin's
// translateLocalFunctionNames does.
func (c *Context) FunctionLogicalID(id string) string {
	if c.BaseHasResource(id) {
		return id
	}
	if f := c.Service.Function(id); f != nil {
		return f.LogicalID()
	}
	return id
}

// BaseHasResource reports whether the --base template has a resource id.
func (c *Context) BaseHasResource(id string) bool {
	if c.Base == nil {
		return false
	}
	res, _ := c.Base["Resources"].(map[string]any)
	_, ok := res[id]
	return ok
}

// TranslateIntrinsic is the plugin's translateLocalFunctionNames: a Ref or
// Fn::GetAtt naming a local function key names its logical ID instead.
func (c *Context) TranslateIntrinsic(n *schema.Node) *schema.Node {
	if ref := n.Get("Ref"); ref != nil {
		return schema.NewMap(n.Pos, schema.Pair{Key: "Ref", Value: schema.NewString(c.FunctionLogicalID(jsvalue.String(ref)), ref.Pos)})
	}
	if ga := n.Get("Fn::GetAtt"); ga != nil && ga.Kind == schema.String {
		// The plugin destructures the string form as an array, which takes
		// its first two characters ("Hello.Arn" → ["H", "e"]). The default
		// mode reads it as CloudFormation does: logical ID, dot, attribute.
		var id, attr string
		if c.Quirks.GetAttStringAsCharacters {
			r := []rune(ga.Value + "\x00\x00")
			id, attr = string(r[0]), string(r[1])
		} else {
			id, attr, _ = strings.Cut(ga.Value, ".")
		}
		return schema.NewMap(n.Pos, schema.Pair{Key: "Fn::GetAtt", Value: &schema.Node{Kind: schema.List, Pos: ga.Pos,
			Items: []*schema.Node{schema.NewString(c.FunctionLogicalID(id), ga.Pos), schema.NewString(attr, ga.Pos)}}})
	}
	if ga := n.Get("Fn::GetAtt"); ga != nil && ga.Kind == schema.List && len(ga.Items) > 0 {
		items := append([]*schema.Node{schema.NewString(c.FunctionLogicalID(jsvalue.String(ga.Items[0])), ga.Items[0].Pos)}, ga.Items[1:]...)
		if len(items) < 2 {
			items = append(items, &schema.Node{Kind: schema.Null})
		}
		return schema.NewMap(n.Pos, schema.Pair{Key: "Fn::GetAtt", Value: &schema.Node{Kind: schema.List, Items: items[:2], Pos: ga.Pos}})
	}
	return n
}

// LocalFunctionName is the plugin's resolveLambdaFunctionName: the deployed
// name of the function a {Ref} names (by key or logical ID), or "".
func (c *Context) LocalFunctionName(n *schema.Node) string {
	ref := n.Get("Ref")
	if ref == nil || ref.Kind != schema.String {
		return ""
	}
	if f := c.Service.Function(ref.Value); f != nil {
		return f.Name
	}
	if f := c.Service.FunctionByLogicalID(ref.Value); f != nil {
		return f.Name
	}
	return ""
}

// MergeResource deep-merges a resource into the template as the plugin's
// _.merge does: an existing resource with the same logical ID keeps its
// place and takes the new values over its own. It merges into a copy,
// so that a value the resource might share changes nowhere else.
func (c *Context) MergeResource(id string, body any) {
	if old, ok := c.Template.Resource(id).(cfn.Raw); ok {
		c.Add(id, cfn.Raw(cfn.Merge(cfn.Clone(map[string]any(old)), body).(map[string]any)))
		return
	}
	c.Add(id, cfn.Raw(cfn.Merge(map[string]any{}, body).(map[string]any)))
}

// DeployFailure reports input CloudFormation or Step Functions would reject
// at deploy time: an error in the default mode; in plugin mode a warning,
// because the plugin writes the template anyway.
func (c *Context) DeployFailure(pos diag.Pos, summary, detail string, args ...any) {
	if c.Quirks.Lenient {
		c.Diags.Warnf(pos, summary, "%s The plugin and the framework write it anyway; the deploy fails.", fmt.Sprintf(detail, args...))
		return
	}
	c.Diags.Errorf(pos, summary, detail, args...)
}

// Compat is the mode the schema's decoders report for: plugin when a
// finding on input the plugin accepts is a warning (Quirks.Lenient).
func (c *Context) Compat() schema.Compat {
	if c.Quirks.Lenient {
		return schema.CompatPlugin
	}
	return schema.CompatDefault
}

// Strictf reports a finding on input the plugin accepts: an error in the
// default mode, a warning in plugin mode (mode.Quirks.Lenient).
func (c *Context) Strictf(pos diag.Pos, summary, detail string, args ...any) {
	if c.Quirks.Lenient {
		c.Diags.Warnf(pos, summary, detail, args...)
	} else {
		c.Diags.Errorf(pos, summary, detail, args...)
	}
}
