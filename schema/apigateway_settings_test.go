package schema_test

import (
	"testing"

	"github.com/stepform/stepform/schema"
)

func loadProvider(t *testing.T, provider string) schema.APIGatewaySettings {
	t.Helper()
	src := "service: svc\nprovider:\n  name: aws\n" + provider
	svc, _, diags := schema.Load(schema.LoadOptions{ConfigPath: "serverless.yml", Stage: "dev",
		ReadFile: func(string) ([]byte, error) { return []byte(src), nil }})
	if svc == nil {
		t.Fatalf("load: %v", diags)
	}
	return svc.Provider.APIGateway
}

func TestAPIGatewaySettings(t *testing.T) {
	a := loadProvider(t, `  apiName: named
  endpointType: PRIVATE
  vpcEndpointIds: [vpce-1]
  resourcePolicy: [{Effect: Deny}]
  usagePlan: {quota: {limit: 9}}
  apiKeys: [legacy]
  apiGateway:
    restApiId: {Ref: Api}
    restApiRootResourceId: root
    restApiResources: {/a: ida}
    shouldStartNameWithService: 1
    timeoutInMillis: 5000
    request: {schemas: {m: {schema: {type: object}}}}
    apiKeys: [k]
    resourcePolicy: ''
    usagePlan: [{free: {}}]
    minimumCompressionSize: 10
    description: d
`)
	if a.RestAPIID == nil || !a.RestAPIID.IsIntrinsic() || a.RestAPIRootResourceID.Value != "root" {
		t.Errorf("restApiId %v, root %v", a.RestAPIID, a.RestAPIRootResourceID)
	}
	if a.RestAPIResources == nil || a.RestAPIResources.Kind != schema.Map || a.RestAPIResources.Pos.Line != 13 {
		t.Errorf("restApiResources %+v", a.RestAPIResources)
	}
	if !a.ShouldStartNameWithService || a.TimeoutInMillis.Value != "5000" || a.RequestSchemas.Get("m") == nil {
		t.Errorf("name %v, timeout %v, schemas %v", a.ShouldStartNameWithService, a.TimeoutInMillis, a.RequestSchemas)
	}
	if a.APIName.Value != "named" || a.EndpointType.Value != "PRIVATE" || a.VPCEndpointIDs.Kind != schema.List {
		t.Errorf("apiName %v, endpointType %v, vpcEndpointIds %v", a.APIName, a.EndpointType, a.VPCEndpointIDs)
	}
	// apiGateway's own keys win when truthy; a falsy one falls back on
	// the provider-level key.
	if a.PluginAPIKeys().Items[0].Value != "k" || a.PluginUsagePlan().Kind != schema.List || a.PluginResourcePolicy().Kind != schema.List {
		t.Errorf("apiKeys %v, usagePlan %v, resourcePolicy %v", a.PluginAPIKeys(), a.PluginUsagePlan(), a.PluginResourcePolicy())
	}
	if a.ResourcePolicy.Value != "" || a.LegacyAPIKeys.KeyPos.Line != 9 || a.MinimumCompressionSize.Value != "10" || a.RestAPIResourcesKeyPos.Line != 13 {
		t.Errorf("as written: resourcePolicy %v, provider.apiKeys %v, minimumCompressionSize %v, restApiResources key %v", a.ResourcePolicy, a.LegacyAPIKeys, a.MinimumCompressionSize, a.RestAPIResourcesKeyPos)
	}
	var unapplied []string
	for _, p := range a.Unapplied {
		unapplied = append(unapplied, p.Key)
	}
	if len(unapplied) != 2 || unapplied[0] != "description" || unapplied[1] != "minimumCompressionSize" || a.Unapplied[0].KeyPos.Line != 21 {
		t.Errorf("unapplied %v", a.Unapplied)
	}

	none := loadProvider(t, "  apiGateway:\n    restApiId: ''\n    timeoutInMillis: 0\n")
	if none.RestAPIID != nil || none.TimeoutInMillis != nil || none.PluginAPIKeys() != nil || none.PluginUsagePlan() != nil || none.PluginResourcePolicy() != nil || none.RestAPIResourcesKeyPos != nil {
		t.Errorf("falsy settings kept: %+v", none)
	}
}

// TestRestAPIResourceList: a restApiResources list decodes into its
// entries' keys as written.
func TestRestAPIResourceList(t *testing.T) {
	a := loadProvider(t, `  apiGateway:
    restApiResources: [{path: /a, resourceId: ida, name: A}, {path: /b}]
`)
	l := a.RestAPIResourceList
	if len(l) != 2 || l[0].Path.Value != "/a" || l[0].ResourceID.Value != "ida" || l[0].Name.Value != "A" || l[1].ResourceID != nil || l[1].Name != nil {
		t.Errorf("restApiResources %+v", l)
	}
	if m := loadProvider(t, "  apiGateway:\n    restApiResources: {/a: ida}\n"); m.RestAPIResourceList != nil {
		t.Errorf("map form %+v", m.RestAPIResourceList)
	}
}
