package schema

import (
	"path/filepath"
	"strings"

	"github.com/stepform/stepform/schema/diag"
)

// LoadOptions says where a service is and what its variables read.
type LoadOptions struct {
	// ConfigPath is serverless.yml's path as the user gave it; diagnostics
	// name files relative to it.
	ConfigPath string
	// Stage and Region are the command line's --stage and --region ("" when
	// not given).
	Stage, Region string
	// Params, Env and External feed ${param:}, ${env:} and the variables
	// that need AWS (see Variables).
	Params, Env, External map[string]string
	// ReadFile reads files; nil means ReadLimited.
	ReadFile func(path string) ([]byte, error)
}

// Load reads, resolves and decodes a service. Sources maps every file it
// read to its text, for quoting in diagnostics. The Service is nil when
// the configuration could not be read at all.
func Load(opts LoadOptions) (*Service, map[string][]byte, diag.List) {
	read := opts.ReadFile
	if read == nil {
		read = ReadLimited
	}
	sources := map[string][]byte{}
	var diags diag.List
	data, err := read(opts.ConfigPath)
	if err != nil {
		diags.Errorf(diag.Pos{File: opts.ConfigPath}, "cannot read configuration",
			"%v. Run stepform in the service folder, or pass --config PATH.", err)
		return nil, sources, diags
	}
	sources[opts.ConfigPath] = data
	parse := ParseYAML
	if strings.EqualFold(filepath.Ext(opts.ConfigPath), ".json") {
		// serverless.json, which the framework reads with JSON.parse.
		parse = ParseJSON
	}
	root, d := parse(opts.ConfigPath, data)
	diags.Append(d)
	if root == nil || d.HasErrors() {
		return nil, sources, diags
	}
	cliOptions := map[string]string{}
	if opts.Stage != "" {
		cliOptions["stage"] = opts.Stage
	}
	if opts.Region != "" {
		cliOptions["region"] = opts.Region
	}
	// root is ours alone: resolve it without copying it first.
	resolved, d := resolveVariablesInPlace(root, opts.ConfigPath, Variables{
		Options:    cliOptions,
		Params:     opts.Params,
		Env:        opts.Env,
		External:   opts.External,
		ServiceDir: filepath.Dir(opts.ConfigPath),
		ReadFile:   read,
	}, sources)
	diags.Append(d)
	if d.HasErrors() {
		return nil, sources, diags
	}
	moveNullsLast(resolved)
	svc, d := Decode(resolved, opts.Stage, opts.Region)
	diags.Append(d)
	if svc != nil && svc.Packaging != nil {
		// A document that is not a service (a bare scalar) decodes
		// without package settings.
		findHandlerFiles(svc, filepath.Dir(opts.ConfigPath), read)
	}
	return svc, sources, diags
}

// moveNullsLast moves every null-valued key to the end of its object,
// keeping their order, as the framework's configuration loading does
// (observed with sls print and in the plugin's output).
func moveNullsLast(n *Node) {
	for _, it := range n.Items {
		moveNullsLast(it)
	}
	if n.Kind != Map {
		return
	}
	first := -1 // the first null-valued key
	for i, p := range n.Pairs {
		moveNullsLast(p.Value)
		if first < 0 && p.Value.Kind == Null {
			first = i
		}
	}
	if first < 0 {
		// Most objects have no null: leave their pairs unwritten.
		return
	}
	var nulls []Pair
	kept := n.Pairs[:first]
	for _, p := range n.Pairs[first:] {
		if p.Value.Kind == Null {
			nulls = append(nulls, p)
		} else {
			kept = append(kept, p)
		}
	}
	n.Pairs = append(kept, nulls...)
}
