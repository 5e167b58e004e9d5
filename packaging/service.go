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
// customResources adds custom-resources.zip (see Input).
// Zips written into outDir stay under temporary names until
// Result.Commit (or Result.Discard). Problems with the files are
// diagnostics (the settings were checked when the service loaded); a
// failure to write outDir is the error.
func ForService(svc *schema.Service, configPath, outDir string, customResources bool, progress io.Writer) (*Result, diag.List, error) {
	serviceDir := filepath.Dir(configPath)
	in := Input{
		Service: svc.Name, Stage: svc.Stage, Packaging: svc.Packaging,
		FS: os.DirFS(serviceDir), Dir: serviceDir, ConfigFile: filepath.Base(configPath),
		CustomResources: customResources,
	}
	if outDir != "" {
		absOut, err1 := filepath.Abs(outDir)
		absService, err2 := filepath.Abs(serviceDir)
		if rel, err := filepath.Rel(absService, absOut); err1 == nil && err2 == nil && err == nil {
			in.OutDir = rel
		}
	}
	plan, diags := NewPlan(in)
	if diags.HasErrors() {
		return nil, diags, nil
	}
	if outDir != "" {
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return nil, diags, err
		}
	}
	res, err := plan.Build(context.Background(), Options{OutDir: outDir, Progress: progress, Pending: outDir != ""})
	if err != nil {
		return nil, diags, fmt.Errorf("packaging: %w", err)
	}
	return res, diags, nil
}
