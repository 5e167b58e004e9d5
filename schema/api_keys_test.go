package schema

import "testing"

// TestDecodeUsagePlansAndAPIKeys: usage plan limits and API keys decode
// into their keys as written; a list entry's plans keep their names.
func TestDecodeUsagePlansAndAPIKeys(t *testing.T) {
	plan := mustParse(t, "{quota: {limit: 5, period: DAY}, throttle: null}")
	l := DecodeUsagePlanLimits(plan)
	if l.QuotaLimit.Value != "5" || l.QuotaPeriod.Value != "DAY" || l.QuotaOffset != nil || l.Throttle.Kind != Null || l.BurstLimit != nil {
		t.Errorf("limits %+v", l)
	}
	items := DecodeUsagePlanItem(mustParse(t, "{free: {throttle: {rateLimit: 2}}, paid: {}}"))
	if len(items) != 2 || items[0].Name != "free" || items[0].RateLimit.Value != "2" || items[1].Name != "paid" || items[1].Quota != nil {
		t.Errorf("plans %+v", items)
	}
	if DecodeUsagePlanItem(mustParse(t, "free")) != nil {
		t.Error("a string entry has no plans")
	}
	k := DecodeAPIKey(mustParse(t, "{name: k, customerId: c, enabled: false}"))
	if k.Name.Value != "k" || k.CustomerID.Value != "c" || k.Enabled.Value != "false" || k.Value != nil || k.Description != nil {
		t.Errorf("key %+v", k)
	}
	if k := DecodeAPIKey(mustParse(t, "plain")); k.Node.Value != "plain" || k.Name != nil {
		t.Errorf("named key %+v", k)
	}
}

func mustParse(t *testing.T, src string) *Node {
	t.Helper()
	n, d := ParseYAML("x.yml", []byte(src))
	if d.HasErrors() {
		t.Fatal(d.Err())
	}
	return n
}
