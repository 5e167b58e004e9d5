package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema/diag"
)

// Limits that keep hostile input from exhausting memory. A real
// serverless.yml has a few thousand nodes.
const (
	// MaxFileSize bounds every file stepform reads (see ReadLimited).
	MaxFileSize = 10 << 20
	// maxYAMLItems bounds the items one YAML text may hold before it is
	// parsed: the YAML library builds its whole tree first, at some 300
	// bytes a node, so this keeps that tree under about 500 MB.
	maxYAMLItems = 3 * MaxNodes
	// MaxNodes bounds the nodes one parse may produce once aliases are
	// expanded, which turns a "billion laughs" file into an error.
	MaxNodes = 500_000
	maxDepth = 400
)

// shortTags maps CloudFormation's YAML short forms to the long form.
var shortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!And": "Fn::And", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr", "!Equals": "Fn::Equals",
	"!FindInMap": "Fn::FindInMap", "!GetAZs": "Fn::GetAZs", "!GetAtt": "Fn::GetAtt", "!If": "Fn::If",
	"!ImportValue": "Fn::ImportValue", "!Join": "Fn::Join", "!Not": "Fn::Not", "!Or": "Fn::Or",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!Sub": "Fn::Sub", "!Transform": "Fn::Transform",
}

// ParseYAML parses one YAML (or JSON) document into a Node tree. Positions
// name file as given. It never panics on bad input: every problem is a
// diagnostic, and a nil Node comes back when the text cannot be read at all.
func ParseYAML(file string, data []byte) (*Node, diag.List) {
	var diags diag.List
	if len(data) > MaxFileSize {
		diags.Errorf(diag.Pos{File: file}, "file too large",
			"%s is %d bytes; stepform reads configuration files up to %d bytes.", file, len(data), MaxFileSize)
		return nil, diags
	}
	items := countYAMLItems(data)
	if items > maxYAMLItems {
		diags.Errorf(diag.Pos{File: file}, "file holds too many values",
			"%s has %d lines and separators, each of which can start a value; stepform parses at most %d in one file. Split the file.", file, items, maxYAMLItems)
		return nil, diags
	}
	doc, extra, err := decodeDocument(data)
	if masked, mark, count := maskFlowQuestionMarks(data); count > 0 {
		// Read "?" in flow collections as js-yaml does (see yamlflow.go).
		if mdoc, mextra, merr := decodeDocument(masked); merr == nil && mextra == nil && unmaskPlainScalars(&mdoc, mark) == count {
			doc, extra, err = mdoc, nil, nil
		} else if err != nil {
			yamlSyntaxError(&diags, file, data, err)
			last := &diags[len(diags)-1]
			last.Detail += " A \"?\" inside [...] or {...} that is meant as text is safest quoted: [\"cron(0 8 * * ? *)\"]."
			return nil, diags
		}
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return &Node{Kind: Null, Pos: diag.Pos{File: file, Line: 1, Col: 1}}, nil
		}
		yamlSyntaxError(&diags, file, data, err)
		return nil, diags
	}
	if extra != nil {
		diags.Errorf(diag.Pos{File: file, Line: extra.Line, Col: extra.Column}, "more than one YAML document",
			"A configuration file holds one document; remove the \"---\" separator and what follows it.")
		return nil, diags
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return &Node{Kind: Null, Pos: diag.Pos{File: file, Line: 1, Col: 1}}, nil
		}
		root = root.Content[0]
	}
	c := converter{file: file, root: root, budget: MaxNodes, expanding: map[*yaml.Node]bool{},
		release: items <= MaxNodes && bytes.IndexByte(data, '&') < 0}
	n := c.convert(root, 0)
	return n, c.diags
}

// decodeDocument decodes the first YAML document of data; extra is the
// start of a second one, nil when there is none.
func decodeDocument(data []byte) (doc yaml.Node, extra *yaml.Node, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err = decodeSafely(dec, &doc); err != nil {
		return doc, nil, err
	}
	var next yaml.Node
	if decodeSafely(dec, &next) == nil {
		extra = &next
	}
	return doc, extra, nil
}

