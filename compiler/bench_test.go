package compiler_test

import (
	"os"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/schema"
)

// The benchmarks measure each stage on the shipped example service:
// load (parse, resolve, decode), compile, encode, and all of them.

const exampleConfig = "../examples/sync-api/serverless.yml"

func exampleLoad() schema.LoadOptions {
	return schema.LoadOptions{ConfigPath: exampleConfig, Stage: "dev", ReadFile: os.ReadFile}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, d := schema.Load(exampleLoad()); d.HasErrors() {
			b.Fatal(d.Err())
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	svc, _, d := schema.Load(exampleLoad())
	if d.HasErrors() {
		b.Fatal(d.Err())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, d := compiler.Compile(svc, compiler.Options{}); d.HasErrors() {
			b.Fatal(d.Err())
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	svc, _, _ := schema.Load(exampleLoad())
	doc, d := compiler.Compile(svc, compiler.Options{})
	if d.HasErrors() {
		b.Fatal(d.Err())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := compiler.Render(doc, compiler.JSON); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild is one whole `stepform compile` minus process start-up.
func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, d := compiler.Build(exampleLoad(), compiler.Options{}, compiler.JSON); d.HasErrors() {
			b.Fatal(d.Err())
		}
	}
}
