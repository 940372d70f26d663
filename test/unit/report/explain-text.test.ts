import { expect } from 'chai';
import type { Explanation } from '../../../harness/engine/explain.js';
import { makeStyle } from '../../../harness/report/console-style.js';
import { renderExplanation } from '../../../harness/report/explain-text.js';

const open = (direction: 'egress' | 'ingress', subject: string) =>
  ({ direction, subject, openBecause: 'not-isolated', isolatedBy: [], allowedBy: [], allowed: true }) as const;

const allowed: Explanation = {
  from: 'shop/a',
  to: 'shop/b',
  port: { port: 80, protocol: 'TCP', name: 'http' },
  egress: open('egress', 'shop/a'),
  ingress: open('ingress', 'shop/b'),
  allowed: true,
};

describe('explain text', () => {
  it('prints the verdict plain without colour', () => {
    expect(renderExplanation(allowed, 'default', [], makeStyle(false))).to.equal(
      [
        'shop/a -> shop/b 80/TCP (http), step default: ALLOWED',
        '  egress from shop/a: allowed (no policy selects shop/a with policyType Egress: not isolated)',
        '  ingress to shop/b: allowed (no policy selects shop/b with policyType Ingress: not isolated)',
      ].join('\n'),
    );
  });

  it('paints ALLOWED green and BLOCKED red', () => {
    const blocked = { ...allowed, allowed: false };
    expect(renderExplanation(allowed, 'default', [], makeStyle(true)).split('\n')[0]).to.equal(
      'shop/a -> shop/b 80/TCP (http), step default: \x1b[32mALLOWED\x1b[39m',
    );
    expect(renderExplanation(blocked, 'default', [], makeStyle(true)).split('\n')[0]).to.equal(
      'shop/a -> shop/b 80/TCP (http), step default: \x1b[31mBLOCKED\x1b[39m',
    );
  });

  it('words a DNS lookup as the 53/UDP path to cluster DNS', () => {
    const dns = { ...allowed, to: 'kube-system/kube-dns', port: { port: 53, protocol: 'UDP', name: 'dns' } } as const;
    expect(
      renderExplanation(dns, 's', [], makeStyle(false), { kind: 'dns', name: 'example.org' }).split('\n').slice(0, 2),
    ).to.deep.equal([
      'shop/a -> DNS example.org, step s: ALLOWED (resolves)',
      '  a lookup resolves when shop/a may reach cluster DNS, kube-system/kube-dns, on 53/UDP (dns)',
    ]);
  });
});
