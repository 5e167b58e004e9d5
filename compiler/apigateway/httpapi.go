package apigateway

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/compiler/lambda/events"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// State machines' httpApi events (the default mode only: the plugin has
// none and ignores them). Each is a route on the service's HTTP API, the
// one the functions' httpApi events use (created when none exists), whose
// integration is API Gateway's own Step Functions integration: no
// Lambda, no mapping templates, a role that may start exactly that
// machine with exactly that action.

// machineHTTPAPIActions are the actions an httpApi event may take, the
// integration subtypes StepFunctions-<action>.
var machineHTTPAPIActions = []string{"StartExecution", "StartSyncExecution"}

var machineHTTPAPIPath = lazyre.New(`^(?:\*|/\S*)$`)

type machineRoute struct {
	m   *schema.StateMachine
	e   *schema.MachineHTTPAPIEvent
	key string
	// authType is "", "aws_iam" or the authorizer's kind; authID its Ref.
	authType string
	authID   any
	scopes   []any
}

// EmitHTTPAPI compiles the state machines' httpApi events.
func EmitHTTPAPI(ctx *emit.Context) {
	c := &emitter{ctx}
	if c.Quirks.MachineHTTPAPIIgnored {
		return // machineevents.ReportIgnored warns that the plugin ignores them
	}
	cfg := c.Service.Provider.HTTPAPI
	taken := c.baseHTTPAPIRoutes()
	var routes []*machineRoute
	seen := map[string]bool{}
	for _, m := range c.Service.StepFunctions.StateMachines {
		if m.Events == nil {
			continue
		}
		for _, ev := range m.Events.Items {
			p := ev.Pair("httpApi")
			if p == nil {
				continue
			}
			r := c.machineRoute(m, schema.DecodeMachineHTTPAPIEvent(p), taken, seen)
			if r != nil {
				routes = append(routes, r)
			}
		}
	}
	if len(routes) == 0 || c.Diags.HasErrors() {
		return
	}
	var apiID any = cfn.Ref("HttpApi")
	switch {
	case cfg.ID != nil:
		apiID = jsvalue.Plain(cfg.ID)
	case c.BaseHasResource("HttpApi"):
		c.addBaseCorsMethods(routes)
	default:
		var keys []string
		for _, r := range routes {
			keys = append(keys, r.key)
		}
		res, out := map[string]any{}, map[string]any{}
		events.HTTPAPIShell(c.Service, keys, res, out)
		for _, id := range slices.Sorted(maps.Keys(res)) {
			c.Add(id, cfn.Raw(res[id].(map[string]any)))
		}
		for _, key := range slices.Sorted(maps.Keys(out)) {
			o := out[key].(map[string]any)
			c.Template.SetOutput(key, cfn.Output{Description: cfn.String(o["Description"].(string)), Value: o["Value"]})
		}
	}
	roles := map[string]bool{}
	for _, r := range routes {
		action := r.e.Action
		machineID := r.m.LogicalID()
		role := machineID + "HttpApi" + action + "Role"
		integration := "HttpApiIntegration" + machineID + action
		if !roles[role] {
			roles[role] = true
			c.Add(role, cfn.Raw(c.machineHTTPAPIRole(r.m, action)))
			c.Add(integration, cfn.Raw{"Type": "AWS::ApiGatewayV2::Integration", "Properties": map[string]any{
				"ApiId":                cfn.Clone(apiID),
				"IntegrationType":      "AWS_PROXY",
				"IntegrationSubtype":   "StepFunctions-" + action,
				"CredentialsArn":       cfn.GetAtt(role, "Arn"),
				"PayloadFormatVersion": "1.0",
				"RequestParameters":    map[string]any{"StateMachineArn": cfn.Ref(machineID), "Input": "$request.body"},
			}})
		}
		key, id := r.key, "HttpApiRouteDefault"
		if key == "*" {
			key = "$default"
		} else {
			id = "HttpApiRoute" + normalizePath(r.key)
		}
		props := map[string]any{"ApiId": cfn.Clone(apiID), "RouteKey": key,
			"Target": map[string]any{"Fn::Join": []any{"/", []any{"integrations", cfn.Ref(integration)}}}}
		switch r.authType {
		case "":
		case "aws_iam":
			props["AuthorizationType"] = "AWS_IAM"
		case "request":
			props["AuthorizationType"], props["AuthorizerId"] = "CUSTOM", r.authID
		default:
			props["AuthorizationType"], props["AuthorizerId"] = "JWT", r.authID
		}
		if r.scopes != nil {
			props["AuthorizationScopes"] = r.scopes
		}
		c.Add(id, cfn.Raw{"Type": "AWS::ApiGatewayV2::Route", "Properties": props, "DependsOn": integration})
	}
}