// countYAMLItems counts what can start a node without an alias: lines and
// the indicators "-", ":", ",", "[" and "{". It is at least about the number
// of nodes the text parses to, and costs one pass over the bytes.
func countYAMLItems(data []byte) int {
	n := 1
	for _, b := range data {
		switch b {
		case '\n', '-', ':', ',', '[', '{':
			n++
		}
	}
	return n
}

// decodeSafely guards against panics inside the YAML library on malformed
// input; they become an ordinary error.
func decodeSafely(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return dec.Decode(n)
}

var lineRE = lazyre.New(`^yaml: line (\d+): `)

// syntaxPos finds the line a YAML error names; an error at the end of the
// text (an unclosed bracket) points at the last line that has text. It is
// the fallback of yamlSyntaxError.
func syntaxPos(file string, data []byte, err error) diag.Pos {
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		// yaml.v3 numbers its parser's errors ("did not find expected ...")
		// from 0 and its scanner's from 1.
		if strings.Contains(err.Error(), "did not find expected") {
			line++
		}
		if last := len(strings.Split(strings.TrimRight(string(data), " \t\r\n"), "\n")); line > last {
			line = last
		}
		return diag.Pos{File: file, Line: line}
	}
	// The library leaves the line out when it is the first (its lines
	// count from 0 and 0 means "none").
	return diag.Pos{File: file, Line: 1}
}

func cleanYAMLError(err error) string {
	msg := lineRE.ReplaceAllString(err.Error(), "")
	return strings.TrimPrefix(msg, "yaml: ")
}

type converter struct {
	file      string
	root      *yaml.Node
	budget    int
	exhausted bool
	expanding map[*yaml.Node]bool
	diags     diag.List
	// release says to drop each YAML node from its parent once converted,
	// so that a large file's parse tree is collected while it is
	// converted. Only when no node is reached twice (the file has no
	// anchors, so no aliases) and the node budget cannot run out (its
	// report counts the tree as written, from root).
	release bool
	// slab holds the nodes node hands out next.
	slab []Node
}

// node returns a new Node from the converter's slab: one allocation for
// many nodes, which all live as long as the tree.
func (c *converter) node() *Node {
	if len(c.slab) == 0 {
		c.slab = make([]Node, nodeSlab)
	}
	n := &c.slab[0]
	c.slab = c.slab[1:]
	return n
}

// nodeSlab is the number of nodes allocated at once.
const nodeSlab = 128

func (c *converter) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: c.file, Line: n.Line, Col: n.Column}
}

func (c *converter) convert(n *yaml.Node, depth int) *Node {
	if c.exhausted {
		return &Node{Kind: Null, Pos: c.pos(n)}
	}
	c.budget--
	if c.budget < 0 {
		c.exhausted = true
		c.tooManyNodes(n)
		return &Node{Kind: Null, Pos: c.pos(n)}
	}
	if depth > maxDepth {
		c.exhausted = true
		c.diags.Errorf(c.pos(n), "document nested too deeply", "Values may nest at most %d levels.", maxDepth)
		return &Node{Kind: Null, Pos: c.pos(n)}
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil || c.expanding[n.Alias] {
			c.diags.Errorf(c.pos(n), "alias refers to itself",
				"The anchor %q contains an alias to itself, which would be infinite. Remove the alias.", n.Value)
			return &Node{Kind: Null, Pos: c.pos(n)}
		}
		c.expanding[n.Alias] = true
		v := c.convert(n.Alias, depth+1)
		delete(c.expanding, n.Alias)
		return v
	case yaml.ScalarNode:
		if long, ok := shortTags[n.Tag]; ok {
			return c.intrinsic(n, long, depth)
		}
		return c.scalar(n)
	case yaml.SequenceNode:
		if long, ok := shortTags[n.Tag]; ok {
			return c.intrinsic(n, long, depth)
		}
		if c.badTag(n) {
			return &Node{Kind: Null, Pos: c.pos(n)}
		}
		out := c.node()
		*out = Node{Kind: List, Pos: c.pos(n), Items: make([]*Node, 0, len(n.Content))}
		for i, it := range n.Content {
			out.Items = append(out.Items, c.convert(it, depth+1))
			if c.release {
				n.Content[i] = nil
			}
		}
		return out
	case yaml.MappingNode:
		if long, ok := shortTags[n.Tag]; ok {
			return c.intrinsic(n, long, depth)
		}
		if c.badTag(n) {
			return &Node{Kind: Null, Pos: c.pos(n)}
		}
		return c.mapping(n, depth)
	}
	return &Node{Kind: Null, Pos: c.pos(n)}
}

