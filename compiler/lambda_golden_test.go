package compiler_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/compiler/artifact"
	"github.com/stepform/stepform/compiler/lambda/events"
	"github.com/stepform/stepform/schema"
)

// fixedArtifactDir is the artifact directory the oracle's frozen clock
// gives; fixtures without plugin.json use it too.
const fixedArtifactDir = "1704067200000-2024-01-01T00:00:00.000Z"

// compilesFunctions reports whether stepform compiles the fixture's
// functions itself (no --base): it has functions, and all their events
// are kinds stepform compiles (or unknown ones, which it reports).
func compilesFunctions(t testing.TB, f fixture) bool {
	n, ok := countFunctions(f)
	return ok && n > 0
}

// countFunctions counts the fixture's functions; ok is false when
// stepform cannot compile them without --base (event kinds it does not
// compile) or the service does not load.
func countFunctions(f fixture) (n int, ok bool) {
	svc, _, diags := schema.Load(f.load)
	if svc == nil || diags.HasErrors() {
		return 0, false
	}
	ok = true
	for _, fn := range svc.Functions {
		if fn.Config == nil {
			continue
		}
		n++
		for _, ev := range fn.EventList {
			if events.NeedsBase(ev.Kind) {
				ok = false
			}
		}
	}
	return n, ok
}

// comparesWholeTemplate reports whether the whole plugin-mode template
// is compared with plugin.json: for services stepform compiles entirely,
// those without functions included (the framework's core template).
func comparesWholeTemplate(f fixture) bool {
	_, ok := countFunctions(f)
	return ok
}

// fixtureArtifacts are the code zips as the oracle named them: the S3 key
// and, from the version resources, the CodeSha256 of each function in
// plugin.json. stepform's zips cannot be byte-identical to Node's, so the
// tests give the compiler the oracle's own values. Without plugin.json
// (error fixtures) they are made up.
func fixtureArtifacts(t testing.TB, f fixture) *artifact.Set {
	svc, _, diags := schema.Load(f.load)
	if svc == nil || diags.HasErrors() {
		return &artifact.Set{}
	}
	set := &artifact.Set{Functions: map[string]artifact.Artifact{}}
	data, err := os.ReadFile(filepath.Join(f.dir, "plugin.json"))
	if err != nil {
		for _, fn := range svc.Functions {
			set.Functions[fn.Key] = artifact.Artifact{
				Dir:        path.Join("serverless", svc.Name, svc.Stage, fixedArtifactDir),
				Name:       svc.Name + ".zip",
				CodeSha256: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
			}
		}
		if compiler.UsesCustomResources(svc) {
			set.CustomResources = artifact.Artifact{Dir: path.Join("serverless", svc.Name, svc.Stage, fixedArtifactDir), Name: "custom-resources.zip"}
		}
		return set
	}
	var doc struct {
		Resources map[string]struct {
			Type       string
			Properties json.RawMessage
		}
	}
	mustUnmarshal(t, data, &doc)
	for _, fn := range svc.Functions {
		r, ok := doc.Resources[fn.LogicalID()]
		if !ok {
			continue
		}
		var props struct{ Code struct{ S3Key string } }
		mustUnmarshal(t, r.Properties, &props)
		if props.Code.S3Key == "" {
			continue // an image function
		}
		a := artifact.Artifact{Dir: path.Dir(props.Code.S3Key), Name: path.Base(props.Code.S3Key)}
		for _, v := range doc.Resources {
			if v.Type != "AWS::Lambda::Version" {
				continue
			}
			var vp struct {
				FunctionName struct{ Ref string }
				CodeSha256   string
			}
			mustUnmarshal(t, v.Properties, &vp)
			if vp.FunctionName.Ref == fn.LogicalID() {
				a.CodeSha256 = vp.CodeSha256
			}
		}
		set.Functions[fn.Key] = a
	}
	// The framework's custom resource functions share custom-resources.zip.
	for id, r := range doc.Resources {
		if r.Type != "AWS::Lambda::Function" || !strings.HasPrefix(id, "CustomDashresource") {
			continue
		}
		var props struct{ Code struct{ S3Key string } }
		mustUnmarshal(t, r.Properties, &props)
		set.CustomResources = artifact.Artifact{Dir: path.Dir(props.Code.S3Key), Name: path.Base(props.Code.S3Key)}
	}
	if svc.Layers != nil {
		set.Layers = map[string]artifact.Artifact{}
		for _, p := range svc.Layers.Pairs {
			zip := filepath.Join(f.dir, "oracle-layer-"+p.Key+".zip")
			data, err := os.ReadFile(zip)
			if err != nil {
				t.Fatalf("%v (tools/oracle/generate.sh saves the framework's layer zips)", err)
			}
			sum := sha256.Sum256(data)
			prefix := schema.NormalizeName(p.Key) + "LambdaLayer"
			for id, r := range doc.Resources {
				if r.Type != "AWS::Lambda::LayerVersion" || !strings.HasPrefix(id, prefix) {
					continue
				}
				var props struct{ Content struct{ S3Key string } }
				mustUnmarshal(t, r.Properties, &props)
				set.Layers[p.Key] = artifact.Artifact{Dir: path.Dir(props.Content.S3Key), Name: path.Base(props.Content.S3Key),
					CodeSha256: base64.StdEncoding.EncodeToString(sum[:]),
					Content:    func(w io.Writer) error { _, err := w.Write(data); return err }}
			}
		}
	}
	return set
}

