package apigateway

import (
	"fmt"
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
	cors      *schema.HTTPCORS
	auth      *schema.HTTPAuthorizer
	request   *schema.Node
	response  *schema.Node
	responses *schema.Node
	// sfn holds the stepform keys (default mode; their defaults otherwise).
	sfn schema.HTTPStepformOptions
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

// authorizerARN is the authorizer function's ARN as the method and the
// authorizer take it: a local function's Fn::GetAtt, the ARN as written,
// or nil.
func authorizerARN(a *schema.HTTPAuthorizer) any {
	switch {
	case a.FunctionKey != "":
		return map[string]any{"Fn::GetAtt": []any{schema.NormalizeName(a.FunctionKey) + "LambdaFunction", "Arn"}}
	case a.ARN != nil:
		return jsvalue.Plain(a.ARN)
	}
	return nil
}

// authorizerARNString is the authorizer's ARN when it is written as text.
func authorizerARNString(a *schema.HTTPAuthorizer) (string, bool) {
	if a.ARN != nil && a.ARN.Kind == schema.String {
		return a.ARN.Value, true
	}
	return "", false
}

// authorizerIdentity is the authorizer's IdentitySource, the plugin's
// method.request.header.Authorization unless given.
func authorizerIdentity(a *schema.HTTPAuthorizer) any {
	if a.IdentitySource != nil {
		return jsvalue.Plain(a.IdentitySource)
	}
	return "method.request.header.Authorization"
}

// httpEvents collects and validates every http event in the plugin's
// order (machines, then events). Problems the plugin throws on are errors
// in both modes.
func (c *emitter) httpEvents() (events []*httpEvent, pre []*preflight) {
	byPath := map[string]*preflight{}
	methods := map[string]*httpEvent{}
	for _, m := range c.Service.StepFunctions.StateMachines {
		if m.Events == nil {
			continue
		}
		for _, ev := range m.Events.Items {
			p := ev.Pair("http")
			if p == nil {
				continue
			}
			decoded, diags := schema.DecodeHTTPEvent(c.Service, m, p, c.Compat())
			c.Diags.Append(diags)
			if decoded == nil {
				continue
			}
			h := c.httpEvent(m, decoded)
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
			pf.headers = union(h.cors.Headers, pf.headers)
			pf.methods = union(h.cors.Methods, pf.methods)
			pf.origins = union(h.cors.Origins, pf.origins)
			pf.origin = "*"
			if h.cors.Origin != nil && *h.cors.Origin != "" {
				pf.origin = *h.cors.Origin
			}
			pf.allowCredentials = pf.allowCredentials || h.cors.AllowCredentials
			if h.cors.MaxAge != nil {
				pf.maxAge = h.cors.MaxAge
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

// httpEvent is the decoded event as the rest of the package reads it;
// provider.apiGateway.timeoutInMillis is the default timeout.
func (c *emitter) httpEvent(m *schema.StateMachine, d *schema.HTTPEvent) *httpEvent {
	h := &httpEvent{m: m, node: d.Node, pos: d.Pos, path: d.Path, method: d.Method, sfn: d.Stepform}
	if d.Node == nil {
		return h // the "METHOD path" shorthand sets nothing else
	}
	h.action, h.private, h.iamRole, h.timeout = d.Action, d.Private, d.IAMRole, d.TimeoutInMillis
	if h.timeout == nil {
		if t := c.Service.Root.Path("provider.apiGateway.timeoutInMillis"); t.Truthy() {
			h.timeout = t
		}
	}
	h.request, h.response, h.responses = d.Request, d.Response, d.Responses
	h.cors = d.CORS
	h.auth = d.Authorizer
	return h
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
