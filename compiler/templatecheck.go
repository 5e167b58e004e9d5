package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// CloudFormation's quotas on one template.
const (
	maxResources = 500
	// maxTemplateBytes is the size limit of a template uploaded to S3,
	// which is how the framework deploys.
	maxTemplateBytes = 1 << 20
)

// configPos is the position of the service file itself, for findings
// about the template as a whole.
func (c *compiler) configPos() diag.Pos {
	if c.Service.Root != nil {
		return diag.Pos{File: c.Service.Root.Pos.File}
	}
	return diag.Pos{}
}

// checkTemplate runs the checks that need the finished template:
// CloudFormation's quotas and circular dependencies between resources. It
// returns the template as JSON, as it measured it.
func (c *compiler) checkTemplate(doc map[string]any) []byte {
	resources, _ := doc["Resources"].(map[string]any)
	if n := len(resources); n > maxResources {
		c.DeployFailure(c.configPos(), fmt.Sprintf("the template has %d resources", n),
			"CloudFormation allows at most %d resources in one stack. Move some into a nested stack or a separate service.", maxResources)
	}
	encoded := cfn.JSON(doc)
	if size := len(encoded); size > maxTemplateBytes {
		c.DeployFailure(c.configPos(), fmt.Sprintf("the template is %d bytes", size),
			"CloudFormation accepts a template of at most %d bytes (1 MB) from S3. Move resources into a nested stack, or shorten large definitions.", maxTemplateBytes)
	}
	c.checkCycles(resources)
	return encoded
}

// resourcePos is where the configuration defines or generates a resource:
// its entry under resources.Resources, or the state machine it comes from.
func (c *compiler) resourcePos(id string) diag.Pos {
	if r := c.Service.Resources.Get("Resources"); r != nil {
		if p := r.Pair(id); p != nil {
			return p.KeyPos
		}
	}
	if sf := c.Service.StepFunctions; sf != nil {
		for _, m := range sf.StateMachines {
			if lid := m.LogicalID(); id == lid || id == lid+"Role" {
				return m.KeyPos
			}
		}
	}
	return c.configPos()
}

