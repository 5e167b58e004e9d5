// Package apigateway compiles the http events of the state machines into
// the REST API in front of them, as the plugin's apiGateway pipeline does:
// the RestApi (or a shared one), resources per path, a method per event
// with its integration, request validators and models, authorizers and
// their Lambda permissions, CORS preflights, the API's role, the
// deployment, API keys and the usage plan. Every step merges into one set
// of resources in the plugin's order, so two events on the same method
// merge. In the default mode an event whose action starts an execution
// gets stepform's integration (sfn.go, sfn_templates.go); plugin mode
// keeps the plugin's (mode.Quirks.PluginStartIntegration and the other
// API Gateway quirks, rows H1-H15 and Y1-Y15 of docs/differences.md).
//
// httpapi.go compiles the state machines' httpApi events (default mode
// only, row FE8): routes on the service's HTTP API, the one the
// functions' httpApi events use (compiler/lambda/events), with API
// Gateway's own Step Functions integration.
package apigateway

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/compiler/internal/restree"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// apiGen builds the REST API in front of the state machines the way the
// plugin's apiGateway pipeline does: every step lodash-merges into one
// set of resources, so two events on the same method merge.
type apiGen struct {
	c      *emitter
	res    map[string]any
	order  []string
	events []*httpEvent
	pre    []*preflight
	// apiGW are the decoded provider.apiGateway settings.
	apiGW     *schema.APIGatewaySettings
	restAPIID any
	// sharedAPI is true when provider.apiGateway.restApiId names an
	// existing API: no RestApi resource is made.
	sharedAPI bool
	tree      map[string]*restree.Node
	// adopted is how many resources of order the deployment hash
	// adopted (see cfn.WriteGoJSONAdopting); changed are those merged
	// into or replaced since.
	adopted      int
	changed      map[string]bool
	methodIDs    []string
	deploymentID string
	// endpoint is the API's endpoint type ("" for a shared API).
	endpoint    string
	authorizers []string
	// authorizerPos is where each of our authorizers is configured.
	authorizerPos map[string]diag.Pos
}

// merge is _.merge(Resources, {[id]: v}). A new resource takes v as it
// is (cfn.Own), so v must share no value with another resource (see
// apiID); an existing one is merged into as a copy.
func (g *apiGen) merge(id string, v map[string]any) {
	if old, ok := g.res[id]; ok {
		g.res[id] = cfn.Merge(cfn.Clone(old), v)
		if g.changed != nil {
			g.changed[id] = true
		}
		return
	}
	g.res[id] = cfn.Own(v)
	g.order = append(g.order, id)
}

// set is Object.assign(Resources, {[id]: v}): it replaces.
func (g *apiGen) set(id string, v map[string]any) {
	if _, ok := g.res[id]; !ok {
		g.order = append(g.order, id)
	}
	g.res[id] = v
	if g.changed != nil {
		g.changed[id] = true
	}
}

// Emit compiles every http event into API Gateway resources.
func Emit(ctx *emit.Context) {
	c := &emitter{ctx}
	events, pre := c.httpEvents()
	if len(events) == 0 {
		return
	}
	eventErrors := c.Diags.HasErrors()
	// Room for about a resource and a method per event.
	g := &apiGen{c: c, res: make(map[string]any, 2*len(events)), authorizerPos: map[string]diag.Pos{}, events: events, pre: pre, apiGW: &c.Service.Provider.APIGateway}
	if id := g.apiGW.RestAPIID; id != nil {
		g.sharedAPI, g.restAPIID = true, jsvalue.Plain(id)
	} else {
		g.restAPIID = cfn.Ref("ApiGatewayRestApi")
	}
	c.warnUnusedAPISettings(g.apiGW.Unapplied)
	g.restAPI()
	g.checks()
	if eventErrors || !g.resources() {
		return
	}
	g.methods()
	g.requestValidators()
	g.authorizerResources()
	g.lambdaPermissions()
	g.corsMethods()
	g.gatewayResponses()
	g.iamRole()
	g.deployment()
	g.apiKeys()
	g.usagePlan()
	for i, id := range g.order {
		if i < g.adopted && !g.changed[id] {
			c.Template.SetAdoptedResource(id, cfn.Raw(g.res[id].(map[string]any)))
		} else {
			c.Add(id, cfn.Raw(g.res[id].(map[string]any)))
		}
	}
	c.Template.SetOutput("ServiceEndpoint", cfn.Output{
		Description: cfn.String("URL of the service endpoint"),
		Value: map[string]any{"Fn::Join": []any{"", []any{"https://", g.apiID(), ".execute-api.", cfn.Ref("AWS::Region"), ".",
			cfn.Ref("AWS::URLSuffix"), "/" + c.Service.Stage}}},
	})
}

// warnUnusedAPISettings reports provider settings the framework applies
// to its own API but the plugin never reads.
func (c *emitter) warnUnusedAPISettings(unapplied []schema.Pair) {
	if c.BaseHasResource("ApiGatewayRestApi") || c.baseHasDeployment() {
		return
	}
	for _, p := range unapplied {
		c.Diags.Warnf(p.KeyPos, fmt.Sprintf("provider.apiGateway.%s is not applied", p.Key),
			"serverless-step-functions does not read it for the API it creates; only an API the framework creates for Lambda http events gets it.")
	}
}

