package schema

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema/diag"
)

// HTTPEvent is one `http` event of a state machine, normalised as the
// plugin's httpValidate does, with stepform's own keys.
type HTTPEvent struct {
	// Pos is the position of the event's `http` key.
	Pos diag.Pos
	// Node is the object form, or nil for the "METHOD path" shorthand
	// (which sets nothing else).
	Node *Node
	// Path has no leading or trailing slash; "" is the root resource.
	// PathPos is the path's (or the shorthand's) position.
	Path    string
	PathPos diag.Pos
	// Method is lower case: get, post, put, patch, options, head, delete
	// or any.
	Method    string
	MethodPos diag.Pos
	// Action is the `action` key as written, nil when absent. It stays a
	// Node: any value compiles (an unknown one is reported), and messages
	// quote its JavaScript text.
	Action *Node
	// Private is `private`'s truthiness.
	Private bool
	// IAMRole is `iamRole` as written (an ARN or intrinsic, passed
	// through), nil when absent.
	IAMRole *Node
	// TimeoutInMillis is the event's own timeoutInMillis when truthy; the
	// compiler falls back on provider.apiGateway.timeoutInMillis.
	TimeoutInMillis *Node
	// Integration is the `integration` key as the plugin normalises it
	// (AWS_PROXY when absent). The plugin reads it only to reject Cognito
	// claims; the integration is always the Step Functions one.
	Integration string
	// Authorizer is the plugin's getAuthorizer result, nil when the event
	// has no (truthy) authorizer or it is rejected.
	Authorizer *HTTPAuthorizer
	// CORS is the plugin's getCors result, nil when cors is falsy.
	CORS *HTTPCORS
	// Request and Response are the event's request and response keys.
	Request  HTTPRequest
	Response HTTPResponse
	// Responses is the `responses` key as written (a map keyed by
	// selection pattern; the plugin also takes a list), nil when absent.
	// IntegrationResponses are its entries in JavaScript's key order.
	Responses            *Node
	IntegrationResponses []HTTPIntegrationResponse
	// Stepform holds stepform's own keys (default mode; in plugin mode
	// each is an error and the values are the defaults).
	Stepform HTTPStepformOptions
}

// HTTPRequest is an http event's `request`. Its values are as written
// (nil when absent) and pass through to the method: Template is
// lambda_proxy or a map of content type to template text; Schemas maps a
// content type to a JSON schema or the name of one of
// provider.apiGateway.request.schemas.
type HTTPRequest struct {
	Template, Schemas *Node
	// SchemaList are Schemas' entries in JavaScript's key order, when it
	// is a map.
	SchemaList []NamedRequestModel
}

// HTTPResponse is an http event's `response`: Headers when a map of
// header name to value, Template as written (text, intrinsic or a map of
// content type to text), each nil when absent.
type HTTPResponse struct {
	Headers, Template *Node
}

// HTTPIntegrationResponse is one entry of an http event's responses. Key
// is its key (a list's index, as the plugin's _.forOwn enumerates it);
// the other values are as written, nil when absent or when the entry is
// not an object.
type HTTPIntegrationResponse struct {
	Key                                                                 string
	StatusCode, SelectionPattern, ResponseParameters, ResponseTemplates *Node
}

// integrationResponses lists a responses map's (or list's) entries in
// the order JavaScript enumerates them.
func integrationResponses(n *Node) []HTTPIntegrationResponse {
	var pairs []Pair
	switch n.Kind {
	case Map:
		pairs = JSOrderedPairs(n)
	case List:
		for i, it := range n.Items {
			pairs = append(pairs, Pair{Key: strconv.Itoa(i), Value: it})
		}
	}
	out := make([]HTTPIntegrationResponse, 0, len(pairs))
	for _, p := range pairs {
		v := p.Value
		out = append(out, HTTPIntegrationResponse{Key: p.Key, StatusCode: v.Get("statusCode"), SelectionPattern: v.Get("selectionPattern"),
			ResponseParameters: v.Get("responseParameters"), ResponseTemplates: v.Get("responseTemplates")})
	}
	return out
}

