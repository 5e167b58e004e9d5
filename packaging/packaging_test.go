package packaging

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// writeTree creates files (path → content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(p, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(full, []byte(c), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func simplePackaging(fnKeys ...string) *schema.Packaging {
	pk := &schema.Packaging{Service: schema.PackageConfig{ExcludeDevDependencies: true}}
	for _, k := range fnKeys {
		pk.Functions = append(pk.Functions, schema.FunctionPackage{Key: k})
	}
	return pk
}

func buildDir(t *testing.T, dir string, pk *schema.Packaging, outDir string) *Result {
	t.Helper()
	plan, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: pk, FS: os.DirFS(dir), Dir: dir, ConfigFile: "serverless.yml"})
	if diags.HasErrors() {
		t.Fatalf("plan: %v", diags.Err())
	}
	res, err := plan.Build(context.Background(), Options{OutDir: outDir})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var sampleTree = map[string]string{
	"serverless.yml":        "service: svc\n",
	"handler.js":            strings.Repeat("module.exports.hello = async () => ({});\n", 50),
	"lib/util.js":           "exports.x = 1;\n",
	"empty.txt":             "",
	"bin/run.sh":            "#!/bin/sh\necho hi\n",
	"node_modules/a/i.js":   "a",
	"node_modules/a/p.json": "{}",
}

// TestZipsAreReproducible: the same tree gives the same bytes, whatever
// the files' times, and hashing without writing gives the same CodeSha256.
func TestZipsAreReproducible(t *testing.T) {
	dir := writeTree(t, sampleTree)
	out1, out2 := t.TempDir(), t.TempDir()
	r1 := buildDir(t, dir, simplePackaging("hello", "other"), out1)
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	for p := range sampleTree {
		if err := os.Chtimes(filepath.Join(dir, p), old, old); err != nil {
			t.Fatal(err)
		}
	}
	r2 := buildDir(t, dir, simplePackaging("hello", "other"), out2)
	b1, _ := os.ReadFile(filepath.Join(out1, "svc.zip"))
	b2, _ := os.ReadFile(filepath.Join(out2, "svc.zip"))
	if len(b1) == 0 || !bytes.Equal(b1, b2) {
		t.Fatalf("zips differ after touching the files (%d and %d bytes)", len(b1), len(b2))
	}
	sum := sha256.Sum256(b1)
	want := base64.StdEncoding.EncodeToString(sum[:])
	r3 := buildDir(t, dir, simplePackaging("hello", "other"), "")
	for _, r := range []*Result{r1, r2, r3} {
		for _, f := range r.Functions {
			if f.CodeSha256 != want || f.Artifact != "svc.zip" {
				t.Errorf("%s: %s %s, want svc.zip %s", f.Key, f.Artifact, f.CodeSha256, want)
			}
		}
	}
	// WriteArtifact gives the same bytes again, without a file.
	var again bytes.Buffer
	if err := r3.WriteArtifact("svc.zip", &again); err != nil || !bytes.Equal(again.Bytes(), b1) {
		t.Errorf("WriteArtifact: %d bytes (%v), want the zip's %d", again.Len(), err, len(b1))
	}
	if r1.Artifacts[0].Path != filepath.Join(out1, "svc.zip") || r3.Artifacts[0].Path != "" {
		t.Errorf("paths %q and %q", r1.Artifacts[0].Path, r3.Artifacts[0].Path)
	}
	if r1.ArtifactDirectoryName != r3.ArtifactDirectoryName || !strings.HasPrefix(r1.ArtifactDirectoryName, "serverless/svc/dev/") {
		t.Errorf("artifact directories %q and %q", r1.ArtifactDirectoryName, r3.ArtifactDirectoryName)
	}
	// Different content, different folder.
	os.WriteFile(filepath.Join(dir, "lib/util.js"), []byte("exports.x = 2;\n"), 0o644)
	if r4 := buildDir(t, dir, simplePackaging("hello"), ""); r4.ArtifactDirectoryName == r1.ArtifactDirectoryName {
		t.Error("changed code kept the same artifact directory")
	}
}