// baseHasDeployment says the framework deployed functions' http events
// (on its own API or on provider.apiGateway.restApiId).
func (c *emitter) baseHasDeployment() bool {
	res, _ := c.Base["Resources"].(map[string]any)
	for _, r := range res {
		if jsvalue.IsType(r, "AWS::ApiGateway::Deployment") {
			return true
		}
	}
	return false
}

var endpointTypes = []string{"REGIONAL", "EDGE", "PRIVATE"}

// restAPI is compileRestApi.
func (g *apiGen) restAPI() {
	if g.sharedAPI {
		return
	}
	g.endpoint = "EDGE"
	c := g.c
	endpoint := "EDGE"
	conf := map[string]any{}
	if et := g.apiGW.EndpointType; et != nil {
		if et.Kind != schema.String {
			c.Diags.Errorf(et.Pos, "endpointType must be a string", "Use REGIONAL, EDGE or PRIVATE.")
			return
		}
		if v := g.apiGW.VPCEndpointIDs; v != nil {
			conf["VpcEndpointIds"] = jsvalue.Plain(v)
			private := et.Value == "PRIVATE"
			if !c.Quirks.PrivateEndpointCaseSensitive {
				private = strings.ToUpper(et.Value) == "PRIVATE"
			}
			if !private {
				c.Diags.Errorf(et.Pos, "vpcEndpointIds need a private API", "provider.vpcEndpointIds are only available with endpointType: PRIVATE (the plugin accepts only the upper-case spelling).")
			}
		}
		if !slices.Contains(endpointTypes, strings.ToUpper(et.Value)) {
			c.Diags.Errorf(et.Pos, fmt.Sprintf("invalid endpointType %q", et.Value), "endpointType is REGIONAL, EDGE or PRIVATE.%s",
				diag.DidYouMean(strings.ToUpper(et.Value), endpointTypes))
		}
		endpoint = strings.ToUpper(et.Value)
	}
	conf["Types"] = []any{endpoint}
	g.endpoint = endpoint
	name := fmt.Sprintf("%s-%s", c.Service.Stage, c.Service.Name)
	if g.apiGW.ShouldStartNameWithService {
		name = fmt.Sprintf("%s-%s", c.Service.Name, c.Service.Stage)
	}
	if n := g.apiGW.APIName; n != nil {
		name = jsvalue.String(n)
	}
	props := map[string]any{"Name": name, "EndpointConfiguration": conf}
	if policy := g.apiGW.PluginResourcePolicy(); !isEmpty(policy) {
		props["Policy"] = map[string]any{"Version": "2012-10-17", "Statement": coercePolicyActions(jsvalue.Plain(policy))}
	}
	g.merge("ApiGatewayRestApi", map[string]any{"Type": "AWS::ApiGateway::RestApi", "Properties": props})
}

// isEmpty is lodash's _.isEmpty.
func isEmpty(n *schema.Node) bool {
	if n == nil {
		return true
	}
	switch n.Kind {
	case schema.Map:
		return len(n.Pairs) == 0
	case schema.List:
		return len(n.Items) == 0
	case schema.String:
		return n.Value == ""
	}
	return true
}

// coercePolicyStatements applies the framework's configuration schema to
// resource policy statements, as its validator (coerceTypes: "array")
// rewrites them before the plugin reads them: Action, NotAction and the
// Principal's Service, Federated, CanonicalUser and AWS lists take a
// single string as a one-item list, and a one-item Resource list holding
// an ARN or an execute-api:/ path becomes that string.
func coercePolicyActions(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	toList := func(m map[string]any, k string) {
		if s, ok := m[k].(string); ok {
			m[k] = []any{s}
		}
	}
	for _, st := range list {
		m, ok := st.(map[string]any)
		if !ok {
			continue
		}
		toList(m, "Action")
		toList(m, "NotAction")
		if p, ok := m["Principal"].(map[string]any); ok {
			for _, k := range []string{"Service", "Federated", "CanonicalUser"} {
				toList(p, k)
			}
			if s, ok := p["AWS"].(string); ok && s != "*" {
				p["AWS"] = []any{s}
			}
		}
		for _, k := range []string{"Resource", "NotResource"} {
			if l, ok := m[k].([]any); ok && len(l) == 1 {
				if s, ok := l[0].(string); ok && (strings.HasPrefix(s, "arn:") || strings.HasPrefix(s, "execute-api:/")) {
					m[k] = s
				}
			}
		}
	}
	return v
}

