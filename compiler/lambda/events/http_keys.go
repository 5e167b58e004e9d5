package events

import (
	"fmt"

	"github.com/stepform/stepform/schema"
)

// The API keys and usage plans of the functions' REST API, as the
// framework's api-keys.js, usage-plan.js and usage-plan-keys.js make them
// from provider.apiGateway.apiKeys and usagePlan: plain keys numbered
// ApiGatewayApiKey1, 2, ... in one ApiGatewayUsagePlan; with a list of
// named plans, each plan's keys numbered from 1 again
// (ApiGatewayApiKeyFree1, ApiGatewayUsagePlanFree, ApiGatewayUsagePlanKeyFree1).

// usagePlans makes the keys, the plans and the plan keys.
func (b *restBuilder) usagePlans() {
	keys, plan := b.apiGW.APIKeys, b.apiGW.UsagePlan
	if !keys.Truthy() && !plan.Truthy() {
		return
	}
	var planNames []string
	if plan != nil && plan.Kind == schema.List {
		for _, item := range plan.Items {
			if item.Kind == schema.Map && len(item.Pairs) > 0 {
				planNames = append(planNames, item.Pairs[0].Key)
			}
		}
	}
	// Keys first, as the framework compiles them.
	if keys != nil && keys.Kind == schema.List {
		n := 0
		for _, def := range keys.Items {
			if name, group := keyGroup(def); group != nil && contains(planNames, name) {
				for i, k := range group.Items {
					b.apiKey(fmt.Sprintf("ApiGatewayApiKey%s%d", norm(name), i+1), k)
				}
				n = len(group.Items)
				continue
			}
			n++
			b.apiKey(fmt.Sprintf("ApiGatewayApiKey%d", n), def)
		}
	}
	if len(planNames) > 0 {
		for _, item := range plan.Items {
			if item.Kind == schema.Map && len(item.Pairs) > 0 {
				b.usagePlan(item.Pairs[0].Key, plan)
			}
		}
	} else {
		b.usagePlan("default", plan)
		planNames = []string{"default"}
	}
	if keys == nil || keys.Kind != schema.List {
		return
	}
	n := 0
	for _, def := range keys.Items {
		name, group := keyGroup(def)
		if group != nil && contains(planNames, name) {
			for i := range group.Items {
				b.c.merge(fmt.Sprintf("ApiGatewayUsagePlanKey%s%d", norm(name), i+1),
					usagePlanKey(fmt.Sprintf("ApiGatewayApiKey%s%d", norm(name), i+1), "ApiGatewayUsagePlan"+norm(name)))
			}
			n = len(group.Items)
			continue
		}
		if def.Kind == schema.Map && len(def.Pairs) > 0 && (def.Pairs[0].Value.Kind == schema.Map || def.Pairs[0].Value.Kind == schema.List) {
			b.c.diags.Errorf(def.Pairs[0].KeyPos, fmt.Sprintf("API key %q has no usage plan defined", def.Pairs[0].Key),
				"The framework fails: a group of API keys names one of the plans of a provider.apiGateway.usagePlan list (%s).", quoted(planNames))
			b.ok = false
			continue
		}
		n++
		b.c.merge(fmt.Sprintf("ApiGatewayUsagePlanKey%d", n), usagePlanKey(fmt.Sprintf("ApiGatewayApiKey%d", n), "ApiGatewayUsagePlan"))
	}
}

func quoted(list []string) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", s)
	}
	return out
}

// keyGroup is an apiKeys entry {plan: [keys]}: the plan's name and its
// keys, or a nil list.
func keyGroup(def *schema.Node) (string, *schema.Node) {
	if def.Kind != schema.Map || len(def.Pairs) == 0 || def.Pairs[0].Value.Kind != schema.List {
		return "", nil
	}
	return def.Pairs[0].Key, def.Pairs[0].Value
}

