package schema

import (
	"os"
	"testing"
)

const exampleConfig = "../examples/sync-api/serverless.yml"

func BenchmarkParseYAML(b *testing.B) {
	data, err := os.ReadFile(exampleConfig)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, d := ParseYAML("serverless.yml", data); d.HasErrors() {
			b.Fatal(d.Err())
		}
	}
}

func BenchmarkResolveVariables(b *testing.B) {
	data, _ := os.ReadFile(exampleConfig)
	root, _ := ParseYAML(exampleConfig, data)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, d := ResolveVariables(root, exampleConfig, Variables{Options: map[string]string{"stage": "dev"}, ReadFile: os.ReadFile}, map[string][]byte{}); d.HasErrors() {
			b.Fatal(d.Err())
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	data, _ := os.ReadFile(exampleConfig)
	root, _ := ParseYAML(exampleConfig, data)
	resolved, _ := ResolveVariables(root, exampleConfig, Variables{Options: map[string]string{"stage": "dev"}, ReadFile: os.ReadFile}, map[string][]byte{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, d := Decode(resolved, "dev", ""); d.HasErrors() {
			b.Fatal(d.Err())
		}
	}
}
