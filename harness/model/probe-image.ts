/** Paths of the tools inside the probe image (clusters/images.yaml builds it). */

/** agnhost, for `connect` (UDP, SCTP) with `--prober tools`. */
export const AGNHOST = '/agnhost';

/** Our server and batch prober (clusters/images/netpol-server). */
export const SERVER_BINARY = '/netpol-server';
