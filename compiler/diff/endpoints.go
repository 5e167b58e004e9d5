package diff

import (
	"fmt"
	"sort"
	"strings"
)

// endpoint is an API Gateway method as a client sees it.
type endpoint struct {
	id     string // the method's logical ID
	method string
	path   string
	api    string // the RestApiId, rendered, when the template has several APIs
}

func (e endpoint) key() string {
	k := e.method + " " + e.path
	if e.api != "" {
		k += " (" + e.api + ")"
	}
	return k
}

// sortKey orders endpoints by API, path, then method.
func (e endpoint) sortKey() string { return e.api + "\x00" + e.path + "\x00" + e.method }

// endpointsOf maps each AWS::ApiGateway::Method of a template to its
// endpoint. The path is built by following each Resource's ParentId to
// the API's root; a parent outside the template (an imported resource ID)
// is written as {!ImportValue ...} or the like.
func endpointsOf(res map[string]map[string]any) map[string]endpoint {
	apis := map[string]bool{}
	for _, r := range res {
		if typeOf(r) == "AWS::ApiGateway::Method" {
			apis[render(propsOf(r)["RestApiId"])] = true
		}
	}
	out := map[string]endpoint{}
	for id, r := range res {
		if typeOf(r) != "AWS::ApiGateway::Method" {
			continue
		}
		props := propsOf(r)
		method, _ := props["HttpMethod"].(string)
		if method == "" {
			method = render(props["HttpMethod"])
		}
		e := endpoint{id: id, method: strings.ToUpper(method), path: resourcePath(res, props["ResourceId"], 0)}
		if len(apis) > 1 {
			e.api = render(props["RestApiId"])
		}
		out[id] = e
	}
	return out
}

// maxPathDepth stops a ParentId cycle.
const maxPathDepth = 64

// resourcePath is the path of the API resource ref points at.
func resourcePath(res map[string]map[string]any, ref any, depth int) string {
	m, _ := ref.(map[string]any)
	name, arg, ok := intrinsic(m)
	switch {
	case ok && name == "GetAtt":
		if l, isList := arg.([]any); isList && len(l) == 2 && l[1] == "RootResourceId" {
			return "/"
		}
	case ok && name == "Ref":
		id, _ := arg.(string)
		if r, inTemplate := res[id]; inTemplate && typeOf(r) == "AWS::ApiGateway::Resource" && depth < maxPathDepth {
			props := propsOf(r)
			part, _ := props["PathPart"].(string)
			if part == "" {
				part = render(props["PathPart"])
			}
			parent := resourcePath(res, props["ParentId"], depth+1)
			return strings.TrimSuffix(parent, "/") + "/" + part
		}
	}
	return "{" + render(ref) + "}"
}

// compareEndpoints matches the methods of both templates by endpoint and
// describes the endpoints added, removed and changed. The methods it
// covers are marked in handled ("old ID", "new ID").
func compareEndpoints(oldRes, newRes map[string]map[string]any, handled map[string]bool, counts map[string]int) []entry {
	oldByKey, newByKey := map[string]endpoint{}, map[string]endpoint{}
	for _, e := range endpointsOf(oldRes) {
		if prev, taken := oldByKey[e.key()]; !taken || e.id < prev.id {
			oldByKey[e.key()] = e
		}
	}
	for _, e := range endpointsOf(newRes) {
		if prev, taken := newByKey[e.key()]; !taken || e.id < prev.id {
			newByKey[e.key()] = e
		}
	}
	var out []entry
	for key, oe := range oldByKey {
		handled["old "+oe.id] = true
		ne, inNew := newByKey[key]
		if !inNew {
			counts["removed"]++
			out = append(out, entry{sortKey: oe.sortKey(), header: fmt.Sprintf("- %s (%s)", key, oe.id)})
			continue
		}
		or, nr := oldRes[oe.id], newRes[ne.id]
		if oe.id == ne.id && equal(or, nr) {
			continue
		}
		e := resourceEntry(oe.id, ne.id, or, nr)
		// The endpoint is the same: a changed ResourceId only says the
		// path's resources were rebuilt.
		e.header = strings.Replace(e.header, formatName(oe.id, ne.id)+" ("+typeOf(nr)+")", key+" ("+formatName(oe.id, ne.id)+")", 1)
		e.sortKey = ne.sortKey()
		counts[e.kind]++
		out = append(out, e.entry)
	}
	for key, ne := range newByKey {
		handled["new "+ne.id] = true
		if _, inOld := oldByKey[key]; !inOld {
			counts["added"]++
			out = append(out, entry{sortKey: ne.sortKey(), header: fmt.Sprintf("+ %s (%s)", key, ne.id)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].sortKey < out[j].sortKey })
	return out
}

func formatName(oldID, newID string) string {
	if oldID == newID {
		return oldID
	}
	return oldID + " → " + newID
}
