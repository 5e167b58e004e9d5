package asl

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/theory/jsonpath"
	"github.com/theory/jsonpath/spec"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// pkind is the kind of expression a field holds.
type pkind uint8

const (
	// pathKind: a Path (InputPath, OutputPath): any JSONPath.
	pathKind pkind = iota
	// refPathKind: a Reference Path: one value, by .name and [index].
	refPathKind
	// resultPathKind: a Reference Path without variables.
	resultPathKind
	// payloadKind: the value of a key ending in .$: a Path or an
	// intrinsic function call.
	payloadKind
)

// pathField checks a field whose value is a path (or null).
func (v *validator) pathField(n *schema.Node, field string, k pkind) {
	if n.Kind == schema.Null {
		if k != pathKind && k != resultPathKind {
			v.report(both, n.Pos, field+" must be a path", "Got null.")
		}
		return
	}
	if !v.wantString(both, n, field) {
		return
	}
	if msg, c := checkPath(n.Value, k); msg != "" {
		v.report(c, n.Pos, fmt.Sprintf("invalid %s %q", field, shorten(n.Value)), "%s", msg)
	}
}

// payloadTemplate checks a Payload Template (Parameters, ResultSelector,
// ItemSelector, Assign, ...): every key ending in .$ holds a path or an
// intrinsic function, and no two keys are equal once .$ is stripped.
func (v *validator) payloadTemplate(n *schema.Node, field string, top bool) {
	if n.IsIntrinsic() && top {
		return
	}
	switch n.Kind {
	case schema.Null:
		if top {
			v.report(both, n.Pos, field+" must be an object", "Got null. Remove %s or give it an object.", field)
		} else {
			v.report(lint, n.Pos, "null in a list of a payload template", "asl-validator does not accept null as a list item here.")
		}
	case schema.String:
		if n.Value == "" || strings.ContainsAny(n.Value, "\n\r\u2028\u2029") || strings.HasPrefix(n.Value, "{% ") {
			v.report(lint, n.Pos, "string not accepted in "+field, "asl-validator wants a non-empty one-line string that is not a JSONata expression here.")
		}
	case schema.List:
		for _, it := range n.Items {
			v.payloadTemplate(it, field, false)
		}
	case schema.Map:
		v.templateObject(n, field)
	}
}

func (v *validator) templateObject(n *schema.Node, field string) {
	seen := map[string]bool{}
	for _, p := range n.Pairs {
		bare := strings.TrimSuffix(p.Key, ".$")
		if seen[bare] {
			// asl-validator looks for these only in Parameters and
			// ResultSelector; Step Functions in every payload template.
			dup := aws
			if field == "Parameters" || field == "ResultSelector" {
				dup = both
			}
			v.report(dup, p.KeyPos, fmt.Sprintf("duplicate field %q in %s", bare, field),
				"%q and %q name the same field once .$ is stripped; keep one.", bare, bare+".$")
		}
		seen[bare] = true
		// asl-validator's patterns only look at keys of three or more
		// characters (and not at "a.b"-like keys); Step Functions
		// checks every key.
		aslSees := len(p.Key) >= 3 && !strings.ContainsAny(p.Key, "\n\r") && p.Key[len(p.Key)-2] != '.' || strings.HasSuffix(p.Key, ".$") && len(p.Key) >= 3
		c := both
		if !aslSees {
			c = aws
		}
		val := p.Value
		if strings.HasSuffix(p.Key, ".$") {
			if val.Kind == schema.Null {
				continue
			}
			if val.Kind != schema.String {
				if val.IsIntrinsic() {
					v.report(lint, val.Pos, fmt.Sprintf("%q must be a path", p.Key), "Got an intrinsic function; asl-validator checks the definition before CloudFormation resolves it.")
					continue
				}
				v.report(c, val.Pos, fmt.Sprintf("%q must be a path", p.Key), "A key ending in .$ takes a path such as $.input or an intrinsic function; got %s. Drop the .$ for a literal value.", kindOf(val))
				continue
			}
			if msg, pc := checkPath(val.Value, payloadKind); msg != "" {
				if pc == aws {
					c = aws
				}
				v.report(c, val.Pos, fmt.Sprintf("invalid path in %q", p.Key), "%s", msg)
			}
			continue
		}
		switch val.Kind {
		case schema.List:
			for _, it := range val.Items {
				v.payloadTemplate(it, field, false)
			}
		case schema.Map:
			v.templateObject(val, field)
		}
	}
}

