package schema

// Serverless Framework v3 variable resolution (${source:address}).
//
// The rules follow serverless@3.40.0 (lib/configuration/variables): the
// variable syntax is recognised by the same state machine, so text the
// framework leaves alone (CloudFormation's ${AWS::Region}, ${Foo},
// ${foo.bar}, "${ opt:x }") is left alone here too, and escapes (\${...})
// behave the same. A value is resolved lazily the first time something needs
// it, then memoised, so the tree is walked once however many variables
// refer into it.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf16"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema/diag"
)

// Variables holds what the ${source:...} variables of a service read.
type Variables struct {
	// Options are the CLI options visible as ${opt:NAME}; "stage" and "region" are present only when given on the command line.
	Options map[string]string
	// Params feed ${param:NAME}.
	Params map[string]string
	// Env feeds ${env:NAME}; it is never read from the process environment here.
	Env map[string]string
	// External supplies values for variables that need AWS or code at package time, keyed by the variable's text inside ${...} without spaces, e.g. "ssm:/app/key", "cf:stack.Output", "s3:bucket/key", "aws:accountId", "file(./x.js):fn". The CLI fills it from a repeatable flag `--var KEY=VALUE`.
	//
	// The key is one source of the variable with its nested variables
	// already resolved and without its fallbacks: ${ssm:/app/${sls:stage}/key, 'x'}
	// reads "ssm:/app/dev/key". Parameters keep their order and are joined
	// with commas: ${ssm(raw):/a} reads "ssm(raw):/a". A value is always a
	// plain string (it is not parsed as JSON), as cf, s3 and ssm String
	// parameters are in the framework; like any resolved string, variables
	// inside it are then resolved.
	External map[string]string
	// ServiceDir is the folder of serverless.yml; a ${file()} outside it gets a warning.
	ServiceDir string
	// ReadFile reads a file by path (paths are built with filepath.Join from the including file's path as given).
	// A ${file()} path is relative to the folder of serverless.yml, also
	// inside included files, as in the framework. Nil means ReadLimited.
	ReadFile func(path string) ([]byte, error)
}

// ResolveVariables returns a new tree with every Serverless variable in root replaced by its value. file is root's path as displayed (e.g. "serverless.yml" or "examples/x/serverless.yml"). Every file read through ${file()} is added to sources (path → bytes) so diagnostics can quote it. Problems are diagnostics with the position of the string holding the variable (or the file's position); it never panics.
//
// A value that cannot be resolved stays as its original string, so later
// phases still see a value at that position.
func ResolveVariables(root *Node, file string, v Variables, sources map[string][]byte) (*Node, diag.List) {
	return resolveVariablesInPlace(root.Clone(), file, v, sources)
}

// resolveVariablesInPlace is ResolveVariables for a tree nobody else
// holds: it resolves into root itself instead of a copy.
func resolveVariablesInPlace(root *Node, file string, v Variables, sources map[string][]byte) (*Node, diag.List) {
	if root == nil {
		return nil, nil
	}
	if v.ReadFile == nil {
		v.ReadFile = ReadLimited
	}
	if sources == nil {
		sources = map[string][]byte{}
	}
	r := &varResolver{
		v:       v,
		baseDir: filepath.Dir(file),
		sources: sources,
		holder:  &Node{Kind: List, Items: []*Node{root}},
		states:  map[*Node]*varState{},
		depth:   map[*Node]int{},
		files:   map[string]*varFile{},
		warned:  map[string]bool{},
	}
	r.run = resolverRuns.Add(1)
	if r.run == 0 { // wrapped: 0 is every node's
		r.run = resolverRuns.Add(1)
	}
	if r.v.ServiceDir == "" {
		r.v.ServiceDir = r.baseDir
	}
	if top, ok := r.resolveSlot(r.holder, 0, nil, 0, true); ok && top != nil {
		r.resolveTree(top, nil, 0, true)
	}
	return r.holder.Items[0], varDedupe(r.diags)
}

