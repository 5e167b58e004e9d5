package schema

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/schema/diag"
)

// topLevelKeys are the top-level keys the framework's configuration schema
// knows: its own, those the AWS provider and the dashboard plugin define,
// and the plugin's stepFunctions: TopLevelSpec's.
var topLevelKeys = []string{"app", "configValidationMode", "console", "custom", "dashboard", "deprecationNotificationMode", "disabledDeprecations", "frameworkVersion", "functions", "layers", "org", "outputs", "package", "params", "plugins", "projectDir", "provider", "resources", "service", "stepFunctions", "useDotenv", "variablesResolutionMode"}

// checkTopLevelKeys warns about top-level keys the framework does not
// know, as its schema validation does: a misspelt stepFunctions or
// resources block is otherwise silently left out of the template.
// configValidationMode (warn by default) makes them errors or silences them.
func (d *decoder) checkTopLevelKeys(root *Node) {
	report, effect := d.diags.Warnf, "warns about it and ignores it"
	if mode := root.Get("configValidationMode"); mode != nil && mode.Kind == String {
		switch mode.Value {
		case "error":
			report, effect = d.diags.Errorf, "rejects it (configValidationMode: error)"
		case "off":
			return
		}
	}
	for _, p := range root.Pairs {
		if contains(topLevelKeys, p.Key) {
			continue
		}
		report(p.KeyPos, fmt.Sprintf("unknown top-level key %q", p.Key),
			"The framework %s unless a plugin defines it; stepform ignores it.%s Known keys: %s.",
			effect, diag.DidYouMean(p.Key, topLevelKeys), strings.Join(topLevelKeys, ", "))
	}
}

// mergeFragmentLists turns functions: and resources: written as lists of
// maps into one map each, merged in order the way the framework's
// mergeArrays does (lodash merge; null items are skipped).
func (d *decoder) mergeFragmentLists(root *Node) {
	for _, key := range []string{"functions", "resources"} {
		p := root.Pair(key)
		if p == nil || p.Value.Kind != List {
			continue
		}
		merged := NewMap(p.Value.Pos)
		for _, it := range p.Value.Items {
			switch it.Kind {
			case Null:
			case Map:
				merged = mergeNode(merged, it)
			default:
				d.diags.Errorf(it.Pos, fmt.Sprintf("%s list item must be an object", key),
					"Got %s. Each item of a %s list is a map that the framework merges into the others.", describeValue(it), key)
			}
		}
		p.Value = merged
	}
}

// mergeNode deep-merges src into dst as lodash's _.merge does: maps merge
// key by key, lists index by index, any other value replaces. The result
// is a new node; neither argument is modified.
func mergeNode(dst, src *Node) *Node {
	switch src.Kind {
	case Map:
		out := &Node{Kind: Map, Pos: src.Pos}
		if dst != nil && dst.Kind == Map {
			out.Pos = dst.Pos
			out.Pairs = append(out.Pairs, dst.Pairs...)
		}
		for _, sp := range src.Pairs {
			if p := out.Pair(sp.Key); p != nil {
				p.Value = mergeNode(p.Value, sp.Value)
			} else {
				out.Pairs = append(out.Pairs, Pair{Key: sp.Key, KeyPos: sp.KeyPos, Value: mergeNode(nil, sp.Value)})
			}
		}
		return out
	case List:
		out := &Node{Kind: List, Pos: src.Pos}
		if dst != nil && dst.Kind == List {
			out.Items = append(out.Items, dst.Items...)
		}
		for i, it := range src.Items {
			if i < len(out.Items) {
				out.Items[i] = mergeNode(out.Items[i], it)
			} else {
				out.Items = append(out.Items, mergeNode(nil, it))
			}
		}
		return out
	}
	return src
}

func unknownTopLevelKeys(root *Node) []string {
	var out []string
	for _, p := range root.Pairs {
		if !contains(topLevelKeys, p.Key) {
			out = append(out, p.Key)
		}
	}
	return out
}
