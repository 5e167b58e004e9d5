package main

import (
	"math"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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
	watchCollections(100, func(live uint64) bool {
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

// TestLiveHeapIsTheRuntimesLiveHeap: the live heap read back from the
// heap goal is the runtime's own count (runtime/metrics, which the
// binary does not import), overstated by at most a megabyte, whether the
// memory limit caps the goal or not, and the limit is left as it was. It
// runs in a process of its own: the watchers other tests armed would
// change the settings under it.
func TestLiveHeapIsTheRuntimesLiveHeap(t *testing.T) {
	if os.Getenv("STEPFORM_TEST_LIVE_HEAP") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLiveHeapIsTheRuntimesLiveHeap$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STEPFORM_TEST_LIVE_HEAP=1", "GOGC=", "GOMEMLIMIT=")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	restoreGC(t)
	// tuneMemory's settings, without its watcher, which would relax them.
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memoryLimit)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var keep [][]byte
	for _, mib := range []int{4, 20, 40, 60} {
		for len(keep) < mib {
			keep = append(keep, make([]byte, 1<<20))
		}
		runtime.GC()
		metrics.Read(sample)
		want := sample[0].Value.Uint64()
		got := liveHeap(gcPercent)
		if got < want || got > want+1<<20 {
			t.Errorf("with %d MiB kept: liveHeap %d, the runtime counts %d live", mib, got, want)
		}
		if _, limit := settings(); limit != memoryLimit {
			t.Errorf("with %d MiB kept: the limit is %d after the reading, want %d", mib, limit, memoryLimit)
		}
	}
	runtime.KeepAlive(keep)
}