// resources is compileResources: the path tree cut below predefined
// resources (restree), and a Resource per path that has no ID yet.
func (g *apiGen) resources() bool {
	paths := make([]string, len(g.events))
	for i, e := range g.events {
		paths[i] = e.Path
	}
	tree, missing := restree.Build(restree.Predefs(g.apiGW), paths, normalizePath)
	if missing != "" {
		g.c.Diags.Errorf(g.apiGW.RestAPIResources.Pos, fmt.Sprintf("resource ID for path %s is required", missing),
			"With provider.apiGateway.restApiResources, every existing path above an http event must be listed with its resource ID.")
		return false
	}
	g.tree = tree.Nodes
	for _, e := range g.events {
		if e.Path != "" && g.tree[e.Path] == nil {
			g.c.Diags.Errorf(e.Pos, fmt.Sprintf("no API Gateway resource for path %s", e.Path),
				"The path is missing from provider.apiGateway.restApiResources as the plugin reads it; write the listed paths without a leading slash.")
			return false
		}
	}
	for _, path := range tree.Paths {
		r := g.tree[path]
		if r.ResourceID != nil {
			continue
		}
		logicalID := "ApiGatewayResource" + normalizePath(path)
		r.ResourceID = cfn.Ref(logicalID)
		var parentID any
		if r.Parent != nil {
			parentID = cfn.Clone(r.Parent.ResourceID)
		} else {
			parentID = g.rootResourceID()
		}
		props := map[string]any{"ParentId": parentID, "PathPart": r.PathPart, "RestApiId": g.apiID()}
		if r.NoPathPart {
			delete(props, "PathPart")
			if !g.c.Quirks.RestAPIResourcesUnchecked {
				g.c.Diags.Errorf(g.apiGW.RestAPIResources.Pos, fmt.Sprintf("restApiResources entry %s has no resourceId", path),
					"serverless-step-functions would create a Resource without PathPart for it, which CloudFormation rejects; give the entry its resourceId, or remove it.")
			}
		}
		g.merge(logicalID, map[string]any{"Type": "AWS::ApiGateway::Resource", "Properties": props})
	}
	return true
}

// apiID is the RestApiId of the resources, a value of each one's own:
// resources share no values (see cfn.Template.Doc).
func (g *apiGen) apiID() any { return cfn.Clone(g.restAPIID) }

func (g *apiGen) rootResourceID() any {
	if r := g.apiGW.RestAPIRootResourceID; r != nil {
		return jsvalue.Plain(r)
	}
	return cfn.GetAtt("ApiGatewayRestApi", "RootResourceId")
}

func (g *apiGen) resourceID(path string) any {
	if path == "" {
		return g.rootResourceID()
	}
	return cfn.Clone(g.tree[path].ResourceID)
}

func (g *apiGen) resourceName(path string) string {
	if path == "" {
		return ""
	}
	return g.tree[path].Name
}

var braceVar = lazyre.New(`\{(.*)\}`)

