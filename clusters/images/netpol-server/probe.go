package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// probe runs many probes at once in one process (goroutines, not one curl per cell) and prints one
// line per probe: "@@np<TAB>id<TAB>code<TAB>text", where text starts with OK, REFUSED, TIMEOUT,
// NXDOMAIN or ERROR. Targets are id=tcp:IP:PORT, id=tcpconnect:IP:PORT (a handshake is enough: servers
// that are not ours, such as a real external on an existing cluster; NAME:PORT is resolved first, as a
// Service's DNS name), id=udp:IP:PORT or id=dns:NAME.
func probe(args []string) int {
	fs := flag.NewFlagSet("probe", flag.ExitOnError)
	timeout := fs.Duration("timeout", time.Second, "connect timeout (TCP), reply timeout (UDP), lookup timeout (DNS)")
	_ = fs.Parse(args)
	targets, err := parseTargets(fs.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	p := prober{timeout: *timeout, portState: portStateFile}
	p.run(os.Stdout, targets)
	return 0
}

// probeTarget is one "id=kind:address" argument, split at the first "=".
type probeTarget struct{ id, target string }

// parseTargets checks every argument before any probe starts, so a bad one never leaves a partial
// set of result lines behind.
func parseTargets(args []string) ([]probeTarget, error) {
	targets := make([]probeTarget, 0, len(args))
	for _, spec := range args {
		id, target, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, fmt.Errorf("bad target %q (want id=tcp:IP:PORT, id=udp:IP:PORT or id=dns:NAME)", spec)
		}
		targets = append(targets, probeTarget{id, target})
	}
	return targets, nil
}

// prober holds what every probe shares. dnsServer is set by tests only, to send every DNS query to
// a server on loopback instead of the one /etc/resolv.conf names; portState is the source port
// counter (ports.go), empty to let the kernel choose.
type prober struct {
	timeout   time.Duration
	dnsServer string
	portState string
}

// run probes every target concurrently and writes one result line each, in the order they finish.
// The source ports of the whole batch are reserved at once, so the pod's counter is locked once.
func (p prober) run(w io.Writer, targets []probeTarget) {
	total := 0
	for _, t := range targets {
		total += portsFor(t.target)
	}
	first := reservePorts(p.portState, total)
	var wg sync.WaitGroup
	var mu sync.Mutex
	offset := 0
	for _, t := range targets {
		ports := &sourcePorts{n: portsFor(t.target)}
		if first != 0 {
			ports.first = nthPort(first, offset)
		}
		offset += ports.n
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, text := p.one(t.target, ports)
			mu.Lock()
			_, _ = io.WriteString(w, resultLine(t.id, code, text))
			mu.Unlock()
		}()
	}
	wg.Wait()
}

// resultLine is the line harness/probe/script.ts parses: its fields are split on tabs and its
// lines on newlines, so the text must carry neither.
func resultLine(id string, code int, text string) string {
	text = strings.NewReplacer("\n", " ", "\t", " ", "\r", " ").Replace(text)
	return fmt.Sprintf("@@np\t%s\t%d\t%s\n", id, code, text)
}

func (p prober) one(target string, ports *sourcePorts) (int, string) {
	kind, address, _ := strings.Cut(target, ":")
	switch kind {
	case "tcp":
		return probeTCP(address, p.timeout)
	case "tcpconnect":
		return p.handshake(address, p.resolver(ports))
	case "udp":
		return probeUDP(address, p.timeout, ports.next())
	case "dns":
		return probeDNS(p.resolver(ports), address, p.timeout)
	}
	return 2, "ERROR: unknown probe kind " + kind
}

// resolver is the Go resolver (as the pod's applications use), each query from the probe's next
// source port.
func (p prober) resolver(ports *sourcePorts) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		if p.dnsServer != "" {
			address = p.dnsServer
		}
		return dialFrom(ctx, network, address, ports.next())
	}}
}