// TestZipLayout pins the framework's header fields.
func TestZipLayout(t *testing.T) {
	dir := writeTree(t, sampleTree)
	out := t.TempDir()
	buildDir(t, dir, simplePackaging("hello"), out)
	r, err := zip.OpenReader(filepath.Join(out, "svc.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
		wantMode, wantMethod := uint32(0o100644), zip.Deflate
		if f.Name == "bin/run.sh" {
			wantMode = 0o100755
		}
		if f.Name == "empty.txt" {
			wantMethod = zip.Store
		}
		switch {
		case f.CreatorVersion != 0x032D, f.ReaderVersion != 20:
			t.Errorf("%s: made by %#x, needs %d", f.Name, f.CreatorVersion, f.ReaderVersion)
		case f.Flags != 0x0008:
			t.Errorf("%s: flags %#x", f.Name, f.Flags)
		case f.Method != wantMethod:
			t.Errorf("%s: method %d, want %d", f.Name, f.Method, wantMethod)
		case f.ModifiedTime != 0 || f.ModifiedDate != 0x21:
			t.Errorf("%s: DOS time %#x date %#x", f.Name, f.ModifiedTime, f.ModifiedDate)
		case f.ExternalAttrs != wantMode<<16|0x20:
			t.Errorf("%s: external attributes %#o", f.Name, f.ExternalAttrs)
		case len(f.Extra) != 0 || f.Comment != "":
			t.Errorf("%s: extra %x comment %q", f.Name, f.Extra, f.Comment)
		}
		rc, _ := f.Open()
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || string(got) != sampleTree[f.Name] {
			t.Errorf("%s: content %q (%v)", f.Name, got, err)
		}
	}
	want := []string{"bin/run.sh", "empty.txt", "handler.js", "lib/util.js", "node_modules/a/i.js", "node_modules/a/p.json"}
	if !slices.Equal(names, want) {
		t.Errorf("entries %v, want %v", names, want)
	}
}

func TestGlobMatchesLikeMicromatch(t *testing.T) {
	// Each case was checked with micromatch 4 (dot: true) in the oracle.
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"node_modules/**", "node_modules", true},
		{"node_modules/**", "node_modules/a/b.js", true},
		{"node_modules/**", "node_modulesx/a", false},
		{"**", "a/.b/c", true},
		{"**/*.txt", "a.txt", true},
		{"**/*.txt", "a/b/c.txt", true},
		{"./src/**", "src/a", true},
		{"src/", "src", false},
		{"src", "src/a.js", false},
		{"*.js", ".x.js", true},
		{"*", "a/b", false},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"{a,b}/**", "b/c", true},
		{"src/**/*", "src/x", true},
		{"a/*", "a/.x", true},
		{".env*", ".env.local", true},
		{"**/.env*", "x/.env", true},
		{"x/**/", "x/y", false},
		{"a/{b,c/**}", "a/c/d", true},
		{"[^a]x", "bx", true},
		{"[ab]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[!a]x", "bx", false},
		{"[!a]x", "!x", true},
		{"[!a]x", "ax", true},
		{"a*/**", "ab/c", true},
		{"**/node_modules/**", "x/node_modules/y", true},
		{"a{,.js}", "a", true},
		{"*.{js,ts}", "x.ts", true},
		{"{a}", "{a}", true},
		{"@(a|b)", "a", true},
		{"+(a|b)", "ab", true},
		{"yarn-*.log", "yarn-error.log", true},
		{"yarn-*.log", "sub/yarn-error.log", false},
		{"a?c", "abc", true},
		{"a?c", "a/c", false},
		{`a\*`, "a*", true},
		{`a\*`, "ab", false},
	} {
		g, err := compileGlob(c.pattern)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		if got := g.match(c.path); got != c.want {
			t.Errorf("%q matches %q: %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
	if _, err := compileGlob("!(a)"); err == nil {
		t.Error("!(a): no error for the unsupported negated extglob")
	}
}

func TestCollationMatchesNode(t *testing.T) {
	// Node 20 (ICU) with LANG=C.UTF-8: [...].sort((a, b) => a.localeCompare(b)).
	want := []string{"_u.js", "a", "A", "a b", "a_b", "a-b", "a.b", "a.js", "a/b", "a1", "a10", "a2", "ab", "aB", "Ab", "AB", "ab1", "B.js", "e.js", "f.js", "x", "X", "x-", "x.js", "X.js", "xa", "z.js"}
	got := slices.Clone(want)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	sort.Slice(got, func(i, j int) bool { return collateLess(got[i], got[j]) })
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
}

func TestLayerPathsAndDotenvExcluded(t *testing.T) {
	fsys := fstest.MapFS{
		"handler.js":        {Data: []byte("h")},
		"layer/nodejs/x.js": {Data: []byte("x")},
		".env":              {Data: []byte("A=1")},
		".env.prod":         {Data: []byte("A=2")},
		"serverless.yml":    {Data: []byte("s")},
	}
	pk := simplePackaging("hello")
	pk.LayerPaths = []string{"layer"}
	pk.Layers = []schema.LayerPackage{{Key: "deps", Path: "layer"}}
	pk.UseDotenv = true
	plan, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: pk, FS: fsys, ConfigFile: "serverless.yml"})
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if got, _ := plan.Artifacts[0].Files(fsys); !slices.Equal(got, []string{"handler.js"}) {
		t.Errorf("files %v, want [handler.js]", got)
	}
	// The layer's zip holds its folder's files, named relative to it.
	if len(plan.Artifacts) != 2 || plan.Artifacts[1].Name != "deps.zip" {
		t.Fatalf("artifacts %+v", plan.Artifacts)
	}
	if got, _ := plan.Artifacts[1].Files(fsys); !slices.Equal(got, []string{"nodejs/x.js"}) {
		t.Fatalf("layer artifact %+v", plan.Artifacts[1:])
	}
	res, err := plan.Build(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l := res.Layers[0]; l.Artifact != "deps.zip" || l.CodeSha256 == "" {
		t.Errorf("layer code %+v", l)
	}
}

func TestBrokenDevManifestCancelsDevExcludes(t *testing.T) {
	// Like the framework: an unreadable dev-only manifest voids every dev exclude.
	fsys := fstest.MapFS{
		"package.json":                  {Data: []byte(`{"devDependencies": {"d": "1", "e": "1"}}`)},
		"node_modules/d/package.json":   {Data: []byte(`{"name": "d"}`)},
		"node_modules/e/package.json":   {Data: []byte(`{not json`)},
		"node_modules/f/package.json":   {Data: []byte(`{"name": "f"}`)},
		"node_modules/d/node_modules/g": {Mode: 0o755 | os.ModeDir},
	}
	if got := devDependencyExcludes(fsys); got != nil {
		t.Errorf("excludes %v, want none", got)
	}
	fsys["node_modules/e/package.json"] = &fstest.MapFile{Data: []byte(`{"bin": {"eb": "x.js"}}`)}
	want := []string{"node_modules/d/**", "node_modules/e/**", "node_modules/.bin/eb"}
	if got := devDependencyExcludes(fsys); !slices.Equal(got, want) {
		t.Errorf("excludes %v, want %v", got, want)
	}
}

func TestProgressLineAfterOneSecond(t *testing.T) {
	var buf syncBuffer
	var done atomic.Int64
	done.Store(3)
	stop := startProgress(&buf, &done, 10)
	time.Sleep(1300 * time.Millisecond)
	stop()
	if out := buf.String(); !strings.Contains(out, "packaging 3/10 files\n") {
		t.Errorf("progress output %q", out)
	}
	buf = syncBuffer{}
	stop = startProgress(&buf, &done, 10)
	stop()
	if out := buf.String(); out != "" {
		t.Errorf("progress printed for a quick run: %q", out)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// writeLargeTree writes files of pseudo-random (incompressible) bytes:
// big files plus many small ones, as node_modules has.
func writeLargeTree(tb testing.TB, dir string, bigFiles, bigSize, smallFiles int) int64 {
	rng := rand.New(rand.NewPCG(7, 11))
	buf := make([]byte, 1<<20)
	var total int64
	write := func(name string, size int) {
		full := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(full), 0o755)
		f, err := os.Create(full)
		if err != nil {
			tb.Fatal(err)
		}
		for size > 0 {
			n := min(size, len(buf))
			for i := 0; i < n; i += 8 {
				v := rng.Uint64()
				for k := 0; k < 8 && i+k < n; k++ {
					buf[i+k] = byte(v >> (8 * k))
				}
			}
			f.Write(buf[:n])
			size -= n
			total += int64(n)
		}
		f.Close()
	}
	write("handler.js", 100)
	for i := 0; i < bigFiles; i++ {
		write(filepath.Join("node_modules", "big", string(rune('a'+i%26))+strings.Repeat("x", i/26)+".bin"), bigSize)
	}
	for i := 0; i < smallFiles; i++ {
		write(filepath.Join("node_modules", "pkg"+string(rune('a'+i%26)), "f"+strings.Repeat("y", i/26)+".js"), 2000)
	}
	return total
}

// TestMemoryStaysFlat zips 96 MiB of incompressible data into two
// artifacts at once and checks the heap never grows anywhere near it.
func TestMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 96 MiB")
	}
	dir := t.TempDir()
	total := writeLargeTree(t, dir, 6, 16<<20, 300)
	pk := simplePackaging("a", "b")
	pk.Functions[1].Package.Individually = true
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	res := buildDir(t, dir, pk, t.TempDir())
	close(stop)
	<-sampled
	growth := int64(peak.Load()) - int64(base.HeapInuse)
	t.Logf("zipped %d MiB twice (%d artifacts); peak heap growth %.1f MiB", total>>20, len(res.Artifacts), float64(growth)/(1<<20))
	if growth > 32<<20 {
		t.Errorf("heap grew by %d MiB while zipping %d MiB", growth>>20, total>>20)
	}
}

