import { expect } from 'chai';
import { makeStyle } from '../../../harness/report/console-style.js';
import { paintMarks } from '../../../harness/report/predict-text.js';

const table = [
  'port 80/TCP',
  'from\\to X.a/b.c',
  'X.a/b.c .   X',
  'ns/d    X   -',
  '',
  'dns    kubernetes.default',
].join('\n');

describe('predict text', () => {
  it('leaves tables plain without colour', () => {
    expect(paintMarks(table, makeStyle(false))).to.equal(table);
  });

  it('paints . green and X red in table rows only, after the padding', () => {
    expect(paintMarks(table, makeStyle(true)).split('\n')).to.deep.equal([
      'port 80/TCP',
      'from\\to X.a/b.c',
      'X.a/b.c \x1b[32m.\x1b[39m   \x1b[31mX\x1b[39m',
      'ns/d    \x1b[31mX\x1b[39m   -',
      '',
      'dns    kubernetes.default',
    ]);
  });
});
