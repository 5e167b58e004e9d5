package compiler

import (
	"sort"
	"strings"

	"github.com/stepform/stepform/compiler/apigateway"
	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
)

// withoutGenerated returns a copy of a --base template without what the
// plugin or stepform generated into it, so that a template they already
// processed (the file `stepform package` writes, or `sls package` with the
// plugin) compiles to the same output as the framework's own template.
// Without it a second run appends the methods to the deployment's
// DependsOn again, and resources of a renamed path or machine stay.
//
// Generated resources are recognised by type and name: state machines,
// activities and the roles, policies, permissions, methods and layer
// version copies named after them; then whatever of the plugin's kinds
// refers to a removed resource, and the API Gateway resources only removed
// ones used. The framework's own resources never match, and resources of
// the service's resources block that do are merged back from it.
//
// It also returns the OPTIONS methods of the base that a generated CORS
// method was merged into and that stay because a function's method is on
// the same path: what the merge overwrote cannot be told apart. An OPTIONS
// method on such a path that the framework does not make (frameworkPreflights:
// no function's event there has cors) is generated, and goes.
//
// framework tells what the framework makes for the service's functions.
func withoutGenerated(base map[string]any, framework frameworkAPI) (map[string]any, []string) {
	base = cfn.Clone(base).(map[string]any)
	res, _ := base["Resources"].(map[string]any)
	if len(res) == 0 {
		return base, nil
	}
	removed := map[string]bool{}
	for id, r := range res {
		if seedGenerated(id, r, res) || !framework.plainKeys && pluginPlainKey(id, r) {
			removed[id] = true
		}
	}
	for id := range removed {
		if jsvalue.IsType(res[id], "AWS::StepFunctions::StateMachine") {
			for other, r := range res {
				if jsvalue.IsType(r, "AWS::IAM::Role") && other == id+"Role" || smResourcePolicy.MatchString(strings.TrimPrefix(other, id)) && strings.HasPrefix(other, id) {
					removed[other] = true
				}
			}
		}
	}
	if len(removed) == 0 {
		return base, nil
	}
	refs := map[string]map[string]bool{}
	for id, r := range res {
		refs[id] = referencedIDs(r)
	}
	// usedByRemoved: resources a removed resource referred to; an API
	// Gateway resource of those that nothing else uses was generated too.
	for changed := true; changed; {
		changed = false
		usedByRemoved := map[string]bool{}
		usedByKept := map[string]bool{}
		methodOn := map[string]bool{} // resources with a kept non-OPTIONS method
		methodRemovedOn := map[string]bool{}
		apiHasMethod := map[string]bool{}
		for id, r := range res {
			target := usedByKept
			if removed[id] {
				target = usedByRemoved
			}
			for ref := range refs[id] {
				target[ref] = true
			}
			if jsvalue.IsType(r, "AWS::ApiGateway::Method") {
				resID := methodResource(r)
				if removed[id] {
					methodRemovedOn[resID] = true
				} else if !isOptionsMethod(r) {
					methodOn[resID] = true
					for ref := range refs[id] {
						apiHasMethod[ref] = true
					}
				}
			}
		}
		for _, id := range sortedKeys(res) {
			if removed[id] {
				continue
			}
			r := res[id]
			typ := resourceType(r)
			drop := false
			switch {
			case typ == "AWS::ApiGateway::Method" && isOptionsMethod(r):
				resID := methodResource(r)
				drop = methodRemovedOn[resID] && !methodOn[resID] || refersTo(refs[id], removed)
			case typ == "AWS::ApiGateway::RestApi":
				drop = usedByRemoved[id] && !apiHasMethod[id]
			case typ == "AWS::ApiGateway::Resource", typ == "AWS::ApiGateway::Authorizer",
				typ == "AWS::ApiGateway::Model", typ == "AWS::ApiGateway::RequestValidator":
				drop = usedByRemoved[id] && !usedByKept[id] || refersTo(refs[id], removed)
			case generatedKinds[typ]:
				drop = refersTo(refs[id], removed)
			}
			if drop {
				removed[id] = true
				changed = true
			}
		}
	}
	var mergedOptions []string
	methodRemovedOn := map[string]bool{}
	for id, r := range res {
		if removed[id] && jsvalue.IsType(r, "AWS::ApiGateway::Method") && !isOptionsMethod(r) {
			methodRemovedOn[methodResource(r)] = true
		}
	}
	for _, id := range sortedKeys(res) {
		if !removed[id] && jsvalue.IsType(res[id], "AWS::ApiGateway::Method") && isOptionsMethod(res[id]) && methodRemovedOn[methodResource(res[id])] {
			if !framework.preflights[id] {
				removed[id] = true
				continue
			}
			mergedOptions = append(mergedOptions, id)
		}
	}
	for id := range removed {
		delete(res, id)
	}
	for _, r := range res {
		if m, ok := r.(map[string]any); ok {
			dropDependsOn(m, removed)
		}
	}
	if outputs, ok := base["Outputs"].(map[string]any); ok {
		for id, o := range outputs {
			if refersTo(referencedIDs(o), removed) {
				delete(outputs, id)
			}
		}
	}
	return base, mergedOptions
}

// generatedKinds are the resource types the plugin generates that the
// framework also makes for functions; one that refers to a generated
// resource was generated with it. IAM roles are not among them: the
// framework's Lambda role may well refer to a state machine.
var generatedKinds = map[string]bool{
	"AWS::CloudWatch::Alarm": true, "AWS::Events::Rule": true, "AWS::Scheduler::Schedule": true,
	"AWS::ApiGateway::Method": true, "AWS::ApiGateway::Deployment": true, "AWS::ApiGateway::ApiKey": true,
	"AWS::ApiGateway::UsagePlan": true, "AWS::ApiGateway::UsagePlanKey": true,
	"AWS::ApiGateway::GatewayResponse": true, "AWS::Lambda::Permission": true,
	"AWS::ApiGatewayV2::Route": true,
}

