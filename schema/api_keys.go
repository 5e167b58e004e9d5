package schema

import "github.com/stepform/stepform/schema/diag"

// The shapes of provider.apiGateway.apiKeys and usagePlan entries. Which
// block is read (apiGateway's or the provider-level one) and whether a
// list of plans is honoured depend on who compiles the API (the plugin or
// the framework), so the compiler decodes the entries it reads with these.

// UsagePlanLimits are a usage plan's quota and throttle: Quota and
// Throttle as written, nil when absent or when the plan is not an
// object; the other values are their keys, passed through.
type UsagePlanLimits struct {
	Quota, Throttle                      *Node
	QuotaLimit, QuotaOffset, QuotaPeriod *Node
	BurstLimit, RateLimit                *Node
}

// DecodeUsagePlanLimits decodes a usage plan object {quota, throttle}.
func DecodeUsagePlanLimits(plan *Node) UsagePlanLimits {
	q, t := plan.Get("quota"), plan.Get("throttle")
	return UsagePlanLimits{Quota: q, Throttle: t, QuotaLimit: q.Get("limit"), QuotaOffset: q.Get("offset"), QuotaPeriod: q.Get("period"),
		BurstLimit: t.Get("burstLimit"), RateLimit: t.Get("rateLimit")}
}

// NamedUsagePlan is one plan of an entry of a usagePlan list:
// {name: {quota, throttle}}.
type NamedUsagePlan struct {
	Name   string
	KeyPos diag.Pos
	Value  *Node
	UsagePlanLimits
}

// DecodeUsagePlanItem decodes an entry of a usagePlan list: its plans, in
// the file's order (the framework reads the first; a name looks any up).
func DecodeUsagePlanItem(item *Node) []NamedUsagePlan {
	if item == nil || item.Kind != Map {
		return nil
	}
	out := make([]NamedUsagePlan, 0, len(item.Pairs))
	for _, p := range item.Pairs {
		out = append(out, NamedUsagePlan{Name: p.Key, KeyPos: p.KeyPos, Value: p.Value, UsagePlanLimits: DecodeUsagePlanLimits(p.Value)})
	}
	return out
}

// APIKey is an entry of apiKeys: a name (Node a string), an object whose
// keys are set (as written, nil when absent), or a group {plan: [keys]}.
type APIKey struct {
	Node                                          *Node
	Name, Value, Description, CustomerID, Enabled *Node
}

// DecodeAPIKey decodes an entry of apiKeys.
func DecodeAPIKey(n *Node) APIKey {
	return APIKey{Node: n, Name: n.Get("name"), Value: n.Get("value"), Description: n.Get("description"),
		CustomerID: n.Get("customerId"), Enabled: n.Get("enabled")}
}
