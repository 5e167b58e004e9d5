package mode

import (
	"os"
	"reflect"
	"regexp"
	"strconv"
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

// alike are the rows of docs/differences.md that behave the same in both
// modes, so that no quirk stands for them.
var alike = []string{"H6", "H10", "H13", "I8", "F5", "F9", "P1", "P2", "P3", "P4"}

var (
	differenceRow = regexp.MustCompile(`(?m)^\| ([A-Z]*[0-9]+) \|`)
	rowRange      = regexp.MustCompile(`^([A-Z]*)([0-9]+)-([A-Z]*)([0-9]+)$`)
)

// TestEveryDifferenceHasAQuirk checks that every row of docs/differences.md
// is reproduced by a quirk the "Plugin mode in the code" table names, or
// is one of the rows that behave alike.
func TestEveryDifferenceHasAQuirk(t *testing.T) {
	doc, err := os.ReadFile("../../docs/differences.md")
	if err != nil {
		t.Fatal(err)
	}
	before, section, _ := strings.Cut(string(doc), "## Plugin mode in the code")
	covered := map[string]bool{}
	for _, r := range alike {
		covered[r] = true
	}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if !strings.HasPrefix(line, "| `") || len(cells) < 3 {
			continue
		}
		for _, part := range strings.Split(cells[2], ",") {
			part = strings.TrimSpace(part)
			if m := rowRange.FindStringSubmatch(part); m != nil {
				from, _ := strconv.Atoi(m[2])
				to, _ := strconv.Atoi(m[4])
				for i := from; i <= to; i++ {
					covered[m[1]+strconv.Itoa(i)] = true
				}
			} else if part != "" {
				covered[part] = true
			}
		}
	}
	rows := differenceRow.FindAllStringSubmatch(before, -1)
	if len(rows) < 50 {
		t.Fatalf("found only %d rows in docs/differences.md", len(rows))
	}
	for _, r := range rows {
		if !covered[r[1]] {
			t.Errorf("row %s of docs/differences.md has no quirk in the \"Plugin mode in the code\" table", r[1])
		}
	}
}