var (
	smResourcePolicy = lazyre.New(`^ResourcePolicy[0-9a-f]{5}$`)
	layerVersionCopy = lazyre.New(`^(.+)L[0-9a-f]{8}$`)
)

// seedGenerated reports resources whose type or name only the plugin (or
// stepform) uses.
// frameworkAPI is what the framework makes of the functions' http events
// that the plugin's resources can share a logical ID with.
type frameworkAPI struct {
	// preflights are the framework's CORS preflight methods.
	preflights map[string]bool
	// plainKeys says the framework may make unnamed API keys and plan
	// keys and ApiGatewayUsagePlan (not with only per-plan keys).
	plainKeys bool
}

var plainKeyID = lazyre.New(`^ApiGateway(ApiKey|UsagePlanKey)\d+$|^ApiGatewayUsagePlan$`)

// pluginPlainKey reports the plugin's unnamed keys and plan.
func pluginPlainKey(id string, r any) bool {
	switch resourceType(r) {
	case "AWS::ApiGateway::ApiKey", "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::UsagePlanKey":
		return plainKeyID.MatchString(id)
	}
	return false
}

func seedGenerated(id string, r any, res map[string]any) bool {
	m, _ := r.(map[string]any)
	props, _ := m["Properties"].(map[string]any)
	switch resourceType(r) {
	case "AWS::StepFunctions::StateMachine", "AWS::StepFunctions::Activity":
		return true
	case "AWS::IAM::Role":
		return id == "ApigatewayToStepFunctionsRole" || strings.HasSuffix(id, "ScheduleToStepFunctionsRole") ||
			strings.HasSuffix(id, "EventToStepFunctionsRole") || strings.HasSuffix(id, "NotificationsIamRole") ||
			strings.HasSuffix(id, "HttpApiStartExecutionRole") || strings.HasSuffix(id, "HttpApiStartSyncExecutionRole")
	case "AWS::ApiGatewayV2::Integration":
		// The framework's integrations call Lambda; only stepform's state
		// machine routes use a Step Functions subtype.
		subtype, _ := props["IntegrationSubtype"].(string)
		return strings.HasPrefix(subtype, "StepFunctions-")
	case "AWS::Lambda::Permission":
		// The framework's permissions all end in the event kind
		// (…LambdaPermissionApiGateway); the plugin's authorizer ones do not.
		return strings.HasSuffix(id, "LambdaPermission")
	case "AWS::Lambda::Version":
		sm := layerVersionCopy.FindStringSubmatch(id)
		return sm != nil && jsvalue.IsType(res[sm[1]], "AWS::Lambda::Version")
	case "AWS::ApiGateway::Method":
		return strings.Contains(string(jsvalue.CompactJSON(props["Integration"])), ":states:action/")
	case "AWS::ApiGateway::GatewayResponse":
		// The framework makes none; stepform's carry its error bodies.
		templates, _ := props["ResponseTemplates"].(map[string]any)
		body, _ := templates["application/json"].(string)
		return apigateway.IsGeneratedGatewayResponse(body)
	}
	return false
}

func isOptionsMethod(r any) bool {
	m, _ := r.(map[string]any)
	props, _ := m["Properties"].(map[string]any)
	return props["HttpMethod"] == "OPTIONS"
}

// methodResource identifies the API resource a method is on.
func methodResource(r any) string {
	m, _ := r.(map[string]any)
	props, _ := m["Properties"].(map[string]any)
	return string(jsvalue.CompactJSON(props["ResourceId"]))
}

func refersTo(refs, ids map[string]bool) bool {
	for ref := range refs {
		if ids[ref] {
			return true
		}
	}
	return false
}

// dropDependsOn removes removed resources from a resource's DependsOn.
func dropDependsOn(r map[string]any, removed map[string]bool) {
	switch d := r["DependsOn"].(type) {
	case string:
		if removed[d] {
			delete(r, "DependsOn")
		}
	case []any:
		kept := []any{}
		for _, e := range d {
			if s, ok := e.(string); !ok || !removed[s] {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			delete(r, "DependsOn")
		} else {
			r["DependsOn"] = kept
		}
	}
}

// referencedIDs collects the logical IDs a value names with Ref,
// Fn::GetAtt or Fn::Sub (DependsOn aside).
func referencedIDs(v any) map[string]bool {
	out := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if len(x) == 1 {
				switch {
				case x["Ref"] != nil:
					if s, ok := x["Ref"].(string); ok {
						out[s] = true
					}
				case x["Fn::GetAtt"] != nil:
					switch g := x["Fn::GetAtt"].(type) {
					case []any:
						if len(g) > 0 {
							if s, ok := g[0].(string); ok {
								out[s] = true
							}
						}
					case string:
						id, _, _ := strings.Cut(g, ".")
						out[id] = true
					}
				case x["Fn::Sub"] != nil:
					text := x["Fn::Sub"]
					if l, ok := text.([]any); ok && len(l) > 0 {
						text = l[0]
					}
					if s, ok := text.(string); ok {
						for _, m := range subReference.FindAllStringSubmatch(s, -1) {
							id, _, _ := strings.Cut(m[1], ".")
							out[id] = true
						}
					}
				}
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				if k != "DependsOn" {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k])
			}
		}
	}
	walk(v)
	return out
}
