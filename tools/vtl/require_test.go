package vtl

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRequireVelocityScript runs require-velocity.sh (make test's first
// step) against fake id, apt-get and javac commands.
func TestRequireVelocityScript(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	script, err := filepath.Abs("require-velocity.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name                        string
		jarsThere, root, apt, lists bool
		javac                       bool
		wantCode                    int
		wantCalls, wantStderr       string
	}{
		{name: "installed", jarsThere: true, root: true, apt: true, javac: true},
		{name: "root with apt-get", root: true, apt: true, lists: true, javac: true,
			wantCalls: "install -y -qq --no-install-recommends velocity\n"},
		{name: "fresh machine without package lists", root: true, apt: true, javac: true,
			wantCalls: "install -y -qq --no-install-recommends velocity\nupdate -qq\ninstall -y -qq --no-install-recommends velocity\n"},
		{name: "not root", apt: true, lists: true, javac: true, wantCode: 1,
			wantStderr: "apt-get install velocity, as root"},
		{name: "no apt-get", root: true, javac: true, wantCode: 1,
			wantStderr: "STEPFORM_VELOCITY_CLASSPATH"},
		{name: "no JDK", jarsThere: true, root: true, apt: true, wantCode: 1,
			wantStderr: "javac is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "bin")
			os.Mkdir(bin, 0o755)
			jars := []string{filepath.Join(dir, "velocity.jar"), filepath.Join(dir, "commons-lang.jar")}
			if tc.jarsThere {
				for _, jar := range jars {
					os.WriteFile(jar, nil, 0o644)
				}
			}
			uid := "1000"
			if tc.root {
				uid = "0"
			}
			calls, lists := filepath.Join(dir, "calls"), filepath.Join(dir, "lists")
			if tc.lists {
				os.WriteFile(lists, nil, 0o644)
			}
			fake := map[string]string{"id": "echo " + uid}
			if tc.apt {
				fake["apt-get"] = `echo "$*" >> ` + calls + `
case "$1" in
update) : > ` + lists + ` ;;
install) [ -f ` + lists + ` ] || exit 100; for jar in ` + strings.Join(jars, " ") + `; do : > "$jar"; done ;;
esac`
			}
			if tc.javac {
				fake["javac"] = "exit 0"
			}
			for name, body := range fake {
				os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755)
			}
			cmd := exec.Command("/bin/sh", script)
			cmd.Env = []string{"PATH=" + bin, ClasspathVariable + "=" + strings.Join(jars, ":")}
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
				t.Errorf("exit %d (want %d), apt-get calls %q (want %q), stderr:\n%s", code, tc.wantCode, gotCalls, tc.wantCalls, stderr.String())
			}
			if code == 0 {
				for _, jar := range jars {
					if _, err := os.Stat(jar); err != nil {
						t.Errorf("succeeded without %s", jar)
					}
				}
			}
		})
	}
}

func TestClasspathFromEnvironment(t *testing.T) {
	t.Setenv(ClasspathVariable, "")
	if got := classpath(); len(got) != 3 || got[0] != "/usr/share/java/velocity.jar" {
		t.Errorf("default classpath %q", got)
	}
	list := "/opt/velocity-1.7.jar" + string(os.PathListSeparator) + "/opt/commons-lang.jar"
	t.Setenv(ClasspathVariable, list)
	if got := classpath(); len(got) != 2 || got[0] != "/opt/velocity-1.7.jar" || got[1] != "/opt/commons-lang.jar" {
		t.Errorf("%s=%s gives %q", ClasspathVariable, list, got)
	}
}
