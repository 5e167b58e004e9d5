// Package asl validates an Amazon States Language definition
// (https://states-language.net) on its YAML tree, so that every problem
// points at the line and column it came from.
//
// It checks structure (StartAt, States, each state type's required and
// allowed fields, Next/End, transition targets in the same scope,
// reachability, terminal states), Retry and Catch, numeric ranges, Choice
// rules and their operand types, JSONPath paths and payload templates
// (intrinsic functions with their arity), and JSONata expressions.
//
// Each check knows who rejects what it finds: Step Functions at deploy
// time, asl-validator (which serverless-step-functions runs when
// stepFunctions.validate is true), or both. Options decide which of these
// are errors, which warnings and which are not reported.
package asl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Options says how strict Validate is.
type Options struct {
	// Strict is stepFunctions.validate: true. What asl-validator rejects
	// is an error, as the plugin throws on it.
	Strict bool
	// Plugin is --compat plugin: only what the plugin itself rejects is
	// an error; what Step Functions alone would reject is a warning.
	Plugin bool
	// BuildsRole says the plugin infers an execution role for this
	// machine (no role: given). Its role builder crashes on a Task without
	// Resource or a Map without processor, so those are errors in every
	// mode; with a role of one's own the plugin compiles them.
	BuildsRole bool
}

// class says who rejects a problem.
type class uint8

const (
	// both: Step Functions rejects it at deploy time, and so does
	// asl-validator.
	both class = iota
	// aws: Step Functions rejects it; asl-validator lets it through.
	aws
	// lint: asl-validator rejects it; Step Functions accepts it (or the
	// value is an intrinsic CloudFormation resolves before deploying).
	lint
	// advice: nobody rejects it, but it is most likely a mistake.
	advice
	// crash: Step Functions rejects it, and the plugin crashes on it when
	// it builds the execution role (Options.BuildsRole); otherwise aws.
	crash
)

// Validate checks def, a state machine definition, and returns every
// problem it finds.
func Validate(def *schema.Node, opts Options) diag.List {
	v := &validator{opts: opts, stateScope: map[string][]*scope{}, referenced: map[string]bool{}}
	if def == nil {
		return nil
	}
	if def.Kind == schema.String {
		if opts.Strict {
			v.report(lint, def.Pos, "definition is a string",
				"With validate: true the plugin runs asl-validator on the definition as written, and it rejects any string. Write the definition as YAML under definition:.")
		}
		return v.diags
	}
	lang := "JSONPath"
	if ql := def.Get("QueryLanguage"); ql != nil && ql.Kind == schema.String && ql.Value != "" {
		lang = ql.Value
	}
	v.defaultLang = lang
	collectReferences(def, v.referenced)
	top := v.machine(def, nil, topScope, "definition")
	if top != nil {
		v.crossScope()
	}
	v.awsWarnings(def)
	return v.diags
}

type validator struct {
	opts        Options
	diags       diag.List
	defaultLang string
	scopes      []*scope
	// stateScope maps a state name to every scope that defines it.
	stateScope map[string][]*scope
	// referenced holds every name used as StartAt, Next or Default
	// anywhere in the definition (asl-validator's reachability test).
	referenced map[string]bool
}

func (v *validator) report(c class, pos diag.Pos, summary, detail string, args ...any) {
	switch c {
	case advice:
		v.diags.Warnf(pos, summary, detail, args...)
	case lint:
		if v.opts.Strict {
			v.diags.Errorf(pos, summary, detail+" (asl-validator, which validate: true runs, rejects it.)", args...)
		}
	case aws:
		if v.opts.Plugin {
			v.diags.Warnf(pos, summary, detail+" (Step Functions rejects it at deploy time.)", args...)
		} else {
			v.diags.Errorf(pos, summary, detail, args...)
		}
	case crash:
		if v.opts.BuildsRole {
			v.diags.Errorf(pos, summary, detail, args...)
		} else {
			v.report(aws, pos, summary, detail, args...)
		}
	case both:
		if v.opts.Plugin && !v.opts.Strict {
			v.diags.Warnf(pos, summary, detail+" (Step Functions rejects it at deploy time.)", args...)
		} else {
			v.diags.Errorf(pos, summary, detail, args...)
		}
	}
}

type scopeKind uint8

const (
	topScope scopeKind = iota
	branchScope
	iteratorScope
	processorScope
)

