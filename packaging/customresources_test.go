package packaging

import (
	"archive/zip"
	"context"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stepform/stepform/packaging/customresources"
)

// TestCustomResourcesZip: a service that uses the framework's custom
// resources gets custom-resources.zip, built once after its own zips
// from every file of packaging/customresources with the same content,
// named in the artifact set, and counted in the content-named folder.
func TestCustomResourcesZip(t *testing.T) {
	fsys := fstest.MapFS{"handler.js": {Data: []byte("h")}}
	build := func(customResources bool) *Result {
		plan, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: simplePackaging("hello"), FS: fsys, CustomResources: customResources})
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		res, err := plan.Build(context.Background(), Options{OutDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	without, with := build(false), build(true)
	if a := without.Artifact(customresources.ArtifactName); a != nil {
		t.Errorf("without custom resources the package has %s", a.Name)
	}
	if set := without.Set(); set.CustomResources.Name != "" {
		t.Errorf("without custom resources the artifact set names %+v", set.CustomResources)
	}
	var names []string
	for _, a := range with.Artifacts {
		names = append(names, a.Name)
	}
	if !slices.Equal(names, []string{"svc.zip", "custom-resources.zip"}) {
		t.Fatalf("artifacts %v", names)
	}
	set := with.Set()
	if set.CustomResources.S3Key() != with.ArtifactDirectoryName+"/custom-resources.zip" || set.CustomResources.CodeSha256 == "" {
		t.Errorf("artifact set: %+v", set.CustomResources)
	}
	if with.ArtifactDirectoryName == without.ArtifactDirectoryName {
		t.Error("custom-resources.zip does not count in the artifact folder's name")
	}

	var want []string
	err := fs.WalkDir(customresources.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			want = append(want, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"s3/handler.js", "event-bridge/handler.js", "api-gateway-cloud-watch-role/handler.js"} {
		if !slices.Contains(want, h) {
			t.Fatalf("packaging/customresources has no %s", h)
		}
	}
	r, err := zip.OpenReader(with.Artifact(customresources.ArtifactName).Path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for _, f := range r.File {
		got = append(got, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if src, _ := fs.ReadFile(customresources.FS, f.Name); string(src) != string(data) {
			t.Errorf("%s differs from packaging/customresources", f.Name)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("custom-resources.zip entries\n got %v\nwant %v", got, want)
	}

	again := build(true)
	if again.Artifact(customresources.ArtifactName).CodeSha256 != with.Artifact(customresources.ArtifactName).CodeSha256 {
		t.Error("custom-resources.zip is not reproducible")
	}
}

// TestCustomResourcesZipNameTaken: a function packaged individually into
// custom-resources.zip would be overwritten by the framework's code.
func TestCustomResourcesZipNameTaken(t *testing.T) {
	pk := simplePackaging("custom-resources")
	pk.Service.Individually = true
	_, diags := NewPlan(Input{Service: "svc", Stage: "dev", Packaging: pk, FS: fstest.MapFS{"handler.js": {Data: []byte("h")}}, CustomResources: true})
	if err := diags.Err(); err == nil || !strings.Contains(err.Error(), "two zips named custom-resources.zip") {
		t.Errorf("diagnostics: %v", err)
	}
}