func BenchmarkBuildLargeTree(b *testing.B) {
	dir := b.TempDir()
	total := writeLargeTree(b, dir, 2, 16<<20, 2000)
	pk := simplePackaging("a")
	plan, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: pk, FS: os.DirFS(dir), ConfigFile: "serverless.yml"})
	if diags.HasErrors() {
		b.Fatal(diags.Err())
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := plan.Build(context.Background(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPlanErrors(t *testing.T) {
	fsys := fstest.MapFS{"handler.js": {Data: []byte("h")}, "svc.js": {Data: []byte("s")}}
	for _, c := range []struct {
		name string
		edit func(*schema.Packaging)
		want string
	}{
		{"s3 artifact", func(pk *schema.Packaging) { pk.Functions[0].Package.Artifact = "s3://bucket/key.zip" }, "S3 artifacts are not supported"},
		{"outside", func(pk *schema.Packaging) { pk.Service.Artifact = "../app.zip" }, "cannot access package artifact"},
		{"missing", func(pk *schema.Packaging) { pk.Service.Artifact = "app.zip" }, "cannot access package artifact"},
		{"zip name clash", func(pk *schema.Packaging) { pk.Functions[1].Package.Individually = true }, "two zips named svc.zip"},
		{"disabled", func(pk *schema.Packaging) { pk.Functions[0].Package.Disable = true }, "function hello has no code"},
		{"layer without path", func(pk *schema.Packaging) { pk.Layers = []schema.LayerPackage{{Key: "l"}} }, "layer l has no usable path"},
		{"layer outside", func(pk *schema.Packaging) { pk.Layers = []schema.LayerPackage{{Key: "l", Path: "../x"}} }, "layer l has no usable path"},
	} {
		pk := simplePackaging("hello", "svc")
		c.edit(pk)
		plan, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: pk, FS: fsys, ConfigFile: "serverless.yml"})
		if got := diagText(diags); plan != nil || !diags.HasErrors() || !strings.Contains(got, c.want) {
			t.Errorf("%s: plan %v, diagnostics %q; want %q", c.name, plan != nil, got, c.want)
		}
	}
}

func TestSymlinkLoopIsAnError(t *testing.T) {
	dir := writeTree(t, map[string]string{"handler.js": "h"})
	if err := os.Symlink("..", filepath.Join(dir, "loop")); err != nil {
		t.Skip("no symlinks:", err)
	}
	_, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: simplePackaging("hello"), FS: os.DirFS(dir), ConfigFile: "serverless.yml"})
	if got := diagText(diags); !diags.HasErrors() || !strings.Contains(got, "too many levels of symbolic links") {
		t.Errorf("diagnostics %q", got)
	}
}

