// Package graph draws Amazon States Language state machines as Mermaid
// flowcharts or Graphviz DOT digraphs.
//
// It works on the definition as stepform reads it (a *schema.Node tree),
// so a machine can be drawn without compiling the service, and it draws
// what is there even when the definition is invalid: a transition to a
// state that does not exist leads to a node marked "missing".
//
// Every state is a node; Next, Default and Choice transitions are solid
// edges (Choice edges labelled with their rule), Catch transitions dashed
// edges labelled with their errors, Retry one dashed loop labelled with
// each retrier's errors and attempts. Each scope (the machine, a Parallel branch, a
// Map's item processor) has its own start and end node; Parallel and Map
// states are subgraphs that hold the state's node and its scopes. Node IDs
// are derived from state names, sanitised and made unique, so the output
// is the same for the same definition.
package graph

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Format is an output syntax.
type Format string

const (
	Mermaid Format = "mermaid"
	DOT     Format = "dot"
)

// Machine is one state machine to draw.
type Machine struct {
	// Name labels the machine when several are drawn together.
	Name       string
	Definition *schema.Node
}

// Render draws machines in format. One machine is the whole diagram;
// several are one diagram with a subgraph per machine, so the output is
// always a single valid document.
func Render(machines []Machine, format Format) ([]byte, error) {
	var graphs []*graph
	ids := newIDs()
	for _, m := range machines {
		g := &graph{name: m.Name, ids: ids}
		label := m.Name
		if label == "" {
			label = "machine"
		}
		g.root = g.scope(m.Definition, label, 0)
		graphs = append(graphs, g)
	}
	var b strings.Builder
	switch format {
	case Mermaid:
		writeMermaid(&b, graphs)
	case DOT:
		writeDOT(&b, graphs)
	default:
		return nil, fmt.Errorf("unknown graph format %q: mermaid or dot", format)
	}
	return []byte(b.String()), nil
}

// edgeKind says how a transition is drawn.
type edgeKind uint8

const (
	nextEdge  edgeKind = iota // Next, Default, Choice: solid
	catchEdge                 // Catch: dashed
	retryEdge                 // Retry: dashed loop
	childEdge                 // from a Parallel or Map state into its scopes: dotted, no arrow semantics
)

type edge struct {
	from, to string
	label    string
	kind     edgeKind
}

// node is one drawn node: a state, or a scope's start or end.
type node struct {
	id, label string
	shape     shape
}

type shape uint8

const (
	taskShape shape = iota
	choiceShape
	passShape // Pass and Wait
	succeedShape
	failShape
	startShape
	endShape
	missingShape
)

// scope is a States block: the machine, a Parallel branch or a Map's
// item processor.
type scope struct {
	id, label string
	// items are the scope's contents in source order: *node for simple
	// states and the scope's start and end, *compound for Parallel and Map.
	items []any
	edges []edge
}

// compound is a Parallel or Map state: its node and its scopes, drawn as a
// subgraph.
type compound struct {
	id, label string
	state     *node
	children  []*scope
}

type graph struct {
	name string
	root *scope
	ids  *ids
}

// scope builds the scope of a States block. prefix makes the start and end
// IDs of nested scopes unique and readable.
func (g *graph) scope(def *schema.Node, label string, depth int) *scope {
	s := &scope{id: g.ids.make("scope_" + label), label: label}
	start := &node{id: g.ids.make("start_" + label), label: "start", shape: startShape}
	s.items = append(s.items, start)
	states := def.Get("States")
	// Names first, so that transitions to later states find their IDs.
	stateIDs := map[string]string{}
	if states != nil && states.Kind == schema.Map {
		for _, p := range states.Pairs {
			if _, dup := stateIDs[p.Key]; !dup {
				stateIDs[p.Key] = g.ids.make("s_" + p.Key)
			}
		}
	}
	var end *node
	endID := func() string {
		if end == nil {
			end = &node{id: g.ids.make("end_" + label), label: "end", shape: endShape}
		}
		return end.id
	}
	missing := map[string]string{}
	target := func(name string) string {
		if id, ok := stateIDs[name]; ok {
			return id
		}
		if id, ok := missing[name]; ok {
			return id
		}
		id := g.ids.make("missing_" + name)
		missing[name] = id
		s.items = append(s.items, &node{id: id, label: name + "\n(missing)", shape: missingShape})
		return id
	}
	if startAt := def.Get("StartAt"); startAt != nil && startAt.Kind == schema.String {
		s.edges = append(s.edges, edge{from: start.id, to: target(startAt.Value), kind: nextEdge})
	}
	seen := map[string]bool{}
	for _, p := range pairs(states) {
		if seen[p.Key] {
			continue
		}
		seen[p.Key] = true
		id := stateIDs[p.Key]
		st := p.Value
		typ := stringOf(st.Get("Type"))
		n := &node{id: id, label: p.Key, shape: shapeOf(typ)}
		switch typ {
		case "Parallel", "Map":
			c := &compound{id: g.ids.make("group_" + p.Key), label: p.Key + " (" + typ + ")", state: n}
			for i, child := range subScopes(st, typ) {
				childLabel := child.label
				if typ == "Parallel" {
					childLabel = fmt.Sprintf("branch %d", i+1)
				}
				cs := g.scope(child.def, p.Key+" "+childLabel, depth+1)
				cs.label = childLabel
				c.children = append(c.children, cs)
				s.edges = append(s.edges, edge{from: id, to: cs.items[0].(*node).id, kind: childEdge})
			}
			s.items = append(s.items, c)
		default:
			s.items = append(s.items, n)
		}
		switch typ {
		case "Choice":
			for _, rule := range items(st.Get("Choices")) {
				if next := rule.Get("Next"); next != nil && next.Kind == schema.String {
					s.edges = append(s.edges, edge{from: id, to: target(next.Value), label: ruleText(rule, 0), kind: nextEdge})
				}
			}
			if d := st.Get("Default"); d != nil && d.Kind == schema.String {
				s.edges = append(s.edges, edge{from: id, to: target(d.Value), label: "default", kind: nextEdge})
			}
		case "Succeed", "Fail":
			s.edges = append(s.edges, edge{from: id, to: endID(), kind: nextEdge})
		}
		if next := st.Get("Next"); next != nil && next.Kind == schema.String && typ != "Choice" {
			s.edges = append(s.edges, edge{from: id, to: target(next.Value), kind: nextEdge})
		}
		if st.Get("End").Truthy() {
			s.edges = append(s.edges, edge{from: id, to: endID(), kind: nextEdge})
		}
		// One loop for all retriers, a line each: several loops on one
		// node overlap.
		var retries []string
		for _, r := range items(st.Get("Retry")) {
			retries = append(retries, retryText(r))
		}
		if len(retries) > 0 {
			s.edges = append(s.edges, edge{from: id, to: id, label: strings.Join(retries, "\n"), kind: retryEdge})
		}
		for _, c := range items(st.Get("Catch")) {
			if next := c.Get("Next"); next != nil && next.Kind == schema.String {
				s.edges = append(s.edges, edge{from: id, to: target(next.Value), label: "catch " + errorList(c.Get("ErrorEquals")), kind: catchEdge})
			}
		}
	}
	if end != nil {
		s.items = append(s.items, end)
	}
	return s
}

