package packaging

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// ForService packages a loaded service whose configuration file is at
// configPath (its directory is the service directory): it decides the
// artifacts, then builds them into outDir, or with outDir "" only hashes
// them, which is what a compile needs for CodeSha256 and the S3 keys.
// Problems with the configuration or the files are diagnostics; a failure
// to write outDir is the error.
func ForService(svc *schema.Service, configPath, outDir string, progress io.Writer) (*Result, diag.List, error) {
	pk, diags := schema.DecodePackaging(svc.Root)
	serviceDir := filepath.Dir(configPath)
	in := Input{
		Service: svc.Name, Stage: svc.Stage, Packaging: pk,
		FS: os.DirFS(serviceDir), Dir: serviceDir, ConfigFile: filepath.Base(configPath),
	}
	if outDir != "" {
		absOut, err1 := filepath.Abs(outDir)
		absService, err2 := filepath.Abs(serviceDir)
		if rel, err := filepath.Rel(absService, absOut); err1 == nil && err2 == nil && err == nil {
			in.OutDir = rel
		}
	}
	plan, d := NewPlan(in)
	diags.Append(d)
	if diags.HasErrors() {
		return nil, diags, nil
	}
	if outDir != "" {
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return nil, diags, err
		}
	}
	res, err := plan.Build(context.Background(), Options{OutDir: outDir, Progress: progress})
	if err != nil {
		return nil, diags, fmt.Errorf("packaging: %w", err)
	}
	return res, diags, nil
}
