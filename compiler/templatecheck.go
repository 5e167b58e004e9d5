package compiler

import (
	"fmt"
	"slices"
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
// returns the template as JSON, as it measured it; the encoding also
// finishes the resources (cfn.JSONFinishing) and finds their
// dependencies, in one pass. Unless keepDoc, it consumes doc's resources
// (see cfn.JSONConsuming).
func (c *compiler) checkTemplate(doc map[string]any, keepDoc bool) cfn.Text {
	resources, _ := doc["Resources"].(map[string]any)
	if n := len(resources); n > maxResources {
		c.DeployFailure(c.configPos(), fmt.Sprintf("the template has %d resources", n),
			"CloudFormation allows at most %d resources in one stack. Move some into a nested stack or a separate service.", maxResources)
	}
	deps := newDependencyFinder(resources)
	encoded := cfn.JSONFinishing(doc, !keepDoc, deps)
	c.checkCycles(deps.graph())
	if size := encoded.Len(); size > maxTemplateBytes {
		c.DeployFailure(c.configPos(), fmt.Sprintf("the template is %d bytes", size),
			"CloudFormation accepts a template of at most %d bytes (1 MB) from S3. Move resources into a nested stack, or shorten large definitions.", maxTemplateBytes)
	}
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

// resourceGraph is the template's resources (ids, sorted) and, for each,
// the resources it waits for (edges, as ascending indexes into ids, so in
// the ids' order). Indexes instead of names keep the check linear and
// light for templates of thousands of resources.
type resourceGraph struct {
	ids   []string
	edges [][]int
}

// dependencyFinder builds the resourceGraph of a template's resources as
// the encoding shows them (a cfn.ResourceVisitor): every resource's
// DependsOn, and every Ref, Fn::GetAtt and Fn::Sub reference in its
// properties. mark[j] == current+1 says resource j is among the current
// resource's dependencies already.
type dependencyFinder struct {
	g       *resourceGraph
	index   map[string]int
	mark    []int
	current int
	found   []int
}

func newDependencyFinder(resources map[string]any) *dependencyFinder {
	g := &resourceGraph{ids: sortedKeys(resources)}
	g.edges = make([][]int, len(g.ids))
	d := &dependencyFinder{g: g, index: make(map[string]int, len(g.ids)), mark: make([]int, len(g.ids)), current: -1}
	for i, id := range g.ids {
		d.index[id] = i
	}
	return d
}

// Resource starts on a resource's dependencies with its DependsOn.
func (d *dependencyFinder) Resource(id string, resource map[string]any) {
	d.flush()
	i, ok := d.index[id]
	if !ok {
		return
	}
	d.current = i
	switch deps := resource["DependsOn"].(type) {
	case string:
		d.add(deps)
	case []any:
		for _, e := range deps {
			if s, ok := e.(string); ok {
				d.add(s)
			}
		}
	}
}

// flush records the current resource's dependencies, ascending.
func (d *dependencyFinder) flush() {
	if d.current >= 0 && len(d.found) > 0 {
		edges := slices.Clone(d.found)
		slices.Sort(edges)
		d.g.edges[d.current] = edges
	}
	d.current, d.found = -1, d.found[:0]
}

// graph returns the graph once the template is written.
func (d *dependencyFinder) graph() *resourceGraph {
	d.flush()
	return d.g
}

func (d *dependencyFinder) add(id string) {
	if j, ok := d.index[id]; ok && d.current >= 0 && d.mark[j] != d.current+1 {
		d.mark[j] = d.current + 1
		d.found = append(d.found, j)
	}
}

// Intrinsic adds the resource that the one-key object {key: arg} refers
// to, if it is a Ref, Fn::GetAtt or Fn::Sub.
func (d *dependencyFinder) Intrinsic(key string, arg any) {
	switch key {
	case "Ref":
		if s, ok := arg.(string); ok {
			d.add(s)
		}
	case "Fn::GetAtt":
		switch a := arg.(type) {
		case string:
			id, _, _ := strings.Cut(a, ".")
			d.add(id)
		case []any:
			if len(a) > 0 {
				if s, ok := a[0].(string); ok {
					d.add(s)
				}
			}
		}
	case "Fn::Sub":
		text, vars := arg, map[string]any(nil)
		if list, ok := arg.([]any); ok && len(list) > 0 {
			text = list[0]
			if len(list) > 1 {
				vars, _ = list[1].(map[string]any)
			}
		}
		if s, ok := text.(string); ok {
			eachSubReference(s, func(ref string) {
				name, _, _ := strings.Cut(ref, ".")
				if _, isVar := vars[ref]; !isVar {
					if _, isVar := vars[name]; !isVar {
						d.add(name)
					}
				}
			})
		}
	}
}

// checkCycles reports every set of resources that wait for each other,
// which CloudFormation rejects as a circular dependency.
func (c *compiler) checkCycles(g *resourceGraph) {
	for _, scc := range g.cyclicComponents() {
		cycle := g.shortestCycle(scc[0], scc)
		if cycle == nil {
			continue
		}
		pos := c.configPos()
		for _, i := range scc {
			if p := c.resourcePos(g.ids[i]); p.IsValid() {
				pos = p
				break
			}
		}
		c.DeployFailure(pos, "circular dependency between resources",
			"%s. CloudFormation cannot create resources that wait for each other. Break the cycle: for example, build an ARN with Fn::Sub and the resource's name instead of a Ref or Fn::GetAtt, or drop a DependsOn.",
			strings.Join(cycle, " → "))
	}
}

// cyclicComponents returns the strongly connected components of the
// graph (Tarjan's algorithm) that hold a cycle, each ascending, ordered
// by their first member: by the ids' order, so deterministic. A single
// resource is one only when it refers to itself; the others, nearly
// all, are not collected.
func (g *resourceGraph) cyclicComponents() [][]int {
	n := len(g.ids)
	index := make([]int, n) // 0: not visited yet; else the visit number + 1
	low := make([]int, n)
	onStack := make([]bool, n)
	var stack []int
	var out [][]int
	next := 1
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range g.edges[v] {
			if index[w] == 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			top := len(stack) - 1
			for stack[top] != v {
				top--
			}
			if top == len(stack)-1 && !slices.Contains(g.edges[v], v) {
				onStack[v] = false
				stack = stack[:top]
				return
			}
			scc := slices.Clone(stack[top:])
			for _, w := range scc {
				onStack[w] = false
			}
			stack = stack[:top]
			slices.Sort(scc)
			out = append(out, scc)
		}
	}
	for v := range g.ids {
		if index[v] == 0 {
			visit(v)
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

// shortestCycle returns the shortest path from start back to itself within
// members, as "start, …, start", or nil when there is none.
func (g *resourceGraph) shortestCycle(start int, members []int) []string {
	in := make(map[int]bool, len(members))
	for _, m := range members {
		in[m] = true
	}
	prev := map[int]int{}
	queue := []int{start}
	visited := map[int]bool{}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range g.edges[v] {
			if !in[w] {
				continue
			}
			if w == start {
				path := []string{g.ids[start]}
				for at := v; at != start; at = prev[at] {
					path = append(path, g.ids[at])
				}
				path = append(path, g.ids[start])
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
