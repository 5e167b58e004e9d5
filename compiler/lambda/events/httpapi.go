package events

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// The HTTP API (API Gateway v2) of the functions' httpApi events, as the
// framework's http-api.js compiles it: the API and its $default stage
// (unless provider.httpApi.id names an existing API), the access log
// group, the authorizers, and per function a permission and an
// integration, per route a route.

const httpAPIID = "HttpApi"

// defaultHTTPAPICorsHeaders are the headers `cors: true` allows.
var defaultHTTPAPICorsHeaders = []string{"Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key",
	"X-Amz-Security-Token", "X-Amz-User-Agent", "X-Amzn-Trace-Id"}

// httpAPIAccessLogFormat is the framework's default access log format
// (a constant, not marshalled at start-up: package initialisation is paid
// by every run).
const httpAPIAccessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}`

var httpAPIPath = lazyre.New(`^(?:\*|/\S*)$`)

// httpAPIRoute is one route: its key ("*" for $default), the function
// it calls and how it is authorized.
type httpAPIRoute struct {
	key string
	fn  function
	// authType is "" (none), "request", "aws_iam" or anything else (JWT).
	authType string
	// authID is the authorizer: an external ID's value, or a Ref.
	authID  any
	scopes  []any
	hasAuth bool
}

// httpAPIBuilder collects the routes and settings before emitting.
type httpAPIBuilder struct {
	c           *compiler
	svc         *schema.Service
	res         map[string]any
	addOutput   func(key string, o map[string]any)
	cfg         schema.HTTPAPIConfig
	apiID       any
	routes      []*httpAPIRoute
	routeIndex  map[string]int
	authorizers map[string]schema.HTTPAPIAuthorizer
	authOrder   []schema.HTTPAPIAuthorizer
	authTarget  map[string]*function
	corsMethods []string
	fillCors    bool
	ok          bool
	// deferred are checks of settings that matter only with routes.
	deferred []func()
}

// httpAPI compiles the functions' httpApi events.
func (c *compiler) httpAPI() {
	b := &httpAPIBuilder{c: c, svc: c.svc, res: c.res, addOutput: c.tpl.AddOutput, cfg: c.svc.Provider.HTTPAPI, routeIndex: map[string]int{},
		authorizers: map[string]schema.HTTPAPIAuthorizer{}, authTarget: map[string]*function{}, ok: true}
	if b.cfg.UseProviderTags != nil {
		c.diags.Warnf(b.cfg.UseProviderTags.Pos, "provider.httpApi.useProviderTags is no longer effective",
			"The framework applies provider tags to the HTTP API anyway. Remove the setting.")
	}
	b.apiID = ref(httpAPIID)
	if b.cfg.ID != nil {
		b.apiID = value(b.cfg.ID)
	}
	b.resolveSettings()
	b.resolveRoutes()
	if len(b.routes) > 0 {
		for _, check := range b.deferred {
			check()
		}
	}
	if !b.ok || len(b.routes) == 0 {
		return
	}
	b.api()
	b.logGroup()
	b.stage()
	b.compileAuthorizers()
	b.endpoints()
}

// deployed reports, after the routes are known, what AWS would reject
// once the API is created: nothing is when no function has a route.
func (b *httpAPIBuilder) deployed(pos diag.Pos, summary, detail string, args ...any) {
	b.deferred = append(b.deferred, func() { b.c.strictf(pos, summary, detail, args...) })
}

func (b *httpAPIBuilder) fail(pos diag.Pos, summary, detail string, args ...any) {
	b.c.diags.Errorf(pos, summary, detail, args...)
	b.ok = false
}

func (b *httpAPIBuilder) resolveSettings() {
	cfg := b.cfg
	external := func(n *schema.Node, what string) {
		if n != nil && cfg.ID != nil {
			b.fail(n.Pos, "cannot set up "+what+" for an externally configured HTTP API",
				"provider.httpApi.id names an API this stack does not create, so the framework refuses to configure its %s. Configure them on that API, or remove provider.httpApi.id.", what)
		}
	}
	if cfg.Cors.Truthy() {
		external(cfg.Cors, "CORS rules")
		if HTTPAPIFillsCorsMethods(cfg) {
			b.fillCors = true
			b.corsMethods = []string{"OPTIONS"}
		}
	}
	external(cfg.Authorizers, "authorizers")
	external(cfg.Logs, "access logs")
	if p := cfg.Payload; p != nil && !(p.Kind == schema.String && (p.Value == "1.0" || p.Value == "2.0")) {
		b.deployed(p.Pos, "provider.httpApi.payload must be \"1.0\" or \"2.0\"", "API Gateway takes only those payload format versions; got %s.", p.Value)
	}
	for _, a := range cfg.AuthorizerList() {
		pos := a.Pair.KeyPos
		if a.Type == "request" {
			switch {
			case a.FunctionArn == nil && a.FunctionName == nil:
				b.fail(pos, fmt.Sprintf("HTTP API authorizer %q needs functionArn or functionName", a.Key),
					"A request authorizer calls a Lambda function: name one of the service's functions with functionName, or give functionArn.")
			case a.FunctionArn != nil && a.FunctionName != nil:
				b.fail(pos, fmt.Sprintf("HTTP API authorizer %q has both functionArn and functionName", a.Key),
					"Give one of them.")
			}
			if a.FunctionName != nil {
				fn := b.c.function(a.FunctionName.Value)
				if fn == nil {
					b.fail(a.FunctionName.Pos, fmt.Sprintf("function %q for HTTP API authorizer %q not found in service", a.FunctionName.Value, a.Key),
						"functionName names a key of functions:.%s", diag.DidYouMean(a.FunctionName.Value, b.c.functionKeys()))
				} else {
					b.authTarget[a.Key] = fn
				}
			}
			if a.ResultTTL.Truthy() && a.IdentitySource == nil {
				b.fail(a.ResultTTL.Pos, fmt.Sprintf("HTTP API authorizer %q caches results but has no identitySource", a.Key),
					"API Gateway caches a request authorizer's result by its identity sources: set identitySource, or set resultTtlInSeconds to 0.")
			}
			b.deferred = append(b.deferred, func() {
				b.c.checkRange(a.ResultTTL, fmt.Sprintf("provider.httpApi.authorizers.%s.resultTtlInSeconds", a.Key), 0, 3600)
			})
			if p := a.PayloadVersion; p != nil && !(p.Kind == schema.String && (p.Value == "1.0" || p.Value == "2.0")) {
				b.deployed(p.Pos, fmt.Sprintf("provider.httpApi.authorizers.%s.payloadVersion must be \"1.0\" or \"2.0\"", a.Key), "API Gateway takes only those payload format versions; got %s.", p.Value)
			}
		} else {
			for _, k := range []struct {
				n    *schema.Node
				name string
			}{{a.IdentitySource, "identitySource"}, {a.IssuerURL, "issuerUrl"}, {a.Audience, "audience"}} {
				if k.n == nil {
					b.deployed(pos, fmt.Sprintf("JWT authorizer %q has no %s", a.Key, k.name),
						"A JWT authorizer needs identitySource, issuerUrl and audience; API Gateway rejects it without them. For a Lambda authorizer, set type: request.")
				}
			}
		}
		b.authorizers[a.Key] = a
		b.authOrder = append(b.authOrder, a)
	}
}

// function is the compiled function with the key, or nil.
func (c *compiler) function(key string) *function {
	for i := range c.fns {
		if c.fns[i].Key == key {
			return &c.fns[i]
		}
	}
	return nil
}

func (c *compiler) functionKeys() []string {
	var keys []string
	for _, fn := range c.fns {
		keys = append(keys, fn.Key)
	}
	return keys
}

func (b *httpAPIBuilder) resolveRoutes() {
	c := b.c
	for _, fn := range c.fns {
		has := false
		for _, ev := range fn.EventList {
			e := ev.HTTPAPI
			if e == nil {
				continue
			}
			has = true
			if r := b.route(fn, ev, e); r != nil {
				if i, dup := b.routeIndex[r.key]; dup {
					// Only the catch-all route gets here: the framework
					// replaces the earlier one.
					b.routes[i] = r
				} else {
					b.routeIndex[r.key] = len(b.routes)
					b.routes = append(b.routes, r)
				}
				if b.fillCors {
					b.addCorsMethods(r.key)
				}
			}
		}
		if !has {
			continue
		}
		timeout := 6.0
		if fn.Timeout != nil && *fn.Timeout != 0 {
			timeout = *fn.Timeout
		} else if t := c.svc.Provider.Timeout; t != nil && *t != 0 {
			timeout = *t
		}
		switch {
		case timeout > 30:
			c.diags.Warnf(fn.Pos, fmt.Sprintf("function %q: timeout %g exceeds the HTTP API's 30 s", fn.Key, timeout),
				"API Gateway ends an HTTP API request after 30 seconds, so the endpoint may time out while the function succeeds. Lower the timeout, or start the work asynchronously.")
		case timeout == 30:
			c.diags.Warnf(fn.Pos, fmt.Sprintf("function %q: timeout 30 leaves the HTTP API no room", fn.Key),
				"API Gateway ends an HTTP API request after 30 seconds, so the endpoint may time out while the function succeeds. Lower the timeout.")
		}
	}
}

// addCorsMethods adds a route's methods to those cors allows: all of
// them for ANY and the catch-all route.
func (b *httpAPIBuilder) addCorsMethods(routeKey string) {
	for _, m := range HTTPAPIRouteMethods(routeKey) {
		b.addCorsMethod(m)
	}
}

// HTTPAPIRouteMethods are the methods a route key serves, as the
// framework fills cors methods: every method for ANY and "*".
func HTTPAPIRouteMethods(routeKey string) []string {
	if strings.HasPrefix(routeKey, "ANY ") || routeKey == "*" {
		return schema.HTTPAPIMethods[1:]
	}
	return []string{routeKey[:strings.IndexByte(routeKey, ' ')]}
}

// HTTPAPIFillsCorsMethods says the API's cors methods are filled from its
// routes (cors: true, or an object without allowedMethods).
func HTTPAPIFillsCorsMethods(cfg schema.HTTPAPIConfig) bool {
	return cfg.Cors.Truthy() && (cfg.CorsIsTrue() || cfg.CorsConfig.AllowedMethods == nil)
}

// HTTPAPIShell adds to res the HTTP API, its access log group and stage,
// and their outputs to out, as the framework makes them for routes with
// the given keys, unless provider.httpApi.id names an existing API: for
// state machine routes on a service whose functions have none.
func HTTPAPIShell(svc *schema.Service, routeKeys []string, res, out map[string]any) {
	b := &httpAPIBuilder{svc: svc, res: res, cfg: svc.Provider.HTTPAPI,
		addOutput: func(key string, o map[string]any) { out[key] = o }}
	if HTTPAPIFillsCorsMethods(b.cfg) {
		b.fillCors, b.corsMethods = true, []string{"OPTIONS"}
		for _, k := range routeKeys {
			b.addCorsMethods(k)
		}
	}
	b.api()
	b.logGroup()
	b.stage()
}

func (b *httpAPIBuilder) addCorsMethod(m string) {
	for _, x := range b.corsMethods {
		if x == m {
			return
		}
	}
	b.corsMethods = append(b.corsMethods, m)
}

// route resolves one event, or reports why it cannot and returns nil.
func (b *httpAPIBuilder) route(fn function, ev *schema.FunctionEvent, e *schema.HTTPAPIEvent) *httpAPIRoute {
	c := b.c
	if e.Malformed {
		b.fail(ev.Value.Pos, fmt.Sprintf("function %q: httpApi event is neither \"*\" nor \"METHOD /path\"", fn.Key),
			"Write the route as a method and a path starting with /, such as GET /items/{id}, or \"*\" for the catch-all route. Methods: %s.", strings.Join(schema.HTTPAPIMethods, ", "))
		return nil
	}
	for _, p := range e.Unknown {
		c.strictf(p.KeyPos, fmt.Sprintf("function %q: httpApi event: unknown key %q", fn.Key, p.Key),
			"The framework warns and ignores it. An httpApi event takes method, path and authorizer.%s", diag.DidYouMean(p.Key, []string{"method", "path", "authorizer"}))
	}
	path := e.Path
	pathPos := ev.KeyPos
	if e.PathNode != nil {
		pathPos = e.PathNode.Pos
	}
	if !e.HasPath {
		c.strictf(ev.Value.Pos, fmt.Sprintf("function %q: httpApi event has no path", fn.Key),
			"The framework names the route after the path \"undefined\". Give path: (starting with /), or \"*\" for the catch-all route.")
		path = "undefined"
	} else if !httpAPIPath.MatchString(path) {
		c.strictf(pathPos, fmt.Sprintf("function %q: httpApi event: invalid path %q", fn.Key, path),
			"HTTP API paths start with / and contain no spaces (or are \"*\", the catch-all route); API Gateway rejects the route.")
	}
	method := e.Method
	if path == "*" {
		if e.HasMethod && method != "*" {
			b.fail(pathPos, fmt.Sprintf("function %q: httpApi event: path \"*\" takes no method", fn.Key),
				"The catch-all route \"*\" ($default) matches every method. Remove method:, or set it to \"*\".")
			return nil
		}
	} else {
		if !e.HasMethod {
			b.fail(ev.Value.Pos, fmt.Sprintf("function %q: httpApi event has no method", fn.Key),
				"Give method: (%s, or \"*\" for any).", strings.Join(schema.HTTPAPIMethods, ", "))
			return nil
		}
		up := strings.ToUpper(method)
		if up != "*" && !contains(schema.HTTPAPIMethods, up) {
			b.fail(e.MethodNode.Pos, fmt.Sprintf("function %q: httpApi event: invalid method %q", fn.Key, method),
				"Methods: %s, or \"*\" for any.", strings.Join(schema.HTTPAPIMethods, ", "))
			return nil
		}
	}
	r := &httpAPIRoute{key: schema.HTTPAPIRouteKey(method, path), fn: fn}
	if _, dup := b.routeIndex[r.key]; dup {
		if r.key != "*" {
			b.fail(pathPos, fmt.Sprintf("function %q: httpApi event: duplicate route %q", fn.Key, r.key),
				"Another httpApi event already has this method and path. Remove one of them.")
			return nil
		}
		c.strictf(pathPos, fmt.Sprintf("function %q: httpApi event: a second catch-all route \"*\"", fn.Key),
			"The framework keeps only the last catch-all route, so the earlier one's function gets no requests. Keep one \"*\" event.")
	}
	if e.Authorizer != nil {
		if !b.authorize(r, fn, e.Authorizer) {
			return nil
		}
	}
	return r
}

// authorize resolves a route's authorizer.
func (b *httpAPIBuilder) authorize(r *httpAPIRoute, fn function, cfg *schema.HTTPAPIRouteAuthorizer) bool {
	var name, authType string
	var id, scopes *schema.Node
	hasName := false
	a := cfg.Node
	if a.Kind == schema.Map {
		if n := cfg.Name; n.Truthy() {
			name, hasName = n.Value, true
		}
		if t := cfg.Type; t != nil && t.Kind != schema.Null {
			authType = t.Value
		}
		id, scopes = cfg.ID, cfg.Scopes
		if id != nil && !id.Truthy() {
			id = nil
		}
		if scopes != nil && !scopes.Truthy() {
			scopes = nil
		}
	} else if a.Truthy() {
		name, hasName = a.Value, true
	} else {
		return true
	}
	switch {
	case authType != "aws_iam" && id == nil && !hasName:
		b.fail(a.Pos, fmt.Sprintf("function %q: httpApi event: the authorizer needs an id or a name", fn.Key),
			"Name one of provider.httpApi.authorizers, give the id of an authorizer of an external API, or use type: aws_iam.")
		return false
	case authType == "aws_iam" && (hasName || id != nil || scopes != nil):
		b.fail(a.Pos, fmt.Sprintf("function %q: httpApi event: an aws_iam authorizer takes no other settings", fn.Key),
			"Remove name, id and scopes, or drop type: aws_iam.")
		return false
	}
	r.hasAuth = true
	switch {
	case id != nil:
		if b.cfg.ID == nil {
			b.fail(id.Pos, fmt.Sprintf("function %q: httpApi event references external authorizer, but the HTTP API is part of this stack", fn.Key),
				"An authorizer id belongs to an existing API named by provider.httpApi.id. Define the authorizer in provider.httpApi.authorizers and name it instead.")
			return false
		}
		r.authType, r.authID = authType, value(id)
	case authType == "aws_iam":
		r.authType = "aws_iam"
	default:
		def, ok := b.authorizers[name]
		if !ok {
			var names []string
			for _, x := range b.authOrder {
				names = append(names, x.Key)
			}
			b.fail(a.Pos, fmt.Sprintf("function %q: httpApi event references not configured authorizer %q", fn.Key, name),
				"Define it in provider.httpApi.authorizers.%s", diag.DidYouMean(name, names))
			return false
		}
		r.authType, r.authID = def.Type, ref("HttpApiAuthorizer"+norm(def.Name))
	}
	if scopes != nil {
		var list []any
		items := []*schema.Node{scopes}
		if scopes.Kind == schema.List {
			items = scopes.Items
		}
		for _, s := range items {
			v := value(s)
			if !containsValue(list, v) {
				list = append(list, v)
			}
		}
		r.scopes = list
	}
	return true
}

func containsValue(list []any, v any) bool {
	for _, x := range list {
		if fmt.Sprint(x) == fmt.Sprint(v) {
			return true
		}
	}
	return false
}

// toSet is the framework's toSet: a list's distinct items, or the value
// alone.
func toSet(n *schema.Node) []any {
	if n == nil {
		return []any{nil}
	}
	items := []*schema.Node{n}
	if n.Kind == schema.List {
		items = n.Items
	}
	out := []any{}
	for _, it := range items {
		v := value(it)
		if it.Kind == schema.Map || it.Kind == schema.List || !containsValue(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func (b *httpAPIBuilder) api() {
	cfg, svc := b.cfg, b.svc
	if cfg.ID != nil {
		return
	}
	var name string
	switch {
	case cfg.Name.Truthy():
		name = cfg.Name.Value
	case cfg.ShouldStartNameWithService.Truthy():
		name = svc.Name + "-" + svc.Stage
	default:
		name = svc.Stage + "-" + svc.Name
	}
	props := map[string]any{"Name": name, "ProtocolType": "HTTP"}
	if d := cfg.DisableDefaultEndpoint; d != nil {
		props["DisableExecuteApiEndpoint"] = value(d)
	}
	if t := svc.Provider.Tags; t.Truthy() {
		props["Tags"] = value(t)
	}
	if cfg.Cors.Truthy() {
		cc := map[string]any{}
		strs := func(list []string) []any {
			out := make([]any, len(list))
			for i, s := range list {
				out[i] = s
			}
			return out
		}
		cc["AllowHeaders"] = strs(defaultHTTPAPICorsHeaders)
		cc["AllowOrigins"] = []any{"*"}
		if c := cfg.CorsConfig; !cfg.CorsIsTrue() {
			if o := c.AllowedOrigins; o.Truthy() {
				cc["AllowOrigins"] = toSet(o)
			}
			if h := c.AllowedHeaders; h.Truthy() {
				cc["AllowHeaders"] = toSet(h)
			}
			if m := c.AllowedMethods; m.Truthy() {
				cc["AllowMethods"] = toSet(m)
			}
			if c.AllowCredentials.Truthy() {
				cc["AllowCredentials"] = true
			}
			if e := c.ExposedResponseHeaders; e.Truthy() {
				cc["ExposeHeaders"] = toSet(e)
			}
			if m := c.MaxAge; m != nil && m.Kind != schema.Null {
				cc["MaxAge"] = value(m)
			}
		}
		if b.fillCors {
			cc["AllowMethods"] = strs(b.corsMethods)
		}
		props["CorsConfiguration"] = cc
	}
	b.res[httpAPIID] = map[string]any{"Type": "AWS::ApiGatewayV2::Api", "Properties": props}
}

func (b *httpAPIBuilder) accessLogFormat() string {
	if f := b.cfg.LogFormat; f.Truthy() {
		return f.Value
	}
	return httpAPIAccessLogFormat
}

func (b *httpAPIBuilder) logGroup() {
	if b.cfg.Logs == nil {
		return
	}
	p := b.svc.Provider
	stack := b.svc.Name + "-" + b.svc.Stage
	if n := p.StackName; n != nil && n.Kind == schema.String && n.Value != "" {
		stack = n.Value
	}
	props := map[string]any{"LogGroupName": "/aws/http-api/" + stack}
	if r := p.LogRetentionInDays; r.Truthy() {
		props["RetentionInDays"] = value(r)
	}
	if d := p.LogDataProtectionPolicy; d.Truthy() {
		props["DataProtectionPolicy"] = value(d)
	}
	b.res["HttpApiLogGroup"] = map[string]any{"Type": "AWS::Logs::LogGroup", "Properties": props}
}

func (b *httpAPIBuilder) stage() {
	if b.cfg.ID != nil {
		return
	}
	metrics := any(false)
	if m := b.cfg.Metrics; m.Truthy() {
		metrics = value(m)
	}
	props := map[string]any{"ApiId": ref(httpAPIID), "StageName": "$default", "AutoDeploy": true,
		"DefaultRouteSettings": map[string]any{"DetailedMetricsEnabled": metrics}}
	if t := b.svc.Provider.Tags; t.Truthy() {
		props["Tags"] = value(t)
	}
	r := map[string]any{"Type": "AWS::ApiGatewayV2::Stage", "Properties": props}
	if b.cfg.Logs != nil {
		props["AccessLogSettings"] = map[string]any{"DestinationArn": getAtt("HttpApiLogGroup", "Arn"), "Format": b.accessLogFormat()}
		r["DependsOn"] = "HttpApiLogGroup"
	}
	b.res["HttpApiStage"] = r
	b.addOutput("HttpApiId", map[string]any{"Description": "Id of the HTTP API", "Value": ref(httpAPIID)})
	b.addOutput("HttpApiUrl", map[string]any{"Description": "URL of the HTTP API",
		"Value": join("", "https://", ref(httpAPIID), ".execute-api.", ref("AWS::Region"), ".", ref("AWS::URLSuffix"))})
}

func invocationsURI(target any) any {
	return join("", "arn:", ref("AWS::Partition"), ":apigateway:", ref("AWS::Region"), ":lambda:path/2015-03-31/functions/", target, "/invocations")
}

func (b *httpAPIBuilder) sourceArn() any {
	return join("", "arn:", ref("AWS::Partition"), ":execute-api:", ref("AWS::Region"), ":", ref("AWS::AccountId"), ":", b.apiID, "/*")
}

func (b *httpAPIBuilder) compileAuthorizers() {
	for _, a := range b.authOrder {
		identity := []any{}
		if a.IdentitySource != nil {
			identity = toList(a.IdentitySource)
		}
		props := map[string]any{"ApiId": b.apiID, "Name": a.Name, "IdentitySource": identity}
		r := map[string]any{"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": props}
		if a.Type == "request" {
			props["AuthorizerType"] = "REQUEST"
			if n := a.EnableSimpleResponses; n != nil {
				props["EnableSimpleResponses"] = value(n)
			}
			if n := a.ResultTTL; n != nil {
				props["AuthorizerResultTtlInSeconds"] = value(n)
			}
			props["AuthorizerPayloadFormatVersion"] = "2.0"
			if p := a.PayloadVersion; p.Truthy() {
				props["AuthorizerPayloadFormatVersion"] = value(p)
			}
			var target any
			fn := b.authTarget[a.Key]
			if a.FunctionArn.Truthy() {
				target = value(a.FunctionArn)
			} else if fn != nil {
				target = fn.Target
			}
			props["AuthorizerUri"] = invocationsURI(target)
			if fn != nil {
				dependsOnAlias(r, *fn)
			}
			if !a.ManagedExternally {
				perm := map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{
					"FunctionName": target, "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com",
					"SourceArn": b.sourceArn()}}
				if fn != nil {
					dependsOnAlias(perm, *fn)
				}
				b.c.res[norm(a.Name)+"LambdaAuthorizerPermissionHttpApi"] = perm
			}
		} else {
			props["AuthorizerType"] = "JWT"
			jwt := map[string]any{"Audience": toSet(a.Audience)}
			if a.IssuerURL != nil {
				jwt["Issuer"] = value(a.IssuerURL)
			}
			props["JwtConfiguration"] = jwt
		}
		b.c.res["HttpApiAuthorizer"+norm(a.Name)] = r
	}
}

func toList(n *schema.Node) []any {
	if n.Kind == schema.List {
		out := []any{}
		for _, it := range n.Items {
			out = append(out, value(it))
		}
		return out
	}
	return []any{value(n)}
}

func (b *httpAPIBuilder) endpoints() {
	c := b.c
	done := map[string]bool{}
	for _, r := range b.routes {
		fn := r.fn
		integration := "HttpApiIntegration" + norm(fn.Key)
		if !done[fn.Key] {
			done[fn.Key] = true
			permID := norm(fn.Key) + "LambdaPermissionHttpApi"
			c.res[permID] = permission(fn, "apigateway.amazonaws.com", b.sourceArn())
			payload := any("2.0")
			if p := firstTruthy(fn.HTTPAPIPayload, b.cfg.Payload); p != nil {
				payload = value(p)
			}
			ir := map[string]any{"Type": "AWS::ApiGatewayV2::Integration", "Properties": map[string]any{
				"ApiId": b.apiID, "IntegrationType": "AWS_PROXY", "IntegrationUri": fn.Target,
				"PayloadFormatVersion": payload, "TimeoutInMillis": json.Number("30000")}}
			dependsOnAlias(ir, fn)
			c.res[integration] = ir
			c.own(fn, permID, integration)
		}
		key, id := r.key, "HttpApiRouteDefault"
		if key == "*" {
			key = "$default"
		} else {
			id = "HttpApiRoute" + normalizePath(r.key)
		}
		props := map[string]any{"ApiId": b.apiID, "RouteKey": key,
			"Target": join("/", "integrations", ref(integration))}
		if r.hasAuth {
			switch r.authType {
			case "request":
				props["AuthorizationType"] = "CUSTOM"
			case "aws_iam":
				props["AuthorizationType"] = "AWS_IAM"
			default:
				props["AuthorizationType"] = "JWT"
			}
			if r.authType != "aws_iam" {
				props["AuthorizerId"] = r.authID
				if r.scopes != nil {
					props["AuthorizationScopes"] = r.scopes
				}
			}
		}
		c.res[id] = map[string]any{"Type": "AWS::ApiGatewayV2::Route", "Properties": props, "DependsOn": integration}
		c.own(fn, id)
	}
}

func firstTruthy(ns ...*schema.Node) *schema.Node {
	for _, n := range ns {
		if n.Truthy() {
			return n
		}
	}
	return nil
}

var (
	braceVar = lazyre.New(`\{(.*)\}`)
)

// normalizePath is the framework's normalizePath: each "/" part
// capitalised (the rest lower-cased), "-" spelled Dash, {x} as xVar, and
// everything else that is not a letter or digit dropped.
func normalizePath(path string) string {
	var sb strings.Builder
	for _, part := range strings.Split(path, "/") {
		s := part
		if s != "" {
			r := []rune(strings.ToLower(s))
			s = strings.ToUpper(string(r[0])) + string(r[1:])
		}
		s = strings.ReplaceAll(s, "-", "Dash")
		s = braceVar.ReplaceAllString(s, "${1}Var")
		s = nonAlnum.ReplaceAllString(s, "")
		sb.WriteString(upperFirst(s))
	}
	return sb.String()
}
