package main

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// The servers the probe tests reach. Every one listens on 127.0.0.1 and every DNS query goes to
// a fake resolver on 127.0.0.1: no test packet leaves the machine.

// servingTCP serves HTTP on a loopback port with the handler a workload uses, answering as the
// workload with this identity would on that port.
func servingTCP(t *testing.T, identity string) (addr string, port int) {
	l := listenTCP(t)
	port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = serveHTTP(l, answer(identity, port, "TCP")) }()
	return l.Addr().String(), port
}

// servingUDP replies on a loopback port with the handler a workload uses.
func servingUDP(t *testing.T, identity string) (addr string, port int) {
	c := listenUDP(t)
	port = c.LocalAddr().(*net.UDPAddr).Port
	go func() { _ = serveUDP(c, []byte(answer(identity, port, "UDP"))) }()
	return c.LocalAddr().String(), port
}

// closedPort is a loopback port nothing listens on (TCP and UDP): the kernel answers with a
// RST or an ICMP port unreachable, as for a policy that rejects.
func closedPort(t *testing.T) string {
	l := listenTCP(t)
	addr := l.Addr().String()
	l.Close()
	return addr
}

// droppingTCP is a loopback port that drops SYNs, as a policy that drops does: a listener with a
// backlog of 0 whose one queue slot a connection that is never accepted already holds (Linux
// drops a SYN while the accept queue is full).
func droppingTCP(t *testing.T) string {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
	filler, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatalf("filling the accept queue of %s: %v", addr, err)
	}
	t.Cleanup(func() { filler.Close() })
	return addr
}

// silentTCP accepts connections and never answers: reachable, but not our server.
func silentTCP(t *testing.T) string {
	l := listenTCP(t)
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			// Until the prober gives up and closes its end.
			go func() { _, _ = io.Copy(io.Discard, conn); conn.Close() }()
		}
	}()
	return l.Addr().String()
}

// hangUpTCP reads the request and closes without a word: a server that is not HTTP. It reads
// first so the close is a clean FIN, not a RST for unread data.
func hangUpTCP(t *testing.T) string {
	l := listenTCP(t)
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			_, _ = http.ReadRequest(bufio.NewReader(conn))
			conn.Close()
		}
	}()
	return l.Addr().String()
}

// silentUDP reads datagrams and never replies: what a dropped UDP probe looks like.
func silentUDP(t *testing.T) string {
	c := listenUDP(t)
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := c.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	return c.LocalAddr().String()
}

// nxdomainDNS is a resolver on loopback that answers every query with NXDOMAIN.
func nxdomainDNS(t *testing.T) string {
	addr, _ := recordingUDP(t, nxdomain)
	return addr
}

// nxdomain turns a DNS query into its NXDOMAIN reply: the query's id and question, QR and RA
// set, no records (the query's EDNS record is left out). Nil for what is not a plain query.
func nxdomain(query []byte) []byte {
	end := 12
	for end < len(query) && query[end] != 0 {
		if query[end] >= 0xC0 {
			return nil
		}
		end += int(query[end]) + 1
	}
	end += 1 + 4 // the root label, QTYPE and QCLASS
	if len(query) < 12 || end > len(query) {
		return nil
	}
	reply := append([]byte(nil), query[:end]...)
	reply[2] = 0x80 | query[2]&0x79 // QR, with the query's opcode and RD
	reply[3] = 0x80 | 3             // RA, rcode 3 (NXDOMAIN)
	binary.BigEndian.PutUint16(reply[4:], 1)
	clear(reply[6:12])
	return reply
}

func listenTCP(t *testing.T) net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func listenUDP(t *testing.T) net.PacketConn {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
