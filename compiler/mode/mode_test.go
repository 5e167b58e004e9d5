package mode

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestPluginSetsEveryQuirk(t *testing.T) {
	plugin := reflect.ValueOf(*Plugin.Quirks())
	def := reflect.ValueOf(*Default.Quirks())
	for i := range plugin.NumField() {
		name := plugin.Type().Field(i).Name
		if !plugin.Field(i).Bool() {
			t.Errorf("plugin mode does not set %s", name)
		}
		if def.Field(i).Bool() {
			t.Errorf("the default mode sets %s", name)
		}
	}
}

// TestQuirksInDifferences checks that docs/differences.md lists every
// quirk, so that the table and the code can be read side by side.
func TestQuirksInDifferences(t *testing.T) {
	doc, err := os.ReadFile("../../docs/differences.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "## Plugin mode in the code")
	if !ok {
		t.Fatal(`docs/differences.md has no "Plugin mode in the code" section`)
	}
	if next := strings.Index(section, "\n## "); next >= 0 {
		section = section[:next]
	}
	typ := reflect.TypeOf(Quirks{})
	for i := range typ.NumField() {
		if name := typ.Field(i).Name; !strings.Contains(section, "`"+name+"`") {
			t.Errorf("docs/differences.md does not list Quirks.%s", name)
		}
	}
}
