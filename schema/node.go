// Package schema reads a Serverless Framework service: it parses
// serverless.yml (and the files it includes) into a tree of Nodes that keep
// their source positions, resolves Serverless variables, and decodes the
// result into a typed Service, reporting every problem as a diagnostic.
package schema

import (
	"math"
	"strconv"
	"strings"

	"github.com/stepform/stepform/schema/diag"
)

// Kind is the JSON type of a Node.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	Map
	List
)

func (k Kind) String() string {
	return [...]string{"null", "boolean", "number", "string", "object", "list"}[k]
}

// Node is a JSON value read from YAML, with the position it came from.
// Maps keep their keys in source order; Pairs never holds two equal keys.
// Scalars keep their text in Value: "true"/"false" for Bool, the number as
// JavaScript would print it for Number.
type Node struct {
	Kind Kind
	// resolvedIn is the variable resolution (varResolver.run) that found
	// no variable left under this container; copies start without.
	resolvedIn uint32
	Value      string
	Num        float64
	Pairs      []Pair
	Items      []*Node
	Pos        diag.Pos
}

// Pair is one key of a Map node.
type Pair struct {
	Key    string
	KeyPos diag.Pos
	Value  *Node
}

// NewString returns a String node.
func NewString(s string, pos diag.Pos) *Node { return &Node{Kind: String, Value: s, Pos: pos} }

// NewBool returns a Bool node.
func NewBool(b bool, pos diag.Pos) *Node {
	return &Node{Kind: Bool, Value: strconv.FormatBool(b), Pos: pos}
}

// NewNumber returns a Number node.
func NewNumber(f float64, pos diag.Pos) *Node {
	return &Node{Kind: Number, Num: f, Value: FormatNumber(f), Pos: pos}
}

// NewMap returns a Map node with the given pairs.
func NewMap(pos diag.Pos, pairs ...Pair) *Node { return &Node{Kind: Map, Pairs: pairs, Pos: pos} }

// Get returns the value of key in a Map node, or nil.
func (n *Node) Get(key string) *Node {
	if p := n.Pair(key); p != nil {
		return p.Value
	}
	return nil
}

// Pair returns the pair for key in a Map node, or nil.
func (n *Node) Pair(key string) *Pair {
	if n == nil || n.Kind != Map {
		return nil
	}
	for i := range n.Pairs {
		if n.Pairs[i].Key == key {
			return &n.Pairs[i]
		}
	}
	return nil
}

// Path follows dotted keys through nested maps, the way ${self:a.b.c} does.
func (n *Node) Path(path string) *Node {
	cur := n
	for _, k := range strings.Split(path, ".") {
		if cur == nil {
			return nil
		}
		switch cur.Kind {
		case Map:
			cur = cur.Get(k)
		case List:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(cur.Items) {
				return nil
			}
			cur = cur.Items[i]
		default:
			return nil
		}
	}
	return cur
}

// Set replaces the value of key in a Map node, or appends it.
func (n *Node) Set(key string, v *Node) {
	if p := n.Pair(key); p != nil {
		p.Value = v
		return
	}
	n.Pairs = append(n.Pairs, Pair{Key: key, KeyPos: v.Pos, Value: v})
}

// Truthy reports whether a JavaScript test of the value would pass.
func (n *Node) Truthy() bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case Null:
		return false
	case Bool:
		return n.Value == "true"
	case Number:
		return n.Num != 0 && !math.IsNaN(n.Num)
	case String:
		return n.Value != ""
	}
	return true
}

// IsIntrinsic reports whether n is an object the plugin treats as a
// CloudFormation intrinsic function: any key "Ref" or starting with "Fn::".
func (n *Node) IsIntrinsic() bool {
	if n == nil || n.Kind != Map {
		return false
	}
	for _, p := range n.Pairs {
		if p.Key == "Ref" || strings.HasPrefix(p.Key, "Fn::") {
			return true
		}
	}
	return false
}

// Clone returns a deep copy of n.
func (n *Node) Clone() *Node {
	if n == nil {
		return nil
	}
	c := *n
	c.resolvedIn = 0
	if n.Pairs != nil {
		c.Pairs = make([]Pair, len(n.Pairs))
		for i, p := range n.Pairs {
			c.Pairs[i] = Pair{Key: p.Key, KeyPos: p.KeyPos, Value: p.Value.Clone()}
		}
	}
	if n.Items != nil {
		c.Items = make([]*Node, len(n.Items))
		for i, it := range n.Items {
			c.Items[i] = it.Clone()
		}
	}
	return &c
}

// Equal reports whether a and b hold the same JSON value (positions aside).
func Equal(a, b *Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || a.Value != b.Value || len(a.Pairs) != len(b.Pairs) || len(a.Items) != len(b.Items) {
		return false
	}
	for i := range a.Pairs {
		if a.Pairs[i].Key != b.Pairs[i].Key || !Equal(a.Pairs[i].Value, b.Pairs[i].Value) {
			return false
		}
	}
	for i := range a.Items {
		if !Equal(a.Items[i], b.Items[i]) {
			return false
		}
	}
	return true
}

// FormatNumber prints f the way JavaScript's Number#toString does.
func FormatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	// Go writes 1e+06 and 1e-07; JavaScript writes 1e+21 and 1e-7.
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[0]
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + string(sign) + exp
}
