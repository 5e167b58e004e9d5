package schema

import "github.com/stepform/stepform/schema/diag"

// FunctionHTTPEvent is a function's `http` event: an endpoint of the
// framework's REST API. It is decoded as written, without reports: the
// compiler checks it as the framework's validate does. The values are
// the keys as written (a null included), nil when absent; an object's
// typed parts are set only when it is an object, and the "METHOD path"
// shorthand (Object false) sets nothing.
type FunctionHTTPEvent struct {
	// Object says the event is an object.
	Object       bool
	Path, Method *Node
	// Unknown are the keys outside FunctionHTTPEventKeys, in the file's
	// order.
	Unknown []Pair
	// Private and Async are those keys' truthiness.
	Private, Async bool
	Integration    *Node
	OperationID    *Node
	// ConnectionType and ConnectionID are kept with their keys, which
	// the checks of the HTTP integrations point at.
	ConnectionType, ConnectionID *Pair
	// CORS is nil when cors is absent or falsy.
	CORS *FunctionHTTPCORS
	// Authorizer is nil when authorizer is absent or falsy.
	Authorizer *FunctionHTTPAuthorizer
	Request    FunctionHTTPRequest
	Response   FunctionHTTPResponse
}

// FunctionHTTPEventKeys are the keys of a function's http event that
// stepform compiles; connectionType and connectionId only with the HTTP
// and HTTP_PROXY integrations: FunctionHTTPEventSpec's.
var FunctionHTTPEventKeys = []string{"path", "method", "cors", "authorizer", "private", "integration", "request", "response", "operationId", "async", "connectionType", "connectionId"}

// FunctionHTTPCORS is an http event's truthy cors: true, or an object
// whose keys are set when it is one.
type FunctionHTTPCORS struct {
	Node                                                                      *Node
	Origin, Origins, Headers, Methods, AllowCredentials, MaxAge, CacheControl *Node
}

// FunctionHTTPAuthorizer is an http event's truthy authorizer: a function
// name, an ARN or aws_iam (Node a string), or an object whose keys are
// set when it is one.
type FunctionHTTPAuthorizer struct {
	Node                                               *Node
	Type, AuthorizerID, ARN, Name, ResultTTLInSeconds  *Node
	Claims, Scopes, IdentitySource, IdentityValidation *Node
	ManagedExternally                                  *Node
}

// FunctionHTTPRequest is an http event's `request`: Node as written (nil
// when absent), the other values set when it is an object. Template,
// PassThrough, ContentHandling, Method and URI pass through.
type FunctionHTTPRequest struct {
	Node                                           *Node
	Template, PassThrough, ContentHandling, Method *Node
	URI                                            *Node
	// Parameters are request.parameters' querystrings, paths and headers
	// in the framework's order (each location's names in JavaScript's
	// key order), when parameters is written.
	Parameters []HTTPRequestParameter
	// Schemas is request.schemas as written; SchemaList its entries in
	// JavaScript's key order.
	Schemas    *Node
	SchemaList []NamedRequestModel
}

// HTTPRequestParameter is one entry of request.parameters.
type HTTPRequestParameter struct {
	// In is querystring, path or header.
	In, Name string
	// Value is the entry as written: a boolean (required or not) or an
	// object, whose Required and MappedValue are set.
	Value                 *Node
	Required, MappedValue *Node
}

// RequestModel is a request schema: the JSON schema itself, or an object
// {schema, name, description} whose keys are set.
type RequestModel struct {
	Value                     *Node
	Schema, Name, Description *Node
}

// NamedRequestModel is a request model under a key: a content type of an
// event's request.schemas, or a name of provider.apiGateway.request.schemas.
type NamedRequestModel struct {
	Key string
	RequestModel
}

// FunctionHTTPResponse is an http event's `response`: Node as written
// (nil when absent), KeyPos its key, the other values set when it is an
// object. Headers, Template and ContentHandling pass through.
type FunctionHTTPResponse struct {
	Node                               *Node
	KeyPos                             diag.Pos
	Headers, Template, ContentHandling *Node
	// StatusCodes is statusCodes as written; StatusCodeList its entries in
	// JavaScript's key order when it is an object.
	StatusCodes    *Node
	StatusCodeList []HTTPStatusCode
}

