package events

// The REST API of the functions' http events, as the framework's
// api-gateway plugin compiles it (compile/events/api-gateway): the API
// unless provider.apiGateway.restApiId names one, the resource tree, the
// CORS preflights, the methods with their AWS_PROXY or lambda (AWS)
// integrations (or HTTP, HTTP_PROXY, MOCK), the authorizers, the Deployment over every method, the
// Lambda permissions and the ServiceEndpoint output. The state machines'
// endpoints are merged into it afterwards (compiler/apigateway), as the
// plugin merges them into the framework's API.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/compiler/internal/restree"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// The framework's default request templates of the lambda integration
// (method/integration.js), verbatim.
const lambdaJSONRequestTemplate = "\n    #set( $body = $input.json(\"$\") )\n\n    \n  #define( $loop )\n    {\n    #foreach($key in $map.keySet())\n        #set( $k = $util.escapeJavaScript($key) )\n        #set( $v = $util.escapeJavaScript($map.get($key)).replaceAll(\"\\\\'\", \"'\") )\n        \"$k\":\n          \"$v\"\n          #if( $foreach.hasNext ) , #end\n    #end\n    }\n  #end\n\n  {\n    \"body\": $body,\n    \"method\": \"$context.httpMethod\",\n    \"principalId\": \"$context.authorizer.principalId\",\n    \"stage\": \"$context.stage\",\n\n    \"cognitoPoolClaims\" : {\n       extraCognitoPoolClaims\n       \"sub\": \"$context.authorizer.claims.sub\"\n    },\n\n    #set( $map = $context.authorizer )\n    \"enhancedAuthContext\": $loop,\n\n    #set( $map = $input.params().header )\n    \"headers\": $loop,\n\n    #set( $map = $input.params().querystring )\n    \"query\": $loop,\n\n    #set( $map = $input.params().path )\n    \"path\": $loop,\n\n    #set( $map = $context.identity )\n    \"identity\": $loop,\n\n    #set( $map = $stageVariables )\n    \"stageVariables\": $loop,\n\n    \"requestPath\": \"$context.resourcePath\"\n  }\n\n  "
const lambdaFormRequestTemplate = "\n    #define( $body )\n      {\n      #foreach( $token in $input.path('$').split('&') )\n        #set( $keyVal = $token.split('=') )\n        #set( $keyValSize = $keyVal.size() )\n        #if( $keyValSize >= 1 )\n          #set( $key = $util.escapeJavaScript($util.urlDecode($keyVal[0])) )\n          #if( $keyValSize >= 2 )\n            #set($val = $util.escapeJavaScript($util.urlDecode($keyVal[1])).replaceAll(\"\\\\'\",\"'\"))\n          #else\n            #set( $val = '' )\n          #end\n          \"$key\": \"$val\"#if($foreach.hasNext),#end\n        #end\n      #end\n      }\n    #end\n\n    \n  #define( $loop )\n    {\n    #foreach($key in $map.keySet())\n        #set( $k = $util.escapeJavaScript($key) )\n        #set( $v = $util.escapeJavaScript($map.get($key)).replaceAll(\"\\\\'\", \"'\") )\n        \"$k\":\n          \"$v\"\n          #if( $foreach.hasNext ) , #end\n    #end\n    }\n  #end\n\n  {\n    \"body\": $body,\n    \"method\": \"$context.httpMethod\",\n    \"principalId\": \"$context.authorizer.principalId\",\n    \"stage\": \"$context.stage\",\n\n    \"cognitoPoolClaims\" : {\n       extraCognitoPoolClaims\n       \"sub\": \"$context.authorizer.claims.sub\"\n    },\n\n    #set( $map = $context.authorizer )\n    \"enhancedAuthContext\": $loop,\n\n    #set( $map = $input.params().header )\n    \"headers\": $loop,\n\n    #set( $map = $input.params().querystring )\n    \"query\": $loop,\n\n    #set( $map = $input.params().path )\n    \"path\": $loop,\n\n    #set( $map = $context.identity )\n    \"identity\": $loop,\n\n    #set( $map = $stageVariables )\n    \"stageVariables\": $loop,\n\n    \"requestPath\": \"$context.resourcePath\"\n  }\n\n  "

// restAPIDeploymentID is a placeholder name of the Deployment: the
// framework suffixes the clock; the orchestrator renames it after a hash
// of the finished API, the state machines' methods included.
const restAPIDeploymentID = "ApiGatewayDeploymentFunctions"

// lambdaStatusCodes are the framework's default status codes of the
// lambda integration, in the order it emits them.
var lambdaStatusCodes = []struct{ code, pattern string }{
	{"200", ""},
	{"400", `[\s\S]*\[400\][\s\S]*`},
	{"401", `[\s\S]*\[401\][\s\S]*`},
	{"403", `[\s\S]*\[403\][\s\S]*`},
	{"404", `[\s\S]*\[404\][\s\S]*`},
	{"422", `[\s\S]*\[422\][\s\S]*`},
	{"500", `[\s\S]*(Process\s?exited\s?before\s?completing\s?request|\[500\])[\s\S]*`},
	{"502", `[\s\S]*\[502\][\s\S]*`},
	{"504", `([\s\S]*\[504\][\s\S]*)|(.*Task timed out after \d+\.\d+ seconds$)`},
}

var restCorsHeaders = []string{"Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key",
	"X-Amz-Security-Token", "X-Amz-User-Agent", "X-Amzn-Trace-Id"}

var cognitoIdpArn = lazyre.New(`^arn:[a-zA-Z-]*:cognito-idp`)

// restEvent is one validated http event.
type restEvent struct {
	fn          function
	ev          *schema.FunctionEvent
	http        *schema.FunctionHTTPEvent
	path        string
	method      string
	integration string
	cors        *restCors
	auth        *restAuthorizer
	private     bool
	async       bool
	// params are the method's request parameters, in the framework's
	// order (querystrings, paths, headers).
	params []restParam
}

type restParam struct {
	key      string
	required any
	mapped   any
	// demanded says the parameter is required (it makes a validator).
	demanded bool
}

type restCors struct {
	origin           *string
	origins          []string
	headers, methods []string
	allowCredentials bool
	maxAge           any
	cacheControl     any
}

type restAuthorizer struct {
	iam          bool
	typ          string // as written
	name         string
	arn          any
	arnString    string
	authorizerID any
	aliasID      string
	ttl          int
	identity     any
	validation   any
	scopes       *schema.Node
	claims       []string
	external     bool
}

func (a *restAuthorizer) cognito() bool {
	return strings.ToUpper(a.typ) == "COGNITO_USER_POOLS" || cognitoIdpArn.MatchString(a.arnString)
}

type restBuilder struct {
	c         *compiler
	apiGW     *schema.APIGatewaySettings
	restAPIID any
	rootID    any
	events    []*restEvent
	// corsPaths are the preflight settings per path, in first-seen order.
	corsPaths []string
	cors      map[string]*restCors
	methodIDs []string
	resources map[string]*restree.Node
	ok        bool
}

