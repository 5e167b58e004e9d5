package compiler_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/internal/benchservice"
	"github.com/stepform/stepform/schema"
)

// The scale benchmarks run on a generated service of N state machines
// (see internal/benchservice) and compare stepform's stages with a floor:
// parsing the service text with yaml.v3 plus encoding/json of the output
// template. Whole-process figures: go run ./tools/benchservice.

var scaleSizes = []int{1, 100, 500, 2000}

func scaleLoad(n int) schema.LoadOptions {
	config := benchservice.Config(n)
	return schema.LoadOptions{ConfigPath: "serverless.yml", Stage: "dev",
		ReadFile: func(string) ([]byte, error) { return config, nil }}
}

// scaleTemplate returns the output template for n machines as generic
// values, the input of the floor's JSON encoding.
func scaleTemplate(b *testing.B, n int) any {
	out, _, d := compiler.Build(scaleLoad(n), compiler.Options{}, compiler.JSON)
	if d.HasErrors() {
		b.Fatal(d.Err())
	}
	v, err := cfn.Unmarshal(out)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

func scaleRun(b *testing.B, f func(b *testing.B, n int)) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			f(b, n)
		})
	}
}

// BenchmarkScaleFloor is what any tool must do at least: parse the YAML
// and write the JSON.
func BenchmarkScaleFloor(b *testing.B) {
	scaleRun(b, func(b *testing.B, n int) {
		config := benchservice.Config(n)
		tpl := scaleTemplate(b, n)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			var root yaml.Node
			if err := yaml.Unmarshal(config, &root); err != nil {
				b.Fatal(err)
			}
			if _, err := json.Marshal(tpl); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkScaleLoad(b *testing.B) {
	scaleRun(b, func(b *testing.B, n int) {
		load := scaleLoad(n)
		for i := 0; i < b.N; i++ {
			if _, _, d := schema.Load(load); d.HasErrors() {
				b.Fatal(d.Err())
			}
		}
	})
}

func BenchmarkScaleCompile(b *testing.B) {
	scaleRun(b, func(b *testing.B, n int) {
		svc, _, d := schema.Load(scaleLoad(n))
		if d.HasErrors() {
			b.Fatal(d.Err())
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, d := compiler.Compile(svc, compiler.Options{}); d.HasErrors() {
				b.Fatal(d.Err())
			}
		}
	})
}

func BenchmarkScaleEncode(b *testing.B) {
	scaleRun(b, func(b *testing.B, n int) {
		svc, _, _ := schema.Load(scaleLoad(n))
		doc, d := compiler.Compile(svc, compiler.Options{})
		if d.HasErrors() {
			b.Fatal(d.Err())
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := compiler.Render(doc, compiler.JSON); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScaleBuild is one whole `stepform compile` minus process
// start-up and file reading.
func BenchmarkScaleBuild(b *testing.B) {
	scaleRun(b, func(b *testing.B, n int) {
		load := scaleLoad(n)
		for i := 0; i < b.N; i++ {
			if _, _, d := compiler.Build(load, compiler.Options{}, compiler.JSON); d.HasErrors() {
				b.Fatal(d.Err())
			}
		}
	})
}

// TestScaleServiceCompiles keeps the generated service free of warnings,
// so the benchmarks measure the plain path.
func TestScaleServiceCompiles(t *testing.T) {
	out, _, d := compiler.Build(scaleLoad(3), compiler.Options{}, compiler.JSON)
	if len(d) > 0 || len(out) == 0 {
		t.Fatalf("generated service: %d diagnostics: %v", len(d), d)
	}
}
