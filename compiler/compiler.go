// Package compiler turns a schema.Service into a CloudFormation template:
// the resources serverless-step-functions would add (state machines, their
// roles, activities, outputs), the service's own resources block, and,
// when given, the framework's template to merge into.
//
// Compile runs one pass per phase over the typed service, in the plugin's
// order: execution roles, state machines, activities, then the
// framework's merge of the resources block and output exports.
package compiler

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/artifact"
	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/lambda"
	"github.com/stepform/stepform/compiler/lambda/events"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/compiler/mode"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Mode selects between stepform's own output and an exact reproduction of
// the plugin's; package mode lists what differs.
type Mode = mode.Mode

const (
	// Default is stepform's output: the plugin's, minus its accidents
	// (see docs/differences.md).
	Default = mode.Default
	// Plugin reproduces serverless-step-functions exactly, quirks included.
	Plugin = mode.Plugin
)

// Options configures a compilation.
type Options struct {
	Mode Mode
	// Base is a template the framework produced (for services whose Lambda
	// functions it packages), as plain values; nil for none. The output is
	// Base with stepform's resources merged in.
	Base map[string]any
	// Artifacts are the service's code zips. Without Base, the framework's
	// half (functions, their role, versions, the deployment bucket) is
	// compiled from them; nil leaves it out.
	Artifacts *artifact.Set
}

// DefaultDescription is the framework's template description.
const DefaultDescription = "The AWS CloudFormation template for this Serverless application"

type compiler struct {
	svc  *schema.Service
	opts Options
	// q is what the mode reproduces of the plugin.
	q     *mode.Quirks
	tpl   *cfn.Template
	diags diag.List
	// layerVersions are Lambda version copies useExactVersion adds.
	layerVersions []layerVersion
	// claims are the logical IDs configuration entries generate;
	// collided are machines whose ID another entry took first.
	claims   idClaims
	collided map[*schema.StateMachine]bool
	// reportedTags are the tag values already reported as empty.
	reportedTags map[diag.Pos]bool
	// frameworkCompiled says opts.Base is the framework's half compiled
	// by stepform (compiler/lambda), not a --base template.
	frameworkCompiled bool
}

// Compile compiles svc into a template document (plain values, ready for
// cfn.JSON or cfn.YAML). The document is nil when diags has errors.
func Compile(svc *schema.Service, opts Options) (map[string]any, diag.List) {
	doc, _, diags := compile(svc, opts)
	return doc, diags
}

// compile is Compile that also returns the document as JSON, which the
// size check encodes anyway, so that Build need not encode it again.
func compile(svc *schema.Service, opts Options) (map[string]any, []byte, diag.List) {
	var mergedOptions []string
	if opts.Base != nil {
		opts.Base, mergedOptions = withoutGenerated(opts.Base)
	}
	c := &compiler{svc: svc, opts: opts, q: opts.Mode.Quirks(), tpl: cfn.New()}
	if opts.Base == nil && opts.Artifacts != nil {
		t := lambda.Build(lambda.Input{Service: svc, Plugin: opts.Mode == Plugin, Artifacts: *opts.Artifacts, Diags: &c.diags})
		events.Compile(events.Input{Service: svc, Template: t, Plugin: opts.Mode == Plugin, Diags: &c.diags})
		c.opts.Base = t.Finish()
		c.frameworkCompiled = c.opts.Base != nil
	}
	if sf := svc.StepFunctions; sf != nil {
		c.checkLogicalIDs()
		c.claimMachineIDs()
		for _, m := range sf.StateMachines {
			if m.Role == nil {
				c.executionRole(m)
			}
		}
		for _, m := range sf.StateMachines {
			c.stateMachine(m)
		}
		c.activities()
		c.alarms()
		c.notifications()
		c.scheduleEvents()
		c.httpAPI()
		c.machineHTTPAPI()
		c.eventRuleEvents()
		c.reportEvents()
	}
	generated, err := c.tpl.Doc()
	if err != nil {
		c.diags.Errorf(diag.Pos{}, "internal error", "%v. Please report this with your serverless.yml.", err)
		return nil, nil, c.diags
	}
	c.checkOverwrites(generated)
	if c.diags.HasErrors() {
		return nil, nil, c.diags
	}
	generatedResources, _ := generated["Resources"].(map[string]any)
	for _, id := range mergedOptions {
		if _, again := generatedResources[id]; !again {
			c.diags.Warnf(diag.Pos{}, fmt.Sprintf("--base: %s holds CORS settings of a state machine's endpoint", id),
				"The base template went through stepform or the plugin before, which merged a state machine's CORS preflight into the framework's OPTIONS method of that path; no state machine serves the path now, but the merged values stay. Run sls package again for a fresh base.")
		}
	}
	doc := c.assemble(generated)
	c.checkIntrinsics()
	c.checkReferences(doc)
	encoded := c.checkTemplate(doc)
	if c.diags.HasErrors() {
		return nil, nil, c.diags
	}
	return doc, encoded, c.diags
}

