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
//
// They compile in plugin mode: from about 120 machines the template is
// over CloudFormation's quotas (500 resources, 1 MB), which the default
// mode refuses and plugin mode only warns about, writing the template as
// sls package does.

var scaleSizes = []int{1, 100, 500, 2000}

func scaleLoad(n int) schema.LoadOptions {
	config := benchservice.Config(n)
	return schema.LoadOptions{ConfigPath: "serverless.yml", Stage: "dev",
		ReadFile: func(string) ([]byte, error) { return config, nil }}
}

var scaleOptions = compiler.Options{Mode: compiler.Plugin}

// scaleRun runs, for each size, the operation setup returns.
func scaleRun(b *testing.B, setup func(b *testing.B, n int) func(b *testing.B)) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			op := setup(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			start := processCPU()
			for i := 0; i < b.N; i++ {
				op(b)
			}
			// On a shared machine wall time swings with the neighbours'
			// load; CPU time (garbage collection included) much less.
			if used := processCPU() - start; used > 0 {
				b.ReportMetric(float64(used)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// BenchmarkScaleFloor is what any tool must do at least: parse the YAML
// and write the JSON (the output template as generic values).
func BenchmarkScaleFloor(b *testing.B) {
	scaleRun(b, func(b *testing.B, n int) func(b *testing.B) {
		config := benchservice.Config(n)
		out, _, d := compiler.Build(scaleLoad(n), scaleOptions, compiler.JSON)
		if d.HasErrors() {
			b.Fatal(d.Err())
		}
		tpl, err := cfn.Unmarshal(out)
		if err != nil {
			b.Fatal(err)
		}
		return func(b *testing.B) {
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
	scaleRun(b, func(b *testing.B, n int) func(b *testing.B) {
		load := scaleLoad(n)
		return func(b *testing.B) {
			if _, _, d := schema.Load(load); d.HasErrors() {
				b.Fatal(d.Err())
			}
		}
	})
}

func BenchmarkScaleCompile(b *testing.B) {
	scaleRun(b, func(b *testing.B, n int) func(b *testing.B) {
		svc, _, d := schema.Load(scaleLoad(n))
		if d.HasErrors() {
			b.Fatal(d.Err())
		}
		return func(b *testing.B) {
			if _, d := compiler.Compile(svc, scaleOptions); d.HasErrors() {
				b.Fatal(d.Err())
			}
		}
	})
}

func BenchmarkScaleEncode(b *testing.B) {
	scaleRun(b, func(b *testing.B, n int) func(b *testing.B) {
		svc, _, _ := schema.Load(scaleLoad(n))
		doc, d := compiler.Compile(svc, scaleOptions)
		if d.HasErrors() {
			b.Fatal(d.Err())
		}
		return func(b *testing.B) {
			if _, err := compiler.Render(doc, compiler.JSON); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScaleBuild is one whole `stepform compile` minus process
// start-up and file reading.
func BenchmarkScaleBuild(b *testing.B) {
	scaleRun(b, func(b *testing.B, n int) func(b *testing.B) {
		load := scaleLoad(n)
		return func(b *testing.B) {
			if _, _, d := compiler.Build(load, scaleOptions, compiler.JSON); d.HasErrors() {
				b.Fatal(d.Err())
			}
		}
	})
}

// TestScaleServiceCompiles keeps the generated service free of
// diagnostics below the quotas, so that the benchmarks measure the plain
// path.
func TestScaleServiceCompiles(t *testing.T) {
	out, _, d := compiler.Build(scaleLoad(3), scaleOptions, compiler.JSON)
	if len(d) > 0 || len(out) == 0 {
		t.Fatalf("generated service: %d diagnostics: %v", len(d), d)
	}
}