// http compiles the functions' http events.
func (c *compiler) http() {
	b := &restBuilder{c: c, apiGW: &c.svc.Provider.APIGateway, cors: map[string]*restCors{}, ok: true}
	b.validate()
	if len(b.events) == 0 || !b.ok {
		return
	}
	b.restAPIID = ref("ApiGatewayRestApi")
	b.rootID = getAtt("ApiGatewayRestApi", "RootResourceId")
	if id := b.apiGW.RestAPIID; id != nil {
		b.restAPIID = value(id)
		b.rootID = value(b.apiGW.RestAPIRootResourceID)
	}
	b.restAPI()
	b.resourceTree()
	if !b.ok {
		return
	}
	b.preflights()
	b.methods()
	b.authorizers()
	b.deployment()
	b.usagePlans()
	b.permissions()
	b.stage()
}

// unsupported reports a setting stepform does not compile yet.
func (b *restBuilder) unsupported(pos diag.Pos, what string) {
	b.c.diags.Errorf(pos, fmt.Sprintf("stepform does not compile %s of http events", what),
		"The framework turns it into API Gateway settings stepform does not make yet. To deploy it, %s", baseHint)
	b.ok = false
}

func (b *restBuilder) validate() {
	svc := b.c.svc
	if l := svc.Provider.RESTAPILogs; l.Node != nil {
		defer func() {
			if len(b.events) > 0 {
				b.checkRESTLogs(l)
			}
		}()
	}
	if id := b.apiGW.RestAPIID; id != nil && b.apiGW.RestAPIRootResourceID == nil {
		b.c.diags.Errorf(id.Pos, "provider.apiGateway.restApiId needs restApiRootResourceId",
			"The framework requires provider.apiGateway.restApiRootResourceId with an existing REST API: give the API's root resource ID.")
		b.ok = false
	}
	for _, fn := range b.c.fns {
		for _, ev := range fn.EventList {
			if ev.HTTP == nil {
				continue
			}
			if e := b.event(fn, ev); e != nil {
				b.events = append(b.events, e)
			}
		}
	}
}

// event is the framework's validate for one event.
func (b *restBuilder) event(fn function, ev *schema.FunctionEvent) *restEvent {
	e := &restEvent{fn: fn, ev: ev, http: ev.HTTP}
	h, n := ev.HTTP, ev.Value
	switch n.Kind {
	case schema.String:
		method, path, _ := strings.Cut(n.Value, " ")
		e.method, e.path = method, path
	case schema.Map:
		e.method, e.path = str(h.Method), str(h.Path)
		// connectionType and connectionId are read by HTTP and HTTP_PROXY
		// integrations only; checkBackend checks them. Unknown keys are
		// reported with the other events' (schema.CheckFunctionEventKeys).
	default:
		b.c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: http event must be a string or an object", fn.Key),
			"Write - http: GET users, or - http: {path: users, method: get}.")
		b.ok = false
		return nil
	}
	if h.Object && (h.Path != nil && h.Path.Kind != schema.String || h.Method != nil && h.Method.Kind != schema.String) {
		b.c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: http event path and method must be strings", fn.Key),
			"Write - http: {path: users, method: get}.")
		b.ok = false
		return nil
	}
	if e.method == "" || e.path == "" && (n.Kind == schema.String || h.Path == nil) {
		b.c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: http event needs a path and a method", fn.Key),
			"Write - http: GET users, or - http: {path: users, method: get}.")
		b.ok = false
		return nil
	}
	e.path = strings.TrimSuffix(strings.TrimPrefix(e.path, "/"), "/")
	e.method = strings.ToLower(e.method)
	if !contains([]string{"get", "post", "put", "patch", "options", "head", "delete", "any"}, e.method) {
		pos := ev.KeyPos
		if h.Method != nil {
			pos = h.Method.Pos
		}
		b.c.diags.Errorf(pos, fmt.Sprintf("function %q: invalid http method %q", fn.Key, e.method),
			"The method is one of GET, POST, PUT, PATCH, OPTIONS, HEAD, DELETE or ANY.")
		b.ok = false
		return nil
	}
	e.private, e.async = h.Private, h.Async
	e.integration = "AWS_PROXY"
	if i := h.Integration; i.Truthy() {
		e.integration = strings.Replace(strings.ToUpper(jsvalue.String(i)), "-", "_", 1)
		switch e.integration {
		case "LAMBDA":
			e.integration = "AWS"
		case "LAMBDA_PROXY":
			e.integration = "AWS_PROXY"
		case "AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK":
		default:
			b.unsupported(i.Pos, "the "+e.integration+" integration")
			return nil
		}
	} else if e.async {
		e.integration = "AWS"
	}
	b.checkBackend(e)
	if h.Authorizer != nil {
		e.auth = b.authorizer(e, h.Authorizer)
	}
	if h.CORS != nil {
		e.cors = restCorsOf(h.CORS, e.method)
		b.mergeCors(e.path, e.cors)
	}
	if req := h.Request.Node; req != nil && req.Kind == schema.Map {
		// The keys in the file's order, so that the reports are too.
		for _, p := range req.Pairs {
			switch p.Key {
			case "parameters":
				e.params = requestParams(h.Request.Parameters)
				if e.integration == "MOCK" {
					// The framework leaves a MOCK event's parameters in the
					// config's shape, so the method gets invalid ones.
					b.unsupported(p.KeyPos, "request.parameters with the MOCK integration")
				}
			case "schemas":
			case "template", "passThrough", "contentHandling", "method":
				if p.Key == "method" && !httpBackend(e.integration) {
					b.unsupported(p.KeyPos, "request.method outside HTTP integrations")
				} else if proxy(e.integration) {
					b.c.diags.Warnf(p.KeyPos, fmt.Sprintf("function %q: request.%s is dropped with the %s integration", fn.Key, p.Key, e.integration),
						"The framework removes request settings other than parameters, schemas (and uri with HTTP_PROXY) from proxy events. Remove it, or use a non-proxy integration.")
				}
			case "uri":
				if !httpBackend(e.integration) {
					b.unsupported(p.KeyPos, "request."+p.Key+" outside HTTP integrations")
				}
			default: // an unknown key, which schema.CheckFunctionEventKeys reports
			}
		}
	}
	if h.Response.Node != nil {
		if proxy(e.integration) {
			b.c.diags.Warnf(e.keyPos(h.Response.KeyPos), fmt.Sprintf("function %q: response is dropped with the %s integration", fn.Key, e.integration),
				"The framework removes response settings from proxy events. Remove it, or use a non-proxy integration.")
		}
	}
	return e
}

// keyPos is a key's position, or the event's when the key has none.
func (e *restEvent) keyPos(pos diag.Pos) diag.Pos {
	if pos.IsValid() {
		return pos
	}
	return e.ev.Value.Pos
}

