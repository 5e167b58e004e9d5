// Package jsvalue reads and builds schema nodes as the plugin's JavaScript
// sees them: String(v), JSON.stringify, the order in which objects
// enumerate their keys, and ordered object literals (the plugin hashes
// JSON.stringify output, so key order is part of a resource's identity).
// It also turns nodes into the plain values a template holds.
//
// It knows nothing of the modes or of CloudFormation: every function is a
// pure function of its arguments.
package jsvalue