// dropNonAlnum removes everything but ASCII letters and digits from s. A
// multi-byte character's bytes are all non-ASCII, so dropping bytes drops
// whole characters.
func dropNonAlnum(s string) string {
	keep := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }
	i := 0
	for i < len(s) && keep(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s[:i])
	for ; i < len(s); i++ {
		if keep(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// normalizePath is the framework's normalizePath: each segment
// capitalised (the rest lower-cased), "-" spelled Dash, {x} as xVar, and
// everything else that is not a letter or digit dropped.
func normalizePath(path string) string {
	var b strings.Builder
	for _, part := range strings.Split(path, "/") {
		s := capitalize(part)
		s = strings.ReplaceAll(s, "-", "Dash")
		if strings.Contains(s, "{") {
			s = braceVar.ReplaceAllString(s, "${1}Var")
		}
		s = dropNonAlnum(s)
		b.WriteString(upperFirstASCII(s))
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(strings.ToLower(s))
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func upperFirstASCII(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func methodLogicalID(resourceName, method string) string {
	return "ApiGatewayMethod" + resourceName + upperFirstASCII(strings.ToLower(method))
}

// methods is compileMethods.
func (g *apiGen) methods() {
	for _, e := range g.events {
		props := map[string]any{
			"HttpMethod":        strings.ToUpper(e.Method),
			"RequestParameters": map[string]any{},
			"AuthorizationType": "NONE",
			"ApiKeyRequired":    e.Private,
			"ResourceId":        g.resourceID(e.Path),
			"RestApiId":         g.apiID(),
		}
		if g.sfnManaged(e) {
			props["Integration"], props["MethodResponses"] = g.sfnIntegration(e)
		} else {
			props["Integration"], props["MethodResponses"] = g.integration(e), g.methodResponses(e)
		}
		method := map[string]any{"Type": "AWS::ApiGateway::Method", "Properties": props}
		g.authorization(e, method)
		id := methodLogicalID(g.resourceName(e.Path), e.Method)
		g.checkFunctionMethod(e, id)
		g.methodIDs = append(g.methodIDs, id)
		g.merge(id, method)
	}
}

// checkFunctionMethod reports a state machine's method that a function's
// http event already has: the plugin merges its integration into the
// function's, so one method ends up with a mix of both.
func (g *apiGen) checkFunctionMethod(e *httpEvent, id string) {
	if e.Method == "options" || !g.c.BaseHasResource(id) {
		return
	}
	g.c.Strictf(e.Pos, fmt.Sprintf("state machine %q: %s /%s is also a function's http endpoint", e.m.Key, strings.ToUpper(e.Method), e.Path),
		"Both would be one API Gateway method (%s): the plugin merges the state machine's integration into the function's, so the endpoint calls neither as configured. Give one of them another path or method.", id)
}

func (e *httpEvent) corsOrigin() string {
	if len(e.CORS.Origins) > 0 {
		return strings.Join(e.CORS.Origins, ",")
	}
	if e.CORS.Origin == nil {
		return "undefined"
	}
	return *e.CORS.Origin
}

func (g *apiGen) integration(e *httpEvent) map[string]any {
	var cred any = cfn.GetAtt("ApigatewayToStepFunctionsRole", "Arn")
	if e.IAMRole != nil {
		cred = jsvalue.Plain(e.IAMRole)
	}
	action, passthrough := ":states:action/StartExecution", "NEVER"
	if e.Action.Truthy() {
		action, passthrough = ":states:action/"+jsvalue.String(e.Action), "WHEN_NO_TEMPLATES"
	}
	in := map[string]any{
		"IntegrationHttpMethod": "POST",
		"Type":                  "AWS",
		"Credentials":           cred,
		"Uri": map[string]any{"Fn::Join": []any{"", []any{"arn:", cfn.Ref("AWS::Partition"), ":apigateway:",
			cfn.Ref("AWS::Region"), action}}},
		"PassthroughBehavior": passthrough,
		"RequestTemplates":    g.requestTemplates(e),
	}
	if e.timeout.Truthy() {
		in["TimeoutInMillis"] = jsvalue.Plain(e.timeout)
	}
	var responses []any
	if e.Responses != nil {
		// A list's entries are keyed by their indexes, as _.forOwn does.
		for _, ir := range e.IntegrationResponses {
			responses = append(responses, integrationResponse(ir))
		}
	} else {
		params := map[string]any{}
		if h := e.Response.Headers; h != nil {
			for _, p := range jsvalue.Pairs(h) {
				params["method.response.header."+p.Key] = jsvalue.Plain(p.Value)
			}
		}
		responses = []any{
			map[string]any{"StatusCode": json.Number("200"), "SelectionPattern": "", "ResponseParameters": params,
				"ResponseTemplates": orDefault(e.Response.Template, map[string]any{})},
			map[string]any{"StatusCode": json.Number("400"), "SelectionPattern": "400", "ResponseParameters": map[string]any{},
				"ResponseTemplates": map[string]any{}},
		}
	}
	addCORSOrigin(e, responses, g.c.Quirks.CORSAsPlugin)
	if responses == nil {
		responses = []any{}
	}
	in["IntegrationResponses"] = responses
	return in
}

// orDefault is _.get(obj, key, def): the value unless it is absent.
func orDefault(n *schema.Node, def any) any {
	if n == nil {
		return def
	}
	return jsvalue.Plain(n)
}

// jsToInteger is lodash's _.toInteger of a key string.
func jsToInteger(s string) any {
	if v, ok := schema.JSParseInt(s); ok && fmt.Sprint(v) == strings.TrimSpace(s) {
		return json.Number(fmt.Sprint(v))
	}
	return json.Number("0")
}

func (g *apiGen) requestTemplates(e *httpEvent) any {
	id := e.m.LogicalID()
	def := func() map[string]any {
		t := cfn.SubVars(defaultRequestTemplate, map[string]any{"StateMachineArn": cfn.Ref(id)})
		t2 := cfn.SubVars(defaultRequestTemplate, map[string]any{"StateMachineArn": cfn.Ref(id)})
		return map[string]any{"application/json": t, "application/x-www-form-urlencoded": t2}
	}
	if t := e.Request.Template; t != nil {
		if t.Kind == schema.String && t.Value == "lambda_proxy" {
			vars := func() map[string]any {
				return map[string]any{"StateMachineArn": cfn.Ref(id), "AccountId": cfn.Ref("AWS::AccountId")}
			}
			return map[string]any{
				"application/json":                  cfn.SubVars(lambdaProxyJSONTemplate, vars()),
				"application/x-www-form-urlencoded": cfn.SubVars(lambdaProxyFormTemplate, vars()),
			}
		}
		out := def()
		switch t.Kind {
		case schema.Map:
			for _, p := range t.Pairs {
				out[p.Key] = jsvalue.Plain(p.Value)
			}
		case schema.String:
			// Object.assign copies a string's characters as indexed keys.
			for i, r := range []rune(t.Value) {
				out[fmt.Sprint(i)] = string(r)
			}
		}
		return out
	}
	if e.Action != nil {
		return map[string]any{}
	}
	return def()
}

func (g *apiGen) methodResponses(e *httpEvent) []any {
	params := map[string]any{}
	if h := e.Response.Headers; h != nil {
		for _, p := range h.Pairs {
			params["method.response.header."+p.Key] = jsvalue.Plain(p.Value)
		}
	}
	second := map[string]any{}
	if e.CORS != nil {
		origin := "'" + e.corsOrigin() + "'"
		params["method.response.header.Access-Control-Allow-Origin"] = origin
		second["method.response.header.Access-Control-Allow-Origin"] = origin
		if !g.c.Quirks.CORSAsPlugin {
			// A method response declares its headers (true); the plugin
			// writes the origin there.
			for k, v := range e.corsMethodHeaders() {
				params[k], second[k] = v, v
			}
		}
	}
	return []any{
		map[string]any{"ResponseParameters": params, "ResponseModels": map[string]any{}, "StatusCode": json.Number("200")},
		map[string]any{"ResponseParameters": second, "ResponseModels": map[string]any{}, "StatusCode": json.Number("400")},
	}
}

var cognitoArn = lazyre.New(`^arn:[a-zA-Z-]*:cognito-idp`)

func authorizerLogicalID(name string) string {
	return schema.NormalizeName(name) + "ApiGatewayAuthorizer"
}

func (g *apiGen) authorization(e *httpEvent, method map[string]any) {
	a := e.Authorizer
	if a == nil {
		return
	}
	props := method["Properties"].(map[string]any)
	if a.IAM {
		props["AuthorizationType"] = "AWS_IAM"
		return
	}
	if a.AuthorizerID != nil {
		props["AuthorizationType"] = jsvalue.Plain(a.Type)
		props["AuthorizerId"] = jsvalue.Plain(a.AuthorizerID)
		if a.Scopes != nil {
			props["AuthorizationScopes"] = jsvalue.Plain(a.Scopes)
		}
		return
	}
	id := authorizerLogicalID(a.Name)
	props["AuthorizationType"] = "CUSTOM"
	if s, ok := authorizerARNString(a); ok && cognitoArn.MatchString(s) {
		props["AuthorizationType"] = "COGNITO_USER_POOLS"
		if a.Scopes != nil {
			props["AuthorizationScopes"] = jsvalue.Plain(a.Scopes)
		}
	} else if !g.c.Quirks.CognitoMethodAsCustom && a.Type != nil && strings.ToUpper(a.Type.Value) == "COGNITO_USER_POOLS" {
		// The plugin makes a COGNITO_USER_POOLS authorizer but a CUSTOM method.
		props["AuthorizationType"] = "COGNITO_USER_POOLS"
		if a.Scopes != nil {
			props["AuthorizationScopes"] = jsvalue.Plain(a.Scopes)
		}
	}
	props["AuthorizerId"] = cfn.Ref(id)
	method["DependsOn"] = id
}

// requestValidators is compileRequestValidators.
func (g *apiGen) requestValidators() {
	schemas := g.apiGW.RequestSchemas
	for _, e := range g.events {
		rs := e.Request.Schemas
		if rs == nil || rs.Kind != schema.Map || len(rs.Pairs) == 0 {
			continue
		}
		name := g.resourceName(e.Path)
		mid := methodLogicalID(name, e.Method)
		method := g.res[mid].(map[string]any)
		props := method["Properties"].(map[string]any)
		validator := ""
		for _, m := range e.Request.SchemaList {
			ct, cfg := m.Key, m.Value
			var modelID string
			var provider *schema.RequestModel
			if cfg.Kind != schema.Map && cfg.Kind != schema.List {
				if named := g.apiGW.RequestSchema(jsvalue.String(cfg)); named.Value.Truthy() {
					provider = &named
				}
			}
			if provider != nil {
				modelID = "ApiGateway" + upperFirstASCII(camelCase(jsvalue.String(cfg))) + "Model"
				def := provider.Value
				if s := provider.Schema; s.Truthy() {
					def = s
				}
				mp := map[string]any{"RestApiId": g.apiID(), "Schema": jsvalue.Plain(def), "ContentType": "application/json"}
				if n := provider.Name; n.Truthy() {
					mp["Name"] = jsvalue.Plain(n)
				}
				if d := provider.Description; d.Truthy() {
					mp["Description"] = jsvalue.Plain(d)
				}
				g.set(modelID, map[string]any{"Type": "AWS::ApiGateway::Model", "Properties": mp})
			} else {
				if cfg.Kind == schema.String && !g.c.Quirks.RequestSchemaNamesUnchecked {
					g.c.Diags.Errorf(cfg.Pos, fmt.Sprintf("unknown request schema %q", cfg.Value),
						"A string names a model under provider.apiGateway.request.schemas; none is called that.%s", diag.DidYouMean(cfg.Value, mapKeys(schemas)))
				}
				var def, mname, desc *schema.Node
				def = cfg
				if cfg.Kind == schema.Map || cfg.Kind == schema.List {
					if s := m.Schema; s.Truthy() {
						def, mname, desc = s, m.Name, m.Description
					}
				}
				modelID = mid + startCase(ct) + "Model"
				mp := map[string]any{"RestApiId": g.apiID(), "ContentType": ct, "Schema": jsvalue.Plain(def)}
				if mname != nil {
					mp["Name"] = jsvalue.Plain(mname)
				}
				if desc != nil {
					mp["Description"] = jsvalue.Plain(desc)
				}
				g.set(modelID, map[string]any{"Type": "AWS::ApiGateway::Model", "Properties": mp})
			}
			if validator == "" {
				validator = "ApiGateway" + upperFirstASCII(dropNonAlnum(g.c.Service.Name)) + "RequestValidator"
				g.set(validator, map[string]any{"Type": "AWS::ApiGateway::RequestValidator", "Properties": map[string]any{
					"RestApiId": g.apiID(), "ValidateRequestBody": true, "ValidateRequestParameters": true,
					"Name": fmt.Sprintf("%s-%s | Validate request body and querystring parameters", g.c.Service.Name, g.c.Service.Stage),
				}})
			}
			props["RequestValidatorId"] = cfn.Ref(validator)
			models, _ := props["RequestModels"].(map[string]any)
			if models == nil {
				models = map[string]any{}
				props["RequestModels"] = models
			}
			models[ct] = cfn.Ref(modelID)
		}
	}
}

func mapKeys(n *schema.Node) []string {
	var out []string
	if n != nil {
		for _, p := range n.Pairs {
			out = append(out, p.Key)
		}
	}
	return out
}

// authorizerResources is compileAuthorizers.
func (g *apiGen) authorizerResources() {
	for _, e := range g.events {
		a := e.Authorizer
		if a == nil || a.IAM || a.AuthorizerID != nil || authorizerARN(a) == nil {
			continue
		}
		props := map[string]any{"IdentitySource": authorizerIdentity(a), "Name": a.Name, "RestApiId": g.apiID()}
		if a.TTL != nil {
			props["AuthorizerResultTtlInSeconds"] = json.Number(fmt.Sprint(*a.TTL))
		}
		if v := a.IdentityValidation; v != nil && v.Kind == schema.String {
			props["IdentityValidationExpression"] = v.Value
		}
		typ := ""
		if a.Type != nil {
			typ = strings.ToUpper(a.Type.Value)
		}
		s, isStr := authorizerARNString(a)
		if typ == "COGNITO_USER_POOLS" || (isStr && cognitoArn.MatchString(s)) {
			props["Type"] = "COGNITO_USER_POOLS"
			props["ProviderARNs"] = []any{authorizerARN(a)}
		} else {
			props["AuthorizerUri"] = authorizerURI(authorizerARN(a))
			props["Type"] = "TOKEN"
			if typ != "" {
				props["Type"] = typ
			}
		}
		id := authorizerLogicalID(a.Name)
		if _, ok := g.res[id]; !ok {
			g.authorizers = append(g.authorizers, id)
			g.authorizerPos[id] = a.Pos
		}
		g.merge(id, map[string]any{"Type": "AWS::ApiGateway::Authorizer", "Properties": props})
	}
}

func authorizerURI(arn any) any {
	return map[string]any{"Fn::Join": []any{"", []any{"arn:", cfn.Ref("AWS::Partition"), ":apigateway:", cfn.Ref("AWS::Region"),
		":lambda:path/2015-03-31/functions/", arn, "/invocations"}}}
}

var lambdaArnRe = lazyre.New(`^arn:[^:\n]*:[^:\n]*:[^:\n]*:[^:\n]*:([^:/]*)[:/]?.*$`)

// lambdaPermissions is compileHttpLambdaPermissions: one invoke permission
// per function behind a Lambda authorizer, the framework's included.
func (g *apiGen) lambdaPermissions() {
	type authz struct {
		id    string
		props map[string]any
		ours  bool
	}
	var all []authz
	if g.c.Base != nil {
		res, _ := g.c.Base["Resources"].(map[string]any)
		for _, id := range slices.Sorted(maps.Keys(res)) {
			if jsvalue.IsType(res[id], "AWS::ApiGateway::Authorizer") {
				props, _ := res[id].(map[string]any)["Properties"].(map[string]any)
				all = append(all, authz{id, props, false})
			}
		}
	}
	for _, id := range g.authorizers {
		props := g.res[id].(map[string]any)["Properties"].(map[string]any)
		all = append(all, authz{id, props, true})
	}
	seen := map[string]bool{}
	for _, a := range all {
		typ := a.props["Type"]
		if !(typ == "CUSTOM" || typ == "TOKEN" || (!g.c.Quirks.RequestAuthorizersWithoutPermission && a.ours && typ == "REQUEST")) {
			continue
		}
		fn := authorizerFunction(a.props["AuthorizerUri"])
		if fn == nil {
			continue
		}
		key, _ := json.Marshal(fn)
		if seen[string(key)] {
			continue
		}
		seen[string(key)] = true
		var id string
		var name any
		switch f := fn.(type) {
		case string:
			if m := lambdaArnRe.FindStringSubmatch(f); m != nil {
				name = f
				id = m[1] + "LambdaPermission"
				if !g.c.Quirks.AuthorizerPermissionsBySixthSegment {
					// The plugin names every ARN's permission after the ARN's
					// sixth segment ("function"), so only the last survives.
					id = a.id + "LambdaPermission"
				}
			} else {
				name = cfn.GetAtt(f, "Arn")
				id = f + "LambdaPermission"
			}
		default:
			if !a.ours {
				// The framework's authorizer (of an aliased function): the
				// framework gives it its permission.
				continue
			}
			g.c.Diags.Warnf(g.authorizerPos[a.id], fmt.Sprintf("no invoke permission for authorizer %s", a.id),
				"Its function is neither a Fn::GetAtt nor an ARN string; add an AWS::Lambda::Permission for apigateway.amazonaws.com yourself.")
			continue
		}
		g.merge(id, map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{
			"FunctionName": name, "Action": "lambda:InvokeFunction", "Principal": cfn.Sub("apigateway.${AWS::URLSuffix}"),
		}})
	}
}

// authorizerFunction is the function an AuthorizerUri invokes: the
// Fn::GetAtt logical ID, or the element before the last.
func authorizerFunction(uri any) any {
	m, _ := uri.(map[string]any)
	join, _ := m["Fn::Join"].([]any)
	if len(join) < 2 {
		return nil
	}
	parts, _ := join[1].([]any)
	for _, p := range parts {
		if pm, ok := p.(map[string]any); ok {
			if ga, ok := pm["Fn::GetAtt"].([]any); ok && len(ga) > 0 {
				return ga[0]
			}
		}
	}
	if len(parts) < 2 {
		return nil
	}
	return parts[len(parts)-2]
}

// corsMethods is compileCors. In the default mode a path whose origins
// cannot be one static value echoes the request's Origin when it is
// allowed (the Framework's preflight template, for its own API), and the
// deployment depends on the OPTIONS methods too, so a stage never goes
// live without its preflights.
func (g *apiGen) corsMethods() {
	for _, pf := range g.pre {
		origin := pf.origin
		if len(pf.origins) > 0 {
			origin = strings.Join(pf.origins, ",")
		}
		echo := ""
		if origins := allowedOrigins(pf.origins, pf.origin); !g.c.Quirks.CORSAsPlugin {
			// One origin per header value: never the plugin's joined list.
			origin = staticOrigin(origins)
			if echoesOrigin(origins) {
				echo = originEchoVTL(origins)
			}
		}
		headers := [][2]string{
			{"Access-Control-Allow-Origin", "'" + origin + "'"},
			{"Access-Control-Allow-Headers", "'" + strings.Join(pf.headers, ",") + "'"},
			{"Access-Control-Allow-Methods", "'" + strings.Join(pf.methods, ",") + "'"},
			{"Access-Control-Allow-Credentials", fmt.Sprintf("'%t'", pf.allowCredentials)},
		}
		if pf.maxAge != nil {
			headers = append(headers, [2]string{"Access-Control-Max-Age", "'" + jsvalue.String(pf.maxAge) + "'"})
		}
		if slices.Contains(pf.methods, "ANY") {
			headers[2][1] = strings.Replace(headers[2][1], "ANY", "DELETE,GET,HEAD,PATCH,POST,PUT", 1)
		}
		setByTemplate := ""
		if echo != "" {
			headers = append(headers, [2]string{"Vary", "'Origin'"})
			// The template sets it, for allowed origins only.
			setByTemplate = "Access-Control-Allow-Origin"
		}
		id := methodLogicalID(g.resourceName(pf.path), "options")
		g.merge(id, restree.PreflightMethod(headers, setByTemplate, echo, g.resourceID(pf.path), g.apiID()))
		if !g.c.Quirks.DeploymentSkipsPreflights && !slices.Contains(g.methodIDs, id) {
			g.methodIDs = append(g.methodIDs, id)
		}
	}
}

// iamRole is compileHttpIamRole: the role API Gateway assumes to call
// Step Functions, unless every event brings its own.
func (g *apiGen) iamRole() {
	need := false
	actions := []any{"states:StartExecution"}
	for _, e := range g.events {
		if e.IAMRole == nil {
			need = true
		}
		if e.Action != nil {
			a := "states:" + jsvalue.String(e.Action)
			found := false
			for _, x := range actions {
				found = found || x == a
			}
			if !found {
				actions = append(actions, a)
			}
		}
	}
	if !need {
		return
	}
	statements := []any{map[string]any{"Effect": "Allow", "Action": actions, "Resource": "*"}}
	if !g.c.Quirks.APIRoleOnAllResources {
		statements = g.sfnRoleStatements()
		if len(statements) == 0 {
			return
		}
	}
	props := map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}}},
		"Policies": []any{map[string]any{"PolicyName": "apigatewaytostepfunctions", "PolicyDocument": map[string]any{
			"Version": "2012-10-17", "Statement": statements}}},
	}
	if b := g.c.Service.Provider.RolePermissionsBoundary; b.Truthy() {
		props["PermissionsBoundary"] = jsvalue.Plain(b)
	}
	if p := g.c.Service.Provider.RolePath; p.Truthy() {
		props["Path"] = jsvalue.Plain(p)
	}
	g.merge("ApigatewayToStepFunctionsRole", map[string]any{"Type": "AWS::IAM::Role", "Properties": props})
}

