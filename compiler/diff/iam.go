package diff

import (
	"sort"
	"strings"
)

// iamDetails compares two IAM resources: their policy statements as the
// permissions granted and revoked, the trust policy of a role likewise,
// every other property as paths. When the permissions are the same but
// the policies are written differently (a renamed policy, a split
// statement), the policies are compared as paths too.
func iamDetails(or, nr map[string]any) []string {
	var out []string
	oldPerms, oldTrust := permissions(or)
	newPerms, newTrust := permissions(nr)
	trustChanges := setChanges(oldTrust, newTrust, "trusts", "no longer trusts")
	permChanges := setChanges(oldPerms, newPerms, "grants", "revokes")
	out = append(out, trustChanges...)
	out = append(out, permChanges...)
	var skip []string
	if len(trustChanges) > 0 {
		skip = append(skip, "AssumeRolePolicyDocument")
	}
	if len(permChanges) > 0 {
		skip = append(skip, "Policies", "PolicyDocument")
	}
	diffValue("", withoutProps(or, skip), withoutProps(nr, skip), &out)
	return out
}

func withoutProps(r map[string]any, skip []string) map[string]any {
	out := withoutType(r)
	if props := propsOf(r); props != nil {
		copied := map[string]any{}
		for k, v := range props {
			copied[k] = v
		}
		for _, k := range skip {
			delete(copied, k)
		}
		out["Properties"] = copied
	}
	return out
}

// setChanges lists what is only in b ("+ grant ...") then only in a.
func setChanges(a, b map[string]bool, grant, revoke string) []string {
	var out []string
	for _, p := range sortedKeys(b) {
		if !a[p] {
			out = append(out, "+ "+grant+" "+p)
		}
	}
	for _, p := range sortedKeys(a) {
		if !b[p] {
			out = append(out, "- "+revoke+" "+p)
		}
	}
	return out
}

// permissions flattens a role's or policy's statements into one line per
// effect, action and resource ("Allow states:StartExecution on !Ref X",
// with " when {...}" for a condition), and a role's trust policy into one
// line per effect, action and principal.
func permissions(r map[string]any) (perms, trust map[string]bool) {
	perms, trust = map[string]bool{}, map[string]bool{}
	props := propsOf(r)
	var docs []any
	if policies, ok := props["Policies"].([]any); ok {
		for _, p := range policies {
			if pm, ok := p.(map[string]any); ok {
				docs = append(docs, pm["PolicyDocument"])
			}
		}
	}
	docs = append(docs, props["PolicyDocument"])
	for _, doc := range docs {
		for _, st := range statements(doc) {
			for _, line := range statementLines(st, "Resource", "on") {
				perms[line] = true
			}
		}
	}
	for _, st := range statements(props["AssumeRolePolicyDocument"]) {
		for _, line := range statementLines(st, "Principal", "by") {
			trust[line] = true
		}
	}
	return perms, trust
}

func statements(doc any) []map[string]any {
	dm, _ := doc.(map[string]any)
	var out []map[string]any
	switch s := dm["Statement"].(type) {
	case map[string]any:
		out = append(out, s)
	case []any:
		for _, it := range s {
			if m, ok := it.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// statementLines flattens one statement over its actions and its
// resources (or principals).
func statementLines(st map[string]any, targetKey, word string) []string {
	effect, _ := st["Effect"].(string)
	if effect == "" {
		effect = render(st["Effect"])
	}
	actions := listOf(st, "Action")
	targets := listOf(st, targetKey)
	if targetKey == "Principal" {
		targets = principals(st)
	}
	suffix := ""
	if c, ok := st["Condition"]; ok {
		suffix = " when " + render(c)
	}
	var out []string
	for _, a := range actions {
		for _, t := range targets {
			out = append(out, effect+" "+a+" "+word+" "+t+suffix)
		}
	}
	return out
}

// listOf renders a statement's Key (or NotKey, as "not X") as a list of
// items; an intrinsic that yields a list is one item.
func listOf(st map[string]any, key string) []string {
	prefix := ""
	v, ok := st[key]
	if !ok {
		if v, ok = st["Not"+key]; ok {
			prefix = "not "
		} else {
			return []string{"(no " + strings.ToLower(key) + ")"}
		}
	}
	var out []string
	switch v := v.(type) {
	case []any:
		for _, it := range v {
			out = append(out, prefix+scalarText(it))
		}
	default:
		out = append(out, prefix+scalarText(v))
	}
	sort.Strings(out)
	return out
}

// principals renders a statement's Principal as "Service states.amazonaws.com",
// "AWS arn:...", or "*".
func principals(st map[string]any) []string {
	prefix := ""
	v, ok := st["Principal"]
	if !ok {
		if v, ok = st["NotPrincipal"]; !ok {
			return []string{"(no principal)"}
		}
		prefix = "not "
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		return []string{prefix + scalarText(v)}
	}
	var out []string
	for _, kind := range sortedKeys(m) {
		switch ids := m[kind].(type) {
		case []any:
			for _, id := range ids {
				out = append(out, prefix+kind+" "+scalarText(id))
			}
		default:
			out = append(out, prefix+kind+" "+scalarText(ids))
		}
	}
	sort.Strings(out)
	return out
}

// scalarText is a string as it is, anything else rendered.
func scalarText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return render(v)
}
