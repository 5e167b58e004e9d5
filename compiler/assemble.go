package compiler

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// assemble puts the generated resources into the final template the way
// the framework finalises its own: generated resources merge into the
// base (or an empty template) with export names on generated outputs,
// and the service's resources block merges over everything. Null
// properties are stripped later, by checkTemplate.
func (c *compiler) assemble(generated map[string]any) map[string]any {
	doc := map[string]any{
		"AWSTemplateFormatVersion": "2010-09-09",
		"Description":              DefaultDescription,
	}
	if c.Base != nil {
		doc = cfn.Clone(c.Base).(map[string]any)
	}
	for _, lv := range c.layerVersions {
		generated = cfn.Merge(generated, map[string]any{"Resources": map[string]any{lv.ID: lv.Body}}).(map[string]any)
	}
	// The framework names exports before it merges the resources block, so
	// only generated outputs get one.
	if outputs, ok := generated["Outputs"].(map[string]any); ok {
		for key, o := range outputs {
			if out, ok := o.(map[string]any); ok && out["Export"] == nil {
				out["Export"] = map[string]any{"Name": fmt.Sprintf("sls-%s-%s-%s", c.Service.Name, c.Service.Stage, key)}
			}
		}
	}
	// Nothing uses generated after this; its values move into doc.
	doc = cfn.MergeOwned(doc, generated).(map[string]any)
	if r := c.Service.Resources; r != nil && r.Kind == schema.Map {
		c.mergeResourcesBlock(doc, r)
	}
	return doc
}

// stripNullProperties finishes the resources as the framework does: null
// properties are dropped, and so is a Properties that is no object. The
// template checks do it as they encode the template (cfn.JSONFinishing);
// this is for what needs it earlier.
func stripNullProperties(doc map[string]any) {
	if res, ok := doc["Resources"].(map[string]any); ok {
		for _, r := range res {
			if m, ok := r.(map[string]any); ok {
				if props, ok := m["Properties"].(map[string]any); ok {
					stripNulls(props)
				} else {
					delete(m, "Properties")
				}
			}
		}
	}
}

// mergeResourcesBlock applies `resources:` as the framework does: a deep
// merge of everything but `extensions`, whose attributes then extend
// existing resources.
func (c *compiler) mergeResourcesBlock(doc map[string]any, block *schema.Node) {
	var extensions *schema.Node
	for _, p := range block.Pairs {
		if p.Key == "extensions" {
			extensions = p.Value
			continue
		}
		if (p.Key == "Resources" || p.Key == "Outputs") && p.Value.Kind == schema.Null {
			// The framework reads a missing or null section as empty.
			continue
		}
		copyEntries(doc[p.Key], p.Value)
		doc[p.Key] = cfn.MergeOwned(doc[p.Key], jsvalue.Plain(p.Value))
	}
	if extensions == nil || extensions.Kind != schema.Map {
		return
	}
	res, _ := doc["Resources"].(map[string]any)
	for _, ext := range extensions.Pairs {
		target, ok := res[ext.Key].(map[string]any)
		if ok {
			target = cfn.Clone(target).(map[string]any)
			res[ext.Key] = target
		}
		if !ok {
			c.Diags.Errorf(ext.KeyPos, fmt.Sprintf("cannot extend %q", ext.Key),
				"resources.extensions can only extend a resource the template has; %q is not one of them.%s", ext.Key,
				diag.DidYouMean(ext.Key, sortedKeys(res)))
			continue
		}
		if ext.Value.Kind != schema.Map {
			continue
		}
		for _, attr := range ext.Value.Pairs {
			v := jsvalue.Plain(attr.Value)
			switch attr.Key {
			case "Condition", "CreationPolicy", "DeletionPolicy", "UpdatePolicy", "UpdateReplacePolicy":
				target[attr.Key] = v
			case "Properties", "Metadata":
				dst, _ := target[attr.Key].(map[string]any)
				if dst == nil {
					dst = map[string]any{}
				}
				if src, ok := v.(map[string]any); ok {
					for k, e := range src {
						dst[k] = e
					}
				}
				target[attr.Key] = dst
			case "DependsOn":
				var deps []any
				switch d := target["DependsOn"].(type) {
				case string:
					deps = []any{d}
				case []any:
					deps = d
				}
				// A base that already holds the extension (the framework
				// applied it) must not get its entries twice.
				for _, d := range jsvalue.Flatten(v) {
					if !containsValue(deps, d) {
						deps = append(deps, d)
					}
				}
				target["DependsOn"] = deps
			default:
				c.Diags.Errorf(attr.KeyPos, fmt.Sprintf("cannot extend %q of %q", attr.Key, ext.Key),
					"Extensions may set Condition, CreationPolicy, DeletionPolicy, DependsOn, Metadata, Properties, UpdatePolicy and UpdateReplacePolicy.")
			}
		}
	}
}

