package apigateway

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// httpEvent is one `http` event of a state machine, as decoded, with the
// timeout it gets (its own, or provider.apiGateway.timeoutInMillis).
type httpEvent struct {
	*schema.HTTPEvent
	m       *schema.StateMachine
	timeout *schema.Node
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
			key := methodLogicalID(normalizePath(h.Path), h.Method)
			if first, dup := methods[key]; dup {
				c.Strictf(h.Pos, fmt.Sprintf("%s /%s is already an http event", strings.ToUpper(h.Method), h.Path),
					"State machine %q's event at line %d has the same path and method; serverless-step-functions merges both into one method (%s), the later integration winning. Give each event its own path or method.",
					first.m.Key, first.Pos.Line, key)
			} else {
				methods[key] = h
			}
			events = append(events, h)
			if h.CORS == nil {
				continue
			}
			pf := byPath[h.Path]
			if pf == nil {
				pf = &preflight{path: h.Path}
				byPath[h.Path] = pf
				pre = append(pre, pf)
			}
			pf.headers = union(h.CORS.Headers, pf.headers)
			pf.methods = union(h.CORS.Methods, pf.methods)
			pf.origins = union(h.CORS.Origins, pf.origins)
			pf.origin = "*"
			if h.CORS.Origin != nil && *h.CORS.Origin != "" {
				pf.origin = *h.CORS.Origin
			}
			pf.allowCredentials = pf.allowCredentials || h.CORS.AllowCredentials
			if h.CORS.MaxAge != nil {
				pf.maxAge = h.CORS.MaxAge
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

// httpEvent is the decoded event with its machine and timeout. The
// "METHOD path" shorthand takes no timeout.
func (c *emitter) httpEvent(m *schema.StateMachine, d *schema.HTTPEvent) *httpEvent {
	h := &httpEvent{HTTPEvent: d, m: m, timeout: d.TimeoutInMillis}
	if h.timeout == nil && d.Node != nil {
		h.timeout = c.Service.Provider.APIGateway.TimeoutInMillis
	}
	return h
}
