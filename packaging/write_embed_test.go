package packaging

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stepform/stepform/schema"
)

// TestEmbeddedTemplateIsWrittenAsParsed checks that copying a compiled
// template into a state document gives the bytes that parsing it and
// writing the nodes gave, for every template the fixtures hold (stepform's
// goldens and the framework's own output), at several depths.
func TestEmbeddedTemplateIsWrittenAsParsed(t *testing.T) {
	var files []string
	for _, name := range []string{"stepform.json", "plugin.json", "base.json"} {
		found, err := filepath.Glob(filepath.Join("..", "fixtures", "*", name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	if len(files) < 100 {
		t.Fatalf("found only %d templates", len(files))
	}
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		parsed, d := schema.ParseYAML(file, text)
		if d.HasErrors() {
			t.Fatalf("%s: %v", file, d.Err())
		}
		placeholder, err := embedJSON(text)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, indent := range []string{"", "    "} {
			var want, got bytes.Buffer
			stateWriter{b: &want}.node(wrap(parsed), indent)
			stateWriter{b: &got, embedded: map[*schema.Node][]byte{placeholder: text}}.node(wrap(placeholder), indent)
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("%s at indent %q: the embedded template differs from the parsed one", file, indent)
			}
		}
	}
}

func wrap(n *schema.Node) *schema.Node {
	return schema.NewMap(n.Pos, schema.Pair{Key: "compiledCloudFormationTemplate", Value: n})
}

func TestEmbedJSONRejectsInvalidJSON(t *testing.T) {
	if _, err := embedJSON([]byte("{\"a\": ")); err == nil {
		t.Fatal("no error for truncated JSON")
	}
}
