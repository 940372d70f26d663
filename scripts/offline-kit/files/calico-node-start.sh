#!/bin/sh
# Entry point of the kit's calico/node image, in place of upstream's runit
# tree (rc.local + /etc/service): VXLAN mode needs no BIRD or confd, so run the
# startup, then the helper daemons in the background and Felix in the foreground.
set -e
calico-node -startup
NODENAME=$(cat /var/lib/calico/nodename)
export NODENAME
calico-node -allocate-tunnel-addrs -allocate-tunnel-addrs-run-once
# Felix does not read NODENAME; see node/filesystem/etc/service/available/felix upstream.
export FELIX_FELIXHOSTNAME="$NODENAME"
[ -n "${DATASTORE_TYPE:-}" ] && export FELIX_DATASTORETYPE="$DATASTORE_TYPE"
calico-node -allocate-tunnel-addrs &
calico-node -status-reporter &
[ "${CALICO_MANAGE_CNI:-true}" != "false" ] && calico-node -monitor-token &
if [ "${CALICO_NETWORKING_BACKEND:-}" != "none" ]; then calico-node -monitor-addresses & fi
calico-node -complete-startup &
exec calico-node -felix