// StartAction is the execution-starting action the event calls
// (StartExecution when action is absent), or "" for any other action.
func (h *HTTPEvent) StartAction() string {
	if h.Action == nil {
		return "StartExecution"
	}
	if h.Action.Kind == String && (h.Action.Value == "StartExecution" || h.Action.Value == "StartSyncExecution") {
		return h.Action.Value
	}
	return ""
}

// HTTPAuthorizer is an event's authorizer after the plugin's getAuthorizer.
type HTTPAuthorizer struct {
	Pos diag.Pos
	// IAM is AWS_IAM auth (no authorizer resource).
	IAM bool
	// Type is the raw truthy `type` (TOKEN when nil).
	Type *Node
	// Name is the authorizer's name; HasName says it has one.
	Name    string
	HasName bool
	// ARN is the authorizer function's ARN as written (string or
	// intrinsic); nil when FunctionKey names a function of the service,
	// whose ARN is its Fn::GetAtt, or when there is none.
	ARN         *Node
	FunctionKey string
	// AuthorizerID is an existing authorizer's ID, passed through.
	AuthorizerID *Node
	// TTL is resultTtlInSeconds as parseInt reads it, 300 by default for
	// the object form; nil for the string forms, which set none.
	TTL *int
	// IdentitySource passes through; nil means the plugin's default,
	// method.request.header.Authorization.
	IdentitySource *Node
	// IdentityValidation and Scopes (a list) pass through, nil when absent.
	IdentityValidation, Scopes *Node
}

// Cognito reports whether the authorizer's ARN is a Cognito user pool's.
func (a *HTTPAuthorizer) Cognito() bool {
	return a.ARN != nil && a.ARN.Kind == String && cognitoArn.MatchString(a.ARN.Value)
}

var cognitoArn = lazyre.New(`^arn:[a-zA-Z-]*:cognito-idp`)

// HTTPCORS is an event's cors after the plugin's getCors.
type HTTPCORS struct {
	Pos     diag.Pos
	Origins []string
	// Origin is the single origin; nil is JavaScript's undefined.
	Origin           *string
	Headers, Methods []string
	AllowCredentials bool
	// MaxAge passes through (a whole number of seconds), nil when absent.
	MaxAge *Node
}

// HTTPStepformOptions are the http event keys stepform adds.
type HTTPStepformOptions struct {
	// ErrorStatusCodes map execution error names to HTTP statuses, in
	// the file's order.
	ErrorStatusCodes []ErrorStatusCode
	// ErrorDetails lists what a failed execution's answer carries.
	ErrorDetails ErrorDetails
	// AsyncStatusCode is 202 (the default) or 200.
	AsyncStatusCode int
	// Envelope wraps the request into {body, path, querystring, headers,
	// context}; EnvelopeHeaders are the headers it forwards.
	Envelope        bool
	EnvelopeHeaders []string
	// Public says the endpoint is meant to have no authentication.
	Public bool
}

// ErrorDetails are the fields of errorDetails; cause implies error.
type ErrorDetails struct{ Error, Cause bool }

// ErrorStatusCode is one entry of errorStatusCodes.
type ErrorStatusCode struct {
	Error  string
	Status int
}

// HTTPMethods are the methods an http event takes.
var HTTPMethods = []string{"get", "post", "put", "patch", "options", "head", "delete", "any"}

// SfnActions are the Step Functions API actions an API Gateway AWS
// integration can call.
var SfnActions = []string{
	"StartExecution", "StartSyncExecution", "StopExecution", "DescribeExecution", "DescribeStateMachine",
	"DescribeStateMachineForExecution", "GetExecutionHistory", "ListExecutions", "ListStateMachines",
	"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "DescribeActivity", "GetActivityTask",
	"ListActivities", "DescribeMapRun", "ListMapRuns", "RedriveExecution", "TestState", "ListTagsForResource",
	"DescribeStateMachineAlias", "ListStateMachineAliases", "ListStateMachineVersions", "StartExecutionWithAlias",
}