func diagText(diags diag.List) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}

func TestExpandBraces(t *testing.T) {
	for p, want := range map[string][]string{
		"{a,b}/**":       {"a/**", "b/**"},
		"x/{a,{b,c}}.js": {"x/a.js", "x/b.js", "x/c.js"},
		"{a}/x":          {"{a}/x"},
		`\{a,b}`:         {`\{a,b}`},
		"*.{js,ts}":      {"*.js", "*.ts"},
	} {
		if got := expandBraces(p); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", p, got, want)
		}
	}
}

func TestOutputFolderNotPackaged(t *testing.T) {
	fsys := fstest.MapFS{
		"handler.js":         {Data: []byte("h")},
		"build/old.zip":      {Data: []byte("z")},
		"build[1]/keep.js":   {Data: []byte("k")},
		"builder/keep.js":    {Data: []byte("k")},
		".serverless/x.json": {Data: []byte("x")},
	}
	plan, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: simplePackaging("hello"), FS: fsys, OutDir: "build"})
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if got, _ := plan.Artifacts[0].Files(fsys); !slices.Equal(got, []string{"build[1]/keep.js", "builder/keep.js", "handler.js"}) {
		t.Errorf("files %v", got)
	}
	if got := escapeGlob("a[1]{x}*"); got != `a\[1\]\{x\}\*` {
		t.Errorf("escapeGlob: %s", got)
	}
}