// checkPath returns why s is not a valid expression of kind k, or "".
func checkPath(s string, k pkind) (string, class) {
	if strings.HasPrefix(s, "States.") {
		if k != payloadKind {
			return "Intrinsic functions (States.*) are allowed only in keys ending in .$ of Parameters, ResultSelector and other payload templates.", both
		}
		_, msg, c := parseCall(s, 0)
		return msg, c
	}
	if !strings.HasPrefix(s, "$") {
		return fmt.Sprintf("A path starts with $ (the state input), $$ (the context object) or $name (a variable); got %q.", shorten(s)), both
	}
	body := strings.TrimRight(s, " \t\n")
	rest := ""
	switch {
	case strings.HasPrefix(body, "$$"):
		rest = body[2:]
	case len(body) > 1 && isIDChar(rune(body[1])) && body[1] != '$':
		if k == resultPathKind {
			return "ResultPath cannot write to a variable; use Assign for variables.", both
		}
		i := 1
		for i < len(body) && body[i] != '.' && body[i] != '[' {
			i++
		}
		rest = body[i:]
	default:
		rest = body[1:]
	}
	rfc, lenient, msg := toRFC(rest)
	if msg != "" {
		return msg, both
	}
	p, err := pathParser().Parse("$" + rfc)
	if err != nil {
		if lenient {
			// Filters and scripts are Jayway JSONPath, which Step
			// Functions uses and RFC 9535 only partly covers: when the
			// two disagree, accept what Step Functions may accept.
			return "", both
		}
		return fmt.Sprintf("Not a valid JSONPath: %s.", strings.TrimPrefix(err.Error(), "jsonpath: ")), both
	}
	if k == refPathKind || k == resultPathKind {
		if !singular(p.Query()) {
			return "A Reference Path selects a single value: use only .name and [index], without *, .., filters, slices or lists.", both
		}
	}
	return "", both
}

// pathParser is the one JSONPath parser: jsonpath.Parse would build a
// parser and its function registry for every path. It is safe for
// concurrent use.
var pathParser = sync.OnceValue(func() *jsonpath.Parser { return jsonpath.NewParser() })

func singular(q *spec.PathQuery) bool {
	if q.Singular() == nil {
		return false
	}
	for _, seg := range q.Segments() {
		for _, sel := range seg.Selectors() {
			if i, ok := sel.(spec.Index); ok && i < 0 {
				return false
			}
		}
	}
	return true
}

// isIDChar is asl-path-validator's identifier character.
func isIDChar(r rune) bool {
	return !strings.ContainsRune("),'\"\\.[] ><!=\t\n", r)
}

