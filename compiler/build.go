package compiler

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// Format is an output format.
type Format string

const (
	JSON Format = "json"
	YAML Format = "yaml"
)

// Build loads the service described by load, compiles it, and renders the
// template. Sources holds the text of every file read, for diagnostics.
// The output is nil when diags has errors.
func Build(load schema.LoadOptions, opts Options, format Format) (out []byte, sources map[string][]byte, diags diag.List) {
	svc, sources, diags := schema.Load(load)
	if svc == nil || diags.HasErrors() {
		diags.Sort()
		return nil, sources, diags
	}
	out, d := BuildService(svc, opts, format)
	diags.Append(d)
	diags.Sort()
	return out, sources, diags
}

// Text is a rendered template in the pieces it was written in, so that a
// large one is written out without being copied into one slice.
type Text = cfn.Text

// BuildService compiles a loaded service and renders the template; the
// output is nil when diags has errors.
func BuildService(svc *schema.Service, opts Options, format Format) ([]byte, diag.List) {
	out, diags := BuildServiceText(svc, opts, format)
	return out.Bytes(), diags
}

// BuildServiceText is BuildService with the template in pieces.
func BuildServiceText(svc *schema.Service, opts Options, format Format) (Text, diag.List) {
	// The JSON is all the caller gets then, so its encoding may consume
	// the document as it goes.
	jsonOnly := format == JSON || format == ""
	doc, encoded, diags := compile(svc, opts, !jsonOnly)
	if diags.HasErrors() {
		return nil, diags
	}
	if jsonOnly {
		// The size check encoded the template already.
		return encoded, diags
	}
	out, err := Render(doc, format)
	if err != nil {
		diags.Errorf(diag.Pos{}, "internal error", "%v. Please report this with your serverless.yml.", err)
		return nil, diags
	}
	return Text{out}, diags
}

// Render writes a template document in the given format.
func Render(doc map[string]any, format Format) ([]byte, error) {
	switch format {
	case JSON, "":
		return cfn.JSON(doc), nil
	case YAML:
		return cfn.YAML(doc)
	}
	return nil, fmt.Errorf("unknown format %q", format)
}

// ParseBase reads a template the framework produced (JSON, or YAML with
// short tags) into plain values for Options.Base. A *.json file, or one
// whose text starts with "{", is read as JSON.
func ParseBase(file string, data []byte) (map[string]any, diag.List) {
	parse := schema.ParseYAML
	if looksLikeJSON(file, data) {
		parse = schema.ParseJSON
	}
	n, diags := parse(file, data)
	if diags.HasErrors() {
		return nil, diags
	}
	if n == nil || n.Kind != schema.Map {
		pos := diag.Pos{File: file}
		if n != nil {
			pos = n.Pos
		}
		diags.Errorf(pos, "base template is not a mapping", "--base takes a CloudFormation template, such as .serverless/cloudformation-template-update-stack.json.")
		return nil, diags
	}
	return jsvalue.Plain(n).(map[string]any), diags
}

// looksLikeJSON reports whether a template is JSON: it is named *.json, or
// it is not named as YAML and its text starts with "{".
func looksLikeJSON(file string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".json":
		return true
	case ".yml", ".yaml":
		return false
	}
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{"))
}
