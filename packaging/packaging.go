// Package packaging builds a service's Lambda code zips as the Serverless
// Framework's `package` command does (v3.40.0, lib/plugins/package): which
// artifacts exist, which files go into each, without devDependencies, in
// the framework's entry order and zip layout. Unlike the framework's, the
// zips are reproducible byte for byte, and the S3 folder they are uploaded
// to is named by their content rather than the clock.
//
// Its input is the typed packaging settings and the service directory as
// an fs.FS (custom-resources.zip comes from the handlers embedded in
// packaging/customresources); it reads nothing else, runs no other
// program and needs no network. Plan.Build writes the zips, and
// PrepareDir (write.go) the rest of the deploy folder,
// serverless-state.json and the create-stack template, all under
// temporary names that replace the old files only once every new one is
// written.
package packaging

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stepform/stepform/compiler/artifact"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/packaging/customresources"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Input says what to package.
type Input struct {
	// Service is the service name and Stage the resolved stage; they name
	// the shared zip and the S3 folder.
	Service, Stage string
	Packaging      *schema.Packaging
	// FS is the service directory.
	FS fs.FS
	// Dir is the service directory's path on disk, used only to reach a
	// `package.artifact` outside FS (e.g. ../build/app.zip); "" allows
	// artifacts inside FS only.
	Dir string
	// ConfigFile is the configuration file's path relative to the service
	// directory (serverless.yml), which is never packaged.
	ConfigFile string
	// OutDir is the package folder relative to the service directory ("" or
	// outside it: none). Its files are never packaged, unlike with the
	// framework, which zips an earlier run's package.path into the next.
	OutDir string
	// CustomResources adds custom-resources.zip, the code of the
	// framework's custom resource functions, for a service whose template
	// uses one of them.
	CustomResources bool
}

// Artifact is one zip a function's code comes from.
type Artifact struct {
	// Name is the zip's base name, which ends the S3 key.
	Name string
	// Source is where a prebuilt artifact is (package.artifact as
	// configured, relative to the service directory); "" for built zips.
	Source string
	// Functions and Layers are the keys of the functions and layers whose
	// code it is.
	Functions, Layers []string
	// CodeSha256 is the base64 (standard, padded) SHA-256 of the zip
	// file, Lambda's CodeSha256; Size its length. Set by Build.
	CodeSha256 string
	Size       int64
	// Path is the zip on disk: where Build wrote it, or a prebuilt
	// artifact's path (when the service directory's path is known); ""
	// for zips only hashed.
	Path string

	patterns  patternSet
	fileCount int
	pendingTo string // where Commit moves the zip at Path
	root      string // a layer's folder: entry names are relative to it
	pos       diag.Pos
	source    string // absolute or FS-relative path of a prebuilt artifact
	inFS      bool
	// fsys is the tree the zip is built from when it is not the
	// service's (custom-resources.zip's embedded handlers).
	fsys fs.FS
}

// Built reports whether stepform makes this zip (rather than using a
// prebuilt package.artifact).
func (a *Artifact) Built() bool { return a.Source == "" }

// FunctionCode is one function's code location.
type FunctionCode struct {
	Key string
	// Artifact is the zip's base name; the S3 key is
	// <ArtifactDirectoryName>/<Artifact>.
	Artifact   string
	CodeSha256 string
	// Individually is set when the function has its own zip.
	Individually bool
	// Source is the function's own prebuilt package.artifact, as configured.
	Source string
}

// LayerCode is one top-level layer's code location.
type LayerCode struct {
	Key string
	// Artifact is the zip's base name; the S3 key is
	// <ArtifactDirectoryName>/<Artifact>.
	Artifact   string
	CodeSha256 string
	// Source is the layer's prebuilt package.artifact, as configured.
	Source string
}

// Plan is the packaging decided from the configuration and the file tree:
// every artifact with its file list, before any zip is written.
type Plan struct {
	// Artifacts in order of first use by a function (the shared zip where
	// its first function is).
	Artifacts []*Artifact
	// Functions has an entry for every function with zip code, in
	// function order (image functions are left out).
	Functions []FunctionCode
	// Layers has an entry for every top-level layer, in source order.
	Layers []LayerCode
	// ServiceArtifact is the shared zip's base name, "" when none is used.
	ServiceArtifact string
	// Individually is the service's package.individually.
	Individually bool
	// DeploymentPrefix, Service and Stage name the S3 folder.
	DeploymentPrefix, Service, Stage string

	fsys fs.FS
}

