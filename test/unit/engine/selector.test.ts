import { expect } from 'chai';
import { selectorMatches } from '../../../harness/engine/selector.js';
import { LabelIndex } from '../../../harness/engine/label-index.js';
import { Bitset } from '../../../harness/engine/bitset.js';
import type { LabelSelector, Labels } from '../../../harness/model/network-policy.js';

const members: Labels[] = [{ app: 'web', tier: 'front' }, { app: 'db' }, { tier: 'back' }, {}];

function both(selector: LabelSelector): number[] {
  const naive = members.flatMap((l, i) => (selectorMatches(selector, l) ? [i] : []));
  const index = new LabelIndex(
    members.length,
    members.map((labels, i) => ({ index: i, labels })),
  );
  const indexed = [...index.select(selector, Bitset.full(members.length)).members()];
  expect(indexed, 'label index agrees with direct matching').to.deep.equal(naive);
  return naive;
}

describe('LabelSelector semantics', () => {
  it('an empty selector matches every pod, even one with no labels', () => {
    expect(both({})).to.deep.equal([0, 1, 2, 3]);
  });
  it('matchLabels requires every pair', () => {
    expect(both({ matchLabels: { app: 'web', tier: 'front' } })).to.deep.equal([0]);
    expect(both({ matchLabels: { app: 'web', tier: 'back' } })).to.deep.equal([]);
  });
  it('In needs the key present with one of the values', () => {
    expect(both({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] })).to.deep.equal([0, 1]);
  });
  it('NotIn also matches pods that lack the key', () => {
    expect(both({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] })).to.deep.equal([1, 2, 3]);
  });
  it('Exists and DoesNotExist look only at the key', () => {
    expect(both({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] })).to.deep.equal([0, 2]);
    expect(both({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] })).to.deep.equal([1, 3]);
  });
  it('matchLabels and matchExpressions are ANDed', () => {
    expect(
      both({ matchLabels: { tier: 'front' }, matchExpressions: [{ key: 'app', operator: 'Exists' }] }),
    ).to.deep.equal([0]);
  });
  it('a label value that is empty is still a present key', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, { x: '' })).to.equal(true);
    expect(selectorMatches({ matchLabels: { x: '' } }, { x: '' })).to.equal(true);
  });
});
