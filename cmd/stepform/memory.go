package main

import (
	"math"
	"runtime"
	"runtime/debug"
)

// The garbage collector's settings for a run. stepform is a short process
// that allocates much and keeps little: under Go's default (collect
// whenever the heap has doubled since the last collection, the first time
// at 4 MiB) a 500-machine service is collected five or six times, and a
// 2,000-machine one peaks anywhere from 80 to 100 MiB resident, as its
// collections happen to fall. Instead the heap may triple between
// collections, up to a limit: a small service is never collected, a
// 500-machine one two or three times, a 2,000-machine one five times and
// never past the limit. (Measured with /usr/bin/time -v on the generated
// services: a fivefold growth saved no more time, and cost more near the
// limit.)
const (
	// gcPercent is GOGC: the heap grows to 3x what survived the last
	// collection (the first goal is 8 MiB) before the next.
	gcPercent = 200
	// memoryLimit is GOMEMLIMIT: near it the collector runs as often as
	// it must to stay below, so a 2,000-machine service peaks at 80-90
	// MiB resident.
	memoryLimit = 84 << 20
	// relaxAbove is the live heap past which the limit gives way: with
	// more live, staying under the limit would take a collection every
	// few megabytes allocated. The run then goes on under Go's defaults,
	// its memory growing with the service as it would without these
	// settings. It sits above what a 2,000-machine service keeps live
	// (up to 54 MiB): a lower one (52 MiB under an 80 MiB limit) gave way
	// in some runs and let those peak at 100-150 MiB.
	relaxAbove = 56 << 20
)

// tuneMemory applies the settings above unless GOGC or GOMEMLIMIT is set
// in the environment (getenv's), which then rule as usual. It reports
// whether it applied them.
func tuneMemory(getenv func(string) string) bool {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(memoryLimit)
	watchCollections(gcPercent, relaxIfLarge)
	return true
}

// relaxIfLarge is called after each collection with the bytes that
// survived it: above relaxAbove it restores Go's defaults (GOGC=100, no
// limit) and reports that there is nothing more to watch.
func relaxIfLarge(live uint64) (keepWatching bool) {
	if live <= relaxAbove {
		return true
	}
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)
	return false
}

// collectionWatch is an object that lives only until the next
// collection, when its finalizer runs; large enough to get its own heap
// slot (the runtime may never finalize a tiny allocation).
type collectionWatch struct{ _ [16]byte }

// watchCollections calls after(live heap bytes) once after every garbage
// collection, for as long as it returns true; percent is the GOGC in
// effect. The finalizer of an unreachable object runs after the
// collection that found it unreachable; setting it again makes the object
// wait for the next one.
func watchCollections(percent int, after func(live uint64) bool) {
	var finalize func(*collectionWatch)
	finalize = func(w *collectionWatch) {
		if !after(liveHeap(percent)) {
			return
		}
		runtime.SetFinalizer(w, finalize)
	}
	runtime.SetFinalizer(&collectionWatch{}, finalize)
}

// liveHeap is the bytes the last collection found live, read back from
// the heap goal it set: under GOGC=percent the goal is live + (live +
// stacks + globals) * percent/100, so this overstates live by the stacks
// and globals scanned (well under a megabyte here). The memory limit,
// which caps the goal once much is live, is lifted for the reading.
// runtime.MemStats' HeapAlloc will not do: read then, it still counts the
// garbage not yet swept, and overstated a 2,000-machine service's 42 MiB
// as more than relaxAbove. runtime/metrics' /gc/heap/live:bytes would,
// but importing the package costs every run a tenth of a millisecond of
// initialisation.
func liveHeap(percent int) uint64 {
	limit := debug.SetMemoryLimit(math.MaxInt64)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	debug.SetMemoryLimit(limit)
	return m.NextGC * 100 / uint64(100+percent)
}