// deployment is compileDeployment. The framework's Deployment, when the
// base has one, gets the methods added to its DependsOn. Otherwise the
// plugin names a new one after the clock; stepform names it after a hash
// of everything it serves, so an unchanged API keeps its deployment and
// any change makes a new one.
func (g *apiGen) deployment() {
	if g.c.Base != nil {
		res, _ := g.c.Base["Resources"].(map[string]any)
		for _, id := range slices.Sorted(maps.Keys(res)) {
			if jsvalue.IsType(res[id], "AWS::ApiGateway::Deployment") {
				g.deploymentID = id
				var deps []any
				switch d := res[id].(map[string]any)["DependsOn"].(type) {
				case []any:
					deps = append(deps, d...)
				case string:
					deps = []any{d}
				}
				for _, m := range g.methodIDs {
					// The framework's deployment already depends on its own
					// OPTIONS method, which ours merged into.
					if !g.c.Quirks.DeploymentSkipsPreflights && containsAny(deps, m) {
						continue
					}
					deps = append(deps, m)
				}
				g.merge(id, map[string]any{"DependsOn": deps})
				return
			}
		}
	}
	// The hash is of json.Marshal of the resources made so far, an
	// object keyed by their IDs, written straight into it. The walk also
	// adopts them into the template, which then need not walk them again.
	hash := md5.New()
	// Resources are objects: adopted in place, they stay what g.res holds.
	if cfn.WriteGoJSONAdopting(hash, g.order, func(id string) any { return g.res[id] }, func(string, any) {}) == nil {
		g.adopted, g.changed = len(g.order), map[string]bool{}
	} else {
		hash.Reset()
	}
	g.deploymentID = "ApiGatewayDeployment" + hex.EncodeToString(hash.Sum(nil))[:12]
	deps := make([]any, len(g.methodIDs))
	for i, m := range g.methodIDs {
		deps[i] = m
	}
	g.merge(g.deploymentID, map[string]any{"Type": "AWS::ApiGateway::Deployment",
		"Properties": map[string]any{"RestApiId": g.apiID(), "StageName": g.c.Service.Stage}, "DependsOn": deps})
}

