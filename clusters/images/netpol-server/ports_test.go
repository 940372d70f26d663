package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The promise of ports.go: no two UDP sockets of the probes of a pod share a source port until the
// ephemeral range comes round, so no UDP probe is ever answered as part of an earlier probe's flow.

// recordingUDP answers every datagram as a workload would and records the source port it came from.
func recordingUDP(t *testing.T, reply func([]byte) []byte) (addr string, ports func() []int) {
	c := listenUDP(t)
	var mu sync.Mutex
	var seen []int
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			mu.Lock()
			seen = append(seen, from.(*net.UDPAddr).Port)
			mu.Unlock()
			if r := reply(buf[:n]); r != nil {
				_, _ = c.WriteTo(r, from)
			}
		}
	}()
	return c.LocalAddr().String(), func() []int {
		mu.Lock()
		defer mu.Unlock()
		return append([]int(nil), seen...)
	}
}

func TestReservationsAreConsecutiveAndDisjoint(t *testing.T) {
	state := filepath.Join(t.TempDir(), "ports")
	a := reservePorts(state, 3)
	b := reservePorts(state, 5)
	c := reservePorts(state, 1)
	if a < firstPort || a > lastPort {
		t.Fatalf("a new counter starts at %d, outside %d-%d", a, firstPort, lastPort)
	}
	if b != nthPort(a, 3) || c != nthPort(b, 5) {
		t.Errorf("reservations %d (3), %d (5), %d: want each to start where the last ended", a, b, c)
	}
}

func TestTheCounterWrapsRoundTheEphemeralRange(t *testing.T) {
	state := filepath.Join(t.TempDir(), "ports")
	if err := os.WriteFile(state, []byte(strconv.Itoa(lastPort-1)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	first := reservePorts(state, 4)
	ports := &sourcePorts{first: first, n: 4}
	got := []int{ports.next(), ports.next(), ports.next(), ports.next(), ports.next()}
	want := []int{lastPort - 1, lastPort, firstPort, firstPort + 1, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ports %v, want %v (0: past its share, the kernel chooses)", got, want)
		}
	}
	if next := reservePorts(state, 1); next != firstPort+2 {
		t.Errorf("after the wrap the counter gives %d, want %d", next, firstPort+2)
	}
}

func TestACounterThatIsGarbageStartsAfreshInRange(t *testing.T) {
	state := filepath.Join(t.TempDir(), "ports")
	for _, junk := range []string{"", "80\n", "99999\n", "nonsense"} {
		if err := os.WriteFile(state, []byte(junk), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := reservePorts(state, 1); got < firstPort || got > lastPort {
			t.Errorf("counter %q gave %d, want a port in %d-%d", junk, got, firstPort, lastPort)
		}
	}
}

func TestACounterThatCannotBeWrittenLeavesTheChoiceToTheKernel(t *testing.T) {
	if got := reservePorts(filepath.Join(t.TempDir(), "no", "such", "dir"), 2); got != 0 {
		t.Errorf("got %d, want 0", got)
	}
	if got := (*sourcePorts)(nil).next(); got != 0 {
		t.Errorf("no share: got %d, want 0", got)
	}
}

func TestProberProcessesOfOnePodNeverShareAPort(t *testing.T) {
	state := filepath.Join(t.TempDir(), "ports")
	var wg sync.WaitGroup
	firsts := make([]int, 40)
	for i := range firsts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			firsts[i] = reservePorts(state, 10)
		}()
	}
	wg.Wait()
	sort.Ints(firsts)
	for i := 1; i < len(firsts); i++ {
		if firsts[i]-firsts[i-1] < 10 && firsts[i]-firsts[i-1]+portCount >= 10 {
			t.Fatalf("blocks of 10 starting %d and %d overlap", firsts[i-1], firsts[i])
		}
	}
}

// proberAt is the test prober with its counter standing at port.
func proberAt(t *testing.T, dnsServer string, port int) prober {
	p := testProber(t, dnsServer)
	if err := os.WriteFile(p.portState, []byte(strconv.Itoa(port)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runOne runs one batch of the prober and returns its single line, without the newline.
func runOne(p prober, target string) string {
	var out bytes.Buffer
	p.run(&out, []probeTarget{{"7", target}})
	return strings.TrimSuffix(out.String(), "\n")
}

// freePort is an ephemeral port nobody holds at the moment.
func freePort(t *testing.T) int {
	c := listenUDP(t)
	port := c.LocalAddr().(*net.UDPAddr).Port
	c.Close()
	return port
}

// The case the counter exists for: the same UDP probe, round after round, from the same pod.
func TestUDPProbesInSuccessiveRoundsComeFromNewPorts(t *testing.T) {
	addr, seen := recordingUDP(t, func([]byte) []byte { return []byte("netpol-harness web 81/UDP") })
	p := testProber(t, noDNS(t))
	for round := 0; round < 5; round++ {
		var out bytes.Buffer
		p.run(&out, []probeTarget{{"0", "udp:" + addr}, {"1", "udp:" + addr}})
		if strings.Count(out.String(), "\t0\tOK netpol-harness web 81/UDP") != 2 {
			t.Fatalf("round %d: %q", round, out.String())
		}
	}
	ports := seen()
	distinct := map[int]bool{}
	for _, port := range ports {
		distinct[port] = true
	}
	if len(ports) != 10 || len(distinct) != 10 {
		t.Errorf("10 probes came from ports %v: want 10 distinct ports", ports)
	}
}

func TestAUDPProbeComesFromThePortTheCounterGives(t *testing.T) {
	addr, seen := recordingUDP(t, func([]byte) []byte { return []byte("netpol-harness web 81/UDP") })
	start := freePort(t)
	wantLine(t, runOne(proberAt(t, noDNS(t), start), "udp:"+addr), q("@@np\t7\t0\tOK netpol-harness web 81/UDP"))
	if got := seen(); len(got) != 1 || got[0] != start {
		t.Errorf("the probe came from %v, want [%d]", got, start)
	}
}

func TestDNSQueriesComeFromTheLookupsShareOfPorts(t *testing.T) {
	addr, seen := recordingUDP(t, nxdomain)
	start := freePort(t)
	line := runOne(proberAt(t, addr, start), "dns:nothing.invalid")
	wantLine(t, line, q("@@np\t7\t1\tNXDOMAIN: lookup nothing.invalid")+`( on \S+)?: no such host`)
	got := seen()
	if len(got) == 0 {
		t.Fatal("the resolver sent no query")
	}
	for _, port := range got {
		if (port-start+portCount)%portCount >= lookupPorts {
			t.Errorf("a query came from port %d, outside the lookup's share %d to %d", port, start, start+lookupPorts-1)
		}
	}
}

func TestAPortSomeoneElseHoldsFallsBackToTheKernel(t *testing.T) {
	addr, _ := servingUDP(t, identity)
	held := listenUDP(t) // the port the counter gives, taken, as a host-network pod's neighbour might
	p := proberAt(t, noDNS(t), held.LocalAddr().(*net.UDPAddr).Port)
	wantLine(t, runOne(p, "udp:"+addr), q("@@np\t7\t0\tOK netpol-harness %s ", identity)+`\d+/UDP`)
}