// baseName names the template stepform merges into, for diagnostics.
func (c *compiler) baseName() string {
	if c.frameworkCompiled {
		return "the framework's template (from functions:)"
	}
	return "the --base template"
}

func (c *compiler) add(id string, r cfn.Resource) { c.tpl.SetResource(id, r) }

func (c *compiler) plugin() bool { return c.opts.Mode == Plugin }

// functionLogicalID translates a local function key into its logical ID
// when id names a function and not a resource, as the plugin's
// translateLocalFunctionNames does.
func (c *compiler) functionLogicalID(id string) string {
	if c.baseHasResource(id) {
		return id
	}
	if f := c.svc.Function(id); f != nil {
		return f.LogicalID()
	}
	return id
}

func (c *compiler) baseHasResource(id string) bool {
	if c.opts.Base == nil {
		return false
	}
	res, _ := c.opts.Base["Resources"].(map[string]any)
	_, ok := res[id]
	return ok
}

// translateIntrinsic is the plugin's translateLocalFunctionNames: a Ref or
// Fn::GetAtt naming a local function key names its logical ID instead.
func (c *compiler) translateIntrinsic(n *schema.Node) *schema.Node {
	if ref := n.Get("Ref"); ref != nil {
		return schema.NewMap(n.Pos, schema.Pair{Key: "Ref", Value: schema.NewString(c.functionLogicalID(jsvalue.String(ref)), ref.Pos)})
	}
	if ga := n.Get("Fn::GetAtt"); ga != nil && ga.Kind == schema.String {
		// The plugin destructures the string form as an array, which takes
		// its first two characters ("Hello.Arn" → ["H", "e"]). The default
		// mode reads it as CloudFormation does: logical ID, dot, attribute.
		var id, attr string
		if c.q.GetAttStringAsCharacters {
			r := []rune(ga.Value + "\x00\x00")
			id, attr = string(r[0]), string(r[1])
		} else {
			id, attr, _ = strings.Cut(ga.Value, ".")
		}
		return schema.NewMap(n.Pos, schema.Pair{Key: "Fn::GetAtt", Value: &schema.Node{Kind: schema.List, Pos: ga.Pos,
			Items: []*schema.Node{schema.NewString(c.functionLogicalID(id), ga.Pos), schema.NewString(attr, ga.Pos)}}})
	}
	if ga := n.Get("Fn::GetAtt"); ga != nil && ga.Kind == schema.List && len(ga.Items) > 0 {
		items := append([]*schema.Node{schema.NewString(c.functionLogicalID(jsvalue.String(ga.Items[0])), ga.Items[0].Pos)}, ga.Items[1:]...)
		if len(items) < 2 {
			items = append(items, &schema.Node{Kind: schema.Null})
		}
		return schema.NewMap(n.Pos, schema.Pair{Key: "Fn::GetAtt", Value: &schema.Node{Kind: schema.List, Items: items[:2], Pos: ga.Pos}})
	}
	return n
}

// localFunctionName is the plugin's resolveLambdaFunctionName: the deployed
// name of the function a {Ref} names (by key or logical ID), or "".
func (c *compiler) localFunctionName(n *schema.Node) string {
	ref := n.Get("Ref")
	if ref == nil || ref.Kind != schema.String {
		return ""
	}
	if f := c.svc.Function(ref.Value); f != nil {
		return f.Name
	}
	if f := c.svc.FunctionByLogicalID(ref.Value); f != nil {
		return f.Name
	}
	return ""
}

// staticLambdaArn is the ARN the plugin writes for a local function so
// that nothing depends on the function resource.
func staticLambdaArn(name string) string {
	return fmt.Sprintf("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:%s", name)
}