func containsAny(list []any, v any) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// keyAPIRef is what the plugin writes as the API of keys and usage plans:
// a Ref to ApiGatewayRestApi, or to nothing ({}) with a shared API.
func (g *apiGen) keyAPIRef() any {
	if !g.sharedAPI {
		return cfn.Ref("ApiGatewayRestApi")
	}
	if g.c.Quirks.SharedAPIRefsNothing {
		return map[string]any{}
	}
	return g.apiID()
}

func (g *apiGen) apiKeysNode() *schema.Node {
	return g.apiGW.PluginAPIKeys()
}

// apiKeys is compileApiKeys and compileUsagePlanKeys.
func (g *apiGen) apiKeys() {
	keys := g.apiKeysNode()
	if keys == nil {
		return
	}
	if keys.Kind != schema.List {
		g.c.Diags.Errorf(keys.Pos, "apiKeys must be a list", "Write provider.apiGateway.apiKeys as a list of names or {name, value} objects.")
		return
	}
	if g.usagePlanList() != nil {
		return // usagePlan makes them, per plan
	}
	for i, k := range keys.Items {
		var name, value any
		switch k.Kind {
		case schema.String:
			name = k.Value
		case schema.Map:
			if n := schema.DecodeAPIKey(k).Name; n != nil {
				name = jsvalue.Plain(n)
			} else if len(k.Pairs) == 1 && k.Pairs[0].Value.Kind == schema.List {
				if g.c.Quirks.UsagePlanListsFlattened {
					g.c.Diags.Warnf(k.Pos, "per-usage-plan API keys are not supported",
						"serverless-step-functions makes one usage plan; it creates this entry as one API key without a name. List the keys directly.")
				} else {
					g.c.Diags.Errorf(k.Pos, fmt.Sprintf("API key group %q has no usage plan", k.Pairs[0].Key),
						"usagePlan is one plan, so keys are listed directly. To give groups of keys their own plans, make usagePlan a list of named plans, e.g. usagePlan: [{%s: {quota: {limit: 100, period: DAY}}}].", k.Pairs[0].Key)
				}
			}
			if v := k.Pair("value"); v != nil {
				value = jsvalue.Plain(v.Value)
			}
		case schema.List:
		default:
			g.c.Diags.Errorf(k.Pos, "invalid API key", "API keys are names or {name, value} objects.")
			continue
		}
		props := map[string]any{"Enabled": true, "StageKeys": []any{map[string]any{"RestApiId": g.keyAPIRef(), "StageName": g.c.Service.Stage}}}
		if name != nil {
			props["Name"] = name
		}
		if value != nil {
			props["Value"] = value
		}
		id := fmt.Sprintf("ApiGatewayApiKey%d", i+1)
		g.merge(id, map[string]any{"Type": "AWS::ApiGateway::ApiKey", "Properties": props, "DependsOn": g.deploymentID})
	}
}

