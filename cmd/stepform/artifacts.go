package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/compiler/lambda"
	"github.com/stepform/stepform/packaging"
)

// writePackage finishes the package folder of a compiled service: the
// update-stack template, the code zips the compile wrote, and what
// `sls deploy --package` reads besides (the create-stack template and
// serverless-state.json). With --base there are no stepform zips: the base
// names the framework's own (in its S3 folder and by its hashes), so only
// a serverless-state.json that sls package left there gets the new
// template (deploy reads the template from it); the framework's zips stay
// as they are.
//
// Every file is first written and synced under a temporary name, the
// template and the rest at the same time (most of their cost is waiting
// for the disk); only when all are on disk are they renamed into place,
// and the folder synced once after the last rename. A failure before the
// renames leaves the folder as it was.
func writePackage(r compiled, w io.Writer) error {
	path := filepath.Join(r.outDir, templateFile)
	if err := os.MkdirAll(r.outDir, 0o755); err != nil {
		return writeError{fmt.Errorf("cannot write %s: %w", path, err)}
	}
	removeStaleTemps(r.outDir, time.Now())
	var template pendingTemplate
	var templateErr error
	templateDone := make(chan struct{})
	go func() {
		defer close(templateDone)
		template, templateErr = writeTemplatePending(path, r.out)
	}()
	rest, restErr := prepareRest(r)
	<-templateDone
	if restErr != nil || templateErr != nil {
		template.discard()
		rest.Discard()
		if r.packaged != nil {
			r.packaged.Discard()
		}
		if restErr != nil {
			return restErr
		}
		return writeError{fmt.Errorf("cannot write %s: %w", path, templateErr)}
	}
	if r.packaged != nil {
		if err := r.packaged.Commit(); err != nil {
			r.packaged.Discard()
			rest.Discard()
			template.discard()
			return writeError{fmt.Errorf("cannot write %s: %w", r.outDir, err)}
		}
	}
	if rest != nil {
		if err := rest.Commit(); err != nil {
			template.discard()
			return writeError{fmt.Errorf("cannot write %s: %w", r.outDir, err)}
		}
	} else if r.packaged == nil {
		fmt.Fprintf(w, "stepform: note: with --base only the template is written; %s has no %s, so `sls deploy --package` cannot deploy it. Run sls package into it first, then stepform package --base.\n", r.outDir, packaging.StateFile)
	}
	if err := template.commit(); err != nil {
		return writeError{fmt.Errorf("cannot write %s: %w", path, err)}
	}
	if err := syncDir(r.outDir); err != nil {
		return writeError{fmt.Errorf("cannot write %s: %w", path, err)}
	}
	return nil
}

// prepareRest writes the package folder's files besides the template and
// the zips to temporary files: with --base, serverless-state.json with the
// new template when sls package left one (else nil); without, the
// create-stack template and serverless-state.json.
func prepareRest(r compiled) (*packaging.PendingDir, error) {
	if r.packaged == nil {
		rest, err := packaging.PrepareStateTemplate(r.outDir, r.out)
		if err != nil {
			return nil, writeError{fmt.Errorf("cannot write %s: %w", filepath.Join(r.outDir, packaging.StateFile), err)}
		}
		return rest, nil
	}
	var core []byte
	if doc := lambda.CoreTemplate(r.svc); doc != nil {
		var err error
		if core, err = compiler.Render(doc, compiler.JSON); err != nil {
			return nil, err
		}
	}
	rest, err := packaging.PrepareDir(r.outDir, packaging.DirInput{
		Result: r.packaged, Service: r.svc, ConfigFile: filepath.Base(r.configPath),
		Template: r.out, TemplateFile: templateFile, CoreTemplate: core,
	})
	if err != nil {
		return nil, writeError{fmt.Errorf("cannot write %s: %w", r.outDir, err)}
	}
	return rest, nil
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
