// Package spec checks a finished template against the CloudFormation
// resource specification as goformation v7's generated types describe it:
// property names, value types and required properties of every resource,
// the targets of Ref, Fn::GetAtt, Fn::Sub and DependsOn, and Fn::GetAtt
// attributes (from cfn.Attributes). Tests use it on every golden template;
// stepform itself does not link it, as it pulls in every goformation type.
package spec

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/internal/lazyre"
)

// stateMachine adds what goformation's spec (April 2024) lacks and
// CloudFormation has since added.
type stateMachine struct {
	stepfunctions.StateMachine
	EncryptionConfiguration *cfn.EncryptionConfiguration `json:"EncryptionConfiguration,omitempty"`
}

// newerTypes replaces goformation's type for resources whose properties
// grew after goformation's last release.
var newerTypes = map[string]reflect.Type{
	"AWS::StepFunctions::StateMachine": reflect.TypeOf(stateMachine{}),
}

// resourceType returns the Go type describing a resource type's
// properties, or nil for a type goformation does not know.
func resourceType(name string) reflect.Type {
	if t, ok := newerTypes[name]; ok {
		return t
	}
	r, ok := cloudformation.AllResources()[name]
	if !ok {
		return nil
	}
	return reflect.TypeOf(r).Elem()
}

// Options lists what a template may leave undefined.
type Options struct {
	// External are logical IDs a Ref, Fn::GetAtt or DependsOn may name
	// without the template defining them (a template without the
	// framework's functions).
	External map[string]bool
}

// Check returns every problem in the template document, each as
// "path: problem", sorted.
func Check(doc map[string]any, opts Options) []string {
	k := &checker{doc: doc, opts: opts, defined: map[string]string{}}
	resources, _ := doc["Resources"].(map[string]any)
	for id, r := range resources {
		m, _ := r.(map[string]any)
		typ, _ := m["Type"].(string)
		k.defined[id] = typ
	}
	if params, ok := doc["Parameters"].(map[string]any); ok {
		for id := range params {
			k.defined[id] = "parameter"
		}
	}
	for id, r := range resources {
		k.resource("Resources."+id, r)
	}
	if outputs, ok := doc["Outputs"].(map[string]any); ok {
		for id, o := range outputs {
			k.references("Outputs."+id, o)
		}
	}
	sort.Strings(k.problems)
	return k.problems
}

type checker struct {
	doc      map[string]any
	opts     Options
	defined  map[string]string // logical ID → resource type
	problems []string
}

func (k *checker) add(path, format string, args ...any) {
	k.problems = append(k.problems, path+": "+fmt.Sprintf(format, args...))
}

var resourceKeys = map[string]bool{
	"Type": true, "Properties": true, "DependsOn": true, "Condition": true, "Metadata": true,
	"DeletionPolicy": true, "UpdateReplacePolicy": true, "UpdatePolicy": true, "CreationPolicy": true,
}

func (k *checker) resource(path string, r any) {
	m, ok := r.(map[string]any)
	if !ok {
		k.add(path, "a resource must be an object")
		return
	}
	typ, _ := m["Type"].(string)
	for key := range m {
		// CloudFormation also takes the legacy Version attribute, which
		// the framework writes on its custom resources.
		if !resourceKeys[key] && !(key == "Version" && strings.HasPrefix(typ, "Custom::")) {
			k.add(path, "unknown resource attribute %q", key)
		}
	}
	switch d := m["DependsOn"].(type) {
	case nil:
	case string:
		k.target(path+".DependsOn", d)
	case []any:
		for i, e := range d {
			s, ok := e.(string)
			if !ok {
				k.add(fmt.Sprintf("%s.DependsOn[%d]", path, i), "must be a logical ID")
				continue
			}
			k.target(fmt.Sprintf("%s.DependsOn[%d]", path, i), s)
		}
	default:
		k.add(path+".DependsOn", "must be a logical ID or a list of them")
	}
	props, hasProps := m["Properties"]
	k.references(path+".Properties", props)
	t := resourceType(typ)
	if t == nil {
		if !strings.HasPrefix(typ, "Custom::") && typ != "AWS::CloudFormation::CustomResource" {
			k.add(path, "unknown resource type %q", typ)
		}
		return
	}
	if !hasProps {
		props = map[string]any{}
	}
	k.value(path+".Properties", props, t)
}

// target checks that a Ref, Fn::GetAtt or DependsOn names something.
func (k *checker) target(path, id string) bool {
	if _, ok := k.defined[id]; ok || k.opts.External[id] || strings.HasPrefix(id, "AWS::") {
		return true
	}
	k.add(path, "%q is not defined in the template", id)
	return false
}

var subReference = lazyre.New(`\$\{([^}!][^}]*)\}`)

// references checks every intrinsic function's target and attribute.
func (k *checker) references(path string, v any) {
	switch x := v.(type) {
	case []any:
		for i, e := range x {
			k.references(fmt.Sprintf("%s[%d]", path, i), e)
		}
	case map[string]any:
		if len(x) == 1 {
			for key, arg := range x {
				k.intrinsic(path, key, arg)
			}
		}
		keys := make([]string, 0, len(x))
		for key := range x {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			k.references(path+"."+key, x[key])
		}
	}
}

