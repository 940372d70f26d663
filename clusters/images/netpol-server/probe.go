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
// that are not ours, such as a real external on an existing cluster), id=udp:IP:PORT or id=dns:NAME.
func probe(args []string) int {
	fs := flag.NewFlagSet("probe", flag.ExitOnError)
	timeout := fs.Duration("timeout", time.Second, "connect timeout (TCP), reply timeout (UDP), lookup timeout (DNS)")
	_ = fs.Parse(args)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, spec := range fs.Args() {
		id, target, ok := strings.Cut(spec, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "bad target %q (want id=tcp:IP:PORT, id=udp:IP:PORT or id=dns:NAME)\n", spec)
			return 2
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, text := probeOne(target, *timeout)
			text = strings.NewReplacer("\n", " ", "\t", " ", "\r", " ").Replace(text)
			mu.Lock()
			fmt.Printf("@@np\t%s\t%d\t%s\n", id, code, text)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return 0
}

func probeOne(target string, timeout time.Duration) (int, string) {
	kind, address, _ := strings.Cut(target, ":")
	switch kind {
	case "tcp":
		return probeTCP(address, timeout)
	case "tcpconnect":
		return probeHandshake(address, timeout)
	case "udp":
		return probeUDP(address, timeout)
	case "dns":
		return probeDNS(address, timeout)
	}
	return 2, "ERROR: unknown probe kind " + kind
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

func probeHandshake(address string, timeout time.Duration) (int, string) {
	conn, err := net.DialTimeout("tcp", address, timeout)
	if err != nil {
		return 1, describe(err)
	}
	local := conn.LocalAddr().String()
	conn.Close()
	return 0, fmt.Sprintf("OK connected to %s from %s (handshake only)", address, local)
}

func probeUDP(address string, timeout time.Duration) (int, string) {
	conn, err := net.Dial("udp", address)
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

func probeDNS(name string, timeout time.Duration) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	resolver := &net.Resolver{PreferGo: true}
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