func TestExcludeDevDependenciesFalseKeepsThem(t *testing.T) {
	fsys := fstest.MapFS{
		"handler.js":                  {Data: []byte("h")},
		"package.json":                {Data: []byte(`{"devDependencies": {"d": "1"}}`)},
		"node_modules/d/package.json": {Data: []byte(`{"name": "d"}`)},
	}
	for _, exclude := range []bool{true, false} {
		pk := simplePackaging("hello")
		pk.Service.ExcludeDevDependencies = exclude
		plan, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: pk, FS: fsys})
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		got, _ := plan.Artifacts[0].Files(fsys)
		if kept := slices.Contains(got, "node_modules/d/package.json"); kept == exclude {
			t.Errorf("excludeDevDependencies %v: files %v", exclude, got)
		}
	}
}

// TestPendingBuildCommitsOrDiscards: a pending build leaves the folder as
// it was until Commit moves the zips into place; Discard removes them.
func TestPendingBuildCommitsOrDiscards(t *testing.T) {
	dir := writeTree(t, map[string]string{"handler.js": "exports.hello = 1;\n"})
	out := t.TempDir()
	build := func() *Result {
		plan, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: simplePackaging("hello"), FS: os.DirFS(dir), Dir: dir, ConfigFile: "serverless.yml"})
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		res, err := plan.Build(context.Background(), Options{OutDir: out, Pending: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	names := func() []string {
		entries, _ := os.ReadDir(out)
		var n []string
		for _, e := range entries {
			n = append(n, e.Name())
		}
		return n
	}
	res := build()
	if _, err := os.Stat(filepath.Join(out, "svc.zip")); err == nil {
		t.Fatal("a pending build wrote svc.zip")
	}
	res.Discard()
	if n := names(); len(n) != 0 {
		t.Fatalf("after Discard the folder holds %v", n)
	}
	res = build()
	var viaContent bytes.Buffer
	if err := res.WriteArtifact("svc.zip", &viaContent); err != nil {
		t.Fatal(err)
	}
	if err := res.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := names(); strings.Join(n, " ") != "svc.zip" {
		t.Fatalf("after Commit the folder holds %v", n)
	}
	onDisk, _ := os.ReadFile(filepath.Join(out, "svc.zip"))
	if !bytes.Equal(onDisk, viaContent.Bytes()) {
		t.Error("the committed zip differs from the pending one's bytes")
	}
	sum := sha256.Sum256(onDisk)
	if got := res.Set().Functions["hello"].CodeSha256; got != base64.StdEncoding.EncodeToString(sum[:]) {
		t.Errorf("CodeSha256 %s is not the zip's", got)
	}
}
