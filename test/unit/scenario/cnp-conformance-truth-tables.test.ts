/**
 * The ClusterNetworkPolicy conformance tests of sigs.k8s.io/network-policy-api v0.3.0
 * (conformance/tests/*.go), written in our format with the upstream's own PokeServer assertions as
 * matrix marks (test/fixtures/cnp-conformance/INDEX.md): the engine must reproduce every asserted
 * non-self cell. No CNI of our kit implements the API, so these tables are the only independent
 * check of the engine's CNP semantics.
 */
import { describeConformanceTables } from '../../support/conformance-tables.js';

describeConformanceTables({
  title: 'engine vs the network-policy-api v0.3.0 ClusterNetworkPolicy conformance truth tables',
  dir: 'test/fixtures/cnp-conformance',
  files: 28,
  steps: 123,
  assertedCells: 388,
  // The two same-priority tests put three CNPs at one priority of one tier on purpose, so each step
  // warns for the second and third; the Baseline pod-selector test puts both its policies at priority
  // 10, so each step warns for the second. No asserted cell is matched by two of them, so none is
  // unspecified.
  knownWarnings: {
    'cnp-admin-tier-same-priority.yaml': {
      perStep: 2,
      pattern: /^warning: priority 15 is also cnp\/same-priority-gryffindor-slytherin's, in the admin tier /,
    },
    'cnp-baseline-tier-pod-selector.yaml': {
      perStep: 1,
      pattern: /^warning: priority 10 is also cnp\/pod-selector-rules's, in the baseline tier /,
    },
    'cnp-baseline-tier-same-priority.yaml': {
      perStep: 2,
      pattern:
        /^warning: priority 10 is also cnp\/baseline-same-priority-gryffindor-slytherin's, in the baseline tier /,
    },
  },
});
