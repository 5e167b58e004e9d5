// Package restree builds the resource tree of a REST API from its
// methods' paths and provider.apiGateway.restApiResources, as both the
// framework (compile/events/api-gateway/lib/resources.js) and the
// serverless-step-functions plugin (a copy of that file) do: paths whose
// resource already exists are used by ID, and the tree is cut below them
// ("tree cutting"), so that only the missing resources are created. The
// framework runs it over the functions' http events and the plugin over
// the state machines' separately, each with the same predefined list.
package restree

import (
	"sort"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// Node is one path of the tree.
type Node struct {
	Path, PathPart string
	// Name is the resource's name in logical IDs.
	Name    string
	hasName bool
	Parent  *Node
	// ResourceID is the existing resource's ID (nil when it is created).
	ResourceID any
	// NoPathPart marks a restApiResources entry used as it is, when every
	// method's path is predefined: the tools write a Resource without
	// PathPart for such an entry that lacks a resourceId.
	NoPathPart bool

	children  []*Node
	level     int
	hasMethod bool
	isCut     bool
}

// Predefined is one restApiResources entry.
type Predefined struct {
	Path       string
	ResourceID any
	Name       string
	HasName    bool
}

// Predefs reads restApiResources, a list of {path, resourceId} or a map
// of path to resource ID (getApiGatewayPredefinedResources).
func Predefs(api *schema.APIGatewaySettings) []Predefined {
	n := api.RestAPIResources
	if n == nil {
		return nil
	}
	var out []Predefined
	switch n.Kind {
	case schema.List:
		for _, it := range api.RestAPIResourceList {
			p := Predefined{Path: jsvalue.String(it.Path), ResourceID: jsvalue.Plain(it.ResourceID)}
			if nm := it.Name; nm.Truthy() {
				p.Name, p.HasName = jsvalue.String(nm), true
			}
			if it.ResourceID == nil {
				p.ResourceID = nil
			}
			out = append(out, p)
		}
	case schema.Map:
		for _, p := range jsvalue.Pairs(n) {
			out = append(out, Predefined{Path: p.Key, ResourceID: jsvalue.Plain(p.Value)})
		}
	}
	return out
}

// Tree is the result of getResourcePaths: the resources by path, and
// the paths in the order the tools create them.
type Tree struct {
	Nodes map[string]*Node
	Paths []string
}

func trimSlashes(p string) string { return strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/") }

func find(list []*Node, path string) *Node {
	for _, n := range list {
		if n.Path == path {
			return n
		}
	}
	return nil
}

// Build is getResourcePaths over the methods' paths (as the tools
// validated them, without leading or trailing slashes; "" for the root
// is skipped). normalize names a path by default. missing is the path
// whose resource ID the tools require ("Resource ID for path ... is
// required"); the tree is then empty.
func Build(predefs []Predefined, methodPaths []string, normalize func(string) string) (tree Tree, missing string) {
	var trees, predefNodes, methodNodes []*Node
	// The nodes by path, so that an API of thousands of paths is not
	// searched path by path: paths are distinct among the roots, among
	// one node's children, and in predefNodes and methodNodes.
	roots, created := map[string]*Node{}, map[string]*Node{}
	inPredefs, inMethods := map[string]bool{}, map[string]bool{}
	apply := func(path string, res *Predefined, isMethod bool) {
		parts := strings.Split(trimSlashes(path), "/")
		var root, parent *Node
		cur := ""
		applyNode := func(n *Node, index int) {
			if index == len(parts)-1 {
				n.Name, n.hasName = "", false
				if res != nil {
					n.Name, n.hasName = res.Name, res.HasName
					if res.ResourceID != nil && res.ResourceID != "" {
						n.ResourceID = res.ResourceID
						if !inPredefs[n.Path] {
							inPredefs[n.Path] = true
							predefNodes = append(predefNodes, n)
						}
					}
				}
				if isMethod && !n.hasMethod {
					n.hasMethod = true
					if !inMethods[n.Path] {
						inMethods[n.Path] = true
						methodNodes = append(methodNodes, n)
					}
				}
			}
			parent = n
		}
		for i, part := range parts {
			if cur == "" {
				cur = part
			} else {
				cur += "/" + part
			}
			if root == nil {
				root = roots[cur]
			}
			if parent == nil {
				parent = root
			}
			if parent != nil {
				if parent.Path == cur {
					applyNode(parent, i)
					continue
				}
				if n := created[cur]; n != nil && n.Parent == parent {
					applyNode(n, i)
					continue
				}
			}
			n := &Node{Path: cur, PathPart: part, Parent: parent, level: i}
			if _, ok := created[cur]; !ok {
				created[cur] = n
			}
			if parent != nil {
				parent.children = append(parent.children, n)
			}
			if root == nil {
				root = n
				trees = append(trees, root)
				roots[cur] = root
			}
			applyNode(n, i)
		}
	}
	for i := range predefs {
		apply(predefs[i].Path, &predefs[i], false)
	}
	for _, p := range methodPaths {
		if p != "" {
			apply(p, nil, true)
		}
	}
	tree.Nodes = map[string]*Node{}
	var collect func(n *Node)
	collect = func(n *Node) {
		if _, ok := tree.Nodes[n.Path]; !ok {
			tree.Paths = append(tree.Paths, n.Path)
		}
		tree.Nodes[n.Path] = n
		if !n.hasName || n.Name == "" {
			n.Name = normalize(n.Path)
		}
		for _, ch := range n.children {
			collect(ch)
		}
	}
	allPredefined := true
	for _, p := range methodPaths {
		if !inPredefs[p] {
			allPredefined = false
		}
	}
	switch {
	case len(predefNodes) == 0:
		for _, t := range trees {
			collect(t)
		}
		return tree, ""
	case allPredefined:
		// The list is used as it is, keyed by the path as written (a
		// leading slash there makes the method's path unknown).
		for _, p := range predefs {
			n := &Node{Path: p.Path, ResourceID: p.ResourceID, Name: p.Name, NoPathPart: true}
			if !p.HasName {
				n.Name = normalize(p.Path)
			}
			if _, ok := tree.Nodes[p.Path]; !ok {
				tree.Paths = append(tree.Paths, p.Path)
			}
			tree.Nodes[p.Path] = n
		}
		return tree, ""
	}
	cut := func(n *Node) {
		if n.Parent == nil {
			return
		}
		if len(n.Parent.children) <= 1 {
			n.Parent.children = nil
		} else {
			var keep []*Node
			for _, ch := range n.Parent.children {
				if ch.Path != n.Path {
					keep = append(keep, ch)
				}
			}
			n.Parent.children = keep
			n.Parent.isCut = true
		}
		n.Parent = nil
	}
	sorted := append([]*Node(nil), predefNodes...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].level < sorted[j].level })
	for i := len(sorted) - 1; i >= 0; i-- {
		p := sorted[i]
		for p != nil && p.Parent != nil {
			if p.Parent.hasMethod && p.Parent.ResourceID == nil {
				return Tree{}, p.Parent.Path
			}
			if p.Parent.ResourceID != nil || len(p.Parent.children) > 1 {
				cut(p)
				break
			}
			p = p.Parent
		}
	}
	var validated []*Node
	for _, n := range methodNodes {
		it := n
		for it != nil {
			if it.ResourceID != nil {
				cut(it)
				if find(validated, n.Path) == nil {
					validated = append(validated, it)
				}
				break
			}
			if it.isCut || (it.Parent == nil && it.level > 0) {
				return Tree{}, it.Path
			}
			if it.Parent == nil {
				validated = append(validated, it)
				break
			}
			it = it.Parent
		}
	}
	for _, t := range validated {
		collect(t)
	}
	return tree, ""
}

