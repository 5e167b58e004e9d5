package lambda

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/stepform/stepform/compiler/artifact"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// layers compiles the top-level `layers:` as the framework's compileLayers
// does for a stack deployed the first time: <L>LambdaLayer, a permission
// per allowed account, and three outputs.
func (c *compiler) layers() {
	c.layerKeys = map[string]string{}
	for i := range c.svc.LayerList {
		c.layer(&c.svc.LayerList[i])
	}
}

func (c *compiler) layer(cfg *schema.Layer) {
	key := cfg.Key
	art, ok := c.in.Artifacts.Layers[key]
	if !ok {
		c.diags.Errorf(cfg.KeyPos, fmt.Sprintf("no code artifact for layer %q", key),
			"The layer's zip was not built, so its S3 key and hash are unknown. Use stepform package, or run sls package and pass its template with --base.")
		return
	}
	var bucket any = ref("ServerlessDeploymentBucket")
	if name := c.bucketName(); name != "" {
		bucket = name
	}
	name := any(key)
	if n := cfg.Name; n.Truthy() {
		name = value(n)
	}
	// The framework hashes the resource as it is built, in insertion
	// order and without the S3 key.
	type kv struct {
		k string
		v any
	}
	ordered := []kv{{"LayerName", name}}
	for _, o := range []struct {
		v    *schema.Node
		prop string
	}{{cfg.Description, "Description"}, {cfg.LicenseInfo, "LicenseInfo"},
		{cfg.CompatibleRuntimes, "CompatibleRuntimes"}, {cfg.CompatibleArchitectures, "CompatibleArchitectures"}} {
		if o.v.Truthy() {
			ordered = append(ordered, kv{o.prop, value(o.v)})
		}
	}
	var js strings.Builder
	js.WriteString(`{"Type":"AWS::Lambda::LayerVersion","Properties":{"Content":{"S3Bucket":`)
	writeSorted(&js, bucket)
	js.WriteString("}")
	props := map[string]any{"Content": map[string]any{"S3Bucket": bucket, "S3Key": art.S3Key()}}
	for _, e := range ordered {
		js.WriteString(",")
		jsvalue.WriteQuoted(&js, e.k)
		js.WriteString(":")
		writeSorted(&js, e.v)
		props[e.k] = e.v
	}
	js.WriteString("}}")
	sha, err := layerHash(js.String(), art)
	if err != nil {
		c.diags.Errorf(cfg.KeyPos, fmt.Sprintf("cannot read the zip of layer %q", key), "%v.", err)
		return
	}
	norm := schema.NormalizeName(key)
	id := norm + "LambdaLayer"
	res := map[string]any{"Type": "AWS::Lambda::LayerVersion", "Properties": props}
	retain := cfg.Retain.Truthy()
	if retain {
		id += sha
		res["DeletionPolicy"] = "Retain"
	}
	c.res[id] = res
	c.layerKeys[id] = key
	if accounts := cfg.AllowedAccounts; accounts != nil && accounts.Kind == schema.List {
		for _, a := range accounts.Items {
			account := value(stringValue(a))
			s, _ := account.(string)
			permID := norm + strings.Replace(s, "*", "Wild", 1) + "LambdaLayerPermission"
			perm := map[string]any{"Type": "AWS::Lambda::LayerVersionPermission", "Properties": map[string]any{
				"Action": "lambda:GetLayerVersion", "LayerVersionArn": ref(id), "Principal": account}}
			if retain {
				permID += sha
				perm["DeletionPolicy"] = "Retain"
			}
			c.res[permID] = perm
		}
	}
	outID := norm + "LambdaLayer"
	c.out[outID+"QualifiedArn"] = map[string]any{"Description": "Current Lambda layer version", "Value": ref(id)}
	c.out[outID+"Hash"] = map[string]any{"Description": "Current Lambda layer hash", "Value": sha}
	c.out[outID+"S3Key"] = map[string]any{"Description": "Current Lambda layer S3Key", "Value": art.S3Key()}
}

// layerHash is the hex SHA-1 of the layer's JSON followed by its zip.
func layerHash(resourceJSON string, art artifact.Artifact) (string, error) {
	if art.Content == nil {
		return "", fmt.Errorf("the layer's zip bytes are not available")
	}
	h := sha1.New()
	h.Write([]byte(resourceJSON))
	if err := art.Content(h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// layerConfigurations are the local layers a function's Layers name with
// {Ref}, as the version hash includes them, and their zips' hashes in the
// order the framework feeds them (sorted by zip path).
func (c *compiler) layerConfigurations(props map[string]any) ([]any, []string) {
	configs := []any{}
	type zip struct{ name, sha string }
	var zips []zip
	layers, _ := props["Layers"].([]any)
	for _, l := range layers {
		m, ok := l.(map[string]any)
		if !ok {
			continue
		}
		id, _ := m["Ref"].(string)
		key, local := c.layerKeys[id]
		if !local {
			continue
		}
		res := c.res[id].(map[string]any)
		lp := map[string]any{}
		for k, v := range res["Properties"].(map[string]any) {
			lp[k] = v
		}
		lp["Content"] = map[string]any{"S3Bucket": lp["Content"].(map[string]any)["S3Bucket"]}
		configs = append(configs, map[string]any{"name": key, "ref": id, "properties": lp})
		art := c.in.Artifacts.Layers[key]
		zips = append(zips, zip{art.Name, art.CodeSha256})
	}
	sort.SliceStable(zips, func(i, j int) bool { return zips[i].name < zips[j].name })
	var hashes []string
	for _, z := range zips {
		hashes = append(hashes, z.sha)
	}
	return configs, hashes
}
