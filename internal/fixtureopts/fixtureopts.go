// Package fixtureopts reads how a fixture under fixtures/ is compiled: its
// args file (command-line arguments, one a line; --stage dev when absent)
// and its env file (KEY=VALUE lines). Blank lines and lines starting with
// # are skipped in both. The tests of several packages share it, so that
// every test compiles a fixture the way tools/oracle/generate.sh packaged it.
package fixtureopts

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/stepform/stepform/schema"
)

// Lines returns the non-blank, non-comment lines of path, trimmed; nil
// when the file does not exist.
func Lines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}

// Args returns the fixture's command-line arguments: its args file, or
// --stage dev.
func Args(dir string) ([]string, error) {
	args, err := Lines(filepath.Join(dir, "args"))
	if err == nil && args == nil {
		args = []string{"--stage", "dev"}
	}
	return args, err
}

// Load returns the options that load the fixture in dir: its serverless.yml,
// stage, region and params from Args, environment from the env file. An
// argument other than --stage, --region or --param is an error.
func Load(dir string) (schema.LoadOptions, error) {
	opts := schema.LoadOptions{
		ConfigPath: "serverless.yml",
		Env:        map[string]string{},
		Params:     map[string]string{},
		ReadFile:   func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, p)) },
	}
	args, err := Args(dir)
	if err != nil {
		return opts, err
	}
	for i := 0; i+1 < len(args); i += 2 {
		switch args[i] {
		case "--stage":
			opts.Stage = args[i+1]
		case "--region":
			opts.Region = args[i+1]
		case "--param":
			k, v, _ := strings.Cut(args[i+1], "=")
			opts.Params[k] = v
		default:
			return opts, fmt.Errorf("%s/args: unsupported argument %q", filepath.Base(dir), args[i])
		}
	}
	env, err := Lines(filepath.Join(dir, "env"))
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		opts.Env[k] = v
	}
	return opts, err
}
