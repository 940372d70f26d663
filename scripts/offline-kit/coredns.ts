// CoreDNS in kit clusters answers cluster names only: no traffic may leave the machine, and the
// node's resolver (docker's embedded DNS) would forward upstream. One implementation serves the
// kit and the harness's cluster layer.
export { withoutUpstreamForward } from '../../harness/cluster/coredns.js';