// tooManyNodes reports the node budget spent at n, telling a long document
// apart from one whose aliases multiply it.
func (c *converter) tooManyNodes(n *yaml.Node) {
	written := countWritten(c.root)
	if written > MaxNodes {
		c.diags.Errorf(c.pos(n), "too many values",
			"The file holds %d values; stepform reads at most %d values from one file. Split the file or shorten it.", written, MaxNodes)
		return
	}
	c.diags.Errorf(c.pos(n), "too many values after expanding aliases",
		"The file holds %d values, but its aliases repeat them to more than %d, the most stepform reads from one file (an alias bomb?). Reduce the use of YAML aliases.", written, MaxNodes)
}

// countWritten counts the nodes of a YAML tree as written, each alias as one.
func countWritten(n *yaml.Node) int {
	count := 1
	if n.Kind != yaml.AliasNode {
		for _, c := range n.Content {
			count += countWritten(c)
		}
	}
	return count
}

func (c *converter) badTag(n *yaml.Node) bool {
	if n.Tag == "" || strings.HasPrefix(n.Tag, "!!") {
		return false
	}
	c.diags.Errorf(c.pos(n), fmt.Sprintf("unknown tag %s", n.Tag),
		"Only CloudFormation's short forms (!Ref, !GetAtt, !Sub, ...) are understood. Write the value without the tag, or use the long form (Fn::...).%s",
		diag.DidYouMean(n.Tag, tagNames()))
	return true
}

func tagNames() []string {
	names := make([]string, 0, len(shortTags))
	for k := range shortTags {
		names = append(names, k)
	}
	return names
}

// intrinsic turns a short tag into its long form: !Ref X becomes {Ref: X}.
func (c *converter) intrinsic(n *yaml.Node, long string, depth int) *Node {
	pos := c.pos(n)
	var arg *Node
	if n.Kind == yaml.ScalarNode {
		arg = &Node{Kind: String, Value: n.Value, Pos: pos}
		switch long {
		case "Ref", "Condition":
			if n.Value == "" {
				c.diags.Errorf(pos, fmt.Sprintf("empty %s", n.Tag), "%s needs the logical ID of a resource or parameter.", n.Tag)
			}
		case "Fn::GetAtt":
			// Split on the first dot only: !GetAtt A.B.C means attribute "B.C" of A.
			res, attr, ok := strings.Cut(n.Value, ".")
			if !ok || res == "" || attr == "" {
				c.diags.Errorf(pos, "malformed !GetAtt", "Write !GetAtt LogicalId.Attribute (for example !GetAtt MyQueue.Arn).")
			}
			arg = &Node{Kind: List, Pos: pos, Items: []*Node{NewString(res, pos), NewString(attr, pos)}}
		}
	} else {
		plain := *n
		plain.Tag = ""
		arg = c.convert(&plain, depth+1)
	}
	return &Node{Kind: Map, Pos: pos, Pairs: []Pair{{Key: long, KeyPos: pos, Value: arg}}}
}

func (c *converter) scalar(n *yaml.Node) *Node {
	pos := c.pos(n)
	if n.Style == 0 {
		out := c.node()
		*out = resolvePlain(n.Value, pos)
		return out
	}
	tag := n.ShortTag()
	switch tag {
	case "!!null":
		return &Node{Kind: Null, Pos: pos}
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return NewString(n.Value, pos)
		}
		return NewBool(b, pos)
	case "!!int", "!!float":
		if f, ok := parseNumber(n); ok {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				// JSON has no such numbers: JSON.stringify writes null, and
				// so does the framework's configuration.
				return &Node{Kind: Null, Pos: pos}
			}
			return NewNumber(f, pos)
		}
		return NewString(n.Value, pos)
	case "!!str", "!!timestamp", "!!binary", "!!merge":
		return NewString(n.Value, pos)
	}
	if c.badTag(n) {
		return &Node{Kind: Null, Pos: pos}
	}
	return NewString(n.Value, pos)
}