func varDedupe(l diag.List) diag.List {
	var out diag.List
	seen := map[diag.Diagnostic]bool{}
	for _, d := range l {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// Syntax

// variable is one ${...} (or one escape) found in a string.
type variable struct {
	start, end int  // byte range in the string it was found in
	whole      bool // the variable is the whole string
	escape     bool // an escape: the range is replaced by escValue
	escValue   string
	sources    []*varSource // first choice, then fallbacks
	text       string       // the variable as written, for messages
}

// varSource is one source of a variable: type(params):address, or a literal
// fallback.
type varSource struct {
	typ       string
	literal   bool
	value     *Node // a literal's value; nil is null
	hasParams bool
	params    []*varMeta
	address   *varMeta // nil when the source has no address
}

// varMeta is a parameter or an address: a fixed value, or text holding
// variables.
type varMeta struct {
	value *Node // fixed value; nil is null
	text  string
	vars  []*variable // when set, text must be resolved
}

type vpState uint8

const (
	psOut vpState = iota
	psEscapeVar
	psEscapeVarDollar
	psMaybeVariableOpen
	psMaybeTypeStart
	psMaybeNextSourceStart
	psMaybeType
	psTypeOrSourceLiteral
	psParamStart
	psParam
	psAfterParamString
	psMaybeAddressOpen
	psMaybeAddressStart
	psAddress
	psAfterAddressString
	psAfterSourceLiteralString
	psForeign
	psEscapeString
	psDoubleQuotedString
	psSingleQuotedString
)

type vpList struct{ items []*variable }

type vpContext struct {
	state            vpState
	variableStart    int
	contextStart     int
	variables        *vpList
	contextVariables *vpList
	currentSource    *varSource
	sources          []*varSource
}

// vparser is the framework's variable syntax state machine. Nested
// variables (in parameters and addresses) are parsed in contexts whose
// variables collect separately.
type vparser struct {
	value            string
	index            int
	state            vpState
	stringContext    vpState
	variables        *vpList
	sources          []*varSource
	contexts         []vpContext
	currentSource    *varSource
	contextStart     int
	contextVariables *vpList
	escapeVarStart   int // -1 when none
	variableStart    int
	sourceStart      int
	paramStart       int
	addressStart     int
}

type varSyntaxError struct{ msg string }

func (p *vparser) fail(format string, args ...any) {
	panic(varSyntaxError{fmt.Sprintf(format, args...)})
}

// jsIndex converts a byte offset into the UTF-16 index JavaScript reports.
func jsIndex(s string, i int) int {
	if i > len(s) {
		i = len(s)
	}
	n := 0
	for _, r := range s[:i] {
		n += utf16.RuneLen(r)
	}
	return n
}

// parseVariables finds the variables of s; nil when there are none.
func parseVariables(s string) (vars []*variable, err error) {
	if !strings.Contains(s, "${") {
		return nil, nil
	}
	p := &vparser{value: s, escapeVarStart: -1}
	defer func() {
		if rec := recover(); rec != nil {
			e, ok := rec.(varSyntaxError)
			if !ok {
				panic(rec)
			}
			vars, err = nil, errors.New(e.msg)
		}
	}()
	return p.run(), nil
}

func varLowerAlpha(c byte) bool { return c >= 'a' && c <= 'z' }

func varAlphaNumeric(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
}

var varTypeRE = lazyre.New(`^[a-z][a-zA-Z0-9]*$`)

func (p *vparser) anyNonForeignContext() bool {
	for _, c := range p.contexts {
		if c.state != psForeign {
			return true
		}
	}
	return false
}

func (p *vparser) at(i int) int { return jsIndex(p.value, i) }

func (p *vparser) run() []*variable {
	v := p.value
	for p.index = 0; p.index < len(v); p.index++ {
		c := v[p.index]
		switch p.state {
		case psOut:
			if c == '\\' {
				if p.escapeVarStart < 0 {
					p.escapeVarStart = p.index
				}
				p.state = psEscapeVar
			} else if c == '$' {
				p.variableStart = p.index
				p.state = psMaybeVariableOpen
			} else {
				p.escapeVarStart = -1
			}
		case psEscapeVar:
			if c == '$' {
				p.state = psEscapeVarDollar
			} else {
				if c != '\\' {
					p.escapeVarStart = -1
				}
				p.state = psOut
			}
		case psEscapeVarDollar:
			if c == '{' {
				p.registerVarEscape()
				p.state = psOut
			} else {
				p.escapeVarStart = -1
				switch c {
				case '\\':
					p.escapeVarStart = p.index
					p.state = psEscapeVar
				case '$':
					p.variableStart = p.index
					p.state = psMaybeVariableOpen
				default:
					p.state = psOut
				}
			}
		case psMaybeVariableOpen:
			if c == '{' {
				if p.escapeVarStart >= 0 {
					p.registerSlashEscape()
				}
				p.state = psMaybeTypeStart
			} else {
				p.escapeVarStart = -1
				if c != '$' {
					p.releaseContext()
				}
			}
		case psMaybeTypeStart:
			switch {
			case varLowerAlpha(c):
				p.sourceStart = p.index
				p.state = psMaybeType
			case p.anyNonForeignContext():
				p.fail("Invalid variable type at index %d in \"%s\"", p.at(p.index), v)
			case c == '}':
				p.releaseContext()
			default:
				p.state = psForeign
				if c == '$' {
					p.registerContext(p.contextStart)
				}
			}
		case psMaybeNextSourceStart:
			if c == ' ' {
				continue
			}
			p.sourceStart = p.index
			switch {
			case varAlphaNumeric(c):
				p.state = psTypeOrSourceLiteral
			case c == '"':
				p.stringContext = psAfterSourceLiteralString
				p.state = psDoubleQuotedString
			case c == '\'':
				p.stringContext = psAfterSourceLiteralString
				p.state = psSingleQuotedString
			default:
				p.fail("Invalid variable source at index %d in \"%s\"", p.at(p.index), v)
			}
		case psMaybeType:
			switch {
			case c == ':':
				p.currentSource = &varSource{typ: v[p.sourceStart:p.index]}
				p.state = psMaybeAddressStart
			case c == '(':
				p.currentSource = &varSource{typ: v[p.sourceStart:p.index], hasParams: true}
				p.state = psParamStart
			case !varAlphaNumeric(c):
				if p.anyNonForeignContext() {
					p.fail("Invalid variable type at index %d in \"%s\"", p.at(p.sourceStart), v)
				}
				if c == '}' {
					p.releaseContext()
				} else {
					p.state = psForeign
					if c == '$' {
						p.registerContext(p.contextStart)
					}
				}
			}
		case psTypeOrSourceLiteral:
			switch {
			case c == ' ':
				continue
			case c == ':' || c == '(':
				typ := v[p.sourceStart:p.index]
				if !varTypeRE.MatchString(typ) {
					p.fail("Invalid variable source at index %d in \"%s\"", p.at(p.sourceStart), v)
				}
				p.currentSource = &varSource{typ: typ, hasParams: c == '('}
				if c == ':' {
					p.state = psMaybeAddressStart
				} else {
					p.state = psParamStart
				}
			case c == '}':
				lit, ok := parseVarLiteral(jsTrim(v[p.sourceStart:p.index]), false)
				if !ok {
					p.fail("Invalid literal source \"%s\" at index %d in \"%s\"", jsTrim(v[p.sourceStart:p.index]), p.at(p.sourceStart), v)
				}
				p.currentSource = &varSource{literal: true, value: lit}
				p.finalizeVariable()
			case !varAlphaNumeric(c):
				p.fail("Invalid variable source at index %d in \"%s\"", p.at(p.sourceStart), v)
			}
		case psParamStart:
			switch c {
			case ' ':
				continue
			case ')':
				p.state = psMaybeAddressOpen
			case ',':
				p.currentSource.params = append(p.currentSource.params, &varMeta{})
			case '}':
				p.fail("Invalid variable param at index %d in \"%s\"", p.at(p.index), v)
			default:
				p.paramStart = p.index
				switch c {
				case '"':
					p.stringContext = psAfterParamString
					p.state = psDoubleQuotedString
				case '\'':
					p.stringContext = psAfterParamString
					p.state = psSingleQuotedString
				default:
					p.state = psParam
					p.contextVariables = nil
					if c == '$' {
						p.registerContext(p.paramStart)
					}
				}
			}
		case psParam:
			switch c {
			case ')', ',':
				text := jsTrim(v[p.paramStart:p.index])
				if c == ',' || text != "" {
					p.currentSource.params = append(p.currentSource.params, p.paramMeta(text))
				}
				if c == ')' {
					p.state = psMaybeAddressOpen
				} else {
					p.state = psParamStart
				}
			case '}':
				p.fail("Invalid variable param at index %d in \"%s\"", p.at(p.paramStart), v)
			case '$':
				p.registerContext(p.paramStart)
			}
		case psAfterParamString:
			switch c {
			case ' ':
				continue
			case ')', ',':
				s := p.parseString(p.paramStart)
				p.currentSource.params = append(p.currentSource.params, &varMeta{value: NewString(s, diag.Pos{})})
				if c == ')' {
					p.state = psMaybeAddressOpen
				} else {
					p.state = psParamStart
				}
			default:
				p.fail("Invalid variable param at index %d in \"%s\"", p.at(p.paramStart), v)
			}
		case psMaybeAddressOpen:
			switch c {
			case ' ':
				continue
			case ':':
				p.state = psMaybeAddressStart
			case '}':
				p.finalizeVariable()
			case ',':
				p.finalizeSource()
			default:
				p.fail("Invalid variable address at index %d in \"%s\"", p.at(p.index), v)
			}
		case psMaybeAddressStart:
			switch c {
			case ' ':
				continue
			case '}':
				p.finalizeVariable()
			case ',':
				p.finalizeSource()
			default:
				p.addressStart = p.index
				switch c {
				case ':':
					if !p.currentSource.hasParams && !p.anyNonForeignContext() {
						p.currentSource = nil
						p.state = psForeign
					} else {
						p.fail("Invalid variable address at index %d in \"%s\"", p.at(p.addressStart), v)
					}
				case '"':
					p.stringContext = psAfterAddressString
					p.state = psDoubleQuotedString
				case '\'':
					p.stringContext = psAfterAddressString
					p.state = psSingleQuotedString
				default:
					p.state = psAddress
					p.contextVariables = nil
					if c == '$' {
						p.registerContext(p.addressStart)
					}
				}
			}
		case psAddress:
			switch c {
			case '}', ',':
				p.currentSource.address = p.addressMeta(jsTrim(v[p.addressStart:p.index]))
				if c == '}' {
					p.finalizeVariable()
				} else {
					p.finalizeSource()
				}
			case '$':
				p.registerContext(p.addressStart)
			}
		case psAfterAddressString:
			switch c {
			case ' ':
				continue
			case '}', ',':
				s := p.parseString(p.addressStart)
				p.currentSource.address = &varMeta{value: NewString(s, diag.Pos{})}
				if c == '}' {
					p.finalizeVariable()
				} else {
					p.finalizeSource()
				}
			default:
				p.fail("Invalid variable address at index %d in \"%s\"", p.at(p.addressStart), v)
			}
		case psAfterSourceLiteralString:
			switch c {
			case ' ':
				continue
			case '}':
				s := p.parseString(p.sourceStart)
				p.currentSource = &varSource{literal: true, value: NewString(s, diag.Pos{})}
				p.finalizeVariable()
			default:
				p.fail("Invalid variable source at index %d in \"%s\"", p.at(p.sourceStart), v)
			}
		case psForeign:
			if c == '}' {
				p.releaseContext()
			} else if c == '$' {
				p.registerContext(p.contextStart)
			}
		case psEscapeString:
			p.state = psDoubleQuotedString
		case psDoubleQuotedString:
			if c == '"' {
				p.state = p.stringContext
			} else if c == '\\' {
				p.state = psEscapeString
			}
		case psSingleQuotedString:
			if c == '\'' {
				p.state = p.stringContext
			}
		}
	}
	if p.currentSource != nil || p.sources != nil {
		p.fail("Missing variable closing bracket in %s", v)
	}
	if p.variables == nil {
		return nil
	}
	return normalizeVarList(v, p.variables.items)
}

func normalizeVarList(text string, vars []*variable) []*variable {
	switch len(vars) {
	case 0:
		return nil
	case 1:
		if vars[0].start == 0 && vars[0].end == len(text) {
			vars[0].whole = true
		}
	}
	return vars
}

// paramMeta is a parameter written without quotes: a literal (true, 12,
// ./file.yml) unless it holds variables. Like the framework, a falsy
// literal (false, 0, null) becomes null.
func (p *vparser) paramMeta(text string) *varMeta {
	if p.contextVariables == nil {
		lit, _ := parseVarLiteral(text, true)
		if !lit.Truthy() {
			lit = nil
		}
		return &varMeta{value: lit}
	}
	return p.textMeta(text)
}

func (p *vparser) addressMeta(text string) *varMeta {
	if p.contextVariables == nil {
		if text == "" {
			return &varMeta{}
		}
		return &varMeta{value: NewString(text, diag.Pos{})}
	}
	return p.textMeta(text)
}

func (p *vparser) textMeta(text string) *varMeta {
	vars := normalizeVarList(text, p.contextVariables.items)
	if vars == nil {
		if text == "" {
			return &varMeta{}
		}
		return &varMeta{value: NewString(text, diag.Pos{})}
	}
	return &varMeta{text: text, vars: vars}
}

func (p *vparser) parseString(start int) string {
	raw := p.value[start:p.index]
	if p.value[start] == '\'' {
		s := jsTrim(raw)
		return s[1 : len(s)-1]
	}
	var s string
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		p.fail("Invalid string literal at index %d in \"%s\": %v", p.at(start), p.value, err)
	}
	return s
}

func (p *vparser) registerVarEscape() {
	if p.variables == nil {
		p.variables = &vpList{}
	}
	n := p.index - p.escapeVarStart - 2
	p.variables.items = append(p.variables.items, &variable{
		start:    p.escapeVarStart - p.contextStart,
		end:      p.index - p.contextStart,
		escape:   true,
		escValue: strings.Repeat("\\", (n+1)/2) + p.value[p.index-1:p.index],
	})
	p.escapeVarStart = -1
}

func (p *vparser) registerSlashEscape() {
	if p.variables == nil {
		p.variables = &vpList{}
	}
	n := p.index - p.escapeVarStart - 2
	p.variables.items = append(p.variables.items, &variable{
		start:    p.escapeVarStart - p.contextStart,
		end:      p.index - 1 - p.contextStart,
		escape:   true,
		escValue: strings.Repeat("\\", (n+1)/2),
	})
	p.escapeVarStart = -1
}

func (p *vparser) finalizeSource() {
	p.sources = append(p.sources, p.currentSource)
	p.currentSource = nil
	p.state = psMaybeNextSourceStart
}

func (p *vparser) finalizeVariable() {
	p.finalizeSource()
	if p.variables == nil {
		p.variables = &vpList{}
	}
	p.variables.items = append(p.variables.items, &variable{
		start:   p.variableStart - p.contextStart,
		end:     p.index + 1 - p.contextStart,
		sources: p.sources,
		text:    p.value[p.variableStart : p.index+1],
	})
	p.sources = nil
	p.releaseContext()
}

// registerContext starts a nested variable. A non-zero newStart starts a
// parameter or address whose variables collect in contextVariables.
func (p *vparser) registerContext(newStart int) {
	if p.variables == nil {
		p.variables = &vpList{}
	}
	if newStart != 0 && p.contextVariables == nil {
		p.contextVariables = &vpList{}
	}
	p.contexts = append(p.contexts, vpContext{
		state: p.state, variableStart: p.variableStart, contextStart: p.contextStart,
		variables: p.variables, contextVariables: p.contextVariables,
		currentSource: p.currentSource, sources: p.sources,
	})
	p.state = psMaybeVariableOpen
	p.variableStart = p.index
	p.sources = nil
	if newStart != 0 {
		p.contextStart = newStart
		p.variables = p.contextVariables
	}
}

func (p *vparser) releaseContext() {
	if len(p.contexts) == 0 {
		p.state = psOut
		return
	}
	c := p.contexts[len(p.contexts)-1]
	p.contexts = p.contexts[:len(p.contexts)-1]
	p.state, p.variableStart, p.variables, p.contextVariables = c.state, c.variableStart, c.variables, c.contextVariables
	p.currentSource, p.sources = c.currentSource, c.sources
	if p.state == psParam {
		p.paramStart = p.contextStart
	}
	if p.state == psAddress {
		p.addressStart = p.contextStart
	}
	p.contextStart = c.contextStart
}

// parseVarChunks parses each piece of a string assembled by interpolation on
// its own, so that text which only looks like a variable once joined (or
// an escaped "${") is not taken for one.
func parseVarChunks(chunks []string) ([]*variable, error) {
	var out []*variable
	base := 0
	for _, c := range chunks {
		vars, err := parseVariables(c)
		if err != nil {
			return nil, err
		}
		for _, v := range vars {
			if v.whole {
				v.whole = false
				v.start, v.end = 0, len(c)
			}
			v.start += base
			v.end += base
			out = append(out, v)
		}
		base += len(c)
	}
	return out, nil
}

// jsTrim trims what String#trim trims.
func jsTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
			return true
		}
		return r >= 0x2000 && r <= 0x200a
	})
}