// scope is one set of States: the machine's, a Parallel branch's, or a
// Map's processor.
type scope struct {
	kind scopeKind
	node *schema.Node
	// pairs are the States entries; index finds them by name in a large
	// scope (see find).
	pairs []schema.Pair
	index map[string]int
	order []string
	// edges are the transitions from each state, for reachability.
	edges map[string][]string
	start string
	// broken marks a scope with a transition to no state of its own,
	// where reachability says nothing useful.
	broken bool
}

func (s *scope) names() []string { return s.order }

// find returns the position of the state name in pairs, or -1. Most
// scopes hold a few states, which a scan finds faster than a map.
func (s *scope) find(name string) int {
	if s.index != nil {
		if i, ok := s.index[name]; ok {
			return i
		}
		return -1
	}
	for i := range s.pairs {
		if s.pairs[i].Key == name {
			return i
		}
	}
	return -1
}

func (s *scope) has(name string) bool { return s.find(name) >= 0 }

// keyPos is where the state name is defined.
func (s *scope) keyPos(name string) diag.Pos {
	if i := s.find(name); i >= 0 {
		return s.pairs[i].KeyPos
	}
	return diag.Pos{}
}

// scanLimit is the number of states up to which find scans.
const scanLimit = 16

// machine checks a {StartAt, States} object and every state in it.
func (v *validator) machine(n *schema.Node, parent *scope, kind scopeKind, what string) *scope {
	if n.IsIntrinsic() {
		return nil
	}
	if n.Kind != schema.Map {
		v.report(both, n.Pos, what+" must be an object", "Got %s. It needs StartAt and States.", kindOf(n))
		return nil
	}
	allowed := []string{"Comment", "StartAt", "States"}
	switch kind {
	case topScope:
		allowed = append(allowed, "Version", "TimeoutSeconds", "QueryLanguage")
	case branchScope:
		allowed = append(allowed, "Version", "TimeoutSeconds", "QueryLanguage")
	case processorScope:
		allowed = append(allowed, "ProcessorConfig")
	}
	for _, p := range n.Pairs {
		if contains(allowed, p.Key) {
			continue
		}
		c := both
		if kind == iteratorScope || kind == processorScope {
			c = aws
		}
		v.report(c, p.KeyPos, fmt.Sprintf("unknown field %q in %s", p.Key, what),
			"Allowed: %s.%s", strings.Join(allowed, ", "), diag.DidYouMean(p.Key, allowed))
	}
	if c := n.Get("Comment"); c != nil {
		v.wantString(both, c, "Comment")
	}
	if kind == topScope || kind == branchScope {
		if ver := n.Get("Version"); ver != nil {
			v.wantString(both, ver, "Version")
		}
		// asl-validator takes any whole number from 0; Step Functions wants
		// 1 to 99999999.
		if t := n.Get("TimeoutSeconds"); t != nil && v.integer(both, t, "TimeoutSeconds", 0, -1) && (t.Num == 0 || t.Num > 99999999) {
			v.report(aws, t.Pos, "TimeoutSeconds is out of range", "Got %s; it must be between 1 and 99999999. Leave TimeoutSeconds out for no timeout.", t.Value)
		}
		if ql := n.Get("QueryLanguage"); ql != nil {
			v.queryLanguage(ql)
		}
	}
	if kind == processorScope {
		if pc := n.Get("ProcessorConfig"); pc != nil {
			v.processorConfig(pc)
		}
	}
	s := &scope{kind: kind, node: n, edges: map[string][]string{}}
	states := n.Get("States")
	if states == nil {
		v.report(both, n.Pos, what+" has no States", "Add States: an object of named states.")
	} else if states.Kind != schema.Map {
		v.report(both, states.Pos, "States must be an object", "Got %s. Write each state as a named entry under States.", kindOf(states))
	} else {
		if len(states.Pairs) == 0 {
			v.report(aws, states.Pos, "States is empty", "A state machine needs at least one state.")
		}
		// Pairs never holds two equal keys.
		s.pairs = states.Pairs
		if len(s.pairs) > scanLimit {
			s.index = make(map[string]int, len(s.pairs))
		}
		s.order = make([]string, len(s.pairs))
		for i, p := range states.Pairs {
			if s.index != nil {
				s.index[p.Key] = i
			}
			s.order[i] = p.Key
			v.stateScope[p.Key] = append(v.stateScope[p.Key], s)
		}
	}
	v.scopes = append(v.scopes, s)
	start := n.Get("StartAt")
	switch {
	case start == nil:
		v.report(both, n.Pos, what+" has no StartAt", "Add StartAt: the name of the first state.%s", firstState(s))
	case start.Kind != schema.String:
		v.wantString(both, start, "StartAt")
	default:
		s.start = start.Value
		if states != nil && states.Kind == schema.Map {
			v.target(s, start, "StartAt", both)
		}
	}
	for _, p := range s.pairs {
		v.state(s, p.Key, p.Value)
	}
	v.reachability(s)
	return s
}

