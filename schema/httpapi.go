package schema

import (
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema/diag"
)

// HTTPAPIEvent is an `httpApi` event (API Gateway v2): "METHOD /path",
// "*", or {method, path, authorizer}.
type HTTPAPIEvent struct {
	// Object says the event was given as an object.
	Object bool
	// Method and Path are the route's method and path as written (the
	// string form split); MethodNode and PathNode locate them.
	Method, Path         string
	HasMethod, HasPath   bool
	MethodNode, PathNode *Node
	// Malformed says a string form is neither "*" nor "METHOD /path":
	// the framework fails on it.
	Malformed bool
	// Authorizer is `authorizer:`, nil when absent or null.
	Authorizer *HTTPAPIRouteAuthorizer
	// Unknown are keys the framework's schema does not allow.
	Unknown []Pair
}

// HTTPAPIRouteAuthorizer is an httpApi event's authorizer: a name (Node
// a string), or {name, id, scopes, type}, whose keys are set as written
// (nil when absent).
type HTTPAPIRouteAuthorizer struct {
	Node                   *Node
	Name, ID, Scopes, Type *Node
}

// HTTPAPIMethods are the methods an HTTP API route takes ("*" is ANY).
var HTTPAPIMethods = []string{"ANY", "GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE"}

var httpAPIMethodPath = lazyre.New(`(?i)^(?:\*|(ANY|GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE) (/\S*))$`)

// httpAPIEventKeys are FunctionHTTPAPIEventSpec's keys.
var httpAPIEventKeys = []string{"method", "path", "authorizer"}

// MachineHTTPAPIKeys are the keys of a state machine's httpApi event
// (stepform's default mode; the plugin has no such event).
var MachineHTTPAPIKeys = []string{"action", "authorizer", "method", "path"}

// MachineHTTPAPIEvent is a state machine's `httpApi` event: a route on
// the service's HTTP API that starts an execution through API Gateway's
// Step Functions integration.
type MachineHTTPAPIEvent struct {
	HTTPAPIEvent
	// KeyPos is the event's key.
	KeyPos diag.Pos
	// Action is StartExecution (the default) or StartSyncExecution as
	// written; ActionNode locates it, nil when absent.
	Action     string
	ActionNode *Node
}

// DecodeMachineHTTPAPIEvent decodes the httpApi pair of a state machine's
// event entry.
func DecodeMachineHTTPAPIEvent(p *Pair) *MachineHTTPAPIEvent {
	e := &MachineHTTPAPIEvent{KeyPos: p.KeyPos, Action: "StartExecution"}
	if p.Value == nil || p.Value.Kind == Null {
		e.Malformed = true
		return e
	}
	e.HTTPAPIEvent = *decodeHTTPAPIEvent(p.Value, MachineHTTPAPIKeys)
	if a := present(p.Value.Get("action")); a != nil {
		e.Action, e.ActionNode = a.Value, a
	}
	return e
}

func decodeHTTPAPIEvent(v *Node, keys []string) *HTTPAPIEvent {
	e := &HTTPAPIEvent{}
	if v.Kind != Map {
		text := v.Value
		switch m := httpAPIMethodPath.FindStringSubmatch(text); {
		case text == "*":
			e.Path, e.HasPath = "*", true
		case m == nil:
			e.Malformed = true
		default:
			e.Method, e.HasMethod, e.Path, e.HasPath = m[1], true, m[2], true
		}
		e.MethodNode, e.PathNode = v, v
		return e
	}
	e.Object = true
	if m := present(v.Get("method")); m != nil {
		e.Method, e.HasMethod, e.MethodNode = m.Value, true, m
	}
	if p := present(v.Get("path")); p != nil {
		e.Path, e.HasPath, e.PathNode = p.Value, true, p
	}
	if a := present(v.Get("authorizer")); a != nil {
		e.Authorizer = &HTTPAPIRouteAuthorizer{Node: a, Name: a.Get("name"), ID: a.Get("id"), Scopes: a.Get("scopes"), Type: a.Get("type")}
	}
	for _, p := range v.Pairs {
		if !contains(keys, p.Key) {
			e.Unknown = append(e.Unknown, p)
		}
	}
	return e
}

