package statemachine

import (
	"sort"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
)

// LayerVersion is a copy of a Lambda version resource under a logical ID
// that includes a hash of the function's layers, which the plugin adds so
// that a layer change publishes a new version.
type LayerVersion struct {
	ID   string
	Body map[string]any
}

// firstVersionOf returns the AWS::Lambda::Version resource of function fnID.
// The framework makes one per function; ties break by logical ID.
func firstVersionOf(res map[string]any, fnID string) string {
	var ids []string
	for id, r := range res {
		if !jsvalue.IsType(r, "AWS::Lambda::Version") {
			continue
		}
		props, _ := r.(map[string]any)["Properties"].(map[string]any)
		fn, _ := props["FunctionName"].(map[string]any)
		if fn["Ref"] == fnID {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// layersOf returns a function resource's layers as the plugin hashes them:
// strings as they are, other values as compact JSON, sorted.
func layersOf(fn map[string]any) []string {
	props, _ := fn["Properties"].(map[string]any)
	list, _ := props["Layers"].([]any)
	out := make([]string, 0, len(list))
	for _, l := range list {
		if s, ok := l.(string); ok {
			out = append(out, s)
		} else {
			out = append(out, string(jsvalue.CompactJSON(l)))
		}
	}
	sort.Strings(out)
	return out
}
