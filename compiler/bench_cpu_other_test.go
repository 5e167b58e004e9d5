//go:build !unix

package compiler_test

// processCPU is not measured here; the benchmarks then leave out cpu-ns/op.
func processCPU() int64 { return 0 }
