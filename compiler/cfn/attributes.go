package cfn

import (
	_ "embed"
	"encoding/json"
	"sync"
)

//go:embed attributes.json
var attributesJSON []byte

var (
	attributesOnce sync.Once
	attributes     map[string][]string
)

// Attributes returns the Fn::GetAtt attributes of a resource type; known
// is false for a type the table does not cover (custom resources, types
// stepform never meets), whose attributes are not checked.
func Attributes(resourceType string) (attrs []string, known bool) {
	attributesOnce.Do(func() {
		raw := map[string]any{}
		if err := json.Unmarshal(attributesJSON, &raw); err != nil {
			panic("cfn: attributes.json: " + err.Error()) // embedded data; tests catch it
		}
		attributes = map[string][]string{}
		for typ, v := range raw {
			list, ok := v.([]any)
			if !ok {
				continue // the table's _comment
			}
			for _, a := range list {
				attributes[typ] = append(attributes[typ], a.(string))
			}
		}
	})
	attrs, known = attributes[resourceType]
	return attrs, known
}