var varJSDecimalRE = lazyre.New(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// jsNumber converts like JavaScript's Number(string).
func jsNumber(s string) (float64, bool) {
	s = jsTrim(s)
	switch s {
	case "":
		return 0, true
	case "Infinity", "+Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			f := 0.0
			for _, c := range s[2:] {
				d, err := strconv.ParseUint(string(c), base, 8)
				if err != nil {
					return 0, false
				}
				f = f*float64(base) + float64(d)
			}
			return f, true
		}
	}
	if !varJSDecimalRE.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// parseVarLiteral reads an unquoted literal: true, false, null, a number, or
// (when fallbackToText) the text itself. A nil Node is null.
func parseVarLiteral(s string, fallbackToText bool) (*Node, bool) {
	switch s {
	case "true":
		return NewBool(true, diag.Pos{}), true
	case "false":
		return NewBool(false, diag.Pos{}), true
	case "null":
		return nil, true
	}
	if f, ok := jsNumber(s); ok {
		return NewNumber(f, diag.Pos{}), true
	}
	if fallbackToText {
		return NewString(s, diag.Pos{}), true
	}
	return nil, false
}

// ---------------------------------------------------------------------------
// Resolution

const maxVarNest = 10

type varStatus uint8

const (
	stPending varStatus = iota
	stResolving
	stDone
	stFailed
)

// varState tracks one string that holds variables.
type varState struct {
	status varStatus
	prop   bool     // the string is a property of the configuration
	path   []string // its property path (or the property it serves)
	vars   []*variable
	depth  int // how many resolutions produced this string
}

var varDoneState = &varState{status: stDone}

type varFile struct {
	data   []byte
	exists bool
	err    error
	parsed bool
	node   *Node
	ok     bool
}

// resolverRuns numbers the resolutions, for Node.resolvedIn.
var resolverRuns atomic.Uint32

type varResolver struct {
	v       Variables
	baseDir string
	sources map[string][]byte
	diags   diag.List
	holder  *Node // a List holding the configuration
	states  map[*Node]*varState
	depth   map[*Node]int // nest depth of values that resolutions produced
	// run marks the containers whose variables are all resolved (see
	// Node.resolvedIn): a field of the node instead of a set of every node.
	run    uint32
	stack  []*varState
	files  map[string]*varFile
	warned map[string]bool // file paths checked against ServiceDir
	// Budgets that stop a configuration whose variables expand
	// exponentially (a file including itself twice per level).
	nodes, bytes int
	exhausted    bool
}

// Resolution budgets: a few times what one file may hold.
const (
	maxResolvedNodes = 4 * MaxNodes
	maxResolvedBytes = 32 << 20
)

// spend accounts for values that resolution creates; false (with one
// error) once the budget is spent.
func (r *varResolver) spend(ctx varCtx, nodes, bytes int) bool {
	if r.exhausted {
		return false
	}
	r.nodes += nodes
	r.bytes += bytes
	if r.nodes > maxResolvedNodes || r.bytes > maxResolvedBytes {
		r.exhausted = true
		r.diags.Errorf(ctx.pos, "variables expand too much",
			"Resolving variables produced more than %d values or %d MB of text; something probably includes itself several times. Reduce the nesting of variables.", maxResolvedNodes, maxResolvedBytes>>20)
		return false
	}
	return true
}

// cloneBudgeted copies v, within the budget.
func (r *varResolver) cloneBudgeted(ctx varCtx, v *Node) (*Node, bool) {
	nodes, bytes := 0, 0
	var count func(*Node)
	count = func(n *Node) {
		if n == nil {
			return
		}
		nodes++
		bytes += len(n.Value)
		for _, p := range n.Pairs {
			count(p.Value)
		}
		for _, it := range n.Items {
			count(it)
		}
	}
	count(v)
	if !r.spend(ctx, nodes, bytes) {
		return nil, false
	}
	return v.Clone(), true
}

// varCtx says where a variable is: diagnostics go to pos, path names the
// property whose value is being resolved.
type varCtx struct {
	pos  diag.Pos
	path []string
}

func varPath(p []string) string { return strings.Join(p, ".") }

func varSlotGet(parent *Node, i int) *Node {
	if parent.Kind == Map {
		return parent.Pairs[i].Value
	}
	return parent.Items[i]
}

func varSlotSet(parent *Node, i int, v *Node) {
	if parent.Kind == Map {
		parent.Pairs[i].Value = v
	} else {
		parent.Items[i] = v
	}
}

func varAppendPath(p []string, k string) []string {
	out := make([]string, len(p), len(p)+1)
	copy(out, p)
	return append(out, k)
}

// resolveSlot resolves the value at parent's i-th key or item, replacing it
// in parent, and returns it. ok is false when it cannot be resolved (its
// diagnostic was reported where the problem is).
func (r *varResolver) resolveSlot(parent *Node, i int, p []string, depth int, prop bool) (*Node, bool) {
	n := varSlotGet(parent, i)
	if n == nil || n.Kind != String {
		return n, true
	}
	if r.exhausted && strings.Contains(n.Value, "${") {
		return n, false
	}
	st := r.states[n]
	if st == nil {
		vars, err := parseVariables(n.Value)
		switch {
		case err != nil:
			r.diags.Errorf(n.Pos, "invalid variable syntax",
				"%s. Fix the ${...} expression, or write \\${ to keep a literal \"${\".", err)
			r.states[n] = &varState{status: stFailed}
			return n, false
		case vars == nil:
			if strings.Contains(n.Value, "${") {
				r.states[n] = varDoneState
			}
			return n, true
		}
		// p may share its array with the paths of the walk (see
		// resolveTree): the state keeps a copy.
		st = &varState{prop: prop, path: slices.Clip(slices.Clone(p)), vars: vars, depth: depth}
		r.states[n] = st
	}
	switch st.status {
	case stDone:
		return n, true
	case stFailed:
		return n, false
	case stResolving:
		return n, false // reported by the caller that detected the cycle
	}
	st.status = stResolving
	r.stack = append(r.stack, st)
	val, ok := r.resolveValue(varCtx{pos: n.Pos, path: st.path}, n.Value, st)
	r.stack = r.stack[:len(r.stack)-1]
	if !ok {
		st.status = stFailed
		return n, false
	}
	st.status = stDone
	val.Pos = n.Pos
	if val.Kind == String {
		r.states[val] = varDoneState
	} else if val.Kind == Map || val.Kind == List {
		r.depth[val] = st.depth + 1
		if st.depth+1 > maxVarNest && r.holdsVariables(val) {
			r.diags.Errorf(n.Pos, "variables nested too deeply",
				"Resolving this value goes more than %d levels deep (a file that includes itself?). Break the chain of variables.", maxVarNest)
			st.status = stFailed
			return n, false
		}
	}
	varSlotSet(parent, i, val)
	return val, true
}

// holdsVariables reports whether a string under n holds a variable.
func (r *varResolver) holdsVariables(n *Node) bool {
	switch n.Kind {
	case String:
		vars, err := parseVariables(n.Value)
		return vars != nil || err != nil
	case Map:
		for _, p := range n.Pairs {
			if r.holdsVariables(p.Value) {
				return true
			}
		}
	case List:
		for _, it := range n.Items {
			if r.holdsVariables(it) {
				return true
			}
		}
	}
	return false
}

// resolveTree resolves every variable under the container n.
func (r *varResolver) resolveTree(n *Node, p []string, depth int, prop bool) bool {
	if n == nil || (n.Kind != Map && n.Kind != List) || n.resolvedIn == r.run {
		return true
	}
	if d, ok := r.depth[n]; ok && d > depth {
		depth = d
	}
	ok := true
	// The children's paths are p and their key, built in one array of
	// spare room that the walk reuses; a varState copies the path it
	// keeps.
	if cap(p)-len(p) < 1 {
		p = slices.Grow(p[:len(p):len(p)], 8)
	}
	visit := func(i int, key string) {
		c := varSlotGet(n, i)
		if c == nil || c.Kind == String && !strings.Contains(c.Value, "${") || c.resolvedIn == r.run {
			return // nothing to resolve: skip building its path
		}
		if c.Kind != String && c.Kind != Map && c.Kind != List {
			return
		}
		cp := append(p, key)
		v, good := r.resolveSlot(n, i, cp, depth, prop)
		if !good {
			ok = false
			return
		}
		if v != nil && !r.resolveTree(v, cp, depth, prop) {
			ok = false
		}
	}
	if n.Kind == Map {
		for i := range n.Pairs {
			visit(i, n.Pairs[i].Key)
		}
	} else {
		for i := range n.Items {
			visit(i, strconv.Itoa(i))
		}
	}
	if ok {
		n.resolvedIn = r.run
	}
	return ok
}

// resolveValue resolves the variables of one string. A result that is
// again a string with variables is resolved again, as the framework does.
func (r *varResolver) resolveValue(ctx varCtx, raw string, st *varState) (*Node, bool) {
	vars := st.vars
	for {
		val, chunks, ok := r.interpolate(ctx, raw, vars)
		if !ok {
			return nil, false
		}
		if val.Kind != String {
			return val, true
		}
		var err error
		if chunks != nil {
			vars, err = parseVarChunks(chunks)
		} else {
			vars, err = parseVariables(val.Value)
		}
		if err != nil {
			r.diags.Errorf(ctx.pos, "invalid variable syntax",
				"The value resolved for %q is %q, whose variable syntax is invalid: %s.", varPath(ctx.path), val.Value, err)
			return nil, false
		}
		if vars == nil {
			return val, true
		}
		st.depth++
		if st.depth > maxVarNest {
			r.diags.Errorf(ctx.pos, "variables nested too deeply",
				"The value of %q still holds variables after %d rounds of resolution (a variable that resolves to itself?). Break the chain of variables.", varPath(ctx.path), maxVarNest)
			return nil, false
		}
		raw = val.Value
	}
}

// interpolate resolves each variable of raw once. A variable that is the
// whole string gives its value as is; otherwise the pieces are joined into a
// string, and returned too so they can be parsed one by one.
func (r *varResolver) interpolate(ctx varCtx, raw string, vars []*variable) (*Node, []string, bool) {
	if len(vars) == 1 && vars[0].whole && !vars[0].escape {
		v, ok := r.resolveVariable(ctx, vars[0])
		if !ok {
			return nil, nil, false
		}
		if v == nil {
			v = &Node{Kind: Null}
		}
		return v, nil, true
	}
	chunks := make([]string, 0, 2*len(vars)+1)
	last := 0
	for _, va := range vars {
		var s string
		if va.escape {
			s = va.escValue
		} else {
			v, ok := r.resolveVariable(ctx, va)
			if !ok {
				return nil, nil, false
			}
			str, ok := jsCoerceString(v)
			if !ok {
				r.diags.Errorf(ctx.pos, "cannot embed "+va.text+" in a string",
					"It resolves to %s, which cannot be part of a string. Make the variable the whole value, or point it at a string.", varDescribe(v))
				return nil, nil, false
			}
			s = str
		}
		chunks = append(chunks, raw[last:va.start], s)
		last = va.end
	}
	chunks = append(chunks, raw[last:])
	size := 0
	for _, c := range chunks {
		size += len(c)
	}
	if !r.spend(ctx, 1, size) {
		return nil, nil, false
	}
	return NewString(strings.Join(chunks, ""), diag.Pos{}), chunks, true
}

func varDescribe(v *Node) string {
	switch {
	case v == nil || v.Kind == Null:
		return "null"
	case v.Kind == Map:
		return "an object"
	case v.Kind == List:
		return "a list"
	}
	return "a " + v.Kind.String()
}

// jsCoerceString converts a value to a string as the framework's coerceString
// does: lists join with commas, objects and null do not convert.
func jsCoerceString(v *Node) (string, bool) {
	if v == nil {
		return "", false
	}
	switch v.Kind {
	case String, Number, Bool:
		return v.Value, true
	case List:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			switch {
			case it == nil || it.Kind == Null:
			case it.Kind == Map:
				parts[i] = "[object Object]"
			default:
				parts[i], _ = jsCoerceString(it)
			}
		}
		return strings.Join(parts, ","), true
	}
	return "", false
}