// apiKey is createApiKeyResource.
func (b *restBuilder) apiKey(id string, k *schema.Node) {
	props := map[string]any{"Enabled": true,
		"StageKeys": []any{map[string]any{"RestApiId": b.restAPIID, "StageName": b.c.svc.Stage}}}
	switch k.Kind {
	case schema.String:
		props["Name"] = k.Value
	case schema.Map:
		key := schema.DecodeAPIKey(k)
		if v := key.Name; v != nil {
			props["Name"] = value(v)
		}
		if v := key.Value; v.Truthy() {
			props["Value"] = value(v)
		}
		if v := key.Description; v != nil && v.Kind != schema.Null {
			props["Description"] = value(v)
		}
		if v := key.CustomerID; v != nil && v.Kind != schema.Null {
			props["CustomerId"] = value(v)
		}
		if v := key.Enabled; v != nil && v.Kind != schema.Null {
			props["Enabled"] = value(v)
		}
	default:
		b.c.diags.Errorf(k.Pos, "invalid API key", "API keys are names or {name, value, description, customerId, enabled} objects.")
		b.ok = false
		return
	}
	b.c.merge(id, map[string]any{"Type": "AWS::ApiGateway::ApiKey", "Properties": props, "DependsOn": restAPIDeploymentID})
}

// usagePlan is createUsagePlanResource.
func (b *restBuilder) usagePlan(name string, plan *schema.Node) {
	svc := b.c.svc
	props := map[string]any{
		"ApiStages":     []any{map[string]any{"ApiId": b.restAPIID, "Stage": svc.Stage}},
		"Description":   fmt.Sprintf("Usage plan %q for %s %s stage", name, svc.Name, svc.Stage),
		"UsagePlanName": fmt.Sprintf("%s-%s-%s", svc.Name, name, svc.Stage),
	}
	// quota and throttle are the plans whose quota and throttle apply.
	var quota, throttle schema.UsagePlanLimits
	id := "ApiGatewayUsagePlan" + norm(name)
	if name == "default" {
		id = "ApiGatewayUsagePlan"
		props["UsagePlanName"] = fmt.Sprintf("%s-%s", svc.Name, svc.Stage)
		props["Description"] = fmt.Sprintf("Usage plan for %s %s stage", svc.Name, svc.Stage)
		quota = schema.DecodeUsagePlanLimits(plan)
		throttle = quota
	} else {
		// The last entry of the plan's name with a quota (throttle) wins.
		for _, item := range plan.Items {
			for _, p := range schema.DecodeUsagePlanItem(item) {
				if p.Name != name {
					continue
				}
				if p.Quota.Truthy() {
					quota = p.UsagePlanLimits
				}
				if p.Throttle.Truthy() {
					throttle = p.UsagePlanLimits
				}
			}
		}
	}
	if quota.Quota.Truthy() {
		props["Quota"] = defined(map[string]*schema.Node{"Limit": quota.QuotaLimit, "Offset": quota.QuotaOffset, "Period": quota.QuotaPeriod})
	}
	if throttle.Throttle.Truthy() {
		props["Throttle"] = defined(map[string]*schema.Node{"BurstLimit": throttle.BurstLimit, "RateLimit": throttle.RateLimit})
	}
	b.c.merge(id, map[string]any{"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": restAPIDeploymentID, "Properties": props})
}

// defined drops the settings that are absent (lodash's merge skips
// undefined).
func defined(m map[string]*schema.Node) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if v != nil {
			out[k] = value(v)
		}
	}
	return out
}

func usagePlanKey(keyID, planID string) map[string]any {
	return map[string]any{"Type": "AWS::ApiGateway::UsagePlanKey", "Properties": map[string]any{
		"KeyId": ref(keyID), "KeyType": "API_KEY", "UsagePlanId": ref(planID)}}
}

// RESTMakesPlainKeys says whether the framework can make unnamed API keys,
// ApiGatewayUsagePlan and unnamed usage plan keys for the service: not
// when usagePlan is a list of plans and every apiKeys entry is a group
// of one of them.
func RESTMakesPlainKeys(svc *schema.Service) bool {
	apiGW := &svc.Provider.APIGateway
	plan := apiGW.UsagePlan
	if plan == nil || plan.Kind != schema.List {
		return true
	}
	var names []string
	for _, item := range plan.Items {
		if item.Kind == schema.Map && len(item.Pairs) > 0 {
			names = append(names, item.Pairs[0].Key)
		}
	}
	keys := apiGW.APIKeys
	if keys == nil || keys.Kind != schema.List {
		return false
	}
	for _, def := range keys.Items {
		if name, group := keyGroup(def); group == nil || !contains(names, name) {
			return true
		}
	}
	return false
}