// HTTPStatusCode is one entry of response.statusCodes: the code, and the
// entry's pattern, headers and template when it is an object.
type HTTPStatusCode struct {
	Code                       string
	Value                      *Node
	Pattern, Headers, Template *Node
}

// decodeFunctionHTTPEvent decodes a function's http event (not null).
func decodeFunctionHTTPEvent(v *Node) *FunctionHTTPEvent {
	e := &FunctionHTTPEvent{Object: v.Kind == Map}
	if !e.Object {
		return e
	}
	e.Path, e.Method = v.Get("path"), v.Get("method")
	for _, p := range v.Pairs {
		if !contains(FunctionHTTPEventKeys, p.Key) {
			e.Unknown = append(e.Unknown, p)
		}
	}
	e.Private, e.Async = v.Get("private").Truthy(), v.Get("async").Truthy()
	e.Integration, e.OperationID = v.Get("integration"), v.Get("operationId")
	e.ConnectionType, e.ConnectionID = v.Pair("connectionType"), v.Pair("connectionId")
	if c := v.Get("cors"); c.Truthy() {
		e.CORS = &FunctionHTTPCORS{Node: c, Origin: c.Get("origin"), Origins: c.Get("origins"), Headers: c.Get("headers"),
			Methods: c.Get("methods"), AllowCredentials: c.Get("allowCredentials"), MaxAge: c.Get("maxAge"), CacheControl: c.Get("cacheControl")}
	}
	if a := v.Get("authorizer"); a.Truthy() {
		e.Authorizer = &FunctionHTTPAuthorizer{Node: a, Type: a.Get("type"), AuthorizerID: a.Get("authorizerId"), ARN: a.Get("arn"),
			Name: a.Get("name"), ResultTTLInSeconds: a.Get("resultTtlInSeconds"), Claims: a.Get("claims"), Scopes: a.Get("scopes"),
			IdentitySource: a.Get("identitySource"), IdentityValidation: a.Get("identityValidationExpression"),
			ManagedExternally: a.Get("managedExternally")}
	}
	e.Request = decodeFunctionHTTPRequest(v.Get("request"))
	if p := v.Pair("response"); p != nil {
		r := p.Value
		e.Response = FunctionHTTPResponse{Node: r, KeyPos: p.KeyPos, Headers: r.Get("headers"), Template: r.Get("template"),
			ContentHandling: r.Get("contentHandling"), StatusCodes: r.Get("statusCodes")}
		if sc := e.Response.StatusCodes; sc != nil && sc.Kind == Map {
			for _, c := range JSOrderedPairs(sc) {
				e.Response.StatusCodeList = append(e.Response.StatusCodeList, HTTPStatusCode{Code: c.Key, Value: c.Value,
					Pattern: c.Value.Get("pattern"), Headers: c.Value.Get("headers"), Template: c.Value.Get("template")})
			}
		}
	}
	return e
}

func decodeFunctionHTTPRequest(r *Node) FunctionHTTPRequest {
	out := FunctionHTTPRequest{Node: r, Template: r.Get("template"), PassThrough: r.Get("passThrough"),
		ContentHandling: r.Get("contentHandling"), Method: r.Get("method"), URI: r.Get("uri"), Schemas: r.Get("schemas")}
	if params := r.Get("parameters"); params != nil {
		for _, loc := range []string{"querystring", "path", "header"} {
			l := params.Get(loc + "s")
			if l == nil || l.Kind != Map {
				continue
			}
			for _, p := range JSOrderedPairs(l) {
				out.Parameters = append(out.Parameters, HTTPRequestParameter{In: loc, Name: p.Key, Value: p.Value,
					Required: p.Value.Get("required"), MappedValue: p.Value.Get("mappedValue")})
			}
		}
	}
	if s := out.Schemas; s != nil && s.Kind == Map {
		for _, p := range JSOrderedPairs(s) {
			out.SchemaList = append(out.SchemaList, NamedRequestModel{Key: p.Key, RequestModel: decodeRequestModel(p.Value)})
		}
	}
	return out
}

func decodeRequestModel(v *Node) RequestModel {
	return RequestModel{Value: v, Schema: v.Get("schema"), Name: v.Get("name"), Description: v.Get("description")}
}