var varKnownSources = []string{"aws", "cf", "env", "file", "opt", "param", "s3", "self", "sls", "ssm", "strToBool"}

func varIsKnownSource(t string) bool {
	for _, k := range varKnownSources {
		if k == t {
			return true
		}
	}
	return false
}

// resolveVariable tries a variable's sources in turn; a null result moves
// on to the next one, an error stops. It returns nil for a null literal.
func (r *varResolver) resolveVariable(ctx varCtx, va *variable) (*Node, bool) {
	for i, src := range va.sources {
		if src.literal {
			return src.value.Clone(), true
		}
		if !varIsKnownSource(src.typ) {
			r.diags.Errorf(ctx.pos, fmt.Sprintf("unknown variable source %q", src.typ),
				"%s reads source %q, which the Serverless Framework does not provide. Known sources are %s.%s",
				va.text, src.typ, strings.Join(varKnownSources, ", "), diag.DidYouMean(src.typ, varKnownSources))
			return nil, false
		}
		val, why, ok := r.resolveSource(ctx, va, src)
		if !ok {
			return nil, false
		}
		if val != nil && val.Kind != Null {
			return val, true
		}
		if i == len(va.sources)-1 {
			r.diags.Errorf(ctx.pos, "cannot resolve "+va.text, "%s", why)
			return nil, false
		}
	}
	return nil, true // not reached: the last source is either typed or a literal
}

