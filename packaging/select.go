package packaging

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// defaultExcludes are the framework's built-in exclusions, in its order.
var defaultExcludes = []string{
	".git/**", ".gitignore", ".DS_Store", "npm-debug.log", "yarn-*.log",
	".serverless/**", ".serverless_plugins/**",
}

// errNoFiles is the framework's NO_MATCHED_FILES error.
var errNoFiles = errors.New("no file matches include / exclude patterns")

// maxSymlinkDepth bounds how many symlinked directories one path may pass
// through, so a link cycle is an error instead of an endless walk.
const maxSymlinkDepth = 32

// fileInfo is one file the walk found: its path relative to the walk's
// root, and whether its owner-execute bit is set (after following links).
type fileInfo struct {
	path       string
	executable bool
	size       int64
}

// patternSet is what decides one artifact's files, as the framework's
// resolveFilePathsFromPatterns receives it.
type patternSet struct {
	exclude     []string // default, config file, local plugins, user and layer excludes
	include     []string // user includes and patterns
	devExcludes []string // applied last, so patterns cannot re-include them
}

// selectFiles lists the files of fsys (below root, "" for the whole tree)
// that the framework would zip for ps, sorted in zip order, with paths
// relative to root.
//
// It is two steps, like the framework's: globby lists the files of the
// patterns `['**', ...include]`, where a `!p` in that list hides p from the
// positive patterns before it (and, for some patterns, whole directories
// it matches); then every listed file starts included and each exclude (as a
// negation), each include and each dev exclude is applied in order with
// micromatch, the last match winning.
func selectFiles(fsys fs.FS, root string, ps patternSet) ([]fileInfo, error) {
	// Listing tasks.
	// globby drops repeated patterns first (array-union), so an included
	// "**" after a negation is not a second, unfiltered listing.
	listPatterns := union([]string{"**"}, ps.include)
	type task struct {
		positive *glob
		litDirs  []string
		ignores  []*glob
		// dirIgnores are the ignores that stop the walk at a directory they
		// match: fast-glob only prunes with patterns that end in `/**` or
		// whose last segment is plain text (`!a/*` still enters a/b).
		dirIgnores []*glob
	}
	var tasks []task
	for i, p := range listPatterns {
		if strings.HasPrefix(p, "!") {
			continue
		}
		g, err := compileGlob(p)
		if err != nil {
			return nil, err
		}
		t := task{positive: g}
		for _, q := range listPatterns[i+1:] {
			if neg, ok := strings.CutPrefix(q, "!"); ok {
				ig, err := compileGlob(neg)
				if err != nil {
					return nil, err
				}
				t.ignores = append(t.ignores, ig)
				if strings.HasSuffix(neg, "/**") || !strings.ContainsAny(path.Base(neg), globSpecial) {
					t.dirIgnores = append(t.dirIgnores, ig)
				}
			}
		}
		// fast-glob expands braces first: each alternative walks from its
		// own static base ({a,b}/** starts in a and in b).
		for _, alt := range expandBraces(p) {
			ag, err := compileGlob(alt)
			if err != nil {
				return nil, err
			}
			t.positive, t.litDirs = ag, ag.literalDirs()
			tasks = append(tasks, t)
		}
	}
	// Filter rules, in application order.
	type rule struct {
		g       *glob
		include bool
	}
	var rules []rule
	addRule := func(p string, include bool) error {
		if neg, ok := strings.CutPrefix(p, "!"); ok {
			p, include = neg, !include
		}
		g, err := compileGlob(p)
		if err != nil {
			return err
		}
		rules = append(rules, rule{g, include})
		return nil
	}
	devSet := map[string]bool{}
	for _, p := range ps.devExcludes {
		devSet[p] = true
	}
	for _, p := range ps.exclude {
		if devSet[p] {
			continue
		}
		if err := addRule(p, false); err != nil {
			return nil, err
		}
	}
	for _, p := range ps.include {
		if err := addRule(p, true); err != nil {
			return nil, err
		}
	}
	for _, p := range ps.devExcludes {
		if err := addRule(p, false); err != nil {
			return nil, err
		}
	}

	// ignored[i] says whether task i ignores the current directory (and so
	// everything below it).
	var files []fileInfo
	var walk func(dir string, ignored []bool, linkDepth int) error
	walk = func(dir string, ignored []bool, linkDepth int) error {
		full := path.Join(root, dir)
		if full == "" {
			full = "."
		}
		entries, err := fs.ReadDir(fsys, full)
		if err != nil {
			return err
		}
		for _, e := range entries {
			rel := e.Name()
			if dir != "" {
				rel = dir + "/" + e.Name()
			}
			isDir, isFile := e.IsDir(), e.Type().IsRegular()
			viaLink := false
			var info fs.FileInfo
			if e.Type()&fs.ModeSymlink != 0 {
				// Followed, like globby with `follow: true`; broken links are skipped.
				info, err = fs.Stat(fsys, path.Join(root, rel))
				if err != nil {
					continue
				}
				isDir, isFile, viaLink = info.IsDir(), info.Mode().IsRegular(), true
			}
			if isDir {
				sub := make([]bool, len(tasks))
				any := false
				for i, t := range tasks {
					// fast-glob starts each task's walk at the pattern's
					// static base, so only directories below it can be pruned.
					belowBase := strings.Count(rel, "/")+1 > len(t.litDirs)
					sub[i] = ignored[i] || !prefixCompatible(rel, t.litDirs) || belowBase && matchAny(t.dirIgnores, rel)
					any = any || !sub[i]
				}
				if !any {
					continue
				}
				depth := linkDepth
				if viaLink {
					depth++
					if depth > maxSymlinkDepth {
						return fmt.Errorf("%s: too many levels of symbolic links (a link cycle?)", rel)
					}
				}
				if err := walk(rel, sub, depth); err != nil {
					return err
				}
				continue
			}
			if !isFile {
				continue
			}
			listed := false
			for i, t := range tasks {
				if !ignored[i] && t.positive.match(rel) && !matchAny(t.ignores, rel) {
					listed = true
					break
				}
			}
			if !listed {
				continue
			}
			included := true
			for k := len(rules) - 1; k >= 0; k-- {
				if rules[k].g.match(rel) {
					included = rules[k].include
					break
				}
			}
			if !included {
				continue
			}
			if info == nil {
				if info, err = e.Info(); err != nil {
					return err
				}
			}
			files = append(files, fileInfo{path: rel, executable: info.Mode().Perm()&0o100 != 0, size: info.Size()})
		}
		return nil
	}
	if err := walk("", make([]bool, len(tasks)), 0); err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errNoFiles
	}
	sort.Slice(files, func(i, j int) bool { return collateLess(files[i].path, files[j].path) })
	return files, nil
}