// baseHTTPAPIRoutes are the route keys of the routes in the base
// template (the functions' httpApi events), by route key.
func (c *emitter) baseHTTPAPIRoutes() map[string]string {
	taken := map[string]string{}
	if c.Base == nil {
		return taken
	}
	res, _ := c.Base["Resources"].(map[string]any)
	for _, id := range slices.Sorted(maps.Keys(res)) {
		if !jsvalue.IsType(res[id], "AWS::ApiGatewayV2::Route") {
			continue
		}
		props, _ := res[id].(map[string]any)["Properties"].(map[string]any)
		if k, ok := props["RouteKey"].(string); ok {
			if k == "$default" {
				k = "*"
			}
			taken[k] = id
		}
	}
	return taken
}

// machineRoute checks one event; nil when it has errors.
func (c *emitter) machineRoute(m *schema.StateMachine, e *schema.MachineHTTPAPIEvent, taken map[string]string, seen map[string]bool) *machineRoute {
	failed := false
	fail := func(pos diag.Pos, summary, detail string, args ...any) {
		failed = true
		c.Diags.Errorf(pos, summary, detail, args...)
	}
	if e.Malformed {
		fail(e.KeyPos, fmt.Sprintf("state machine %q: httpApi event is neither \"METHOD /path\" nor an object", m.Key),
			"Write the route as a method and a path, such as POST /orders, or as {method, path, action}.")
		return nil
	}
	for _, p := range e.Unknown {
		fail(p.KeyPos, fmt.Sprintf("state machine %q: httpApi event: unknown key %q", m.Key, p.Key),
			"A state machine's httpApi event takes method, path, action and authorizer.%s", diag.DidYouMean(p.Key, schema.MachineHTTPAPIKeys))
	}
	pathPos := e.KeyPos
	if e.PathNode != nil {
		pathPos = e.PathNode.Pos
	}
	switch {
	case !e.HasPath:
		fail(e.KeyPos, fmt.Sprintf("state machine %q: httpApi event has no path", m.Key), "Give path: (starting with /), or \"*\" for the catch-all route.")
	case !machineHTTPAPIPath.MatchString(e.Path):
		fail(pathPos, fmt.Sprintf("state machine %q: httpApi event: invalid path %q", m.Key, e.Path),
			"HTTP API paths start with / and contain no spaces (or are \"*\", the catch-all route).")
	case e.Path == "*" && e.HasMethod && e.Method != "*":
		fail(pathPos, fmt.Sprintf("state machine %q: httpApi event: path \"*\" takes no method", m.Key), "The catch-all route \"*\" ($default) matches every method. Remove method:, or set it to \"*\".")
	case e.Path != "*" && !e.HasMethod:
		fail(e.KeyPos, fmt.Sprintf("state machine %q: httpApi event has no method", m.Key), "Give method: (%s, or \"*\" for any).", strings.Join(schema.HTTPAPIMethods, ", "))
	case e.Path != "*" && e.Method != "*" && !slices.Contains(schema.HTTPAPIMethods, strings.ToUpper(e.Method)):
		fail(e.MethodNode.Pos, fmt.Sprintf("state machine %q: httpApi event: invalid method %q", m.Key, e.Method), "Methods: %s, or \"*\" for any.", strings.Join(schema.HTTPAPIMethods, ", "))
	}
	if !slices.Contains(machineHTTPAPIActions, e.Action) {
		fail(pos(e.ActionNode, e.KeyPos), fmt.Sprintf("state machine %q: httpApi event: unknown action %q", m.Key, e.Action),
			"The HTTP API's Step Functions integration starts executions: action: StartExecution (the default; answers with the execution ARN) or StartSyncExecution (EXPRESS machines; answers with the result).")
	}
	if e.Action == "StartSyncExecution" {
		switch {
		case m.Settings.Type != "EXPRESS":
			failed = true
			c.Diags.Errorf(pos(e.ActionNode, e.KeyPos), "StartSyncExecution on a STANDARD state machine",
				"State machine %q is STANDARD; Step Functions answers StateMachineTypeNotSupported at run time. Set type: EXPRESS on the machine, or use action: StartExecution.", m.Key)
		default:
			c.Diags.Warnf(e.KeyPos, fmt.Sprintf("state machine %q: an HTTP API cannot report a failed execution", m.Key),
				"The HTTP API's StepFunctions-StartSyncExecution integration answers 200 with StartSyncExecution's response whatever the execution's status: callers must check status and parse output, a JSON string. API Gateway also ends the request after 30 seconds. For a FAILED execution mapped to an error status and the bare output as the body, use an http event (REST API) with action: StartSyncExecution instead.")
		}
	}
	if failed {
		return nil
	}
	r := &machineRoute{m: m, e: e, key: schema.HTTPAPIRouteKey(e.Method, e.Path)}
	if id, ok := taken[r.key]; ok {
		fail(pathPos, fmt.Sprintf("state machine %q: httpApi event: route %q is also a function's", m.Key, r.key),
			"The functions' httpApi events already route %s (%s); one route has one integration. Give the state machine another path.", r.key, id)
		return nil
	}
	if seen[r.key] {
		fail(pathPos, fmt.Sprintf("state machine %q: httpApi event: duplicate route %q", m.Key, r.key), "Another state machine httpApi event already has this method and path. Remove one of them.")
		return nil
	}
	seen[r.key] = true
	if e.Authorizer != nil && !c.machineRouteAuthorizer(m, r, e.Authorizer) {
		return nil
	}
	return r
}