// toRFC rewrites the segments of a Jayway-style path (after its root) in
// RFC 9535 syntax: dotted names that RFC 9535 does not allow bare (a-b,
// 0abc, escaped characters) become ['...'], and (@.length-N) becomes -N.
// lenient reports a filter or script, where the dialects differ.
func toRFC(s string) (out string, lenient bool, msg string) {
	var b strings.Builder
	i := 0
	for i < len(s) {
		switch {
		case strings.HasPrefix(s[i:], ".."):
			b.WriteString("..")
			i += 2
			if i < len(s) && s[i] == '[' {
				continue
			}
			name, n := readName(s[i:])
			if n == 0 {
				return "", false, "Expected a name after \"..\"."
			}
			writeName(&b, name, true)
			i += n
		case s[i] == '.':
			i++
			name, n := readName(s[i:])
			if n == 0 {
				return "", false, fmt.Sprintf("Expected a name after \".\" at character %d.", i)
			}
			b.WriteString(".")
			writeName(&b, name, false)
			i += n
		case s[i] == '[':
			end := matchBracket(s, i)
			if end < 0 {
				return "", false, "Unclosed [."
			}
			inner := strings.TrimSpace(s[i+1 : end])
			if strings.HasPrefix(inner, "(@.length") {
				if n := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(inner, "(@.length"), ")")); strings.HasPrefix(n, "-") {
					inner = "-" + strings.TrimSpace(n[1:])
				}
			}
			if strings.HasPrefix(inner, "?") || strings.HasPrefix(inner, "(") {
				lenient = true
			}
			b.WriteString("[" + inner + "]")
			i = end + 1
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			return "", false, fmt.Sprintf("Unexpected %q at character %d; names follow a dot (.name) or are bracketed (['name']).", r, i+1)
		}
	}
	return b.String(), lenient, ""
}

// readName reads a dotted name (with backslash escapes) and returns it
// unescaped with the number of bytes read.
func readName(s string) (string, int) {
	var b strings.Builder
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\\' && i+size < len(s) {
			r2, size2 := utf8.DecodeRuneInString(s[i+size:])
			b.WriteRune(r2)
			i += size + size2
			continue
		}
		if !isIDChar(r) {
			break
		}
		b.WriteRune(r)
		i += size
	}
	return b.String(), i
}

