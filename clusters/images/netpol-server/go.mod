module netpol-harness/netpol-server

go 1.22