func proxy(integration string) bool { return integration == "AWS_PROXY" || integration == "HTTP_PROXY" }

func httpBackend(integration string) bool {
	return integration == "HTTP" || integration == "HTTP_PROXY"
}

// checkBackend checks the settings an HTTP, HTTP_PROXY or MOCK integration
// needs, where the framework fails or crashes without them.
func (b *restBuilder) checkBackend(e *restEvent) {
	h, fn := e.http, e.fn
	ok := true
	if ct := h.ConnectionType; ct != nil && !httpBackend(e.integration) {
		b.unsupported(e.keyPos(ct.KeyPos), "connectionType outside HTTP integrations")
		ok = false
	}
	if id := h.ConnectionID; id != nil && !httpBackend(e.integration) {
		b.unsupported(e.keyPos(id.KeyPos), "connectionId outside HTTP integrations")
		ok = false
	}
	pos := e.ev.KeyPos
	if i := h.Integration; i != nil {
		pos = i.Pos
	}
	if httpBackend(e.integration) {
		if !h.Request.URI.Truthy() {
			b.c.diags.Errorf(pos, fmt.Sprintf("function %q: the %s integration needs request.uri", fn.Key, e.integration),
				"The framework fails: \"You need to set the request uri\". Give request.uri, the backend's URL.")
			ok = false
		}
		if connectionType(h) == "VPC_LINK" && !connectionID(h).Truthy() {
			b.c.diags.Errorf(e.keyPos(h.ConnectionType.KeyPos), fmt.Sprintf("function %q: connectionType VPC_LINK needs connectionId", fn.Key),
				"The framework fails: \"You need to set connectionId when using VPC_LINK connectionType\". Give connectionId, the VPC link's ID.")
			ok = false
		}
	}
	resp := h.Response.Node
	switch {
	case e.integration == "HTTP" && resp == nil:
		b.c.diags.Errorf(pos, fmt.Sprintf("function %q: the HTTP integration needs a response", fn.Key),
			"The framework crashes (\"Cannot convert undefined or null to object\") on an HTTP integration without response. Add response.statusCodes, or response: {} for the framework's default status codes.")
		ok = false
	case e.integration == "MOCK" && resp.Truthy() && h.Response.StatusCodes == nil:
		b.c.diags.Errorf(e.keyPos(h.Response.KeyPos), fmt.Sprintf("function %q: the MOCK integration's response needs statusCodes", fn.Key),
			"The framework crashes (\"Cannot convert undefined or null to object\") on a MOCK integration's response without statusCodes. Add response.statusCodes.")
		ok = false
	}
	if !ok {
		b.ok = false
	}
}

// connectionType is the event's connectionType as the framework
// normalises it: upper case, the first - as _.
func connectionType(h *schema.FunctionHTTPEvent) string {
	if h.ConnectionType == nil || !h.ConnectionType.Value.Truthy() {
		return ""
	}
	return strings.Replace(strings.ToUpper(jsvalue.String(h.ConnectionType.Value)), "-", "_", 1)
}

// connectionID is the event's connectionId, nil when absent.
func connectionID(h *schema.FunctionHTTPEvent) *schema.Node {
	if h.ConnectionID == nil {
		return nil
	}
	return h.ConnectionID.Value
}

func requestParams(params []schema.HTTPRequestParameter) []restParam {
	var out []restParam
	for _, p := range params {
		rp := restParam{key: "method.request." + p.In + "." + p.Name, required: value(p.Value), demanded: p.Value.Truthy()}
		if p.Value.Kind == schema.Map {
			rp.required, rp.demanded = true, true
			if r := p.Required; r != nil && r.Kind != schema.Null {
				rp.required, rp.demanded = value(r), r.Truthy()
			}
			if m := p.MappedValue; m.Truthy() {
				rp.mapped = value(m)
			}
		}
		out = append(out, rp)
	}
	return out
}

// restCorsOf is getCors.
func restCorsOf(cfg *schema.FunctionHTTPCORS, method string) *restCors {
	star := "*"
	c := &restCors{origin: &star, methods: []string{"OPTIONS"}, headers: restCorsHeaders}
	upper := strings.ToUpper(method)
	if cfg.Node.Kind != schema.Map {
		c.methods = append(c.methods, upper)
		return c
	}
	if o := cfg.Origins; o.Truthy() {
		c.origin = nil
		c.origins = stringsOf(o)
	}
	if o := cfg.Origin; o != nil {
		s := jsvalue.String(o)
		c.origin = &s
	}
	c.methods = stringsOf(cfg.Methods)
	c.allowCredentials = cfg.AllowCredentials.Truthy()
	if h := cfg.Headers; h.Truthy() {
		c.headers = stringsOf(h)
	}
	if m := cfg.MaxAge; m.Truthy() {
		c.maxAge = value(m)
	}
	if m := cfg.CacheControl; m.Truthy() {
		c.cacheControl = value(m)
	}
	if !contains(c.methods, "OPTIONS") {
		c.methods = append(c.methods, "OPTIONS")
	}
	if !contains(c.methods, upper) {
		c.methods = append(c.methods, upper)
	}
	return c
}

func stringsOf(n *schema.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == schema.String {
		return []string{n.Value}
	}
	var out []string
	for _, it := range n.Items {
		out = append(out, jsvalue.String(it))
	}
	return out
}

