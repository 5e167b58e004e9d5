package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/stepform/stepform/packaging"
	"github.com/stepform/stepform/schema"
)

// packageCode builds the service's code zips into the package folder and
// writes what `sls deploy --package` reads there besides the update-stack
// template; it returns the folder: --output, else the service's
// package.path (which `sls deploy` reads by default), else .serverless.
// It prints diagnostics and returns errConfig when there are errors.
func packageCode(c *cli.Context, env map[string]string, template []byte) (*packaging.Result, string, error) {
	configPath := c.String("config")
	if configPath == "" {
		configPath = c.Args().First()
	}
	if configPath == "" {
		configPath = "serverless.yml"
		if _, err := os.Stat(configPath); err != nil {
			if _, err2 := os.Stat("serverless.yaml"); err2 == nil {
				configPath = "serverless.yaml"
			}
		}
	}
	params, err := keyValues(c.StringSlice("param"), "--param")
	if err != nil {
		return nil, "", err
	}
	vars, err := keyValues(c.StringSlice("var"), "--var")
	if err != nil {
		return nil, "", err
	}
	// The configuration was already loaded (and its diagnostics printed)
	// by build; loading it again is deterministic and cheap.
	svc, sources, diags := schema.Load(schema.LoadOptions{
		ConfigPath: configPath, Stage: c.String("stage"), Region: c.String("region"),
		Params: params, Env: env, External: vars,
	})
	if svc == nil || diags.HasErrors() {
		printDiagnostics(c.App.ErrWriter, diags, sources)
		return nil, "", errConfig
	}
	outDir := c.String("output")
	if pk, _ := schema.DecodePackaging(svc.Root); !c.IsSet("output") && pk.Service.Path != "" {
		outDir = pk.Service.Path
		if !filepath.IsAbs(outDir) {
			outDir = filepath.Join(filepath.Dir(configPath), outDir)
		}
	}
	res, d, err := packaging.ForService(svc, configPath, outDir, terminal(c.App.ErrWriter))
	d.Sort()
	printDiagnostics(c.App.ErrWriter, d, sources)
	if d.HasErrors() {
		fmt.Fprintf(c.App.ErrWriter, "stepform: %s\n", summary(d))
		return nil, "", errConfig
	}
	if err != nil {
		// Named after the template, the package's main file, as when
		// only the template was written.
		return nil, "", writeError{fmt.Errorf("cannot write %s: %w", filepath.Join(outDir, templateFile), err)}
	}
	if outDir != "" {
		err := packaging.WriteDir(outDir, packaging.DirInput{
			Result: res, Service: svc, ConfigFile: filepath.Base(configPath),
			Template: template, TemplateFile: templateFile,
		})
		if err != nil {
			return nil, "", writeError{fmt.Errorf("cannot write %s: %w", outDir, err)}
		}
	}
	return res, outDir, nil
}

// terminal returns w when it is a terminal (for progress lines), else nil.
func terminal(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	info, err := f.Stat()
	if err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}
