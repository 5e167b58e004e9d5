package schema

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/stepform/stepform/schema/diag"
)

// varsPrelude starts every test configuration; the custom block's first
// line is line 5.
const varsPrelude = "service: svc\nprovider:\n  name: aws\n"

type varsRun struct {
	out     *Node
	diags   diag.List
	sources map[string][]byte
	reads   []string
}

func resolveForTest(t *testing.T, file, src string, files map[string]string, v Variables) varsRun {
	t.Helper()
	root, d := ParseYAML(file, []byte(src))
	if d.HasErrors() {
		t.Fatalf("bad test input: %v", d)
	}
	var run varsRun
	v.ReadFile = func(p string) ([]byte, error) {
		run.reads = append(run.reads, p)
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
	}
	run.sources = map[string][]byte{}
	run.out, run.diags = ResolveVariables(root, file, v, run.sources)
	return run
}

func diagLines(l diag.List) []string {
	var out []string
	for _, d := range l {
		out = append(out, fmt.Sprintf("%s: %s: %s", d.Pos, d.Severity, d.Summary))
	}
	return out
}

func yamlNode(t *testing.T, text string) *Node {
	t.Helper()
	n, d := ParseYAML("want.yml", []byte(text))
	if d.HasErrors() {
		t.Fatalf("bad expected YAML: %v", d)
	}
	return n
}

