package packaging

import (
	"encoding/json"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// devDependencyExcludes computes the framework's dev-dependency excludes
// without running npm. The framework runs `npm ls --dev` and `npm ls
// --prod` in every directory with a package.json outside node_modules and
// excludes the packages only the first lists. npm (7 and later) marks a
// package dev when it is reachable from the project's devDependencies but
// not from its dependencies, optionalDependencies or peerDependencies (a
// name in both dependencies and devDependencies counts as dev); we
// compute the same two closures over the installed tree, resolving each
// name as Node does (the nearest node_modules first, then the enclosing
// packages' up to the project). Packages in neither closure (extraneous)
// are kept, as with npm.
//
// For each dev-only package with a readable package.json the excludes are
// `<dir>/**` and its bin links in the sibling `.bin` folder. Like the
// framework, any unreadable dev-only manifest (or an unusable `bin`)
// cancels all dev excludes.
func devDependencyExcludes(fsys fs.FS) []string {
	projects := findProjects(fsys)
	dev := map[string]bool{}
	prod := map[string]bool{}
	for _, dir := range projects {
		root, err := readManifest(fsys, path.Join(dir, "package.json"))
		if err != nil {
			continue // npm ls fails and prints nothing
		}
		r := &resolver{fsys: fsys, project: dir, manifests: map[string]*manifest{}}
		// npm (arborist) loads a project's devDependencies last, so a name
		// listed there and in dependencies is a dev edge.
		var rootProd []string
		for _, n := range root.prodNames() {
			if _, dev := root.DevDependencies[n]; !dev {
				rootProd = append(rootProd, n)
			}
		}
		r.closure(dir, rootProd, prod)
		r.closure(dir, root.DevDependencies.names(), dev)
	}
	var devOnly []string
	for p := range dev {
		if !prod[p] {
			devOnly = append(devOnly, p)
		}
	}
	sort.Strings(devOnly)
	var excludes []string
	for _, item := range devOnly {
		if !strings.Contains(item, "node_modules/") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(item, "package.json"))
		if err != nil {
			continue // the framework skips unreadable manifests
		}
		var m struct {
			Bin json.RawMessage `json:"bin"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil
		}
		excludes = append(excludes, item+"/**")
		slash := strings.LastIndex(item, "/")
		modulePath, moduleName := item[:slash+1], item[slash+1:]
		bins, ok := binNames(m.Bin, moduleName)
		if !ok {
			return nil
		}
		for _, b := range bins {
			excludes = append(excludes, modulePath+".bin/"+b)
		}
	}
	return excludes
}

// binNames lists the bin links of a package the way the framework derives
// them: the keys of an object `bin`, or the package's folder name for a
// string `bin`. ok is false where the framework's code would throw (null).
func binNames(raw json.RawMessage, moduleName string) ([]string, bool) {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "":
		return nil, true
	case s == "null":
		return nil, false
	case strings.HasPrefix(s, `"`):
		return []string{moduleName}, true
	case strings.HasPrefix(s, "{"):
		keys, err := objectKeys(raw)
		return keys, err == nil
	case strings.HasPrefix(s, "["):
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil, false
		}
		var keys []string
		for i := range items {
			keys = append(keys, strings.TrimSpace(jsonIndex(i)))
		}
		return keys, true
	}
	return nil, true
}

func jsonIndex(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// objectKeys returns a JSON object's keys in document order.
func objectKeys(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var keys []string
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := t.(string)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// findProjects lists the directories holding a package.json whose path has
// no "node_modules" in it (the framework's filter), links followed.
func findProjects(fsys fs.FS) []string {
	var out []string
	var walk func(dir string, linkDepth int)
	walk = func(dir string, linkDepth int) {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			rel := path.Join(dir, e.Name())
			if strings.Contains(rel, "node_modules") {
				continue
			}
			isDir, isFile, depth := e.IsDir(), e.Type().IsRegular(), linkDepth
			if e.Type()&fs.ModeSymlink != 0 {
				info, err := fs.Stat(fsys, rel)
				if err != nil {
					continue
				}
				isDir, isFile, depth = info.IsDir(), info.Mode().IsRegular(), linkDepth+1
			}
			switch {
			case isDir && depth <= maxSymlinkDepth:
				walk(rel, depth)
			case isFile && e.Name() == "package.json":
				out = append(out, dir)
			}
		}
	}
	walk(".", 0)
	sort.Strings(out)
	return out
}

type depMap map[string]string

func (d depMap) names() []string {
	var out []string
	for k := range d {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type manifest struct {
	Dependencies         depMap `json:"dependencies"`
	DevDependencies      depMap `json:"devDependencies"`
	OptionalDependencies depMap `json:"optionalDependencies"`
	PeerDependencies     depMap `json:"peerDependencies"`
}

// prodNames are the names whose packages npm counts as production.
func (m *manifest) prodNames() []string {
	return union(m.Dependencies.names(), m.OptionalDependencies.names(), m.PeerDependencies.names())
}

func readManifest(fsys fs.FS, name string) (*manifest, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	m := &manifest{}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, err
	}
	return m, nil
}

// resolver walks one project's installed tree.
type resolver struct {
	fsys      fs.FS
	project   string
	manifests map[string]*manifest
}

// closure adds to set every installed package reachable from the package
// at from through names and, transitively, through their dependencies,
// optionalDependencies and peerDependencies.
func (r *resolver) closure(from string, names []string, set map[string]bool) {
	type item struct {
		from string
		name string
	}
	var queue []item
	for _, n := range names {
		queue = append(queue, item{from, n})
	}
	visited := map[string]bool{}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		dir := r.resolve(it.from, it.name)
		if dir == "" || visited[dir] {
			continue
		}
		visited[dir] = true
		set[dir] = true
		m := r.manifest(dir)
		if m == nil {
			continue
		}
		for _, n := range m.prodNames() {
			queue = append(queue, item{dir, n})
		}
	}
}

// resolve finds the installed directory of name as required from the
// package at from: from/node_modules/name, then the same in each enclosing
// package up to the project. "" when not installed.
func (r *resolver) resolve(from, name string) string {
	if name == "" || strings.Contains(name, "..") {
		return ""
	}
	dir := from
	for {
		cand := path.Join(dir, "node_modules", name)
		if info, err := fs.Stat(r.fsys, cand); err == nil && info.IsDir() {
			return cand
		}
		if dir == r.project {
			return ""
		}
		i := strings.LastIndex("/"+dir, "/node_modules/")
		if i < 0 {
			return ""
		}
		if dir = dir[:max(i-1, 0)]; dir == "" {
			dir = "."
		}
	}
}

func (r *resolver) manifest(dir string) *manifest {
	if m, ok := r.manifests[dir]; ok {
		return m
	}
	m, err := readManifest(r.fsys, path.Join(dir, "package.json"))
	if err != nil {
		m = nil
	}
	r.manifests[dir] = m
	return m
}