// PreflightMethod is the OPTIONS method compileCors gives a path: a MOCK
// integration answering 200 with headers (name, quoted value) and the
// response template. A header named in setByTemplate is declared on the
// method but left to the template to set.
func PreflightMethod(headers [][2]string, setByTemplate, template string, resourceID, restAPIID any) map[string]any {
	methodParams, integrationParams := map[string]any{}, map[string]any{}
	for _, h := range headers {
		methodParams["method.response.header."+h[0]] = true
		if h[0] != setByTemplate {
			integrationParams["method.response.header."+h[0]] = h[1]
		}
	}
	return map[string]any{"Type": "AWS::ApiGateway::Method", "Properties": map[string]any{
		"AuthorizationType": "NONE",
		"HttpMethod":        "OPTIONS",
		"MethodResponses":   []any{map[string]any{"StatusCode": "200", "ResponseParameters": methodParams, "ResponseModels": map[string]any{}}},
		"RequestParameters": map[string]any{},
		"Integration": map[string]any{
			"Type":             "MOCK",
			"RequestTemplates": map[string]any{"application/json": "{statusCode:200}"},
			"ContentHandling":  "CONVERT_TO_TEXT",
			"IntegrationResponses": []any{map[string]any{"StatusCode": "200", "ResponseParameters": integrationParams,
				"ResponseTemplates": map[string]any{"application/json": template}}},
		},
		"ResourceId": resourceID,
		"RestApiId":  restAPIID,
	}}
}