// Result is a finished packaging: the plan with every artifact hashed.
type Result struct {
	*Plan
	// ArtifactDirectoryName is the S3 folder of this deployment's
	// artifacts: <deploymentPrefix>/<service>/<stage>/<content id>.
	ArtifactDirectoryName string
}

// Artifact returns the artifact with the given base name, or nil.
func (p *Plan) Artifact(name string) *Artifact {
	for _, a := range p.Artifacts {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Function returns the code location of the function with key, or nil.
func (p *Plan) Function(key string) *FunctionCode {
	for i := range p.Functions {
		if p.Functions[i].Key == key {
			return &p.Functions[i]
		}
	}
	return nil
}

// s3URL matches the artifact forms the framework downloads from S3.
var s3URL = lazyre.New(`^(s3://|https?://[^/]*s3[.-])`)

// NewPlan decides the artifacts and their files. Every problem is a
// diagnostic positioned at the setting that causes it.
func NewPlan(in Input) (*Plan, diag.List) {
	var diags diag.List
	pk := in.Packaging
	svcPkg := pk.Service
	p := &Plan{
		Individually:     svcPkg.Individually,
		DeploymentPrefix: pk.DeploymentPrefix,
		Service:          in.Service,
		Stage:            in.Stage,
		fsys:             in.FS,
	}
	if p.DeploymentPrefix == "" {
		p.DeploymentPrefix = "serverless"
	}
	var devExcludes []string
	if svcPkg.ExcludeDevDependencies && len(pk.Functions) > 0 {
		devExcludes = devDependencyExcludes(in.FS)
	}
	layerExcludes := make([]string, 0, len(pk.LayerPaths))
	for _, l := range pk.LayerPaths {
		layerExcludes = append(layerExcludes, l+"/**")
	}
	// patterns gives the framework's getExcludes/getIncludes for a
	// function's or layer's own package block (nil: the service zip).
	patterns := func(fn *schema.PackageConfig, excludeLayers bool) patternSet {
		var fnExclude, fnInclude []string
		if fn != nil {
			fnExclude = fn.Exclude
			fnInclude = append(append([]string{}, fn.Include...), fn.Patterns...)
		}
		layers := layerExcludes
		if !excludeLayers {
			layers = nil
		}
		var configFile, localPath, dotenv []string
		if in.ConfigFile != "" {
			configFile = []string{in.ConfigFile}
		}
		if out := path.Clean(filepath.ToSlash(in.OutDir)); in.OutDir != "" && fs.ValidPath(out) && out != "." && out != ".serverless" {
			configFile = append(configFile, escapeGlob(out)+"/**")
		}
		if pk.PluginsLocalPath != "" {
			localPath = []string{pk.PluginsLocalPath}
		}
		if pk.UseDotenv {
			dotenv = []string{".env*"}
		}
		ps := patternSet{
			exclude: union(defaultExcludes, configFile, localPath, svcPkg.Exclude, layers, dotenv, fnExclude),
			include: union(append(append([]string{}, svcPkg.Include...), svcPkg.Patterns...), fnInclude),
		}
		if devExcludes != nil {
			ps.exclude = union(ps.exclude, devExcludes)
			ps.devExcludes = devExcludes
		}
		return ps
	}
	prebuilt := map[string]*Artifact{}
	usePrebuilt := func(cfgPath string, pos diag.Pos, fnKey string) *Artifact {
		if a := prebuilt[cfgPath]; a != nil {
			return a
		}
		owner := ""
		if fnKey != "" {
			owner = fmt.Sprintf(" (for %q)", fnKey)
		}
		if s3URL.MatchString(cfgPath) {
			diags.Errorf(pos, "S3 artifacts are not supported", "The framework downloads %q%s while packaging; stepform reads only local files. Download the zip and give its path, or package with `sls package` and pass its template as --base.", cfgPath, owner)
			return nil
		}
		a := &Artifact{Name: path.Base(filepath.ToSlash(cfgPath)), Source: cfgPath, pos: pos}
		rel := path.Clean(filepath.ToSlash(cfgPath))
		if !filepath.IsAbs(cfgPath) && fs.ValidPath(rel) {
			a.source, a.inFS = rel, true
			if in.Dir != "" {
				a.Path = filepath.Join(in.Dir, filepath.FromSlash(rel))
			}
		} else if in.Dir != "" {
			a.source = cfgPath
			if !filepath.IsAbs(cfgPath) {
				a.source = filepath.Join(in.Dir, cfgPath)
			}
			a.Path = a.source
		} else {
			diags.Errorf(pos, "cannot access package artifact", "%q%s is outside the service directory.", cfgPath, owner)
			return nil
		}
		var err error
		if a.inFS {
			_, err = fs.Stat(in.FS, a.source)
		} else {
			_, err = os.Stat(a.source)
		}
		if err != nil {
			diags.Errorf(pos, "cannot access package artifact", "Cannot access package artifact at %q%s: %v. Build the artifact first, or remove package.artifact to let stepform zip the service.", cfgPath, owner, unwrapPathError(err))
			return nil
		}
		prebuilt[cfgPath] = a
		p.Artifacts = append(p.Artifacts, a)
		return a
	}
	addFunction := func(a *Artifact, fc FunctionCode) {
		a.Functions = append(a.Functions, fc.Key)
		fc.Artifact = a.Name
		p.Functions = append(p.Functions, fc)
	}
	var shared []FunctionCode
	var sharedAt = -1 // where the shared zip goes in Artifacts
	warnedPatterns := false
	for i := range pk.Functions {
		f := &pk.Functions[i]
		fp := &f.Package
		if f.Image {
			continue
		}
		if fp.Disable && fp.Artifact == "" {
			// The framework skips packaging, then fails compiling the
			// function (it has no artifact); a plugin usually supplies one.
			diags.Errorf(fp.Pos, "function "+f.Key+" has no code", "package.disable skips packaging, and nothing else provides a zip: the framework fails on it too. Remove disable, or give package.artifact.")
			continue
		}
		if fp.Artifact != "" {
			if a := usePrebuilt(fp.Artifact, fp.ArtifactPos, f.Key); a != nil {
				addFunction(a, FunctionCode{Key: f.Key, Source: fp.Artifact, Individually: fp.Individually || svcPkg.Individually})
			}
			continue
		}
		if fp.Individually || svcPkg.Individually {
			if svcPkg.Artifact != "" && !fp.Individually {
				if a := usePrebuilt(svcPkg.Artifact, svcPkg.ArtifactPos, ""); a != nil {
					addFunction(a, FunctionCode{Key: f.Key, Individually: true, Source: svcPkg.Artifact})
				}
				continue
			}
			a := &Artifact{Name: f.Key + ".zip", pos: fp.Pos}
			ps := patterns(fp, true)
			files, err := selectFiles(in.FS, "", ps)
			if err != nil {
				diags.Errorf(fp.Pos, "cannot package function "+f.Key, "%s.", describeSelectError(err))
				continue
			}
			a.setSelection(ps, files)
			p.Artifacts = append(p.Artifacts, a)
			addFunction(a, FunctionCode{Key: f.Key, Individually: true})
			continue
		}
		if len(fp.Patterns) > 0 && !warnedPatterns {
			warnedPatterns = true
			diags.Warnf(fp.Pos, "function package patterns are ignored",
				"Package patterns at function level only apply with package.individually set to true for the service or the function; the service-wide patterns are used.")
		}
		if sharedAt < 0 {
			sharedAt = len(p.Artifacts)
			p.Artifacts = append(p.Artifacts, nil)
		}
		shared = append(shared, FunctionCode{Key: f.Key})
	}
	if sharedAt >= 0 {
		var a *Artifact
		if svcPkg.Artifact != "" {
			a = usePrebuilt(svcPkg.Artifact, svcPkg.ArtifactPos, "")
		} else {
			a = &Artifact{Name: in.Service + ".zip", pos: svcPkg.Pos}
			ps := patterns(nil, true)
			files, err := selectFiles(in.FS, "", ps)
			if err != nil {
				diags.Errorf(svcPkg.Pos, "cannot package the service", "%s.", describeSelectError(err))
				a = nil
			} else {
				a.setSelection(ps, files)
			}
		}
		p.Artifacts = append(p.Artifacts[:sharedAt], p.Artifacts[sharedAt+1:]...)
		if a != nil {
			if a.Built() {
				p.ServiceArtifact = a.Name
				p.Artifacts = append(p.Artifacts[:sharedAt], append([]*Artifact{a}, p.Artifacts[sharedAt:]...)...)
			}
			for _, fc := range shared {
				a.Functions = append(a.Functions, fc.Key)
				fc.Artifact = a.Name
				p.Functions = append(p.Functions, fc)
			}
		}
		sort.SliceStable(p.Functions, func(i, j int) bool {
			return functionIndex(pk, p.Functions[i].Key) < functionIndex(pk, p.Functions[j].Key)
		})
	}
	for _, fc := range p.Functions {
		if fc.Individually && fc.Source == "" && fc.Artifact == p.ServiceArtifact {
			diags.Errorf(functionPos(pk, fc.Key), "two zips named "+fc.Artifact,
				"Function %q is packaged individually into %s, the name of the service's shared zip; the framework would overwrite one with the other. Rename the function or the service.", fc.Key, fc.Artifact)
		}
	}
	for i := range pk.Layers {
		l := &pk.Layers[i]
		lc := LayerCode{Key: l.Key}
		if l.Package.Artifact != "" {
			a := usePrebuilt(l.Package.Artifact, l.Package.ArtifactPos, "")
			if a == nil {
				continue
			}
			a.Layers = append(a.Layers, l.Key)
			lc.Artifact, lc.Source = a.Name, l.Package.Artifact
			p.Layers = append(p.Layers, lc)
			continue
		}
		root := path.Clean(filepath.ToSlash(l.Path))
		if l.Path == "" || !fs.ValidPath(root) || root == "." {
			diags.Errorf(l.Pos, "layer "+l.Key+" has no usable path", "A layer needs `path:`, a folder inside the service directory, or `package.artifact`.")
			continue
		}
		a := &Artifact{Name: l.Key + ".zip", pos: l.Package.Pos, root: root, Layers: []string{l.Key}}
		ps := patterns(&l.Package, false)
		files, err := selectFiles(in.FS, root, ps)
		if err != nil {
			diags.Errorf(l.Pos, "cannot package layer "+l.Key, "%s.", describeSelectError(err))
			continue
		}
		a.setSelection(ps, files)
		p.Artifacts = append(p.Artifacts, a)
		lc.Artifact = a.Name
		p.Layers = append(p.Layers, lc)
	}
	if in.CustomResources {
		p.addCustomResources(&diags)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return p, diags
}

// addCustomResources adds custom-resources.zip, built from the embedded
// handlers, after the service's own artifacts.
func (p *Plan) addCustomResources(diags *diag.List) {
	if a := p.Artifact(customresources.ArtifactName); a != nil {
		diags.Errorf(a.pos, "two zips named "+customresources.ArtifactName,
			"The service uses a custom resource of the framework, whose code is %s, the name of this zip too; the framework would overwrite one with the other. Rename the function, layer or artifact.", customresources.ArtifactName)
		return
	}
	a := &Artifact{Name: customresources.ArtifactName, fsys: customresources.FS}
	files, err := selectFiles(a.fsys, "", patternSet{})
	if err != nil {
		diags.Errorf(diag.Pos{}, "cannot package custom-resources.zip", "%s.", describeSelectError(err))
		return
	}
	a.setSelection(patternSet{}, files)
	p.Artifacts = append(p.Artifacts, a)
}

// source is the tree a built artifact's files come from.
func (p *Plan) source(a *Artifact) fs.FS {
	if a.fsys != nil {
		return a.fsys
	}
	return p.fsys
}

// escapeGlob quotes a path's glob characters so it matches only itself.
func escapeGlob(p string) string {
	var b strings.Builder
	for _, r := range p {
		if strings.ContainsRune(globSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func functionPos(pk *schema.Packaging, key string) diag.Pos {
	for _, f := range pk.Functions {
		if f.Key == key {
			return f.Pos
		}
	}
	return diag.Pos{}
}

func functionIndex(pk *schema.Packaging, key string) int {
	for i, f := range pk.Functions {
		if f.Key == key {
			return i
		}
	}
	return len(pk.Functions)
}

// setSelection keeps what selects a zip's files, not the list itself: with
// many functions packaged individually over a big node_modules, the lists
// together would grow with functions × files. Build selects again.
func (a *Artifact) setSelection(ps patternSet, files []fileInfo) {
	a.patterns = ps
	a.fileCount = len(files)
}

// Files returns a built zip's entry names, in order, as the tree is now.
func (a *Artifact) Files(fsys fs.FS) ([]string, error) {
	files, err := selectFiles(fsys, a.root, a.patterns)
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.path
	}
	return names, err
}

func describeSelectError(err error) string {
	if errors.Is(err, errNoFiles) {
		return "No file matches the include / exclude patterns (the framework's NO_MATCHED_FILES). Check package.patterns: a leading \"!\" excludes, and the last matching pattern wins"
	}
	return unwrapPathError(err).Error()
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Options control Build.
type Options struct {
	// OutDir receives the built zips; "" only hashes them (nothing is
	// written anywhere).
	OutDir string
	// Progress, when set, gets a progress line if packaging takes longer
	// than a second (meant for a terminal's stderr).
	Progress io.Writer
	// Jobs is how many zips are built at once; 0 means GOMAXPROCS.
	Jobs int
	// Pending leaves the written zips under temporary names in OutDir
	// until Result.Commit renames them into place (Result.Discard removes
	// them), so that a package folder is only changed once everything
	// else that goes into it (the template) is known to succeed.
	Pending bool
}

// Build writes (or only hashes) every artifact, concurrently, streaming
// each file: memory does not grow with the size of the service.
func (p *Plan) Build(ctx context.Context, opts Options) (*Result, error) {
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	var total, done atomic.Int64
	for _, a := range p.Artifacts {
		total.Add(int64(a.fileCount))
	}
	stopProgress := startProgress(opts.Progress, &done, total.Load())
	defer stopProgress()

	errs := make([]error, len(p.Artifacts))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, a := range p.Artifacts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			if a.Built() {
				errs[i] = p.buildZip(a, opts.OutDir, opts.Pending, &done)
			} else {
				errs[i] = p.hashPrebuilt(a)
			}
			if errs[i] != nil {
				errs[i] = fmt.Errorf("%s: %w", a.Name, errs[i])
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		(&Result{Plan: p}).Discard()
		return nil, err
	}
	hashes := map[string]string{}
	for _, a := range p.Artifacts {
		hashes[a.Name] = a.CodeSha256
	}
	for i := range p.Functions {
		p.Functions[i].CodeSha256 = hashes[p.Functions[i].Artifact]
	}
	for i := range p.Layers {
		p.Layers[i].CodeSha256 = hashes[p.Layers[i].Artifact]
	}
	return &Result{Plan: p, ArtifactDirectoryName: p.artifactDirectoryName()}, nil
}

// artifactDirectoryName names the S3 folder by the artifacts' content:
// the first 32 hex digits of a SHA-256 over every artifact's name and
// CodeSha256, sorted by name. The same code always lands in the same
// folder. It has no dashes, so `sls deploy`'s change detection and its
// cleanup of old deployments (both of which only consider folders named
// <ms>-<ISO time>) leave these folders alone.
func (p *Plan) artifactDirectoryName() string {
	names := make([]string, 0, len(p.Artifacts))
	byName := map[string]string{}
	for _, a := range p.Artifacts {
		names = append(names, a.Name)
		byName[a.Name] = a.CodeSha256
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%s\n", n, byName[n])
	}
	id := hex.EncodeToString(h.Sum(nil))[:32]
	return strings.Join([]string{p.DeploymentPrefix, p.Service, p.Stage, id}, "/")
}

// buildZip streams a's zip into sha256 and, with outDir, into a temporary
// file there, renamed into place once complete (or, when pending, by
// Result.Commit). The zip is made once: hashed while it is written.
func (p *Plan) buildZip(a *Artifact, outDir string, pending bool, done *atomic.Int64) (err error) {
	h := sha256.New()
	var w io.Writer = h
	var tmp *os.File
	if outDir != "" {
		// The CLI's naming for temporary files (.stepform-<pid>-<random>.tmp),
		// so a later run cleans up after a killed one.
		tmp, err = os.CreateTemp(outDir, fmt.Sprintf(".stepform-%d-*.tmp", os.Getpid()))
		if err != nil {
			return err
		}
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
		w = io.MultiWriter(tmp, h)
	}
	counter := &byteCounter{w: w}
	if err := p.writeZip(a, counter, done); err != nil {
		return err
	}
	a.CodeSha256 = base64.StdEncoding.EncodeToString(h.Sum(nil))
	a.Size = counter.n
	if tmp != nil {
		if err := tmp.Sync(); err != nil {
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			return err
		}
		final := filepath.Join(outDir, a.Name)
		if pending {
			a.Path, a.pendingTo = tmp.Name(), final
			tmp = nil
			return nil
		}
		if err := os.Rename(tmp.Name(), final); err != nil {
			return err
		}
		tmp = nil
		a.Path = final
	}
	return nil
}

// Commit renames the zips a pending Build wrote into place.
func (r *Result) Commit() error {
	for _, a := range r.Artifacts {
		if a.pendingTo == "" {
			continue
		}
		if err := os.Rename(a.Path, a.pendingTo); err != nil {
			return err
		}
		a.Path, a.pendingTo = a.pendingTo, ""
	}
	return nil
}

// Discard removes the zips a pending Build wrote; the package folder is
// left as it was.
func (r *Result) Discard() {
	for _, a := range r.Artifacts {
		if a.pendingTo != "" {
			os.Remove(a.Path)
			a.Path, a.pendingTo = "", ""
		}
	}
}

// Set is the artifacts as the compiler needs them: S3 folder, zip name
// and CodeSha256 per function and layer, and a layer's bytes (the
// framework names a retained layer after them), read from the zip on disk
// or, when only hashed, zipped again.
func (r *Result) Set() artifact.Set {
	set := artifact.Set{Functions: map[string]artifact.Artifact{}, Layers: map[string]artifact.Artifact{}}
	for _, fc := range r.Functions {
		set.Functions[fc.Key] = artifact.Artifact{Dir: r.ArtifactDirectoryName, Name: fc.Artifact, CodeSha256: fc.CodeSha256}
	}
	for _, lc := range r.Layers {
		name := lc.Artifact
		set.Layers[lc.Key] = artifact.Artifact{Dir: r.ArtifactDirectoryName, Name: name, CodeSha256: lc.CodeSha256,
			Content: func(w io.Writer) error { return r.WriteArtifact(name, w) }}
	}
	if a := r.Artifact(customresources.ArtifactName); a != nil && a.fsys != nil {
		set.CustomResources = artifact.Artifact{Dir: r.ArtifactDirectoryName, Name: a.Name, CodeSha256: a.CodeSha256}
	}
	return set
}

// writeZip streams a built artifact's zip to w.
func (p *Plan) writeZip(a *Artifact, w io.Writer, done *atomic.Int64) error {
	fsys := p.source(a)
	files, err := selectFiles(fsys, a.root, a.patterns)
	if err != nil {
		return err
	}
	zw := newZipWriter(w)
	for _, f := range files {
		if err := addFile(zw, fsys, a.root, f); err != nil {
			return err
		}
		done.Add(1)
	}
	return zw.close()
}

// WriteArtifact streams the bytes of the artifact with the given base name
// to w: a built zip is zipped again (the bytes are the same every time), a
// prebuilt one is copied. It is for hashes over a zip's bytes (the
// framework names retained layers after them) when Build wrote nothing.
func (p *Plan) WriteArtifact(name string, w io.Writer) error {
	for _, a := range p.Artifacts {
		if a.Name != name {
			continue
		}
		if a.Built() && a.Path == "" {
			return p.writeZip(a, w, new(atomic.Int64))
		}
		if a.Built() {
			f, err := os.Open(a.Path)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(w, f)
			return err
		}
		r, err := p.openPrebuilt(a)
		if err != nil {
			return err
		}
		defer r.Close()
		_, err = io.Copy(w, r)
		return err
	}
	return fmt.Errorf("no artifact named %s", name)
}

func (p *Plan) openPrebuilt(a *Artifact) (io.ReadCloser, error) {
	if a.inFS {
		return p.fsys.Open(a.source)
	}
	return os.Open(a.source)
}

func addFile(zw *zipWriter, fsys fs.FS, root string, f fileInfo) error {
	file, err := fsys.Open(path.Join(root, f.path))
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", f.path, unwrapPathError(err))
	}
	defer file.Close()
	if err := zw.add(f.path, f.executable, f.size, file); err != nil {
		return fmt.Errorf("cannot zip %s: %w", f.path, unwrapPathError(err))
	}
	return nil
}

func (p *Plan) hashPrebuilt(a *Artifact) error {
	r, err := p.openPrebuilt(a)
	if err != nil {
		return err
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return err
	}
	a.CodeSha256 = base64.StdEncoding.EncodeToString(h.Sum(nil))
	a.Size = n
	return nil
}

type byteCounter struct {
	w io.Writer
	n int64
}

func (c *byteCounter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// startProgress prints "packaging: n/total files" on w, rewriting one
// line, once a second has passed; the returned func ends the line.
func startProgress(w io.Writer, done *atomic.Int64, total int64) func() {
	if w == nil {
		return func() {}
	}
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		timer := time.NewTimer(time.Second)
		defer timer.Stop()
		select {
		case <-stop:
			return
		case <-timer.C:
		}
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			fmt.Fprintf(w, "\rstepform: packaging %d/%d files", done.Load(), total)
			select {
			case <-stop:
				fmt.Fprintf(w, "\rstepform: packaging %d/%d files\n", done.Load(), total)
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(stop)
		<-finished
	}
}
