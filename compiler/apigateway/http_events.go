package apigateway

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// httpEvent is one `http` event of a state machine, normalised as the
// plugin's httpValidate does.
type httpEvent struct {
	m    *schema.StateMachine
	node *schema.Node // the object form, or nil for the string shorthand
	pos  diag.Pos
	// path has no leading or trailing slash; "" is the root resource.
	path   string
	method string // lower case
	// action is the `action` key (nil when absent).
	action    *schema.Node
	private   bool
	iamRole   *schema.Node
	timeout   *schema.Node
	cors      *corsConfig
	auth      *authorizerConfig
	request   *schema.Node
	response  *schema.Node
	responses *schema.Node
	// sfn holds the stepform keys (default mode), or nil.
	sfn *sfnOptions
}

// corsConfig is an event's `cors` after getCors.
type corsConfig struct {
	origins          []string
	origin           *string // nil is JavaScript's undefined
	headers          []string
	methods          []string
	allowCredentials bool
	maxAge           *schema.Node
}

// preflight is the OPTIONS configuration of one path, merged over every
// event with cors on that path.
type preflight struct {
	path             string
	origins, headers []string
	methods          []string
	origin           string
	allowCredentials bool
	maxAge           *schema.Node
}

// authorizerConfig is an event's `authorizer` after getAuthorizer.
type authorizerConfig struct {
	typ          *schema.Node // the raw `type`, or a synthesized AWS_IAM
	iam          bool
	name         string
	hasName      bool
	arn          any // string or intrinsic; nil when none
	authorizerID any
	ttl          *int
	identity     any
	idValidation *schema.Node
	scopes       any
	pos          diag.Pos
}

// cognito reports whether the authorizer's ARN is a Cognito user pool's.
func (a *authorizerConfig) cognito() bool {
	s, ok := a.arnString()
	return ok && cognitoArn.MatchString(s)
}

func (a *authorizerConfig) arnString() (string, bool) {
	s, ok := a.arn.(string)
	return s, ok
}

var httpMethods = schema.HTTPMethods

// sfnActions are the Step Functions API actions an API Gateway AWS
// integration can call.
var sfnActions = []string{
	"StartExecution", "StartSyncExecution", "StopExecution", "DescribeExecution", "DescribeStateMachine",
	"DescribeStateMachineForExecution", "GetExecutionHistory", "ListExecutions", "ListStateMachines",
	"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "DescribeActivity", "GetActivityTask",
	"ListActivities", "DescribeMapRun", "ListMapRuns", "RedriveExecution", "TestState", "ListTagsForResource",
	"DescribeStateMachineAlias", "ListStateMachineAliases", "ListStateMachineVersions", "StartExecutionWithAlias",
}

var corsKeys = schema.CORSSpec.KeyNames()

var httpKeys = schema.HTTPEventSpec.PluginKeyNames()

// httpEvents collects and validates every http event in the plugin's
// order (machines, then events). Problems the plugin throws on are errors
// in both modes.
func (c *emitter) httpEvents() (events []*httpEvent, pre []*preflight) {
	byPath := map[string]*preflight{}
	methods := map[string]*httpEvent{}
	for _, m := range c.Service.StepFunctions.StateMachines {
		if m.Events == nil || m.Events.Kind != schema.List {
			continue
		}
		for _, ev := range m.Events.Items {
			p := ev.Pair("http")
			if p == nil {
				continue
			}
			h := c.httpEvent(m, p)
			if h == nil {
				continue
			}
			key := methodLogicalID(normalizePath(h.path), h.method)
			if first, dup := methods[key]; dup {
				c.Strictf(h.pos, fmt.Sprintf("%s /%s is already an http event", strings.ToUpper(h.method), h.path),
					"State machine %q's event at line %d has the same path and method; serverless-step-functions merges both into one method (%s), the later integration winning. Give each event its own path or method.",
					first.m.Key, first.pos.Line, key)
			} else {
				methods[key] = h
			}
			events = append(events, h)
			if h.cors == nil {
				continue
			}
			pf := byPath[h.path]
			if pf == nil {
				pf = &preflight{path: h.path}
				byPath[h.path] = pf
				pre = append(pre, pf)
			}
			pf.headers = union(h.cors.headers, pf.headers)
			pf.methods = union(h.cors.methods, pf.methods)
			pf.origins = union(h.cors.origins, pf.origins)
			pf.origin = "*"
			if h.cors.origin != nil && *h.cors.origin != "" {
				pf.origin = *h.cors.origin
			}
			pf.allowCredentials = pf.allowCredentials || h.cors.allowCredentials
			if h.cors.maxAge != nil {
				pf.maxAge = h.cors.maxAge
			}
		}
	}
	return events, pre
}