// nodeText renders a Node as flow YAML-ish text for failure messages.
func nodeText(n *Node) string {
	if n == nil {
		return "<nil>"
	}
	switch n.Kind {
	case Null:
		return "null"
	case String:
		return fmt.Sprintf("%q", n.Value)
	case Map:
		var parts []string
		for _, p := range n.Pairs {
			parts = append(parts, p.Key+": "+nodeText(p.Value))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case List:
		var parts []string
		for _, it := range n.Items {
			parts = append(parts, nodeText(it))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return n.Value
}

func TestResolveVariables(t *testing.T) {
	type tc struct {
		name  string
		body  string // the custom block, indented two spaces
		src   string // a whole configuration instead of body
		files map[string]string
		v     Variables
		// want is the expected custom block (or whole configuration
		// with src); "" skips the check.
		want    string
		diags   []string
		details []string // substrings of the diagnostics' details, in order
	}
	stage := map[string]string{"stage": "dev"}
	tests := []tc{
		// --- opt
		{name: "opt stage and region and other options",
			body: "  s: ${opt:stage}\n  r: ${opt:region}\n  f: ${opt:flag}\n  all: ${opt:}\n",
			v:    Variables{Options: map[string]string{"stage": "prod", "region": "eu-west-1", "flag": "x"}},
			want: "s: prod\nr: eu-west-1\nf: x\nall: {flag: x, region: eu-west-1, stage: prod}\n"},
		{name: "opt stage without --stage is an error",
			body:    "  a: ok\n  s: ${opt:stage}\n",
			diags:   []string{"serverless.yml:6:6: error: cannot resolve ${opt:stage}"},
			details: []string{"Option --stage was not given"}},
		{name: "opt fallbacks",
			body: "  s: ${opt:stage, 'dev'}\n  r: ${opt:region, \"us-west-2\"}\n  n: ${opt:count, 3}\n  b: ${opt:flag, false}\n  z: ${opt:x, null}\n",
			want: "s: dev\nr: us-west-2\nn: 3\nb: false\nz: null\n"},

		// --- sls and aws
		{name: "sls stage from option",
			body: "  s: ${sls:stage}\n", v: Variables{Options: map[string]string{"stage": "qa"}},
			want: "s: qa\n"},
		{name: "sls stage from provider stage, resolved",
			src:  "service: svc\nprovider:\n  name: aws\n  stage: ${opt:stage, 'prod'}\ncustom:\n  s: ${sls:stage}\n",
			want: "service: svc\nprovider: {name: aws, stage: prod}\ncustom: {s: prod}\n"},
		{name: "sls stage defaults to dev",
			body: "  s: ${sls:stage}\n", want: "s: dev\n"},
		{name: "sls instanceId is refused",
			body:    "  id: ${sls:instanceId}\n",
			diags:   []string{"serverless.yml:5:7: error: ${sls:instanceId} is not deterministic"},
			details: []string{"Avoid it"}},
		{name: "sls unknown address",
			body:    "  x: ${sls:nope}\n",
			diags:   []string{"serverless.yml:5:6: error: cannot resolve ${sls:nope}"},
			details: []string{`Unsupported "nope" address`}},
		{name: "aws region from option",
			body: "  r: ${aws:region}\n", v: Variables{Options: map[string]string{"region": "ap-south-1"}},
			want: "r: ap-south-1\n"},
		{name: "aws region from provider region",
			src:  "service: svc\nprovider:\n  name: aws\n  region: ${self:custom.r}\ncustom:\n  r: eu-central-1\n  a: ${aws:region}\n",
			want: "service: svc\nprovider: {name: aws, region: eu-central-1}\ncustom: {r: eu-central-1, a: eu-central-1}\n"},
		{name: "aws region default",
			body: "  r: ${aws:region}\n", want: "r: us-east-1\n"},

		// --- self
		{name: "self paths, lists, lengths and recursion",
			body: "  a: ${self:custom.b.c}\n  b:\n    c: ${self:custom.d}\n  d: ${opt:stage}\n" +
				"  l: [x, y]\n  i: ${self:custom.l.1}\n  n: ${self:custom.l.length}\n  sl: ${self:service.length}\n  ch: ${self:service.0}\n" +
				"  o: ${self:custom.b}\n  p: ${self:provider}\n",
			v:    Variables{Options: stage},
			want: "a: dev\nb: {c: dev}\nd: dev\nl: [x, y]\ni: y\nn: 2\nsl: 3\nch: s\no: {c: dev}\np: {name: aws}\n"},
		{name: "self missing value",
			body:    "  a: ${self:custom.nope}\n  b: ${self:custom.nope, 'fb'}\n  c: ${self:custom.l.01, 'fb2'}\n  l: [x, y]\n",
			diags:   []string{"serverless.yml:5:6: error: cannot resolve ${self:custom.nope}"},
			details: []string{`no value at "custom.nope"`}},
		{name: "self whole configuration refers to itself",
			body:  "  all: ${self:}\n",
			diags: []string{"serverless.yml:5:8: error: circular variable reference: custom.all → custom.all"}},
		{name: "self whole configuration from outside it",
			src:  "service: svc\nprovider:\n  name: aws\nstepFunctions:\n  validate: true\n",
			want: "service: svc\nprovider: {name: aws}\nstepFunctions: {validate: true}\n"},

		// --- env and param
		{name: "env and param",
			body: "  e: ${env:HOME_DIR}\n  p: ${param:domain}\n  e2: ${env:NOPE, env:HOME_DIR}\n  p2: ${param:nope, 'x'}\n",
			v:    Variables{Env: map[string]string{"HOME_DIR": "/home/u"}, Params: map[string]string{"domain": "example.com"}},
			want: "e: /home/u\np: example.com\ne2: /home/u\np2: x\n"},
		{name: "env missing",
			body:    "  e: ${env:MISSING}\n",
			diags:   []string{"serverless.yml:5:6: error: cannot resolve ${env:MISSING}"},
			details: []string{"Environment variable MISSING is not set"}},
		{name: "env is not read from the process",
			body:  "  e: ${env:PATH}\n",
			diags: []string{"serverless.yml:5:6: error: cannot resolve ${env:PATH}"}},
		{name: "param missing",
			body:    "  p: ${param:nope}\n",
			diags:   []string{"serverless.yml:5:6: error: cannot resolve ${param:nope}"},
			details: []string{`Parameter "nope"`}},
		{name: "an env value holding a variable is resolved",
			body: "  e: ${env:REF}\n  x: nested\n",
			v:    Variables{Env: map[string]string{"REF": "${self:custom.x}"}},
			want: "e: nested\nx: nested\n"},

		// --- strToBool
		{name: "strToBool",
			body: "  a: ${strToBool(true)}\n  b: ${strToBool('0')}\n  c: ${strToBool( \" TRUE \" )}\n  d: ${strToBool(${self:custom.t})}\n  t: \"1\"\n  e: ${strToBool(false, 'x')}\n",
			want: "", diags: []string{"serverless.yml:10:6: error: cannot resolve ${strToBool(false, 'x')}"},
			details: []string{`Missing "strToBool" input`}},
		{name: "strToBool values",
			body: "  a: ${strToBool(true)}\n  b: ${strToBool('0')}\n  c: ${strToBool( \" TRUE \" )}\n  d: ${strToBool(${self:custom.t})}\n  t: \"1\"\n",
			want: "a: true\nb: false\nc: true\nd: true\nt: \"1\"\n"},
		{name: "strToBool invalid",
			body:    "  a: ${strToBool(maybe)}\n",
			diags:   []string{"serverless.yml:5:6: error: cannot resolve ${strToBool(maybe)}"},
			details: []string{`Invalid "strToBool" input "maybe"`}},

		// --- fallbacks and literals
		{name: "fallback chains and literal forms",
			body: "  a: ${opt:x, env:Y, self:custom.z}\n  z: zed\n  n1: ${opt:x, 0x10}\n  n2: ${opt:x, 1e3}\n  n3: ${opt:x, -1.5}\n" +
				"  dq: ${opt:x, \"a\\\"b\\u0041\"}\n  sq: ${opt:x, 'it\"s'}\n  comma: ${opt:x, 'a, b'}\n  t: ${opt:x, true}\n",
			want: "a: zed\nz: zed\nn1: 16\nn2: 1000\nn3: -1.5\ndq: a\"bA\nsq: 'it\"s'\ncomma: a, b\nt: true\n"},
		{name: "invalid literal fallback",
			body:  "  a: ${opt:x, abc}\n",
			diags: []string{"serverless.yml:5:6: error: invalid variable syntax"}, details: []string{`Invalid literal source "abc"`}},

		// --- nesting and interpolation
		{name: "nested variables",
			body:  "  a: ${self:custom.${opt:stage}}\n  dev: for-dev\n  b: ${self:custom.${opt:nope, 'dev'}}\n  c: ${file(./${opt:stage}.yml):k}\n",
			files: map[string]string{"dev.yml": "k: v\n"},
			v:     Variables{Options: stage},
			want:  "a: for-dev\ndev: for-dev\nb: for-dev\nc: v\n"},
		{name: "interpolation of strings, numbers, booleans and lists",
			body: "  a: arn:${opt:stage}:${self:custom.n}:${self:custom.b}\n  n: 12\n  b: true\n  l: [1, null, [2, {k: v}]]\n  s: x-${self:custom.l}\n  twice: ${opt:stage}${opt:stage}\n",
			v:    Variables{Options: stage},
			want: "a: arn:dev:12:true\nn: 12\nb: true\nl: [1, null, [2, {k: v}]]\ns: 'x-1,,2,[object Object]'\ntwice: devdev\n"},
		{name: "whole-string variables keep their type",
			body: "  n: ${self:custom.m}\n  m: 12\n  o: ${self:custom.p}\n  p: {k: [1]}\n",
			want: "n: 12\nm: 12\no: {k: [1]}\np: {k: [1]}\n"},
		{name: "an object inside a string is an error",
			body:    "  o: {k: v}\n  a: x${self:custom.o}\n  b: x${opt:nope, null}\n",
			diags:   []string{"serverless.yml:6:6: error: cannot embed ${self:custom.o} in a string", "serverless.yml:7:6: error: cannot embed ${opt:nope, null} in a string"},
			details: []string{"an object", "null"}},

		// --- text the framework leaves alone, and escapes
		{name: "CloudFormation and other non-variables are kept",
			body: "  sub:\n    Fn::Sub: arn:${AWS::Partition}:s3:::${opt:stage}-${Bucket}\n  tag: !Sub '${AWS::Region}-${aws:region}'\n" +
				"  other: ${foo} ${foo.bar} ${Foo} ${ opt:stage } ${foo::bar} ${'x'} ${5} $${none\n  nested: ${Foo${opt:stage}}\n" +
				"  dollars: $$ and $x and ${}\n",
			v: Variables{Options: stage},
			want: "sub: {Fn::Sub: 'arn:${AWS::Partition}:s3:::dev-${Bucket}'}\ntag: {Fn::Sub: '${AWS::Region}-us-east-1'}\n" +
				"other: ${foo} ${foo.bar} ${Foo} ${ opt:stage } ${foo::bar} ${'x'} ${5} $${none\nnested: ${Foodev}\ndollars: $$ and $x and ${}\n"},
		{name: "escapes",
			body: "  e1: \"\\\\${opt:stage}\"\n  e2: \"\\\\\\\\${opt:stage}\"\n  e3: \"\\\\\\\\\\\\${opt:stage}\"\n  e4: 'a\\b\\$x\\${opt:stage}'\n  d: \"$${opt:stage}\"\n",
			v:    Variables{Options: stage},
			want: "e1: ${opt:stage}\ne2: \\dev\ne3: \\${opt:stage}\ne4: a\\b\\$x${opt:stage}\nd: dev\n"},
		{name: "an escaped variable is resolved when referenced",
			// An escape holds for one round only: once the value is
			// resolved again, the text around the new variables is parsed
			// whole (verified with sls print).
			body: "  esc: \"\\\\${opt:stage}\"\n  ref: ${self:custom.esc}\n  cat: x${self:custom.esc}\n  cat2: x\\${opt:stage}-${self:custom.esc}\n",
			v:    Variables{Options: stage},
			want: "esc: ${opt:stage}\nref: dev\ncat: xdev\ncat2: xdev-dev\n"},

		// --- files
		{name: "file YAML, JSON, text, addresses and nested files",
			body: "  y: ${file(./conf/a.yml)}\n  j: ${file(./b.json):list.1}\n  t: ${file(./note.txt)}\n  deep: ${file(./conf/a.yml):inner.deep}\n",
			files: map[string]string{
				"conf/a.yml": "v: ${self:custom.t}\ninc: ${file(./c.yml)}\ninner:\n  deep: ${file(./c.yml):k}\n",
				"c.yml":      "k: root-c\n",
				"conf/c.yml": "k: conf-c\n",
				"b.json":     `{"list": ["x", "y"]}`,
				"note.txt":   "hello",
			},
			want: "y: {v: hello, inc: {k: root-c}, inner: {deep: root-c}}\nj: y\nt: hello\ndeep: root-c\n"},
		{name: "file address walks through an included string",
			body: "  w: ${file(./b.yml):a.d}\n  s: ${file(./b.yml):s}\n  y: why\n",
			files: map[string]string{
				"b.yml": "a: ${file(./c.yml)}\ns: \"${self:custom.y}\"\n",
				"c.yml": "d: deep\n",
			},
			want: "w: deep\ns: why\ny: why\n"},
		{name: "whole stepFunctions block from a file",
			src:   "service: svc\nprovider:\n  name: aws\nstepFunctions: ${file(./sf.yml)}\n",
			files: map[string]string{"sf.yml": "stateMachines:\n  main:\n    name: main-${sls:stage}\n    definition:\n      StartAt: A\n      States:\n        A: {Type: Pass, End: true}\n"},
			want:  "service: svc\nprovider: {name: aws}\nstepFunctions: {stateMachines: {main: {name: main-dev, definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}}}\n"},
		{name: "missing file falls back or errors",
			body:    "  a: ${file(./nope.yml), 'fallback'}\n  b: ${file(./nope.yml)}\n  c: ${file(./x.yml):no.such, 'fb'}\n  d: ${file(./nope.js), 'js'}\n",
			files:   map[string]string{"x.yml": "k: v\n"},
			diags:   []string{"serverless.yml:6:6: error: cannot resolve ${file(./nope.yml)}"},
			details: []string{"File nope.yml does not exist"}},
		{name: "missing file values with fallbacks",
			body:  "  a: ${file(./nope.yml), 'fallback'}\n  c: ${file(./x.yml):no.such, 'fb'}\n  d: ${file(./nope.js), 'js'}\n",
			files: map[string]string{"x.yml": "k: v\n"},
			want:  "a: fallback\nc: fb\nd: js\n"},
		{name: "file errors",
			body:  "  a: ${file()}\n  b: ${file(./bad.yml)}\n  c: ${file(./bad.json)}\n  d: ${file(./empty.yml)}\n  e: ${file(./empty.yml):k, 'fb'}\n",
			files: map[string]string{"bad.yml": "a: [\n", "bad.json": `{"a": 1,}`, "empty.yml": "# nothing\n"},
			diags: []string{
				"serverless.yml:5:6: error: cannot resolve ${file()}",
				"bad.yml:1:4: error: YAML syntax error",
				"bad.json:1:9: error: JSON syntax error",
				"serverless.yml:8:6: error: cannot resolve ${file(./empty.yml)}",
			}},
		{name: "file outside the service folder warns",
			body:  "  a: ${file(../shared.yml):k}\n  b: ${file(../shared.yml):k}\n",
			files: map[string]string{"../shared.yml": "k: v\n"},
			want:  "a: v\nb: v\n",
			diags: []string{"serverless.yml:5:6: warning: ${file(../shared.yml)} reads outside the service folder"}},
		{name: "variables in an included file report there",
			body:    "  a: ${file(./inc.yml)}\n",
			files:   map[string]string{"inc.yml": "ok: 1\nbad: ${env:MISSING}\n"},
			diags:   []string{"inc.yml:2:6: error: cannot resolve ${env:MISSING}"},
			details: []string{"MISSING"}},
		{name: "file including itself",
			body:  "  a: ${file(./rec.yml)}\n",
			files: map[string]string{"rec.yml": "x: ${file(./rec.yml)}\n"},
			diags: []string{"rec.yml:1:4: error: variables nested too deeply"}},
		{name: "TypeScript and ESM files are read as text, as the framework does",
			body:  "  t: ${file(./x.ts)}\n  m: ${file(./x.mjs):fn, 'none'}\n",
			files: map[string]string{"x.ts": "export const x = 1\n", "x.mjs": "export default 1\n"},
			want:  "t: \"export const x = 1\\n\"\nm: none\n"},

		// --- values that need AWS or code
		{name: "AWS and code variables need --var",
			body: "  a: ${ssm:/app/${opt:stage}/key, 'x'}\n  b: ${cf(us-east-1):stack.Out}\n  c: ${cf:stack.Out}\n  d: ${s3:bucket/key}\n" +
				"  e: ${aws:accountId}\n  f: ${file(./f.js):fn}\n  g: ${file(./f.cjs)}\n",
			files: map[string]string{"f.js": "module.exports.fn = () => 1\n", "f.cjs": "module.exports = 1\n"},
			v:     Variables{Options: stage},
			diags: []string{
				"serverless.yml:5:6: error: cannot resolve ${ssm:/app/${opt:stage}/key, 'x'} offline",
				"serverless.yml:6:6: error: cannot resolve ${cf(us-east-1):stack.Out} offline",
				"serverless.yml:7:6: error: cannot resolve ${cf:stack.Out} offline",
				"serverless.yml:8:6: error: cannot resolve ${s3:bucket/key} offline",
				"serverless.yml:9:6: error: cannot resolve ${aws:accountId} offline",
				"serverless.yml:10:6: error: cannot resolve ${file(./f.js):fn} offline",
				"serverless.yml:11:6: error: cannot resolve ${file(./f.cjs)} offline",
			},
			details: []string{"--var 'ssm:/app/dev/key=<value>'", "--var 'cf(us-east-1):stack.Out=<value>'", "--var 'cf:stack.Out=<value>'",
				"--var 's3:bucket/key=<value>'", "--var 'aws:accountId=<value>'", "--var 'file(./f.js):fn=<value>'", "--var 'file(./f.cjs)=<value>'"}},
		{name: "AWS and code variables from External",
			body: "  a: ${ssm:/app/${opt:stage}/key, 'x'}\n  b: ${cf(us-east-1):stack.Out}\n  d: ${s3:bucket/key}\n" +
				"  e: arn:aws:iam::${aws:accountId}:root\n  f: ${file(./f.js):fn}\n  g: ${ssm:/ref}\n",
			files: map[string]string{"f.js": "module.exports.fn = () => 1\n"},
			v: Variables{Options: stage, External: map[string]string{
				"ssm:/app/dev/key": "secret", "cf(us-east-1):stack.Out": "out", "s3:bucket/key": "{\"a\": 1}",
				"aws:accountId": "123456789012", "file(./f.js):fn": "42", "ssm:/ref": "${opt:stage}",
			}},
			want: "a: secret\nb: out\nd: '{\"a\": 1}'\ne: 'arn:aws:iam::123456789012:root'\nf: '42'\ng: dev\n"},
		{name: "malformed cf and s3 addresses",
			body:  "  a: ${cf:nodot}\n  b: ${s3:noslash}\n",
			diags: []string{"serverless.yml:5:6: error: cannot resolve ${cf:nodot}", "serverless.yml:6:6: error: cannot resolve ${s3:noslash}"}},

		// --- unknown sources and syntax
		{name: "unknown sources",
			body:    "  a: ${foo:bar}\n  b: ${opt:x, sssm:/p}\n  c: ${opt:stage, foo:bar}\n",
			v:       Variables{Options: stage},
			diags:   []string{`serverless.yml:5:6: error: unknown variable source "foo"`, `serverless.yml:6:6: error: unknown variable source "sssm"`},
			details: []string{"Known sources are", `Did you mean "ssm"?`}},
		{name: "syntax errors",
			body:    "  a: ${opt:x\n  b: ${self:custom.${Foo}}\n  c: ${file(x}\n",
			diags:   []string{"serverless.yml:5:6: error: invalid variable syntax", "serverless.yml:6:6: error: invalid variable syntax", "serverless.yml:7:6: error: invalid variable syntax"},
			details: []string{"Missing variable closing bracket", "Invalid variable type at index 16", "Invalid variable param"}},

		// --- cycles and propagation
		{name: "two-property cycle",
			body:    "  a: ${self:custom.b}\n  b: ${self:custom.a}\n",
			diags:   []string{"serverless.yml:6:6: error: circular variable reference: custom.a → custom.b → custom.a"},
			details: []string{"refer to each other"}},
		{name: "self reference",
			body:    "  a: x-${self:custom.a}\n",
			diags:   []string{"serverless.yml:5:6: error: circular variable reference: custom.a → custom.a"},
			details: []string{`"custom.a" refers to itself`}},
		{name: "three-property cycle through an object",
			body:  "  a: ${self:custom.o}\n  o:\n    k: ${self:custom.c}\n  c: ${self:custom.a.k}\n",
			diags: []string{"serverless.yml:8:6: error: circular variable reference: custom.a → custom.o.k → custom.c → custom.a"}},
		{name: "cycle through an included file",
			body:  "  inc: ${file(./cyc.yml)}\n",
			files: map[string]string{"cyc.yml": "j: 1\nk: ${self:custom.inc.j}\nm: ${self:custom.inc}\n"},
			diags: []string{"cyc.yml:3:4: error: circular variable reference: custom.inc.m → custom.inc.m"}},
		{name: "no false cycle inside an included object",
			body:  "  inc: ${file(./x.yml)}\n",
			files: map[string]string{"x.yml": "j: 1\nk: ${self:custom.inc.j}\n"},
			want:  "inc: {j: 1, k: 1}\n"},
		{name: "an error is reported once, not again by dependents",
			body:  "  a: ${env:MISSING}\n  b: ${self:custom.a}\n  c: x${self:custom.b}\n  d: ${self:custom.a, 'fb'}\n",
			diags: []string{"serverless.yml:5:6: error: cannot resolve ${env:MISSING}"}},
		{name: "exponential expansion stops",
			body:  "  x: ${file(./a.yml)}\n",
			files: map[string]string{"a.yml": strings.Repeat("${file(./a.yml)}, ", 40) + "\n"},
			diags: []string{"serverless.yml:5:6: error: variables expand too much"}},
		{name: "exponential text stops",
			body:  "  x: ${file(./a.yml):k}\n",
			files: map[string]string{"a.yml": "k: " + strings.Repeat("${file(./a.yml):k}", 10) + "\n"},
			diags: []string{"serverless.yml:5:6: error: variables expand too much"}},
		{name: "a variable resolving to itself forever",
			body:  "  e: ${env:LOOP}\n",
			v:     Variables{Env: map[string]string{"LOOP": "${env:LOOP}"}},
			diags: []string{"serverless.yml:5:6: error: variables nested too deeply"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if src == "" {
				src = varsPrelude + "custom:\n" + tt.body
			}
			run := resolveForTest(t, "serverless.yml", src, tt.files, tt.v)
			if got := diagLines(run.diags); strings.Join(got, "\n") != strings.Join(tt.diags, "\n") {
				t.Errorf("diagnostics:\n got %q\nwant %q", got, tt.diags)
				for _, d := range run.diags {
					t.Logf("  %s: %s", d.Summary, d.Detail)
				}
			}
			for i, sub := range tt.details {
				if i >= len(run.diags) {
					break
				}
				if !strings.Contains(run.diags[i].Detail, sub) {
					t.Errorf("diagnostic %d detail %q does not contain %q", i, run.diags[i].Detail, sub)
				}
			}
			if tt.want == "" {
				return
			}
			got := run.out
			if tt.src == "" {
				got = run.out.Get("custom")
			}
			if want := yamlNode(t, tt.want); !Equal(got, want) {
				t.Errorf("resolved:\n got %s\nwant %s", nodeText(got), nodeText(want))
			}
		})
	}
}

func TestResolveVariablesPaths(t *testing.T) {
	// A service in a subfolder: file() paths join the folder of
	// serverless.yml, also inside included files.
	files := map[string]string{
		"examples/x/sf/main.yml": "definition: ${file(./sf/def.json)}\n",
		"examples/x/sf/def.json": `{"StartAt": "A"}`,
	}
	src := varsPrelude + "stepFunctions:\n  stateMachines:\n    main: ${file(./sf/main.yml)}\n"
	run := resolveForTest(t, "examples/x/serverless.yml", src, files, Variables{ServiceDir: "examples/x"})
	if len(run.diags) != 0 {
		t.Fatalf("unexpected diagnostics: %q", diagLines(run.diags))
	}
	want := yamlNode(t, "main: {definition: {StartAt: A}}")
	if got := run.out.Path("stepFunctions.stateMachines"); !Equal(got, want) {
		t.Errorf("got %s", nodeText(got))
	}
	if strings.Join(run.reads, ",") != "examples/x/sf/main.yml,examples/x/sf/def.json" {
		t.Errorf("reads = %q", run.reads)
	}
	for _, p := range []string{"examples/x/sf/main.yml", "examples/x/sf/def.json"} {
		if string(run.sources[p]) != files[p] {
			t.Errorf("sources[%s] = %q", p, run.sources[p])
		}
	}
	// Positions: the replaced value takes the variable's position; what
	// came from a file keeps its own.
	main := run.out.Path("stepFunctions.stateMachines.main")
	if got := main.Pos.String(); got != "examples/x/serverless.yml:6:11" {
		t.Errorf("main at %s", got)
	}
	if got := main.Get("definition").Pos.String(); got != "examples/x/sf/main.yml:1:13" {
		t.Errorf("definition at %s", got)
	}
	if got := main.Path("definition.StartAt").Pos.String(); got != "examples/x/sf/def.json:1:13" {
		t.Errorf("StartAt at %s", got)
	}
	// Each file is read once however often it is included.
	files2 := map[string]string{"c.yml": "k: v\n"}
	run = resolveForTest(t, "serverless.yml", varsPrelude+"custom:\n  a: ${file(./c.yml):k}\n  b: ${file(./c.yml)}\n  c: ${file(./c.yml):k}\n", files2, Variables{})
	if len(run.reads) != 1 || len(run.diags) != 0 {
		t.Errorf("reads = %q, diags = %q", run.reads, diagLines(run.diags))
	}
}

func TestResolveVariablesDoesNotMutateInput(t *testing.T) {
	src := varsPrelude + "custom:\n  a: ${opt:stage}\n  b: [x, '${self:custom.a}']\n"
	root, _ := ParseYAML("serverless.yml", []byte(src))
	before := root.Clone()
	out, diags := ResolveVariables(root, "serverless.yml", Variables{Options: map[string]string{"stage": "dev"}}, nil)
	if diags.HasErrors() {
		t.Fatal(diagLines(diags))
	}
	if !Equal(root, before) {
		t.Error("input tree changed")
	}
	if got := out.Path("custom.b.1"); got == nil || got.Value != "dev" {
		t.Errorf("custom.b.1 = %s", nodeText(got))
	}
	if got := out.Path("custom.a").Pos.String(); got != "serverless.yml:5:6" {
		t.Errorf("custom.a at %s", got)
	}
	if out, _ := ResolveVariables(nil, "x.yml", Variables{}, nil); out != nil {
		t.Error("nil root")
	}
}

func TestResolveVariablesFailedValueKeepsText(t *testing.T) {
	run := resolveForTest(t, "serverless.yml", varsPrelude+"custom:\n  a: ${env:NOPE}\n", nil, Variables{})
	if got := run.out.Path("custom.a"); got.Kind != String || got.Value != "${env:NOPE}" {
		t.Errorf("custom.a = %s", nodeText(got))
	}
}

func TestResolveVariablesPerformance(t *testing.T) {
	// Many variables referring to one big object resolve it once.
	var b strings.Builder
	b.WriteString(varsPrelude + "custom:\n  big:\n")
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&b, "    k%d: v-${opt:stage}\n", i)
	}
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "  r%d: ${self:custom.big.k%d}-${self:custom.big}\n", i, i)
	}
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "  w%d: ${self:custom.big}\n", i)
	}
	start := time.Now()
	run := resolveForTest(t, "serverless.yml", b.String(), nil, Variables{Options: map[string]string{"stage": "dev"}})
	if len(run.diags) != 300 {
		t.Fatalf("want 300 embedding errors, got %d", len(run.diags))
	}
	if got := run.out.Path("custom.w299.k1999"); got == nil || got.Value != "v-dev" {
		t.Errorf("w299.k1999 = %s", nodeText(got))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestParseVariables(t *testing.T) {
	tests := []struct {
		in   string
		want string // variables as start:end:text, "" for none
		err  string
	}{
		{in: "plain", want: ""},
		{in: "${opt:stage}", want: "whole:${opt:stage}"},
		{in: "a-${opt:stage}-b", want: "2:14:${opt:stage}"},
		{in: "${AWS::Region}", want: ""},
		{in: "${foo}", want: ""},
		{in: "\\${opt:stage}", want: "0:2:esc($)"},
		{in: "\\\\${opt:stage}", want: "0:2:esc(\\),2:14:${opt:stage}"},
		{in: "${self:a.${opt:b}}", want: "whole:${self:a.${opt:b}}"},
		{in: "${opt:a, 'x'}", want: "whole:${opt:a, 'x'}"},
		{in: "${opt:a", err: "Missing variable closing bracket"},
		{in: "${opt:a, $b}", err: "Invalid variable source at index 9"},
		{in: "${file(a}", err: "Invalid variable param at index 7"},
		{in: "${file(a)x}", err: "Invalid variable address at index 9"},
		{in: "${opt:a, \"bad\\q\"}", err: "Invalid string literal"},
		{in: "é${opt:a, Bad:x}", err: "Invalid variable source at index 10"},
	}
	for _, tt := range tests {
		vars, err := parseVariables(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		var parts []string
		for _, v := range vars {
			switch {
			case v.escape:
				parts = append(parts, fmt.Sprintf("%d:%d:esc(%s)", v.start, v.end, v.escValue))
			case v.whole:
				parts = append(parts, "whole:"+v.text)
			default:
				parts = append(parts, fmt.Sprintf("%d:%d:%s", v.start, v.end, v.text))
			}
		}
		if got := strings.Join(parts, ","); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJSNumber(t *testing.T) {
	for in, want := range map[string]string{
		"12": "12", "-1.5": "-1.5", "1e3": "1000", ".5": "0.5", "1.": "1", "0x10": "16", "0b11": "3", "0o7": "7",
		"Infinity": "Infinity", "-Infinity": "-Infinity", "+3": "3", "1e400": "Infinity",
	} {
		f, ok := jsNumber(in)
		if !ok || FormatNumber(f) != want {
			t.Errorf("jsNumber(%q) = %v %v, want %s", in, f, ok, want)
		}
	}
	for _, in := range []string{"abc", "1-2", "-0x10", "0x", "inf", "NaN", "1_000", "--1", "."} {
		if _, ok := jsNumber(in); ok {
			t.Errorf("jsNumber(%q) accepted", in)
		}
	}
}

func FuzzResolveVariables(f *testing.F) {
	for _, s := range []string{
		"${opt:stage}", "${self:custom.${opt:x, 'a'}}", "\\\\${file(./a.yml):k}", "${Foo${opt:stage}}",
		"${file(${self:custom.v}, x):${env:E, 'k'}}", "x${self:custom.v}y", "${strToBool(${opt:b, 1})}", "$${", "${a:b:c}",
	} {
		f.Add(s, "k: ${self:custom.v}\nl: [${opt:stage}]\n")
	}
	f.Fuzz(func(t *testing.T, value, file string) {
		root := NewMap(diag.Pos{File: "s.yml", Line: 1, Col: 1},
			Pair{Key: "custom", Value: NewMap(diag.Pos{},
				Pair{Key: "v", Value: NewString(value, diag.Pos{})},
				Pair{Key: "w", Value: NewString("${self:custom.v}-${file(./a.yml):k}", diag.Pos{})})})
		ResolveVariables(root, "s.yml", Variables{
			Options: map[string]string{"stage": "dev"}, Env: map[string]string{"E": value},
			ReadFile: func(string) ([]byte, error) { return []byte(file), nil },
		}, nil)
	})
}

// TestResolvedMarkIsPerResolution: the mark a resolution leaves on the
// containers it finished is its own, and a copy does not carry it, so
// that a value copied into the tree is walked as a new one.
func TestResolvedMarkIsPerResolution(t *testing.T) {
	root, d := ParseYAML("f.yml", []byte("a: {b: '${opt:stage}'}\n"))
	if d.HasErrors() {
		t.Fatal(d)
	}
	first, d := ResolveVariables(root, "f.yml", Variables{Options: map[string]string{"stage": "one"}}, nil)
	if d.HasErrors() || first.Path("a.b").Value != "one" || first.resolvedIn == 0 {
		t.Fatalf("first: %v %v (mark %d)", first, d, first.resolvedIn)
	}
	if first.Clone().resolvedIn != 0 || root.resolvedIn != 0 {
		t.Error("a copy, or the tree resolved from a copy, carries the mark")
	}
	second, d := ResolveVariables(root, "f.yml", Variables{Options: map[string]string{"stage": "two"}}, nil)
	if d.HasErrors() || second.Path("a.b").Value != "two" {
		t.Errorf("second: %v %v", second, d)
	}
}
