package inspect

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
)

var statesActionRe = lazyre.New(`:states:action/([A-Za-z]+)`)

// apiGatewayDefaultTimeout is API Gateway's integration timeout when
// TimeoutInMillis is not set.
const apiGatewayDefaultTimeout = 29000

// endpoint describes an AWS::ApiGateway::Method.
func (in *inspector) endpoint(id string, props map[string]any) Endpoint {
	integration := mapOf(props["Integration"])
	e := Endpoint{
		Method:          Show(props["HttpMethod"]),
		Path:            in.resourcePath(props["ResourceId"]),
		Auth:            Show(props["AuthorizationType"]),
		Statuses:        []int{},
		GatewayStatuses: []int{},
		LogicalID:       id,
		Origin:          in.origin(id),
	}
	if e.Auth == "" {
		e.Auth = "NONE"
	}
	if a := props["AuthorizerId"]; a != nil {
		name := refTarget(a)
		if name == "" {
			name = Show(a)
		}
		e.Auth += " (" + name + ")"
	}
	e.APIKey, _ = props["ApiKeyRequired"].(bool)
	uri := Show(integration["Uri"])
	typ := Show(integration["Type"])
	switch {
	case statesActionRe.MatchString(uri):
		e.Action = statesActionRe.FindStringSubmatch(uri)[1]
		switch e.Action {
		case "StartSyncExecution":
			e.Kind = "sync"
		case "StartExecution":
			e.Kind = "async"
		default:
			e.Kind = "action"
		}
	case strings.Contains(uri, ":lambda:path/"):
		e.Kind = "lambda"
	default:
		e.Kind = strings.ToLower(typ)
	}
	e.Target = in.endpointTarget(integration, uri)
	if typ != "MOCK" {
		e.TimeoutMs = apiGatewayDefaultTimeout
		if t, err := strconv.Atoi(fmt.Sprint(integration["TimeoutInMillis"])); err == nil {
			e.TimeoutMs = t
		}
	}
	for _, r := range listOf(props["MethodResponses"]) {
		if code, err := strconv.Atoi(Show(mapOf(r)["StatusCode"])); err == nil && !containsInt(e.Statuses, code) {
			e.Statuses = append(e.Statuses, code)
		}
		if _, ok := mapOf(mapOf(r)["ResponseParameters"])["method.response.header.Access-Control-Allow-Origin"]; ok {
			e.CORS = true
		}
	}
	for _, r := range listOf(integration["IntegrationResponses"]) {
		if _, ok := mapOf(mapOf(r)["ResponseParameters"])["method.response.header.Access-Control-Allow-Origin"]; ok {
			e.CORS = true
		}
	}
	sort.Ints(e.Statuses)
	e.GatewayStatuses = gatewayStatuses(e, integration)
	return e
}

// gatewayStatuses are the statuses API Gateway answers itself for the
// method: 401/403 from authorisation and API keys, 415 for a content type
// no request template takes (passthrough NEVER), 429 when throttled, 504
// when the integration does not answer in time.
func gatewayStatuses(e Endpoint, integration map[string]any) []int {
	out := []int{}
	switch strings.Fields(e.Auth)[0] {
	case "AWS_IAM":
		out = append(out, 403)
	case "CUSTOM", "COGNITO_USER_POOLS":
		out = append(out, 401, 403)
	}
	if e.APIKey && !containsInt(out, 403) {
		out = append(out, 403)
	}
	if integration["PassthroughBehavior"] == "NEVER" {
		out = append(out, 415)
	}
	out = append(out, 429)
	if e.Kind != "mock" {
		out = append(out, 504)
	}
	sort.Ints(out)
	return out
}

// endpointTarget names what an integration calls: the state machine its
// request templates reference, the function its URI names, or the URI.
func (in *inspector) endpointTarget(integration map[string]any, uri string) string {
	target := ""
	references(integration["RequestTemplates"], func(id string) {
		if key := in.machineByID[id]; key != "" && target == "" {
			target = key
		}
	})
	if target != "" {
		return target
	}
	references(integration["Uri"], func(id string) {
		if f := in.svc.FunctionByLogicalID(id); f != nil && target == "" {
			target = "function " + f.Key
		}
	})
	if target != "" || integration["Type"] == "MOCK" {
		return target
	}
	if statesActionRe.MatchString(uri) {
		return "(from the request)"
	}
	return uri
}

// resourcePath is the path of an API Gateway resource of the template,
// following ParentId up to the root; resources outside the template are
// named by provider.apiGateway.restApiResources when it lists them.
func (in *inspector) resourcePath(resourceID any) string {
	var parts []string
	for depth := 0; depth < 64; depth++ {
		id := refTarget(resourceID)
		res := mapOf(in.resources[id])
		if id == "" || res["Type"] != "AWS::ApiGateway::Resource" {
			if name := in.externalResourcePath(resourceID); name != "" {
				parts = append(parts, strings.Trim(name, "/"))
			}
			break
		}
		props := mapOf(res["Properties"])
		parts = append(parts, Show(props["PathPart"]))
		resourceID = props["ParentId"]
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] != "" {
			b.WriteString("/" + parts[i])
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// externalResourcePath names a resource ID that is not in the template:
// "" for the API's root, a restApiResources path, or the ID as text.
func (in *inspector) externalResourcePath(resourceID any) string {
	if _, ok := resourceID.(map[string]any); ok && strings.HasSuffix(Show(resourceID), ".RootResourceId") {
		return ""
	}
	api := in.svc.Provider.APIGateway
	if root := api.RestAPIRootResourceID; root != nil && sameValue(root, resourceID) {
		return ""
	}
	if res := api.RestAPIResources; res != nil && res.Kind == schema.Map {
		for _, p := range res.Pairs {
			if sameValue(p.Value, resourceID) {
				return p.Key
			}
		}
	}
	return "{" + Show(resourceID) + "}"
}

// sameValue compares a configuration value with a template value.
func sameValue(n *schema.Node, v any) bool {
	if n.Kind == schema.String {
		return v == n.Value
	}
	a, _ := json.Marshal(nodeValue(n))
	b, _ := json.Marshal(v)
	return string(a) == string(b)
}

// nodeValue is a configuration value as plain values, for comparisons.
func nodeValue(n *schema.Node) any {
	switch n.Kind {
	case schema.Map:
		m := map[string]any{}
		for _, p := range n.Pairs {
			m[p.Key] = nodeValue(p.Value)
		}
		return m
	case schema.List:
		l := make([]any, len(n.Items))
		for i, it := range n.Items {
			l[i] = nodeValue(it)
		}
		return l
	}
	return n.Value
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}
