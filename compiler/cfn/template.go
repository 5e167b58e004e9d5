package cfn

import (
	"encoding/json"
	"fmt"
	"unsafe"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
)

// Resource is a typed CloudFormation resource: any goformation resource
// type, or one of this package's local types.
type Resource = cloudformation.Resource

// Output is a template output.
type Output = cloudformation.Output

// Export is an output's export.
type Export = cloudformation.Export

// Retain is the DeletionPolicy and UpdateReplacePolicy value "Retain".
const (
	Retain        = policies.DeletionPolicy("Retain")
	RetainReplace = policies.UpdateReplacePolicy("Retain")
)

// Template is a CloudFormation template under construction. Resources
// and outputs the compiler generates are typed; sections copied from the
// user's resources block or a base template are plain values.
type Template struct {
	resources map[string]Resource
	outputs   map[string]Output
	// seen is SetResourceConverting's, kept for the next call.
	seen map[unsafe.Pointer]bool
}

// New returns an empty template.
func New() *Template { return NewSized(0) }

// NewSized returns an empty template with room for about resources
// resources.
func NewSized(resources int) *Template {
	return &Template{resources: make(map[string]Resource, resources), outputs: map[string]Output{}}
}

// SetResource adds or replaces a resource.
func (t *Template) SetResource(id string, r Resource) { t.resources[id] = r }

// SetAdoptedResource is SetResource for a resource whose values were
// adopted already (WriteGoJSONAdopting), which Doc then takes as they
// are. Nothing may change them afterwards, except through a copy.
func (t *Template) SetAdoptedResource(id string, r Raw) { t.resources[id] = adoptedRaw(r) }

// SetResourceConverting sets r converted to plain values at once, as Doc
// would convert it (the plain values a Raw holds adopted), for a resource
// built whole that nothing changes afterwards: its values are still in
// the caches, and Doc then takes the result as it is. On an error r is
// set as it is, for Doc to report.
func (t *Template) SetResourceConverting(id string, r Resource) {
	if t.seen == nil {
		t.seen = map[unsafe.Pointer]bool{}
	}
	clear(t.seen)
	v, err := toPlainApart(r, t.seen)
	if m, ok := v.(map[string]any); ok && m != nil && err == nil {
		t.resources[id] = converted(m)
		return
	}
	t.SetResource(id, r)
}

// converted is a resource set with SetResourceConverting. Unlike a Raw
// one, Resource gives it as it is: it stands for a typed resource, which
// MergeResource replaces instead of merging into.
type converted map[string]any

func (r converted) AWSCloudFormationType() string { return Raw(r).AWSCloudFormationType() }

// adoptedRaw is a Raw resource set with SetAdoptedResource.
type adoptedRaw Raw

func (r adoptedRaw) AWSCloudFormationType() string { return Raw(r).AWSCloudFormationType() }

// Resource returns the resource with the given logical ID, or nil.
func (t *Template) Resource(id string) Resource {
	if r, ok := t.resources[id].(adoptedRaw); ok {
		return Raw(r)
	}
	return t.resources[id]
}

// SetOutput adds or replaces an output.
func (t *Template) SetOutput(id string, o Output) { t.outputs[id] = o }

// Doc converts the typed template into plain values: a map with
// "Resources" and "Outputs" (each present only when non-empty). The plain
// values the template holds become part of the result (see toPlain), so
// the template is done
// with once Doc has run: Doc empties it, so that a large template's
// typed resources can be collected while their plain values are built.
func (t *Template) Doc() (map[string]any, error) {
	doc := map[string]any{}
	// A value a resource holds twice is copied apart. Values resources
	// share with each other are not looked for: a set of every value of
	// a large template outgrows the caches and costs more than the rest
	// of the conversion. The concerns give each resource values of its
	// own instead (TestTemplatesShareNoValues).
	seen := map[unsafe.Pointer]bool{}
	if len(t.resources) > 0 {
		res := make(map[string]any, len(t.resources))
		for id, r := range t.resources {
			switch r := r.(type) {
			case adoptedRaw:
				res[id] = nil // as toPlain gives for a nil Raw
				if r != nil {
					res[id] = map[string]any(r)
				}
				delete(t.resources, id)
				continue
			case converted:
				res[id] = map[string]any(r)
				delete(t.resources, id)
				continue
			}
			clear(seen)
			v, err := toPlainApart(r, seen)
			if err != nil {
				return nil, fmt.Errorf("resource %s: %w", id, err)
			}
			res[id] = v
			delete(t.resources, id)
		}
		doc["Resources"] = res
	}
	if len(t.outputs) > 0 {
		out := make(map[string]any, len(t.outputs))
		for id, o := range t.outputs {
			clear(seen)
			v, err := toPlainApart(o, seen)
			if err != nil {
				return nil, fmt.Errorf("output %s: %w", id, err)
			}
			out[id] = v
		}
		doc["Outputs"] = out
		clear(t.outputs)
	}
	return doc, nil
}

// expand turns Str-encoded strings in plain values back into the values
// they hold.
func expand(v any) any {
	switch x := v.(type) {
	case string:
		if d, ok := decodeStr(x); ok {
			return expand(d)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = expand(e)
		}
	case []any:
		for i, e := range x {
			x[i] = expand(e)
		}
	}
	return v
}

// Raw is a resource given as plain values (Type, Properties, ...), for
// resources stepform passes through.
type Raw map[string]any

// AWSCloudFormationType returns the resource's Type.
func (r Raw) AWSCloudFormationType() string {
	t, _ := r["Type"].(string)
	return t
}

// MarshalJSON writes the resource as it is.
func (r Raw) MarshalJSON() ([]byte, error) { return json.Marshal(map[string]any(r)) }
