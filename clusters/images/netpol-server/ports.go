package main

// Source ports for the probes that send UDP: udp probes, and the DNS lookups of dns and tcpconnect
// probes.
//
// A CNI enforces NetworkPolicy on a flow's first packet; a later packet that matches a conntrack
// entry passes whatever the policies say by then (Calico keeps established flows across a policy
// change: projectcalico/calico#6399, projectcalico/calico#2759). A TCP probe from a reused port starts
// a new handshake, so a new flow. A UDP datagram does not: one sent from a source port that an
// earlier, allowed probe to the same address used within the conntrack timeout (30 s, 120 s once
// the entry is assured, renewed by every packet) belongs to that earlier flow and is answered under
// a policy that denies it. Measured on kind + Calico v3.31 (docs/cni-findings.md): after a deny-all
// ingress policy, datagrams from the two source ports used before it were answered, from two new
// ports they were dropped. The kernel picks a random port per socket, so a run with thousands of
// UDP probes hits this now and then, and the cell reads as flapping.
//
// So every such socket in a pod takes a source port that no probe in that pod used recently: a
// counter in a file on /dev/shm (a tmpfs of the pod's own, writable under readOnlyRootFilesystem),
// shared under flock by every prober process of the pod, walks the ephemeral range. A port comes
// round again only after 28,232 others.

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

const (
	firstPort = 32768
	lastPort  = 60999
	portCount = lastPort - firstPort + 1

	// portStateFile is the counter every prober process of a pod shares.
	portStateFile = "/dev/shm/netpol-harness-source-ports"

	// lookupPorts is a DNS lookup's share: the resolver opens one socket per query (A and AAAA,
	// each name of the search list) and the kernel chooses past that.
	lookupPorts = 16
)

// portsFor is how many source ports a probe of this kind may bind.
func portsFor(target string) int {
	kind, address, _ := strings.Cut(target, ":")
	switch kind {
	case "udp":
		return 1
	case "dns":
		return lookupPorts
	case "tcpconnect":
		if host, _, err := net.SplitHostPort(address); err == nil && net.ParseIP(host) == nil {
			return lookupPorts
		}
	}
	return 0
}

// reservePorts takes n consecutive ports (wrapping round the range) from the counter in path and
// returns the first, or 0 (the kernel chooses) when the file cannot be used.
func reservePorts(path string, n int) int {
	if path == "" || n == 0 {
		return 0
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return 0
	}
	defer f.Close() // closing the file releases the lock
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return 0
	}
	data, _ := io.ReadAll(f)
	first, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || first < firstPort || first > lastPort {
		first = firstPort + rand.IntN(portCount) // a new pod: start anywhere, as the kernel would
	}
	// Every port has five digits, so the new counter overwrites the old one exactly.
	if _, err := f.WriteAt([]byte(strconv.Itoa(nthPort(first, n))+"\n"), 0); err != nil {
		return 0
	}
	return first
}

// nthPort is the port k places after first, wrapping round the range.
func nthPort(first, k int) int { return firstPort + (first-firstPort+k)%portCount }

// sourcePorts is one probe's share of a reservation: its k-th socket binds the k-th port.
type sourcePorts struct {
	first, n int
	used     atomic.Int32
}

// next is the port for the probe's next socket, or 0 (the kernel chooses) past its share.
func (s *sourcePorts) next() int {
	if s == nil || s.first == 0 {
		return 0
	}
	k := int(s.used.Add(1)) - 1
	if k >= s.n {
		return 0
	}
	return nthPort(s.first, k)
}

// dialFrom dials from the given source port for UDP. A port some other socket of the pod holds
// (the kernel gave it to a resolver, say, or a host-network pod shares the node's ports) is no
// reason to fail the probe: the kernel then chooses, as it always did.
func dialFrom(ctx context.Context, network, address string, port int) (net.Conn, error) {
	var d net.Dialer
	if port != 0 && strings.HasPrefix(network, "udp") {
		d.LocalAddr = &net.UDPAddr{Port: port}
	}
	conn, err := d.DialContext(ctx, network, address)
	if err != nil && d.LocalAddr != nil && errors.Is(err, syscall.EADDRINUSE) {
		return (&net.Dialer{}).DialContext(ctx, network, address)
	}
	return conn, err
}