func parseNumber(n *yaml.Node) (float64, bool) {
	if n.ShortTag() == "!!int" {
		var i int64
		if err := n.Decode(&i); err == nil {
			return float64(i), true
		}
		var u uint64
		if err := n.Decode(&u); err == nil {
			return float64(u), true
		}
	}
	var f float64
	if err := n.Decode(&f); err != nil {
		return 0, false
	}
	return f, true
}

// mapping converts a mapping. Merge keys follow js-yaml, which the
// framework uses: merged keys are inserted where "<<" stands (earlier
// sources win, existing keys are kept), and a later explicit key replaces
// a merged one in place.
func (c *converter) mapping(n *yaml.Node, depth int) *Node {
	out := c.node()
	*out = Node{Kind: Map, Pos: c.pos(n), Pairs: make([]Pair, 0, len(n.Content)/2)}
	keys := pairIndex{pairs: &out.Pairs}
	var merged map[string]bool // keys that came from a merge key ("<<")
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if c.release {
			n.Content[i], n.Content[i+1] = nil, nil
		}
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			for _, src := range c.mergeSources(v, depth) {
				for _, p := range src.Pairs {
					if _, exists := keys.find(p.Key); exists {
						continue
					}
					keys.add(p.Key)
					if merged == nil {
						merged = map[string]bool{}
					}
					merged[p.Key] = true
					out.Pairs = append(out.Pairs, p)
				}
			}
			continue
		}
		key, ok := c.keyString(k)
		if !ok {
			continue
		}
		kpos := c.pos(k)
		if at, exists := keys.find(key); exists {
			if merged[key] {
				delete(merged, key)
				out.Pairs[at] = Pair{Key: key, KeyPos: kpos, Value: c.convert(v, depth+1)}
				continue
			}
			c.diags.Errorf(kpos, fmt.Sprintf("duplicate key %q", key),
				"%q is already defined at line %d; YAML keeps only one of them. Remove or rename one.", key, out.Pairs[at].KeyPos.Line)
			continue
		}
		keys.add(key)
		out.Pairs = append(out.Pairs, Pair{Key: key, KeyPos: kpos, Value: c.convert(v, depth+1)})
	}
	return out
}

// pairIndex finds the keys of a mapping being converted: by scanning its
// pairs while it is small, as most are, and through a map once it is
// large, so that neither small nor large mappings cost much.
type pairIndex struct {
	pairs *[]Pair
	byKey map[string]int
}

// pairIndexFrom is the size from which a mapping's keys go into a map.
const pairIndexFrom = 16

// find returns the index of key's pair.
func (x *pairIndex) find(key string) (int, bool) {
	if x.byKey != nil {
		at, ok := x.byKey[key]
		return at, ok
	}
	for i, p := range *x.pairs {
		if p.Key == key {
			return i, true
		}
	}
	return 0, false
}

// add records that key's pair is about to be appended to the pairs.
func (x *pairIndex) add(key string) {
	pairs := *x.pairs
	if x.byKey == nil && len(pairs) >= pairIndexFrom {
		x.byKey = make(map[string]int, 2*len(pairs))
		for i, p := range pairs {
			x.byKey[p.Key] = i
		}
	}
	if x.byKey != nil {
		x.byKey[key] = len(pairs)
	}
}

func (c *converter) mergeSources(v *yaml.Node, depth int) []*Node {
	var items []*yaml.Node
	if v.Kind == yaml.SequenceNode {
		items = v.Content
	} else {
		items = []*yaml.Node{v}
	}
	var out []*Node
	for _, it := range items {
		m := c.convert(it, depth+1)
		if m.Kind != Map {
			c.diags.Errorf(c.pos(it), "merge key needs a mapping",
				"The value of \"<<\" must be an alias to a mapping, or a list of such aliases.")
			continue
		}
		out = append(out, m)
	}
	return out
}

func (c *converter) keyString(k *yaml.Node) (string, bool) {
	if k.Kind != yaml.ScalarNode {
		c.diags.Errorf(c.pos(k), "key is not a scalar", "Mapping keys must be plain strings or numbers.")
		return "", false
	}
	switch k.ShortTag() {
	case "!!int", "!!float":
		if f, ok := parseNumber(k); ok {
			return FormatNumber(f), true
		}
	case "!!null":
		return "null", true
	}
	return k.Value, true
}