// copyEntries replaces the entries of a template section that the
// resources block merges into with copies, so that the merge changes
// no value another entry may hold too (TestTemplatesShareNoValues keeps
// the compiler from sharing values; this is the guard where a user's
// values change them).
func copyEntries(section any, block *schema.Node) {
	m, ok := section.(map[string]any)
	if !ok || block.Kind != schema.Map {
		return
	}
	for _, p := range block.Pairs {
		if v, ok := m[p.Key]; ok {
			m[p.Key] = cfn.Clone(v)
		}
	}
}

func stripNulls(m map[string]any) {
	for k, v := range m {
		switch x := v.(type) {
		case nil:
			delete(m, k)
		case map[string]any:
			stripNulls(x)
		case []any:
			for _, e := range x {
				if em, ok := e.(map[string]any); ok {
					stripNulls(em)
				}
			}
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validLogicalID reports whether CloudFormation accepts id as a logical
// ID: 1 to 255 ASCII letters and digits.
func validLogicalID(id string) bool {
	if len(id) == 0 || len(id) > 255 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// checkLogicalIDs reports names that normalise into logical IDs
// CloudFormation rejects (the framework keeps characters such as "." and
// non-ASCII letters). The plugin writes them anyway, so plugin mode warns.
func (c *compiler) checkLogicalIDs() {
	report := c.Diags.Errorf
	if c.Quirks.Lenient {
		report = c.Diags.Warnf
	}
	check := func(id string, pos diag.Pos, what string) {
		if !validLogicalID(id) {
			report(pos, fmt.Sprintf("invalid logical ID %q", id),
				"CloudFormation logical IDs are letters and digits only; %s gives %q. Rename it, or set id: to a name of letters and digits.", what, id)
		}
	}
	for _, m := range c.Service.StepFunctions.StateMachines {
		check(m.LogicalID(), m.LogicalIDPos(), fmt.Sprintf("state machine %q", m.Key))
	}
	for _, a := range c.Service.StepFunctions.Activities {
		check(schema.NormalizeName(a.Name)+"StepFunctionsActivity", a.Pos, fmt.Sprintf("activity %q", a.Name))
	}
}

var subReference = lazyre.New(`\$\{([^}!][^}]*)\}`)

// eachSubReference calls f with the text inside every ${...} of an
// Fn::Sub string that subReference matches, in order; it finds the same
// references as the regular expression without its allocations, for the
// checks that scan every string of a large template.
func eachSubReference(s string, f func(ref string)) {
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return
		}
		s = s[i+2:]
		if s == "" || s[0] == '}' || s[0] == '!' {
			continue
		}
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return
		}
		f(s[:end])
		s = s[end+1:]
	}
}

// checkReferences reports every Ref, Fn::GetAtt, Fn::Sub and DependsOn in
// the configuration whose target the final template does not define, and
// every Fn::GetAtt attribute its resource type does not have. Without
// --base the template is incomplete (the framework adds the functions), so
// a missing target is a warning; with it, a deploy failure.
func (c *compiler) checkReferences(doc map[string]any) {
	resources, _ := doc["Resources"].(map[string]any)
	parameters, _ := doc["Parameters"].(map[string]any)
	defined := make(map[string]bool, len(resources)+len(parameters))
	for _, section := range []string{"Resources", "Parameters"} {
		if m, ok := doc[section].(map[string]any); ok {
			for k := range m {
				defined[k] = true
			}
		}
	}
	// The default mode binds ${StateMachineArn} in the Fn::Sub request
	// templates of http events to the machine.
	boundSubs := map[*schema.Node]bool{}
	if sf := c.Service.StepFunctions; sf != nil && !c.Quirks.UserRequestTemplatesUnchecked {
		for _, m := range sf.StateMachines {
			if m.Events == nil {
				continue
			}
			for _, ev := range m.Events.Items {
				if tpl := ev.Get("http").Get("request").Get("template"); tpl != nil {
					for _, t := range tpl.Pairs {
						boundSubs[t.Value] = true
					}
				}
			}
		}
	}
	seen := map[string]bool{}
	var visit func(n *schema.Node)
	warn := func(target string, pos diag.Pos) {
		if defined[target] || strings.HasPrefix(target, "AWS::") || seen[target+pos.String()] {
			return
		}
		seen[target+pos.String()] = true
		summary := fmt.Sprintf("%s is not defined in the template", target)
		if c.Base != nil {
			c.DeployFailure(pos, summary, "Neither stepform's output nor the base template defines it, so CloudFormation rejects the template. Add it under resources.Resources, or correct the name.%s",
				diag.DidYouMean(target, sortedKeys(resources)))
			return
		}
		detail := "Neither stepform's output nor the base template defines it; add it under resources.Resources, or pass the framework's template with --base."
		if f := c.Service.FunctionByLogicalID(target); f != nil {
			detail = fmt.Sprintf("It is the Lambda function %q, which the framework packages. Pass the framework's template with --base (from sls package) so the output is complete.", f.Key)
		}
		c.Diags.Warnf(pos, summary, "%s", detail)
	}
	attribute := func(id string, attr *schema.Node, name string, pos diag.Pos) {
		r, _ := resources[id].(map[string]any)
		typ, _ := r["Type"].(string)
		attrs, known := cfn.Attributes(typ)
		if r == nil || !known || attr.Kind != schema.String || slices.Contains(attrs, name) {
			return
		}
		c.DeployFailure(pos, fmt.Sprintf("%s has no attribute %q", id, name),
			"%s is an %s, whose Fn::GetAtt attributes are %s.%s", id, typ, strings.Join(attrs, ", "), diag.DidYouMean(name, attrs))
	}
	dependsOn := func(n *schema.Node) {
		if n == nil {
			return
		}
		if n.Kind == schema.String {
			warn(n.Value, n.Pos)
		}
		for _, it := range n.Items {
			if it.Kind == schema.String {
				warn(it.Value, it.Pos)
			}
		}
	}
	visit = func(n *schema.Node) {
		switch n.Kind {
		case schema.List:
			for _, it := range n.Items {
				visit(it)
			}
		case schema.Map:
			if len(n.Pairs) == 1 {
				v := n.Pairs[0].Value
				switch n.Pairs[0].Key {
				case "Ref":
					if v.Kind == schema.String {
						warn(c.FunctionLogicalID(v.Value), v.Pos)
					}
				case "Fn::GetAtt":
					if v.Kind == schema.List && len(v.Items) > 0 && v.Items[0].Kind == schema.String {
						id := c.FunctionLogicalID(v.Items[0].Value)
						warn(id, v.Items[0].Pos)
						if len(v.Items) == 2 {
							attribute(id, v.Items[1], v.Items[1].Value, v.Items[1].Pos)
						}
					} else if v.Kind == schema.String {
						id, attr, _ := strings.Cut(v.Value, ".")
						id = c.FunctionLogicalID(id)
						warn(id, v.Pos)
						if !c.Quirks.GetAttStringAsCharacters {
							attribute(id, v, attr, v.Pos)
						}
					}
				case "Fn::Sub":
					if boundSubs[n] {
						c.checkSub(v, func(target string, pos diag.Pos) {
							if target != "StateMachineArn" {
								warn(target, pos)
							}
						})
					} else {
						c.checkSub(v, warn)
					}
				}
			}
			for _, p := range n.Pairs {
				visit(p.Value)
			}
		}
	}
	if sf := c.Service.Root.Get("stepFunctions"); sf != nil {
		visit(sf)
		for _, m := range c.Service.StepFunctions.StateMachines {
			for i, id := range m.Settings.DependsOn {
				warn(id, m.Settings.DependsOnPos[i])
			}
		}
	}
	if c.Service.Resources != nil {
		visit(c.Service.Resources)
		for _, section := range []string{"Resources", "extensions"} {
			if block := c.Service.Resources.Get(section); block != nil {
				for _, p := range block.Pairs {
					dependsOn(p.Value.Get("DependsOn"))
				}
			}
		}
	}
}

// checkSub reports ${X} and ${X.Attr} references of a Fn::Sub that are
// neither variables of the Sub nor defined.
func (c *compiler) checkSub(v *schema.Node, warn func(string, diag.Pos)) {
	text := v
	vars := map[string]bool{}
	if v.Kind == schema.List && len(v.Items) > 0 {
		text = v.Items[0]
		if len(v.Items) > 1 && v.Items[1].Kind == schema.Map {
			for _, p := range v.Items[1].Pairs {
				vars[p.Key] = true
			}
		}
	}
	if text.Kind != schema.String {
		return
	}
	for _, m := range subReference.FindAllStringSubmatch(text.Value, -1) {
		name, _, _ := strings.Cut(m[1], ".")
		if !vars[m[1]] && !vars[name] {
			warn(name, text.Pos)
		}
	}
}

// containsValue reports whether a DependsOn list holds v already; only
// strings compare, as only strings name resources.
func containsValue(list []any, v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
