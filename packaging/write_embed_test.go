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
		for _, pieces := range [][][]byte{{text}, inPieces(text, 97), inPieces(text, len(text)-1)} {
			placeholder, err := embedJSON(pieces)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for _, indent := range []string{"", "    "} {
				var want, got bytes.Buffer
				stateWriter{b: &want}.node(wrap(parsed), indent)
				stateWriter{b: &got, embedded: map[*schema.Node][][]byte{placeholder: pieces}}.node(wrap(placeholder), indent)
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Fatalf("%s in %d pieces at indent %q: the embedded template differs from the parsed one", file, len(pieces), indent)
				}
			}
		}
	}
}

// inPieces cuts text into pieces of size bytes (the last one shorter), as
// the template encoder hands a large template over.
func inPieces(text []byte, size int) [][]byte {
	var out [][]byte
	for len(text) > size {
		out = append(out, text[:size])
		text = text[size:]
	}
	return append(out, text)
}

func wrap(n *schema.Node) *schema.Node {
	return schema.NewMap(n.Pos, schema.Pair{Key: "compiledCloudFormationTemplate", Value: n})
}

func TestEmbedJSONRejectsWhatIsNoObject(t *testing.T) {
	for _, text := range []string{"", "\n", "{\"a\": ", "[]\n", "Resources: {}\n"} {
		if _, err := embedJSON(inPieces([]byte(text), 2)); err == nil {
			t.Errorf("%q: no error", text)
		}
	}
}