// child is one nested States block of a Parallel or Map state.
type child struct {
	label string
	def   *schema.Node
}

func subScopes(st *schema.Node, typ string) []child {
	if typ == "Parallel" {
		var out []child
		for _, b := range items(st.Get("Branches")) {
			out = append(out, child{def: b})
		}
		return out
	}
	for _, field := range []string{"ItemProcessor", "Iterator"} {
		if p := st.Get(field); p != nil && p.Kind == schema.Map {
			return []child{{label: field, def: p}}
		}
	}
	return nil
}

func shapeOf(typ string) shape {
	switch typ {
	case "Choice":
		return choiceShape
	case "Pass", "Wait":
		return passShape
	case "Succeed":
		return succeedShape
	case "Fail":
		return failShape
	}
	return taskShape
}

func retryText(r *schema.Node) string {
	attempts := "3"
	if n := r.Get("MaxAttempts"); n != nil && n.Kind == schema.Number {
		attempts = n.Value
	}
	return "retry " + errorList(r.Get("ErrorEquals")) + " x" + attempts
}

// errorList writes ErrorEquals as "A, B".
func errorList(n *schema.Node) string {
	var names []string
	for _, e := range items(n) {
		names = append(names, scalarText(e))
	}
	if len(names) == 0 {
		return "(no errors)"
	}
	return strings.Join(names, ", ")
}

// items is a List node's items; nil for anything else.
func items(n *schema.Node) []*schema.Node {
	if n == nil || n.Kind != schema.List {
		return nil
	}
	return n.Items
}

// pairs is a Map node's pairs; nil for anything else.
func pairs(n *schema.Node) []schema.Pair {
	if n == nil || n.Kind != schema.Map {
		return nil
	}
	return n.Pairs
}

func stringOf(n *schema.Node) string {
	if n == nil || n.Kind != schema.String {
		return ""
	}
	return n.Value
}

// ids hands out node IDs: the name's letters, digits and underscores
// (anything else becomes "_"), with a number appended when taken.
type ids struct{ used map[string]bool }

// mermaidKeywords cannot be node IDs in a Mermaid flowchart.
var mermaidKeywords = map[string]bool{
	"end": true, "graph": true, "flowchart": true, "subgraph": true, "style": true, "class": true,
	"classdef": true, "click": true, "linkstyle": true, "direction": true, "call": true, "href": true,
	"default": true, "interpolate": true, "acctitle": true, "accdescr": true,
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

func (g *ids) make(base string) string {
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 60 {
			break
		}
	}
	stem := strings.TrimRight(b.String(), "_")
	if stem == "" || mermaidKeywords[strings.ToLower(stem)] {
		stem = "n_" + stem
	}
	id := stem
	for i := 2; g.used[id]; i++ {
		id = fmt.Sprintf("%s_%d", stem, i)
	}
	g.used[id] = true
	return id
}

// Definition returns a machine's definition as a tree: the definition
// itself, or the JSON object a string definition holds (nil when the
// machine has none). A string that is not a JSON object is an error, as
// the compiler reports it.
func Definition(m *schema.StateMachine) (*schema.Node, diag.List) {
	def := m.Definition
	if def == nil || def.Kind != schema.String {
		return def, nil
	}
	parsed, diags := schema.ParseJSON(def.Pos.File, []byte(def.Value))
	if diags.HasErrors() || parsed == nil || parsed.Kind != schema.Map {
		problem := "It holds no object."
		if diags.HasErrors() {
			problem = fmt.Sprintf("At line %d, column %d of the string: %s", diags[0].Pos.Line, diags[0].Pos.Col, strings.TrimSuffix(diags[0].Detail, " Fix the JSON syntax here."))
		}
		var out diag.List
		out.Errorf(def.Pos, "definition string is not a JSON object",
			"%s A string definition must hold the state machine as JSON ({\"StartAt\": ..., \"States\": {...}}). Write it as YAML under definition: instead.", problem)
		return nil, out
	}
	return parsed, nil
}