// machineRouteAuthorizer resolves an event's authorizer: type: aws_iam,
// or the name of one of provider.httpApi.authorizers, which the
// functions' httpApi events compile.
func (c *emitter) machineRouteAuthorizer(m *schema.StateMachine, r *machineRoute, cfg *schema.HTTPAPIRouteAuthorizer) bool {
	var name string
	a := cfg.Node
	if a.Kind == schema.Map {
		if t := cfg.Type; t != nil && t.Kind == schema.String && t.Value == "aws_iam" {
			if cfg.Name != nil || cfg.Scopes != nil {
				c.Diags.Errorf(a.Pos, fmt.Sprintf("state machine %q: httpApi event: an aws_iam authorizer takes no other settings", m.Key), "Remove name and scopes, or drop type: aws_iam.")
				return false
			}
			r.authType = "aws_iam"
			return true
		}
		name = jsvalue.String(cfg.Name)
		if s := cfg.Scopes; s != nil {
			for _, it := range s.Items {
				r.scopes = append(r.scopes, jsvalue.Plain(it))
			}
		}
	} else {
		name = jsvalue.String(a)
	}
	var def *schema.HTTPAPIAuthorizer
	for _, x := range c.Service.Provider.HTTPAPI.AuthorizerList() {
		if x.Key == name {
			x := x
			def = &x
		}
	}
	id := ""
	if def != nil {
		id = "HttpApiAuthorizer" + schema.NormalizeName(def.Name)
	}
	if def == nil || !c.BaseHasResource(id) {
		c.Diags.Errorf(a.Pos, fmt.Sprintf("state machine %q: httpApi event references not configured authorizer %q", m.Key, name),
			"A state machine's route can use type: aws_iam, or an authorizer of provider.httpApi.authorizers that the functions' httpApi events compile (the framework creates authorizers only for an API with function routes).")
		return false
	}
	r.authType, r.authID = def.Type, cfn.Ref(id)
	if r.authType != "request" {
		r.authType = "jwt"
	}
	return true
}

// machineHTTPAPIRole may start exactly the machine with exactly the
// action.
func (c *emitter) machineHTTPAPIRole(m *schema.StateMachine, action string) map[string]any {
	statements := []any{map[string]any{"Effect": "Allow", "Action": "states:" + action, "Resource": cfn.Ref(m.LogicalID())}}
	g := &apiGen{c: c}
	if key := g.kmsKey(&httpEvent{m: m}); key != nil {
		kms := []any{"kms:GenerateDataKey"}
		if action == "StartSyncExecution" {
			kms = []any{"kms:Decrypt", "kms:GenerateDataKey"}
		}
		statements = append(statements, map[string]any{"Effect": "Allow", "Action": kms, "Resource": key})
	}
	props := map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}}},
		"Policies": []any{map[string]any{"PolicyName": "httpapitostepfunctions", "PolicyDocument": map[string]any{
			"Version": "2012-10-17", "Statement": statements}}},
	}
	if b := c.Service.Provider.RolePermissionsBoundary; b.Truthy() {
		props["PermissionsBoundary"] = jsvalue.Plain(b)
	}
	if p := c.Service.Provider.RolePath; p.Truthy() {
		props["Path"] = jsvalue.Plain(p)
	}
	return map[string]any{"Type": "AWS::IAM::Role", "Properties": props}
}

// addBaseCorsMethods adds the machines' route methods to the cors methods
// of the functions' API, when the framework fills them from the routes.
func (c *emitter) addBaseCorsMethods(routes []*machineRoute) {
	if !events.HTTPAPIFillsCorsMethods(c.Service.Provider.HTTPAPI) {
		return
	}
	res, _ := c.Base["Resources"].(map[string]any)
	api, _ := res["HttpApi"].(map[string]any)
	props, _ := api["Properties"].(map[string]any)
	cors, _ := props["CorsConfiguration"].(map[string]any)
	methods, ok := cors["AllowMethods"].([]any)
	if !ok {
		return
	}
	have := map[string]bool{}
	for _, m := range methods {
		if s, ok := m.(string); ok {
			have[s] = true
		}
	}
	for _, r := range routes {
		for _, m := range events.HTTPAPIRouteMethods(r.key) {
			if !have[m] {
				have[m] = true
				methods = append(methods, m)
			}
		}
	}
	cors["AllowMethods"] = methods
}