func firstState(s *scope) string {
	if len(s.order) > 0 {
		return fmt.Sprintf(" The first state listed is %q.", s.order[0])
	}
	return ""
}

// target checks that a StartAt, Next or Default value names a state of s.
func (v *validator) target(s *scope, n *schema.Node, field string, missing class) {
	if n.Kind != schema.String {
		return
	}
	name := n.Value
	if s.has(name) {
		return
	}
	s.broken = true
	if others := v.stateScope[name]; len(others) > 0 {
		c := aws
		if s.kind == branchScope || s.kind == iteratorScope {
			c = both
		}
		v.report(c, n.Pos, fmt.Sprintf("%s %q is in another scope", field, name),
			"A state can only go to states of its own States block; %q belongs to a different branch, processor or the outer machine.", name)
		return
	}
	v.report(missing, n.Pos, fmt.Sprintf("%s names no state %q", field, name),
		"No state of this States block is called %q.%s", name, diag.DidYouMean(name, s.names()))
}

// reachability warns about states no transition reaches, and checks that
// the scope has a terminal state reachable from StartAt.
func (v *validator) reachability(s *scope) {
	if len(s.order) == 0 {
		return
	}
	terminal := map[string]bool{}
	for _, p := range s.pairs {
		name, st := p.Key, p.Value
		typ := stringValue(st.Get("Type"))
		if typ == "Succeed" || typ == "Fail" || st.Get("End").Truthy() {
			terminal[name] = true
		}
	}
	if len(terminal) == 0 {
		v.report(both, s.node.Get("States").Pos, "no terminal state",
			"None of these states ends the execution: add End: true to the last state, or a Succeed or Fail state.")
	}
	if !s.has(s.start) {
		return
	}
	seen := map[string]bool{s.start: true}
	queue := []string{s.start}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, next := range s.edges[cur] {
			if !seen[next] && s.has(next) {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	reachesEnd := false
	for name := range terminal {
		if seen[name] {
			reachesEnd = true
		}
	}
	if len(terminal) > 0 && !reachesEnd && !s.broken {
		v.report(advice, s.node.Get("StartAt").Pos, "no terminal state is reachable from StartAt",
			"Every path from %q loops forever; give one of the states it reaches End: true, or add a Succeed or Fail state.", s.start)
	}
	for _, name := range s.order {
		if seen[name] {
			continue
		}
		if !v.referenced[name] && v.opts.Strict {
			v.report(lint, s.keyPos(name), fmt.Sprintf("state %q is unreachable", name),
				"No StartAt, Next, Default or Catch names it. Remove it or point a transition at it.")
			continue
		}
		v.report(advice, s.keyPos(name), fmt.Sprintf("state %q is unreachable", name),
			"No path from %q leads to it. Remove it or point a transition at it.", s.start)
	}
}

// crossScope runs the checks that look at every scope at once.
func (v *validator) crossScope() {
	names := make([]string, 0, len(v.stateScope))
	for name := range v.stateScope {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		scopes := v.stateScope[name]
		if len(scopes) < 2 {
			continue
		}
		for _, s := range scopes[1:] {
			v.report(both, s.keyPos(name), fmt.Sprintf("duplicate state name %q", name),
				"State names must be unique in the whole state machine, Parallel branches and Map processors included. Rename one of them.")
		}
	}
}

// collectReferences records every string value of a StartAt, Next or
// Default key anywhere in n, as asl-validator's $..[StartAt,Next,Default].
func collectReferences(n *schema.Node, out map[string]bool) {
	switch n.Kind {
	case schema.Map:
		for _, p := range n.Pairs {
			if (p.Key == "StartAt" || p.Key == "Next" || p.Key == "Default") && p.Value.Kind == schema.String {
				out[p.Value.Value] = true
			}
			collectReferences(p.Value, out)
		}
	case schema.List:
		for _, it := range n.Items {
			collectReferences(it, out)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func stringValue(n *schema.Node) string {
	if n == nil || n.Kind != schema.String {
		return ""
	}
	return n.Value
}

func kindOf(n *schema.Node) string {
	if n.IsIntrinsic() {
		return "a CloudFormation intrinsic function"
	}
	switch n.Kind {
	case schema.Map:
		return "an object"
	case schema.List:
		return "a list"
	case schema.Null:
		return "null"
	}
	return fmt.Sprintf("a %s (%s)", n.Kind, shorten(n.Value))
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}