// The keys of an http event, its cors and its authorizer are those of the
// spec tables (spec.go), which stepform schema writes out too; written out
// here so that decoding need not build the tables
// (TestKeyListsAreTheSpecTables keeps them equal).
var (
	corsKeys       = []string{"origin", "origins", "headers", "methods", "allowCredentials", "maxAge", "cacheControl"}
	httpKeys       = []string{"path", "method", "action", "private", "cors", "authorizer", "request", "response", "responses", "iamRole", "timeoutInMillis", "integration", "async"}
	authorizerKeys = []string{"name", "arn", "type", "identitySource", "resultTtlInSeconds", "scopes", "authorizerId", "identityValidationExpression", "claims"}
	// StepformHTTPKeys are the http event keys stepform adds (default mode
	// only; the plugin's schema does not know them).
	StepformHTTPKeys = []string{"errorStatusCodes", "errorDetails", "asyncStatusCode", "envelope", "public"}
)

// DecodeHTTPEvent decodes the `http` pair of one event entry of m. It
// returns nil when the event has no valid path or method (the plugin
// throws). svc gives the functions an authorizer may name.
//
// What involves several events (the same path and method twice, CORS
// merged per path) or other parts of the service (the machine's type, the
// API role, request schemas under provider.apiGateway) is checked by the
// compiler once the events are decoded.
func DecodeHTTPEvent(svc *Service, m *StateMachine, p *Pair, compat Compat) (*HTTPEvent, diag.List) {
	f := &findings{compat: compat}
	v := p.Value
	h := &HTTPEvent{Pos: p.KeyPos, Stepform: HTTPStepformOptions{AsyncStatusCode: 202}}
	where := fmt.Sprintf("state machine %q", m.Key)
	var pathNode, methodNode *Node
	switch v.Kind {
	case String:
		parts := strings.Split(v.Value, " ")
		methodNode = NewString(parts[0], v.Pos)
		if len(parts) > 1 {
			pathNode = NewString(parts[1], v.Pos)
		}
		if len(parts) > 2 || (len(parts) == 2 && parts[1] == "") {
			f.strictf(v.Pos, "malformed http shorthand", "The shorthand is \"<METHOD> <path>\" with one space, e.g. \"POST /orders\"; the plugin splits %q on single spaces and reads only the first two parts.", v.Value)
		}
	case Map:
		h.Node = v
		pathNode, methodNode = v.Get("path"), v.Get("method")
		for _, kp := range v.Pairs {
			if !contains(httpKeys, kp.Key) && !contains(StepformHTTPKeys, kp.Key) {
				f.strictf(kp.KeyPos, fmt.Sprintf("unknown http event key %q", kp.Key),
					"serverless-step-functions ignores it.%s", diag.DidYouMean(kp.Key, append(append([]string{}, httpKeys...), StepformHTTPKeys...)))
			}
		}
	default:
		f.diags.Errorf(v.Pos, "invalid http event", "In %s, an http event is a string \"<METHOD> <path>\" or an object with path and method.", where)
		return nil, f.diags
	}
	ok := true
	if pathNode == nil || pathNode.Kind != String {
		f.diags.Errorf(posOr(pathNode, v.Pos), "missing or invalid http path", "In %s, the http event needs a string path, such as path: orders/{id}.", where)
		ok = false
	} else {
		h.Path, h.PathPos = strings.TrimSuffix(strings.TrimPrefix(pathNode.Value, "/"), "/"), pathNode.Pos
		f.checkHTTPPath(pathNode, h.Path)
	}
	if methodNode == nil || methodNode.Kind != String {
		f.diags.Errorf(posOr(methodNode, v.Pos), "missing or invalid http method", "In %s, the http event needs a method: one of %s.", where, strings.Join(HTTPMethods, ", "))
		ok = false
	} else {
		h.Method, h.MethodPos = strings.ToLower(methodNode.Value), methodNode.Pos
		if !contains(HTTPMethods, h.Method) {
			f.diags.Errorf(methodNode.Pos, fmt.Sprintf("invalid http method %q", methodNode.Value),
				"API Gateway methods are %s.%s", strings.Join(HTTPMethods, ", "), diag.DidYouMean(h.Method, HTTPMethods))
			ok = false
		}
	}
	if !ok {
		return nil, f.diags
	}
	h.Integration = "AWS_PROXY"
	if h.Node == nil {
		return h, f.diags
	}
	if a := v.Pair("action"); a != nil {
		h.Action = a.Value
		if a.Value.Kind != String || !contains(SfnActions, a.Value.Value) {
			f.strictf(a.Value.Pos, fmt.Sprintf("unknown Step Functions action %q", jsText(a.Value)),
				"The integration calls states:action/<action>; use a Step Functions API action such as StartExecution or StartSyncExecution.%s",
				diag.DidYouMean(jsText(a.Value), SfnActions))
		}
	}
	h.Private = v.Get("private").Truthy()
	f.stepformOptions(v, &h.Stepform)
	if h.Stepform.Public && h.Private {
		f.diags.Errorf(v.Pair("public").KeyPos, "endpoint is both public and private", "private: true requires an API key; public: true says the endpoint has no authentication. Keep one.")
	}
	if r := v.Pair("iamRole"); r != nil {
		h.IAMRole = r.Value
	}
	if t := v.Get("timeoutInMillis"); t.Truthy() {
		h.TimeoutInMillis = t
	}
	h.Integration = f.httpIntegration(v.Get("integration"), where)
	if a := v.Get("authorizer"); a.Truthy() {
		h.Authorizer = f.authorizer(svc, a, where)
		if h.Authorizer != nil && h.Integration == "AWS_PROXY" && a.Get("claims").Truthy() && h.Authorizer.Cognito() {
			f.diags.Errorf(a.Pair("claims").KeyPos, "Cognito claims need integration: lambda",
				"serverless-step-functions rejects claims on a Cognito authorizer unless the event sets integration: lambda; the claims have no effect on a state machine integration, so remove them.")
		}
	}
	if cv := v.Get("cors"); cv.Truthy() {
		h.CORS = f.cors(cv, h.Method)
	}
	request, response := v.Get("request"), v.Get("response")
	h.Request = HTTPRequest{Template: request.Get("template"), Schemas: request.Get("schemas")}
	if s := h.Request.Schemas; s != nil && s.Kind == Map {
		for _, p := range JSOrderedPairs(s) {
			h.Request.SchemaList = append(h.Request.SchemaList, NamedRequestModel{Key: p.Key, RequestModel: decodeRequestModel(p.Value)})
		}
	}
	h.Response = HTTPResponse{Template: response.Get("template")}
	if hd := response.Get("headers"); hd != nil && hd.Kind == Map {
		h.Response.Headers = hd
	}
	if r := v.Pair("responses"); r != nil {
		h.Responses = r.Value
		h.IntegrationResponses = integrationResponses(r.Value)
		if r.Value.Kind == List {
			f.strictf(r.Value.Pos, "responses must be a map",
				"Key each integration response by its selection pattern or status, e.g. responses: {\"200\": {statusCode: 200}}; the plugin writes one response per list item with SelectionPattern \"0\", \"1\", ....")
		}
	}
	if rp := request.Pair("parameters"); rp != nil {
		f.diags.Warnf(rp.KeyPos, "request.parameters is ignored",
			"serverless-step-functions always writes RequestParameters: {}; declare required parameters with a request schema, or on the method in resources.extensions.")
	}
	if t := h.Request.Template; t != nil && t.Kind != Map && !(t.Kind == String && t.Value == "lambda_proxy") {
		f.strictf(t.Pos, "invalid request template", "request.template is lambda_proxy or a map of content type to template text.")
	} else if t != nil && t.Kind == Map {
		for _, p := range t.Pairs {
			if v := p.Value; v.Kind != String && !v.IsIntrinsic() {
				f.strictf(v.Pos, "invalid request template",
					"The template for %s must be text: API Gateway takes only strings in RequestTemplates (a number such as .inf is written as null). Quote it, or give the mapping template itself.", p.Key)
			}
		}
	}
	return h, f.diags
}

