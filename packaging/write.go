package packaging

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/stepform/stepform/schema"
)

// File names the framework uses in .serverless/.
const (
	StateFile               = "serverless-state.json"
	CreateStackTemplateFile = "cloudformation-template-create-stack.json"
)

// DirInput is what PrepareDir needs besides the built zips.
type DirInput struct {
	Result  *Result
	Service *schema.Service
	// ConfigFile is the configuration file's path relative to the service
	// directory.
	ConfigFile string
	// Template is the compiled (update-stack) template as stepform writes
	// it (JSON as JSON.stringify(t, null, 2) writes it), in pieces.
	Template [][]byte
	// TemplateFile names the template in diagnostics about it.
	TemplateFile string
	// CoreTemplate is the framework's core template as JSON (the stack
	// `sls deploy` creates first), written as the create-stack template;
	// nil when the deployment bucket is given by name.
	CoreTemplate []byte
}

// PendingDir is the new files of a package folder, written and synced
// under temporary names, waiting to replace the old ones (Commit) or to
// be thrown away (Discard).
type PendingDir struct {
	// files are renamed into place in this order.
	files []pendingFile
	// remove is the files that go: a create-stack template the service
	// no longer has, zips of an earlier run that this one did not build.
	remove []string
}

// pendingFile is a temporary file that replaces path.
type pendingFile struct{ tmp, path string }