func (r *varResolver) fail(ctx varCtx, va *variable, format string, args ...any) (*Node, string, bool) {
	r.diags.Errorf(ctx.pos, "cannot resolve "+va.text, format, args...)
	return nil, "", false
}

// metaValue resolves a parameter or an address.
func (r *varResolver) metaValue(ctx varCtx, m *varMeta) (*Node, bool) {
	if m.vars == nil {
		return m.value, true
	}
	return r.resolveDetached(ctx, m.text, m.vars)
}

// resolveDetached resolves text that is not part of the configuration (a
// parameter, an address, a string inside a file being addressed). vars
// may be nil, in which case text is parsed.
func (r *varResolver) resolveDetached(ctx varCtx, text string, vars []*variable) (*Node, bool) {
	n := NewString(text, ctx.pos)
	holder := &Node{Kind: List, Items: []*Node{n}}
	if vars != nil {
		r.states[n] = &varState{path: ctx.path, vars: vars}
	}
	v, ok := r.resolveSlot(holder, 0, ctx.path, 0, false)
	if !ok {
		return nil, false
	}
	if !r.resolveTree(v, ctx.path, 0, false) {
		return nil, false
	}
	if v.Kind == Null {
		return nil, true
	}
	return v, true
}

// resolveSource resolves one typed source. A nil value with ok means "no
// value", why then says why.
func (r *varResolver) resolveSource(ctx varCtx, va *variable, src *varSource) (*Node, string, bool) {
	var params []*Node
	for _, m := range src.params {
		v, ok := r.metaValue(ctx, m)
		if !ok {
			return nil, "", false
		}
		params = append(params, v)
	}
	var address *Node
	if src.address != nil {
		v, ok := r.metaValue(ctx, src.address)
		if !ok {
			return nil, "", false
		}
		address = v
	}
	// Most sources read the address as a string.
	addr := func() (string, bool) {
		if address == nil || address.Kind == Null {
			r.fail(ctx, va, "The %q source needs an address, as in ${%s:NAME}.", src.typ, src.typ)
			return "", false
		}
		s, ok := jsCoerceString(address)
		if !ok {
			r.fail(ctx, va, "The address of the %q source resolves to %s; it must be a string.", src.typ, varDescribe(address))
		}
		return s, ok
	}
	switch src.typ {
	case "self":
		var keys []string
		if address != nil && address.Kind != Null {
			s, ok := addr()
			if !ok {
				return nil, "", false
			}
			if s != "" {
				keys = strings.Split(s, ".")
			}
		}
		v, ok := r.lookupConfig(ctx, keys)
		if !ok {
			return nil, "", false
		}
		if v != nil {
			return v, "", true
		}
		return nil, fmt.Sprintf("The configuration has no value at %q. Fix the path, or add a fallback: ${self:%s, 'default'}.", varPath(keys), varPath(keys)), true
	case "opt":
		if address == nil || address.Kind == Null {
			return r.optionsMap(), "", true
		}
		name, ok := addr()
		if !ok {
			return nil, "", false
		}
		if s, found := r.v.Options[name]; found {
			return NewString(s, diag.Pos{}), "", true
		}
		return nil, fmt.Sprintf("Option --%s was not given. Pass it on the command line, or add a fallback: ${opt:%s, 'default'}.", name, name), true
	case "env":
		name, ok := addr()
		if !ok {
			return nil, "", false
		}
		if s, found := r.v.Env[name]; found {
			return NewString(s, diag.Pos{}), "", true
		}
		return nil, fmt.Sprintf("Environment variable %s is not set. Set it, or add a fallback: ${env:%s, 'default'}.", name, name), true
	case "param":
		name, ok := addr()
		if !ok {
			return nil, "", false
		}
		if s, found := r.v.Params[name]; found {
			return NewString(strings.TrimRight(s, " \t\n\r"), diag.Pos{}), "", true
		}
		// Then the configuration's params block: the stage's, then default
		// (the dashboard plugin's order; a null value does not count).
		stage, _, ok := r.optionOrConfig(ctx, "stage", "dev")
		if !ok {
			return nil, "", false
		}
		for _, scope := range []string{jsStringOf(stage), "default"} {
			v, ok := r.lookupConfig(ctx, []string{"params", scope, name})
			if !ok {
				return nil, "", false
			}
			if v != nil && v.Kind != Null {
				return v, "", true
			}
		}
		return nil, fmt.Sprintf("Parameter %q is not defined for this stage. Define it in the stage's params or with --param \"%s=VALUE\", or add a fallback.", name, name), true
	case "sls":
		name, ok := addr()
		if !ok {
			return nil, "", false
		}
		switch name {
		case "stage":
			return r.optionOrConfig(ctx, "stage", "dev")
		case "instanceId":
			r.diags.Errorf(ctx.pos, "${sls:instanceId} is not deterministic",
				"%s changes on every run, so the compiled template would change every time. Avoid it: use a fixed value or ${sls:stage}.", va.text)
			return nil, "", false
		}
		return r.fail(ctx, va, "Unsupported %q address argument in variable \"sls\" source; use ${sls:stage}.", name)
	case "aws":
		name, ok := addr()
		if !ok {
			return nil, "", false
		}
		switch name {
		case "region":
			return r.optionOrConfig(ctx, "region", "us-east-1")
		case "accountId":
			return r.external(ctx, va, "aws:accountId", "calls AWS STS")
		}
		return r.fail(ctx, va, "Unsupported %q address argument in variable \"aws\" source; use ${aws:region} or ${aws:accountId}.", name)
	case "strToBool":
		if len(params) == 0 || params[0] == nil || params[0].Kind == Null {
			return r.fail(ctx, va, "Missing \"strToBool\" input. Write ${strToBool(true)}, with \"true\", \"false\", \"1\" or \"0\".")
		}
		s, ok := jsCoerceString(params[0])
		if !ok {
			return r.fail(ctx, va, "The \"strToBool\" input resolves to %s; it must be a string.", varDescribe(params[0]))
		}
		switch strings.ToLower(jsTrim(s)) {
		case "true", "1":
			return NewBool(true, diag.Pos{}), "", true
		case "false", "0":
			return NewBool(false, diag.Pos{}), "", true
		}
		return r.fail(ctx, va, "Invalid \"strToBool\" input %q: expected \"true\", \"false\", \"0\" or \"1\".", s)
	case "file":
		return r.fileSource(ctx, va, params, address)
	case "cf", "s3", "ssm":
		name, ok := addr()
		if !ok {
			return nil, "", false
		}
		switch {
		case src.typ == "cf" && !strings.Contains(name, "."):
			return r.fail(ctx, va, "Unsupported %q address argument in variable \"cf\" source. Expected \"<stack-name>.<output-id>\" format.", name)
		case src.typ == "s3" && !strings.Contains(name, "/"):
			return r.fail(ctx, va, "Unsupported %q address argument in variable \"s3\" source. Expected \"<bucket-name>/<key>\" format.", name)
		}
		key := src.typ
		if src.hasParams {
			ps := make([]string, len(params))
			for i, p := range params {
				ps[i], _ = jsCoerceString(p)
			}
			key += "(" + strings.Join(ps, ",") + ")"
		}
		what := map[string]string{"cf": "reads a CloudFormation stack output", "s3": "reads an S3 object", "ssm": "reads an SSM parameter"}[src.typ]
		return r.external(ctx, va, key+":"+name, what)
	}
	return nil, "", false // not reached: unknown sources are reported before
}