// pathPartName is what API Gateway takes in a resource's path part, and
// in a {parameter} name: letters, digits and . _ - :.
var pathPartName = lazyre.New(`^[a-zA-Z0-9._:-]+$`)

// checkHTTPPath reports path segments API Gateway rejects.
func (f *findings) checkHTTPPath(n *Node, path string) {
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
				f.strictf(n.Pos, fmt.Sprintf("greedy path parameter %s is not last", seg),
					"API Gateway takes a {name+} parameter only as the last segment of a path; move it to the end, e.g. files/meta/{proxy+}.")
				return
			}
			if !bad && !pathPartName.MatchString(inner) {
				f.strictf(n.Pos, fmt.Sprintf("invalid path parameter name %s", seg),
					"API Gateway takes letters, digits and . _ - : in a parameter name.")
				return
			}
		} else if !bad && !pathPartName.MatchString(seg) {
			f.strictf(n.Pos, fmt.Sprintf("invalid character in http path %q", n.Value),
				"API Gateway takes only letters, digits and . _ - : in a path segment (%q is not), besides {parameters}; a space or other character must be left out or replaced.", seg)
			return
		}
		if bad {
			f.strictf(n.Pos, fmt.Sprintf("invalid http path %q", n.Value),
				"Each path segment is a name or a {parameter} (or {proxy+} at the end), separated by single slashes.")
			return
		}
	}
}

