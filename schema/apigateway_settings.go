package schema

import "github.com/stepform/stepform/schema/diag"

// APIGatewaySettings are the REST API settings of `provider.apiGateway`
// and the older provider-level keys, read by the plugin (state machines'
// http events) and by the framework (functions' http events). Values passed through to CloudFormation stay
// Nodes: IDs that may be intrinsics ({Ref: ...}), the resource policy,
// the request schemas' JSON, the API keys and usage plans, whose shape is
// checked where they are compiled (only a service with http events reports
// them). Each optional Node is nil when the plugin would skip it.
type APIGatewaySettings struct {
	// RestAPIID is restApiId when truthy: the API is shared, owned
	// elsewhere (a string or an intrinsic, passed through).
	RestAPIID *Node
	// RestAPIRootResourceID is restApiRootResourceId when truthy.
	RestAPIRootResourceID *Node
	// RestAPIResources is restApiResources when truthy: a list of
	// {path, resourceId, name} or a map of path to resource ID. It stays a
	// Node because the plugin reads it with JavaScript's coercions (paths
	// stringified, integer-like keys first), which the compiler applies.
	RestAPIResources *Node
	// RestAPIResourceList are RestAPIResources' entries when it is a list.
	RestAPIResourceList []RestAPIResource
	// RestAPIResourcesKeyPos is the restApiResources key's position when
	// the key is written (even with a falsy value), else nil.
	RestAPIResourcesKeyPos *diag.Pos
	// ShouldStartNameWithService is shouldStartNameWithService's truthiness.
	ShouldStartNameWithService bool
	// APIName is provider.apiName when truthy.
	APIName *Node
	// EndpointType and VPCEndpointIDs are provider.endpointType and
	// provider.vpcEndpointIds when truthy.
	EndpointType, VPCEndpointIDs *Node
	// ResourcePolicy, APIKeys and UsagePlan are apiGateway's own keys as
	// written (nil when absent); the framework reads only these. The
	// plugin falls back on the Legacy ones (PluginResourcePolicy,
	// PluginAPIKeys, PluginUsagePlan).
	ResourcePolicy, APIKeys, UsagePlan *Node
	// LegacyResourcePolicy, LegacyAPIKeys and LegacyUsagePlan are the
	// provider-level keys as written, nil when absent.
	LegacyResourcePolicy, LegacyAPIKeys, LegacyUsagePlan *Pair
	// Stage, Description, BinaryMediaTypes, DisableDefaultEndpoint,
	// APIKeySourceType and MinimumCompressionSize are as written (nil when
	// absent); only the framework reads them, for its own API.
	Stage, Description, BinaryMediaTypes, DisableDefaultEndpoint, APIKeySourceType, MinimumCompressionSize *Node
	// TimeoutInMillis is timeoutInMillis when truthy, the default of every
	// http event without its own.
	TimeoutInMillis *Node
	// RequestSchemas is request.schemas (named models, JSON passed
	// through), nil when absent.
	RequestSchemas *Node
	// RequestSchemaList are RequestSchemas' entries when it is a map.
	RequestSchemaList []NamedRequestModel
	// Unapplied are the keys the framework applies to its own API but the
	// plugin never reads, in the order they are reported.
	Unapplied []Pair
}

// RestAPIResource is an entry of a restApiResources list: its keys as
// written, nil when absent.
type RestAPIResource struct {
	Path, ResourceID, Name *Node
}

// unappliedAPISettings are read by the framework for its own API only.
var unappliedAPISettings = []string{"description", "binaryMediaTypes", "minimumCompressionSize", "apiKeySourceType", "disableDefaultEndpoint"}