func (r *varResolver) optionsMap() *Node {
	names := make([]string, 0, len(r.v.Options))
	for k := range r.v.Options {
		names = append(names, k)
	}
	sort.Strings(names)
	m := &Node{Kind: Map}
	for _, k := range names {
		m.Pairs = append(m.Pairs, Pair{Key: k, Value: NewString(r.v.Options[k], diag.Pos{})})
	}
	return m
}

// optionOrConfig gives ${sls:stage} and ${aws:region}: the CLI option, else
// provider.NAME, else the default.
func (r *varResolver) optionOrConfig(ctx varCtx, name, def string) (*Node, string, bool) {
	if s := r.v.Options[name]; s != "" {
		return NewString(s, diag.Pos{}), "", true
	}
	v, ok := r.lookupConfig(ctx, []string{"provider", name})
	if !ok {
		return nil, "", false
	}
	if v.Truthy() {
		return v, "", true
	}
	return NewString(def, diag.Pos{}), "", true
}

// external gives a value that needs AWS or code from Variables.External.
func (r *varResolver) external(ctx varCtx, va *variable, key, what string) (*Node, string, bool) {
	if s, ok := r.v.External[key]; ok {
		return NewString(s, diag.Pos{}), "", true
	}
	r.diags.Errorf(ctx.pos, "cannot resolve "+va.text+" offline",
		"This variable %s when the framework packages the service; stepform does not. Supply its value with --var '%s=<value>'.", what, key)
	return nil, "", false
}