// cors is the plugin's getCors.
func (f *findings) cors(v *Node, method string) *HTTPCORS {
	defaultHeaders := []string{"Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token", "X-Amz-User-Agent"}
	up := strings.ToUpper(method)
	star := "*"
	if v.Kind != Map {
		if v.Kind != Bool {
			f.strictf(v.Pos, "invalid cors", "cors is true or an object (origin or origins, headers, methods, allowCredentials, maxAge); the plugin treats %q as true.", jsText(v))
		}
		return &HTTPCORS{Pos: v.Pos, Origins: []string{"*"}, Origin: &star, Methods: []string{"OPTIONS", up}, Headers: defaultHeaders}
	}
	cc := &HTTPCORS{Pos: v.Pos, AllowCredentials: v.Get("allowCredentials").Truthy(), MaxAge: v.Get("maxAge")}
	for _, p := range v.Pairs {
		if !contains(corsKeys, p.Key) {
			f.strictf(p.KeyPos, fmt.Sprintf("unknown cors key %q", p.Key), "serverless-step-functions ignores it.%s", diag.DidYouMean(p.Key, corsKeys))
		}
	}
	if cl := v.Pair("cacheControl"); cl != nil {
		f.diags.Warnf(cl.KeyPos, "cors.cacheControl is ignored", "serverless-step-functions does not add a Cache-Control header to the preflight response.")
	}
	if o := v.Get("origin"); o.Truthy() {
		s := jsText(o)
		cc.Origin = &s
	}
	if os := v.Get("origins"); os != nil && os.Kind != Null {
		cc.Origins = f.stringList(os, "cors.origins")
	}
	if v.Get("origins").Truthy() && v.Get("origin").Truthy() {
		f.diags.Errorf(v.Get("origins").Pos, "cors has both origin and origins", "Use origin (one) or origins (a list), not both.")
	}
	if hs := v.Get("headers"); hs.Truthy() {
		if hs.Kind != List {
			// As the compiler does: the rest of the settings stay unread.
			f.diags.Errorf(hs.Pos, "cors headers must be a list", "Write headers as a list, such as [Content-Type, Authorization].")
			return cc
		}
		cc.Headers = f.stringList(hs, "cors.headers")
	} else {
		cc.Headers = defaultHeaders
	}
	if ms := v.Get("methods"); ms.Truthy() {
		cc.Methods = f.stringList(ms, "cors.methods")
	}
	if !contains(cc.Methods, "OPTIONS") {
		cc.Methods = append(cc.Methods, "OPTIONS")
	}
	if !contains(cc.Methods, up) {
		cc.Methods = append(cc.Methods, up)
	}
	if ma := cc.MaxAge; ma != nil && (ma.Kind != Number || ma.Num != math.Trunc(ma.Num) || ma.Num <= 0) {
		f.diags.Errorf(ma.Pos, "invalid cors maxAge", "maxAge is a whole number of seconds greater than 0.")
	}
	if !f.plugin() {
		for _, k := range []string{"origin", "origins"} {
			for _, n := range nodeList(v.Get(k)) {
				if n.Kind == String && strings.ContainsAny(n.Value, "'\"\\ \t\r\n") {
					f.diags.Errorf(n.Pos, fmt.Sprintf("invalid CORS origin %q", n.Value),
						"An origin is scheme://host[:port], such as https://app.example.com, or a pattern such as https://*.example.com; quotes, backslashes and spaces cannot be part of it.")
				}
			}
		}
	}
	if cc.Origin == nil && len(cc.Origins) == 0 && !f.plugin() {
		// The plugin writes 'undefined' as the allowed origin on the
		// method's responses; the preflight allows '*'.
		cc.Origin = &star
	}
	return cc
}

