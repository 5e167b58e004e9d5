package schema

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stepform/stepform/schema/diag"
)

// Compat says which mode a decoder reports for. Some input the plugin
// compiles (or skips) is an error in the default mode and a warning under
// --compat plugin; the decoders that read such input take a Compat.
type Compat uint8

const (
	// CompatDefault is stepform's own mode.
	CompatDefault Compat = iota
	// CompatPlugin reproduces serverless-step-functions, quirks included.
	CompatPlugin
)

// findings collects the diagnostics of one decoder run.
type findings struct {
	compat Compat
	diags  diag.List
}

func (f *findings) plugin() bool { return f.compat == CompatPlugin }

// strictf reports input the plugin lets through: an error in the default
// mode, a warning in plugin mode.
func (f *findings) strictf(pos diag.Pos, summary, detail string, args ...any) {
	if f.plugin() {
		f.diags.Warnf(pos, summary, detail, args...)
	} else {
		f.diags.Errorf(pos, summary, detail, args...)
	}
}

// pluginCrash reports input on which the plugin itself throws a
// JavaScript error, so it produces no template.
func (f *findings) pluginCrash(pos diag.Pos, jsError, key, fix string) {
	f.diags.Errorf(pos, "the plugin crashes on this "+key,
		"serverless-step-functions fails with %q here and produces no template. %s", jsError, fix)
}

// blockCheck collects the ways an alarms or notifications block breaks
// the plugin's Joi schema. The plugin logs the first and drops the whole
// block; the default mode reports each as an error.
type blockCheck struct {
	what     string // "alarms" or "notifications"
	problems []blockProblem
}

type blockProblem struct {
	pos             diag.Pos
	summary, detail string
}

func (k *blockCheck) add(pos diag.Pos, summary, detail string, args ...any) {
	k.problems = append(k.problems, blockProblem{pos, summary, fmt.Sprintf(detail, args...)})
}

// keys reports the keys of a map that are not allowed.
func (k *blockCheck) keys(n *Node, where string, allowed []string) {
	for _, p := range n.Pairs {
		if !contains(allowed, p.Key) {
			k.add(p.KeyPos, fmt.Sprintf("unknown key %q in %s", p.Key, where),
				"Allowed keys in %s: %s.%s", where, strings.Join(allowed, ", "), diag.DidYouMean(p.Key, allowed))
		}
	}
}

// str checks a Joi.string(): a non-empty string.
func (k *blockCheck) str(n *Node, where string) bool {
	if n.Kind != String || n.Value == "" {
		k.add(n.Pos, where+" must be a non-empty string", "Got %s.", describeBrief(n))
		return false
	}
	return true
}

// positiveInt checks Joi.number().integer().min(1), which also takes a
// numeric string.
func (k *blockCheck) positiveInt(n *Node, where string) {
	f, ok := n.Num, n.Kind == Number
	if n.Kind == String {
		v, err := strconv.ParseFloat(strings.TrimSpace(n.Value), 64)
		f, ok = v, err == nil && strings.TrimSpace(n.Value) != ""
	}
	if !ok || f < 1 || f != float64(int64(f)) {
		k.add(n.Pos, where+" must be a whole number of seconds, at least 1", "Got %s.", describeBrief(n))
	}
}

// arn checks the plugin's arn schema: a non-empty string or one of the
// intrinsic functions it lists (extra lists Fn::ImportValue and Fn::Sub,
// which alarms take and notifications do not).
func (k *blockCheck) arn(n *Node, where string, extra bool) {
	if n.Kind == String && n.Value != "" {
		return
	}
	forms := "a string, Ref, Fn::GetAtt or Fn::Join"
	if extra {
		forms = "a string, Ref, Fn::GetAtt, Fn::ImportValue, Fn::Join or Fn::Sub"
	}
	bad := func() { k.add(n.Pos, where+" is not an ARN", "It takes %s; got %s.", forms, describeBrief(n)) }
	if n.Kind != Map {
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
		ok = isNonEmptyString(v)
	case "Fn::GetAtt":
		ok = v.Kind == List && allItems(v, isNonEmptyString)
	case "Fn::Join":
		ok = v.Kind == List && allItems(v, func(it *Node) bool {
			return isNonEmptyString(it) || it.Kind == List && allItems(it, func(x *Node) bool {
				if isNonEmptyString(x) {
					return true
				}
				r := x.Get("Ref")
				return x.Kind == Map && (len(x.Pairs) == 0 || len(x.Pairs) == 1 && r != nil && isNonEmptyString(r))
			})
		})
	case "Fn::ImportValue":
		ok = extra && (isNonEmptyString(v) || v.Kind == Map)
	case "Fn::Sub":
		ok = extra && (isNonEmptyString(v) || v.Kind == List && allItems(v, func(it *Node) bool {
			return isNonEmptyString(it) || it.Kind == Map
		}))
	}
	if !ok {
		bad()
	}
}

// report turns the problems into diagnostics: errors in the default mode;
// in plugin mode warnings, because the plugin only logs and skips the
// block. It reports whether the block is sound.
func (k *blockCheck) report(f *findings, machine string) bool {
	for _, p := range k.problems {
		if f.plugin() {
			f.diags.Warnf(p.pos, p.summary, "%s serverless-step-functions logs that the %s config of state machine %s is malformed and creates none of it.",
				p.detail, k.what, machine)
		} else {
			f.diags.Errorf(p.pos, p.summary, "%s", p.detail)
		}
	}
	return len(k.problems) == 0
}

func isNonEmptyString(n *Node) bool { return n.Kind == String && n.Value != "" }

func allItems(n *Node, f func(*Node) bool) bool {
	for _, it := range n.Items {
		if !f(it) {
			return false
		}
	}
	return true
}

// describeBrief names a value in the event, alarm and notification
// diagnostics: a string quoted in full, anything else by its type.
func describeBrief(n *Node) string {
	switch n.Kind {
	case String:
		if n.Value == "" {
			return "an empty string"
		}
		return fmt.Sprintf("%q", n.Value)
	case Map:
		return "an object"
	}
	return fmt.Sprintf("a %s", n.Kind)
}

// jsText is JavaScript's String(v): how the plugin turns a value into text.
func jsText(n *Node) string {
	if n == nil {
		return "undefined"
	}
	switch n.Kind {
	case Null:
		return "null"
	case Map:
		return "[object Object]"
	case List:
		parts := make([]string, len(n.Items))
		for i, it := range n.Items {
			if it.Kind != Null {
				parts[i] = jsText(it)
			}
		}
		return strings.Join(parts, ",")
	}
	return n.Value
}

// isObject is JavaScript's `v && typeof v === 'object'`.
func isObject(n *Node) bool { return n != nil && (n.Kind == Map || n.Kind == List) }

// keyPosIn returns the position of key in the map n, or n's position.
func keyPosIn(n *Node, key string) diag.Pos {
	if n != nil {
		if p := n.Pair(key); p != nil && p.KeyPos.IsValid() {
			return p.KeyPos
		}
		return n.Pos
	}
	return diag.Pos{}
}

// posOr returns the position of n, or fallback when n is nil.
func posOr(n *Node, fallback diag.Pos) diag.Pos {
	if n != nil && n.Pos.IsValid() {
		return n.Pos
	}
	return fallback
}

// nonNull is n, or nil for an absent or null value.
func nonNull(n *Node) *Node {
	if n == nil || n.Kind == Null {
		return nil
	}
	return n
}