// union is lodash's _.union: a's items, then b's new ones.
func union(a, b []string) []string {
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// mergeCors merges an event's settings into its path's preflight; the
// later event's items come first.
func (b *restBuilder) mergeCors(path string, c *restCors) {
	m := b.cors[path]
	if m == nil {
		m = &restCors{}
		b.cors[path] = m
		b.corsPaths = append(b.corsPaths, path)
	}
	m.headers = union(c.headers, m.headers)
	m.methods = union(c.methods, m.methods)
	m.origins = union(c.origins, m.origins)
	m.origin = c.origin
	m.allowCredentials = m.allowCredentials || c.allowCredentials
	if c.maxAge != nil {
		m.maxAge = c.maxAge
	}
	if c.cacheControl != nil {
		m.cacheControl = c.cacheControl
	}
}

// authorizer is getAuthorizer.
func (b *restBuilder) authorizer(e *restEvent, cfg *schema.FunctionHTTPAuthorizer) *restAuthorizer {
	n := cfg.Node
	a := &restAuthorizer{}
	var fnName string
	switch n.Kind {
	case schema.String:
		switch {
		case strings.ToUpper(n.Value) == "AWS_IAM":
			a.iam = true
		case !strings.Contains(n.Value, ":"):
			fnName, a.name = n.Value, n.Value
		default:
			a.arn, a.arnString = n.Value, n.Value
			a.name = authorizerNameFromArn(n.Value)
		}
	case schema.Map:
		typ := cfg.Type
		a.typ = str(typ)
		switch {
		case typ.Truthy() && cfg.AuthorizerID.Truthy():
			a.authorizerID = value(cfg.AuthorizerID)
		case strings.ToUpper(a.typ) == "AWS_IAM":
			a.iam = true
		case cfg.ARN.Truthy():
			arn := cfg.ARN
			a.arn, a.arnString = value(arn), str(arn)
			if nm := cfg.Name; nm != nil && nm.Kind == schema.String {
				a.name = nm.Value
			} else if strings.ToUpper(a.typ) == "COGNITO_USER_POOLS" && arn.Kind == schema.Map {
				b.c.diags.Errorf(arn.Pos, fmt.Sprintf("function %q: a Cognito authorizer with an intrinsic ARN needs a name", e.fn.Key),
					"The framework cannot derive the authorizer's name from an intrinsic function: give authorizer.name.")
				b.ok = false
			} else if arn.Kind == schema.String {
				a.name = authorizerNameFromArn(arn.Value)
			} else {
				b.c.diags.Errorf(arn.Pos, fmt.Sprintf("function %q: an authorizer with an intrinsic ARN needs a name", e.fn.Key),
					"The framework derives the authorizer's name from the ARN's text and crashes on an intrinsic function: give authorizer.name.")
				b.ok = false
			}
		case cfg.Name.Truthy():
			fnName, a.name = jsvalue.String(cfg.Name), jsvalue.String(cfg.Name)
		default:
			b.c.diags.Errorf(n.Pos, fmt.Sprintf("function %q: the authorizer needs a name or an ARN", e.fn.Key),
				"Give authorizer.name (a function of this service), authorizer.arn, or type and authorizerId.")
			b.ok = false
			return nil
		}
		a.ttl = 300
		if t := cfg.ResultTTLInSeconds; t != nil {
			if v, ok := jsParseIntText(jsvalue.String(t)); ok {
				a.ttl = v
			}
		}
		if cl := cfg.Claims; cl.Truthy() {
			a.claims = stringsOf(cl)
		}
		if s := cfg.Scopes; s != nil {
			a.scopes = s
		}
		if s := cfg.IdentitySource; s != nil {
			a.identity = value(s)
		}
		if s := cfg.IdentityValidation; s != nil && s.Kind == schema.String {
			a.validation = s.Value
		}
		a.external = cfg.ManagedExternally.Truthy()
	default:
		return nil
	}
	if fnName != "" {
		target := b.c.function(fnName)
		if target == nil {
			b.c.diags.Errorf(n.Pos, fmt.Sprintf("function %q: authorizer function %q does not exist", e.fn.Key, fnName),
				"The framework fails with \"Function %s doesn't exist in this Service\". Name a function of functions:, or give the authorizer's ARN.%s",
				fnName, diag.DidYouMean(fnName, b.c.functionKeys()))
			b.ok = false
			return nil
		}
		a.arn = target.Target
		a.aliasID = target.AliasID
	}
	if a.identity == nil && !(strings.ToUpper(a.typ) == "REQUEST" && a.ttl == 0 && n.Kind == schema.Map) {
		a.identity = "method.request.header.Authorization"
	}
	if e.integration == "AWS_PROXY" && a.arnString != "" && cognitoIdpArn.MatchString(a.arnString) && len(a.claims) > 0 {
		b.c.diags.Errorf(jsvalue.PosOf(cfg.Claims, n.Pos), fmt.Sprintf("function %q: Cognito claims need the lambda integration", e.fn.Key),
			"The framework fails: \"Cognito claims can only be filtered when using the lambda integration type\". Use integration: lambda, or drop claims.")
		b.ok = false
	}
	return a
}

// jsParseIntText is Number.parseInt(s, 10).
func jsParseIntText(s string) (int, bool) {
	s = strings.TrimLeft(s, " \t\n\r")
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	start, v := i, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i-start < 12 {
		v = v*10 + int(s[i]-'0')
		i++
	}
	if i == start {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// authorizerNameFromArn is extractAuthorizerNameFromArn.
func authorizerNameFromArn(arn string) string {
	parts := strings.Split(arn, ":")
	last := strings.Split(parts[len(parts)-1], "-")
	return last[len(last)-1]
}

func methodID(path, method string) string {
	return "ApiGatewayMethod" + normalizePath(path) + norm(strings.ToLower(method))
}

func (b *restBuilder) resourceRef(path string) any {
	if path == "" {
		return b.rootID
	}
	return b.resources[path].ResourceID
}

// methodID is the method's logical ID from its resource's name
// (getResourceName), which a restApiResources entry may set.
func (b *restBuilder) methodID(path, method string) string {
	if path == "" {
		return methodID(path, method)
	}
	return "ApiGatewayMethod" + b.resources[path].Name + norm(strings.ToLower(method))
}

func (b *restBuilder) restAPI() {
	if b.apiGW.RestAPIID != nil {
		return
	}
	svc := b.c.svc
	endpoint := "EDGE"
	conf := map[string]any{}
	if et := b.apiGW.EndpointType; et != nil {
		endpoint = strings.ToUpper(jsvalue.String(et))
		if v := b.apiGW.VPCEndpointIDs; v != nil {
			if endpoint != "PRIVATE" {
				b.c.diags.Errorf(v.Pos, "vpcEndpointIds need a private API", "The framework fails: VPC endpoint IDs are only available for private APIs. Use endpointType: PRIVATE, or remove them.")
			}
			conf["VpcEndpointIds"] = value(v)
		}
	}
	conf["Types"] = []any{endpoint}
	name := fmt.Sprintf("%s-%s", svc.Stage, svc.Name)
	if b.apiGW.ShouldStartNameWithService {
		name = fmt.Sprintf("%s-%s", svc.Name, svc.Stage)
	}
	if n := b.apiGW.APIName; n != nil {
		name = jsvalue.String(n)
	}
	props := map[string]any{"Name": name, "EndpointConfiguration": conf, "Policy": ""}
	if v := b.apiGW.BinaryMediaTypes; v.Truthy() {
		props["BinaryMediaTypes"] = value(v)
	}
	if v := b.apiGW.DisableDefaultEndpoint; v != nil && v.Kind != schema.Null {
		props["DisableExecuteApiEndpoint"] = value(v)
	}
	if p := b.apiGW.ResourcePolicy; p != nil && (p.Kind == schema.List && len(p.Items) > 0 || p.Kind == schema.Map && len(p.Pairs) > 0) {
		props["Policy"] = map[string]any{"Version": "2012-10-17", "Statement": value(p)}
	}
	if v := b.apiGW.APIKeySourceType; v.Truthy() {
		props["ApiKeySourceType"] = strings.ToUpper(jsvalue.String(v))
	}
	if v := b.apiGW.MinimumCompressionSize; v != nil && v.Kind != schema.Null {
		props["MinimumCompressionSize"] = value(v)
	}
	if v := b.apiGW.Description; v.Truthy() {
		props["Description"] = value(v)
	}
	b.c.merge("ApiGatewayRestApi", map[string]any{"Type": "AWS::ApiGateway::RestApi", "Properties": props})
}

// resourceTree is compileResources without predefined resources: every
// prefix of every path, in first-seen order.
// resourceTree is compileResources: the path tree cut below the
// resources provider.apiGateway.restApiResources names (restree), and a
// Resource per path that has no ID yet.
func (b *restBuilder) resourceTree() {
	paths := make([]string, len(b.events))
	for i, e := range b.events {
		paths[i] = e.path
	}
	tree, missing := restree.Build(restree.Predefs(b.apiGW), paths, normalizePath)
	if missing != "" {
		b.c.diags.Errorf(b.apiGW.RestAPIResources.Pos, fmt.Sprintf("resource ID for path %s is required", missing),
			"The framework requires every existing path above a function's http event to be listed in provider.apiGateway.restApiResources with its resource ID.")
		b.ok = false
		return
	}
	b.resources = tree.Nodes
	for _, e := range b.events {
		if e.path != "" && b.resources[e.path] == nil {
			b.c.diags.Errorf(e.ev.KeyPos, fmt.Sprintf("no API Gateway resource for path %s", e.path),
				"The framework finds no resource for the path in provider.apiGateway.restApiResources as listed; write the listed paths without a leading slash.")
			b.ok = false
		}
	}
	if !b.ok {
		return
	}
	for _, path := range tree.Paths {
		r := b.resources[path]
		if r.ResourceID != nil {
			continue
		}
		id := "ApiGatewayResource" + normalizePath(path)
		r.ResourceID = ref(id)
		parent := b.rootID
		if r.Parent != nil {
			parent = r.Parent.ResourceID
		}
		props := map[string]any{"ParentId": parent, "PathPart": r.PathPart, "RestApiId": b.restAPIID}
		if r.NoPathPart {
			delete(props, "PathPart")
			if !b.c.in.Quirks.RestAPIResourcesUnchecked {
				b.c.diags.Errorf(b.apiGW.RestAPIResources.Pos, fmt.Sprintf("restApiResources entry %s has no resourceId", path),
					"The framework would create a Resource without PathPart for it, which CloudFormation rejects; give the entry its resourceId, or remove it.")
				b.ok = false
			}
		}
		b.c.merge(id, map[string]any{"Type": "AWS::ApiGateway::Resource", "Properties": props})
	}
}

// preflights is compileCors.
func (b *restBuilder) preflights() {
	for _, path := range b.corsPaths {
		cfg := b.cors[path]
		origin := ""
		if cfg.origin != nil {
			origin = *cfg.origin
		}
		origins := cfg.origins
		if strings.Contains(origin, ",") {
			origins = nil
			for _, o := range strings.Split(origin, ",") {
				origins = append(origins, strings.TrimSpace(o))
			}
		}
		if len(origins) > 0 {
			origin = origins[0]
		}
		methods := strings.Join(cfg.methods, ",")
		if contains(cfg.methods, "ANY") {
			methods = strings.Replace(methods, "ANY", "DELETE,GET,HEAD,PATCH,POST,PUT", 1)
		}
		headers := [][2]string{
			{"Access-Control-Allow-Origin", "'" + origin + "'"},
			{"Access-Control-Allow-Headers", "'" + strings.Join(cfg.headers, ",") + "'"},
			{"Access-Control-Allow-Methods", "'" + methods + "'"},
		}
		if cfg.allowCredentials {
			headers = append(headers, [2]string{"Access-Control-Allow-Credentials", "'true'"})
		}
		if cfg.maxAge != nil {
			headers = append(headers, [2]string{"Access-Control-Max-Age", "'" + fmt.Sprint(cfg.maxAge) + "'"})
		}
		if cfg.cacheControl != nil {
			headers = append(headers, [2]string{"Cache-Control", "'" + fmt.Sprint(cfg.cacheControl) + "'"})
		}
		template := ""
		if len(origins) > 0 {
			template = corsOriginTemplate(origins)
		}
		id := b.methodID(path, "options")
		b.methodIDs = append(b.methodIDs, id)
		b.c.merge(id, restree.PreflightMethod(headers, "", template, b.resourceRef(path), b.restAPIID))
	}
}

// corsOriginTemplate echoes the request's origin when it matches one of
// the origins (each "." literal, the first "*" any text).
func corsOriginTemplate(origins []string) string {
	var conds []string
	for _, o := range origins {
		re := strings.Replace(strings.ReplaceAll(o, ".", "[.]"), "*", ".+", 1)
		conds = append(conds, `$origin.matches("`+re+`")`)
	}
	return "#set($origin = $input.params(\"Origin\"))\n" +
		"#if($origin == \"\") #set($origin = $input.params(\"origin\")) #end\n" +
		"#if(" + strings.Join(conds, " || ") + ") #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin) #end"
}

func permissionID(key string) string { return norm(key) + "LambdaPermissionApiGateway" }

func authorizerID(name string) string { return norm(name) + "ApiGatewayAuthorizer" }

// methods is compileMethods.
func (b *restBuilder) methods() {
	seen := map[string]*restEvent{}
	for _, e := range b.events {
		params := map[string]any{}
		for _, p := range e.params {
			params[p.key] = p.required
		}
		props := map[string]any{
			"HttpMethod":        strings.ToUpper(e.method),
			"RequestParameters": params,
			"ResourceId":        b.resourceRef(e.path),
			"RestApiId":         b.restAPIID,
			"ApiKeyRequired":    e.private,
		}
		if op := e.http.OperationID; op != nil {
			props["OperationName"] = value(op)
		}
		deps := []any{permissionID(e.fn.Key)}
		if e.fn.AliasID != "" {
			deps = append(deps, e.fn.AliasID)
		}
		// The authorizer's DependsOn merges over the permission by index
		// (lodash's _.merge), replacing it.
		switch a := e.auth; {
		case a == nil:
			props["AuthorizationType"] = "NONE"
		case a.iam:
			props["AuthorizationType"] = "AWS_IAM"
		case a.authorizerID != nil:
			t := strings.ToUpper(a.typ)
			props["AuthorizationType"] = a.typ
			if t == "TOKEN" || t == "REQUEST" {
				props["AuthorizationType"] = "CUSTOM"
			}
			props["AuthorizerId"] = a.authorizerID
			if t == "COGNITO_USER_POOLS" && a.scopes != nil && a.scopes.Kind == schema.List && len(a.scopes.Items) > 0 {
				props["AuthorizationScopes"] = value(a.scopes)
			}
		default:
			props["AuthorizationType"] = "CUSTOM"
			if a.cognito() {
				props["AuthorizationType"] = "COGNITO_USER_POOLS"
				if a.scopes != nil && a.scopes.Kind == schema.List && len(a.scopes.Items) > 0 {
					props["AuthorizationScopes"] = value(a.scopes)
				}
			}
			props["AuthorizerId"] = ref(authorizerID(a.name))
			deps[0] = authorizerID(a.name)
		}
		for _, p := range e.params {
			if p.demanded {
				props["RequestValidatorId"] = ref(b.validator())
				break
			}
		}
		b.requestModels(e, props)
		props["Integration"] = b.integration(e)
		props["MethodResponses"] = b.methodResponses(e)
		id := b.methodID(e.path, e.method)
		if first, ok := seen[id]; ok {
			b.c.strictf(e.ev.KeyPos, fmt.Sprintf("function %q: %s /%s is also function %q's http endpoint", e.fn.Key, strings.ToUpper(e.method), e.path, first.fn.Key),
				"Both are one API Gateway method (%s): the framework merges the second event's settings into the first's, so the endpoint is a mix of both. Give one of them another path or method.", id)
		} else {
			seen[id] = e
		}
		b.methodIDs = append(b.methodIDs, id)
		b.c.merge(id, map[string]any{"Type": "AWS::ApiGateway::Method", "Properties": props, "DependsOn": deps})
	}
}

func (b *restBuilder) integration(e *restEvent) map[string]any {
	switch e.integration {
	case "HTTP", "HTTP_PROXY", "MOCK":
		return b.backendIntegration(e)
	}
	uri := []any{"arn:", ref("AWS::Partition"), ":apigateway:", ref("AWS::Region"), ":lambda:path/2015-03-31/functions/",
		getAtt(e.fn.LogicalID, "Arn")}
	if e.fn.AliasID != "" {
		uri = append(uri, ":", e.fn.AliasName)
	}
	uri = append(uri, "/invocations")
	in := map[string]any{"IntegrationHttpMethod": "POST", "Type": e.integration, "Uri": join("", uri...)}
	if e.integration == "AWS" {
		req := e.http.Request
		in["PassthroughBehavior"] = "NEVER"
		if pt := req.PassThrough; pt.Truthy() {
			in["PassthroughBehavior"] = value(pt)
		}
		if ch := req.ContentHandling; ch != nil {
			in["ContentHandling"] = value(ch)
		}
		claims := ""
		if e.auth != nil && len(e.auth.claims) > 0 {
			var parts []string
			for _, c := range e.auth.claims {
				if i := strings.Index(c, ":"); i >= 0 {
					parts = append(parts, fmt.Sprintf(`"%s": "$context.authorizer.claims['%s']"`, c[i+1:], c))
				} else {
					parts = append(parts, fmt.Sprintf(`"%s": "$context.authorizer.claims.%s"`, c, c))
				}
			}
			claims = strings.Join(parts, ",") + ","
		}
		templates := map[string]any{
			"application/json":                  strings.Replace(lambdaJSONRequestTemplate, "extraCognitoPoolClaims", claims, 1),
			"application/x-www-form-urlencoded": strings.Replace(lambdaFormRequestTemplate, "extraCognitoPoolClaims", claims, 1),
		}
		if t := req.Template; t != nil && t.Kind == schema.Map {
			for _, p := range t.Pairs {
				if p.Value.Kind == schema.Null {
					delete(templates, p.Key)
				} else {
					templates[p.Key] = strings.Replace(jsvalue.String(p.Value), "extraCognitoPoolClaims", claims, 1)
				}
			}
		}
		if len(templates) > 0 {
			in["RequestTemplates"] = templates
		}
		in["IntegrationResponses"] = b.integrationResponses(e)
		if len(e.params) > 0 || e.async {
			rp := map[string]any{}
			for _, p := range e.params {
				v := p.mapped
				if v == nil {
					v = p.key
				}
				rp["integration."+strings.TrimPrefix(p.key, "method.")] = v
			}
			if e.async {
				rp["integration.request.header.X-Amz-Invocation-Type"] = "'Event'"
			}
			in["RequestParameters"] = rp
		}
	} else if e.async {
		in["RequestParameters"] = map[string]any{"integration.request.header.X-Amz-Invocation-Type": "'Event'"}
	}
	return in
}

// backendIntegration is the integration of an HTTP, HTTP_PROXY or MOCK
// event (method/integration.js): the request goes to request.uri, or
// nowhere (MOCK); only the configured request templates are set.
func (b *restBuilder) backendIntegration(e *restEvent) map[string]any {
	req := e.http.Request
	in := map[string]any{"IntegrationHttpMethod": "POST", "Type": e.integration}
	if httpBackend(e.integration) {
		method := e.method
		// HTTP_PROXY events lose request.method with the framework's
		// other dropped request settings.
		if m := req.Method; m.Truthy() && e.integration == "HTTP" {
			method = jsvalue.String(m)
		}
		in["IntegrationHttpMethod"] = strings.ToUpper(method)
		in["Uri"] = value(req.URI)
		if ct := connectionType(e.http); ct != "" {
			in["ConnectionType"] = ct
			if id := connectionID(e.http); id != nil && id.Kind != schema.Null {
				in["ConnectionId"] = value(id)
			}
		}
	}
	if e.integration != "HTTP_PROXY" {
		if pt := req.PassThrough; pt != nil && pt.Kind != schema.Null {
			in["PassthroughBehavior"] = value(pt)
		}
		if ch := req.ContentHandling; ch != nil && ch.Kind != schema.Null {
			in["ContentHandling"] = value(ch)
		}
		templates := map[string]any{}
		if t := req.Template; t != nil && t.Kind == schema.Map {
			for _, p := range t.Pairs {
				if p.Value.Kind == schema.Null {
					delete(templates, p.Key)
				} else {
					templates[p.Key] = value(p.Value)
				}
			}
		}
		if len(templates) > 0 {
			in["RequestTemplates"] = templates
		}
		in["IntegrationResponses"] = b.integrationResponses(e)
	}
	if len(e.params) > 0 && e.integration != "MOCK" || e.async {
		rp := map[string]any{}
		for _, p := range e.params {
			v := p.mapped
			if v == nil {
				v = p.key
			}
			rp["integration."+strings.TrimPrefix(p.key, "method.")] = v
		}
		if e.async {
			rp["integration.request.header.X-Amz-Invocation-Type"] = "'Event'"
		}
		in["RequestParameters"] = rp
	}
	return in
}

// statusCode is one entry of response.statusCodes, with its headers and
// template as written.
type statusCode struct {
	code              string
	pattern           string
	headers, template *schema.Node
}

func (b *restBuilder) statusCodes(e *restEvent) []statusCode {
	resp := &e.http.Response
	if e.integration == "MOCK" && !resp.Node.Truthy() {
		return nil
	}
	if sc := resp.StatusCodes; sc == nil || sc.Kind != schema.Map {
		var out []statusCode
		for _, d := range lambdaStatusCodes {
			out = append(out, statusCode{code: d.code, pattern: d.pattern})
		}
		return out
	}
	var out []statusCode
	has200 := false
	for _, c := range resp.StatusCodeList {
		pat := c.Pattern
		s := statusCode{code: c.Code, headers: c.Headers, template: c.Template}
		if pat.Truthy() {
			s.pattern = jsvalue.String(pat)
		}
		if pat != nil && pat.Kind == schema.String && pat.Value == "" {
			has200 = true
		}
		out = append(out, s)
	}
	if !has200 && e.integration != "MOCK" {
		// The framework leaves a MOCK event's response as configured.
		// Object.assign puts "200" with the integer keys, in order.
		s := statusCode{code: "200"}
		inserted := false
		for i, o := range out {
			if o.code == "200" {
				out[i] = s
				inserted = true
				break
			}
		}
		if !inserted {
			out = append([]statusCode{s}, out...)
			sortIntegerKeys(out)
		}
	}
	return out
}

// sortIntegerKeys orders integer-like codes ascending ahead of the others,
// as JavaScript orders an object's keys.
func sortIntegerKeys(s []statusCode) {
	isInt := func(k string) (int, bool) {
		v, ok := jsParseIntText(k)
		return v, ok && fmt.Sprint(v) == k && v >= 0
	}
	for i := 1; i < len(s); i++ {
		for j := i; j > 0; j-- {
			a, aok := isInt(s[j-1].code)
			c, cok := isInt(s[j].code)
			if cok && (!aok || c < a) {
				s[j-1], s[j] = s[j], s[j-1]
			} else {
				break
			}
		}
	}
}

// responseHeaders are the cors and response.headers headers of an AWS
// integration's responses.
func (b *restBuilder) responseHeaders(e *restEvent) []schema.Pair {
	var out []schema.Pair
	if e.cors != nil {
		origin := "undefined"
		if e.cors.origin != nil {
			origin = *e.cors.origin
		}
		if len(e.cors.origins) > 0 {
			origin = strings.Join(e.cors.origins, ",")
		}
		out = append(out, schema.Pair{Key: "Access-Control-Allow-Origin", Value: &schema.Node{Kind: schema.String, Value: "'" + origin + "'"}})
		if e.cors.allowCredentials {
			out = append(out, schema.Pair{Key: "Access-Control-Allow-Credentials", Value: &schema.Node{Kind: schema.String, Value: "true"}})
		}
	}
	if h := e.http.Response.Headers; h != nil && h.Kind == schema.Map {
		out = append(out, jsvalue.Pairs(h)...)
	}
	return out
}

func (b *restBuilder) integrationResponses(e *restEvent) []any {
	resp := &e.http.Response
	headers := b.responseHeaders(e)
	out := []any{}
	for _, sc := range b.statusCodes(e) {
		params := map[string]any{}
		for _, h := range headers {
			params["method.response.header."+h.Key] = value(h.Value)
		}
		r := map[string]any{"StatusCode": sc.code, "SelectionPattern": sc.pattern, "ResponseParameters": params, "ResponseTemplates": map[string]any{}}
		if strings.HasPrefix(sc.code, "2") {
			if ch := resp.ContentHandling; ch != nil {
				r["ContentHandling"] = value(ch)
			}
		}
		if h := sc.headers; h != nil && h.Kind == schema.Map {
			for _, p := range jsvalue.Pairs(h) {
				params["method.response.header."+p.Key] = value(p.Value)
			}
		}
		templates := r["ResponseTemplates"].(map[string]any)
		if t := resp.Template; t.Truthy() {
			templates["application/json"] = value(t)
		}
		if t := sc.template; t.Truthy() {
			if t.Kind == schema.String {
				templates["application/json"] = t.Value
			} else if t.Kind == schema.Map {
				for _, p := range t.Pairs {
					templates[p.Key] = value(p.Value)
				}
			}
		}
		out = append(out, r)
	}
	return out
}

func (b *restBuilder) methodResponses(e *restEvent) []any {
	out := []any{}
	if proxy(e.integration) {
		return out
	}
	headers := b.responseHeaders(e)
	for _, sc := range b.statusCodes(e) {
		params := map[string]any{}
		for _, h := range headers {
			params["method.response.header."+h.Key] = true
		}
		if h := sc.headers; h != nil && h.Kind == schema.Map {
			for _, p := range h.Pairs {
				params["method.response.header."+p.Key] = true
			}
		}
		out = append(out, map[string]any{"ResponseParameters": params, "ResponseModels": map[string]any{}, "StatusCode": sc.code})
	}
	return out
}

// requestModels is the schemas half of compileRequestValidators: a
// model per content type, a schema naming one of
// provider.apiGateway.request.schemas shared.
func (b *restBuilder) requestModels(e *restEvent, props map[string]any) {
	schemas := e.http.Request.SchemaList
	if len(schemas) == 0 {
		return
	}
	models := map[string]any{}
	for _, m := range schemas {
		cfg := m.Value
		props["RequestValidatorId"] = ref(b.validator())
		var modelID string
		if provided := b.apiGW.RequestSchema(str(cfg)); cfg.Kind != schema.Map && provided.Value.Truthy() {
			modelID = "ApiGateway" + upperFirst(jsvalue.CamelCase(str(cfg))) + "Model"
			mp := map[string]any{"RestApiId": ref("ApiGatewayRestApi"), "Schema": value(provided.Value), "ContentType": "application/json"}
			if provided.Value.Kind == schema.Map {
				if d := provided.Schema; d.Truthy() {
					mp["Schema"] = value(d)
				}
				if n := provided.Name; n.Truthy() {
					mp["Name"] = value(n)
				}
				if d := provided.Description; d.Truthy() {
					mp["Description"] = value(d)
				}
			}
			b.c.res[modelID] = map[string]any{"Type": "AWS::ApiGateway::Model", "Properties": mp}
		} else {
			modelID = b.methodID(e.path, e.method) + jsvalue.StartCase(m.Key) + "Model"
			mp := map[string]any{"RestApiId": b.restAPIID, "ContentType": m.Key, "Schema": value(cfg)}
			if cfg.Kind == schema.Map && m.Schema.Truthy() {
				mp["Schema"] = value(m.Schema)
				if n := m.Name; n != nil {
					mp["Name"] = value(n)
				}
				if d := m.Description; d != nil {
					mp["Description"] = value(d)
				}
			}
			b.c.res[modelID] = map[string]any{"Type": "AWS::ApiGateway::Model", "Properties": mp}
		}
		models[m.Key] = ref(modelID)
	}
	props["RequestModels"] = models
}

// validator is createRequestValidator: one per service.
func (b *restBuilder) validator() string {
	svc := b.c.svc
	id := "ApiGateway" + alnum(svc.Name) + "RequestValidator"
	b.c.res[id] = map[string]any{"Type": "AWS::ApiGateway::RequestValidator", "Properties": map[string]any{
		"RestApiId": b.restAPIID, "ValidateRequestBody": true, "ValidateRequestParameters": true,
		"Name": fmt.Sprintf("%s-%s | Validate request body and querystring parameters", svc.Name, svc.Stage)}}
	return id
}

// authorizers is compileAuthorizers.
func (b *restBuilder) authorizers() {
	for _, e := range b.events {
		a := e.auth
		if a == nil || a.arn == nil || a.iam || a.authorizerID != nil {
			continue
		}
		// Settings the event leaves undefined do not overwrite another
		// event's (lodash's merge).
		props := map[string]any{"Name": a.name, "RestApiId": b.restAPIID}
		if a.identity != nil {
			props["IdentitySource"] = a.identity
		}
		if e.http.Authorizer.Node.Kind == schema.Map {
			props["AuthorizerResultTtlInSeconds"] = json.Number(strconv.Itoa(a.ttl))
		}
		if a.validation != nil {
			props["IdentityValidationExpression"] = a.validation
		}
		if a.cognito() {
			props["Type"] = "COGNITO_USER_POOLS"
			props["ProviderARNs"] = []any{a.arn}
		} else {
			props["AuthorizerUri"] = join("", "arn:", ref("AWS::Partition"), ":apigateway:", ref("AWS::Region"),
				":lambda:path/2015-03-31/functions/", a.arn, "/invocations")
			props["Type"] = "TOKEN"
			if a.typ != "" {
				props["Type"] = strings.ToUpper(a.typ)
			}
		}
		r := map[string]any{"Type": "AWS::ApiGateway::Authorizer", "Properties": props}
		if a.aliasID != "" {
			r["DependsOn"] = a.aliasID
		}
		b.c.merge(authorizerID(a.name), r)
	}
}

func (b *restBuilder) sourceArn() any {
	return join("", "arn:", ref("AWS::Partition"), ":execute-api:", ref("AWS::Region"), ":", ref("AWS::AccountId"), ":", b.restAPIID, "/*/*")
}

// deployment is compileDeployment and the ServiceEndpoint output.
func (b *restBuilder) deployment() {
	stage := b.c.svc.Stage
	if s := b.apiGW.Stage; s.Truthy() {
		stage = jsvalue.String(s)
	}
	props := map[string]any{"RestApiId": b.restAPIID, "StageName": stage}
	if d := b.apiGW.Description; d.Truthy() {
		props["Description"] = value(d)
	}
	deps := make([]any, 0, len(b.methodIDs))
	for _, id := range b.methodIDs {
		deps = append(deps, id)
	}
	b.c.merge(restAPIDeploymentID, map[string]any{"Type": "AWS::ApiGateway::Deployment", "Properties": props, "DependsOn": deps})
	b.c.tpl.AddOutput("ServiceEndpoint", map[string]any{"Description": "URL of the service endpoint",
		"Value": join("", "https://", b.restAPIID, ".execute-api.", ref("AWS::Region"), ".", ref("AWS::URLSuffix"), "/"+b.c.svc.Stage)})
}

// permissions is compilePermissions: one per function (the last event's
// settings win), and one per Lambda authorizer.
func (b *restBuilder) permissions() {
	for _, e := range b.events {
		fn := e.fn
		r := map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{
			"FunctionName": fn.Target, "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com", "SourceArn": b.sourceArn()}}
		if fn.AliasID != "" {
			r["DependsOn"] = fn.AliasID
		}
		b.c.res[permissionID(fn.Key)] = r
		a := e.auth
		if a == nil || a.arn == nil || a.iam || a.authorizerID != nil || a.cognito() || a.external {
			continue
		}
		id := permissionID(a.name)
		if _, ok := b.c.res[id]; ok {
			continue
		}
		fnName := a.arn
		if a.aliasID != "" {
			fnName = ref(a.aliasID)
		}
		b.c.res[id] = map[string]any{"Type": "AWS::Lambda::Permission", "Properties": map[string]any{
			"FunctionName": fnName, "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com", "SourceArn": b.sourceArn()}}
	}
}

// restAccessLogs says whether provider.logs.restApi turns access logging
// on: any truthy value, unless accessLogging is false (stage.js).
func restAccessLogs(logs schema.RESTAPILogs) bool {
	if !logs.Node.Truthy() {
		return false
	}
	access := logs.AccessLogging
	return logs.Node.Kind != schema.Map || access == nil || access.Kind == schema.Null || access.Truthy()
}

// restLogsRoleManaged says whether provider.logs.restApi says the API
// Gateway CloudWatch role is set outside the stack.
func restLogsRoleManaged(logs schema.RESTAPILogs) bool {
	return logs.Node != nil && logs.Node.Kind == schema.Map && logs.RoleManagedExternally.Truthy()
}

// checkRESTLogs refuses logs of an existing REST API, where the framework
// fails.
func (b *restBuilder) checkRESTLogs(logs schema.RESTAPILogs) {
	if b.apiGW.RestAPIID.Truthy() && logs.Node.Kind != schema.Null {
		b.c.diags.Errorf(logs.KeyPos, "provider.logs.restApi has no effect with provider.apiGateway.restApiId",
			"The framework fails: the logging of an existing REST API is configured where the API is defined. Remove provider.logs.restApi.")
		b.ok = false
	}
}

// stage makes the access log group of provider.logs.restApi, and the
// custom resource that sets API Gateway's CloudWatch role. The
// framework applies the stage's other settings (log format, execution
// logging, tracing, tags) through API calls after the deploy, so they
// are not part of the template.
func (b *restBuilder) stage() {
	if !restAccessLogs(b.c.svc.Provider.RESTAPILogs) {
		return
	}
	props := map[string]any{"LogGroupName": "/aws/api-gateway/" + b.c.svc.Name + "-" + b.c.svc.Stage}
	p := b.c.svc.Provider
	if r := p.LogRetentionInDays; r.Truthy() {
		props["RetentionInDays"] = value(r)
	}
	if d := p.LogDataProtectionPolicy; d.Truthy() {
		props["DataProtectionPolicy"] = value(d)
	}
	b.c.res["ApiGatewayLogGroup"] = map[string]any{"Type": "AWS::Logs::LogGroup", "Properties": props}
	if !RESTLogsRole(b.c.svc) {
		return
	}
	b.c.apiGatewayCloudWatchRole("provider.logs.restApi", b.c.svc.Provider.RESTAPILogs.KeyPos)
}

// RESTLogsRole says whether provider.logs.restApi has the framework set
// API Gateway's CloudWatch role with its custom resource: access logs
// on, and roleManagedExternally not true.
func RESTLogsRole(svc *schema.Service) bool {
	logs := svc.Provider.RESTAPILogs
	return restAccessLogs(logs) && !restLogsRoleManaged(logs)
}

// RESTPreflightIDs are the logical IDs of the CORS preflight methods the
// framework makes for the functions' http events.
func RESTPreflightIDs(svc *schema.Service) map[string]bool {
	ids := map[string]bool{}
	for _, f := range svc.Functions {
		for _, ev := range f.EventList {
			if ev.HTTP == nil || ev.HTTP.CORS == nil {
				continue
			}
			path := strings.TrimSuffix(strings.TrimPrefix(str(ev.HTTP.Path), "/"), "/")
			ids[methodID(path, "options")] = true
		}
	}
	return ids
}