// usagePlan is compileUsagePlan and compileUsagePlanKeys.
func (g *apiGen) usagePlan() {
	plan := g.apiGW.PluginUsagePlan()
	keys := g.apiKeysNode()
	if !plan.Truthy() && keys == nil {
		return
	}
	if list := g.usagePlanList(); list != nil {
		g.planKeys(keys, g.namedUsagePlans(list))
		return
	}
	if plan != nil && plan.Kind == schema.List {
		g.c.Diags.Warnf(plan.Pos, "a list of usage plans is not supported",
			"serverless-step-functions makes one usage plan, ApiGatewayUsagePlan, and ignores the list's quotas and throttles; without --compat plugin stepform makes each plan, as the Framework does.")
	}
	stage := g.c.Service.Stage
	props := map[string]any{
		"ApiStages":     []any{map[string]any{"ApiId": g.keyAPIRef(), "Stage": stage}},
		"Description":   fmt.Sprintf("Usage plan for %s %s stage", g.c.Service.Name, stage),
		"UsagePlanName": fmt.Sprintf("%s-%s", g.c.Service.Name, stage),
	}
	limits := schema.DecodeUsagePlanLimits(plan)
	if q := limits.Quota; q != nil && q.Kind != schema.Null {
		props["Quota"] = definedOnly(map[string]any{"Limit": limits.QuotaLimit, "Offset": limits.QuotaOffset, "Period": limits.QuotaPeriod})
	}
	if t := limits.Throttle; t != nil && t.Kind != schema.Null {
		props["Throttle"] = definedOnly(map[string]any{"BurstLimit": limits.BurstLimit, "RateLimit": limits.RateLimit})
	}
	g.merge("ApiGatewayUsagePlan", map[string]any{"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": g.deploymentID, "Properties": props})
	if keys == nil || keys.Kind != schema.List {
		return
	}
	for i, k := range keys.Items {
		if k.Kind != schema.String && k.Kind != schema.Map && k.Kind != schema.List {
			continue
		}
		g.merge(fmt.Sprintf("ApiGatewayUsagePlanKey%d", i+1), map[string]any{"Type": "AWS::ApiGateway::UsagePlanKey", "Properties": map[string]any{
			"KeyId": cfn.Ref(fmt.Sprintf("ApiGatewayApiKey%d", i+1)), "KeyType": "API_KEY", "UsagePlanId": cfn.Ref("ApiGatewayUsagePlan"),
		}})
	}
}

func definedOnly(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if n, _ := v.(*schema.Node); n != nil {
			out[k] = jsvalue.Plain(n)
		}
	}
	return out
}

// emitter is the compilation's context as this concern uses it.
type emitter struct{ *emit.Context }
