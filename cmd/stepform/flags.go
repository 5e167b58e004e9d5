package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/packaging"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// commonFlags are the flags of compile and package.
func commonFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "read the service from `PATH` (default: serverless.yml, then serverless.yaml)", TakesFile: true},
		&cli.StringFlag{Name: "stage", Aliases: []string{"s"}, Usage: "deployment `STAGE` (default: provider.stage, then dev)"},
		&cli.StringFlag{Name: "region", Aliases: []string{"r"}, Usage: "AWS `REGION` (default: provider.region, then us-east-1)"},
		&cli.StringSliceFlag{Name: "param", Usage: "give ${param:KEY} a value, as `KEY=VALUE` (repeatable)"},
		&cli.StringSliceFlag{Name: "var", Usage: "supply a variable that needs AWS or code, as `VARIABLE=VALUE`: ssm:/app/key=abc, aws:accountId=123456789012 (repeatable)"},
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "json", Usage: "output `FORMAT`: json or yaml"},
		&cli.StringFlag{Name: "compat", Usage: "`plugin`: reproduce serverless-step-functions exactly, quirks included"},
		&cli.StringFlag{Name: "base", Usage: "merge into the framework's `TEMPLATE` (e.g. .serverless/cloudformation-template-update-stack.json)", TakesFile: true},
	}
}

// flagName is f's name. urfave/cli's Names() passes every name through a
// regular expression on each call (to cut off the comma-separated names
// of its v1 API), which our flags never have; the commands are built, and
// their flags looked at, on every run.
func flagName(f cli.Flag) string {
	switch f := f.(type) {
	case *cli.StringFlag:
		return f.Name
	case *cli.StringSliceFlag:
		return f.Name
	case *cli.BoolFlag:
		return f.Name
	}
	return f.Names()[0]
}

// flagNames is f's name and aliases; see flagName.
func flagNames(f cli.Flag) []string {
	switch f := f.(type) {
	case *cli.StringFlag:
		return append([]string{f.Name}, f.Aliases...)
	case *cli.StringSliceFlag:
		return append([]string{f.Name}, f.Aliases...)
	case *cli.BoolFlag:
		return append([]string{f.Name}, f.Aliases...)
	}
	return f.Names()
}

// build runs the compiler with the command's flags. It prints diagnostics
// and returns errConfig when there are errors.
func build(c *cli.Context, env map[string]string) (compiler.Text, error) {
	r, err := compileService(c, env, hashZips)
	if err != nil {
		return nil, err
	}
	printDiagnostics(c.App.ErrWriter, r.diags, r.sources)
	if r.diags.HasErrors() {
		fmt.Fprintf(c.App.ErrWriter, "stepform: %s\n", summary(r.diags))
		return nil, errConfig
	}
	return r.out, nil
}

// zipMode says what compileService does with the functions' code zips.
type zipMode uint8

const (
	// hashZips only hashes them: their CodeSha256 and folder name go
	// into the template, nothing is written.
	hashZips zipMode = iota
	// writeZips also writes them into the package folder, under
	// temporary names until the caller commits them.
	writeZips
)

// compiled is what compileService found: the template (nil when there
// are errors), the diagnostics and the source files they point into.
type compiled struct {
	configPath string
	out        compiler.Text
	diags      diag.List
	sources    map[string][]byte
	svc        *schema.Service
	// packaged is the functions' code zips, nil with --base (whose
	// template already names the framework's zips); with writeZips they
	// are written, pending, into outDir.
	packaged *packaging.Result
	outDir   string
	// doc is the template as a document, when buildService was asked
	// for no format; opts are the options it compiled with.
	doc  map[string]any
	opts compiler.Options
}

// compileService runs the compiler with the command's flags and returns
// its diagnostics unprinted; see buildService. The error is a usage
// error or a failure to write the package folder.
func compileService(c *cli.Context, env map[string]string, zips zipMode) (compiled, error) {
	load, err := loadOptions(c, env)
	if err != nil {
		return compiled{}, err
	}
	format := compiler.Format(c.String("format"))
	if format == "" { // check has no --format
		format = compiler.JSON
	}
	if format != compiler.JSON && format != compiler.YAML {
		return compiled{configPath: load.ConfigPath}, usageError{fmt.Sprintf("--format must be json or yaml, not %q", c.String("format"))}
	}
	opts, baseDiags, baseSources, err := compileOptions(c)
	if err != nil {
		return compiled{configPath: load.ConfigPath}, err
	}
	if baseDiags.HasErrors() {
		return compiled{configPath: load.ConfigPath, diags: baseDiags, sources: baseSources}, nil
	}
	return buildService(c, load, opts, zips, format)
}

