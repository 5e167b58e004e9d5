package schema

import (
	"github.com/stepform/stepform/schema/diag"
)

// PackageConfig is a `package:` block of the service or of one function.
type PackageConfig struct {
	// Pos is the block's position, or its owner's when the block is absent.
	Pos diag.Pos
	// Patterns, Include and Exclude are the glob lists in source order
	// (include/exclude are the framework's legacy spelling).
	Patterns, Include, Exclude []string
	Individually               bool
	// Artifact is a prebuilt zip used as is; "" when not set.
	Artifact    string
	ArtifactPos diag.Pos
	// Path is the service's package.path: where `sls package` writes the
	// package folder and `sls deploy` reads it ("" when not set).
	Path string
	// ExcludeDevDependencies is the service setting (default true).
	ExcludeDevDependencies bool
	// Disable skips packaging a function (function blocks only).
	Disable bool
}

// Packaging holds every setting that decides what goes into the code zips.
type Packaging struct {
	Service PackageConfig
	// Functions has one entry per function, in source order.
	Functions []FunctionPackage
	// UseDotenv is the top-level useDotenv: .env files are then left out.
	UseDotenv bool
	// PluginsLocalPath is plugins.localPath, which is never packaged.
	PluginsLocalPath string
	// LayerPaths are the `path`s of the top-level layers, in source order.
	LayerPaths []string
	// Layers are the top-level layers, in source order.
	Layers []LayerPackage
	// DeploymentPrefix is provider.deploymentPrefix ("" when not set).
	DeploymentPrefix string
}

// LayerPackage is one top-level layer's packaging settings.
type LayerPackage struct {
	Key string
	Pos diag.Pos
	// Path is the layer's folder, relative to the service directory.
	Path    string
	Package PackageConfig
}

// FunctionPackage is one function's packaging settings.
type FunctionPackage struct {
	Key string
	Pos diag.Pos
	// Image is set for container-image functions, which have no zip.
	Image   bool
	Package PackageConfig
}

// packaging decodes the packaging settings; Load does it once, into
// Service.Packaging.
func (d *decoder) packaging(root *Node) *Packaging {
	p := &Packaging{}
	d.packagingSettings = p
	p.Service = d.packageConfig(root.Get("package"), root.Pos, "package", true)
	p.UseDotenv = d.optBool(root.Get("useDotenv"), "useDotenv")
	p.DeploymentPrefix = d.optString(root.Get("provider").Get("deploymentPrefix"), "provider.deploymentPrefix")
	if plugins := root.Get("plugins"); plugins != nil && plugins.Kind == Map {
		p.PluginsLocalPath = d.optString(plugins.Get("localPath"), "plugins.localPath")
	}
	if layers := root.Get("layers"); layers != nil && layers.Kind == Map {
		for _, l := range layers.Pairs {
			lp := LayerPackage{Key: l.Key, Pos: l.KeyPos}
			lp.Path = d.optString(l.Value.Get("path"), "layers."+l.Key+".path")
			if lp.Path != "" {
				p.LayerPaths = append(p.LayerPaths, lp.Path)
			}
			lp.Package = d.packageConfig(l.Value.Get("package"), l.KeyPos, "layers."+l.Key+".package", false)
			p.Layers = append(p.Layers, lp)
		}
	}
	if fns := root.Get("functions"); fns != nil && fns.Kind == Map {
		for _, f := range fns.Pairs {
			fp := FunctionPackage{Key: f.Key, Pos: f.KeyPos}
			if f.Value.Kind == Map {
				fp.Image = f.Value.Get("image").Truthy()
				fp.Package = d.packageConfig(f.Value.Get("package"), f.KeyPos, "functions."+f.Key+".package", false)
			} else {
				fp.Package.Pos = f.KeyPos
			}
			p.Functions = append(p.Functions, fp)
		}
	}
	return p
}

// functionPackage is the decoded package block of the function with key.
func (d *decoder) functionPackage(key string) *PackageConfig {
	if d.packagingSettings == nil {
		return nil
	}
	for i := range d.packagingSettings.Functions {
		if f := &d.packagingSettings.Functions[i]; f.Key == key {
			return &f.Package
		}
	}
	return nil
}

// packageConfig decodes one package block; service says which keys apply.
func (d *decoder) packageConfig(n *Node, ownerPos diag.Pos, what string, service bool) PackageConfig {
	c := PackageConfig{Pos: ownerPos, ExcludeDevDependencies: true}
	if n == nil || n.Kind == Null {
		return c
	}
	c.Pos = n.Pos
	if n.Kind != Map {
		d.wrongType(n, what, "an object")
		return c
	}
	c.Patterns = d.globList(n.Get("patterns"), what+".patterns")
	c.Include = d.globList(n.Get("include"), what+".include")
	c.Exclude = d.globList(n.Get("exclude"), what+".exclude")
	c.Individually = d.optBool(n.Get("individually"), what+".individually")
	if a := n.Get("artifact"); a != nil && a.Kind != Null {
		c.Artifact = d.optString(a, what+".artifact")
		c.ArtifactPos = a.Pos
	}
	if service {
		c.Path = d.optString(n.Get("path"), what+".path")
		if e := n.Get("excludeDevDependencies"); e != nil && e.Kind != Null {
			c.ExcludeDevDependencies = d.optBool(e, what+".excludeDevDependencies")
		}
	} else {
		c.Disable = d.optBool(n.Get("disable"), what+".disable")
	}
	return c
}

// globList reads a list of glob strings. A single string counts as a
// one-item list, as the framework's schema coercion makes it.
func (d *decoder) globList(n *Node, what string) []string {
	if n == nil || n.Kind == Null {
		return nil
	}
	if n.Kind == String {
		return []string{n.Value}
	}
	if n.Kind != List {
		d.wrongType(n, what, "a list of strings")
		return nil
	}
	var out []string
	for _, it := range n.Items {
		if it.Kind != String {
			d.wrongType(it, what+" item", "a string")
			continue
		}
		out = append(out, it.Value)
	}
	return out
}