// nodeList is n's items for a list, n alone otherwise, nothing for nil.
func nodeList(n *Node) []*Node {
	if n == nil {
		return nil
	}
	if n.Kind == List {
		return n.Items
	}
	return []*Node{n}
}

func (f *findings) stringList(n *Node, what string) []string {
	if n.Kind != List {
		f.strictf(n.Pos, fmt.Sprintf("%s must be a list", what), "Write it as a list of strings.")
		return []string{jsText(n)}
	}
	out := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		if it.Kind == Null {
			out = append(out, "") // Array.join writes null as ""
			continue
		}
		out = append(out, jsText(it))
	}
	return out
}

// authorizer is the plugin's getAuthorizer.
func (f *findings) authorizer(svc *Service, n *Node, where string) *HTTPAuthorizer {
	a := &HTTPAuthorizer{Pos: n.Pos}
	switch n.Kind {
	case String:
		switch {
		case strings.ToUpper(n.Value) == "AWS_IAM":
			a.IAM = true
		case !strings.Contains(n.Value, ":"):
			a.Name, a.HasName = n.Value, true
			a.FunctionKey = f.authorizerFunction(svc, n)
		default:
			a.ARN = n
			a.Name, a.HasName = authorizerNameFromArn(n.Value), true
		}
		return a
	case Map:
	default:
		f.diags.Errorf(n.Pos, "invalid authorizer", "In %s, authorizer is aws_iam, a function name, an ARN, or an object with name or arn.", where)
		return nil
	}
	for _, p := range n.Pairs {
		if !contains(authorizerKeys, p.Key) {
			f.strictf(p.KeyPos, fmt.Sprintf("unknown authorizer key %q", p.Key), "serverless-step-functions ignores it.%s", diag.DidYouMean(p.Key, authorizerKeys))
		}
	}
	typ, id := n.Get("type"), n.Get("authorizerId")
	if typ != nil && typ.Kind != String && typ.Truthy() {
		f.diags.Errorf(typ.Pos, "invalid authorizer type", "type is TOKEN, REQUEST, COGNITO_USER_POOLS, AWS_IAM or CUSTOM.")
		return nil
	}
	switch {
	case typ.Truthy() && id.Truthy() && typ.Value == "AWS_IAM":
		// The plugin's method check is case-sensitive: AWS_IAM wins and the
		// authorizerId is dropped.
		a.IAM = true
		f.diags.Warnf(n.Pair("authorizerId").KeyPos, "authorizerId is ignored with type AWS_IAM",
			"An AWS_IAM method has no authorizer; remove authorizerId, or give the authorizer's own type (TOKEN, REQUEST, COGNITO_USER_POOLS).")
	case typ.Truthy() && id.Truthy():
		a.Type, a.AuthorizerID = typ, id
	case typ.Truthy() && strings.ToUpper(typ.Value) == "AWS_IAM":
		a.IAM = true
	case n.Get("arn").Truthy():
		arn := n.Get("arn")
		a.ARN = arn
		if nm := n.Get("name"); nm != nil && nm.Kind == String {
			a.Name, a.HasName = nm.Value, true
		} else if arn.Kind == String {
			a.Name, a.HasName = authorizerNameFromArn(arn.Value), true
		} else {
			f.diags.Errorf(arn.Pos, "authorizer needs a name", "With an intrinsic arn, give the authorizer a name: the plugin derives the name from an ARN string only.")
			return nil
		}
	case n.Get("name").Truthy():
		a.Name, a.HasName = jsText(n.Get("name")), true
		a.FunctionKey = f.authorizerFunction(svc, n.Get("name"))
	default:
		f.diags.Errorf(n.Pos, "authorizer needs a name or arn", "Give the authorizer a name (a function of this service) or an arn.")
		return nil
	}
	if a.Type == nil && typ.Truthy() {
		// A falsy type (false, 0, "") is absent: TOKEN.
		a.Type = typ
	}
	if s := n.Get("scopes"); s != nil && s.Kind == List {
		a.Scopes = s
	}
	ttl := 300
	if t := n.Get("resultTtlInSeconds"); t != nil {
		if v, ok := JSParseInt(jsText(t)); ok {
			ttl = v
		}
	}
	a.TTL = &ttl
	if is := n.Pair("identitySource"); is != nil && is.Value.Kind != Null {
		a.IdentitySource = is.Value
	}
	a.IdentityValidation = n.Get("identityValidationExpression")
	return a
}

