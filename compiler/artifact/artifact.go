// Package artifact describes the code zips a service's functions and
// layers deploy from, as the template needs them: where they lie in the
// deployment bucket and the hash Lambda checks them against. Packaging
// fills a Set; the compiler reads it.
package artifact

import "io"

// Artifact is one code zip.
type Artifact struct {
	// Dir is the artifact directory inside the deployment bucket,
	// <deploymentPrefix>/<service>/<stage>/<id>: the S3Key without the
	// file name.
	Dir string
	// Name is the zip's base name: <service>.zip, <function key>.zip for
	// individually packaged functions, or a user artifact's base name.
	Name string
	// CodeSha256 is the base64 (padded) SHA-256 of the zip's bytes, as
	// Lambda reports it and the framework writes it into versions.
	CodeSha256 string
	// Content writes the zip's bytes to w. Only layers need it: the
	// framework names a retained layer and its Hash output after them.
	Content func(w io.Writer) error
}

// S3Key is the object key the template names: Dir/Name.
func (a Artifact) S3Key() string { return a.Dir + "/" + a.Name }

// Set holds the artifacts of one service. Functions built from an image
// have none.
type Set struct {
	// Functions maps a function key (as under functions:) to its zip.
	Functions map[string]Artifact
	// Layers maps a layer key (as under layers:) to its zip.
	Layers map[string]Artifact
	// CustomResources is custom-resources.zip, the code of the
	// framework's custom resource functions; its Name is "" when the
	// service uses none.
	CustomResources Artifact
}