// apiGatewaySettings decodes provider.apiGateway and its provider-level
// fallbacks; p is the provider block (nil-safe).
func apiGatewaySettings(p *Node) APIGatewaySettings {
	api := p.Get("apiGateway")
	var out APIGatewaySettings
	truthy := func(n *Node) *Node {
		if n.Truthy() {
			return n
		}
		return nil
	}
	out.RestAPIID = truthy(api.Get("restApiId"))
	out.RestAPIRootResourceID = truthy(api.Get("restApiRootResourceId"))
	out.RestAPIResources = truthy(api.Get("restApiResources"))
	if l := out.RestAPIResources; l != nil && l.Kind == List {
		for _, it := range l.Items {
			out.RestAPIResourceList = append(out.RestAPIResourceList, RestAPIResource{Path: it.Get("path"), ResourceID: it.Get("resourceId"), Name: it.Get("name")})
		}
	}
	out.ShouldStartNameWithService = api.Get("shouldStartNameWithService").Truthy()
	out.APIName = truthy(p.Get("apiName"))
	out.EndpointType = truthy(p.Get("endpointType"))
	out.VPCEndpointIDs = truthy(p.Get("vpcEndpointIds"))
	if pair := api.Pair("restApiResources"); pair != nil {
		pos := pair.KeyPos
		out.RestAPIResourcesKeyPos = &pos
	}
	out.ResourcePolicy, out.APIKeys, out.UsagePlan = api.Get("resourcePolicy"), api.Get("apiKeys"), api.Get("usagePlan")
	out.LegacyResourcePolicy, out.LegacyAPIKeys, out.LegacyUsagePlan = p.Pair("resourcePolicy"), p.Pair("apiKeys"), p.Pair("usagePlan")
	out.Stage, out.Description, out.BinaryMediaTypes = api.Get("stage"), api.Get("description"), api.Get("binaryMediaTypes")
	out.DisableDefaultEndpoint, out.APIKeySourceType, out.MinimumCompressionSize = api.Get("disableDefaultEndpoint"), api.Get("apiKeySourceType"), api.Get("minimumCompressionSize")
	out.TimeoutInMillis = truthy(api.Get("timeoutInMillis"))
	out.RequestSchemas = api.Path("request.schemas")
	if s := out.RequestSchemas; s != nil && s.Kind == Map {
		for _, p := range s.Pairs {
			out.RequestSchemaList = append(out.RequestSchemaList, NamedRequestModel{Key: p.Key, RequestModel: decodeRequestModel(p.Value)})
		}
	}
	for _, key := range unappliedAPISettings {
		if pair := api.Pair(key); pair != nil {
			out.Unapplied = append(out.Unapplied, *pair)
		}
	}
	return out
}

// RequestSchema is the request model named name under request.schemas;
// its Value is nil when there is none.
func (a *APIGatewaySettings) RequestSchema(name string) RequestModel {
	for _, m := range a.RequestSchemaList {
		if m.Key == name {
			return m.RequestModel
		}
	}
	return RequestModel{}
}

// PluginResourcePolicy is the resource policy the plugin reads:
// apiGateway's when truthy, else the provider-level one (nil when absent).
func (a *APIGatewaySettings) PluginResourcePolicy() *Node {
	return truthyOr(a.ResourcePolicy, a.LegacyResourcePolicy)
}

// PluginAPIKeys is the plugin's API keys: apiGateway's, else the
// provider-level ones, when truthy; nil otherwise.
func (a *APIGatewaySettings) PluginAPIKeys() *Node {
	if k := truthyOr(a.APIKeys, a.LegacyAPIKeys); k.Truthy() {
		return k
	}
	return nil
}

// PluginUsagePlan is the plugin's usage plan: apiGateway's when truthy,
// else the provider-level one as written (nil when absent).
func (a *APIGatewaySettings) PluginUsagePlan() *Node {
	return truthyOr(a.UsagePlan, a.LegacyUsagePlan)
}

func truthyOr(own *Node, legacy *Pair) *Node {
	if own.Truthy() {
		return own
	}
	if legacy != nil {
		return legacy.Value
	}
	return nil
}
