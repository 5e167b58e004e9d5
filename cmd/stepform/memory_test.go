package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// restoreGC puts the test process's collector settings back.
func restoreGC(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

// settings returns the collector's GOGC and memory limit.
func settings() (int, int64) {
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

func TestTuneMemorySetsGOGCAndLimit(t *testing.T) {
	restoreGC(t)
	if !tuneMemory(func(string) string { return "" }) {
		t.Fatal("not applied with neither GOGC nor GOMEMLIMIT set")
	}
	if percent, limit := settings(); percent != gcPercent || limit != memoryLimit {
		t.Errorf("GOGC %d, limit %d; want %d and %d", percent, limit, gcPercent, memoryLimit)
	}
}

func TestTuneMemoryLeavesTheEnvironmentsSettings(t *testing.T) {
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		restoreGC(t)
		env := map[string]string{name: "50"}
		if tuneMemory(func(k string) string { return env[k] }) {
			t.Errorf("applied although %s is set", name)
		}
		if percent, limit := settings(); percent != 100 || limit != math.MaxInt64 {
			t.Errorf("with %s set: GOGC %d, limit %d changed", name, percent, limit)
		}
	}
}

func TestRelaxIfLargeRestoresDefaultsAboveTheThreshold(t *testing.T) {
	restoreGC(t)
	tuneMemory(func(string) string { return "" })
	if !relaxIfLarge(relaxAbove) {
		t.Error("stopped watching at the threshold")
	}
	if percent, limit := settings(); percent != gcPercent || limit != memoryLimit {
		t.Errorf("at the threshold: GOGC %d, limit %d; want them unchanged", percent, limit)
	}
	if relaxIfLarge(relaxAbove + 1) {
		t.Error("still watching above the threshold")
	}
	if percent, limit := settings(); percent != 100 || limit != math.MaxInt64 {
		t.Errorf("above the threshold: GOGC %d, limit %d; want Go's defaults", percent, limit)
	}
}

// TestWatchCollectionsSeesEveryCollection: the callback runs after each
// collection, with the live heap, until it returns false.
func TestWatchCollectionsSeesEveryCollection(t *testing.T) {
	calls := make(chan uint64, 16)
	n := 0 // only the finalizer goroutine touches it
	watchCollections(func(live uint64) bool {
		n++
		calls <- live
		return n < 3
	})
	var seen []uint64
	deadline := time.Now().Add(10 * time.Second)
	for len(seen) < 3 && time.Now().Before(deadline) {
		runtime.GC()
		select {
		case live := <-calls:
			seen = append(seen, live)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if len(seen) != 3 {
		t.Fatalf("called after %d collections, want 3", len(seen))
	}
	for _, live := range seen {
		if live == 0 {
			t.Errorf("live heap 0 bytes: %v", seen)
		}
	}
	for range 3 {
		runtime.GC()
	}
	time.Sleep(20 * time.Millisecond)
	if len(calls) != 0 {
		t.Errorf("called again after returning false")
	}
}
