/**
 * The AdminNetworkPolicy and BaselineAdminNetworkPolicy conformance tests of
 * sigs.k8s.io/network-policy-api v0.1.5 (conformance/tests/*.go), written in our format with the
 * upstream's own PokeServer assertions as matrix marks (test/fixtures/anp-conformance/INDEX.md): the
 * engine must reproduce every asserted non-self cell. No file warns, and no transcribed test has two
 * ANPs of one priority, so no asserted cell is unspecified.
 */
import { describeConformanceTables } from '../../support/conformance-tables.js';

describeConformanceTables({
  title: 'engine vs the network-policy-api v0.1.5 ANP/BANP conformance truth tables',
  dir: 'test/fixtures/anp-conformance',
  files: 20,
  steps: 83,
  assertedCells: 238,
});