// union is lodash's _.union: the unique values of a then b, in order.
func union(a, b []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range [][]string{a, b} {
		for _, s := range l {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func (c *emitter) httpEvent(m *schema.StateMachine, p *schema.Pair) *httpEvent {
	v := p.Value
	h := &httpEvent{m: m, pos: p.KeyPos}
	where := fmt.Sprintf("state machine %q", m.Key)
	var pathNode, methodNode *schema.Node
	switch v.Kind {
	case schema.String:
		parts := strings.Split(v.Value, " ")
		methodNode = schema.NewString(parts[0], v.Pos)
		if len(parts) > 1 {
			pathNode = schema.NewString(parts[1], v.Pos)
		}
		if len(parts) > 2 || (len(parts) == 2 && parts[1] == "") {
			c.Strictf(v.Pos, "malformed http shorthand", "The shorthand is \"<METHOD> <path>\" with one space, e.g. \"POST /orders\"; the plugin splits %q on single spaces and reads only the first two parts.", v.Value)
		}
	case schema.Map:
		h.node = v
		pathNode, methodNode = v.Get("path"), v.Get("method")
		for _, kp := range v.Pairs {
			if !slices.Contains(httpKeys, kp.Key) && !slices.Contains(stepformHTTPKeys, kp.Key) {
				c.Strictf(kp.KeyPos, fmt.Sprintf("unknown http event key %q", kp.Key),
					"serverless-step-functions ignores it.%s", diag.DidYouMean(kp.Key, append(append([]string{}, httpKeys...), stepformHTTPKeys...)))
			}
		}
	default:
		c.Diags.Errorf(v.Pos, "invalid http event", "In %s, an http event is a string \"<METHOD> <path>\" or an object with path and method.", where)
		return nil
	}
	ok := true
	if pathNode == nil || pathNode.Kind != schema.String {
		pos := v.Pos
		if pathNode != nil {
			pos = pathNode.Pos
		}
		c.Diags.Errorf(pos, "missing or invalid http path", "In %s, the http event needs a string path, such as path: orders/{id}.", where)
		ok = false
	} else {
		h.path = strings.TrimSuffix(strings.TrimPrefix(pathNode.Value, "/"), "/")
		c.checkPath(pathNode, h.path)
	}
	if methodNode == nil || methodNode.Kind != schema.String {
		pos := v.Pos
		if methodNode != nil {
			pos = methodNode.Pos
		}
		c.Diags.Errorf(pos, "missing or invalid http method", "In %s, the http event needs a method: one of %s.", where, strings.Join(httpMethods, ", "))
		ok = false
	} else {
		h.method = strings.ToLower(methodNode.Value)
		if !slices.Contains(httpMethods, h.method) {
			c.Diags.Errorf(methodNode.Pos, fmt.Sprintf("invalid http method %q", methodNode.Value),
				"API Gateway methods are %s.%s", strings.Join(httpMethods, ", "), diag.DidYouMean(h.method, httpMethods))
			ok = false
		}
	}
	if !ok {
		return nil
	}
	if h.node == nil {
		return h
	}
	if a := v.Pair("action"); a != nil {
		h.action = a.Value
		if a.Value.Kind != schema.String || !slices.Contains(sfnActions, a.Value.Value) {
			c.Strictf(a.Value.Pos, fmt.Sprintf("unknown Step Functions action %q", jsvalue.String(a.Value)),
				"The integration calls states:action/<action>; use a Step Functions API action such as StartExecution or StartSyncExecution.%s",
				diag.DidYouMean(jsvalue.String(a.Value), sfnActions))
		}
	}
	h.private = v.Get("private").Truthy()
	h.sfn = c.sfnOptionsOf(v)
	if h.sfn.public && h.private {
		c.Diags.Errorf(v.Pair("public").KeyPos, "endpoint is both public and private", "private: true requires an API key; public: true says the endpoint has no authentication. Keep one.")
	}
	if r := v.Pair("iamRole"); r != nil {
		h.iamRole = r.Value
	}
	if t := v.Get("timeoutInMillis"); t.Truthy() {
		h.timeout = t
	} else if t := c.Service.Root.Path("provider.apiGateway.timeoutInMillis"); t.Truthy() {
		h.timeout = t
	}
	integration := c.httpIntegration(v.Get("integration"), where)
	if a := v.Get("authorizer"); a.Truthy() {
		h.auth = c.authorizer(a, where)
		if h.auth != nil && integration == "AWS_PROXY" && a.Get("claims").Truthy() && h.auth.cognito() {
			c.Diags.Errorf(a.Pair("claims").KeyPos, "Cognito claims need integration: lambda",
				"serverless-step-functions rejects claims on a Cognito authorizer unless the event sets integration: lambda; the claims have no effect on a state machine integration, so remove them.")
		}
	}
	if cv := v.Get("cors"); cv.Truthy() {
		h.cors = c.corsOf(cv, h.method)
	}
	h.request = v.Get("request")
	h.response = v.Get("response")
	if r := v.Pair("responses"); r != nil {
		h.responses = r.Value
		if r.Value.Kind == schema.List {
			c.Strictf(r.Value.Pos, "responses must be a map",
				"Key each integration response by its selection pattern or status, e.g. responses: {\"200\": {statusCode: 200}}; the plugin writes one response per list item with SelectionPattern \"0\", \"1\", ....")
		}
	}
	if rp := h.request.Pair("parameters"); rp != nil {
		c.Diags.Warnf(rp.KeyPos, "request.parameters is ignored",
			"serverless-step-functions always writes RequestParameters: {}; declare required parameters with a request schema, or on the method in resources.extensions.")
	}
	if t := h.request.Get("template"); t != nil && t.Kind != schema.Map && !(t.Kind == schema.String && t.Value == "lambda_proxy") {
		c.Strictf(t.Pos, "invalid request template", "request.template is lambda_proxy or a map of content type to template text.")
	}
	return h
}

// pathPartName is what API Gateway takes in a resource's path part, and
// in a {parameter} name: letters, digits and . _ - :.
var pathPartName = regexp.MustCompile(`^[a-zA-Z0-9._:-]+$`)

// checkPath reports path segments API Gateway rejects.
func (c *emitter) checkPath(n *schema.Node, path string) {
	if path == "" {
		return
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		bad := seg == ""
		if strings.HasPrefix(seg, "{") || strings.HasSuffix(seg, "}") {
			inner := strings.TrimSuffix(strings.TrimPrefix(seg, "{"), "}")
			greedy := strings.HasSuffix(inner, "+")
			inner = strings.TrimSuffix(inner, "+")
			bad = bad || !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") || inner == "" || strings.ContainsAny(inner, "{}/")
			if !bad && greedy && i < len(segs)-1 {
				c.Strictf(n.Pos, fmt.Sprintf("greedy path parameter %s is not last", seg),
					"API Gateway takes a {name+} parameter only as the last segment of a path; move it to the end, e.g. files/meta/{proxy+}.")
				return
			}
			if !bad && !pathPartName.MatchString(inner) {
				c.Strictf(n.Pos, fmt.Sprintf("invalid path parameter name %s", seg),
					"API Gateway takes letters, digits and . _ - : in a parameter name.")
				return
			}
		} else if !bad && !pathPartName.MatchString(seg) {
			c.Strictf(n.Pos, fmt.Sprintf("invalid character in http path %q", n.Value),
				"API Gateway takes only letters, digits and . _ - : in a path segment (%q is not), besides {parameters}; a space or other character must be left out or replaced.", seg)
			return
		}
		if bad {
			c.Strictf(n.Pos, fmt.Sprintf("invalid http path %q", n.Value),
				"Each path segment is a name or a {parameter} (or {proxy+} at the end), separated by single slashes.")
			return
		}
	}
}

// corsOf is the plugin's getCors.
func (c *emitter) corsOf(v *schema.Node, method string) *corsConfig {
	defaultHeaders := []string{"Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token", "X-Amz-User-Agent"}
	up := strings.ToUpper(method)
	star := "*"
	if v.Kind != schema.Map {
		if v.Kind != schema.Bool {
			c.Strictf(v.Pos, "invalid cors", "cors is true or an object (origin or origins, headers, methods, allowCredentials, maxAge); the plugin treats %q as true.", jsvalue.String(v))
		}
		return &corsConfig{origins: []string{"*"}, origin: &star, methods: []string{"OPTIONS", up}, headers: defaultHeaders}
	}
	cc := &corsConfig{allowCredentials: v.Get("allowCredentials").Truthy(), maxAge: v.Get("maxAge")}
	for _, p := range v.Pairs {
		if !slices.Contains(corsKeys, p.Key) {
			c.Strictf(p.KeyPos, fmt.Sprintf("unknown cors key %q", p.Key), "serverless-step-functions ignores it.%s", diag.DidYouMean(p.Key, corsKeys))
		}
	}
	if cl := v.Pair("cacheControl"); cl != nil {
		c.Diags.Warnf(cl.KeyPos, "cors.cacheControl is ignored", "serverless-step-functions does not add a Cache-Control header to the preflight response.")
	}
	if o := v.Get("origin"); o.Truthy() {
		s := jsvalue.String(o)
		cc.origin = &s
	}
	if os := v.Get("origins"); os != nil && os.Kind != schema.Null {
		cc.origins = c.stringList(os, "cors.origins")
	}
	if v.Get("origins").Truthy() && v.Get("origin").Truthy() {
		c.Diags.Errorf(v.Get("origins").Pos, "cors has both origin and origins", "Use origin (one) or origins (a list), not both.")
	}
	if hs := v.Get("headers"); hs.Truthy() {
		if hs.Kind != schema.List {
			c.Diags.Errorf(hs.Pos, "cors headers must be a list", "Write headers as a list, such as [Content-Type, Authorization].")
			return cc
		}
		cc.headers = c.stringList(hs, "cors.headers")
	} else {
		cc.headers = defaultHeaders
	}
	if ms := v.Get("methods"); ms.Truthy() {
		cc.methods = c.stringList(ms, "cors.methods")
	}
	if !slices.Contains(cc.methods, "OPTIONS") {
		cc.methods = append(cc.methods, "OPTIONS")
	}
	if !slices.Contains(cc.methods, up) {
		cc.methods = append(cc.methods, up)
	}
	if ma := cc.maxAge; ma != nil && (ma.Kind != schema.Number || ma.Num != math.Trunc(ma.Num) || ma.Num <= 0) {
		c.Diags.Errorf(ma.Pos, "invalid cors maxAge", "maxAge is a whole number of seconds greater than 0.")
	}
	if !c.Quirks.CORSAsPlugin {
		for _, k := range []string{"origin", "origins"} {
			for _, n := range listOf(v.Get(k)) {
				if n.Kind == schema.String && strings.ContainsAny(n.Value, "'\"\\ \t\r\n") {
					c.Diags.Errorf(n.Pos, fmt.Sprintf("invalid CORS origin %q", n.Value),
						"An origin is scheme://host[:port], such as https://app.example.com, or a pattern such as https://*.example.com; quotes, backslashes and spaces cannot be part of it.")
				}
			}
		}
	}
	if cc.origin == nil && len(cc.origins) == 0 && !c.Quirks.CORSUndefinedOrigin {
		// The plugin writes 'undefined' as the allowed origin on the
		// method's responses; the preflight allows '*'.
		cc.origin = &star
	}
	return cc
}

func (c *emitter) stringList(n *schema.Node, what string) []string {
	if n.Kind != schema.List {
		c.Strictf(n.Pos, fmt.Sprintf("%s must be a list", what), "Write it as a list of strings.")
		return []string{jsvalue.String(n)}
	}
	out := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		if it.Kind == schema.Null {
			out = append(out, "") // Array.join writes null as ""
			continue
		}
		out = append(out, jsvalue.String(it))
	}
	return out
}

var authorizerKeys = schema.AuthorizerSpec.KeyNames()

// authorizer is the plugin's getAuthorizer.
func (c *emitter) authorizer(n *schema.Node, where string) *authorizerConfig {
	a := &authorizerConfig{pos: n.Pos, identity: "method.request.header.Authorization"}
	switch n.Kind {
	case schema.String:
		switch {
		case strings.ToUpper(n.Value) == "AWS_IAM":
			a.iam = true
		case !strings.Contains(n.Value, ":"):
			a.name, a.hasName = n.Value, true
			a.arn = c.authorizerFunctionArn(n)
		default:
			a.arn = n.Value
			a.name, a.hasName = authorizerNameFromArn(n.Value), true
		}
		return a
	case schema.Map:
	default:
		c.Diags.Errorf(n.Pos, "invalid authorizer", "In %s, authorizer is aws_iam, a function name, an ARN, or an object with name or arn.", where)
		return nil
	}
	for _, p := range n.Pairs {
		if !slices.Contains(authorizerKeys, p.Key) {
			c.Strictf(p.KeyPos, fmt.Sprintf("unknown authorizer key %q", p.Key), "serverless-step-functions ignores it.%s", diag.DidYouMean(p.Key, authorizerKeys))
		}
	}
	typ, id := n.Get("type"), n.Get("authorizerId")
	if typ != nil && typ.Kind != schema.String && typ.Truthy() {
		c.Diags.Errorf(typ.Pos, "invalid authorizer type", "type is TOKEN, REQUEST, COGNITO_USER_POOLS, AWS_IAM or CUSTOM.")
		return nil
	}
	switch {
	case typ.Truthy() && id.Truthy() && typ.Value == "AWS_IAM":
		// The plugin's method check is case-sensitive: AWS_IAM wins and the
		// authorizerId is dropped.
		a.iam = true
		c.Diags.Warnf(n.Pair("authorizerId").KeyPos, "authorizerId is ignored with type AWS_IAM",
			"An AWS_IAM method has no authorizer; remove authorizerId, or give the authorizer's own type (TOKEN, REQUEST, COGNITO_USER_POOLS).")
	case typ.Truthy() && id.Truthy():
		a.typ, a.authorizerID = typ, jsvalue.Plain(id)
	case typ.Truthy() && strings.ToUpper(typ.Value) == "AWS_IAM":
		a.iam = true
	case n.Get("arn").Truthy():
		arn := n.Get("arn")
		a.arn = jsvalue.Plain(arn)
		if nm := n.Get("name"); nm != nil && nm.Kind == schema.String {
			a.name, a.hasName = nm.Value, true
		} else if arn.Kind == schema.String {
			a.name, a.hasName = authorizerNameFromArn(arn.Value), true
		} else {
			c.Diags.Errorf(arn.Pos, "authorizer needs a name", "With an intrinsic arn, give the authorizer a name: the plugin derives the name from an ARN string only.")
			return nil
		}
	case n.Get("name").Truthy():
		a.name, a.hasName = jsvalue.String(n.Get("name")), true
		a.arn = c.authorizerFunctionArn(n.Get("name"))
	default:
		c.Diags.Errorf(n.Pos, "authorizer needs a name or arn", "Give the authorizer a name (a function of this service) or an arn.")
		return nil
	}
	if a.typ == nil && typ.Truthy() {
		// A falsy type (false, 0, "") is absent: TOKEN.
		a.typ = typ
	}
	if s := n.Get("scopes"); s != nil && s.Kind == schema.List {
		a.scopes = jsvalue.Plain(s)
	}
	ttl := 300
	if t := n.Get("resultTtlInSeconds"); t != nil {
		if v, ok := jsParseInt(jsvalue.String(t)); ok {
			ttl = v
		}
	}
	a.ttl = &ttl
	if is := n.Pair("identitySource"); is != nil && is.Value.Kind != schema.Null {
		a.identity = jsvalue.Plain(is.Value)
	}
	a.idValidation = n.Get("identityValidationExpression")
	return a
}

// integrations are the values the plugin accepts for an event's
// integration key (after upper-casing and turning the first "-" into "_").
var integrations = []string{"LAMBDA_PROXY", "LAMBDA", "AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"}

// httpIntegration normalises an event's integration key as the plugin's
// getIntegration does. The plugin uses it only to reject Cognito claims;
// the integration itself is always the Step Functions one.
func (c *emitter) httpIntegration(n *schema.Node, where string) string {
	if !n.Truthy() {
		return "AWS_PROXY"
	}
	norm := strings.Replace(strings.ToUpper(jsvalue.String(n)), "-", "_", 1)
	switch norm {
	case "LAMBDA":
		return "AWS"
	case "LAMBDA_PROXY":
		return "AWS_PROXY"
	}
	if !slices.Contains(integrations, norm) {
		c.Diags.Errorf(n.Pos, fmt.Sprintf("invalid integration %q", jsvalue.String(n)),
			"In %s, integration is one of lambda, lambda-proxy, aws, aws-proxy, http, http-proxy, mock (the plugin rejects anything else; it only affects Cognito claims).%s",
			where, diag.DidYouMean(jsvalue.String(n), []string{"lambda", "lambda-proxy", "aws", "aws-proxy", "http", "http-proxy", "mock"}))
	}
	return norm
}

// jsParseInt is Number.parseInt(s, 10).
func jsParseInt(s string) (int, bool) {
	s = strings.TrimLeft(s, " \t\n\r")
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	start := end
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == start {
		return 0, false
	}
	v, err := strconv.Atoi(s[:end])
	return v, err == nil
}

// authorizerFunctionArn is getLambdaArn: the local function's ARN, which
// must exist.
func (c *emitter) authorizerFunctionArn(n *schema.Node) any {
	name := jsvalue.String(n)
	if c.Service.Function(name) == nil {
		keys := make([]string, 0, len(c.Service.Functions))
		for _, f := range c.Service.Functions {
			keys = append(keys, f.Key)
		}
		c.Diags.Errorf(n.Pos, fmt.Sprintf("unknown authorizer function %q", name),
			"A name without a colon names a function of this service; give a function key or the authorizer's ARN.%s", diag.DidYouMean(name, keys))
	}
	return map[string]any{"Fn::GetAtt": []any{schema.NormalizeName(name) + "LambdaFunction", "Arn"}}
}

// authorizerNameFromArn is the framework's extractAuthorizerNameFromArn:
// the last ":" segment, then its last "-" segment.
func authorizerNameFromArn(arn string) string {
	parts := strings.Split(arn, ":")
	last := strings.Split(parts[len(parts)-1], "-")
	return last[len(last)-1]
}
