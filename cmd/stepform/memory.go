package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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
	watchCollections(relaxIfLarge)
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
// collection, for as long as it returns true. The finalizer of an
// unreachable object runs after the collection that found it unreachable;
// setting it again makes the object wait for the next one. The live heap
// is what the collection marked (runtime/metrics): runtime.MemStats'
// HeapAlloc, read then, still counts the garbage not yet swept, and
// overstated a 2,000-machine service's 42 MiB as more than relaxAbove.
func watchCollections(after func(live uint64) bool) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var finalize func(*collectionWatch)
	finalize = func(w *collectionWatch) {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 && !after(sample[0].Value.Uint64()) {
			return
		}
		runtime.SetFinalizer(w, finalize)
	}
	runtime.SetFinalizer(&collectionWatch{}, finalize)
}
