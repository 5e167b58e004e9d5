// Package compiler turns a schema.Service into a CloudFormation template:
// the resources serverless-step-functions would add (state machines, their
// roles, activities, alarms, notifications, events, the API), the
// service's own resources block, and the framework's half it merges into:
// the template given with --base, or else, given the code artifacts, the
// functions and their events, which compiler/lambda and
// compiler/lambda/events compile.
//
// It is the orchestrator: Compile hands one emit.Context to each concern
// (compiler/iam, statemachine, alarms, notifications, machineevents,
// apigateway) in the plugin's order, then finishes the template as the
// framework does: the merge into the base, export names, the resources
// block, and the checks on the finished template. The mode's behaviours
// are in package mode; no concern imports this package.
package compiler

import (
	"fmt"

	"github.com/stepform/stepform/compiler/artifact"

	"github.com/stepform/stepform/compiler/alarms"
	"github.com/stepform/stepform/compiler/apigateway"
	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/iam"
	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/lambda"
	fnevents "github.com/stepform/stepform/compiler/lambda/events"
	"github.com/stepform/stepform/compiler/machineevents"
	"github.com/stepform/stepform/compiler/mode"
	"github.com/stepform/stepform/compiler/notifications"
	"github.com/stepform/stepform/compiler/statemachine"
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
	*emit.Context
	opts Options
	// layerVersions are Lambda version copies useExactVersion adds.
	layerVersions []statemachine.LayerVersion
	// frameworkCompiled says opts.Base is the framework's half compiled
	// by stepform (compiler/lambda), not a --base template.
	frameworkCompiled bool
}

// Compile compiles svc into a template document (plain values, ready for
// cfn.JSON or cfn.YAML). The document is nil when diags has errors.
func Compile(svc *schema.Service, opts Options) (map[string]any, diag.List) {
	doc, _, diags := compile(svc, opts, true)
	return doc, diags
}

// FrameworkHalf is the part of svc's template that the framework
// generates (its functions, their events, the deployment bucket),
// compiled from opts.Artifacts as Compile does; nil with a --base
// template or without artifacts. Its findings are Compile's, so they
// are dropped here. inspect uses it to tell where each resource comes
// from.
func FrameworkHalf(svc *schema.Service, opts Options) map[string]any {
	if opts.Base != nil || opts.Artifacts == nil {
		return nil
	}
	var discarded diag.List
	return frameworkHalf(svc, opts.Mode.Quirks(), *opts.Artifacts, &discarded)
}

// UsesCustomResources says whether the framework's half of svc's template
// deploys one of the framework's custom resources, whose code
// (custom-resources.zip) the package must then hold.
func UsesCustomResources(svc *schema.Service) bool { return fnevents.UsesCustomResources(svc) }

// frameworkHalf compiles the framework's half of the template.
func frameworkHalf(svc *schema.Service, quirks *mode.Quirks, artifacts artifact.Set, diags *diag.List) map[string]any {
	t := lambda.Build(lambda.Input{Service: svc, Quirks: quirks, Artifacts: artifacts, Diags: diags})
	fnevents.Compile(fnevents.Input{Service: svc, Template: t, Quirks: quirks, Diags: diags})
	return t.Finish()
}

// compile is Compile that also returns the document as JSON, which the
// size check encodes anyway, so that Build need not encode it again.
func compile(svc *schema.Service, opts Options, keepDoc bool) (map[string]any, cfn.Text, diag.List) {
	var mergedOptions []string
	if opts.Base != nil {
		opts.Base, mergedOptions = withoutGenerated(opts.Base, frameworkAPI{preflights: fnevents.RESTPreflightIDs(svc), plainKeys: fnevents.RESTMakesPlainKeys(svc)})
	}
	ctx := emit.New(svc, opts.Mode.Quirks(), opts.Base)
	c := &compiler{Context: ctx, opts: opts}
	if opts.Base == nil && opts.Artifacts != nil {
		c.Base = frameworkHalf(svc, c.Quirks, *opts.Artifacts, c.Diags)
		c.frameworkCompiled = c.Base != nil
	}
	if sf := svc.StepFunctions; sf != nil {
		c.checkLogicalIDs()
		c.claimMachineIDs()
		for _, m := range sf.StateMachines {
			if m.Settings.Role == nil {
				iam.EmitExecutionRole(c.Context, m)
			}
		}
		c.layerVersions = statemachine.Emit(c.Context)
		alarms.Emit(c.Context)
		notifications.Emit(c.Context)
		machineevents.EmitSchedules(c.Context)
		apigateway.Emit(c.Context)
		apigateway.EmitHTTPAPI(c.Context)
		machineevents.EmitRules(c.Context)
		machineevents.ReportIgnored(c.Context)
	}
	generated, err := c.Template.Doc()
	if err != nil {
		c.Diags.Errorf(diag.Pos{}, "internal error", "%v. Please report this with your serverless.yml.", err)
		return nil, nil, *c.Diags
	}
	c.checkOverwrites(generated)
	if c.Diags.HasErrors() {
		return nil, nil, *c.Diags
	}
	generatedResources, _ := generated["Resources"].(map[string]any)
	for _, id := range mergedOptions {
		if _, again := generatedResources[id]; !again {
			c.Diags.Warnf(diag.Pos{}, fmt.Sprintf("--base: %s holds CORS settings of a state machine's endpoint", id),
				"The base template went through stepform or the plugin before, which merged a state machine's CORS preflight into the framework's OPTIONS method of that path; no state machine serves the path now, but the merged values stay. Run sls package again for a fresh base.")
		}
	}
	doc := c.assemble(generated)
	if c.frameworkCompiled {
		// The deployment's name is a hash of the finished resources.
		stripNullProperties(doc)
		nameRestDeployment(doc)
	}
	c.checkIntrinsics()
	c.checkReferences(doc)
	encoded := c.checkTemplate(doc, keepDoc)
	if c.Diags.HasErrors() {
		return nil, nil, *c.Diags
	}
	if !keepDoc {
		doc = nil
	}
	return doc, encoded, *c.Diags
}

// baseName names the template stepform merges into, for diagnostics.
func (c *compiler) baseName() string {
	if c.frameworkCompiled {
		return "the framework's template (from functions:)"
	}
	return "the --base template"
}