// lookupConfig follows keys through the configuration, resolving what it
// passes, and returns a copy of the fully resolved value there (nil when
// there is none). A property met again while it is being resolved is a
// cycle.
func (r *varResolver) lookupConfig(ctx varCtx, keys []string) (*Node, bool) {
	parent, idx := r.holder, 0
	var p []string
	depth := 0
	for _, k := range keys {
		cur, ok := r.resolveSlotFor(ctx, parent, idx, p, depth)
		if !ok {
			return nil, false
		}
		if d := r.depth[cur]; d > depth {
			depth = d
		}
		if cur == nil || cur.Kind == Null {
			return nil, true
		}
		p = varAppendPath(p, k)
		switch cur.Kind {
		case Map:
			j := -1
			for i := range cur.Pairs {
				if cur.Pairs[i].Key == k {
					j = i
					break
				}
			}
			if j < 0 {
				return nil, true
			}
			parent, idx = cur, j
			continue
		case List:
			if j, ok := jsArrayIndex(k, len(cur.Items)); ok {
				parent, idx = cur, j
				continue
			}
		}
		// A property of a scalar (or a list's length): the rest of the
		// path reads plain values.
		v := jsPropGet(cur, k)
		for _, k2 := range keys[len(p):] {
			if v == nil {
				break
			}
			v = jsPropGet(v, k2)
		}
		return r.cloneBudgeted(ctx, v)
	}
	v, ok := r.resolveSlotFor(ctx, parent, idx, p, depth)
	if !ok {
		return nil, false
	}
	if !r.resolveTreeFor(ctx, v, p, depth) {
		return nil, false
	}
	if v == nil || v.Kind == Null {
		return nil, true
	}
	return r.cloneBudgeted(ctx, v)
}

// resolveSlotFor is resolveSlot on behalf of the variable at ctx, which
// reports a cycle when the slot is being resolved already.
func (r *varResolver) resolveSlotFor(ctx varCtx, parent *Node, i int, p []string, depth int) (*Node, bool) {
	n := varSlotGet(parent, i)
	if st := r.states[n]; st != nil && st.status == stResolving {
		r.reportCycle(ctx, st)
		return nil, false
	}
	return r.resolveSlot(parent, i, p, depth, true)
}

// resolveTreeFor is resolveTree on behalf of the variable at ctx.
func (r *varResolver) resolveTreeFor(ctx varCtx, n *Node, p []string, depth int) bool {
	if n == nil || (n.Kind != Map && n.Kind != List) || n.resolvedIn == r.run {
		return true
	}
	if st := r.resolvingUnder(n); st != nil {
		r.reportCycle(ctx, st)
		return false
	}
	return r.resolveTree(n, p, depth, true)
}

// resolvingUnder returns the state of a string under n that is being
// resolved, if any. The stack is short, so it is checked against the
// strings under n only when there is one.
func (r *varResolver) resolvingUnder(n *Node) *varState {
	if len(r.stack) == 0 {
		return nil
	}
	var found *varState
	var walk func(*Node)
	walk = func(x *Node) {
		if x == nil || found != nil || x.resolvedIn == r.run {
			return
		}
		switch x.Kind {
		case String:
			if st := r.states[x]; st != nil && st.status == stResolving {
				found = st
			}
		case Map:
			for _, pr := range x.Pairs {
				walk(pr.Value)
			}
		case List:
			for _, it := range x.Items {
				walk(it)
			}
		}
	}
	walk(n)
	return found
}