// Plain scalars are typed as js-yaml 4 (the framework's YAML reader) types
// them, which is not YAML 1.1: 0123 is 123, 1_000 and +.5 are strings, and
// a date or timestamp becomes the ISO text JavaScript's Date gives it.
var (
	jsYAMLInt       = lazyre.New(`^[-+]?(?:0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$`)
	jsYAMLFloat     = lazyre.New(`^(?:[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	jsYAMLDate      = lazyre.New(`^([0-9]{4})-([0-9]{2})-([0-9]{2})$`)
	jsYAMLTimestamp = lazyre.New(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?$`)
)

func resolvePlain(v string, pos diag.Pos) Node {
	switch v {
	case "", "~", "null", "Null", "NULL":
		return Node{Kind: Null, Pos: pos}
	case "true", "True", "TRUE":
		return *NewBool(true, pos)
	case "false", "False", "FALSE":
		return *NewBool(false, pos)
	}
	// Every number starts with a sign, a digit or a dot: most scalars are
	// words and need not reach the expressions.
	if !strings.ContainsRune("+-.0123456789", rune(v[0])) {
		return *NewString(v, pos)
	}
	// Plain digits are the common integer and always match jsYAMLInt.
	if isDigits(v) || jsYAMLInt.MatchString(v) {
		if f, ok := parseJSYAMLInt(v); ok {
			return *NewNumber(f, pos)
		}
	}
	if jsYAMLFloat.MatchString(v) {
		lower := strings.ToLower(v)
		if strings.Contains(lower, "inf") || strings.Contains(lower, "nan") {
			// No JSON form: JSON.stringify, and so the framework, writes null.
			return Node{Kind: Null, Pos: pos}
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return *NewNumber(f, pos)
		}
	}
	if iso, ok := jsYAMLTime(v); ok {
		return *NewString(iso, pos)
	}
	return *NewString(v, pos)
}

func parseJSYAMLInt(v string) (float64, bool) {
	sign := 1.0
	switch v[0] {
	case '-':
		sign, v = -1, v[1:]
	case '+':
		v = v[1:]
	}
	base := 10
	switch {
	case strings.HasPrefix(v, "0b"):
		base, v = 2, v[2:]
	case strings.HasPrefix(v, "0o"):
		base, v = 8, v[2:]
	case strings.HasPrefix(v, "0x"):
		base, v = 16, v[2:]
	}
	if u, err := strconv.ParseUint(v, base, 64); err == nil {
		return sign * float64(u), true
	}
	if base == 10 { // beyond 64 bits: JavaScript still reads a number
		f, err := strconv.ParseFloat(v, 64)
		return sign * f, err == nil && !math.IsInf(f, 0)
	}
	return 0, false
}

// jsYAMLTime turns a YAML date or timestamp into Date#toISOString text.
func jsYAMLTime(v string) (string, bool) {
	// Both forms start with four digits and a dash.
	if len(v) < 10 || v[4] != '-' || !isDigits(v[:4]) {
		return "", false
	}
	m := jsYAMLDate.FindStringSubmatch(v)
	if m == nil {
		m = jsYAMLTimestamp.FindStringSubmatch(v)
	}
	if m == nil {
		return "", false
	}
	num := func(i int) int {
		if i >= len(m) || m[i] == "" {
			return 0
		}
		n, _ := strconv.Atoi(m[i])
		return n
	}
	ms := 0
	if len(m) > 7 && m[7] != "" {
		frac := (m[7] + "000")[:3]
		ms, _ = strconv.Atoi(frac)
	}
	t := time.Date(num(1), time.Month(num(2)), num(3), num(4), num(5), num(6), ms*int(time.Millisecond), time.UTC)
	if len(m) > 9 && m[9] != "" {
		offset := time.Duration(num(10))*time.Hour + time.Duration(num(11))*time.Minute
		if m[9] == "-" {
			offset = -offset
		}
		t = t.Add(-offset)
	}
	return t.Format("2006-01-02T15:04:05.000Z"), true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
