package compiler_test

import (
	"fmt"
	"reflect"
	"testing"
	"unsafe"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema"
)

// TestTemplatesShareNoValues: no object or array of a compiled template
// is held twice, nor by the template of another compilation (a value of
// a package variable), so that changing one value in place (the
// resources block's merge, extensions, null stripping) changes no other.
// Template.Doc copies apart only what one resource holds twice; the
// concerns give each resource values of its own.
func TestTemplatesShareNoValues(t *testing.T) {
	names, _ := fixtureNames(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, name)
			for _, mode := range []compiler.Mode{compiler.Default, compiler.Plugin} {
				compile := func() map[string]any {
					svc, _, diags := schema.Load(f.load)
					if svc == nil || diags.HasErrors() {
						return nil
					}
					doc, diags := compiler.Compile(svc, defaultOptions(t, f, mode))
					if diags.HasErrors() {
						return nil
					}
					return doc
				}
				first, second := compile(), compile()
				if first == nil {
					continue
				}
				held := map[unsafe.Pointer]string{}
				for _, shared := range sharedValues(first, "", held) {
					t.Errorf("%s mode: %s", modeName(mode), shared)
				}
				for p, path := range held {
					held[p] = "the first compilation's " + path
				}
				for _, shared := range sharedValues(second, "", held) {
					t.Errorf("%s mode: %s", modeName(mode), shared)
				}
			}
		})
	}
}

// sharedValues lists the objects and arrays under v that held already
// records, by path.
func sharedValues(v any, path string, held map[unsafe.Pointer]string) []string {
	var p unsafe.Pointer
	switch x := v.(type) {
	case map[string]any:
		p = reflect.ValueOf(x).UnsafePointer()
	case []any:
		if len(x) > 0 {
			p = unsafe.Pointer(unsafe.SliceData(x))
		}
	default:
		return nil
	}
	if p != nil {
		if first, ok := held[p]; ok {
			return []string{fmt.Sprintf("%s is the value of %s too", path, first)}
		}
		held[p] = path
	}
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			out = append(out, sharedValues(x[k], path+"/"+k, held)...)
		}
	case []any:
		for i, e := range x {
			out = append(out, sharedValues(e, fmt.Sprintf("%s/%d", path, i), held)...)
		}
	}
	return out
}