func probeTCP(address string, timeout time.Duration) (int, string) {
	conn, err := net.DialTimeout("tcp", address, timeout)
	if err != nil {
		return 1, describe(err)
	}
	_ = conn.SetDeadline(time.Now().Add(2 * timeout))
	host, _, _ := net.SplitHostPort(address)
	_, _ = fmt.Fprintf(conn, "GET / HTTP/1.0\r\nHost: %s\r\n\r\n", host)
	reply, err := io.ReadAll(io.LimitReader(conn, 4096))
	conn.Close()
	head, body, _ := strings.Cut(string(reply), "\r\n\r\n")
	status := strings.SplitN(head, " ", 3)
	if len(status) < 2 || !strings.HasPrefix(status[0], "HTTP/") {
		if err != nil {
			return 1, "ERROR: connected, then " + err.Error()
		}
		return 1, fmt.Sprintf("ERROR: connected, but no HTTP answer (%d bytes)", len(reply))
	}
	return 0, fmt.Sprintf("OK %s HTTP %s", body, status[1])
}

// handshake connects to IP:PORT, or resolves NAME:PORT first: a name that does not resolve is an
// ERROR (never TIMEOUT, which the harness reads as a dropped SYN), and the connect gets a timeout
// of its own, so a slow lookup cannot eat it.
func (p prober) handshake(address string, resolver *net.Resolver) (int, string) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return 2, "ERROR: " + err.Error()
	}
	target := address
	if net.ParseIP(host) == nil {
		ctx, cancel := context.WithTimeout(context.Background(), p.timeout)
		addrs, err := resolver.LookupHost(ctx, host)
		cancel()
		if err != nil || len(addrs) == 0 {
			return 1, fmt.Sprintf("ERROR: %s did not resolve, so nothing was sent: %v", host, err)
		}
		target = net.JoinHostPort(addrs[0], port)
	}
	conn, err := net.DialTimeout("tcp", target, p.timeout)
	if err != nil {
		return 1, describe(err)
	}
	local := conn.LocalAddr().String()
	conn.Close()
	if target != address {
		return 0, fmt.Sprintf("OK connected to %s (%s) from %s (handshake only)", address, target, local)
	}
	return 0, fmt.Sprintf("OK connected to %s from %s (handshake only)", address, local)
}

// probeUDP sends one datagram from the given source port (0: the kernel chooses) and waits for the reply.
func probeUDP(address string, timeout time.Duration, port int) (int, string) {
	conn, err := dialFrom(context.Background(), "udp", address, port)
	if err != nil {
		return 1, describe(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	if _, err := conn.Write([]byte("probe\n")); err != nil {
		return 1, describe(err)
	}
	buf := make([]byte, 2048)
	n, err := conn.Read(buf)
	if err != nil {
		return 1, describe(err)
	}
	return 0, "OK " + string(buf[:n])
}

func probeDNS(resolver *net.Resolver, name string, timeout time.Duration) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	addrs, err := resolver.LookupHost(ctx, name)
	if err == nil {
		return 0, fmt.Sprintf("OK %s %s", name, strings.Join(addrs, ","))
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		switch {
		case dnsErr.IsNotFound:
			return 1, "NXDOMAIN: " + err.Error()
		case strings.Contains(err.Error(), "connection refused"):
			return 1, "REFUSED: " + err.Error()
		case dnsErr.IsTimeout || errors.Is(err, context.DeadlineExceeded):
			return 1, "TIMEOUT: " + err.Error()
		}
	}
	return 1, "ERROR: " + err.Error()
}

// describe turns a dial or read error into the class the harness's classifier reads.
func describe(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "REFUSED: " + err.Error()
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.ECONNRESET):
		return "REFUSED: " + err.Error()
	case errors.As(err, &netErr) && netErr.Timeout():
		return "TIMEOUT: " + err.Error()
	}
	return "ERROR: " + err.Error()
}