func (k *checker) intrinsic(path, key string, arg any) {
	switch key {
	case "Ref":
		if s, ok := arg.(string); ok {
			k.target(path+".Ref", s)
		} else {
			k.add(path+".Ref", "must name a logical ID")
		}
	case "Fn::GetAtt":
		var id, attr string
		switch a := arg.(type) {
		case string:
			id, attr, _ = strings.Cut(a, ".")
		case []any:
			if len(a) != 2 {
				k.add(path+".Fn::GetAtt", "takes [logicalId, attribute]")
				return
			}
			id, _ = a[0].(string)
			attr, _ = a[1].(string)
			if _, dynamic := a[1].(map[string]any); dynamic {
				attr = ""
			}
		default:
			k.add(path+".Fn::GetAtt", "takes [logicalId, attribute]")
			return
		}
		if !k.target(path+".Fn::GetAtt", id) || attr == "" {
			return
		}
		if attrs, known := cfn.Attributes(k.defined[id]); known && !contains(attrs, attr) {
			k.add(path+".Fn::GetAtt", "%s (%s) has no attribute %q", id, k.defined[id], attr)
		}
	case "Fn::Sub":
		text, vars := arg, map[string]any{}
		if list, ok := arg.([]any); ok && len(list) == 2 {
			text = list[0]
			vars, _ = list[1].(map[string]any)
		}
		s, ok := text.(string)
		if !ok {
			k.add(path+".Fn::Sub", "takes a string or [string, variables]")
			return
		}
		for _, m := range subReference.FindAllStringSubmatch(s, -1) {
			if _, isVar := vars[m[1]]; isVar {
				continue
			}
			id, attr, hasAttr := strings.Cut(m[1], ".")
			if _, isVar := vars[id]; isVar {
				continue
			}
			if k.target(path+".Fn::Sub", id) && hasAttr {
				if attrs, known := cfn.Attributes(k.defined[id]); known && !contains(attrs, attr) {
					k.add(path+".Fn::Sub", "%s (%s) has no attribute %q", id, k.defined[id], attr)
				}
			}
		}
	}
}

// isIntrinsic reports a value CloudFormation computes at deploy time; its
// type cannot be checked here.
func isIntrinsic(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	for key := range m {
		return key == "Ref" || strings.HasPrefix(key, "Fn::")
	}
	return false
}

// value checks v against the Go type goformation generated for it.
func (k *checker) value(path string, v any, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if isIntrinsic(v) || t.Kind() == reflect.Interface {
		return
	}
	switch t.Kind() {
	case reflect.String:
		switch v.(type) {
		case string, json.Number, bool, float64, int:
		default:
			k.add(path, "must be a string, got %s", kind(v))
		}
	case reflect.Int, reflect.Int64, reflect.Float64:
		switch x := v.(type) {
		case json.Number, float64, int:
		case string:
			if _, err := strconv.ParseFloat(x, 64); err != nil {
				k.add(path, "must be a number, got %q", x)
			}
		default:
			k.add(path, "must be a number, got %s", kind(v))
		}
	case reflect.Bool:
		switch x := v.(type) {
		case bool:
		case string:
			if x != "true" && x != "false" {
				k.add(path, "must be a boolean, got %q", x)
			}
		default:
			k.add(path, "must be a boolean, got %s", kind(v))
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			k.add(path, "must be a list, got %s", kind(v))
			return
		}
		for i, e := range list {
			k.value(fmt.Sprintf("%s[%d]", path, i), e, t.Elem())
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			k.add(path, "must be an object, got %s", kind(v))
			return
		}
		for _, key := range sortedKeys(m) {
			k.value(path+"."+key, m[key], t.Elem())
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			k.add(path, "must be an object, got %s", kind(v))
			return
		}
		fields := map[string]field{}
		collectFields(t, fields)
		for _, key := range sortedKeys(m) {
			f, ok := fields[key]
			if !ok {
				k.add(path+"."+key, "unknown property")
				continue
			}
			k.value(path+"."+key, m[key], f.typ)
		}
		names := make([]string, 0, len(fields))
		for name := range fields {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if _, ok := m[name]; !ok && fields[name].required {
				k.add(path, "required property %s is missing", name)
			}
		}
	default:
		k.add(path, "unsupported Go type %s in the specification", t)
	}
}

type field struct {
	typ      reflect.Type
	required bool
}

// collectFields lists a struct's properties by JSON name: goformation
// marks a required property by leaving omitempty out of its tag, and
// tags resource attributes (DependsOn, Metadata…) "-".
func collectFields(t reflect.Type, out map[string]field) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			collectFields(f.Type, out)
			continue
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		out[name] = field{typ: f.Type, required: !strings.Contains(opts, "omitempty")}
	}
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	return "a number"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