func matchAny(gs []*glob, p string) bool {
	for _, g := range gs {
		if g.match(p) {
			return true
		}
	}
	return false
}

// prefixCompatible reports whether something below dir could match a
// pattern whose leading literal directories are lit.
func prefixCompatible(dir string, lit []string) bool {
	segs := strings.Split(dir, "/")
	for i := 0; i < len(segs) && i < len(lit); i++ {
		if segs[i] != lit[i] {
			return false
		}
	}
	return true
}

// union appends the lists, dropping repeats (lodash's _.union).
func union(lists ...[]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, s := range l {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// maxBraceExpansions bounds brace expansion; a pattern with more
// alternatives is kept whole (it then walks from its first brace).
const maxBraceExpansions = 256

// expandBraces expands `{a,b}` alternatives into separate patterns, as
// fast-glob does before it walks; escaped braces and braces without a
// comma stay as they are.
func expandBraces(p string) []string {
	out := []string{p}
	for changed := true; changed; {
		changed = false
		var next []string
		for _, q := range out {
			alts, ok := expandFirstBrace(q)
			if ok {
				changed = true
				next = append(next, alts...)
			} else {
				next = append(next, q)
			}
		}
		if len(next) > maxBraceExpansions {
			return []string{p}
		}
		out = next
	}
	return out
}

// expandFirstBrace expands the first brace group that holds a top-level
// comma.
func expandFirstBrace(p string) ([]string, bool) {
	t := &translator{src: p}
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '{':
			end := t.closingBrace(i)
			if end < 0 {
				return nil, false
			}
			var alts []string
			depth, start := 0, i+1
			for j := i + 1; j < end; j++ {
				switch p[j] {
				case '\\':
					j++
				case '{':
					depth++
				case '}':
					depth--
				case ',':
					if depth == 0 {
						alts = append(alts, p[start:j])
						start = j + 1
					}
				}
			}
			if alts == nil {
				continue
			}
			alts = append(alts, p[start:end])
			out := make([]string, len(alts))
			for k, a := range alts {
				out[k] = p[:i] + a + p[end+1:]
			}
			return out, true
		}
	}
	return nil, false
}