// authorizerFunction is the plugin's getLambdaArn: a name without a colon
// is a function of the service, which must exist. It returns the key.
func (f *findings) authorizerFunction(svc *Service, n *Node) string {
	name := jsText(n)
	if svc.Function(name) == nil {
		keys := make([]string, 0, len(svc.Functions))
		for _, fn := range svc.Functions {
			keys = append(keys, fn.Key)
		}
		f.diags.Errorf(n.Pos, fmt.Sprintf("unknown authorizer function %q", name),
			"A name without a colon names a function of this service; give a function key or the authorizer's ARN.%s", diag.DidYouMean(name, keys))
	}
	return name
}

// authorizerNameFromArn is the framework's extractAuthorizerNameFromArn:
// the last ":" segment, then its last "-" segment.
func authorizerNameFromArn(arn string) string {
	parts := strings.Split(arn, ":")
	last := strings.Split(parts[len(parts)-1], "-")
	return last[len(last)-1]
}

// httpIntegrations are the values the plugin accepts for an event's
// integration key (after upper-casing and turning the first "-" into "_").
var httpIntegrations = []string{"LAMBDA_PROXY", "LAMBDA", "AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"}

// httpIntegration normalises an event's integration key as the plugin's
// getIntegration does.
func (f *findings) httpIntegration(n *Node, where string) string {
	if !n.Truthy() {
		return "AWS_PROXY"
	}
	norm := strings.Replace(strings.ToUpper(jsText(n)), "-", "_", 1)
	switch norm {
	case "LAMBDA":
		return "AWS"
	case "LAMBDA_PROXY":
		return "AWS_PROXY"
	}
	if !contains(httpIntegrations, norm) {
		f.diags.Errorf(n.Pos, fmt.Sprintf("invalid integration %q", jsText(n)),
			"In %s, integration is one of lambda, lambda-proxy, aws, aws-proxy, http, http-proxy, mock (the plugin rejects anything else; it only affects Cognito claims).%s",
			where, diag.DidYouMean(jsText(n), []string{"lambda", "lambda-proxy", "aws", "aws-proxy", "http", "http-proxy", "mock"}))
	}
	return norm
}

