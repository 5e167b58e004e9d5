package schema

// APIGatewaySettings are the REST API settings of `provider.apiGateway`
// (and the older top-level provider keys the plugin falls back on), as
// the plugin reads them. Values passed through to CloudFormation stay
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
	// ShouldStartNameWithService is shouldStartNameWithService's truthiness.
	ShouldStartNameWithService bool
	// APIName is provider.apiName when truthy.
	APIName *Node
	// EndpointType and VPCEndpointIDs are provider.endpointType and
	// provider.vpcEndpointIds when truthy.
	EndpointType, VPCEndpointIDs *Node
	// ResourcePolicy is apiGateway.resourcePolicy when truthy, else
	// provider.resourcePolicy as written (nil when absent).
	ResourcePolicy *Node
	// TimeoutInMillis is timeoutInMillis when truthy, the default of every
	// http event without its own.
	TimeoutInMillis *Node
	// RequestSchemas is request.schemas (named models, JSON passed
	// through), nil when absent.
	RequestSchemas *Node
	// APIKeys is apiGateway.apiKeys, else provider.apiKeys, when truthy.
	APIKeys *Node
	// UsagePlan is apiGateway.usagePlan when truthy, else provider.usagePlan
	// as written (an object, or a list of named plans; nil when absent).
	UsagePlan *Node
	// Unapplied are the keys the framework applies to its own API but the
	// plugin never reads, in the order they are reported.
	Unapplied []Pair
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
	out.ShouldStartNameWithService = api.Get("shouldStartNameWithService").Truthy()
	out.APIName = truthy(p.Get("apiName"))
	out.EndpointType = truthy(p.Get("endpointType"))
	out.VPCEndpointIDs = truthy(p.Get("vpcEndpointIds"))
	out.ResourcePolicy = truthy(api.Get("resourcePolicy"))
	if out.ResourcePolicy == nil {
		out.ResourcePolicy = p.Get("resourcePolicy")
	}
	out.TimeoutInMillis = truthy(api.Get("timeoutInMillis"))
	out.RequestSchemas = api.Path("request.schemas")
	out.APIKeys = truthy(api.Get("apiKeys"))
	if out.APIKeys == nil {
		out.APIKeys = truthy(p.Get("apiKeys"))
	}
	out.UsagePlan = truthy(api.Get("usagePlan"))
	if out.UsagePlan == nil {
		out.UsagePlan = p.Get("usagePlan")
	}
	for _, key := range unappliedAPISettings {
		if pair := api.Pair(key); pair != nil {
			out.Unapplied = append(out.Unapplied, *pair)
		}
	}
	return out
}
