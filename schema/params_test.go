package schema

import "testing"

// ${param:X} reads --param first, then params.<stage>, then params.default.
func TestParamSources(t *testing.T) {
	src := `service: s
provider: {name: aws, stage: prod}
params:
  prod: {a: from-stage, n: null}
  default: {a: from-default, b: from-default, n: fallback}
custom:
  a: ${param:a}
  b: ${param:b}
  c: ${param:c}
  n: ${param:n}
`
	root, d := ParseYAML("serverless.yml", []byte(src))
	if d.HasErrors() {
		t.Fatal(d.Err())
	}
	out, d := ResolveVariables(root, "serverless.yml", Variables{Params: map[string]string{"c": "from-cli  "}}, map[string][]byte{})
	if d.HasErrors() {
		t.Fatal(d.Err())
	}
	for key, want := range map[string]string{"a": "from-stage", "b": "from-default", "c": "from-cli", "n": "fallback"} {
		if got := out.Path("custom." + key); got == nil || got.Value != want {
			t.Errorf("custom.%s = %v, want %q", key, got, want)
		}
	}
}
