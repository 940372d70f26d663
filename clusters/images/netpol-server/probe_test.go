package main

import (
	"bytes"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// These tests pin what harness/probe/script.ts (parseProbeOutput) and harness/probe/classify.ts
// (classifyBatch) read from `netpol-server probe`: one line per probe, "@@np", the id, the exit
// code and the text, tab-separated; the text starts with the class (OK, REFUSED, TIMEOUT,
// NXDOMAIN, ERROR), and an allowed TCP answer carries "netpol-harness <identity> ".

const (
	testTimeout = 300 * time.Millisecond
	identity    = "web/api@ns-r1"
)

// resultFraming is the one shape every line has: the id and code fields are integers and the
// text holds no tab (the parser splits on tabs).
var resultFraming = regexp.MustCompile(`^@@np\t(\d+)\t(\d+)\t([^\t\n]*)\n$`)

// probeOnce runs one probe as the CLI does and returns its line, after checking its framing.
func probeOnce(t *testing.T, target string, dnsServer string) string {
	t.Helper()
	var out bytes.Buffer
	testProber(t, dnsServer).run(&out, []probeTarget{{"7", target}})
	line := out.String()
	if !resultFraming.MatchString(line) || strings.Count(line, "\n") != 1 {
		t.Fatalf("probe %s printed %q, want one line @@np<TAB>7<TAB>code<TAB>text", target, line)
	}
	return strings.TrimSuffix(line, "\n")
}

// wantLine fails unless line matches the pattern, anchored at both ends.
func wantLine(t *testing.T, line, pattern string) {
	t.Helper()
	if !regexp.MustCompile("^" + pattern + "$").MatchString(line) {
		t.Errorf("got  %q\nwant %q", line, pattern)
	}
}

// q quotes a literal part of an expected line.
func q(format string, args ...any) string { return regexp.QuoteMeta(fmt.Sprintf(format, args...)) }

// noDNS is a DNS server for probes that must not resolve anything: a query still stays on loopback.
func noDNS(t *testing.T) string { return nxdomainDNS(t) }

// testProber is the prober the CLI runs, with DNS on loopback and a port counter of the test's own.
func testProber(t *testing.T, dnsServer string) prober {
	return prober{timeout: testTimeout, dnsServer: dnsServer, portState: filepath.Join(t.TempDir(), "ports")}
}

func TestTCPAllowedAnswersWithTheServersIdentityAndStatus(t *testing.T) {
	addr, port := servingTCP(t, identity)
	wantLine(t, probeOnce(t, "tcp:"+addr, noDNS(t)), q("@@np\t7\t0\tOK netpol-harness %s %d/TCP HTTP 200", identity, port))
}

func TestTCPToAClosedPortIsRefused(t *testing.T) {
	addr := closedPort(t)
	wantLine(t, probeOnce(t, "tcp:"+addr, noDNS(t)), q("@@np\t7\t1\tREFUSED: dial tcp %s: ", addr)+".*connection refused")
}

func TestTCPWhoseSYNIsDroppedTimesOut(t *testing.T) {
	addr := droppingTCP(t)
	wantLine(t, probeOnce(t, "tcp:"+addr, noDNS(t)), q("@@np\t7\t1\tTIMEOUT: dial tcp %s: i/o timeout", addr))
}

// A server that accepts but never answers is not a dropped connection: the classifier must not
// call it blocked, so its class is ERROR, not TIMEOUT.
func TestTCPConnectedButNeverAnsweredIsAnError(t *testing.T) {
	addr := silentTCP(t)
	wantLine(t, probeOnce(t, "tcp:"+addr, noDNS(t)), q("@@np\t7\t1\tERROR: connected, then read tcp ")+`127\.0\.0\.1:\d+`+q("->%s: i/o timeout", addr))
}

func TestTCPConnectedToAServerThatIsNotHTTPIsAnError(t *testing.T) {
	addr := hangUpTCP(t)
	wantLine(t, probeOnce(t, "tcp:"+addr, noDNS(t)), q("@@np\t7\t1\tERROR: connected, but no HTTP answer (0 bytes)"))
}

func TestTCPConnectNeedsOnlyTheHandshake(t *testing.T) {
	addr := hangUpTCP(t)
	wantLine(t, probeOnce(t, "tcpconnect:"+addr, noDNS(t)), q("@@np\t7\t0\tOK connected to %s from ", addr)+`127\.0\.0\.1:\d+`+q(" (handshake only)"))
}

func TestTCPConnectToAClosedPortIsRefused(t *testing.T) {
	addr := closedPort(t)
	wantLine(t, probeOnce(t, "tcpconnect:"+addr, noDNS(t)), q("@@np\t7\t1\tREFUSED: dial tcp %s: ", addr)+".*connection refused")
}

// A Service's DNS name is resolved by the pod's resolver, then connected to; the line says both.
func TestTCPConnectToANameResolvesItFirst(t *testing.T) {
	addr := hangUpTCP(t)
	_, port, _ := net.SplitHostPort(addr)
	wantLine(t, probeOnce(t, "tcpconnect:localhost:"+port, noDNS(t)), q("@@np\t7\t0\tOK connected to localhost:%s (", port)+`(127\.0\.0\.1|\[::1\]):`+port+q(") from ")+`.* \(handshake only\)`)
}

// A name that does not resolve sends nothing: the probe must not look like a dropped SYN.
func TestTCPConnectToANameThatDoesNotResolveIsAnError(t *testing.T) {
	wantLine(t, probeOnce(t, "tcpconnect:web.shop.svc.cluster.local.:80", noDNS(t)), q("@@np\t7\t1\tERROR: web.shop.svc.cluster.local. did not resolve, so nothing was sent: ")+".*no such host")
}

func TestUDPReplyCarriesTheServersIdentity(t *testing.T) {
	addr, port := servingUDP(t, identity)
	wantLine(t, probeOnce(t, "udp:"+addr, noDNS(t)), q("@@np\t7\t0\tOK netpol-harness %s %d/UDP", identity, port))
}

func TestUDPWithoutAReplyTimesOut(t *testing.T) {
	addr := silentUDP(t)
	wantLine(t, probeOnce(t, "udp:"+addr, noDNS(t)), q("@@np\t7\t1\tTIMEOUT: read udp ")+`127\.0\.0\.1:\d+`+q("->%s: i/o timeout", addr))
}

func TestUDPToAClosedPortIsRefused(t *testing.T) {
	addr := closedPort(t)
	wantLine(t, probeOnce(t, "udp:"+addr, noDNS(t)), q("@@np\t7\t1\tREFUSED: read udp ")+`127\.0\.0\.1:\d+`+q("->%s: ", addr)+".*connection refused")
}

// localhost comes from /etc/hosts; were it missing there, the query would still only reach the
// fake resolver on loopback (and the test would fail with NXDOMAIN).
func TestDNSNameThatResolvesListsItsAddresses(t *testing.T) {
	loopbackIP := `(127\.0\.0\.1|::1)`
	wantLine(t, probeOnce(t, "dns:localhost", noDNS(t)), q("@@np\t7\t0\tOK localhost ")+loopbackIP+"(,"+loopbackIP+")*")
}

func TestDNSNameThatDoesNotExistIsNXDOMAIN(t *testing.T) {
	wantLine(t, probeOnce(t, "dns:nothing.invalid", noDNS(t)), q("@@np\t7\t1\tNXDOMAIN: lookup nothing.invalid")+`( on \S+)?: no such host`)
}

func TestDNSResolverThatNeverAnswersTimesOut(t *testing.T) {
	resolver := silentUDP(t)
	wantLine(t, probeOnce(t, "dns:nothing.invalid", resolver), q("@@np\t7\t1\tTIMEOUT: lookup nothing.invalid")+`( on \S+)?: .*`)
}

func TestDNSResolverThatIsNotListeningIsRefused(t *testing.T) {
	resolver := closedPort(t)
	wantLine(t, probeOnce(t, "dns:nothing.invalid", resolver), q("@@np\t7\t1\tREFUSED: lookup nothing.invalid")+`( on \S+)?: .*connection refused`)
}

func TestUnknownProbeKindIsAnErrorWithExitCode2(t *testing.T) {
	wantLine(t, probeOnce(t, "sctp:127.0.0.1:9", noDNS(t)), q("@@np\t7\t2\tERROR: unknown probe kind sctp"))
}

// The parser splits fields on tabs and results on newlines, so text carries neither.
func TestResultTextIsFoldedToOneTabFreeLine(t *testing.T) {
	if got, want := resultLine("3", 1, "ERROR: a\tb\r\nc"), "@@np\t3\t1\tERROR: a b  c\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Probes of one run share stdout: each must print exactly one whole line with its own id.
func TestEveryProbeOfARunPrintsOneLineWithItsID(t *testing.T) {
	tcp, _ := servingTCP(t, identity)
	udp, _ := servingUDP(t, identity)
	closed := closedPort(t)
	targets := []probeTarget{{"0", "tcp:" + tcp}, {"1", "udp:" + udp}, {"2", "tcp:" + closed}, {"3", "tcpconnect:" + tcp}, {"4", "dns:localhost"}, {"5", "udp:" + closed}}
	var out bytes.Buffer
	testProber(t, noDNS(t)).run(&out, targets)
	var ids []string
	for _, line := range strings.SplitAfter(out.String(), "\n") {
		if line == "" {
			continue
		}
		m := resultFraming.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %q is not a result line", line)
		}
		ids = append(ids, m[1])
	}
	sort.Strings(ids)
	if got := strings.Join(ids, ","); got != "0,1,2,3,4,5" {
		t.Errorf("ids %s, want 0,1,2,3,4,5 once each; output:\n%s", got, out.String())
	}
}

func TestBadTargetIsRejectedBeforeAnyProbeRuns(t *testing.T) {
	_, err := parseTargets([]string{"0=dns:localhost", "tcp:127.0.0.1:80"})
	want := `bad target "tcp:127.0.0.1:80" (want id=tcp:IP:PORT, id=udp:IP:PORT or id=dns:NAME)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
