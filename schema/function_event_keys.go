package schema

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/schema/diag"
)

// CheckFunctionEventKeys reports keys of the function events' objects
// (and of their nested settings) that the kind's spec does not list, and
// boolean settings that are not booleans. The framework's validation
// reports both and its compilation ignores an unknown key (a misspelt
// key silently loses its setting) and passes a wrong boolean on to AWS,
// which rejects it: an error in the default mode, a warning in plugin
// mode unless configValidationMode is error (then the framework fails
// too). httpApi events report their unknown keys where they are compiled.
func CheckFunctionEventKeys(svc *Service, compat Compat) diag.List {
	var diags diag.List
	mode := ""
	if m := svc.Root.Get("configValidationMode"); m != nil && m.Kind == String {
		mode = m.Value
	}
	w := &eventKeyWalker{report: diags.Errorf, effect: "warns about it and ignores it"}
	switch mode {
	case "error":
		w.effect = "rejects it (configValidationMode: error)"
	case "off":
		w.effect = "ignores it without a word (configValidationMode: off)"
	}
	if compat == CompatPlugin && mode != "error" {
		w.report = diags.Warnf
	}
	for _, fn := range svc.Functions {
		for _, ev := range fn.EventList {
			if ev.Kind == "httpApi" {
				continue
			}
			spec := FunctionEventObjectSpec(ev.Kind)
			if spec == nil {
				continue
			}
			if ev.S3 != nil && ev.S3.Existing.Truthy() {
				// The rules of an existing bucket are checked where its
				// custom resource is compiled.
				spec = specWithout(spec, "rules")
			}
			w.walk(ev.Value, spec, fmt.Sprintf("functions.%s.events[%d].%s", fn.Key, ev.Index, ev.Kind))
		}
	}
	return diags
}

type eventKeyWalker struct {
	report func(pos diag.Pos, summary, detail string, args ...any)
	// effect is what the framework does with an unknown key.
	effect string
}

// walk checks the value n at where against its spec s: the keys of an
// object, each item of a list, a boolean.
func (w *eventKeyWalker) walk(n *Node, s *Spec, where string) {
	if n == nil {
		return
	}
	switch n.Kind {
	case List:
		if list := listForm(s); list != nil {
			for i, it := range n.Items {
				w.walk(it, list.Items, fmt.Sprintf("%s[%d]", where, i))
			}
		}
	case Map:
		obj := objectForm(s)
		if obj == nil || n.IsIntrinsic() {
			return
		}
		for _, p := range n.Pairs {
			switch ks := obj.Key(p.Key); {
			case ks != nil:
				w.walk(p.Value, ks, where+"."+p.Key)
			case obj.Values != nil:
				w.walk(p.Value, obj.Values, where+"."+p.Key)
			case !obj.Open:
				allowed := obj.KeyNames()
				w.report(p.KeyPos, fmt.Sprintf("unknown key %q in %s", p.Key, where),
					"Serverless Framework v3 %s, so the setting has no effect. The keys are %s.%s",
					w.effect, strings.Join(allowed, ", "), diag.DidYouMean(p.Key, allowed))
			}
		}
	case String, Number:
		if isBoolSpec(s) && !booleanText(n) {
			w.report(n.Pos, fmt.Sprintf("%s must be true or false", where),
				"Got %s %q. The framework passes it on as written, and AWS rejects it.", n.Kind, n.Value)
		}
	}
}

// isBoolSpec says s takes booleans only (as the framework reads them).
func isBoolSpec(s *Spec) bool {
	return len(s.AnyOf) == 0 && hasType(s, "boolean") && (len(s.Types) == 1 || len(s.Enum) > 0)
}

// booleanText says a string or number is one the framework's validation
// turns into a boolean.
func booleanText(n *Node) bool {
	switch n.Value {
	case "true", "false":
		return n.Kind == String
	case "0", "1":
		return n.Kind == Number
	}
	return false
}

// objectForm is the object alternative of a spec, nil when it has none
// or several.
func objectForm(s *Spec) *Spec {
	if hasType(s, "object") {
		return s
	}
	var found *Spec
	for _, alt := range s.AnyOf {
		if o := objectForm(alt); o != nil {
			if found != nil {
				return nil
			}
			found = o
		}
	}
	return found
}

// listForm is the array alternative of a spec, nil when it has none or
// several.
func listForm(s *Spec) *Spec {
	if s.Items != nil {
		return s
	}
	var found *Spec
	for _, alt := range s.AnyOf {
		if l := listForm(alt); l != nil {
			if found != nil {
				return nil
			}
			found = l
		}
	}
	return found
}

// specWithout is an object spec that takes key with any value.
func specWithout(s *Spec, key string) *Spec {
	c := *s
	c.Keys = nil
	for _, k := range s.Keys {
		if k.Name == key {
			k.Spec = anySpec("")
		}
		c.Keys = append(c.Keys, k)
	}
	return &c
}