func writeName(b *strings.Builder, name string, descendant bool) {
	if name == "*" {
		b.WriteString("*")
		return
	}
	if rfcShorthand(name) {
		b.WriteString(name)
		return
	}
	if !descendant {
		// ".['x']" is not RFC 9535; replace the dot just written.
		str := b.String()
		b.Reset()
		b.WriteString(strings.TrimSuffix(str, "."))
	}
	b.WriteString("['")
	for _, r := range name {
		switch {
		case r == '\'' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("']")
}

func rfcShorthand(name string) bool {
	for i, r := range name {
		alpha := r == '_' || r >= 0x80 || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !alpha && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return name != ""
}

// matchBracket returns the index of the ] closing the [ at s[i], skipping
// quoted strings and nested brackets and parentheses, or -1.
func matchBracket(s string, i int) int {
	depth := 0
	var quote byte
	for j := i; j < len(s); j++ {
		c := s[j]
		switch {
		case quote != 0:
			if c == '\\' {
				j++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '[' || c == '(':
			depth++
		case c == ']' || c == ')':
			depth--
			if depth == 0 {
				if c != ']' {
					return -1
				}
				return j
			}
		}
	}
	return -1
}

// intrinsic is the arity of an intrinsic function. strict marks the
// arities asl-validator's grammar enforces too.
type intrinsic struct {
	min, max int // max < 0: no upper bound
	strict   bool
}

var intrinsics = map[string]intrinsic{
	"States.Format":         {1, -1, false},
	"States.StringToJson":   {1, 1, true},
	"States.JsonToString":   {1, 1, true},
	"States.Array":          {0, -1, false},
	"States.ArrayPartition": {2, 2, false},
	"States.ArrayContains":  {2, 2, false},
	"States.ArrayRange":     {3, 3, false},
	"States.ArrayGetItem":   {2, 2, false},
	"States.ArrayLength":    {1, 1, true},
	"States.ArrayUnique":    {1, 1, true},
	"States.Base64Encode":   {1, 1, true},
	"States.Base64Decode":   {1, 1, true},
	"States.Hash":           {2, 2, false},
	"States.JsonMerge":      {3, 3, false},
	"States.MathRandom":     {2, 3, false},
	"States.MathAdd":        {2, 2, true},
	"States.StringSplit":    {2, 2, false},
	"States.UUID":           {0, 0, true},
}

func intrinsicNames() []string {
	out := make([]string, 0, len(intrinsics))
	for k := range intrinsics {
		out = append(out, k)
	}
	return out
}

// parseCall parses an intrinsic function call starting at s[i] and
// returns the index after it, or a message.
func parseCall(s string, i int) (int, string, class) {
	open := strings.IndexByte(s[i:], '(')
	if open < 0 {
		return 0, fmt.Sprintf("%q is not a function call: expected (.", shorten(s[i:])), both
	}
	name := strings.TrimSpace(s[i : i+open])
	fn, ok := intrinsics[name]
	if !ok {
		return 0, fmt.Sprintf("Unknown intrinsic function %q.%s", name, didYouMeanText(name, intrinsicNames())), both
	}
	j := i + open + 1
	args := 0
	skip := func() {
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n') {
			j++
		}
	}
	skip()
	if j < len(s) && s[j] == ')' {
		j++
	} else {
		for {
			skip()
			if j >= len(s) {
				return 0, fmt.Sprintf("%s( is not closed.", name), both
			}
			end, msg, c := parseArg(s, j)
			if msg != "" {
				return 0, msg, c
			}
			args++
			j = end
			skip()
			if j < len(s) && s[j] == ',' {
				j++
				continue
			}
			if j < len(s) && s[j] == ')' {
				j++
				break
			}
			return 0, fmt.Sprintf("Expected , or ) in the arguments of %s.", name), both
		}
	}
	if args < fn.min || (fn.max >= 0 && args > fn.max) {
		want := fmt.Sprintf("%d", fn.min)
		switch {
		case fn.max < 0:
			want = fmt.Sprintf("at least %d", fn.min)
		case fn.max != fn.min:
			want = fmt.Sprintf("%d to %d", fn.min, fn.max)
		}
		c := both
		if !fn.strict {
			c = aws
		}
		return 0, fmt.Sprintf("%s takes %s argument(s), got %d.", name, want, args), c
	}
	if i == 0 {
		if rest := strings.TrimSpace(s[j:]); rest != "" {
			return 0, fmt.Sprintf("Unexpected %q after %s(...).", shorten(rest), name), both
		}
	}
	return j, "", both
}

// parseArg parses one argument: a 'string', a number, true/false/null,
// a path or a nested call.
func parseArg(s string, j int) (int, string, class) {
	switch c := s[j]; {
	case c == '\'':
		for k := j + 1; k < len(s); k++ {
			if s[k] == '\\' {
				k++
				continue
			}
			if s[k] == '\'' {
				return k + 1, "", both
			}
		}
		return 0, "Unclosed string literal in intrinsic function arguments.", both
	case c == '-' || (c >= '0' && c <= '9'):
		k := j + 1
		for k < len(s) && (s[k] >= '0' && s[k] <= '9' || s[k] == '.') {
			k++
		}
		return k, "", both
	case strings.HasPrefix(s[j:], "States."):
		return parseCall(s, j)
	case c == '$':
		k := j
		depth := 0
		var quote byte
		for ; k < len(s); k++ {
			ch := s[k]
			if quote != 0 {
				if ch == '\\' {
					k++
				} else if ch == quote {
					quote = 0
				}
				continue
			}
			if ch == '\'' || ch == '"' {
				quote = ch
			} else if ch == '[' || ch == '(' {
				depth++
			} else if (ch == ']' || ch == ')') && depth > 0 {
				depth--
			} else if (ch == ',' || ch == ')') && depth == 0 {
				break
			}
		}
		path := strings.TrimSpace(s[j:k])
		if msg, c := checkPath(path, pathKind); msg != "" {
			return 0, fmt.Sprintf("Argument %q: %s", shorten(path), msg), c
		}
		return k, "", both
	}
	for _, lit := range []string{"true", "false", "null"} {
		if strings.HasPrefix(s[j:], lit) {
			return j + len(lit), "", both
		}
	}
	return 0, fmt.Sprintf("Unexpected %q in intrinsic function arguments; strings are in single quotes.", shorten(s[j:])), both
}

func didYouMeanText(word string, candidates []string) string {
	return diag.DidYouMean(word, candidates)
}
