package compiler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// This file holds what schedules, event rules, alarms and notifications
// share: ordered value builders (the plugin hashes JSON.stringify output,
// so key order matters), lodash-style merging into the template, and the
// reading of the plugin's JSON text templates.

// obj builds an ordered map node from key, value pairs. A value is a
// *schema.Node, a string or an int; a nil node is skipped, as JavaScript
// drops undefined properties.
func obj(kv ...any) *schema.Node {
	n := &schema.Node{Kind: schema.Map}
	for i := 0; i+1 < len(kv); i += 2 {
		v := val(kv[i+1])
		if v == nil {
			continue
		}
		n.Pairs = append(n.Pairs, schema.Pair{Key: kv[i].(string), Value: v})
	}
	return n
}

// arr builds a list node.
func arr(items ...any) *schema.Node {
	n := &schema.Node{Kind: schema.List, Items: []*schema.Node{}}
	for _, it := range items {
		n.Items = append(n.Items, val(it))
	}
	return n
}

func val(v any) *schema.Node {
	switch x := v.(type) {
	case *schema.Node:
		return x
	case string:
		return schema.NewString(x, diag.Pos{})
	case int:
		return schema.NewNumber(float64(x), diag.Pos{})
	case bool:
		return schema.NewBool(x, diag.Pos{})
	}
	return nil
}

func refNode(id string) *schema.Node { return obj("Ref", id) }

func getAttNode(id, attr string) *schema.Node { return obj("Fn::GetAtt", arr(id, attr)) }

// mergeResource deep-merges a resource into the template as the plugin's
// _.merge does: an existing resource with the same logical ID keeps its
// place and takes the new values over its own.
func (c *compiler) mergeResource(id string, body any) {
	if old, ok := c.tpl.Resource(id).(cfn.Raw); ok {
		c.add(id, cfn.Raw(cfn.Merge(map[string]any(old), body).(map[string]any)))
		return
	}
	c.add(id, cfn.Raw(cfn.Merge(map[string]any{}, body).(map[string]any)))
}

// parseJSONText is JSON.parse for the plugin's text templates: one JSON
// value and nothing after it.
func parseJSONText(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected text after the JSON value")
	}
	return v, nil
}

// escapeQuotes is the plugin's s.replace(/"/g, '\\"').
func escapeQuotes(s string) string { return strings.ReplaceAll(s, `"`, `\"`) }

// isObject is JavaScript's `v && typeof v === 'object'`.
func isObject(n *schema.Node) bool {
	return n != nil && (n.Kind == schema.Map || n.Kind == schema.List)
}

// posOf returns the position of n, or of fallback when n is nil.
func posOf(n *schema.Node, fallback diag.Pos) diag.Pos {
	if n != nil && n.Pos.IsValid() {
		return n.Pos
	}
	return fallback
}

// keyPos returns the position of key in the map n, or n's position.
func keyPos(n *schema.Node, key string) diag.Pos {
	if n != nil {
		if p := n.Pair(key); p != nil && p.KeyPos.IsValid() {
			return p.KeyPos
		}
		return n.Pos
	}
	return diag.Pos{}
}

// eventItems returns the events of a machine in order.
func eventItems(m *schema.StateMachine) []*schema.Node {
	if m.Events == nil {
		return nil
	}
	return m.Events.Items
}

// eventRole is the role the plugin generates for schedules and event
// rules: principal service(s) may start the state machine.
func eventRole(principal *schema.Node, policyName, smID string, boundary, path *schema.Node) *schema.Node {
	props := obj(
		"AssumeRolePolicyDocument", obj("Version", "2012-10-17", "Statement", arr(obj(
			"Effect", "Allow", "Principal", obj("Service", principal), "Action", "sts:AssumeRole"))),
		"Policies", arr(obj("PolicyName", policyName, "PolicyDocument", obj("Version", "2012-10-17",
			"Statement", arr(obj("Effect", "Allow", "Action", arr("states:StartExecution"), "Resource", refNode(smID)))))),
	)
	if boundary.Truthy() {
		props.Pairs = append(props.Pairs, schema.Pair{Key: "PermissionsBoundary", Value: boundary})
	}
	if path.Truthy() {
		props.Pairs = append(props.Pairs, schema.Pair{Key: "Path", Value: path})
	}
	return obj("Type", "AWS::IAM::Role", "Properties", props)
}

// retryPolicyNode is {MaximumEventAgeInSeconds, MaximumRetryAttempts} from
// a retryPolicy setting, undefined fields dropped.
func retryPolicyNode(rp *schema.Node) *schema.Node {
	return obj("MaximumEventAgeInSeconds", rp.Get("maximumEventAgeInSeconds"),
		"MaximumRetryAttempts", rp.Get("maximumRetryAttempts"))
}

// writeText appends to a JSON text template.
type textTemplate struct{ bytes.Buffer }

func (t *textTemplate) add(format string, args ...any) { fmt.Fprintf(&t.Buffer, format, args...) }