func (r *varResolver) reportCycle(ctx varCtx, target *varState) {
	var chain []string
	for i := len(r.stack) - 1; i >= 0; i-- {
		st := r.stack[i]
		if st.prop && (len(chain) == 0 || chain[len(chain)-1] != varPath(st.path)) {
			chain = append(chain, varPath(st.path))
		}
		if st == target {
			break
		}
	}
	// chain runs from the requester back to the target; print it forwards.
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	chain = append(chain, varPath(target.path))
	detail := "These properties refer to each other through variables, so none of them has a value. Break the cycle, for example with a literal value."
	if len(chain) == 2 {
		detail = fmt.Sprintf("%q refers to itself, so it has no value. Break the cycle, for example with a literal value.", chain[0])
	}
	r.diags.Errorf(ctx.pos, "circular variable reference: "+strings.Join(chain, " → "), "%s", detail)
}

// jsArrayIndex reads k as an index the way a JavaScript array does.
func jsArrayIndex(k string, n int) (int, bool) {
	i, err := strconv.Atoi(k)
	if err != nil || i < 0 || i >= n || strconv.Itoa(i) != k {
		return 0, false
	}
	return i, true
}

// jsPropGet reads value[key] as JavaScript does for JSON values: keys of
// objects, indexes and length of lists and strings. Nil is undefined.
func jsPropGet(v *Node, k string) *Node {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Map:
		return v.Get(k)
	case List:
		if k == "length" {
			return NewNumber(float64(len(v.Items)), diag.Pos{})
		}
		if i, ok := jsArrayIndex(k, len(v.Items)); ok {
			return v.Items[i]
		}
	case String:
		u := utf16.Encode([]rune(v.Value))
		if k == "length" {
			return NewNumber(float64(len(u)), diag.Pos{})
		}
		if i, ok := jsArrayIndex(k, len(u)); ok {
			return NewString(string(utf16.Decode(u[i:i+1])), diag.Pos{})
		}
	}
	return nil
}

// jsExt is Node's path.extname.
func jsExt(p string) string {
	base := path.Base(filepath.ToSlash(p))
	i := strings.LastIndexByte(base, '.')
	if i <= 0 {
		return ""
	}
	return base[i:]
}

func (r *varResolver) readFile(p string) *varFile {
	if e, ok := r.files[p]; ok {
		return e
	}
	e := &varFile{}
	data, err := r.v.ReadFile(p)
	switch {
	case err == nil:
		e.exists, e.data = true, data
		r.sources[p] = data
	case !errors.Is(err, fs.ErrNotExist):
		e.err = err
	}
	r.files[p] = e
	return e
}

// varBlankYAML reports whether a YAML text holds no document at all, which
// js-yaml loads as undefined rather than null.
func varBlankYAML(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}

func (r *varResolver) fileSource(ctx varCtx, va *variable, params []*Node, address *Node) (*Node, string, bool) {
	if len(params) == 0 || !params[0].Truthy() {
		return r.fail(ctx, va, "Missing path argument in variable \"file\" source. Write ${file(./path.yml)}.")
	}
	rel, ok := jsCoerceString(params[0])
	if !ok {
		return r.fail(ctx, va, "The path of the \"file\" source resolves to %s; it must be a string.", varDescribe(params[0]))
	}
	var addr string
	hasAddr := address != nil && address.Kind != Null
	if hasAddr {
		if addr, ok = jsCoerceString(address); !ok {
			return r.fail(ctx, va, "The address of the \"file\" source resolves to %s; it must be a string.", varDescribe(address))
		}
		hasAddr = addr != ""
	}
	full := rel
	if !filepath.IsAbs(rel) {
		full = filepath.Join(r.baseDir, rel)
	}
	if _, seen := r.warned[full]; !seen {
		r.warned[full] = false
		if r.outsideServiceDir(full) {
			r.diags.Warnf(ctx.pos, "${file("+rel+")} reads outside the service folder",
				"%s is outside %s, so the service depends on files it does not contain. Move the file into the service folder.", full, r.v.ServiceDir)
		}
	}
	e := r.readFile(full)
	if e.err != nil {
		return r.fail(ctx, va, "Cannot read %s: %v.", full, e.err)
	}
	var content *Node
	switch ext := jsExt(full); ext {
	case ".yml", ".yaml", ".json", ".tfstate":
		if !e.exists {
			break
		}
		if !e.parsed {
			e.parsed = true
			var d diag.List
			if ext == ".json" || ext == ".tfstate" {
				// The framework reads these with JSON.parse.
				e.node, d = ParseJSON(full, e.data)
			} else {
				e.node, d = ParseYAML(full, e.data)
			}
			r.diags.Append(d)
			e.ok = !d.HasErrors() && e.node != nil
		}
		if !e.ok {
			return nil, "", false
		}
		if !hasAddr && (ext == ".yml" || ext == ".yaml") && varBlankYAML(e.data) {
			// js-yaml loads an empty document as undefined, which the
			// framework rejects (null would fall through to a fallback).
			return r.fail(ctx, va, "%s holds no YAML document; the Serverless Framework rejects an empty file here. Write a value in it.", full)
		}
		if content, ok = r.cloneBudgeted(ctx, e.node); !ok {
			return nil, "", false
		}
	case ".js", ".cjs":
		if !e.exists {
			break
		}
		key := "file(" + rel + ")"
		if hasAddr {
			key += ":" + addr
		}
		return r.external(ctx, va, key, "runs JavaScript")
	default:
		if e.exists {
			content = NewString(string(e.data), diag.Pos{File: full, Line: 1, Col: 1})
		}
	}
	if content == nil {
		return nil, fmt.Sprintf("File %s does not exist. Create it, fix the path, or add a fallback: ${file(%s), 'default'}.", full, rel), true
	}
	if !hasAddr {
		return content, "", true
	}
	result := content
	for _, k := range strings.Split(addr, ".") {
		if result.Kind == String {
			v, ok := r.resolveDetached(ctx, result.Value, nil)
			if !ok {
				return nil, "", false
			}
			result = v
		}
		result = jsPropGet(result, k)
		if result == nil || result.Kind == Null {
			return nil, fmt.Sprintf("%s has no value at %q. Fix the address, or add a fallback: ${file(%s):%s, 'default'}.", full, addr, rel, addr), true
		}
	}
	return result, "", true
}

func (r *varResolver) outsideServiceDir(p string) bool {
	dir, err1 := filepath.Abs(r.v.ServiceDir)
	abs, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(dir, abs)
	return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// jsStringOf is a resolved scalar's text ("" for anything else).
func jsStringOf(n *Node) string {
	if n == nil || n.Kind == Map || n.Kind == List || n.Kind == Null {
		return ""
	}
	return n.Value
}
