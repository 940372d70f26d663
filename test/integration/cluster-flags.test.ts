/**
 * `cluster up|down` refuse bad flags with exit 3 before touching kind or docker, and never delete a
 * cluster netpol-harness did not create.
 */
import { expect } from 'chai';
import { main } from '../../harness/cli.js';

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await main(argv, { out: () => undefined, err: (text) => err.push(text) });
  return { code, err: err.join('\n') };
}

describe('cluster commands refuse bad flags with exit 3', () => {
  const cases: Array<{ name: string; argv: string[]; says: RegExp }> = [
    {
      name: 'an unknown CNI, listing the known ones',
      argv: ['cluster', 'up', '--cni', 'flannel'],
      says: /Unknown CNI "flannel" \(choose from calico, cilium, ptp, kindnet\)/,
    },
    { name: 'no CNI at all', argv: ['cluster', 'up'], says: /--cni/ },
    {
      name: 'zero nodes',
      argv: ['cluster', 'up', '--cni', 'calico', '--nodes', '0'],
      says: /--nodes must be a whole number from 1 to 8, got "0"/,
    },
    {
      name: 'a fractional node count',
      argv: ['cluster', 'up', '--cni', 'calico', '--nodes', '2.5'],
      says: /--nodes must be a whole number/,
    },
    {
      name: '`down` without saying which cluster',
      argv: ['cluster', 'down'],
      says: /say which cluster: --cni calico or --name NAME/,
    },
    { name: '`down` for an unknown CNI', argv: ['cluster', 'down', '--cni', 'weave'], says: /Unknown CNI "weave"/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const result = await cli(...c.argv);
      expect(result.code).to.equal(3);
      expect(result.err).to.match(c.says);
      expect(result.err).not.to.contain('    at ');
    });
  }
});
