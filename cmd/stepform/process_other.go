//go:build !unix

package main

// processExists cannot tell here, so only their age makes temporary
// files stale.
func processExists(int) bool { return true }