// PrepareDir writes what `sls deploy --package DIR` reads besides the
// update-stack template and the zips (which Build wrote): the create-stack
// template (unless a deployment bucket is given by name) and
// serverless-state.json, each to a synced temporary file in dir; Commit
// replaces the old files with them, each atomically. Commit removes the
// zips left in DIR by an earlier run that this one did not build, but only
// when DIR already holds a serverless-state.json (so a DIR that is not a
// package folder is never cleaned). The two files are written at the same
// time: most of their cost is the wait for the disk to sync them.
func PrepareDir(dir string, in DirInput) (*PendingDir, error) {
	tpl, err := embedJSON(in.Template)
	if err != nil {
		return nil, fmt.Errorf("cannot read back the compiled template: %v", err)
	}
	// The core template, rendered as the compiled one is, is copied in
	// the same way, not parsed again.
	embedded := map[*schema.Node][][]byte{tpl: in.Template}
	var core *schema.Node
	if in.CoreTemplate != nil {
		if core, err = embedJSON([][]byte{in.CoreTemplate}); err != nil {
			return nil, fmt.Errorf("cannot read back the core template: %v", err)
		}
		embedded[core] = [][]byte{in.CoreTemplate}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(filepath.Join(dir, StateFile))
	isPackageDir := statErr == nil
	p := &PendingDir{}
	var corePending pendingFile
	coreErr := make(chan error, 1)
	if core != nil {
		go func() {
			var err error
			corePending, err = writePending(filepath.Join(dir, CreateStackTemplateFile), func(b *bufio.Writer) { b.Write(in.CoreTemplate) })
			coreErr <- err
		}()
	} else {
		coreErr <- nil
		p.remove = append(p.remove, filepath.Join(dir, CreateStackTemplateFile))
	}
	state := stateDocument(in, tpl, core)
	statePending, stateErr := writePending(filepath.Join(dir, StateFile), func(b *bufio.Writer) {
		stateWriter{b: b, embedded: embedded}.node(state, "")
	})
	if err := <-coreErr; err != nil || stateErr != nil {
		corePending.discard()
		statePending.discard()
		return nil, errors.Join(err, stateErr)
	}
	if core != nil {
		p.files = append(p.files, corePending)
	}
	p.files = append(p.files, statePending)
	if isPackageDir {
		built := map[string]bool{}
		for _, a := range in.Result.Artifacts {
			if a.Built() {
				built[a.Name] = true
			}
		}
		old, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
		for _, z := range old {
			if !built[filepath.Base(z)] {
				p.remove = append(p.remove, z)
			}
		}
	}
	return p, nil
}

// Commit renames the new files into place and removes the ones that go.
// Syncing dir, to make the renames durable, is the caller's: it may have
// more files to rename there first.
func (p *PendingDir) Commit() error {
	for i, f := range p.files {
		if err := os.Rename(f.tmp, f.path); err != nil {
			for _, rest := range p.files[i:] {
				rest.discard()
			}
			return err
		}
	}
	p.files = nil
	for _, path := range p.remove {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// Discard removes the temporary files; the folder stays as it was. A nil
// PendingDir has nothing to discard.
func (p *PendingDir) Discard() {
	if p == nil {
		return
	}
	for _, f := range p.files {
		f.discard()
	}
	p.files = nil
}

// stateDocument builds serverless-state.json: the keys of the framework's
// service object that `deploy --package` restores (Object.assign over the
// freshly loaded service) and reads: service, provider (with both
// templates and the normalised deployment bucket), functions (their
// package.artifact only where the user gave one, so the zips are found in
// the package folder wherever it is moved), layers; and the package's
// artifactDirectoryName and shared artifact.
func stateDocument(in DirInput, template, core *schema.Node) *schema.Node {
	svc := in.Service
	root := svc.Root
	res := in.Result
	set := func(m *schema.Node, key string, v *schema.Node) { m.Set(key, v) }
	str := func(s string) *schema.Node { return schema.NewString(s, root.Pos) }

	provider := schema.NewMap(root.Pos)
	if p := root.Get("provider"); p != nil && p.Kind == schema.Map {
		provider = p.Clone()
	}
	set(provider, "stage", str(svc.Stage))
	set(provider, "region", str(svc.Region))
	if provider.Get("versionFunctions") == nil {
		set(provider, "versionFunctions", schema.NewBool(true, root.Pos))
	}
	if b := provider.Get("deploymentBucket"); b != nil && b.Kind == schema.Map {
		set(provider, "deploymentBucketObject", b.Clone())
		if name := b.Get("name"); name.Truthy() {
			set(provider, "deploymentBucket", name.Clone())
		} else {
			set(provider, "deploymentBucket", &schema.Node{Kind: schema.Null})
		}
	}
	set(provider, "compiledCloudFormationTemplate", template)
	if core != nil {
		set(provider, "coreCloudFormationTemplate", core)
	}

	functions := schema.NewMap(root.Pos)
	if fns := root.Get("functions"); fns != nil && fns.Kind == schema.Map {
		for _, p := range fns.Pairs {
			f := schema.NewMap(p.KeyPos)
			if p.Value.Kind == schema.Map {
				f = p.Value.Clone()
			}
			if fn := svc.Function(p.Key); fn != nil {
				set(f, "name", str(fn.Name))
			}
			if f.Get("events") == nil {
				set(f, "events", &schema.Node{Kind: schema.List})
			}
			pkg := schema.NewMap(p.KeyPos)
			if old := f.Get("package"); old != nil && old.Kind == schema.Map {
				pkg = old
			}
			if code := res.Function(p.Key); code != nil && code.Source != "" && pkg.Get("artifact") == nil {
				set(pkg, "artifact", str(code.Source))
			}
			set(f, "package", pkg)
			functions.Pairs = append(functions.Pairs, schema.Pair{Key: p.Key, KeyPos: p.KeyPos, Value: f})
		}
	}

	layers := schema.NewMap(root.Pos)
	if l := root.Get("layers"); l != nil && l.Kind == schema.Map {
		layers = l.Clone()
	}

	service := schema.NewMap(root.Pos)
	set(service, "service", str(svc.Name))
	set(service, "serviceObject", schema.NewMap(root.Pos, schema.Pair{Key: "name", Value: str(svc.Name)}))
	set(service, "provider", provider)
	set(service, "functions", functions)
	set(service, "layers", layers)
	set(service, "serviceFilename", str(filepath.ToSlash(in.ConfigFile)))

	pkg := schema.NewMap(root.Pos)
	if res.Individually {
		set(pkg, "individually", schema.NewBool(true, root.Pos))
	}
	set(pkg, "artifactDirectoryName", str(res.ArtifactDirectoryName))
	set(pkg, "artifact", str(res.ServiceArtifact))

	return schema.NewMap(root.Pos,
		schema.Pair{Key: "service", Value: service},
		schema.Pair{Key: "package", Value: pkg})
}

// embedJSON returns the node that stands for a compiled template in a
// state document, for stateWriter.embedded. The template is stepform's
// own output, written in pieces; it is not parsed again, only checked to
// be one JSON object.
func embedJSON(template [][]byte) (*schema.Node, error) {
	first, last := -1, -1
	for _, p := range template {
		if t := bytes.TrimSpace(p); len(t) > 0 {
			if first < 0 {
				first = int(t[0])
			}
			last = int(t[len(t)-1])
		}
	}
	if first != '{' || last != '}' {
		return nil, errors.New("it is not a JSON object")
	}
	return &schema.Node{Kind: schema.Map}, nil
}

// textWriter is what the state document is written to: a bytes.Buffer,
// or a bufio.Writer on the file.
type textWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
	WriteRune(rune) (int, error)
}

// stateWriter writes a state document as JSON.stringify(n, null, 2)
// would. The compiled template is in that form already (stepform writes
// it as JSON.stringify does), so it is copied in, indented to its depth,
// rather than parsed into nodes and written again: for a large service
// that parse took more memory than everything else.
type stateWriter struct {
	b textWriter
	// embedded holds, for the nodes that stand for them, JSON texts
	// written with two-space indent and JavaScript's string escaping.
	embedded map[*schema.Node][][]byte
}

// writeEmbedded copies JSON text in at the indent of the value it is.
// JSON strings hold no raw newlines, so every newline starts a line.
func (w stateWriter) writeEmbedded(text [][]byte, indent string) {
	// The final newlines go, whichever of the last pieces they end.
	for len(text) > 0 {
		last := bytes.TrimRight(text[len(text)-1], "\n")
		text = text[: len(text)-1 : len(text)-1]
		if len(last) > 0 {
			text = append(text, last)
			break
		}
	}
	for _, piece := range text {
		for {
			line, rest, more := bytes.Cut(piece, []byte{'\n'})
			w.b.Write(line)
			if !more {
				break
			}
			w.b.WriteByte('\n')
			w.b.WriteString(indent)
			piece = rest
		}
	}
}

func (w stateWriter) node(n *schema.Node, indent string) {
	if text, ok := w.embedded[n]; ok {
		w.writeEmbedded(text, indent)
		return
	}
	b := w.b
	switch n.Kind {
	case schema.Null:
		b.WriteString("null")
	case schema.Bool, schema.Number:
		b.WriteString(n.Value)
	case schema.String:
		writeJSString(b, n.Value)
	case schema.List:
		if len(n.Items) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, it := range n.Items {
			b.WriteString(indent + "  ")
			w.node(it, indent+"  ")
			if i < len(n.Items)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case schema.Map:
		if len(n.Pairs) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, p := range n.Pairs {
			b.WriteString(indent + "  ")
			writeJSString(b, p.Key)
			b.WriteString(": ")
			w.node(p.Value, indent+"  ")
			if i < len(n.Pairs)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	}
}

// writeJSString escapes like JSON.stringify: quotes, backslashes and
// control characters only. Kept apart from jsvalue.WriteQuoted on purpose: it folds each run of invalid UTF-8 into one U+FFFD, not one per byte.
func writeJSString(b textWriter, s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// writePending writes what write writes to a temporary file beside
// path, streamed (a large state document is never held whole), and syncs
// it, so that once renamed into place it survives a crash whole.
func writePending(path string, write func(*bufio.Writer)) (pendingFile, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), fmt.Sprintf(".stepform-%d-*.tmp", os.Getpid()))
	if err != nil {
		return pendingFile{}, err
	}
	b := bufio.NewWriterSize(tmp, 64<<10)
	write(b)
	err = b.Flush()
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return pendingFile{}, err
	}
	return pendingFile{tmp: tmp.Name(), path: path}, nil
}

// discard removes the temporary file, if any.
func (f pendingFile) discard() {
	if f.tmp != "" {
		os.Remove(f.tmp)
	}
}

// PrepareStateTemplate writes, to a synced temporary file that Commit
// renames into place, the serverless-state.json that `sls package` left in
// dir with the compiled template replaced, keeping the rest (its artifact
// folder and zips, which a --base template names). It returns nil, writing
// nothing, when dir holds no state file.
func PrepareStateTemplate(dir string, template [][]byte) (*PendingDir, error) {
	path := filepath.Join(dir, StateFile)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	state, d := schema.ParseJSON(StateFile, data)
	if d.HasErrors() || state == nil || state.Kind != schema.Map {
		return nil, fmt.Errorf("not a state file the framework wrote: %v", d.Err())
	}
	provider := state.Get("service").Get("provider")
	if provider == nil || provider.Kind != schema.Map {
		return nil, fmt.Errorf("not a state file the framework wrote: it has no service.provider")
	}
	tpl, err := embedJSON(template)
	if err != nil {
		return nil, fmt.Errorf("cannot read back the compiled template: %v", err)
	}
	provider.Set("compiledCloudFormationTemplate", tpl)
	f, err := writePending(path, func(b *bufio.Writer) {
		stateWriter{b: b, embedded: map[*schema.Node][][]byte{tpl: template}}.node(state, "")
	})
	if err != nil {
		return nil, err
	}
	return &PendingDir{files: []pendingFile{f}}, nil
}
