package graphcheck

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRequireScript runs require.sh (make test's graphcheck step), copied
// beside a lock file of its own, against fake id, apt-get, dot, node and
// npm commands.
func TestRequireScript(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	script, err := os.ReadFile("require.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name                          string
		dot, root, apt, node, stamped bool
		wantCode                      int
		wantCalls, wantStderr         string
	}{
		{name: "all there", dot: true, node: true, stamped: true},
		{name: "root installs graphviz", root: true, apt: true, node: true, stamped: true,
			wantCalls: "apt-get install -y -qq --no-install-recommends graphviz\n"},
		{name: "not root", apt: true, node: true, stamped: true, wantCode: 1, wantStderr: "apt-get install graphviz, as root"},
		{name: "no node", dot: true, stamped: true, wantCode: 1, wantStderr: "node or npm is missing"},
		{name: "lock changed", dot: true, node: true, wantCalls: "npm ci --no-audit --no-fund --loglevel=error\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "bin")
			work := filepath.Join(dir, "graphcheck")
			os.MkdirAll(bin, 0o755)
			os.MkdirAll(filepath.Join(work, "node_modules"), 0o755)
			os.WriteFile(filepath.Join(work, "require.sh"), script, 0o755)
			os.WriteFile(filepath.Join(work, "package-lock.json"), []byte("{}\n"), 0o644)
			if tc.stamped {
				os.WriteFile(filepath.Join(work, "node_modules", ".stepform-lock"), []byte("{}\n"), 0o644)
			}
			calls := filepath.Join(dir, "calls")
			uid := "1000"
			if tc.root {
				uid = "0"
			}
			fake := map[string]string{"id": "echo " + uid, "cmp": `[ "$(cat "$2" 2>/dev/null)" = "$(cat "$3" 2>/dev/null)" ]`,
				"dirname": `echo "${1%/*}"`, "cp": `cat "$1" > "$2"`, "cat": "exec /bin/cat \"$@\""}
			if tc.dot {
				fake["dot"] = "exit 0"
			}
			if tc.apt {
				fake["apt-get"] = `echo "apt-get $*" >> ` + calls + `
[ "$1" = install ] && printf '#!/bin/sh\nexit 0\n' > ` + filepath.Join(bin, "dot") + ` && chmod +x ` + filepath.Join(bin, "dot") + `
exit 0`
				fake["chmod"] = "exec /bin/chmod \"$@\""
			}
			if tc.node {
				fake["node"] = "exit 0"
				fake["npm"] = `echo "npm $*" >> ` + calls
			}
			for name, body := range fake {
				os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755)
			}
			cmd := exec.Command("/bin/sh", filepath.Join(work, "require.sh"))
			cmd.Env = []string{"PATH=" + bin}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			if exit, ok := err.(*exec.ExitError); ok {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			gotCalls, _ := os.ReadFile(calls)
			if code != tc.wantCode || string(gotCalls) != tc.wantCalls || !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("exit %d (want %d), calls %q (want %q), stderr:\n%s", code, tc.wantCode, gotCalls, tc.wantCalls, stderr.String())
			}
		})
	}
}