// dependencies returns the resources a resource waits for: its DependsOn,
// and every Ref, Fn::GetAtt and Fn::Sub reference in its properties.
func dependencies(resource map[string]any, defined map[string]any) []string {
	seen := map[string]bool{}
	add := func(id string) {
		if _, ok := defined[id]; ok {
			seen[id] = true
		}
	}
	switch d := resource["DependsOn"].(type) {
	case string:
		add(d)
	case []any:
		for _, e := range d {
			if s, ok := e.(string); ok {
				add(s)
			}
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if len(x) == 1 {
				for key, arg := range x {
					switch key {
					case "Ref":
						if s, ok := arg.(string); ok {
							add(s)
						}
					case "Fn::GetAtt":
						switch a := arg.(type) {
						case string:
							id, _, _ := strings.Cut(a, ".")
							add(id)
						case []any:
							if len(a) > 0 {
								if s, ok := a[0].(string); ok {
									add(s)
								}
							}
						}
					case "Fn::Sub":
						text, vars := arg, map[string]any{}
						if list, ok := arg.([]any); ok && len(list) > 0 {
							text = list[0]
							if len(list) > 1 {
								vars, _ = list[1].(map[string]any)
							}
						}
						if s, ok := text.(string); ok {
							for _, m := range subReference.FindAllStringSubmatch(s, -1) {
								name, _, _ := strings.Cut(m[1], ".")
								if _, isVar := vars[m[1]]; !isVar {
									if _, isVar := vars[name]; !isVar {
										add(name)
									}
								}
							}
						}
					}
				}
			}
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(resource["Properties"])
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// checkCycles reports every set of resources that wait for each other,
// which CloudFormation rejects as a circular dependency.
func (c *compiler) checkCycles(resources map[string]any) {
	ids := sortedKeys(resources)
	edges := map[string][]string{}
	for _, id := range ids {
		if r, ok := resources[id].(map[string]any); ok {
			edges[id] = dependencies(r, resources)
		}
	}
	for _, scc := range stronglyConnected(ids, edges) {
		cycle := shortestCycle(scc[0], scc, edges)
		if cycle == nil {
			continue // a single resource that does not refer to itself
		}
		pos := c.configPos()
		for _, id := range scc {
			if p := c.resourcePos(id); p.IsValid() {
				pos = p
				break
			}
		}
		c.DeployFailure(pos, "circular dependency between resources",
			"%s. CloudFormation cannot create resources that wait for each other. Break the cycle: for example, build an ARN with Fn::Sub and the resource's name instead of a Ref or Fn::GetAtt, or drop a DependsOn.",
			strings.Join(cycle, " → "))
	}
}

// stronglyConnected returns the strongly connected components of the
// graph (Tarjan's algorithm), each sorted, in a deterministic order.
func stronglyConnected(ids []string, edges map[string][]string) [][]string {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	next := 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range edges[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var scc []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc = append(scc, w)
				if w == v {
					break
				}
			}
			sort.Strings(scc)
			out = append(out, scc)
		}
	}
	for _, id := range ids {
		if _, seen := index[id]; !seen {
			visit(id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// shortestCycle returns the shortest path from start back to itself within
// members, as "start, …, start", or nil when there is none.
func shortestCycle(start string, members []string, edges map[string][]string) []string {
	in := map[string]bool{}
	for _, m := range members {
		in[m] = true
	}
	prev := map[string]string{}
	queue := []string{start}
	visited := map[string]bool{}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range edges[v] {
			if !in[w] {
				continue
			}
			if w == start {
				path := []string{start}
				for at := v; at != start; at = prev[at] {
					path = append(path, at)
				}
				path = append(path, start)
				// The path was built backwards (start, last, …, first, start).
				for i, j := 1, len(path)-2; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path
			}
			if !visited[w] {
				visited[w] = true
				prev[w] = v
				queue = append(queue, w)
			}
		}
	}
	return nil
}

// intrinsicShapes says, for each intrinsic function, what its argument
// must look like; CloudFormation rejects any other shape.
var intrinsicShapes = map[string]struct {
	ok   func(arg *schema.Node) bool
	want string
}{
	"Ref": {func(a *schema.Node) bool { return isNonEmptyString(a) }, "a logical ID or parameter name"},
	"Fn::GetAtt": {func(a *schema.Node) bool {
		if a.Kind == schema.String {
			id, attr, ok := strings.Cut(a.Value, ".")
			return ok && id != "" && attr != ""
		}
		return a.Kind == schema.List && len(a.Items) == 2 && isNonEmptyString(a.Items[0]) &&
			(isNonEmptyString(a.Items[1]) || a.Items[1].IsIntrinsic())
	}, "[logicalId, attribute] or \"logicalId.attribute\""},
	"Fn::Sub": {func(a *schema.Node) bool {
		return a.Kind == schema.String ||
			a.Kind == schema.List && len(a.Items) == 2 && a.Items[0].Kind == schema.String && a.Items[1].Kind == schema.Map
	}, "a string, or [string, {variable: value}]"},
	"Fn::Join": {func(a *schema.Node) bool {
		return a.Kind == schema.List && len(a.Items) == 2 && a.Items[0].Kind == schema.String &&
			(a.Items[1].Kind == schema.List || a.Items[1].IsIntrinsic())
	}, "[delimiter, [values]]"},
	"Fn::Select": {func(a *schema.Node) bool {
		return a.Kind == schema.List && len(a.Items) == 2 && (a.Items[1].Kind == schema.List || a.Items[1].IsIntrinsic())
	}, "[index, [values]]"},
	"Fn::Split": {func(a *schema.Node) bool {
		return a.Kind == schema.List && len(a.Items) == 2 && a.Items[0].Kind == schema.String
	}, "[delimiter, string]"},
	"Fn::If": {func(a *schema.Node) bool {
		return a.Kind == schema.List && len(a.Items) == 3 && isNonEmptyString(a.Items[0])
	}, "[condition, valueIfTrue, valueIfFalse]"},
	"Fn::FindInMap": {func(a *schema.Node) bool {
		return a.Kind == schema.List && (len(a.Items) == 3 || len(a.Items) == 4)
	}, "[mapName, topLevelKey, secondLevelKey]"},
	"Fn::ImportValue": {func(a *schema.Node) bool { return isNonEmptyString(a) || a.IsIntrinsic() }, "an export name"},
	"Fn::Base64":      {func(a *schema.Node) bool { return a.Kind == schema.String || a.IsIntrinsic() }, "a string"},
	"Fn::GetAZs":      {func(a *schema.Node) bool { return a.Kind == schema.String || a.IsIntrinsic() }, "a region name"},
	"Fn::Equals":      {func(a *schema.Node) bool { return a.Kind == schema.List && len(a.Items) == 2 }, "[value1, value2]"},
	"Fn::Not":         {func(a *schema.Node) bool { return a.Kind == schema.List && len(a.Items) == 1 }, "[condition]"},
	"Fn::And": {func(a *schema.Node) bool {
		return a.Kind == schema.List && len(a.Items) >= 2 && len(a.Items) <= 10
	}, "a list of 2 to 10 conditions"},
	"Fn::Or": {func(a *schema.Node) bool {
		return a.Kind == schema.List && len(a.Items) >= 2 && len(a.Items) <= 10
	}, "a list of 2 to 10 conditions"},
	"Fn::Cidr": {func(a *schema.Node) bool { return a.Kind == schema.List && len(a.Items) == 3 }, "[ipBlock, count, cidrBits]"},
}

// checkIntrinsics reports intrinsic functions whose argument has a shape
// CloudFormation rejects, and state machine definitions that are an
// intrinsic function (the plugin writes those as the literal text
// {"Ref": …}, which is no state machine).
func (c *compiler) checkIntrinsics() {
	var visit func(n *schema.Node)
	visit = func(n *schema.Node) {
		switch n.Kind {
		case schema.List:
			for _, it := range n.Items {
				visit(it)
			}
		case schema.Map:
			if len(n.Pairs) == 1 {
				p := n.Pairs[0]
				if shape, ok := intrinsicShapes[p.Key]; ok && !shape.ok(p.Value) {
					c.DeployFailure(p.Value.Pos, fmt.Sprintf("malformed %s", p.Key),
						"%s takes %s; got %s.", p.Key, shape.want, describeShape(p.Value))
				}
			}
			for _, p := range n.Pairs {
				visit(p.Value)
			}
		}
	}
	if sf := c.Service.Root.Get("stepFunctions"); sf != nil {
		visit(sf)
	}
	if c.Service.Resources != nil {
		visit(c.Service.Resources)
	}
	if sf := c.Service.StepFunctions; sf != nil {
		for _, m := range sf.StateMachines {
			if def := m.Definition; def.IsIntrinsic() {
				c.DeployFailure(def.Pos, "definition cannot be an intrinsic function",
					"State machine %q would get the literal text %s as its definition, which is no state machine. Write the definition here, or load it with ${file(...)}.",
					m.Key, jsvalue.Stringify(def, ""))
			}
		}
	}
}

// describeShape names what a malformed intrinsic argument is.
func describeShape(n *schema.Node) string {
	if n.Kind == schema.List {
		return fmt.Sprintf("a list of %d", len(n.Items))
	}
	return jsvalue.Describe(n)
}

func isNonEmptyString(n *schema.Node) bool { return n.Kind == schema.String && n.Value != "" }