// JSParseInt is Number.parseInt(s, 10).
func JSParseInt(s string) (int, bool) {
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

var (
	errorNameRe  = lazyre.New(`^[^'\\$#]{1,256}$`)
	headerNameRe = lazyre.New(`^[A-Za-z0-9!#%&*+.^_|~-]+$`)
)

// stepformOptions reads the stepform keys of an http event object. In
// plugin mode each one is an error: the plugin would not apply it.
func (f *findings) stepformOptions(v *Node, o *HTTPStepformOptions) {
	for _, p := range v.Pairs {
		if !contains(StepformHTTPKeys, p.Key) {
			continue
		}
		if f.plugin() {
			f.diags.Errorf(p.KeyPos, fmt.Sprintf("%s is a stepform key", p.Key),
				"serverless-step-functions does not know it, so --compat plugin cannot honour it; remove it, or compile without --compat plugin.")
			continue
		}
		n := p.Value
		switch p.Key {
		case "errorStatusCodes":
			if n.Kind != Map {
				f.diags.Errorf(n.Pos, "errorStatusCodes must be a map", "Map execution error names to HTTP statuses, e.g. errorStatusCodes: {NotFound: 404}.")
				continue
			}
			for _, ep := range n.Pairs {
				code := ep.Value
				if !errorNameRe.MatchString(ep.Key) {
					f.diags.Errorf(ep.KeyPos, fmt.Sprintf("invalid error name %q", ep.Key), "An execution error name is 1 to 256 characters without ', \\, $ or #.")
					continue
				}
				if code.Kind != Number || code.Num != float64(int(code.Num)) || code.Num < 400 || code.Num > 599 {
					f.diags.Errorf(code.Pos, "invalid error status code", "A failed execution maps to a whole HTTP status from 400 to 599.")
					continue
				}
				o.ErrorStatusCodes = append(o.ErrorStatusCodes, ErrorStatusCode{ep.Key, int(code.Num)})
			}
		case "errorDetails":
			if n.Kind != List {
				f.diags.Errorf(n.Pos, "errorDetails must be a list", "List the fields of a failed execution to send to the client: [error] or [error, cause].")
				continue
			}
			for _, it := range n.Items {
				if it.Kind != String || (it.Value != "error" && it.Value != "cause") {
					f.diags.Errorf(it.Pos, fmt.Sprintf("invalid errorDetails entry %q", jsText(it)), "errorDetails lists error and/or cause.%s", diag.DidYouMean(jsText(it), []string{"error", "cause"}))
					continue
				}
				if it.Value == "error" {
					o.ErrorDetails.Error = true
				} else {
					o.ErrorDetails.Cause = true
				}
			}
			if o.ErrorDetails.Cause {
				o.ErrorDetails.Error = true
			}
		case "asyncStatusCode":
			if n.Kind != Number || (n.Num != 200 && n.Num != 202) {
				f.diags.Errorf(n.Pos, "asyncStatusCode is 200 or 202", "A started execution answers 202 Accepted; asyncStatusCode: 200 keeps the plugin's 200.")
				continue
			}
			o.AsyncStatusCode = int(n.Num)
		case "envelope":
			switch n.Kind {
			case Bool:
				o.Envelope = n.Value == "true"
			case Map:
				o.Envelope = true
				for _, ep := range n.Pairs {
					if ep.Key != "headers" {
						f.diags.Errorf(ep.KeyPos, fmt.Sprintf("unknown envelope key %q", ep.Key), "envelope takes headers, a list of header names to forward.%s", diag.DidYouMean(ep.Key, []string{"headers"}))
						continue
					}
					if ep.Value.Kind != List {
						f.diags.Errorf(ep.Value.Pos, "envelope.headers must be a list", "List the header names to forward, e.g. [X-Correlation-Id].")
						continue
					}
					for _, hd := range ep.Value.Items {
						if hd.Kind != String || !headerNameRe.MatchString(hd.Value) {
							f.diags.Errorf(hd.Pos, fmt.Sprintf("invalid header name %q", jsText(hd)), "A header name is letters, digits and -, such as X-Correlation-Id.")
							continue
						}
						if lh := strings.ToLower(hd.Value); lh == "authorization" || lh == "cookie" {
							f.diags.Warnf(hd.Pos, fmt.Sprintf("forwarding %s into the execution input", hd.Value),
								"Execution inputs are stored in execution history and logs; credentials end up there. Forward an authorizer's result instead.")
						}
						o.EnvelopeHeaders = append(o.EnvelopeHeaders, hd.Value)
					}
				}
			default:
				f.diags.Errorf(n.Pos, "invalid envelope", "envelope is true or {headers: [names]}: the execution input becomes {body, path, querystring, headers, context}.")
			}
		case "public":
			if n.Kind != Bool {
				f.diags.Errorf(n.Pos, "public must be true or false", "public: true says the endpoint is meant to have no authorizer, API key or IAM auth.")
				continue
			}
			o.Public = n.Value == "true"
		}
	}
}
