package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain removes the netpol-server binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// buildDir holds the binary serverBinary built, if it did.
var buildDir string

// serverBinary is netpol-server built as the offline kit builds it for the image, with
// CGO_ENABLED=0 (scripts/offline-kit/go-module.ts). It matters here: only without cgo does the
// runtime see that all goroutines are asleep and crash; a cgo build, such as this test binary may
// be, just hangs.
var serverBinary = sync.OnceValues(func() (string, error) {
	var err error
	if buildDir, err = os.MkdirTemp("", "netpol-server-test-"); err != nil {
		return "", err
	}
	bin := filepath.Join(buildDir, "netpol-server")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// child is netpol-server running as a process of its own.
type child struct {
	cmd   *exec.Cmd
	lines chan string // its stderr, one line at a time
	done  chan error  // its exit, from cmd.Wait
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	bin, err := serverBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	stderr, w := io.Pipe()
	cmd.Stderr = w
	c := &child{cmd: cmd, lines: make(chan string, 1024), done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for s := bufio.NewScanner(stderr); s.Scan(); {
			c.lines <- s.Text()
		}
		close(c.lines)
	}()
	go func() {
		err := cmd.Wait()
		w.Close()
		c.done <- err
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return c
}

// waitForLine reads the child's stderr until a line starts with prefix, for at most a few seconds.
func (c *child) waitForLine(t *testing.T, prefix string) {
	t.Helper()
	var seen []string
	deadline := time.After(5 * time.Second)
	for {
		select {
		case line, ok := <-c.lines:
			if !ok {
				t.Fatalf("netpol-server ended (%v) before printing %q; stderr:\n%s", <-c.done, prefix, strings.Join(seen, "\n"))
			}
			if strings.HasPrefix(line, prefix) {
				return
			}
			seen = append(seen, line)
		case <-deadline:
			t.Fatalf("no line %q from netpol-server within 5s; stderr:\n%s", prefix, strings.Join(seen, "\n"))
		}
	}
}

// rest is what the child printed on stderr after the lines already read, once it has ended.
func (c *child) rest() string {
	var lines []string
	for line := range c.lines {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// exit waits a few seconds at most for the child to end and returns how it ended.
func (c *child) exit(t *testing.T) error {
	t.Helper()
	select {
	case err := <-c.done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("netpol-server still running 5s after it was asked to stop")
		return nil
	}
}

// A workload whose ports are all SCTP on a kernel without SCTP, or that has none, runs
// `serve --tcp "" --udp ""` (harness/probe/workload-spec.ts): the server must idle, not crash.
func TestServeWithNoPortsIdlesUntilStopped(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			c := startChild(t, "serve", "--identity", identity, "--tcp", "", "--udp", "")
			c.waitForLine(t, "serving "+identity)
			select {
			case err := <-c.done:
				t.Fatalf("netpol-server ended (%v) with nothing to serve, want it to idle; stderr:\n%s", err, c.rest())
			case <-time.After(200 * time.Millisecond):
			}
			if err := c.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if err := c.exit(t); err != nil {
				t.Errorf("netpol-server stopped on %v with %v, want exit 0", sig, err)
			}
		})
	}
}

// Its startup probe runs `check` with the same empty lists: nothing to ask is nothing failing.
func TestCheckWithNoPortsSucceeds(t *testing.T) {
	c := startChild(t, "check", "--identity", identity, "--tcp", "", "--udp", "")
	if err := c.exit(t); err != nil {
		t.Errorf("check with no ports: %v, want exit 0", err)
	}
}