// HTTPAPIConfig is provider.httpApi with provider.logs.httpApi: the
// settings of the service's HTTP API.
type HTTPAPIConfig struct {
	// Node is provider.httpApi, or nil.
	Node *Node
	// ID is the ID of an existing API the routes go on, or nil.
	ID                         *Node
	Name                       *Node
	Payload                    *Node
	Metrics                    *Node
	DisableDefaultEndpoint     *Node
	ShouldStartNameWithService *Node
	UseProviderTags            *Node
	// Cors is `cors:` (true, or an object), or nil; CorsConfig its keys.
	Cors       *Node
	CorsConfig CORSConfig
	// Authorizers is `authorizers:` (by name), or nil.
	Authorizers *Node
	// Logs is provider.logs.httpApi (true, or {format}), or nil;
	// LogFormat its format as written.
	Logs      *Node
	LogFormat *Node
}

// HTTPAPIAuthorizer is one entry of provider.httpApi.authorizers.
type HTTPAPIAuthorizer struct {
	// Key is the entry's key; Name the authorizer's name (`name:` or the
	// key), which names its resources.
	Key, Name string
	// Pair is the entry.
	Pair Pair
	Type string
	// Request authorizers.
	FunctionName, FunctionArn *Node
	ManagedExternally         bool
	ResultTTL                 *Node
	EnableSimpleResponses     *Node
	PayloadVersion            *Node
	// JWT authorizers.
	IssuerURL, Audience *Node
	IdentitySource      *Node
}

func decodeHTTPAPIConfig(provider *Node) HTTPAPIConfig {
	var c HTTPAPIConfig
	if l := provider.Get("logs"); l != nil && l.Kind == Map {
		if h := present(l.Get("httpApi")); h.Truthy() {
			c.Logs, c.LogFormat = h, h.Get("format")
		}
	}
	n := provider.Get("httpApi")
	if n == nil || n.Kind != Map {
		return c
	}
	get := func(k string) *Node { return present(n.Get(k)) }
	c.Node = n
	c.ID, c.Name, c.Payload, c.Metrics = get("id"), get("name"), get("payload"), get("metrics")
	c.DisableDefaultEndpoint, c.ShouldStartNameWithService = get("disableDefaultEndpoint"), get("shouldStartNameWithService")
	c.UseProviderTags, c.Cors, c.Authorizers = get("useProviderTags"), get("cors"), get("authorizers")
	c.CorsConfig = decodeCORSConfig(c.Cors)
	return c
}

// AuthorizerList is provider.httpApi.authorizers in source order.
func (c HTTPAPIConfig) AuthorizerList() []HTTPAPIAuthorizer {
	if c.Authorizers == nil || c.Authorizers.Kind != Map {
		return nil
	}
	var out []HTTPAPIAuthorizer
	for _, p := range c.Authorizers.Pairs {
		a := HTTPAPIAuthorizer{Key: p.Key, Name: p.Key, Pair: p}
		v := p.Value
		get := func(k string) *Node { return present(v.Get(k)) }
		if t := get("type"); t != nil {
			a.Type = t.Value
		}
		if name := get("name"); name.Truthy() {
			a.Name = name.Value
		}
		a.FunctionName, a.FunctionArn = get("functionName"), get("functionArn")
		a.ManagedExternally = get("managedExternally").Truthy()
		a.ResultTTL, a.EnableSimpleResponses, a.PayloadVersion = get("resultTtlInSeconds"), get("enableSimpleResponses"), get("payloadVersion")
		a.IssuerURL, a.Audience, a.IdentitySource = get("issuerUrl"), get("audience"), get("identitySource")
		out = append(out, a)
	}
	return out
}

// CorsIsTrue says cors is `true` (the defaults, methods from the routes).
func (c HTTPAPIConfig) CorsIsTrue() bool {
	return c.Cors != nil && c.Cors.Kind == Bool && c.Cors.Value == "true"
}

// HTTPAPIRouteKey is the route key of a method and path: "*" for the
// catch-all route, else "METHOD /path" with "*" read as ANY.
func HTTPAPIRouteKey(method, path string) string {
	if path == "*" {
		return "*"
	}
	m := strings.ToUpper(method)
	if m == "*" {
		m = "ANY"
	}
	return m + " " + path
}
