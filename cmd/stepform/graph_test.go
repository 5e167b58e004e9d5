package main

import (
	"strings"
	"testing"
)

const twoMachines = `service: svc
provider: {name: aws}
stepFunctions:
  stateMachines:
    first:
      definition: {StartAt: A, States: {A: {Type: Pass, Next: B}, B: {Type: Succeed}}}
    second:
      definition: '{"StartAt": "C", "States": {"C": {"Type": "Pass", "End": true}}}'
`

func TestGraphCommand(t *testing.T) {
	dir := writeService(t, twoMachines)
	for _, tc := range []struct {
		args      []string
		want, not []string
	}{
		{args: []string{"graph", "first"}, want: []string{"flowchart TD\n", `s_A("A")`, "s_A --> s_B"}, not: []string{"subgraph", `"C"`}},
		{args: []string{"graph", "--format", "dot", "second"}, want: []string{"digraph ", `"s_C" [label="C"`}, not: []string{`"A"`}},
		{args: []string{"graph"}, want: []string{`subgraph machine_first["first"]`, `subgraph machine_second["second"]`}},
		{args: []string{"graph", "second", "-f", "dot"}, want: []string{`"s_C" -> "end_second"`}},
	} {
		code, out, errOut := runCLI(t, dir, tc.args...)
		if code != 0 || errOut != "" {
			t.Errorf("%v: exit %d, stderr:\n%s", tc.args, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: no %q in:\n%s", tc.args, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: %q in:\n%s", tc.args, n, out)
			}
		}
	}
}

func TestGraphFailures(t *testing.T) {
	for _, tc := range []struct {
		name, yml string
		args      []string
		code      int
		stderr    string
	}{
		{"unknown machine", twoMachines, []string{"graph", "third"}, 2, `no state machine "third": the service has first, second`},
		{"two machines", twoMachines, []string{"graph", "first", "second"}, 2, "at most one state machine"},
		{"bad format", twoMachines, []string{"graph", "--format", "svg"}, 2, `--format must be mermaid or dot, not "svg"`},
		{"compile flag", twoMachines, []string{"graph", "--compat", "plugin"}, 2, "flag provided but not defined: --compat"},
		{"missing file", twoMachines, []string{"graph", "--config", "nope.yml"}, 1, "nope.yml: error: cannot read configuration"},
		{"no machines", "service: svc\nprovider: {name: aws}\n", []string{"graph"}, 1, "serverless.yml: error: the service has no state machines"},
		{"bad string definition", "service: svc\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    m:\n      definition: 'not json ['\n",
			[]string{"graph"}, 1, "serverless.yml:6:19: error: definition string is not a JSON object"},
		{"unresolved variable", "service: svc\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    m:\n      name: x-${opt:nope}\n      definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\n",
			[]string{"graph"}, 1, "cannot resolve ${opt:nope}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeService(t, tc.yml)
			code, out, errOut := runCLI(t, dir, tc.args...)
			if code != tc.code || out != "" || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d (want %d), stdout %q, stderr:\n%s\nwant %q", code, tc.code, out, errOut, tc.stderr)
			}
		})
	}
}
