// netpol-server: the workload server of netpol-harness. It serves every TCP port (HTTP, answering
// with the pod's identity) and every UDP port (replying to each datagram with the identity) it is
// given, and exits if any port cannot be bound, so a port that is not served never passes for a
// port that a policy blocks. `check` is the readiness probe: it asks every port over loopback
// (never subject to NetworkPolicy) and fails unless each answers with the identity.
//
//	netpol-server serve --identity "ns/pod" --tcp 80,8080 --udp 53
//	netpol-server check --identity "ns/pod" --tcp 80,8080 --udp 53
//	netpol-server probe --timeout 1s 0=tcp:10.244.1.5:80 1=udp:10.244.1.5:53 2=dns:kubernetes.default 3=tcpconnect:10.0.0.7:5432
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) >= 2 && os.Args[1] == "probe" {
		os.Exit(probe(os.Args[2:]))
	}
	if len(os.Args) < 2 || (os.Args[1] != "serve" && os.Args[1] != "check") {
		fmt.Fprintln(os.Stderr, "usage: netpol-server serve|check --identity ID [--tcp P,P] [--udp P,P] | probe [--timeout 1s] id=tcp|tcpconnect|udp:IP:PORT|dns:NAME ...")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	identity := fs.String("identity", "", "what every answer carries")
	tcp := fs.String("tcp", "", "TCP ports to serve HTTP on")
	udp := fs.String("udp", "", "UDP ports to echo the identity on")
	_ = fs.Parse(os.Args[2:])
	tcpPorts, udpPorts := ports(*tcp), ports(*udp)
	if os.Args[1] == "check" {
		os.Exit(check(*identity, tcpPorts, udpPorts))
	}
	serve(*identity, tcpPorts, udpPorts)
}

func ports(list string) []int {
	var out []int
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			fmt.Fprintf(os.Stderr, "invalid port %q\n", p)
			os.Exit(2)
		}
		out = append(out, n)
	}
	return out
}

func answer(identity string, port int, proto string) string {
	return fmt.Sprintf("netpol-harness %s %d/%s", identity, port, proto)
}

func serve(identity string, tcpPorts, udpPorts []int) {
	listeners, conns := bind(tcpPorts, udpPorts)
	for i, l := range listeners {
		body := answer(identity, tcpPorts[i], "TCP")
		go func(l net.Listener) {
			err := serveHTTP(l, body)
			fmt.Fprintf(os.Stderr, "TCP server stopped: %v\n", err)
			os.Exit(1)
		}(l)
	}
	for i, c := range conns {
		reply := []byte(answer(identity, udpPorts[i], "UDP"))
		go func(c net.PacketConn) {
			err := serveUDP(c, reply)
			fmt.Fprintf(os.Stderr, "UDP server stopped: %v\n", err)
			os.Exit(1)
		}(c)
	}
	fmt.Fprintf(os.Stderr, "serving %s: tcp %v udp %v\n", identity, tcpPorts, udpPorts)
	fmt.Fprintf(os.Stderr, "stopping on %v\n", waitForStop())
	os.Exit(0)
}

// bind opens every port before any is served and exits if one cannot be opened, so a pod never
// runs with a port missing.
func bind(tcpPorts, udpPorts []int) ([]net.Listener, []net.PacketConn) {
	var listeners []net.Listener
	var conns []net.PacketConn
	for _, p := range tcpPorts {
		l, err := net.Listen("tcp", fmt.Sprintf(":%d", p))
		if err != nil {
			fmt.Fprintf(os.Stderr, "cannot serve %d/TCP: %v\n", p, err)
			os.Exit(1)
		}
		listeners = append(listeners, l)
	}
	for _, p := range udpPorts {
		c, err := net.ListenPacket("udp", fmt.Sprintf(":%d", p))
		if err != nil {
			fmt.Fprintf(os.Stderr, "cannot serve %d/UDP: %v\n", p, err)
			os.Exit(1)
		}
		conns = append(conns, c)
	}
	return listeners, conns
}

// waitForStop blocks until SIGTERM or SIGINT. It, not a bare select{}, keeps serve alive: with no
// ports (all SCTP on a kernel without SCTP, or none declared) no goroutine is left to wait on
// the network, and select{} alone ends the process with "all goroutines are asleep - deadlock!".
func waitForStop() os.Signal {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	return <-stop
}

// serveHTTP answers every request on l with body; it returns only when l fails.
func serveHTTP(l net.Listener, body string) error {
	return http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, body) }))
}

// serveUDP replies to every datagram on c with reply; it returns only when c fails.
func serveUDP(c net.PacketConn, reply []byte) error {
	buf := make([]byte, 2048)
	for {
		_, from, err := c.ReadFrom(buf)
		if err != nil {
			return err
		}
		_, _ = c.WriteTo(reply, from)
	}
}

func check(identity string, tcpPorts, udpPorts []int) int {
	client := http.Client{Timeout: 2 * time.Second}
	for _, p := range tcpPorts {
		resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/", p))
		if err != nil {
			fmt.Fprintf(os.Stderr, "%d/TCP: %v\n", p, err)
			return 1
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != answer(identity, p, "TCP") {
			fmt.Fprintf(os.Stderr, "%d/TCP answered %q\n", p, body)
			return 1
		}
	}
	for _, p := range udpPorts {
		c, err := net.Dial("udp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			fmt.Fprintf(os.Stderr, "%d/UDP: %v\n", p, err)
			return 1
		}
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		_, _ = c.Write([]byte("check\n"))
		buf := make([]byte, 2048)
		n, err := c.Read(buf)
		c.Close()
		if err != nil || string(buf[:n]) != answer(identity, p, "UDP") {
			fmt.Fprintf(os.Stderr, "%d/UDP: %v %q\n", p, err, buf[:n])
			return 1
		}
	}
	return 0
}
