// Package joi checks a block of configuration against one of the plugin's
// Joi schemas (alarms, notifications). It collects every problem, then
// reports them as the mode says: errors in the default mode; in plugin
// mode warnings, because the plugin logs the first and drops the block.
package joi

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stepform/stepform/compiler/internal/emit"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// problem is one way an alarms or notifications block breaks the plugin's
// Joi schema. The plugin logs the first and drops the whole block; the
// default mode reports each as an error.
type problem struct {
	pos             diag.Pos
	summary, detail string
}

// Checker collects the problems of one block.
type Checker struct {
	What     string // "alarms" or "notifications"
	problems []problem
}

// Add records a problem.
func (k *Checker) Add(pos diag.Pos, summary, detail string, args ...any) {
	k.problems = append(k.problems, problem{pos, summary, fmt.Sprintf(detail, args...)})
}

// Keys reports the keys of a map that are not allowed.
func (k *Checker) Keys(n *schema.Node, where string, allowed []string) {
	for _, p := range n.Pairs {
		if !slices.Contains(allowed, p.Key) {
			k.Add(p.KeyPos, fmt.Sprintf("unknown key %q in %s", p.Key, where),
				"Allowed keys in %s: %s.%s", where, strings.Join(allowed, ", "), diag.DidYouMean(p.Key, allowed))
		}
	}
}

// Str checks a Joi.string(): a non-empty string.
func (k *Checker) Str(n *schema.Node, where string) bool {
	if n.Kind != schema.String || n.Value == "" {
		k.Add(n.Pos, where+" must be a non-empty string", "Got %s.", jsvalue.Describe(n))
		return false
	}
	return true
}

// PositiveInt checks Joi.number().integer().min(1), which also takes a
// numeric string.
func (k *Checker) PositiveInt(n *schema.Node, where string) {
	f := n.Num
	ok := n.Kind == schema.Number
	if n.Kind == schema.String {
		v, err := strconv.ParseFloat(strings.TrimSpace(n.Value), 64)
		f, ok = v, err == nil && strings.TrimSpace(n.Value) != ""
	}
	if !ok || f < 1 || f != float64(int64(f)) {
		k.Add(n.Pos, where+" must be a whole number of seconds, at least 1", "Got %s.", jsvalue.Describe(n))
	}
}

// Arn checks the plugin's arn schema: a non-empty string or one of the
// intrinsic functions it lists (extra lists Fn::ImportValue and Fn::Sub,
// which alarms take and notifications do not).
func (k *Checker) Arn(n *schema.Node, where string, extra bool) {
	if n.Kind == schema.String && n.Value != "" {
		return
	}
	forms := "a string, Ref, Fn::GetAtt or Fn::Join"
	if extra {
		forms = "a string, Ref, Fn::GetAtt, Fn::ImportValue, Fn::Join or Fn::Sub"
	}
	bad := func() { k.Add(n.Pos, where+" is not an ARN", "It takes %s; got %s.", forms, jsvalue.Describe(n)) }
	if n.Kind != schema.Map {
		bad()
		return
	}
	if len(n.Pairs) == 0 {
		return // Joi's {Ref?: string} takes an empty object
	}
	if len(n.Pairs) > 1 {
		bad()
		return
	}
	v := n.Pairs[0].Value
	ok := false
	switch n.Pairs[0].Key {
	case "Ref":
		ok = v.Kind == schema.String && v.Value != ""
	case "Fn::GetAtt":
		ok = v.Kind == schema.List && allItems(v, isNonEmptyString)
	case "Fn::Join":
		ok = v.Kind == schema.List && allItems(v, func(it *schema.Node) bool {
			return isNonEmptyString(it) || it.Kind == schema.List && allItems(it, func(x *schema.Node) bool {
				if isNonEmptyString(x) {
					return true
				}
				r := x.Get("Ref")
				return x.Kind == schema.Map && (len(x.Pairs) == 0 || len(x.Pairs) == 1 && r != nil && isNonEmptyString(r))
			})
		})
	case "Fn::ImportValue":
		ok = extra && (isNonEmptyString(v) || v.Kind == schema.Map)
	case "Fn::Sub":
		ok = extra && (isNonEmptyString(v) || v.Kind == schema.List && allItems(v, func(it *schema.Node) bool {
			return isNonEmptyString(it) || it.Kind == schema.Map
		}))
	}
	if !ok {
		bad()
	}
}

func isNonEmptyString(n *schema.Node) bool { return n.Kind == schema.String && n.Value != "" }

func allItems(n *schema.Node, f func(*schema.Node) bool) bool {
	for _, it := range n.Items {
		if !f(it) {
			return false
		}
	}
	return true
}

// Report turns the problems into diagnostics of the block of state machine
// m: errors in the default mode; in plugin mode (mode.Quirks.
// MalformedBlocksDropped) warnings, because the plugin only logs and skips
// the block. It reports whether the block is fine.
func (k *Checker) Report(ctx *emit.Context, m *schema.StateMachine) bool {
	if len(k.problems) == 0 {
		return true
	}
	for _, p := range k.problems {
		if ctx.Quirks.MalformedBlocksDropped {
			ctx.Diags.Warnf(p.pos, p.summary, "%s serverless-step-functions logs that the %s config of state machine %s is malformed and creates none of it.",
				p.detail, k.What, m.Key)
		} else {
			ctx.Diags.Errorf(p.pos, p.summary, "%s", p.detail)
		}
	}
	return false
}