// expectForceDeploy replaces the clock the framework writes into each
// Custom::S3 and Custom::CognitoUserPool resource's ForceDeploy with what
// stepform writes there, the package's folder name (docs/differences.md
// row F9).
func expectForceDeploy(doc map[string]any, folder string) {
	resources, _ := doc["Resources"].(map[string]any)
	for _, r := range resources {
		r, _ := r.(map[string]any)
		props, _ := r["Properties"].(map[string]any)
		if (r["Type"] == "Custom::S3" || r["Type"] == "Custom::CognitoUserPool") && props["ForceDeploy"] != nil {
			props["ForceDeploy"] = folder
		}
	}
}

// defaultOptions are the options for a fixture's golden files: its own
// functions compiled by stepform when it can (or when it has no base.json,
// as error fixtures), else its base.json.
func defaultOptions(t testing.TB, f fixture, mode compiler.Mode) compiler.Options {
	if n, _ := countFunctions(f); compilesFunctions(t, f) || f.base == nil && n > 0 {
		return compiler.Options{Mode: mode, Artifacts: fixtureArtifacts(t, f)}
	}
	return compiler.Options{Mode: mode, Base: f.base}
}

// testWholeTemplate compiles a fixture with functions in plugin mode
// without --base: the whole template, the framework's resources included,
// must equal the oracle's plugin.json.
func testWholeTemplate(t *testing.T, f fixture) {
	want, err := os.ReadFile(filepath.Join(f.dir, "plugin.json"))
	if err != nil {
		t.Fatalf("missing plugin.json: %v", err)
	}
	artifacts := fixtureArtifacts(t, f)
	got := build(t, f, compiler.Options{Mode: compiler.Plugin, Artifacts: artifacts}, compiler.JSON)
	var gotDoc, wantDoc map[string]any
	mustUnmarshal(t, got, &gotDoc)
	mustUnmarshal(t, want, &wantDoc)
	expectForceDeploy(wantDoc, path.Base(artifacts.CustomResources.Dir))
	gotDoc = normalizeDeploymentIDs(gotDoc).(map[string]any)
	wantDoc = normalizeDeploymentIDs(wantDoc).(map[string]any)
	for _, k := range unionKeys(gotDoc, wantDoc) {
		g, _ := gotDoc[k].(map[string]any)
		w, _ := wantDoc[k].(map[string]any)
		if k != "Resources" && k != "Outputs" || g == nil || w == nil {
			if p, ok := sameAsCloudFormation(gotDoc[k], wantDoc[k], k); !ok {
				t.Errorf("%s differs at %s:\nstepform: %s\nsls:      %s", k, p, pretty(at(gotDoc[k], p, k)), pretty(at(wantDoc[k], p, k)))
			}
			continue
		}
		for _, id := range unionKeys(g, w) {
			gv, gok := g[id]
			wv, wok := w[id]
			switch {
			case !gok:
				t.Errorf("%s.%s: sls package creates it, stepform does not:\n%s", k, id, pretty(wv))
			case !wok:
				t.Errorf("%s.%s: stepform creates it, sls package does not:\n%s", k, id, pretty(gv))
			default:
				if p, ok := sameAsCloudFormation(gv, wv, id); !ok {
					t.Errorf("%s.%s differs at %s:\nstepform: %s\nsls:      %s", k, id, p, pretty(at(gv, p, id)), pretty(at(wv, p, id)))
				}
			}
		}
	}
}

// TestUsesCustomResourcesMatchesOracle checks compiler.UsesCustomResources,
// which decides whether the package holds custom-resources.zip, against
// the oracle: it holds exactly for the fixtures whose plugin.json has one
// of the framework's custom resource functions.
func TestUsesCustomResourcesMatchesOracle(t *testing.T) {
	names, _ := fixtureNames(t)
	checked, using := 0, 0
	for _, name := range names {
		f := loadFixture(t, name)
		data, err := os.ReadFile(filepath.Join(f.dir, "plugin.json"))
		if err != nil || !comparesWholeTemplate(f) {
			continue
		}
		svc, _, _ := schema.Load(f.load)
		var doc struct{ Resources map[string]json.RawMessage }
		mustUnmarshal(t, data, &doc)
		want := false
		for id := range doc.Resources {
			if strings.HasPrefix(id, "CustomDashresource") && strings.HasSuffix(id, "LambdaFunction") {
				want = true
			}
		}
		if got := compiler.UsesCustomResources(svc); got != want {
			t.Errorf("%s: UsesCustomResources %v, the framework's template has custom resource functions: %v", name, got, want)
		}
		checked++
		if want {
			using++
		}
	}
	if checked == 0 || using == 0 {
		t.Fatalf("checked %d fixtures, %d with custom resources", checked, using)
	}
}