// buildService loads the service and compiles it, the one path of every
// command that compiles a service (compile, check, package, inspect,
// diff). Without --base it packages the functions' code first (one pass
// over each zip: hashed while written), so that the framework's half of
// the template is compiled from the artifacts. The template is rendered
// in format; with format "" it is left as a document in r.doc (for
// inspect). The error is a failure to write the package folder.
func buildService(c *cli.Context, load schema.LoadOptions, opts compiler.Options, zips zipMode, format compiler.Format) (compiled, error) {
	r := compiled{configPath: load.ConfigPath}
	svc, sources, diags := schema.Load(load)
	r.sources, r.svc = sources, svc
	if svc == nil || diags.HasErrors() {
		diags.Sort()
		r.diags = diags
		return r, nil
	}
	if zips == writeZips {
		r.outDir = packageDir(c, svc, load.ConfigPath)
	}
	if opts.Base == nil {
		into := ""
		if zips == writeZips {
			into = r.outDir
		}
		customResources := compiler.UsesCustomResources(svc)
		res, d, err := packaging.ForService(svc, load.ConfigPath, into, customResources, terminal(c.App.ErrWriter))
		diags.Append(d)
		if customResources && into != "" && !sameDir(into, filepath.Join(filepath.Dir(load.ConfigPath), ".serverless")) {
			diags.Warnf(diag.Pos{File: load.ConfigPath}, "sls deploy does not upload this package's custom-resources.zip",
				"The framework's deploy uploads custom-resources.zip from the service's .serverless folder only, whatever the package folder (%s), so the custom resource functions would have no code. Package into .serverless, or copy custom-resources.zip there before deploying.", into)
		}
		if err != nil && !d.HasErrors() {
			// Named after the template, the package's main file.
			return r, writeError{fmt.Errorf("cannot write %s: %w", filepath.Join(into, templateFile), err)}
		}
		if diags.HasErrors() {
			diags.Sort()
			r.diags = diags
			return r, nil
		}
		set := res.Set()
		opts.Artifacts = &set
		r.packaged = res
	}
	r.opts = opts
	var d diag.List
	if format == "" {
		r.doc, d = compiler.Compile(svc, opts)
	} else {
		r.out, d = compiler.BuildServiceText(svc, opts, format)
	}
	diags.Append(d)
	diags.Sort()
	r.diags = diags
	if diags.HasErrors() {
		if r.packaged != nil {
			r.packaged.Discard()
			r.packaged = nil
		}
		r.out, r.doc = nil, nil
	}
	return r, nil
}

// sameDir says whether two paths name the same folder.
func sameDir(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// packageDir is the package folder: --output (relative to the working
// directory, as any path on the command line), else the service's
// package.path, else .serverless, both relative to the service folder
// (the configuration file's), where the framework writes and `sls
// deploy` reads them.
func packageDir(c *cli.Context, svc *schema.Service, configPath string) string {
	if c.IsSet("output") {
		return c.String("output")
	}
	outDir := ".serverless"
	if pk := svc.Packaging; pk != nil && pk.Service.Path != "" {
		outDir = pk.Service.Path
	}
	if filepath.IsAbs(outDir) {
		return outDir
	}
	return filepath.Join(filepath.Dir(configPath), outDir)
}

// loadOptions reads the flags that say which service to load and how to
// resolve its variables: the configuration file (--config or the one
// argument), --stage, --region, --param and --var.
func loadOptions(c *cli.Context, env map[string]string) (schema.LoadOptions, error) {
	if c.NArg() > 1 {
		return schema.LoadOptions{}, usageError{"at most one configuration file may be given"}
	}
	if c.NArg() == 1 && c.String("config") != "" {
		return schema.LoadOptions{}, usageError{fmt.Sprintf("the configuration file is given twice: --config %s and %s", c.String("config"), c.Args().First())}
	}
	configPath := c.String("config")
	if configPath == "" {
		configPath = c.Args().First()
	}
	if configPath == "" {
		configPath = defaultConfigPath()
	}
	return serviceOptions(c, env, configPath)
}

// serviceOptions is loadOptions for the service in configPath, for
// commands whose arguments are not the configuration file.
func serviceOptions(c *cli.Context, env map[string]string, configPath string) (schema.LoadOptions, error) {
	params, err := keyValues(c.StringSlice("param"), "--param")
	if err != nil {
		return schema.LoadOptions{}, err
	}
	vars, err := keyValues(c.StringSlice("var"), "--var")
	if err != nil {
		return schema.LoadOptions{}, err
	}
	return schema.LoadOptions{
		ConfigPath: configPath,
		Stage:      c.String("stage"),
		Region:     c.String("region"),
		Params:     params,
		Env:        env,
		External:   vars,
	}, nil
}

// defaultConfigPath is serverless.yml, or serverless.yaml when only that
// exists.
func defaultConfigPath() string {
	if _, err := os.Stat("serverless.yml"); err != nil {
		if _, err2 := os.Stat("serverless.yaml"); err2 == nil {
			return "serverless.yaml"
		}
	}
	return "serverless.yml"
}

// compileOptions reads --compat and --base. The diagnostics of a bad base
// template come back unprinted, with its text.
func compileOptions(c *cli.Context) (compiler.Options, diag.List, map[string][]byte, error) {
	opts := compiler.Options{}
	switch c.String("compat") {
	case "":
	case "plugin":
		opts.Mode = compiler.Plugin
	default:
		return opts, nil, nil, usageError{fmt.Sprintf("--compat takes only \"plugin\", not %q", c.String("compat"))}
	}
	if base := c.String("base"); base != "" {
		data, err := schema.ReadLimited(base)
		if err != nil {
			return opts, nil, nil, usageError{fmt.Sprintf("--base: %v", err)}
		}
		tpl, diags := compiler.ParseBase(base, data)
		if diags.HasErrors() {
			return opts, diags, map[string][]byte{base: data}, nil
		}
		opts.Base = tpl
	}
	return opts, nil, nil, nil
}

func summary(diags diag.List) string {
	errs, warns := 0, 0
	for _, d := range diags {
		if d.Severity == diag.Error {
			errs++
		} else {
			warns++
		}
	}
	s := fmt.Sprintf("%d error%s", errs, plural(errs))
	if warns > 0 {
		s += fmt.Sprintf(", %d warning%s", warns, plural(warns))
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func keyValues(list []string, flag string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageError{fmt.Sprintf("%s takes KEY=VALUE, not %q", flag, kv)}
		}
		out[k] = v
	}
	return out, nil
}
