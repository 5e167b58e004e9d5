package apigateway

import (
	"fmt"
	"slices"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
)

// The default mode's usage plans when provider.apiGateway.usagePlan is a
// list of named plans: built as the Framework builds them for its own API
// (api-keys.js, usage-plan.js, usage-plan-keys.js), where the plugin
// makes one plain plan and unnamed keys. Per plan "free":
// ApiGatewayUsagePlanFree ("<service>-free-<stage>") with that entry's
// quota and throttle; the keys listed under "free" in apiKeys become
// ApiGatewayApiKeyFree1, 2, ... and ApiGatewayUsagePlanKeyFree1, 2, ...

var planNameRe = lazyre.New(`^[A-Za-z0-9_-]+$`)

// usagePlanList is the usagePlan node when it is a list (default mode).
func (g *apiGen) usagePlanList() *schema.Node {
	if g.c.Quirks.UsagePlanListsFlattened {
		return nil
	}
	plan := g.apiGW.PluginUsagePlan()
	if plan == nil || plan.Kind != schema.List {
		return nil
	}
	return plan
}

// namedUsagePlans builds one usage plan per entry of the list and returns
// their names.
func (g *apiGen) namedUsagePlans(list *schema.Node) []string {
	var names []string
	stage, service := g.c.Service.Stage, g.c.Service.Name
	for _, item := range list.Items {
		if item.Kind != schema.Map || len(item.Pairs) == 0 {
			g.c.Diags.Errorf(item.Pos, "invalid usage plan", "Each entry of a usagePlan list is {name: {quota, throttle}}, e.g. - free: {quota: {limit: 100, period: DAY}}.")
			continue
		}
		p := item.Pairs[0]
		if !planNameRe.MatchString(p.Key) {
			g.c.Diags.Errorf(p.KeyPos, fmt.Sprintf("invalid usage plan name %q", p.Key), "A plan name becomes part of logical IDs: letters, digits, - and _ only.")
			continue
		}
		names = append(names, p.Key)
		props := map[string]any{
			"ApiStages":     []any{map[string]any{"ApiId": g.keyAPIRef(), "Stage": stage}},
			"Description":   fmt.Sprintf("Usage plan %q for %s %s stage", p.Key, service, stage),
			"UsagePlanName": fmt.Sprintf("%s-%s-%s", service, p.Key, stage),
		}
		if p.Key == "default" {
			// The Framework's name for its unnamed plan.
			props["Description"] = fmt.Sprintf("Usage plan for %s %s stage", service, stage)
			props["UsagePlanName"] = fmt.Sprintf("%s-%s", service, stage)
		}
		limits := schema.DecodeUsagePlanLimits(p.Value)
		if q := limits.Quota; q != nil && q.Kind == schema.Map {
			props["Quota"] = definedOnly(map[string]any{"Limit": limits.QuotaLimit, "Offset": limits.QuotaOffset, "Period": limits.QuotaPeriod})
		}
		if t := limits.Throttle; t != nil && t.Kind == schema.Map {
			props["Throttle"] = definedOnly(map[string]any{"BurstLimit": limits.BurstLimit, "RateLimit": limits.RateLimit})
		}
		g.merge("ApiGatewayUsagePlan"+schema.NormalizeName(p.Key), map[string]any{"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": g.deploymentID, "Properties": props})
	}
	return names
}

// planKeys builds the API keys and usage plan keys for a list of named
// plans: each apiKeys entry is {plan: [keys]}, a key being a name or
// {name, value, description, customerId, enabled}. A key outside any plan
// would belong to no plan (the Framework points it at a plan it does not
// make), so it is an error.
func (g *apiGen) planKeys(keys *schema.Node, plans []string) {
	if keys == nil || keys.Kind != schema.List {
		return
	}
	for _, group := range keys.Items {
		if group.Kind != schema.Map || len(group.Pairs) != 1 || schema.DecodeAPIKey(group).Name != nil {
			g.c.Diags.Errorf(group.Pos, "API key outside the usage plans",
				"With a list of usage plans, list each key under its plan: apiKeys: [{%s: [key-name]}].", firstOr(plans, "free"))
			continue
		}
		p := group.Pairs[0]
		if !slices.Contains(plans, p.Key) {
			g.c.Diags.Errorf(p.KeyPos, fmt.Sprintf("API key group %q has no usage plan", p.Key),
				"Each group of apiKeys names a plan of the usagePlan list (%s).", quoteList(plans))
			continue
		}
		if p.Value.Kind != schema.List {
			g.c.Diags.Errorf(p.Value.Pos, fmt.Sprintf("the %s API keys must be a list", p.Key), "List the plan's keys: names or {name, value, description, customerId, enabled} objects.")
			continue
		}
		norm := schema.NormalizeName(p.Key)
		for i, k := range p.Value.Items {
			props := map[string]any{"Enabled": true, "StageKeys": []any{map[string]any{"RestApiId": g.keyAPIRef(), "StageName": g.c.Service.Stage}}}
			switch k.Kind {
			case schema.String:
				props["Name"] = k.Value
			case schema.Map:
				key := schema.DecodeAPIKey(k)
				for _, f := range []struct {
					v    *schema.Node
					prop string
				}{{key.Name, "Name"}, {key.Value, "Value"}, {key.Description, "Description"}, {key.CustomerID, "CustomerId"}, {key.Enabled, "Enabled"}} {
					if f.v != nil && f.v.Kind != schema.Null {
						props[f.prop] = jsvalue.Plain(f.v)
					}
				}
			default:
				g.c.Diags.Errorf(k.Pos, "invalid API key", "API keys are names or {name, value, description, customerId, enabled} objects.")
				continue
			}
			n := i + 1
			keyID := fmt.Sprintf("ApiGatewayApiKey%s%d", norm, n)
			g.merge(keyID, map[string]any{"Type": "AWS::ApiGateway::ApiKey", "Properties": props, "DependsOn": g.deploymentID})
			g.merge(fmt.Sprintf("ApiGatewayUsagePlanKey%s%d", norm, n), map[string]any{"Type": "AWS::ApiGateway::UsagePlanKey", "Properties": map[string]any{
				"KeyId": cfn.Ref(keyID), "KeyType": "API_KEY", "UsagePlanId": cfn.Ref("ApiGatewayUsagePlan" + norm),
			}})
		}
	}
}

func firstOr(list []string, def string) string {
	if len(list) > 0 {
		return list[0]
	}
	return def
}

func quoteList(list []string) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", s)
	}
	return out
}
