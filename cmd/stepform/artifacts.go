package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/compiler/lambda"
	"github.com/stepform/stepform/packaging"
)

// writePackage finishes the package folder of a compiled service: it
// moves the code zips the compile wrote into place and writes what
// `sls deploy --package` reads besides the update-stack template (the
// create-stack template and serverless-state.json). With --base there
// are no stepform zips: the base names the framework's own (in its S3
// folder and by its hashes), so only a serverless-state.json that sls
// package left there gets the new template (deploy reads the template
// from it); the framework's zips stay as they are.
func writePackage(r compiled, w io.Writer) error {
	if r.packaged == nil {
		updated, err := packaging.UpdateStateTemplate(r.outDir, r.out)
		if err != nil {
			return writeError{fmt.Errorf("cannot write %s: %w", filepath.Join(r.outDir, packaging.StateFile), err)}
		}
		if !updated {
			fmt.Fprintf(w, "stepform: note: with --base only the template is written; %s has no %s, so `sls deploy --package` cannot deploy it. Run sls package into it first, then stepform package --base.\n", r.outDir, packaging.StateFile)
		}
		return nil
	}
	if err := r.packaged.Commit(); err != nil {
		r.packaged.Discard()
		return writeError{fmt.Errorf("cannot write %s: %w", r.outDir, err)}
	}
	var core []byte
	if doc := lambda.CoreTemplate(r.svc); doc != nil {
		var err error
		if core, err = compiler.Render(doc, compiler.JSON); err != nil {
			return err
		}
	}
	err := packaging.WriteDir(r.outDir, packaging.DirInput{
		Result: r.packaged, Service: r.svc, ConfigFile: filepath.Base(r.configPath),
		Template: r.out, TemplateFile: templateFile, CoreTemplate: core,
	})
	if err != nil {
		return writeError{fmt.Errorf("cannot write %s: %w", r.outDir, err)}
	}
	return nil
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
